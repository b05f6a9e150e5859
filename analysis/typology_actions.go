package analysis

import "fmt"

// Action is a recommended action for a cluster of a type, with the line of
// the document it is taken from.
type Action struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	TextRU string `json:"text_ru"`
	Source string `json:"source"`
}

// The actions the documents name. Document 004 gives two examples of
// actions chosen by type (343–353); the Atlas lists the SOPC's functions
// (001:320-326).
var (
	actAttract = Action{ID: "attract_organisations", Source: "004:343-349",
		Text:   "Attract more organisations of the same and related industries to build the critical mass",
		TextRU: "Привлечение большего числа организаций из отдельно взятой и схожих отраслей для создания критической массы"}
	actInfrastructure = Action{ID: "build_infrastructure", Source: "004:343-353",
		Text:   "Build physical infrastructure for better communication and information exchange between the companies already in the cluster",
		TextRU: "Формирование физической инфраструктуры для лучшей коммуникации и обмена информацией между уже имеющимися компаниями"}
	actCollect = Action{ID: "collect_data", Source: "001:323",
		Text:   "Collect the participants' figures and cooperation links (the SOPC's yearly data collection): without them the type cannot be told",
		TextRU: "Оперативный ежегодный сбор информации об участниках и их кооперационных связях: без этих данных тип кластера не определить"}
	actNiches = Action{ID: "identify_niches", Source: "001:322",
		Text:   "Identify investment niches for import substitution",
		TextRU: "Выявление инвестиционных ниш с целью импортозамещения"}
	actInvest = Action{ID: "attract_investment", Source: "001:324",
		Text:   "Attract investment (budget and private)",
		TextRU: "Привлечение инвестиций (как бюджетных, так и внебюджетных)"}
)

// actionsFor returns the actions for a type and a note on how they were
// chosen: document 004 names the two actions; matching them to the types
// is coopchain's reading (attracting organisations where the critical mass
// is lacking, infrastructure for exchange where the mass is there but the
// interaction is not).
func actionsFor(typ string) ([]Action, string, string) {
	const readEN = "Document 004 (343–353) says the type is determined to choose the actions that will work and names two examples; which example fits which type is coopchain's reading."
	const readRU = "Доклад ЕАБР о кластерном развитии (2019): тип кластера определяют, чтобы понять, какие действия будут эффективны, и приводит два примера; соответствие примеров типам — прочтение coopchain."
	switch typ {
	case TypeLatent:
		return []Action{actInfrastructure}, readEN, readRU
	case TypePotential, TypeStateSupported, TypeWishful:
		return []Action{actAttract}, readEN, readRU
	case TypeWorking:
		return []Action{actNiches, actInvest},
			"Document 004 names no action for a working cluster: shown are the SOPC's functions the Atlas lists (001:320-326).",
			"Доклад ЕАБР не называет действий для рабочего кластера: приведены основные функции СОПК из Атласа промышленных кластеров."
	}
	return []Action{actCollect},
		"The type cannot be told without participant data: the first action is the SOPC's yearly data collection (001:323).",
		"Без данных об участниках тип не определить: первое действие — оперативный ежегодный сбор информации (основная функция СОПК по Атласу)."
}

// TypologySettings lists the typology's cut-offs: two come from the
// sources (PP-779's five enterprises, 001:276; LQ above 1, 004:1747), the
// others are coopchain's settings.
func TypologySettings() []Setting {
	own, ownRU := "coopchain's setting, not from the sources", "настройка coopchain, в источниках не приводится"
	return []Setting{
		{Name: "mass_participants", Value: MassParticipants, Default: MassParticipants,
			Text: fmt.Sprintf("critical mass: at least %d participants — %s", MassParticipants, own), TextRU: fmt.Sprintf("критическая масса: не менее %d участников — %s", MassParticipants, ownRU)},
		{Name: "mass_enterprises", Value: MassEnterprises, Default: MassEnterprises,
			Text: fmt.Sprintf("critical mass: at least %d industrial enterprises — PP-779's minimum (001:276)", MassEnterprises), TextRU: fmt.Sprintf("критическая масса: не менее %d промышленных предприятий — минимум ПП РФ № 779", MassEnterprises)},
		{Name: "some_participants", Value: SomeParticipants, Default: SomeParticipants,
			Text: fmt.Sprintf("partial critical mass: at least %d participants — %s", SomeParticipants, own), TextRU: fmt.Sprintf("частичная критическая масса: не менее %d участников — %s", SomeParticipants, ownRU)},
		{Name: "specialisation_lq", Value: SpecialisationLQ, Default: SpecialisationLQ,
			Text: "specialised region: location quotient above 1 — document 004 (1747)", TextRU: "специализация региона: коэффициент локализации выше 1 — доклад ЕАБР о кластерном развитии (2019)"},
		{Name: "strong_share", Value: StrongShare, Default: StrongShare,
			Text: fmt.Sprintf("strong interaction: intra-cluster cooperation share at least %.0f%% — %s", 100*StrongShare, own), TextRU: fmt.Sprintf("сильное взаимодействие: доля поставок внутри кластера не менее %s\u00a0%% — %s", pctRU(StrongShare), ownRU)},
		{Name: "strong_density", Value: StrongDensity, Default: StrongDensity,
			Text: fmt.Sprintf("strong interaction: link density at least %.2f — %s", StrongDensity, own), TextRU: fmt.Sprintf("сильное взаимодействие: плотность связей не менее %s — %s", commaDecimal(fmt.Sprintf("%.2f", StrongDensity)), ownRU)},
	}
}
