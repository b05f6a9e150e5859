package analysis

import (
	"fmt"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Condition is one of a support measure's conditions checked for a niche:
// pass (it holds), fail, or unknown (the data cannot tell).
type Condition struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Text   string `json:"text"`
	TextRU string `json:"text_ru"`
}

// conditionCtx is what the conditions are checked against.
type conditionCtx struct {
	m          gm.SupportMeasure
	niche      *Niche
	cluster    *gm.Cluster
	candidate  *Candidate // the region a regional measure is matched in
	candidates []Candidate
	year       int
}

// platformSectors are the sectors of the cluster investment platform's
// 1–100 bn RUB footnote (001:368) as OKPD2 prefixes: medicines and
// materials for medical use (21), metalworking equipment and machine tools
// (28.41, 28.49) and interchangeable tools for machine tools (25.73.4).
var platformSectors = []struct{ prefix, en, ru string }{
	{"21", "medicines and materials for medical use", "лекарственные средства и материалы, применяемые в медицинских целях"},
	{"28.41", "metalworking equipment", "металлообрабатывающее оборудование"},
	{"28.49", "machine tools", "станки"},
	{"25.73.4", "interchangeable tools for machine tools", "сменный рабочий инструмент для станков"},
}

// checkCondition checks one condition of the measure for the niche.
func checkCondition(id string, cc conditionCtx) Condition {
	c := Condition{ID: id, Status: Unknown}
	set := func(status, en, ru string) Condition { c.Status, c.Text, c.TextRU = status, en, ru; return c }
	n := cc.niche
	switch id {
	case gm.CondClusterParticipant:
		return clusterParticipant(cc.cluster, c)
	case gm.CondImportSubstitution:
		switch {
		case n.ImportSubstitution:
			return set(Pass, "the product is on an import-substitution list", "продукция входит в перечень импортозамещающей продукции")
		case !n.ImportSubstitutionKnown:
			return set(Unknown, "the product is not in the data's catalogue: whether it is on an import-substitution list is unknown", "продукции нет в каталоге данных: входит ли она в перечни импортозамещающей продукции, неизвестно")
		}
		return set(Fail, "the product is on no import-substitution list (as the cluster's data says)", "продукция не входит в перечни импортозамещающей продукции (по данным кластера)")
	case gm.CondJointProject:
		if n.Buyers > 0 {
			return set(Pass, fmt.Sprintf("a joint project with the cluster's participants: %d of them import the product and would buy the starting batch", n.Buyers),
				fmt.Sprintf("совместный проект с участниками кластера: продукцию %s %d %s — покупатели стартовой партии", gm.PluralRU(n.Buyers, "импортирует", "импортируют", "импортируют"), n.Buyers, participantsRU(n.Buyers)))
		}
		return set(Unknown, "no participant of the cluster imports the product", "продукцию не импортирует ни один участник кластера")
	case gm.CondPlatformSector:
		return platformSector(cc, c)
	case gm.CondPlatformAmount:
		// No niche figure here: the text is shown to investors, and a
		// niche's demand may be confidential.
		return set(Unknown, "a loan of 1 to 100 bn RUB: the project's size is not in the data", "кредит от 1 до 100 млрд руб.: объёма проекта в данных нет")
	case gm.CondTermsNotInText:
		return set(Unknown, "the Atlas gives the measure's conditions as an image, not in its text: check them at the source", "условия меры даны в Атласе изображением, а не текстом: проверьте их по первоисточнику")
	case gm.CondExport:
		return set(Unknown, "for promoting products on foreign markets: applies if the product is to be exported", "мера — для продвижения продукции на внешние рынки: применима, если продукция пойдёт на экспорт")
	case gm.CondEAEUStates:
		return set(Unknown, "partners from at least 3 EAEU member states: check the project on the EAEU page", "партнёры не менее чем из 3 государств – членов ЕАЭС: проверьте проект на странице «ЕАЭС»")
	case gm.CondEAEULender:
		return set(Unknown, "the loan must come from an authorised bank or development institution of a member state", "кредит должен выдать уполномоченный банк или институт развития государства – члена ЕАЭС")
	case gm.CondRegion:
		if cc.candidate == nil {
			return set(Unknown, "the production's region is not chosen", "регион размещения производства не выбран")
		}
		en, ru := whyRegional(*cc.candidate)
		return set(Pass, en, ru)
	case gm.CondNewProduction:
		return set(Pass, "the niche is a new production: the costs of starting it are reimbursed", "ниша — запуск нового производства: затраты на запуск возмещаются")
	case gm.CondEquipment:
		return set(Unknown, "reimburses the costs of equipment (software, installation or certification, as the measure says): check the project's costs", "возмещаются затраты на оборудование (ПО, монтаж или сертификацию — по условиям меры): проверьте состав затрат проекта")
	case gm.CondModernisation:
		return set(Unknown, fmt.Sprintf("for modernising existing capacity: applies if a participant already in the cluster takes the niche (%d with adjacent capability)", len(n.Adjacent)),
			fmt.Sprintf("на модернизацию действующих мощностей: подходит, если нишу закроет действующий участник кластера (со смежными компетенциями: %d)", len(n.Adjacent)))
	case gm.CondRegionalSuppliers:
		return set(Unknown, "reimburses equipment bought from producers of the region", "возмещаются затраты на оборудование, купленное у производителей региона")
	case gm.CondRnD:
		return set(Unknown, "a loan for research and development: applies to the project's R&D part", "заём на НИОКР: применим к исследовательской части проекта")
	case gm.CondLoanTerms:
		return set(Unknown, cc.m.TermsEN+": whether it suits the project the data does not say", cc.m.Terms+": подходит ли заём проекту, в данных нет")
	case gm.CondValidUntil:
		switch {
		case cc.m.ValidUntil == 0 || cc.year == 0:
			return set(Unknown, "the measure's term or the year is not known", "срок действия меры или год данных неизвестен")
		case cc.year <= cc.m.ValidUntil:
			return set(Pass, fmt.Sprintf("available until the end of %d; the data is of %d", cc.m.ValidUntil, cc.year), fmt.Sprintf("мера действует до конца %d г.; данные %d г.", cc.m.ValidUntil, cc.year))
		}
		return set(Fail, fmt.Sprintf("available until the end of %d only; the data is of %d", cc.m.ValidUntil, cc.year), fmt.Sprintf("мера действовала до конца %d г.; данные %d г.", cc.m.ValidUntil, cc.year))
	}
	return set(Unknown, "condition "+id, "условие "+id)
}

// clusterParticipant: the measures are for participants of industrial
// clusters in the Ministry's registry.
func clusterParticipant(cl *gm.Cluster, c Condition) Condition {
	switch {
	case cl != nil && cl.RegistryNo > 0:
		c.Status = Pass
		c.Text = fmt.Sprintf("the production joins a cluster of the Ministry's registry (No %d): measures for cluster participants apply", cl.RegistryNo)
		c.TextRU = fmt.Sprintf("производство войдёт в кластер из реестра Минпромторга (№ %d): меры для участников промышленных кластеров применимы", cl.RegistryNo)
	case cl != nil && gm.IsEurasian(cl.Kind):
		c.Status = Fail
		c.Text = "the cluster is not in the Ministry's registry (planned, abroad or outside the registry): measures for participants of industrial clusters do not apply"
		c.TextRU = "кластер не внесён в реестр Минпромторга (планируемый, зарубежный или действующий вне реестра): меры для участников промышленных кластеров неприменимы"
	default:
		c.Text = "measures for participants of industrial clusters: the cluster's registry entry is not in the data"
		c.TextRU = "меры для участников промышленных кластеров: номера кластера в реестре Минпромторга в данных нет"
	}
	return c
}

// platformSector: the product is of a sector the platform's footnote
// names, or the production can be in the Far East.
func platformSector(cc conditionCtx, c Condition) Condition {
	code := cc.niche.ProductCode
	for _, s := range platformSectors {
		if strings.HasPrefix(code, s.prefix) {
			c.Status = Pass
			c.Text = fmt.Sprintf("the product (%s) is of a sector the platform names: %s", code, s.en)
			c.TextRU = fmt.Sprintf("продукция (%s) относится к отрасли, которую называет платформа: %s", code, s.ru)
			return c
		}
	}
	for _, cand := range cc.candidates {
		if cand.District == "ДФО" {
			c.Status = Pass
			c.Text = "the production can be placed in the Far East: " + cand.Region
			c.TextRU = "производство можно разместить в ДФО: " + cand.Region
			return c
		}
	}
	c.Status = Fail
	c.Text = "the product is of none of the sectors the platform names (medicines and medical materials, metalworking equipment and machine tools, tools for machine tools) and no candidate region is in the Far East; projects under agreements of intent with the Government are not in the data"
	c.TextRU = "продукция не относится к отраслям, которые называет платформа (лекарственные средства и медицинские материалы, металлообрабатывающее оборудование и станки, сменный инструмент для станков), и среди регионов размещения нет ДФО; проектов по соглашениям о намерениях с Правительством РФ в данных нет"
	return c
}

// matchMeasure checks every condition of a measure for a niche: it applies
// unless a condition fails. Why names the condition that decided: the
// failing one, else the ones that hold, with the ones to check.
func matchMeasure(cc conditionCtx, reason string) (MeasureMatch, bool) {
	mm := MeasureMatch{Measure: cc.m, Reason: reason, Conditions: []Condition{}}
	if cc.candidate != nil {
		mm.Region = cc.candidate.Region
	}
	var holdEN, holdRU, checkEN, checkRU []string
	for _, id := range cc.m.Conditions {
		c := checkCondition(id, cc)
		mm.Conditions = append(mm.Conditions, c)
		switch c.Status {
		case Fail:
		case Pass:
			holdEN, holdRU = append(holdEN, c.Text), append(holdRU, c.TextRU)
		default:
			checkEN, checkRU = append(checkEN, c.Text), append(checkRU, c.TextRU)
		}
	}
	for _, c := range mm.Conditions {
		if c.Status == Fail {
			mm.DecidedBy = c.ID
			mm.Why, mm.WhyRU = "does not apply: "+c.Text, "неприменима: "+c.TextRU
			return mm, false
		}
	}
	for _, c := range mm.Conditions {
		if c.Status == Pass {
			mm.DecidedBy = c.ID
			break
		}
	}
	switch {
	case len(holdEN) > 0:
		mm.Why, mm.WhyRU = "applies: "+strings.Join(holdEN, "; "), "применима: "+strings.Join(holdRU, "; ")
	default:
		mm.Why, mm.WhyRU = "may apply: the data cannot check its conditions", "может быть применима: условия по данным не проверить"
	}
	if len(checkEN) > 0 {
		mm.Why += ". To check: " + strings.Join(checkEN, "; ")
		mm.WhyRU += ". Проверить: " + strings.Join(checkRU, "; ")
	}
	return mm, true
}
