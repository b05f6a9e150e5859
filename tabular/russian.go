package tabular

import "strings"

// sheetTitlesRU are the dataset sheets' names in a Russian workbook (at most
// 31 characters, as Excel allows); the reader accepts them as well as the
// English names.
var sheetTitlesRU = map[string]string{
	"clusters":     "Кластеры",
	"participants": "Участники",
	"products":     "Продукция",
	"links":        "Связи",
	"imports":      "Импорт",
	"capacities":   "Мощности",
	"projects":     "Проекты",
	"employment":   "Занятость",
}

// columnTitlesRU are the columns' headers in a Russian workbook, by column
// name, or by sheet.column where a sheet's column needs its own; the reader
// accepts them as well as the column names.
var columnTitlesRU = map[string]string{
	"id":                           "Идентификатор",
	"name":                         "Наименование",
	"registry_no":                  "Номер в реестре",
	"regions":                      "Субъекты РФ",
	"specialization":               "Специализация",
	"kind":                         "Тип",
	"country":                      "Страна",
	"participants_count":           "Число участников",
	"development_programme":        "Программа развития",
	"source":                       "Источник",
	"inn":                          "ИНН",
	"final_producer":               "Конечный производитель",
	"region":                       "Субъект РФ",
	"okved":                        "ОКВЭД2",
	"sme":                          "МСП",
	"employees":                    "Численность работников",
	"employment.employees":         "Численность занятых",
	"employment.region":            "Регион",
	"revenue_rub":                  "Выручка, руб.",
	"final_sales_rub":              "Продажи конечным потребителям, руб.",
	"domestic_purchases_rub":       "Закупки у российских поставщиков вне кластера, руб.",
	"plans_production":             "Только планирует выпуск",
	"defence":                      "ОПК",
	"year":                         "Год",
	"projects.year":                "Год начала",
	"clusters":                     "Кластеры",
	"illustrative":                 "Иллюстративные данные",
	"code":                         "Код продукции",
	"unit":                         "Единица",
	"import_substitution":          "Импортозамещение",
	"inputs":                       "Коды сырья",
	"supplier_id":                  "Поставщик",
	"buyer_id":                     "Покупатель",
	"product_code":                 "Код продукции",
	"value_rub":                    "Объём, руб.",
	"quantity":                     "Количество",
	"documented":                   "Подтверждена договором",
	"participant_id":               "Участник",
	"investment_rub":               "Инвестиции, руб.",
	"status":                       "Статус",
	"industry":                     "Отрасль",
	"group":                        "Группа",
	"capacities.value_rub":         "Выпуск или мощность, руб.",
	"imports.country":              "Страна происхождения",
	"participants.clusters":        "Кластеры участника",
	"products.import_substitution": "В перечне импортозамещения",
}

// SheetTitleRU is a dataset sheet's name in a Russian workbook.
func SheetTitleRU(sheet string) string {
	if t, ok := sheetTitlesRU[sheet]; ok {
		return t
	}
	return sheet
}

// ColumnTitleRU is a dataset column's header in a Russian workbook.
func ColumnTitleRU(sheet, column string) string {
	if t, ok := columnTitlesRU[sheet+"."+column]; ok {
		return t
	}
	if t, ok := columnTitlesRU[column]; ok {
		return t
	}
	return column
}

// sheetByAnyName finds a sheet by its name or its Russian title, in any case.
func sheetByAnyName(name string) (Sheet, bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	if sh, ok := SheetByName(key); ok {
		return sh, true
	}
	for s, t := range sheetTitlesRU {
		if strings.ToLower(t) == key {
			return SheetByName(s)
		}
	}
	return Sheet{}, false
}

// columnName maps a header (lower case) to the sheet's column: a column name
// as is, a Russian title to its column, anything else unchanged.
func columnName(sh Sheet, header string) string {
	for _, c := range sh.Columns {
		if c.Name == header {
			return header
		}
	}
	for _, c := range sh.Columns {
		if strings.ToLower(ColumnTitleRU(sh.Name, c.Name)) == header {
			return c.Name
		}
	}
	return header
}

// ParticipantKindsRU, ClusterKindsRU and UnitsRU name the coded values of
// the dataset in a Russian workbook; the reader maps them back.
var (
	ParticipantKindsRU = map[string]string{
		"enterprise": "предприятие", "sopc": "СОПК", "university": "вуз", "research": "научная организация",
		"infrastructure": "инфраструктура", "finance": "финансовая организация", "foreign_supplier": "иностранный поставщик",
	}
	ClusterKindsRU = map[string]string{
		"industrial": "промышленный", "interregional": "межрегиональный", "planned": "планируемый",
		"unregistered": "вне реестра", "foreign": "зарубежный", "local": "создан пользователем",
	}
	// UnitsRU are read back by gm.NormalizeUnit.
	UnitsRU = map[string]string{
		"RUB": "руб.", "t": "т", "kg": "кг", "m": "м", "m2": "м²", "m3": "м³", "pcs": "шт", "l": "л", "kWh": "кВт·ч", "set": "компл.",
	}
)

// valuesRU is the Russian display of a dataset column's coded values, or nil.
func valuesRU(sheet, column string) map[string]string {
	switch {
	case column == "unit":
		return UnitsRU
	case column == "kind" && sheet == "participants":
		return ParticipantKindsRU
	case column == "kind" && sheet == "clusters":
		return ClusterKindsRU
	}
	return nil
}

// fromRU maps a Russian name of a coded value back to its code (any case);
// anything else is returned as it is.
func fromRU(m map[string]string, v string) string {
	for code, ru := range m {
		if strings.EqualFold(ru, v) {
			return code
		}
	}
	return v
}
