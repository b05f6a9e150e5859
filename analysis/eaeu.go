package analysis

import (
	"fmt"
	"math"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// EAEUParticipant is a participant of a proposed EAEU cooperation project.
type EAEUParticipant struct {
	Name          string `json:"name"`
	Country       string `json:"country"` // ISO 3166 alpha-2 or the state's name (Казахстан, Belarus …)
	ParticipantID string `json:"participant_id,omitempty"`
}

// EAEUProject is a proposed joint cooperation project (совместный
// кооперационный проект) for the EAEU's financial support. Amounts are in
// roubles; rates in percent a year.
type EAEUProject struct {
	Name         string            `json:"name,omitempty"`
	Type         string            `json:"type"` // production, technological, services, investment
	Participants []EAEUParticipant `json:"participants"`
	// ProductionCostRUB is the cost of the project's products (the base of
	// production cooperation); ProjectCostRUB the cost of the project (the
	// base of the other types).
	ProductionCostRUB *float64 `json:"production_cost_rub,omitempty"`
	ProjectCostRUB    *float64 `json:"project_cost_rub,omitempty"`
	// CooperationRUB is the part of the base that falls to the participants
	// from the other member states: components, technology, services or
	// investment they bring.
	CooperationRUB *float64 `json:"cooperation_rub,omitempty"`
	DurationYears  *float64 `json:"duration_years,omitempty"` // the project's implementation term
	LoanRUB        *float64 `json:"loan_rub,omitempty"`
	LoanRatePct    *float64 `json:"loan_rate_pct,omitempty"`
	KeyRatePct     *float64 `json:"key_rate_pct,omitempty"` // the key rate of the national bank whose currency the loan is in
	SubsidyYears   *int     `json:"subsidy_years,omitempty"`
	// AuthorisedLender: the loan comes from an authorised bank or
	// development institution of a member state (nil: not said).
	AuthorisedLender *bool `json:"authorised_lender,omitempty"`
}

// EAEU check verdicts.
const (
	Eligible    = "eligible"
	NotEligible = "not_eligible"
	Incomplete  = "incomplete" // nothing fails, but some rule cannot be checked
)

// EAEUCheck says whether a project meets the EAEU mechanism's conditions,
// rule by rule, and the most it could be compensated.
type EAEUCheck struct {
	Status   string                  `json:"status"` // eligible, not_eligible, incomplete
	Eligible bool                    `json:"eligible"`
	States   []string                `json:"states"`      // member states among the participants
	Outside  []string                `json:"non_members"` // participants' countries outside the Union
	Type     *gm.EAEUCooperationType `json:"type,omitempty"`
	Rules    []Rule                  `json:"rules"`
	// RequiredCooperationRUB is the type's share of its base: the least
	// part the partners from the other member states must bring.
	RequiredCooperationRUB *float64 `json:"required_cooperation_rub,omitempty"`
	// The compensation: 100% of the key rate on the loan, at most the cap a
	// year, for at most the subsidy term. Zero when not eligible.
	CompensationPerYearRUB float64 `json:"max_compensation_per_year_rub"`
	CompensationYears      int     `json:"compensation_years"`
	CompensationRUB        float64 `json:"max_compensation_rub"`
	Explanation            string  `json:"explanation"`
	ExplanationRU          string  `json:"explanation_ru"`
	Decision               string  `json:"decision"`
}

// countryNames maps the ways a state is written to its ISO code.
var countryNames = map[string]string{
	"армения": "AM", "республика армения": "AM", "armenia": "AM",
	"беларусь": "BY", "белоруссия": "BY", "республика беларусь": "BY", "belarus": "BY",
	"казахстан": "KZ", "республика казахстан": "KZ", "kazakhstan": "KZ",
	"киргизия": "KG", "кыргызстан": "KG", "кыргызская республика": "KG", "kyrgyzstan": "KG", "kyrgyz republic": "KG",
	"россия": "RU", "рф": "RU", "российская федерация": "RU", "russia": "RU", "russian federation": "RU",
	"узбекистан": "UZ", "uzbekistan": "UZ", "таджикистан": "TJ", "tajikistan": "TJ", "азербайджан": "AZ", "azerbaijan": "AZ",
	"турция": "TR", "turkey": "TR", "türkiye": "TR", "китай": "CN", "кнр": "CN", "china": "CN",
}

// CountryCode returns the ISO 3166 alpha-2 code of a country written as a
// code or a name (Russian or English); "" when unknown.
func CountryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 && isASCIILetters(s) {
		return strings.ToUpper(s)
	}
	return countryNames[strings.ToLower(s)]
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// CheckEAEU checks a proposed project against the rules. An unknown
// cooperation type or country is an EINVALID error.
func CheckEAEU(r gm.EAEURules, p EAEUProject) (*EAEUCheck, error) {
	c, err := newEAEUCheck(r, p)
	if err != nil {
		return nil, err
	}
	for _, rule := range eaeuRules {
		c.Rules = append(c.Rules, rule(r, p, c))
	}
	c.Status = Eligible
	for _, x := range c.Rules {
		if x.Status == Fail {
			c.Status = NotEligible
		} else if x.Status == Unknown && c.Status == Eligible {
			c.Status = Incomplete
		}
	}
	c.Eligible = c.Status == Eligible
	compensate(r, p, c)
	return c, nil
}

// eaeuRules are the mechanism's conditions, in the order they are shown:
// each judges the project and explains its verdict with its source.
var eaeuRules = []func(gm.EAEURules, EAEUProject, *EAEUCheck) Rule{
	eaeuMemberStates, eaeuCooperation, eaeuProjectTerm, eaeuLoanRate, eaeuLender,
}

// newEAEUCheck validates the project and sorts its participants' countries
// into member states and the rest.
func newEAEUCheck(r gm.EAEURules, p EAEUProject) (*EAEUCheck, error) {
	c := &EAEUCheck{States: []string{}, Outside: []string{}, Decision: r.Decision}
	var bad []gm.Problem
	states, outside := map[string]bool{}, map[string]bool{}
	for i, pt := range p.Participants {
		cc := CountryCode(pt.Country)
		if cc == "" {
			bad = append(bad, gm.Problem{Column: fmt.Sprintf("participants[%d].country", i), Value: pt.Country, Message: "unknown country: give an ISO code (KZ) or a name", MessageRU: "неизвестная страна: укажите код ISO (KZ) или название"})
			continue
		}
		if r.IsMember(cc) {
			states[cc] = true
		} else {
			outside[cc] = true
		}
	}
	if p.Type != "" {
		t, ok := r.Type(p.Type)
		if !ok {
			var ids []string
			for _, x := range r.Types {
				ids = append(ids, x.ID)
			}
			bad = append(bad, gm.Problem{Column: "type", Value: p.Type, Message: "unknown cooperation type: one of " + strings.Join(ids, ", "), MessageRU: "неизвестный вид кооперации: один из " + strings.Join(ids, ", ")})
		} else {
			c.Type = &t
		}
	}
	for name, v := range map[string]*float64{"production_cost_rub": p.ProductionCostRUB, "project_cost_rub": p.ProjectCostRUB, "cooperation_rub": p.CooperationRUB,
		"duration_years": p.DurationYears, "loan_rub": p.LoanRUB, "loan_rate_pct": p.LoanRatePct, "key_rate_pct": p.KeyRatePct} {
		if v != nil && (*v < 0 || math.IsNaN(*v) || math.IsInf(*v, 0)) {
			bad = append(bad, gm.Problem{Column: name, Value: fmt.Sprint(*v), Message: "must be a number of at least 0", MessageRU: "должно быть неотрицательным числом"})
		}
	}
	if p.SubsidyYears != nil && *p.SubsidyYears < 1 {
		bad = append(bad, gm.Problem{Column: "subsidy_years", Value: fmt.Sprint(*p.SubsidyYears), Message: "must be at least 1", MessageRU: "должно быть не меньше 1"})
	}
	if len(bad) > 0 {
		sort.Slice(bad, func(i, j int) bool { return bad[i].Column < bad[j].Column })
		return nil, gm.Invalid("invalid project", bad)
	}
	c.States, c.Outside = keys(states), keys(outside)
	return c, nil
}

// withSource appends the rule's source to both evidences.
func withSource(x Rule, src string) Rule {
	x.Evidence += " [" + src + "]"
	x.EvidenceRU += " [" + src + "]"
	return x
}

// eaeuMemberStates: participants from at least MinStates member states.
func eaeuMemberStates(r gm.EAEURules, _ EAEUProject, c *EAEUCheck) Rule {
	st := Rule{ID: "member_states", Title: fmt.Sprintf("Participants from at least %d EAEU member states", r.MinStates),
		TitleRU: fmt.Sprintf("Участники не менее чем из %d государств – членов ЕАЭС", r.MinStates), Status: Pass, Participants: c.States}
	if len(c.States) < r.MinStates {
		st.Status = Fail
	}
	st.Evidence = fmt.Sprintf("%d member state(s): %s", len(c.States), strings.Join(c.States, ", "))
	st.EvidenceRU = fmt.Sprintf("государств – членов ЕАЭС: %d (%s)", len(c.States), statesRU(c.States))
	if len(c.Outside) > 0 {
		st.Evidence += "; not counted (outside the Union): " + strings.Join(c.Outside, ", ")
		st.EvidenceRU += "; не учитываются (не члены Союза): " + statesRU(c.Outside)
	}
	return withSource(st, r.Sources["min_states"])
}

// eaeuCooperation: the form of cooperation and the partners' share of its
// base.
func eaeuCooperation(_ gm.EAEURules, p EAEUProject, c *EAEUCheck) Rule {
	ty := Rule{ID: "cooperation", Title: "A form of cooperation with the partners' share of its base", TitleRU: "Вид кооперации и доля партнёров из других государств – членов"}
	if c.Type == nil {
		ty.Status = Unknown
		ty.Evidence, ty.EvidenceRU = "no cooperation type given", "вид кооперации не указан"
		return ty
	}
	base, baseName, baseRU := p.ProjectCostRUB, "project cost", "стоимости проекта"
	if c.Type.Base == gm.BaseProductionCost {
		base, baseName, baseRU = p.ProductionCostRUB, "production cost", "себестоимости продукции"
	}
	share := c.Type.SharePct / 100
	if base != nil {
		req := share * *base
		c.RequiredCooperationRUB = &req
	}
	switch {
	case base == nil || p.CooperationRUB == nil:
		ty.Status = Unknown
		ty.Evidence = fmt.Sprintf("%s: the partners must bring at least %g%% of the %s; give %s and cooperation_rub", c.Type.NameEN, c.Type.SharePct, baseName,
			map[bool]string{true: "production_cost_rub", false: "project_cost_rub"}[c.Type.Base == gm.BaseProductionCost])
		ty.EvidenceRU = fmt.Sprintf("%s: доля партнёров — не менее %g%% от %s; укажите её и стоимость", c.Type.Name, c.Type.SharePct, baseRU)
	case *base <= 0:
		ty.Status = Fail
		ty.Evidence, ty.EvidenceRU = "the "+baseName+" is zero", "база ("+baseRU+") равна нулю"
	default:
		got := *p.CooperationRUB / *base
		ty.Status = Pass
		if got+1e-12 < share {
			ty.Status = Fail
		}
		ty.Evidence = fmt.Sprintf("%s: partners bring %.1f%% of the %s (at least %g%%: %s RUB of %s)", c.Type.NameEN, 100*got, baseName, c.Type.SharePct, money(*c.RequiredCooperationRUB), money(*base))
		ty.EvidenceRU = fmt.Sprintf("%s: доля партнёров %s%% от %s (нужно не менее %g%%: %s руб. из %s)", c.Type.Name, commaDecimal(fmt.Sprintf("%.1f", 100*got)), baseRU, c.Type.SharePct,
			moneyRU(*c.RequiredCooperationRUB), moneyRU(*base))
	}
	return withSource(ty, c.Type.Source)
}

// eaeuProjectTerm: the project lasts at most MaxProjectYears.
func eaeuProjectTerm(r gm.EAEURules, p EAEUProject, _ *EAEUCheck) Rule {
	term := Rule{ID: "project_term", Title: fmt.Sprintf("The project lasts at most %d years", r.MaxProjectYears), TitleRU: fmt.Sprintf("Срок реализации проекта — не более %d лет", r.MaxProjectYears)}
	if p.DurationYears == nil {
		term.Status, term.Evidence, term.EvidenceRU = Unknown, "duration_years not given", "срок проекта не указан"
	} else {
		term.Status = map[bool]string{true: Pass, false: Fail}[*p.DurationYears <= float64(r.MaxProjectYears)]
		term.Evidence = fmt.Sprintf("%g years", *p.DurationYears)
		term.EvidenceRU = yearsRU(*p.DurationYears)
	}
	return withSource(term, r.Sources["max_project_years"])
}

// eaeuLoanRate: the loan's rate is at most the key rate plus the margin.
func eaeuLoanRate(r gm.EAEURules, p EAEUProject, _ *EAEUCheck) Rule {
	rate := Rule{ID: "loan_rate", Title: fmt.Sprintf("The loan's rate is at most the key rate + %g pp", r.MaxRateMarginPP),
		TitleRU: fmt.Sprintf("Ставка кредита/займа — не более ключевой ставки + %s п. п.", commaDecimal(fmt.Sprint(r.MaxRateMarginPP)))}
	switch {
	case p.LoanRatePct == nil || p.KeyRatePct == nil:
		rate.Status, rate.Evidence, rate.EvidenceRU = Unknown, "give loan_rate_pct and key_rate_pct", "укажите ставку кредита и ключевую ставку"
	default:
		limit := *p.KeyRatePct + r.MaxRateMarginPP
		rate.Status = map[bool]string{true: Pass, false: Fail}[*p.LoanRatePct <= limit+1e-9]
		rate.Evidence = fmt.Sprintf("loan rate %g%%, at most %g%% (key rate %g%% + %g)", *p.LoanRatePct, limit, *p.KeyRatePct, r.MaxRateMarginPP)
		rate.EvidenceRU = commaDecimal(fmt.Sprintf("ставка %g%%, допустимо не более %g%%", *p.LoanRatePct, limit)) + commaDecimal(fmt.Sprintf(" (ключевая ставка %g%%", *p.KeyRatePct)) + " + " + commaDecimal(fmt.Sprint(r.MaxRateMarginPP)) + ")"
	}
	return withSource(rate, r.Sources["max_rate_margin_pp"])
}

// eaeuLender: the support covers loans of authorised banks and development
// institutions of the member states (001:660).
func eaeuLender(r gm.EAEURules, p EAEUProject, _ *EAEUCheck) Rule {
	x := Rule{ID: "authorised_lender", Title: "The loan comes from an authorised bank or development institution of a member state",
		TitleRU: "Кредит или заём выдаёт уполномоченный банк или институт развития государства – члена ЕАЭС"}
	switch {
	case p.AuthorisedLender == nil:
		x.Status, x.Evidence, x.EvidenceRU = Unknown, "say whether the lender is an authorised bank or development institution (authorised_lender)", "укажите, выдаёт ли кредит уполномоченный банк или институт развития"
	case *p.AuthorisedLender:
		x.Status, x.Evidence, x.EvidenceRU = Pass, "the lender is authorised", "кредитор — уполномоченный банк или институт развития"
	default:
		x.Status, x.Evidence, x.EvidenceRU = Fail, "the lender is not an authorised bank or development institution", "кредитор не является уполномоченным банком или институтом развития"
	}
	return withSource(x, r.Sources["authorised_lender"])
}

// compensate sets the compensation: 100% of the key rate on the loan (at
// most the loan's own interest), capped a year, for the subsidy term.
func compensate(r gm.EAEURules, p EAEUProject, c *EAEUCheck) {
	c.CompensationYears = r.SubsidyYears
	if p.SubsidyYears != nil && *p.SubsidyYears < r.SubsidyYears {
		c.CompensationYears = *p.SubsidyYears
	}
	capped := false
	if c.Status != NotEligible {
		c.CompensationPerYearRUB = r.MaxSubsidyRUBPerYear
		capped = true
		if p.LoanRUB != nil && p.KeyRatePct != nil {
			rateComp := *p.KeyRatePct * r.KeyRateCompensationShare
			if p.LoanRatePct != nil {
				rateComp = math.Min(rateComp, *p.LoanRatePct)
			}
			interest := *p.LoanRUB * rateComp / 100
			if interest < r.MaxSubsidyRUBPerYear {
				c.CompensationPerYearRUB, capped = interest, false
			}
		}
		c.CompensationRUB = c.CompensationPerYearRUB * float64(c.CompensationYears)
	}
	switch {
	case c.Status == NotEligible:
		c.Explanation = "not eligible: no compensation"
		c.ExplanationRU = "проект не соответствует условиям: компенсации нет"
	case capped:
		c.Explanation = fmt.Sprintf("at most %s RUB a year (the cap) for %d years, %s RUB in all; 100%% of the key rate on the loan is compensated", money(c.CompensationPerYearRUB), c.CompensationYears, money(c.CompensationRUB))
		c.ExplanationRU = fmt.Sprintf("не более %s руб. в год (предел) в течение %d лет, всего до %s руб.; компенсируется 100%% ключевой ставки по кредиту", moneyRU(c.CompensationPerYearRUB), c.CompensationYears, moneyRU(c.CompensationRUB))
	default:
		c.Explanation = fmt.Sprintf("%s RUB a year (100%% of the key rate on a loan of %s RUB) for %d years, %s RUB in all at most (less as the loan is repaid)",
			money(c.CompensationPerYearRUB), money(*p.LoanRUB), c.CompensationYears, money(c.CompensationRUB))
		c.ExplanationRU = fmt.Sprintf("%s руб. в год (100%% ключевой ставки по кредиту %s руб.) в течение %d лет, всего не более %s руб. (меньше по мере погашения кредита)",
			moneyRU(c.CompensationPerYearRUB), moneyRU(*p.LoanRUB), c.CompensationYears, moneyRU(c.CompensationRUB))
	}
	if c.Status == Incomplete {
		c.Explanation = "incomplete — some conditions cannot be checked; if they are met: " + c.Explanation
		c.ExplanationRU = "не хватает данных для части условий; если они выполнены: " + c.ExplanationRU
	}
}

// EAEUChain is a cooperation chain of the graph — a final producer and
// everyone upstream of it, with their imports — that already spans several
// EAEU member states.
type EAEUChain struct {
	FinalProducer string              `json:"final_producer"`
	Name          string              `json:"name"`
	States        []string            `json:"states"`
	ByState       map[string][]string `json:"by_state"` // state → participant ids, and "import:<participant>" for imports from that state
	Participants  int                 `json:"participants"`
}

// EAEUChains lists the chains of a dataset that span at least minStates
// member states: for every final producer (or, without any, every
// participant that supplies no one) the participants upstream of it. A
// participant's state is its country (Russia when none is given, unless it
// is a foreign supplier); an import from a member state adds that state.
func EAEUChains(d *gm.Dataset, r gm.EAEURules) []EAEUChain {
	parts := map[string]*gm.Participant{}
	for i := range d.Participants {
		parts[d.Participants[i].ID] = &d.Participants[i]
	}
	up := map[string][]string{}
	supplies := map[string]bool{}
	for _, l := range d.Links {
		if parts[l.SupplierID] == nil || parts[l.BuyerID] == nil || l.SupplierID == l.BuyerID {
			continue
		}
		up[l.BuyerID] = append(up[l.BuyerID], l.SupplierID)
		supplies[l.SupplierID] = true
	}
	imports := map[string][]string{} // participant → member states it imports from
	for _, m := range d.Imports {
		if cc := CountryCode(m.Country); cc != "" && r.IsMember(cc) {
			imports[m.ParticipantID] = append(imports[m.ParticipantID], cc)
		}
	}
	var ends []string
	for _, p := range d.Participants {
		if p.FinalProducer {
			ends = append(ends, p.ID)
		}
	}
	if len(ends) == 0 {
		for _, p := range d.Participants {
			if !supplies[p.ID] {
				ends = append(ends, p.ID)
			}
		}
	}
	sort.Strings(ends)
	state := func(p *gm.Participant) string {
		if p.Country == "" {
			if p.Kind == gm.KindForeignSupplier {
				return ""
			}
			return "RU"
		}
		return CountryCode(p.Country)
	}
	out := []EAEUChain{}
	for _, end := range ends {
		seen := map[string]bool{end: true}
		queue := []string{end}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, u := range up[v] {
				if !seen[u] {
					seen[u] = true
					queue = append(queue, u)
				}
			}
		}
		by := map[string][]string{}
		for id := range seen {
			if s := state(parts[id]); s != "" && r.IsMember(s) {
				by[s] = append(by[s], id)
			}
			for _, s := range imports[id] {
				by[s] = append(by[s], "import:"+id)
			}
		}
		if len(by) < r.MinStates {
			continue
		}
		ch := EAEUChain{FinalProducer: end, Name: parts[end].Name, ByState: map[string][]string{}, Participants: len(seen)}
		for s, ids := range by {
			ch.States = append(ch.States, s)
			ch.ByState[s] = dedupe(ids)
		}
		sort.Strings(ch.States)
		out = append(out, ch)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].States) > len(out[j].States) })
	return out
}

// eaeuStatesRU are the Union's member states by their ISO codes, as a
// Russian text names them.
var eaeuStatesRU = map[string]string{"AM": "Армения", "BY": "Беларусь", "KZ": "Казахстан", "KG": "Киргизия", "RU": "Россия"}

// statesRU names the states of a Russian text (a code the map lacks stays
// as given).
func statesRU(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		if n := eaeuStatesRU[strings.ToUpper(c)]; n != "" {
			c = n
		}
		out[i] = c
	}
	return strings.Join(out, ", ")
}

// yearsRU is a duration in years in Russian: «4 года», «5 лет», «2,5 года».
func yearsRU(v float64) string {
	if v == math.Trunc(v) && v >= 0 && v < 1e6 {
		n := int(v)
		return fmt.Sprintf("%d %s", n, gm.PluralRU(n, "год", "года", "лет"))
	}
	return commaDecimal(fmt.Sprintf("%g", v)) + " года"
}
