package tabular

// Column describes one column of a dataset sheet. The same table drives the
// reader, the writer, the templates and the README's column reference.
type Column struct {
	Name     string
	Required bool
	Type     string // text, id, int, number, bool, list, year, code, unit, country
	DescEN   string
	DescRU   string
	Example  string
}

// Sheet describes one file of a dataset folder (or one sheet of a workbook).
type Sheet struct {
	Name    string // file name without .csv, sheet name in a workbook
	DescEN  string
	DescRU  string
	Columns []Column
}

// Sheets lists the dataset sheets in the order they are read and written.
var Sheets = []Sheet{
	{Name: "clusters", DescEN: "Clusters (registry entries)", DescRU: "Кластеры (записи реестра)", Columns: []Column{
		{"id", true, "id", "Cluster identifier: 1-64 letters, digits or _-.:", "Идентификатор кластера: 1–64 символа из букв, цифр и _-.:", "alu-demo"},
		{"name", true, "text", "Cluster name", "Наименование кластера", "Алюминиевый кластер"},
		{"registry_no", false, "int", "Number in the Ministry of Industry registry (Atlas 2025: 1..104), empty if not registered", "Номер в реестре Минпромторга (Атлас 2025: 1..104), пусто, если не в реестре", "31"},
		{"regions", false, "list", "Regions (subjects of the RF), separated by ;", "Субъекты РФ через ;", "Республика Ингушетия;Московская область"},
		{"specialization", false, "text", "Key specialisation", "Ключевая специализация", "Металлургия"},
		{"kind", false, "text", "industrial, interregional, planned, unregistered, foreign or local (default: local)", "industrial, interregional, planned, unregistered, foreign или local (по умолчанию local)", "interregional"},
		{"country", false, "country", "Country, ISO two-letter code (default RU)", "Страна, двухбуквенный код ISO (по умолчанию RU)", "RU"},
		{"participants_count", false, "int", "Number of participants as published in the registry", "Количество участников по реестру", "15"},
		{"development_programme", false, "bool", "The cluster has a development programme (PP-779): true/false, empty if unknown", "У кластера есть программа развития (ПП-779): да/нет, пусто — неизвестно", "true"},
		{"source", false, "text", "Where the data comes from", "Источник данных", "Атлас 2025"},
	}},
	{Name: "participants", DescEN: "Participants", DescRU: "Участники", Columns: []Column{
		{"id", true, "id", "Participant identifier (INN or any stable code): 1-64 letters, digits or _-.:", "Идентификатор участника (ИНН или любой постоянный код): 1–64 символа из букв, цифр и _-.:", "alu-plant"},
		{"name", true, "text", "Name", "Наименование", "ООО «Пример»"},
		{"inn", false, "text", "INN, 10 or 12 digits with a valid checksum, unique", "ИНН, 10 или 12 цифр с верной контрольной суммой, уникальный", "7707083893"},
		{"kind", false, "text", "enterprise, sopc, university, research, infrastructure, finance or foreign_supplier (default enterprise)", "enterprise, sopc, university, research, infrastructure, finance или foreign_supplier (по умолчанию enterprise)", "enterprise"},
		{"final_producer", false, "bool", "Makes final products: true/false/1/0/да/нет", "Производит конечную продукцию: да/нет", "true"},
		{"region", false, "text", "Region (subject of the RF)", "Субъект РФ", "Республика Ингушетия"},
		{"country", false, "country", "Country, ISO two-letter code (default RU)", "Страна, двухбуквенный код ISO (по умолчанию RU)", "RU"},
		{"okved", false, "text", "Main OKVED2 activity code", "Основной код ОКВЭД2", "24.42"},
		{"sme", false, "bool", "Small or medium enterprise", "Субъект МСП", "false"},
		{"employees", false, "int", "Number of employees", "Численность работников", "350"},
		{"revenue_rub", false, "number", "Revenue, RUB per year", "Выручка, руб. в год", "1500000000"},
		{"final_sales_rub", false, "number", "Sales outside the cluster data (to final customers), RUB per year; used as output in import-content analysis", "Продажи вне данных кластера (конечным потребителям), руб. в год; используются как выпуск в расчёте импортоёмкости", "900000000"},
		{"domestic_purchases_rub", false, "number", "Inputs bought from domestic suppliers outside the cluster data, RUB per year; part of the denominator of the share of inputs bought inside the cluster (PP-779)", "Закупки сырья и комплектующих у российских поставщиков вне кластера, руб. в год; входят в знаменатель доли закупок внутри кластера (ПП-779)", "150000000"},
		{"plans_production", false, "bool", "Only plans production (makes nothing yet): not counted as a participant without links", "Только планирует выпуск продукции: не считается участником без кооперационных связей", "false"},
		{"defence", false, "bool", "Defence-industry (ОПК) enterprise: may submit reference information instead of supply contracts", "Предприятие ОПК: может предоставлять справочную информацию вместо договоров поставки", "false"},
		{"year", false, "year", "Year the figures refer to", "Год, к которому относятся показатели", "2024"},
		{"clusters", false, "list", "Clusters the participant belongs to, separated by ;", "Кластеры участника через ;", "alu-demo"},
		{"illustrative", false, "bool", "The figures are illustrative, not reported", "Показатели иллюстративные, а не отчётные", "false"},
		{"source", false, "text", "Where the data comes from", "Источник данных", "анкета 2024"},
	}},
	{Name: "products", DescEN: "Products", DescRU: "Продукция", Columns: []Column{
		{"code", true, "code", "OKPD2 code (e.g. 24.42.22) or HS code (4-10 digits)", "Код ОКПД2 (например, 24.42.22) или ТН ВЭД (4–10 цифр)", "24.42.22"},
		{"name", true, "text", "Product name", "Наименование продукции", "Профили алюминиевые"},
		{"unit", false, "unit", "Unit: RUB, t, kg, m, m2, m3, pcs, l, kWh, set", "Единица: RUB, t, kg, m, m2, m3, pcs, l, kWh, set (или руб, т, кг, м, м2, м3, шт)", "t"},
		{"import_substitution", false, "bool", "On an import-substitution list", "Входит в перечень импортозамещающей продукции", "true"},
		{"inputs", false, "list", "Codes of products used to make it, separated by ;", "Коды продукции-сырья через ;", "24.42.11"},
		{"source", false, "text", "Where the data comes from", "Источник данных", ""},
	}},
	{Name: "links", DescEN: "Supply links (supplier → buyer)", DescRU: "Кооперационные связи (поставщик → покупатель)", Columns: []Column{
		{"supplier_id", true, "id", "Supplier participant id", "Идентификатор поставщика", "alu-plant"},
		{"buyer_id", true, "id", "Buyer participant id", "Идентификатор покупателя", "alu-windows"},
		{"product_code", false, "code", "Product supplied (OKPD2 or HS)", "Поставляемая продукция (ОКПД2 или ТН ВЭД)", "24.42.22"},
		{"year", false, "year", "Year (empty: applies to every year)", "Год (пусто — для всех лет)", "2024"},
		{"value_rub", false, "number", "Value, RUB per year", "Объём, руб. в год", "120000000"},
		{"quantity", false, "number", "Quantity per year", "Количество в год", "450"},
		{"unit", false, "unit", "Unit of the quantity", "Единица количества", "t"},
		{"documented", false, "bool", "A contract or agreement exists", "Связь подтверждена договором", "true"},
		{"illustrative", false, "bool", "The figures are illustrative", "Показатели иллюстративные", "false"},
		{"source", false, "text", "Where the data comes from", "Источник данных", ""},
	}},
	{Name: "imports", DescEN: "Imported inputs", DescRU: "Импортные закупки", Columns: []Column{
		{"participant_id", true, "id", "Importing participant id", "Идентификатор участника-импортёра", "alu-windows"},
		{"product_code", true, "code", "Imported product (OKPD2 or HS)", "Импортируемая продукция (ОКПД2 или ТН ВЭД)", "24.42.22"},
		{"year", false, "year", "Year", "Год", "2024"},
		{"value_rub", true, "number", "Value, RUB per year", "Объём, руб. в год", "35000000"},
		{"quantity", false, "number", "Quantity per year", "Количество в год", "12"},
		{"unit", false, "unit", "Unit of the quantity", "Единица количества", "t"},
		{"country", false, "country", "Country of origin, ISO two-letter code", "Страна происхождения, двухбуквенный код ISO", "CN"},
		{"illustrative", false, "bool", "The figures are illustrative", "Показатели иллюстративные", "false"},
		{"source", false, "text", "Where the data comes from", "Источник данных", ""},
	}},
	{Name: "capacities", DescEN: "Production capacities", DescRU: "Производственные мощности", Columns: []Column{
		{"participant_id", true, "id", "Producing participant id", "Идентификатор участника-производителя", "alu-plant"},
		{"product_code", true, "code", "Product (OKPD2 or HS)", "Продукция (ОКПД2 или ТН ВЭД)", "24.42.22"},
		{"year", false, "year", "Year", "Год", "2024"},
		{"value_rub", true, "number", "Value it produces or can produce, RUB per year", "Объём выпуска или мощность, руб. в год", "800000000"},
		{"quantity", false, "number", "Quantity per year", "Количество в год", "3000"},
		{"unit", false, "unit", "Unit of the quantity", "Единица количества", "t"},
		{"illustrative", false, "bool", "The figures are illustrative", "Показатели иллюстративные", "false"},
		{"source", false, "text", "Where the data comes from", "Источник данных", ""},
	}},
	{Name: "projects", DescEN: "Investment projects", DescRU: "Инвестиционные проекты", Columns: []Column{
		{"id", true, "id", "Project identifier", "Идентификатор проекта", "p-1"},
		{"participant_id", true, "id", "Participant running the project", "Участник, реализующий проект", "alu-plant"},
		{"product_code", false, "code", "Product of the project", "Продукция проекта", "24.42.22"},
		{"name", true, "text", "Project name", "Наименование проекта", "Линия анодирования"},
		{"import_substitution", false, "bool", "An import-substitution project (PP-779)", "Импортозамещающий проект (ПП-779)", "true"},
		{"year", false, "year", "Start year", "Год начала", "2024"},
		{"investment_rub", false, "number", "Investment, RUB", "Инвестиции, руб.", "250000000"},
		{"status", false, "text", "Status", "Статус", "реализуется"},
		{"illustrative", false, "bool", "The figures are illustrative", "Показатели иллюстративные", "false"},
		{"source", false, "text", "Where the data comes from", "Источник данных", ""},
	}},
	{Name: "employment", DescEN: "Employment by region and industry (for location quotients)", DescRU: "Занятость по регионам и отраслям (для коэффициентов локализации)", Columns: []Column{
		{"region", true, "text", "Region", "Регион", "Омская область"},
		{"industry", true, "text", "Industry", "Отрасль", "Металлургия"},
		{"group", false, "text", "Group inside which totals are taken (e.g. traded/local)", "Группа, внутри которой считаются итоги (например, traded/local)", "traded"},
		{"employees", true, "number", "Employees", "Численность занятых", "12000"},
		{"year", false, "year", "Year", "Год", "2024"},
	}},
}

// SheetByName returns the sheet description, or false.
func SheetByName(name string) (Sheet, bool) {
	for _, s := range Sheets {
		if s.Name == name {
			return s, true
		}
	}
	return Sheet{}, false
}

// IgnoredColumn reports whether a column that is not in a sheet's
// description is allowed and ignored: free-text notes (note, comment,
// примечание, комментарий) and columns starting with "x_".
func IgnoredColumn(name string) bool {
	switch name {
	case "note", "notes", "comment", "comments", "примечание", "комментарий":
		return true
	}
	return len(name) > 2 && name[:2] == "x_"
}
