package i18n

// presentMessages are the messages of the planning-session presentation:
// counted words, plain names of the metrics, charts and the map, the
// presentation mode, error pages.
var presentMessages = map[string]map[string]string{
	// Counted words: the forms Plural picks from, separated by |.
	"n.participant": {"ru": "участник|участника|участников", "en": "participant|participants"},
	"n.cluster":     {"ru": "кластер|кластера|кластеров", "en": "cluster|clusters"},
	"n.buyer":       {"ru": "покупатель|покупателя|покупателей", "en": "buyer|buyers"},

	// The participant's metrics, named and explained for people.
	"col.figure":        {"ru": "Значение", "en": "Value"},
	"mn.stage":          {"ru": "Передел (звено цепочки)", "en": "Processing stage"},
	"mn.pagerank":       {"ru": "Значимость как покупателя", "en": "Weight as a buyer"},
	"mn.supplier_rank":  {"ru": "Значимость как поставщика", "en": "Weight as a supplier"},
	"mn.betweenness":    {"ru": "Посредничество", "en": "Go-between role"},
	"mn.reach":          {"ru": "Участников выше / ниже по цепочке", "en": "Participants upstream / downstream"},
	"mn.removal":        {"ru": "Ущерб от выбытия", "en": "Loss if it leaves"},
	"mn.import_direct":  {"ru": "Доля импорта в закупках", "en": "Imports in its purchases"},
	"mn.import_total":   {"ru": "Полная импортоёмкость", "en": "Total import content"},
	"m.stage.of":        {"ru": "из", "en": "of"},
	"participant.other": {"ru": "другая продукция", "en": "other products"},

	// Charts.
	"chart.gap":          {"ru": "Разрыв, руб./год", "en": "Gap, RUB/yr"},
	"chart.score":        {"ru": "Балл", "en": "Score"},
	"chart.nodata":       {"ru": "нет данных", "en": "no data"},
	"chart.niches.title": {"ru": "Ниши по размеру разрыва и их баллы", "en": "Niches by the size of their gap, with their scores"},
	"chart.niches.desc":  {"ru": "Длина полосы — разрыв между импортом и свободными мощностями кластера; справа — балл ниши (0–100).", "en": "Bar length: the gap between imports and the cluster's spare capacity; on the right: the niche's score (0–100)."},
	"chart.scen.title":   {"ru": "Разрыв по продукции: база и сценарий", "en": "Gap per product: base and scenario"},
	"chart.scen.desc":    {"ru": "Серая полоса — разрыв сейчас, синяя — в сценарии.", "en": "Grey bar: the gap now; blue: in the scenario."},
	"chart.rating.title": {"ru": "I Национальный рейтинг: баллы регионов по блокам", "en": "I National rating: the regions' points by block"},
	"chart.rating.desc":  {"ru": "Итоговый балл региона складывается из пяти блоков рейтинга.", "en": "A region's total is the sum of the rating's five blocks."},
	"chart.rating.unit":  {"ru": "Баллы, % от максимума (как в Атласе)", "en": "Points, % of the maximum (as the Atlas prints them)"},
	"rating.block.s1":    {"ru": "S1 — количественные показатели", "en": "S1 — quantitative indicators"},
	"rating.block.s2":    {"ru": "S2 — меры поддержки", "en": "S2 — support measures"},
	"rating.block.s3":    {"ru": "S3 — инвестиционные ниши", "en": "S3 — investment niches"},
	"rating.block.s4":    {"ru": "S4 — инфраструктура кластера", "en": "S4 — cluster infrastructure"},
	"rating.block.s5":    {"ru": "S5 — повышение компетенций", "en": "S5 — competence building"},
	"map.title":          {"ru": "Кластеры реестра по субъектам РФ", "en": "Registry clusters by region"},
	"map.desc":           {"ru": "Каждая клетка — субъект РФ; цвет и число — сколько кластеров реестра в нём работает. Нажмите на регион, чтобы показать только его кластеры.", "en": "Each tile is a federal subject; its colour and number tell how many registry clusters work there. Click a region to list only its clusters."},
	"map.legend":         {"ru": "Кластеров в регионе (нажмите на регион, чтобы отобрать его кластеры)", "en": "Clusters in the region (click a region to list its clusters)"},
	"map.none":           {"ru": "нет", "en": "none"},
	"map.more":           {"ru": "10 и более", "en": "10 or more"},
	"map.all":            {"ru": "Показать все регионы", "en": "Show every region"},
	"registry.hasdata":   {"ru": "есть данные участников", "en": "participant data"},
	"registry.datahint":  {"ru": "Отметка «есть данные участников» — у кластера загружены участники и связи: для него доступны схема цепочки, ниши и сценарии.", "en": "Marked \"participant data\": the cluster's participants and links are loaded, so its chain diagram, niches and scenarios are available."},

	// Presentation mode.
	"present.start": {"ru": "Презентация", "en": "Present"},
	"present.exit":  {"ru": "Выйти (Esc)", "en": "Exit (Esc)"},
	"present.help":  {"ru": "Презентация: ← и → (или PageUp и PageDown) — соседние вкладки, F — во весь экран, Esc — выход.", "en": "Presentation: ← and → (or PageUp and PageDown) move between tabs, F goes full screen, Esc leaves."},
	"cluster.fit":   {"ru": "Показать целиком", "en": "Show all"},

	// Error pages.
	"err.notfound.title":     {"ru": "Страница не найдена", "en": "Page not found"},
	"err.code.not_found":     {"ru": "Такой страницы, кластера или участника нет. Проверьте адрес или вернитесь к реестру.", "en": "There is no such page, cluster or participant. Check the address or go back to the registry."},
	"err.code.forbidden":     {"ru": "У вашего токена нет доступа к этой странице. Войдите с токеном этого кластера.", "en": "Your token has no access to this page. Sign in with a token for this cluster."},
	"err.code.invalid":       {"ru": "Запрос содержит ошибку.", "en": "The request has a mistake."},
	"err.code.conflict":      {"ru": "Данные изменились или конфликтуют с другими записями. Обновите страницу и повторите.", "en": "The data changed or clash with other records. Reload the page and try again."},
	"err.code.unprocessable": {"ru": "Эту схему или расчёт нельзя построить: выберите более узкое представление (одного участника или одну продукцию).", "en": "This diagram or computation cannot be made: choose a narrower view (one participant or one product)."},
	"err.code.unavailable":   {"ru": "Сервис временно занят или база данных недоступна. Повторите через минуту.", "en": "The service is busy or the database is unavailable. Try again in a minute."},
	"err.code.rate_limited":  {"ru": "Слишком много запросов. Повторите через несколько секунд.", "en": "Too many requests. Try again in a few seconds."},
	"err.code.too_large":     {"ru": "Файл или запрос слишком велик.", "en": "The file or request is too large."},
	"err.code.unsupported":   {"ru": "Этот формат не поддерживается.", "en": "This format is not supported."},
	"err.code.unauthorized":  {"ru": "Нужно войти с токеном доступа.", "en": "Sign in with an access token."},
	"err.code.internal":      {"ru": "Внутренняя ошибка сервиса. Она записана в журнал; повторите позже.", "en": "An internal error. It has been logged; try again later."},
	"err.details":            {"ru": "Что именно не так", "en": "What exactly is wrong"},
}
