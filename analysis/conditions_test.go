package analysis_test

import (
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
)

// Issue #17, point 4: each measure's conditions are the Atlas's. The lines
// each measure cites say what its conditions check.
func TestMeasureConditionsFollowTheAtlas(t *testing.T) {
	ms, err := seeds.Measures()
	if err != nil {
		t.Fatal(err)
	}
	// condition → what the measure's own lines must say for it.
	says := map[string][]string{
		gm.CondImportSubstitution: {"импортозамещ"},
		gm.CondJointProject:       {"совместных проектов по производству промышленной продукции кластера"},
		gm.CondPlatformSector:     {"лекарственных средств и материалов, применяемых в медицинских целях, металлообрабатывающего оборудования и станков, а также сменного рабочего инструмента для станков", "ДФО"},
		gm.CondPlatformAmount:     {"1 - 100 млрд руб."},
		gm.CondExport:             {"ПРОДВИЖЕНИЕ ПРОДУКЦИИ И УСЛУГ НА ВНЕШНИЕ РЫНКИ"},
		gm.CondEAEUStates:         {"3+ стран-участников кооперационного проекта"},
		gm.CondEAEULender:         {"уполномоченными банками и институтами развития государств – членов ЕАЭС"},
		gm.CondNewProduction:      {"затрат на запуск производства"},
		gm.CondEquipment:          {"оборудования"},
		gm.CondModernisation:      {"модернизацию производственных мощностей"},
		gm.CondRegionalSuppliers:  {"у региональных производителей"},
		gm.CondRnD:                {"на НИОКР"},
		gm.CondLoanTerms:          {"Объем займа до", "на срок до"},
		gm.CondValidUntil:         {"до конца 2027 г."},
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if len(m.Conditions) == 0 {
			t.Errorf("%s has no conditions", m.ID)
		}
		src := m.Source
		if m.ID == "eaeu-cooperation-projects" {
			src = "001:654-668"
		}
		for _, c := range m.Conditions {
			seen[c] = true
			if w, ok := says[c]; ok {
				seedSays(t, src, w...)
			}
		}
		if m.Level == gm.LevelRegional && !has(m.Conditions, gm.CondRegion) {
			t.Errorf("%s: a regional measure without the region condition", m.ID)
		}
	}
	// Regional measures are for industrial clusters (001:399); the
	// starting-batch subsidy and 64-FZ's reduced contributions for their
	// participants (001:342-347, 001:371-375, 001:393).
	seedSays(t, "001:399", "Промышленные кластеры и специализированные организации, входящие в их состав, могут претендовать на такие меры")
	seedSays(t, "001:342-347", "участникам промышленных кластеров")
	for _, c := range gm.MeasureConditions {
		if !seen[c] && c != gm.CondTermsNotInText && c != gm.CondClusterParticipant && c != gm.CondRegion {
			t.Errorf("condition %s used by no measure", c)
		}
	}
}

func has(a []string, x string) bool {
	for _, y := range a {
		if y == x {
			return true
		}
	}
	return false
}

// A niche of an import-substituting product gets the starting-batch
// subsidy, decided by the product's list and the joint project with the
// participants that import it; a planned cluster (not in the registry) gets
// no measure for cluster participants.
func TestStartingBatchNeedsImportSubstitution(t *testing.T) {
	ms, err := seeds.Measures()
	if err != nil {
		t.Fatal(err)
	}
	rep, _, cl := demo(t)
	product := ""
	for i := range rep.Niches {
		if rep.Niches[i].ProductCode == "20.30.22" {
			rep.Niches[i].ImportSubstitution = true // as if powder paint were on a list
			product = rep.Niches[i].ProductCode
		}
	}
	p, err := analysis.BuildProposal(analysis.ProposalInput{Report: rep, Cluster: cl, Product: product, Measures: ms})
	if err != nil {
		t.Fatal(err)
	}
	var sb *analysis.MeasureMatch
	for i := range p.Measures {
		if p.Measures[i].Measure.ID == "fed-starting-batch" {
			sb = &p.Measures[i]
		}
	}
	if sb == nil || sb.DecidedBy != gm.CondClusterParticipant || !strings.Contains(sb.WhyRU, "продукция входит в перечень импортозамещающей продукции") ||
		!strings.Contains(sb.WhyRU, "покупатели стартовой партии") {
		t.Fatalf("starting batch %+v", sb)
	}
	planned := *cl
	planned.RegistryNo, planned.Kind = 0, gm.ClusterPlanned
	p, err = analysis.BuildProposal(analysis.ProposalInput{Report: rep, Cluster: &planned, Product: product, Measures: ms})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Measures {
		if has(m.Measure.Conditions, gm.CondClusterParticipant) {
			t.Errorf("%s offered to a planned cluster: %s", m.Measure.ID, m.WhyRU)
		}
	}
}
