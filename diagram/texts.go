package diagram

type catalogue struct {
	kind     map[string]string
	legend   []string
	foreign  string
	importOf string
	gap      string
	titles   map[string]string
}

var catalogues = map[string]catalogue{
	"ru": {
		kind: map[string]string{"enterprise": "Предприятие", "sopc": "СОПК", "university": "Вуз", "research": "Научная организация", "infrastructure": "Инфраструктура",
			"finance": "Финансы", "foreign_supplier": "Иностранный поставщик", "import": "Импортируемая продукция", "foreign": "Зарубежные поставки"},
		legend: []string{"Двойная рамка — конечная продукция", "Толщина стрелки — объём поставок", "Красный пунктир — единственный поставщик",
			"Фиолетовый — цикл", "Оранжевый пунктир — импорт", "Зелёный — добавлено в сценарии, серый пунктир — убрано"},
		foreign:  "Зарубежные поставки",
		importOf: "Импорт",
		gap:      "разрыв",
		titles:   map[string]string{"cluster": "Кооперационная цепочка", "participant": "Окружение участника", "product": "Цепочка продукции", "niches": "Инвестиционные ниши: импорт", "scenario": "Сценарий и база"},
	},
	"en": {
		kind: map[string]string{"enterprise": "Enterprise", "sopc": "SOPC (cluster operator)", "university": "University", "research": "Research", "infrastructure": "Infrastructure",
			"finance": "Finance", "foreign_supplier": "Foreign supplier", "import": "Imported product", "foreign": "Foreign supply"},
		legend: []string{"Double border — final products", "Arrow width — value supplied", "Red dashed — single supplier",
			"Purple — cycle", "Orange dashed — imports", "Green — added in the scenario, grey dashed — removed"},
		foreign:  "Foreign supply",
		importOf: "Import",
		gap:      "gap",
		titles:   map[string]string{"cluster": "Cooperation chain", "participant": "Participant's neighbourhood", "product": "Product chain", "niches": "Investment niches: imports", "scenario": "Scenario and base"},
	},
}

func texts(lang string) catalogue {
	if c, ok := catalogues[lang]; ok {
		return c
	}
	return catalogues["ru"]
}
