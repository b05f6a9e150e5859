package analysis

import (
	"fmt"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Cluster types after M. Enright (2003), as document 004 summarises them
// (lines 284–340): working clusters have the critical mass and use it;
// latent ones have the critical mass but too little interaction; potential
// ones have some of the elements, to be deepened; state-supported ones were
// chosen by the state without the critical mass or the conditions for
// organic growth; wishful-thinking ones were chosen by the state with
// neither the critical mass nor any source of advantage.
const (
	TypeWorking        = "working"
	TypeLatent         = "latent"
	TypePotential      = "potential"
	TypeStateSupported = "state_supported"
	TypeWishful        = "wishful_thinking"
	TypeUnknown        = "unknown" // the data cannot tell (нет данных)
)

// Typology thresholds (README, «Investment proposals»).
const (
	// MassParticipants and MassEnterprises: the critical mass is reached
	// with at least this many participants, of which at least this many
	// industrial enterprises (the PP-779 minimum), and, when employment data
	// gives one, a location quotient of the cluster's industry above
	// SpecialisationLQ in one of its regions.
	MassParticipants = 10
	MassEnterprises  = 5
	// SomeParticipants: with at least this many participants (or a
	// specialised region) the cluster has some of the elements.
	SomeParticipants = 5
	// SpecialisationLQ: an LQ above 1 shows a possible specialisation
	// (document 004, line 1747).
	SpecialisationLQ = 1.0
	// StrongShare and StrongDensity: interaction is strong when the
	// intra-cluster cooperation share (value shipped to participants / all
	// value shipped) reaches StrongShare and the link density (pairs linked
	// / n(n−1)) reaches StrongDensity; some links below that are weak.
	StrongShare   = 0.20
	StrongDensity = 0.05
)

// Dimension levels.
const (
	LevelFull    = "full"    // critical mass reached
	LevelPartial = "partial" // some elements
	LevelNone    = "none"
	LevelStrong  = "strong"
	LevelWeak    = "weak"
	LevelUnknown = "unknown" // not in the data
	LevelYes     = "yes"
	LevelNo      = "no"
)

// TypologyInput is what the typology looks at. Counts come from the
// cluster's data, or from the registry when it has no data.
type TypologyInput struct {
	Participants     int
	Enterprises      *int     // nil when unknown (a registry entry without data)
	FromRegistry     bool     // counts from the registry, no participant data
	LQ               *float64 // the best LQ of the cluster's industry in its regions
	LQRegion         string
	LQIndustry       string
	CooperationShare *float64 // nil when no participant declares final sales
	Density          *float64 // nil without participant data
	Links            int
	Registered       bool     // in the Russian registry of industrial clusters (chosen by the state)
	MeasuresUsed     []string // support measures the cluster's participants received
	Illustrative     bool
}

// Dimension is one of the three things the typology weighs, explained.
type Dimension struct {
	Name          string `json:"name"`  // critical_mass, interaction, state_support
	Level         string `json:"level"` // full/partial/none, strong/weak/none/unknown, yes/no
	Explanation   string `json:"explanation"`
	ExplanationRU string `json:"explanation_ru"`
}

// Typology is a cluster's type after Enright with the reasons.
type Typology struct {
	Type          string      `json:"type"`
	Dimensions    []Dimension `json:"dimensions"`
	Explanation   string      `json:"explanation"`
	ExplanationRU string      `json:"explanation_ru"`
	Missing       []string    `json:"missing,omitempty"` // what the data lacks (lq, interaction, enterprises)
	// Candidates are the types the cluster could have when Type is unknown.
	Candidates   []string `json:"candidates,omitempty"`
	Illustrative bool     `json:"illustrative"`
	// Actions are what the type calls for (document 004, 343–353: the type
	// is determined to choose the actions that will work).
	Actions       []Action `json:"actions"`
	ActionsNote   string   `json:"actions_note"`
	ActionsNoteRU string   `json:"actions_note_ru"`
	// Settings are the cut-offs used, each saying whether it comes from a
	// source document or is coopchain's own setting.
	Settings []Setting `json:"settings"`
}

// TypologyInputOf gathers the typology's input from a cluster's analysis
// report (nil or empty when it has no data), its registry entry and the
// measures its participants received. WithSpecialisation adds the LQ.
func TypologyInputOf(rep *Report, cl *gm.Cluster, uses []gm.MeasureUse) TypologyInput {
	in := TypologyInput{}
	if cl != nil {
		in.Registered = cl.RegistryNo > 0
		for _, u := range uses {
			if u.ClusterID == cl.ID {
				in.MeasuresUsed = append(in.MeasuresUsed, u.MeasureID)
			}
		}
		in.MeasuresUsed = dedupe(in.MeasuresUsed)
	}
	if rep != nil && rep.Summary.Participants > 0 {
		in.Participants = rep.Summary.Participants
		e := rep.Summary.Enterprises
		in.Enterprises = &e
		in.CooperationShare = rep.Cooperation.Share
		d := rep.Cooperation.Density
		in.Density = &d
		in.Links = rep.Summary.Links
		in.Illustrative = rep.Summary.Illustrative
	} else if cl != nil {
		in.Participants, in.FromRegistry = cl.ParticipantsCount, true
	}
	return in
}

// typologyIndustry returns the OKVED division (two digits) most of the
// enterprises of the dataset share, "" when none has one.
func typologyIndustry(d *gm.Dataset) string {
	count := map[string]int{}
	for _, p := range d.Participants {
		if p.Kind == gm.KindEnterprise && len(p.OKVED) >= 2 {
			count[p.OKVED[:2]]++
		}
	}
	best, n := "", 0
	for k, v := range count {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return best
}

// WithSpecialisation sets the input's LQ: the best location quotient, in
// the cluster's regions, of the industry most of the dataset's enterprises
// belong to (an employment row whose industry is a prefix of that OKVED
// division, as for niches).
func (in TypologyInput) WithSpecialisation(d *gm.Dataset, cl *gm.Cluster, emp []gm.Employment) TypologyInput {
	if d == nil || cl == nil || len(emp) == 0 {
		return in
	}
	ind := typologyIndustry(d)
	if ind == "" {
		return in
	}
	lq, region := bestLQ(LocationQuotients(emp), ind, cl.Regions)
	if lq != nil {
		in.LQ, in.LQRegion, in.LQIndustry = lq, region, ind
	}
	return in
}

func dedupe(a []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range a {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// ClassifyCluster gives the cluster's type:
//
//	critical mass full,  interaction strong            → working
//	critical mass full,  interaction weak/none         → latent
//	otherwise, interaction weak or strong              → potential
//	otherwise, chosen by the state, some advantage     → state-supported
//	otherwise, chosen by the state, no advantage       → wishful thinking
//	otherwise (not chosen by the state)                → potential
//
// where an advantage is a partial critical mass or a specialised region
// (LQ > 1), and "chosen by the state" is registry membership or a support
// measure received. A dimension the data cannot judge (a registry entry
// without participant data) is tried at every level it could have: when
// they lead to different types the type is unknown («нет данных») and
// Candidates lists the possible ones. Missing data never decides a type.
func ClassifyCluster(in TypologyInput) Typology {
	t := Typology{Illustrative: in.Illustrative, Settings: TypologySettings()}
	mass, massLevels := massDimension(in, &t)
	inter, interLevels := interactionDimension(in, &t)
	supp := supportDimension(in)
	t.Dimensions = []Dimension{mass, inter, supp}
	state := supp.Level == LevelYes
	seen := map[string]bool{}
	var why, whyRU string
	for _, m := range massLevels {
		for _, i := range interLevels {
			ty, en, ru := decideType(m, i, state, m != LevelNone || (in.LQ != nil && *in.LQ > SpecialisationLQ))
			if !seen[ty] {
				seen[ty] = true
				t.Candidates = append(t.Candidates, ty)
				t.Type, why, whyRU = ty, en, ru
			}
		}
	}
	if len(t.Candidates) > 1 {
		names, namesRU := make([]string, len(t.Candidates)), make([]string, len(t.Candidates))
		for i, c := range t.Candidates {
			names[i], namesRU[i] = typeName(c, "en"), strings.ToLower(typeName(c, "ru"))
		}
		t.Type = TypeUnknown
		why = "the data cannot tell the type; it could be: " + strings.Join(names, ", ")
		whyRU = "по данным тип не определить; возможны: " + strings.Join(namesRU, ", ")
	} else {
		t.Candidates = nil
	}
	t.Explanation = fmt.Sprintf("%s: %s. %s; %s; %s.", typeName(t.Type, "en"), why, upperFirst(mass.Explanation), inter.Explanation, supp.Explanation)
	t.ExplanationRU = fmt.Sprintf("%s: %s. %s; %s; %s.", typeName(t.Type, "ru"), whyRU, upperFirst(mass.ExplanationRU), inter.ExplanationRU, supp.ExplanationRU)
	if in.Illustrative {
		t.Explanation += " The figures are illustrative."
		t.ExplanationRU += " Показатели иллюстративные."
	}
	t.Actions, t.ActionsNote, t.ActionsNoteRU = actionsFor(t.Type)
	return t
}

// decideType is the type for known levels of the dimensions, with the reason.
func decideType(mass, inter string, state, advantage bool) (string, string, string) {
	switch {
	case mass == LevelFull && inter == LevelStrong:
		return TypeWorking, "the critical mass is reached and participants cooperate", "критическая масса достигнута, участники кооперируются"
	case mass == LevelFull:
		return TypeLatent, "the critical mass is reached, but interaction is " + inter, "критическая масса достигнута, но взаимодействие " + levelRU(inter)
	case inter == LevelWeak || inter == LevelStrong:
		return TypePotential, "some elements are there and participants cooperate, but the critical mass is not reached", "часть элементов есть и участники кооперируются, но критическая масса не достигнута"
	case state && advantage:
		return TypeStateSupported, "chosen by the state, with some elements but neither the critical mass nor cooperation", "выбран государством, часть элементов есть, но нет ни критической массы, ни кооперации"
	case state:
		return TypeWishful, "chosen by the state with neither the critical mass nor a source of advantage", "выбран государством без критической массы и без источников преимуществ"
	}
	return TypePotential, "not chosen by the state; the elements of a cluster are still to be developed", "не выбран государством; элементы кластера ещё предстоит развить"
}

// massDimension judges the critical mass and returns the levels it could
// have: one when the data tells, several when it cannot.
func massDimension(in TypologyInput, t *Typology) (Dimension, []string) {
	d := Dimension{Name: "critical_mass"}
	src, srcRU := "in the data", "по данным"
	if in.FromRegistry {
		src, srcRU = "in the registry", "по реестру"
	}
	ent, entRU := "enterprises unknown", "число промышленных предприятий неизвестно"
	entOK, entKnown := true, in.Enterprises != nil
	if entKnown {
		ent, entRU = fmt.Sprintf("%d industrial enterprises", *in.Enterprises), fmt.Sprintf("промышленных предприятий: %d", *in.Enterprises)
		entOK = *in.Enterprises >= MassEnterprises
	} else {
		t.Missing = append(t.Missing, "enterprises")
	}
	lq, lqRU := "no employment data for the cluster's industry in its regions (LQ not used)", "нет данных о занятости в отрасли кластера в его регионах (коэффициент локализации не учтён)"
	lqOK, lqHigh := true, false
	if in.LQ != nil {
		lqHigh = *in.LQ > SpecialisationLQ
		lqOK = lqHigh
		lq = fmt.Sprintf("LQ of industry %s %.2f in %s (specialised above %.0f)", in.LQIndustry, *in.LQ, in.LQRegion, SpecialisationLQ)
		lqRU = fmt.Sprintf("коэффициент локализации отрасли %s %s, %s (специализация — выше %.0f)", in.LQIndustry, commaDecimal(fmt.Sprintf("%.2f", *in.LQ)), in.LQRegion, SpecialisationLQ)
	} else {
		t.Missing = append(t.Missing, "lq")
	}
	levels := []string{}
	switch {
	case in.Participants == 0 && !entKnown:
		d.Level, levels = LevelUnknown, []string{LevelFull, LevelPartial, LevelNone}
		if lqHigh {
			levels = []string{LevelFull, LevelPartial}
		}
	case in.Participants >= MassParticipants && !entKnown && lqOK:
		d.Level, levels = LevelUnknown, []string{LevelFull, LevelPartial}
	case in.Participants >= MassParticipants && entOK && lqOK:
		d.Level = LevelFull
	case in.Participants >= SomeParticipants || lqHigh:
		d.Level = LevelPartial
	default:
		d.Level = LevelNone
	}
	if d.Level != LevelUnknown {
		levels = []string{d.Level}
	}
	count, countRU := fmt.Sprintf("%d participants %s", in.Participants, src), fmt.Sprintf("участников %s %d", srcRU, in.Participants)
	if in.Participants == 0 && !entKnown {
		count, countRU = "number of participants unknown", "число участников неизвестно"
	}
	d.Explanation = fmt.Sprintf("critical mass %s: %s (%d or more), %s (%d or more), %s", d.Level, count, MassParticipants, ent, MassEnterprises, lq)
	d.ExplanationRU = fmt.Sprintf("критическая масса — %s: %s (нужно от %d), %s (нужно от %d), %s", levelRU(d.Level), countRU, MassParticipants, entRU, MassEnterprises, lqRU)
	return d, levels
}

// interactionDimension judges the interaction and returns the levels it
// could have.
func interactionDimension(in TypologyInput, t *Typology) (Dimension, []string) {
	d := Dimension{Name: "interaction"}
	if in.Density == nil {
		d.Level = LevelUnknown
		d.Explanation = "interaction unknown: no participant or link data"
		d.ExplanationRU = "взаимодействие — нет данных: в данных нет участников и кооперационных связей"
		t.Missing = append(t.Missing, "interaction")
		return d, []string{LevelStrong, LevelWeak, LevelNone}
	}
	share, shareRU := "cooperation share unknown (no final sales declared)", "доля кооперации неизвестна (не указаны продажи конечным покупателям)"
	shareOK := true
	if in.CooperationShare != nil {
		shareOK = *in.CooperationShare >= StrongShare
		share = fmt.Sprintf("intra-cluster cooperation share %.0f%% (strong from %.0f%%)", 100**in.CooperationShare, 100*StrongShare)
		shareRU = fmt.Sprintf("доля поставок внутри кластера %.0f%% (сильное от %.0f%%)", 100**in.CooperationShare, 100*StrongShare)
	}
	switch {
	case in.Links == 0:
		d.Level = LevelNone
	case shareOK && *in.Density >= StrongDensity:
		d.Level = LevelStrong
	default:
		d.Level = LevelWeak
	}
	d.Explanation = fmt.Sprintf("interaction %s: %d supplier–buyer pairs, link density %.3f (strong from %.2f), %s", d.Level, in.Links, *in.Density, StrongDensity, share)
	d.ExplanationRU = fmt.Sprintf("взаимодействие — %s: пар «поставщик–покупатель» %d, плотность связей %s (сильное от %s), %s", levelRU(d.Level), in.Links,
		commaDecimal(fmt.Sprintf("%.3f", *in.Density)), commaDecimal(fmt.Sprintf("%.2f", StrongDensity)), shareRU)
	return d, []string{d.Level}
}

func supportDimension(in TypologyInput) Dimension {
	d := Dimension{Name: "state_support", Level: LevelNo}
	reg, regRU := "not in the registry of industrial clusters", "не входит в реестр промышленных кластеров"
	if in.Registered {
		reg, regRU = "in the registry of industrial clusters (PP-779)", "входит в реестр промышленных кластеров (ПП РФ № 779)"
	}
	used, usedRU := "no support measure received on record", "сведений о полученных мерах поддержки нет"
	if len(in.MeasuresUsed) > 0 {
		used = "measures received: " + strings.Join(in.MeasuresUsed, ", ")
		usedRU = fmt.Sprintf("по Атласу участники получили меры поддержки (видов мер: %d)", len(in.MeasuresUsed))
	}
	if in.Registered || len(in.MeasuresUsed) > 0 {
		d.Level = LevelYes
	}
	d.Explanation = fmt.Sprintf("state support %s: %s, %s", d.Level, reg, used)
	d.ExplanationRU = fmt.Sprintf("господдержка — %s: %s, %s", levelRU(d.Level), regRU, usedRU)
	return d
}

var levelNamesRU = map[string]string{LevelFull: "достигнута", LevelPartial: "частично", LevelNone: "нет", LevelStrong: "сильное", LevelWeak: "слабое",
	LevelUnknown: "нет данных", LevelYes: "есть", LevelNo: "нет"}

func levelRU(l string) string { return levelNamesRU[l] }

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// commaDecimal writes a formatted number the Russian way (0,09).
func commaDecimal(s string) string { return strings.Replace(s, ".", ",", 1) }

var typeNames = map[string][2]string{
	TypeWorking:        {"Working cluster", "Рабочий кластер"},
	TypeLatent:         {"Latent cluster", "«Латентный» кластер"},
	TypePotential:      {"Potential cluster", "Потенциальный кластер"},
	TypeStateSupported: {"State-supported cluster", "Кластер с государственной поддержкой"},
	TypeWishful:        {"Wishful-thinking cluster", "«Желаемый» кластер"},
	TypeUnknown:        {"Type unknown (no data)", "Тип не определён (нет данных)"},
}

func typeName(t, lang string) string {
	if lang == "ru" {
		return typeNames[t][1]
	}
	return typeNames[t][0]
}
