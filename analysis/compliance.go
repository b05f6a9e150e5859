package analysis

import (
	"fmt"
	"sort"

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
}

// Compliance is the PP-779 checklist of a cluster.
type Compliance struct {
	Status    string  `json:"status"` // fail if any rule fails, unknown if any is unknown, else pass
	Threshold float64 `json:"inside_share_threshold"`
	Rules     []Rule  `json:"rules"`
}

// MinEnterprises, MinFinalProducers and MinImportSubstitutionProjects are
// the PP-779 thresholds.
const (
	MinEnterprises                = 5
	MinFinalProducers             = 1
	MinImportSubstitutionProjects = 3
)

func compliance(d *gm.Dataset, ix *index, rep *Report, cl *gm.Cluster, threshold float64) Compliance {
	var sopc, ent, finals, sci []string
	for _, p := range ix.parts {
		switch p.Kind {
		case gm.KindSOPC:
			sopc = append(sopc, p.ID)
		case gm.KindEnterprise:
			ent = append(ent, p.ID)
			if p.FinalProducer {
				finals = append(finals, p.ID)
			}
		case gm.KindUniversity, gm.KindResearch:
			sci = append(sci, p.ID)
		}
	}
	count := func(ok bool) string {
		if ok {
			return Pass
		}
		return Fail
	}
	var rules []Rule
	rules = append(rules, Rule{ID: "sopc", Title: "A specialised organisation (SOPC) runs the cluster", TitleRU: "Наличие специализированной организации промышленного кластера",
		Status: count(len(sopc) > 0), Evidence: fmt.Sprintf("%d participant(s) of kind sopc", len(sopc)), EvidenceRU: fmt.Sprintf("участников вида СОПК: %d", len(sopc)), Participants: sopc})
	rules = append(rules, Rule{ID: "enterprises", Title: fmt.Sprintf("At least %d industrial enterprises", MinEnterprises), TitleRU: fmt.Sprintf("Не менее %d промышленных предприятий", MinEnterprises),
		Status: count(len(ent) >= MinEnterprises), Evidence: fmt.Sprintf("%d enterprise(s)", len(ent)), EvidenceRU: fmt.Sprintf("предприятий: %d", len(ent)), Participants: ent})
	rules = append(rules, Rule{ID: "final_producer", Title: "At least one enterprise makes final products", TitleRU: "Не менее 1 предприятия, производящего конечную продукцию",
		Status: count(len(finals) >= MinFinalProducers), Evidence: fmt.Sprintf("%d final producer(s)", len(finals)), EvidenceRU: fmt.Sprintf("производителей конечной продукции: %d", len(finals)), Participants: finals})
	rules = append(rules, projectsRule(d))
	rules = append(rules, cooperationRule(d, ix, rep, threshold))
	dev := Rule{ID: "development_programme", Title: "The cluster has a development programme", TitleRU: "Наличие у промышленного кластера Программы развития", Status: Unknown,
		Evidence: "not stated in the data (clusters.development_programme)", EvidenceRU: "в сведениях о кластере нет отметки о Программе развития"}
	if cl != nil && cl.DevelopmentProgramme != nil {
		dev.Status = count(*cl.DevelopmentProgramme)
		dev.Evidence = map[bool]string{true: "stated in the data", false: "the data says there is none"}[*cl.DevelopmentProgramme]
		dev.EvidenceRU = map[bool]string{true: "указано в данных", false: "по данным отсутствует"}[*cl.DevelopmentProgramme]
	}
	rules = append(rules, dev)
	rules = append(rules, Rule{ID: "science", Title: "Scientific infrastructure: a university or research participant", TitleRU: "Наличие научной инфраструктуры (вуз или научная организация)",
		Status: count(len(sci) > 0), Evidence: fmt.Sprintf("%d university or research participant(s)", len(sci)), EvidenceRU: fmt.Sprintf("вузов и научных организаций: %d", len(sci)), Participants: sci})
	c := Compliance{Status: Pass, Threshold: threshold, Rules: rules}
	for _, r := range rules {
		if r.Status == Fail {
			c.Status = Fail
		} else if r.Status == Unknown && c.Status == Pass {
			c.Status = Unknown
		}
	}
	return c
}

func projectsRule(d *gm.Dataset) Rule {
	r := Rule{ID: "import_substitution_projects", Title: fmt.Sprintf("At least %d import-substitution projects", MinImportSubstitutionProjects),
		TitleRU: fmt.Sprintf("Не менее %d проектов по производству импортозамещающей продукции", MinImportSubstitutionProjects)}
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

// cooperationRule: documented cooperation — every enterprise linked to
// another participant by a documented link, and final producers buying at
// least the threshold share of their inputs inside the cluster.
func cooperationRule(d *gm.Dataset, ix *index, rep *Report, threshold float64) Rule {
	r := Rule{ID: "documented_cooperation", Title: "Documented cooperation links", TitleRU: "Наличие документально подтверждённых кооперационных связей"}
	linked := map[string]bool{}
	documented := map[string]bool{}
	anyDoc := false
	for _, l := range d.Links {
		linked[l.SupplierID], linked[l.BuyerID] = true, true
		if l.Documented {
			anyDoc = true
			documented[l.SupplierID], documented[l.BuyerID] = true, true
		}
	}
	var unlinked, undocumented []string
	for _, p := range ix.parts {
		if p.Kind != gm.KindEnterprise {
			continue
		}
		if !linked[p.ID] {
			unlinked = append(unlinked, p.ID)
		} else if !documented[p.ID] {
			undocumented = append(undocumented, p.ID)
		}
	}
	// Final producers' share of inputs bought inside the cluster.
	var inside, imported float64
	for j, p := range ix.parts {
		if p.Kind == gm.KindEnterprise && p.FinalProducer {
			inside += ix.inValue[j]
			imported += ix.imports[j]
		}
	}
	var shareEN, shareRU string
	shareOK, shareKnown := true, ix.weighted && inside+imported > 0
	if shareKnown {
		share := inside / (inside + imported)
		shareOK = share >= threshold
		shareEN = fmt.Sprintf("; final producers buy %.0f%% of their inputs inside the cluster (threshold %.0f%%)", 100*share, 100*threshold)
		shareRU = fmt.Sprintf("; производители конечной продукции закупают в кластере %.0f%% сырья и комплектующих (порог %.0f%%)", 100*share, 100*threshold)
	} else {
		shareEN = "; final producers' input values are not in the data"
		shareRU = "; нет данных об объёмах закупок производителей конечной продукции"
	}
	switch {
	case len(unlinked) > 0:
		r.Status = Fail
		r.Evidence = fmt.Sprintf("%d enterprise(s) have no link to another participant", len(unlinked)) + shareEN
		r.EvidenceRU = fmt.Sprintf("у %d предприятий нет связей с другими участниками", len(unlinked)) + shareRU
		r.Participants = unlinked
	case shareKnown && !shareOK:
		r.Status = Fail
		r.Evidence = "every enterprise is linked" + shareEN
		r.EvidenceRU = "все предприятия связаны" + shareRU
	case !anyDoc:
		r.Status = Unknown
		r.Evidence = "every enterprise is linked, but no link is marked documented" + shareEN
		r.EvidenceRU = "все предприятия связаны, но ни одна связь не отмечена как подтверждённая договором" + shareRU
	case len(undocumented) > 0:
		r.Status = Fail
		r.Evidence = fmt.Sprintf("%d enterprise(s) have only undocumented links", len(undocumented)) + shareEN
		r.EvidenceRU = fmt.Sprintf("у %d предприятий связи не подтверждены договорами", len(undocumented)) + shareRU
		r.Participants = undocumented
	case !shareKnown:
		r.Status = Unknown
		r.Evidence = "every enterprise has a documented link" + shareEN
		r.EvidenceRU = "у всех предприятий есть подтверждённые связи" + shareRU
	default:
		r.Status = Pass
		r.Evidence = "every enterprise has a documented link" + shareEN
		r.EvidenceRU = "у всех предприятий есть подтверждённые связи" + shareRU
	}
	return r
}

// Cooperation is the intra-cluster cooperation share: value shipped to other
// participants over all value shipped (to participants plus declared final
// sales).
type Cooperation struct {
	InsideRUB       float64  `json:"inside_rub"`
	OutsideRUB      float64  `json:"outside_rub"` // declared final sales
	Share           *float64 `json:"share"`       // null when no participant declares final sales
	Status          string   `json:"status"`
	Declared        int      `json:"declared"` // participants with declared final sales
	Density         float64  `json:"density"`  // supplier→buyer pairs / n(n−1)
	DocumentedShare *float64 `json:"documented_share"`
}

func cooperation(ix *index) Cooperation {
	c := Cooperation{Status: "ok"}
	for j, p := range ix.parts {
		c.InsideRUB += ix.outValue[j]
		if p.FinalSalesRUB != nil {
			c.OutsideRUB += *p.FinalSalesRUB
			c.Declared++
		}
	}
	switch {
	case !ix.weighted || c.InsideRUB+c.OutsideRUB == 0:
		c.Status = "insufficient_data"
	case c.Declared == 0:
		c.Status = "insufficient_data"
	default:
		s := c.InsideRUB / (c.InsideRUB + c.OutsideRUB)
		c.Share = &s
	}
	if n := ix.n(); n > 1 {
		c.Density = float64(ix.g.M()) / float64(n*(n-1))
	}
	var doc, all float64
	for _, l := range ix.ds.Links {
		if l.ValueRUB != nil {
			all += *l.ValueRUB
			if l.Documented {
				doc += *l.ValueRUB
			}
		}
	}
	if all > 0 {
		s := doc / all
		c.DocumentedShare = &s
	}
	return c
}
