package analysis

import (
	"fmt"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Rule statuses.
const (
	Pass    = "pass"
	Fail    = "fail"
	Unknown = "unknown"
)

// Rule is one requirement of government decree PP-779 (ПП РФ № 779) with
// its verdict and the evidence for it.
type Rule struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	TitleRU      string   `json:"title_ru"`
	Status       string   `json:"status"` // pass, fail or unknown
	Evidence     string   `json:"evidence"`
	EvidenceRU   string   `json:"evidence_ru"`
	Participants []string `json:"participants,omitempty"` // the participants the evidence is about
	Source       string   `json:"source,omitempty"`       // where the requirement is written (document:lines)
}

// Setting is a threshold coopchain applies that the source documents do not
// give: it is shown as coopchain's own, never as the decree's.
type Setting struct {
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Text    string  `json:"text"`
	TextRU  string  `json:"text_ru"`
	Default float64 `json:"default"`
}

// Compliance is the PP-779 checklist of a cluster.
type Compliance struct {
	// Status is fail if any rule fails, unknown if any is unknown (every
	// rule of a cluster without participant data), else pass.
	Status    string  `json:"status"`
	Threshold float64 `json:"inside_share_threshold"`
	// NoData: the cluster has no participant data; the registered clusters
	// were found compliant by the Ministry, so nothing fails.
	NoData bool `json:"no_data"`
	// Settings are the thresholds that are coopchain's, not the decree's.
	Settings []Setting `json:"settings"`
	Rules    []Rule    `json:"rules"`
}

// MinEnterprises, MinFinalProducers and MinImportSubstitutionProjects are
// the PP-779 thresholds (Atlas 2025, 001:276-278).
const (
	MinEnterprises                = 5
	MinFinalProducers             = 1
	MinImportSubstitutionProjects = 3
)

// DefaultInsideShare is coopchain's default for the least share of final
// producers' inputs bought inside the cluster: the source documents give no
// figure.
const DefaultInsideShare = 0.2

// Sources of the requirements: the Atlas's list of PP-779's requirements
// and its footnote on defence enterprises.
const (
	srcSOPC        = "001:275"
	srcEnterprises = "001:276"
	srcFinal       = "001:277"
	srcProjects    = "001:278"
	srcCooperation = "001:279;301"
	srcProgramme   = "001:280"
	srcScience     = "001:281"
)

// complianceData is what the rules judge: the cluster's participants by
// kind and how complete its participant list is.
type complianceData struct {
	d         *gm.Dataset
	ix        *index
	cl        *gm.Cluster
	threshold float64
	noData    bool
	// incomplete: the registry counts more participants than the data has,
	// so a participant the data lacks may be among the missing.
	incomplete           bool
	sopc, ent, finals    []string
	sci                  []string
	noDataEN, noDataRU   string
	missingEN, missingRU string
}

// complianceRules are the decree's requirements in the Atlas's order.
var complianceRules = []func(*complianceData) Rule{
	sopcRule, enterprisesRule, finalProducerRule, projectsRule, cooperationRule, programmeRule, scienceRule,
}

func compliance(d *gm.Dataset, ix *index, cl *gm.Cluster, threshold float64) Compliance {
	cd := &complianceData{d: d, ix: ix, cl: cl, threshold: threshold, noData: ix.n() == 0,
		noDataEN: "no participant data for the cluster", noDataRU: "нет данных об участниках кластера"}
	if cl != nil && cl.ParticipantsCount > ix.n() {
		cd.incomplete = true
		cd.missingEN = fmt.Sprintf("the data has %d of the %d participants the registry counts", ix.n(), cl.ParticipantsCount)
		cd.missingRU = fmt.Sprintf("в данных %d из %d участников по реестру", ix.n(), cl.ParticipantsCount)
	}
	for _, p := range ix.parts {
		switch p.Kind {
		case gm.KindSOPC:
			cd.sopc = append(cd.sopc, p.ID)
		case gm.KindEnterprise:
			cd.ent = append(cd.ent, p.ID)
			if p.FinalProducer {
				cd.finals = append(cd.finals, p.ID)
			}
		case gm.KindUniversity, gm.KindResearch:
			cd.sci = append(cd.sci, p.ID)
		}
	}
	c := Compliance{Status: Pass, Threshold: threshold, NoData: cd.noData, Settings: []Setting{{Name: "inside_share_threshold", Value: threshold, Default: DefaultInsideShare,
		Text:   fmt.Sprintf("least share of final producers' inputs bought inside the cluster: %.0f%% — coopchain's setting, not a figure of the decree or the Atlas", 100*threshold),
		TextRU: fmt.Sprintf("минимальная доля закупок производителей конечной продукции внутри кластера: %s\u00a0%% — настройка coopchain, а не норма постановления или Атласа", pctRU(threshold))}}}
	for _, rule := range complianceRules {
		c.Rules = append(c.Rules, rule(cd))
	}
	for _, r := range c.Rules {
		if r.Status == Fail {
			c.Status = Fail
		} else if r.Status == Unknown && c.Status == Pass {
			c.Status = Unknown
		}
	}
	return c
}

// pctRU writes a share as a Russian percentage number (20, 12,5).
func pctRU(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.1f", 100*v), "0"), ".")
	return commaDecimal(s)
}

// noDataRule is a rule left unknown because the cluster has no participant data.
func (cd *complianceData) noDataRule(r Rule) Rule {
	r.Status, r.Evidence, r.EvidenceRU = Unknown, cd.noDataEN, cd.noDataRU
	return r
}

// countRule judges a "at least min participants of a sort" requirement:
// pass when the data has enough; with fewer, fail only when the
// participant list is complete, else unknown.
func (cd *complianceData) countRule(r Rule, ids []string, min int, whatEN, whatRU string) Rule {
	if cd.noData {
		return cd.noDataRule(r)
	}
	r.Participants = ids
	r.Evidence = fmt.Sprintf("%s: %d", whatEN, len(ids))
	r.EvidenceRU = fmt.Sprintf("%s: %d", whatRU, len(ids))
	switch {
	case len(ids) >= min:
		r.Status = Pass
	case cd.incomplete:
		r.Status = Unknown
		r.Evidence += "; " + cd.missingEN
		r.EvidenceRU += "; " + cd.missingRU
	default:
		r.Status = Fail
	}
	return r
}

func sopcRule(cd *complianceData) Rule {
	return cd.countRule(Rule{ID: "sopc", Title: "A specialised organisation (SOPC) runs the cluster", TitleRU: "Наличие специализированной организации промышленного кластера", Source: srcSOPC},
		cd.sopc, 1, "participants of kind SOPC", "участников вида СОПК")
}

func enterprisesRule(cd *complianceData) Rule {
	return cd.countRule(Rule{ID: "enterprises", Title: fmt.Sprintf("At least %d industrial enterprises", MinEnterprises), TitleRU: fmt.Sprintf("Не менее %d промышленных предприятий", MinEnterprises), Source: srcEnterprises},
		cd.ent, MinEnterprises, "enterprises", "предприятий")
}

func finalProducerRule(cd *complianceData) Rule {
	return cd.countRule(Rule{ID: "final_producer", Title: "At least one enterprise makes final products", TitleRU: "Не менее 1 предприятия, производящего конечную продукцию", Source: srcFinal},
		cd.finals, MinFinalProducers, "final producers", "производителей конечной продукции")
}

func scienceRule(cd *complianceData) Rule {
	return cd.countRule(Rule{ID: "science", Title: "Scientific infrastructure: a university or research participant", TitleRU: "Наличие научной инфраструктуры (вуз или научная организация)", Source: srcScience},
		cd.sci, 1, "university or research participants", "вузов и научных организаций")
}

func programmeRule(cd *complianceData) Rule {
	r := Rule{ID: "development_programme", Title: "The cluster has a development programme", TitleRU: "Наличие у промышленного кластера Программы развития", Status: Unknown, Source: srcProgramme,
		Evidence: "not stated in the data (clusters.development_programme)", EvidenceRU: "в данных не указано"}
	if cd.cl != nil && cd.cl.DevelopmentProgramme != nil {
		r.Status = map[bool]string{true: Pass, false: Fail}[*cd.cl.DevelopmentProgramme]
		r.Evidence = map[bool]string{true: "stated in the data", false: "the data says there is none"}[*cd.cl.DevelopmentProgramme]
		r.EvidenceRU = map[bool]string{true: "указано в данных", false: "по данным отсутствует"}[*cd.cl.DevelopmentProgramme]
	}
	return r
}

func projectsRule(cd *complianceData) Rule {
	d := cd.d
	r := Rule{ID: "import_substitution_projects", Title: fmt.Sprintf("At least %d import-substitution projects", MinImportSubstitutionProjects),
		TitleRU: fmt.Sprintf("Не менее %d проектов по производству импортозамещающей продукции", MinImportSubstitutionProjects), Source: srcProjects}
	if cd.noData {
		return cd.noDataRule(r)
	}
	if len(d.Projects) == 0 {
		// Without a projects sheet, say what the capacities suggest.
		n := 0
		subst := map[string]bool{}
		for _, p := range d.Products {
			subst[p.Code] = p.ImportSubstitution
		}
		for _, c := range d.Capacities {
			if subst[c.ProductCode] {
				n++
			}
		}
		r.Status = Unknown
		r.Evidence = fmt.Sprintf("no projects in the data; %d capacity row(s) make import-substitution products", n)
		r.EvidenceRU = fmt.Sprintf("в данных нет проектов; строк мощностей по импортозамещающей продукции: %d", n)
		return r
	}
	var ids []string
	for _, p := range d.Projects {
		if p.ImportSubstitution {
			ids = append(ids, p.ID)
		}
	}
	sort.Strings(ids)
	r.Status = map[bool]string{true: Pass, false: Fail}[len(ids) >= MinImportSubstitutionProjects]
	r.Evidence = fmt.Sprintf("%d import-substitution project(s) of %d", len(ids), len(d.Projects))
	r.EvidenceRU = fmt.Sprintf("импортозамещающих проектов: %d из %d", len(ids), len(d.Projects))
	r.Participants = ids
	return r
}
