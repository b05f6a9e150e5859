// Package i18n is the message catalogue of the web UI and of the documents
// made for people (workbooks, reports): Russian first, English with
// ?lang=en, and the number formats of both languages.
package i18n

import "maps"

// messages is the whole catalogue: the core messages, those of the pages of
// support measures, the EAEU check, the Eurasian registry and the investment
// proposal, of the presentation (charts, map, presentation mode) and of the
// yearly data collection, of the national view and of the regions' pages.
var messages = merge(coreMessages, proposalMessages, presentMessages, collectMessages, nationalMessages, regionMessages)

func merge(parts ...map[string]map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, p := range parts {
		for k := range p {
			if _, dup := out[k]; dup {
				panic("message " + k + " defined twice")
			}
		}
		maps.Copy(out, p)
	}
	return out
}

// coreMessages are the messages of the registry, the cluster pages and the
// session report.
var coreMessages = map[string]map[string]string{
	"col.status":                 {"ru": "Статус", "en": "Status"},
	"col.inn":                    {"ru": "ИНН", "en": "INN"},
	"scen.closedcount":           {"ru": "Закрыто ниш", "en": "Niches closed"},
	"app":                        {"ru": "coopchain — кооперационные цепочки", "en": "coopchain — cooperation chains"},
	"skip":                       {"ru": "Перейти к содержимому", "en": "Skip to content"},
	"nav.registry":               {"ru": "Реестр кластеров", "en": "Cluster registry"},
	"nav.login":                  {"ru": "Войти", "en": "Sign in"},
	"nav.logout":                 {"ru": "Выйти", "en": "Sign out"},
	"nav.lang":                   {"ru": "English", "en": "Русский"},
	"nav.signedin":               {"ru": "Вы вошли как", "en": "Signed in as"},
	"role.admin":                 {"ru": "администратор", "en": "administrator"},
	"role.editor":                {"ru": "редактор", "en": "editor"},
	"role.viewer":                {"ru": "наблюдатель", "en": "viewer"},
	"role.investor":              {"ru": "инвестор", "en": "investor"},
	"registry.title":             {"ru": "Реестр промышленных кластеров", "en": "Registry of industrial clusters"},
	"registry.intro":             {"ru": "Кластеры из Атласа промышленных кластеров России 2025 и загруженные данные.", "en": "Clusters of the Atlas of industrial clusters of Russia 2025 and uploaded data."},
	"filter.region":              {"ru": "Регион", "en": "Region"},
	"filter.spec":                {"ru": "Специализация", "en": "Specialisation"},
	"filter.q":                   {"ru": "Название", "en": "Name"},
	"filter.apply":               {"ru": "Найти", "en": "Search"},
	"filter.found":               {"ru": "Найдено кластеров", "en": "Clusters found"},
	"col.no":                     {"ru": "№", "en": "No"},
	"col.name":                   {"ru": "Название", "en": "Name"},
	"col.regions":                {"ru": "Регионы", "en": "Regions"},
	"col.spec":                   {"ru": "Специализация", "en": "Specialisation"},
	"col.participants":           {"ru": "Участников", "en": "Participants"},
	"col.data":                   {"ru": "Данные", "en": "Data"},
	"data.yes":                   {"ru": "есть", "en": "yes"},
	"rating.title":               {"ru": "I Национальный рейтинг субъектов РФ по уровню кластерного развития", "en": "I National rating of Russian regions by cluster development"},
	"rating.rank":                {"ru": "Место", "en": "Rank"},
	"rating.region":              {"ru": "Субъект РФ", "en": "Region"},
	"rating.total":               {"ru": "Итоговый балл, %", "en": "Total score, %"},
	"rating.s1":                  {"ru": "Блок S1: количественные показатели, %", "en": "Block S1: quantitative indicators, %"},
	"rating.s2":                  {"ru": "Блок S2: меры поддержки, %", "en": "Block S2: support measures, %"},
	"rating.s3":                  {"ru": "Блок S3: инвестиционные ниши, %", "en": "Block S3: investment niches, %"},
	"rating.s4":                  {"ru": "Блок S4: инфраструктура промышленного кластера, %", "en": "Block S4: cluster infrastructure, %"},
	"rating.s5":                  {"ru": "Блок S5: повышение компетенций, %", "en": "Block S5: competences, %"},
	"login.title":                {"ru": "Вход", "en": "Sign in"},
	"login.token":                {"ru": "Токен доступа", "en": "Access token"},
	"login.help":                 {"ru": "Токен выдаёт администратор: coopchain token create --role viewer --cluster ID", "en": "An administrator issues tokens: coopchain token create --role viewer --cluster ID"},
	"login.submit":               {"ru": "Войти", "en": "Sign in"},
	"login.failed":               {"ru": "Токен не подошёл", "en": "The token was not accepted"},
	"cluster.figures":            {"ru": "Ключевые показатели", "en": "Key figures"},
	"cluster.diagram":            {"ru": "Кооперационная цепочка", "en": "Cooperation chain"},
	"cluster.zoomin":             {"ru": "Увеличить", "en": "Zoom in"},
	"cluster.zoomout":            {"ru": "Уменьшить", "en": "Zoom out"},
	"cluster.zoomreset":          {"ru": "Сбросить масштаб", "en": "Reset zoom"},
	"cluster.zoomhelp":           {"ru": "Колесо мыши или кнопки + и − меняют масштаб, перетаскивание сдвигает схему.", "en": "Mouse wheel or the + and − keys zoom, dragging pans."},
	"cluster.stages":             {"ru": "Переделы (стадии цепочки)", "en": "Processing stages"},
	"cluster.stage":              {"ru": "Передел", "en": "Stage"},
	"cluster.noaccess":           {"ru": "Данные кластера видят только его участники. Войдите с токеном этого кластера.", "en": "Only the cluster's members see its data. Sign in with a token for this cluster."},
	"cluster.nodata":             {"ru": "Для этого кластера ещё не загружены данные об участниках и связях.", "en": "No participant or link data has been uploaded for this cluster yet."},
	"cluster.illustrative":       {"ru": "Внимание: часть показателей иллюстративные (не отчётные данные).", "en": "Note: some figures are illustrative (not reported data)."},
	"fig.participants":           {"ru": "Участников", "en": "Participants"},
	"fig.enterprises":            {"ru": "Предприятий", "en": "Enterprises"},
	"fig.finals":                 {"ru": "Производителей конечной продукции", "en": "Final producers"},
	"fig.links":                  {"ru": "Кооперационных связей", "en": "Cooperation links"},
	"fig.value":                  {"ru": "Объём поставок внутри кластера", "en": "Value supplied inside the cluster"},
	"fig.imports":                {"ru": "Импорт участников", "en": "Participants' imports"},
	"fig.stages":                 {"ru": "Переделов", "en": "Stages"},
	"fig.share":                  {"ru": "Доля поставок внутри кластера", "en": "Intra-cluster cooperation share"},
	"tab.overview":               {"ru": "Обзор", "en": "Overview"},
	"tab.gaps":                   {"ru": "Импорт", "en": "Import gaps"},
	"tab.niches":                 {"ru": "Ниши", "en": "Investment niches"},
	"tab.matches":                {"ru": "Поставщики", "en": "Cooperation matches"},
	"tab.compliance":             {"ru": "ПП-779", "en": "PP-779 compliance"},
	"tab.scenarios":              {"ru": "Сценарии", "en": "Scenarios"},
	"tab.report":                 {"ru": "Отчёт", "en": "Report"},
	"compliance.title":           {"ru": "Требования ПП РФ № 779", "en": "Requirements of decree PP-779"},
	"status.pass":                {"ru": "выполнено", "en": "met"},
	"status.fail":                {"ru": "не выполнено", "en": "not met"},
	"status.unknown":             {"ru": "нет данных", "en": "unknown"},
	"gaps.title":                 {"ru": "Импорт и разрывы по продукции", "en": "Imports and gaps per product"},
	"gaps.product":               {"ru": "Продукция", "en": "Product"},
	"gaps.imported":              {"ru": "Импорт, руб./год", "en": "Imported, RUB/yr"},
	"gaps.importers":             {"ru": "Импортёров", "en": "Importers"},
	"gaps.capacity":              {"ru": "Мощности в кластере, руб./год", "en": "Capacity inside, RUB/yr"},
	"gaps.gap":                   {"ru": "Разрыв, руб./год", "en": "Gap, RUB/yr"},
	"gaps.units":                 {"ru": "Суммы — в рублях в год", "en": "Amounts in RUB a year"},
	"gaps.col.imported":          {"ru": "Импорт", "en": "Imported"},
	"gaps.col.capacity":          {"ru": "Мощности в кластере", "en": "Capacity inside"},
	"gaps.col.shipped":           {"ru": "Уже поставляется", "en": "Already shipped"},
	"gaps.col.spare":             {"ru": "Свободные мощности", "en": "Spare capacity"},
	"gaps.col.gap":               {"ru": "Разрыв", "en": "Gap"},
	"gaps.method":                {"ru": "Разрыв — то, что кластер не может поставить сам: импорт за вычетом свободных мощностей, то есть мощностей производителей кластера без того, что они уже поставляют этой продукции (другим участникам и конечным покупателям).", "en": "The gap is what the cluster cannot supply itself: imports less the spare capacity, i.e. its producers' capacity less what they already ship of the product (to other participants and final buyers)."},
	"gaps.shippedunknown":        {"ru": "Часть поставок этой продукции указана без объёма: свободные мощности могут быть завышены.", "en": "Some shipments of the product have no value: the spare capacity may be overstated."},
	"niches.settings":            {"ru": "Веса факторов и шкала разрыва — настройки coopchain, а не нормы Атласа; шкала разрыва одна для всех кластеров, поэтому баллы сравнимы между кластерами.", "en": "The factor weights and the gap scale are coopchain's settings, not the Atlas's; the gap scale is the same for every cluster, so scores compare across clusters."},
	"niches.analogues":           {"ru": "Отечественные аналоги в других кластерах", "en": "National analogues in other clusters"},
	"niches.noanalogue":          {"ru": "В данных других кластеров эту продукцию никто не производит: местного аналога нет.", "en": "No other cluster's data makes this product: there is no local analogue."},
	"niches.hasanalogue":         {"ru": "есть отечественный аналог", "en": "a national analogue exists"},
	"niches.analogue.capacity":   {"ru": "есть мощности", "en": "has capacity"},
	"niches.analogue.supplies":   {"ru": "поставляет участникам своего кластера", "en": "supplies its cluster's participants"},
	"compliance.nodata":          {"ru": "Данных об участниках кластера нет. Кластер внесён в реестр Минпромторга, то есть признан соответствующим требованиям: ни одно требование не считается невыполненным.", "en": "There is no participant data for the cluster. It is in the Ministry's registry, i.e. found compliant: no requirement counts as not met."},
	"compliance.settings":        {"ru": "Пороги", "en": "Thresholds"},
	"tab.typology":               {"ru": "Тип кластера", "en": "Cluster type"},
	"gaps.countries":             {"ru": "Страны", "en": "Countries"},
	"niches.title":               {"ru": "Инвестиционные ниши", "en": "Investment niches"},
	"niches.intro":               {"ru": "Методика Атласа: выявление импортных закупок участников → укрупнение объёмов → инвестиционные предложения → поиск инвестора. Балл 0–100 складывается из факторов ниже.", "en": "The Atlas method: collect imported inputs → aggregate demand → form investment proposals → find an investor. The 0–100 score is the sum of the factors below."},
	"niches.score":               {"ru": "Балл", "en": "Score"},
	"niches.buyers":              {"ru": "Покупателей", "en": "Buyers"},
	"niches.factor":              {"ru": "Фактор", "en": "Factor"},
	"niches.weight":              {"ru": "Вес (настройка coopchain)", "en": "Weight (coopchain's setting)"},
	"niches.points":              {"ru": "Баллов", "en": "Points"},
	"niches.why":                 {"ru": "Пояснение", "en": "Why"},
	"niches.importers":           {"ru": "Импортёры", "en": "Importers"},
	"niches.adjacent":            {"ru": "Смежные компетенции", "en": "Adjacent capabilities"},
	"niches.none":                {"ru": "Ниш нет: весь импорт покрывается мощностями кластера или импорт не указан.", "en": "No niches: all imports are covered by capacity inside the cluster, or no imports are given."},
	"niches.confidential":        {"ru": "объём скрыт: менее 3 покупателей", "en": "demand withheld: fewer than 3 buyers"},
	"niches.aggregated":          {"ru": "Показан укрупнённый спрос: данные отдельных участников доступны только членам кластера.", "en": "Aggregated demand only: individual participants' figures are for cluster members."},
	"factor.gap":                 {"ru": "Размер разрыва", "en": "Gap size"},
	"factor.buyers":              {"ru": "Гарантированный спрос", "en": "Guaranteed demand"},
	"factor.import_substitution": {"ru": "Импортозамещение", "en": "Import substitution"},
	"factor.adjacent":            {"ru": "Смежные компетенции", "en": "Adjacent capability"},
	"factor.specialization":      {"ru": "Специализация региона", "en": "Regional specialisation"},
	"matches.title":              {"ru": "Возможные поставщики для импортируемой продукции", "en": "Possible suppliers of imported products"},
	"matches.buyer":              {"ru": "Покупатель", "en": "Buyer"},
	"matches.supplier":           {"ru": "Возможный поставщик", "en": "Possible supplier"},
	"matches.kind":               {"ru": "Совпадение", "en": "Match"},
	"matches.proximity":          {"ru": "Близость", "en": "Proximity"},
	"matches.exact":              {"ru": "та же продукция", "en": "same product"},
	"matches.same_group":         {"ru": "та же группа ОКПД2", "en": "same OKPD2 group"},
	"prox.same_region":           {"ru": "тот же регион", "en": "same region"},
	"prox.same_district":         {"ru": "тот же федеральный округ", "en": "same federal district"},
	"prox.other":                 {"ru": "другой округ", "en": "other district"},
	"prox.unknown":               {"ru": "регион не указан", "en": "region unknown"},
	"matches.none":               {"ru": "Совпадений нет.", "en": "No matches."},
	"participant.place":          {"ru": "Место в цепочке", "en": "Place in the chain"},
	"participant.suppliers":      {"ru": "Поставщики", "en": "Cooperation matches"},
	"participant.buyers":         {"ru": "Покупатели", "en": "Buyers"},
	"participant.imports":        {"ru": "Импортные закупки", "en": "Imports"},
	"participant.capacities":     {"ru": "Мощности", "en": "Capacities"},
	"participant.metrics":        {"ru": "Показатели и что они значат", "en": "Metrics and what they mean"},
	"participant.none":           {"ru": "нет", "en": "none"},
	"col.product":                {"ru": "Продукция", "en": "Product"},
	"col.value":                  {"ru": "Объём, руб./год", "en": "Value, RUB/yr"},
	"col.country":                {"ru": "Страна", "en": "Country"},
	"col.year":                   {"ru": "Год", "en": "Year"},
	"col.metric":                 {"ru": "Показатель", "en": "Metric"},
	"col.meaning":                {"ru": "Что значит", "en": "Meaning"},
	"m.stage":                    {"ru": "Номер звена цепочки, считая от поставщиков сырья: 1 — начало цепочки.", "en": "The step of the chain counted from the raw-material suppliers: 1 is the start."},
	"m.pagerank":                 {"ru": "Какая доля «веса» цепочки сходится к участнику через его закупки (у всех участников вместе — 100 %): высокая у крупных покупателей в конце цепочки.", "en": "How much of the chain's weight converges on the participant through its purchases (100% for all participants together): high for big buyers at the end of the chain."},
	"m.supplier_rank":            {"ru": "То же в обратную сторону: какая доля цепочки зависит от участника как от поставщика (у всех вместе — 100 %).", "en": "The same the other way: how much of the chain depends on the participant as a supplier (100% for all together)."},
	"m.betweenness":              {"ru": "Доля кратчайших путей между другими участниками, проходящих через этого: насколько он связующее звено.", "en": "The share of the shortest paths between other participants that pass through this one: how much it links others."},
	"m.removal":                  {"ru": "Какую долю закупок производителей конечной продукции потеряет кластер, если участник уйдёт, с учётом всей цепочки.", "en": "The share of final producers' inputs the cluster loses if the participant leaves, along the whole chain."},
	"m.import_direct":            {"ru": "Импорт в закупках участника: импорт / (импорт + закупки у участников кластера).", "en": "Imports in the participant's purchases: imports / (imports + purchases from participants)."},
	"m.import_total":             {"ru": "Импорт участника вместе с импортом в закупках у его поставщиков (модель Леонтьева).", "en": "The participant's imports together with those in what its suppliers sell it (Leontief model)."},
	"m.reach":                    {"ru": "Сколько участников поставляют ему — прямо или через других (выше) — и сколько получают его продукцию (ниже).", "en": "How many participants supply it, directly or through others (upstream), and how many receive its products (downstream)."},
	"m.insufficient":             {"ru": "недостаточно данных", "en": "insufficient data"},
	"scen.title":                 {"ru": "Сценарии «что если»", "en": "What-if scenarios"},
	"scen.intro":                 {"ru": "Сценарий не меняет сохранённые данные: изменения применяются к копии и сравниваются с базой.", "en": "A scenario never changes the stored data: changes apply to a copy, compared with the base."},
	"scen.new":                   {"ru": "Новый сценарий", "en": "New scenario"},
	"scen.name":                  {"ru": "Название сценария", "en": "Scenario name"},
	"scen.producer":              {"ru": "Новый производитель (ID и наименование)", "en": "New producer (ID and name)"},
	"scen.producer.id":           {"ru": "ID нового участника", "en": "New participant's ID"},
	"scen.producer.name":         {"ru": "Наименование нового участника", "en": "New participant's name"},
	"scen.capacity":              {"ru": "Мощность по продукции", "en": "Capacity for a product"},
	"scen.capacity.owner":        {"ru": "Чья мощность", "en": "Whose capacity"},
	"scen.capacity.product":      {"ru": "Продукция (код ОКПД2)", "en": "Product (OKPD2 code)"},
	"scen.capacity.value":        {"ru": "Мощность, руб./год", "en": "Capacity, RUB/yr"},
	"scen.remove":                {"ru": "Участник уходит из кластера", "en": "A participant leaves"},
	"scen.link":                  {"ru": "Новая кооперационная связь", "en": "New supply link"},
	"scen.link.supplier":         {"ru": "Поставщик", "en": "Supplier"},
	"scen.link.buyer":            {"ru": "Покупатель", "en": "Buyer"},
	"scen.link.product":          {"ru": "Продукция (код)", "en": "Product (code)"},
	"scen.link.value":            {"ru": "Объём, руб./год", "en": "Value, RUB/yr"},
	"scen.none":                  {"ru": "— нет —", "en": "— none —"},
	"scen.newproducer":           {"ru": "новый производитель", "en": "the new producer"},
	"scen.save":                  {"ru": "Рассчитать и сохранить", "en": "Compute and save"},
	"scen.saved":                 {"ru": "Сохранённые сценарии", "en": "Saved scenarios"},
	"scen.nosaved":               {"ru": "Сценариев пока нет.", "en": "No scenarios yet."},
	"scen.compare":               {"ru": "Сравнение с базой", "en": "Compared with the base"},
	"scen.base":                  {"ru": "База", "en": "Base"},
	"scen.scenario":              {"ru": "Сценарий", "en": "Scenario"},
	"scen.closed":                {"ru": "ниша закрыта", "en": "niche closed"},
	"scen.totalgap":              {"ru": "Суммарный разрыв, руб./год", "en": "Total gap, RUB/yr"},
	"scen.importcontent":         {"ru": "Изменение импортоёмкости", "en": "Change in import content"},
	"scen.changes":               {"ru": "Изменения", "en": "Changes"},
	"scen.delete":                {"ru": "Удалить сценарий", "en": "Delete scenario"},
	"scen.readonly":              {"ru": "Создавать сценарии могут редакторы кластера.", "en": "Cluster editors can create scenarios."},
	"report.title":               {"ru": "Отчёт стратегической сессии", "en": "Planning session report"},
	"report.print":               {"ru": "Печать / PDF", "en": "Print / PDF"},
	"report.xlsx":                {"ru": "Скачать XLSX", "en": "Download XLSX"},
	"report.html":                {"ru": "Отчёт для печати", "en": "Printable report"},
	"report.generated":           {"ru": "Сформирован", "en": "Generated"},
	"report.scenarios":           {"ru": "Сценарии в сравнении с базой", "en": "Scenarios compared with the base"},
	"job.title":                  {"ru": "Идёт расчёт", "en": "Computing"},
	"job.wait":                   {"ru": "Анализ большой сети занимает время. Страница обновится сама.", "en": "Analysing a large network takes a while. The page refreshes by itself."},
	"err.title":                  {"ru": "Ошибка", "en": "Error"},
	"err.back":                   {"ru": "Вернуться к реестру", "en": "Back to the registry"},
	"rub":                        {"ru": "руб.", "en": "RUB"},
	"yes":                        {"ru": "да", "en": "yes"},
	"no":                         {"ru": "нет", "en": "no"},
	"open":                       {"ru": "Открыть", "en": "Open"},
	"kind.enterprise":            {"ru": "предприятие", "en": "enterprise"},
	"kind.sopc":                  {"ru": "СОПК", "en": "SOPC"},
	"kind.university":            {"ru": "вуз", "en": "university"},
	"kind.research":              {"ru": "научная организация", "en": "research"},
	"kind.infrastructure":        {"ru": "инфраструктура", "en": "infrastructure"},
	"kind.finance":               {"ru": "финансы", "en": "finance"},
	"kind.foreign_supplier":      {"ru": "иностранный поставщик", "en": "foreign supplier"},
	"final":                      {"ru": "производитель конечной продукции", "en": "final producer"},
}

// T returns the text of key in lang, falling back to Russian and then the key.
func T(lang, key string) string {
	if m, ok := messages[key]; ok {
		if s := m[lang]; s != "" {
			return s
		}
		return m["ru"]
	}
	return key
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := messages[key]
	return ok
}

// Keys lists the catalogue's keys with their texts (for tests).
func Keys() map[string]map[string]string { return messages }
