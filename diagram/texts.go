package diagram

// legendOrder is the order of the legend's lines; a line is shown only when
// the view uses its style (Model.features).
var legendOrder = []string{"final", "focus", "width", "single", "cycle", "import", "highlight", "added", "replaces", "removed"}

type catalogue struct {
	kind     map[string]string
	legend   map[string]string
	foreign  string
	importOf string
	gap      string
	replaces string
	titles   map[string]string
}

var catalogues = map[string]catalogue{
	"ru": {
		kind: map[string]string{"enterprise": "Предприятие", "sopc": "СОПК", "university": "Вуз", "research": "Научная организация", "infrastructure": "Инфраструктура",
			"finance": "Финансы", "foreign_supplier": "Иностранный поставщик", "import": "Импортируемая продукция", "foreign": "Зарубежные поставки"},
		legend: map[string]string{"final": "Двойная рамка — производитель конечной продукции", "focus": "Толстая рамка — выбранный участник",
			"width": "Толщина стрелки — объём поставок", "single": "Красный пунктир — единственный поставщик", "cycle": "Фиолетовый — цикл поставок",
			"import": "Оранжевый пунктир — импорт", "highlight": "Чем темнее, тем больше разрыв", "added": "Зелёный — добавлено в сценарии",
			"replaces": "Зелёные точки — поставки нового производства взамен импорта",
			"removed":  "Серый пунктир — убрано в сценарии"},
		foreign:  "Зарубежные поставки",
		importOf: "Импорт",
		gap:      "разрыв",
		replaces: "взамен импорта",
		titles:   map[string]string{"cluster": "Кооперационная цепочка", "participant": "Окружение участника", "product": "Цепочка продукции", "niches": "Инвестиционные ниши — импорт", "scenario": "Сценарий и база"},
	},
	"en": {
		kind: map[string]string{"enterprise": "Enterprise", "sopc": "SOPC (cluster operator)", "university": "University", "research": "Research", "infrastructure": "Infrastructure",
			"finance": "Finance", "foreign_supplier": "Foreign supplier", "import": "Imported product", "foreign": "Foreign supply"},
		legend: map[string]string{"final": "Double border — final producer", "focus": "Thick border — the selected participant",
			"width": "Arrow width — value supplied", "single": "Red dashed — single supplier", "cycle": "Purple — supply cycle",
			"import": "Orange dashed — imports", "highlight": "The darker, the larger the gap", "added": "Green — added in the scenario",
			"replaces": "Green dotted — new production supplied in place of imports",
			"removed":  "Grey dashed — removed in the scenario"},
		foreign:  "Foreign supply",
		importOf: "Import",
		gap:      "gap",
		replaces: "in place of imports",
		titles:   map[string]string{"cluster": "Cooperation chain", "participant": "Participant's neighbourhood", "product": "Product chain", "niches": "Investment niches — imports", "scenario": "Scenario and base"},
	},
}

func texts(lang string) catalogue {
	if c, ok := catalogues[lang]; ok {
		return c
	}
	return catalogues["ru"]
}
