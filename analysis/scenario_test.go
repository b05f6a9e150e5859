package analysis_test

import (
	"context"
	"math"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// replacementDataset: two importers of thermal strips (60 and 40 mln) and
// one of paint, on a valued chain so that import content is known.
func replacementDataset() *gm.Dataset {
	v := func(f float64) *float64 { return &f }
	sales := v(1000e6)
	return &gm.Dataset{
		Participants: []gm.Participant{
			{ID: "mill", Name: "Прокатный завод", Kind: gm.KindEnterprise},
			{ID: "windows", Name: "Оконный завод", Kind: gm.KindEnterprise, FinalProducer: true, FinalSalesRUB: sales},
			{ID: "facades", Name: "Фасадные системы", Kind: gm.KindEnterprise, FinalProducer: true, FinalSalesRUB: sales},
		},
		Links: []gm.SupplyLink{
			{SupplierID: "mill", BuyerID: "windows", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(300e6)},
			{SupplierID: "mill", BuyerID: "facades", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(200e6)},
		},
		Imports: []gm.Import{
			{ParticipantID: "windows", ProductCode: "22.21.10", Year: 2024, ValueRUB: 60e6, Country: "CN", Quantity: v(600), Unit: "т"},
			{ParticipantID: "facades", ProductCode: "22.21.10", Year: 2024, ValueRUB: 40e6, Country: "TR"},
			{ParticipantID: "facades", ProductCode: "20.30.22", Year: 2024, ValueRUB: 30e6, Country: "CN"},
		},
	}
}

func evaluate(t *testing.T, changes []analysis.Change) (*analysis.Report, *analysis.Report, *gm.Dataset, []analysis.Replacement) {
	t.Helper()
	ds := replacementDataset()
	base, err := analysis.Analyze(context.Background(), ds, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sds, err := (&analysis.Scenario{Changes: changes}).Apply(ds)
	if err != nil {
		t.Fatal(err)
	}
	yds, repl := analysis.ReplaceImports(ds.ForYear(2024), sds.ForYear(2024), 2024)
	scen, err := analysis.Analyze(context.Background(), yds, analysis.Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	return base, scen, yds, repl
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(b)) }

// A planned producer with 50 of the 100 mln imported replaces half of each
// importer's imports: links from it to both, imports halved (quantity
// too), the gap what capacity alone would leave, and the importers' import
// content lower; the paint niche is untouched.
func TestReplaceImportsPartly(t *testing.T) {
	base, scen, yds, repl := evaluate(t, []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "strips", Name: "Новый завод термовставок"}},
		{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: "strips", ProductCode: "22.21.10", Year: 2024, ValueRUB: 50e6}},
	})
	if len(repl) != 2 {
		t.Fatalf("replacements: %+v", repl)
	}
	want := map[string][2]float64{"windows": {60e6, 30e6}, "facades": {40e6, 20e6}}
	for _, r := range repl {
		w := want[r.ImporterID]
		if r.ProducerID != "strips" || r.ProductCode != "22.21.10" || !near(r.ImportedRUB, w[0]) || !near(r.ReplacedRUB, w[1]) {
			t.Errorf("replacement %+v, want imported %v replaced %v", r, w[0], w[1])
		}
	}
	links := 0
	for _, l := range yds.Links {
		if l.Source == analysis.ReplacementSource {
			links++
			if l.SupplierID != "strips" || l.ProductCode != "22.21.10" || l.ValueRUB == nil || !near(*l.ValueRUB, want[l.BuyerID][1]) {
				t.Errorf("replacement link %+v", l)
			}
		}
	}
	if links != 2 {
		t.Errorf("%d replacement links, want 2", links)
	}
	for _, m := range yds.Imports {
		if m.ProductCode == "22.21.10" && m.ParticipantID == "windows" && (!near(m.ValueRUB, 30e6) || m.Quantity == nil || !near(*m.Quantity, 300)) {
			t.Errorf("windows' import after: %+v", m)
		}
	}
	c := analysis.Compare(base, scen)
	for _, n := range c.Niches {
		switch n.ProductCode {
		case "22.21.10":
			if !near(n.BaseGapRUB, 100e6) || !near(n.GapRUB, 50e6) || n.Closed {
				t.Errorf("strips niche: %+v", n)
			}
		case "20.30.22":
			if *n.BaseScore != *n.Score || len(n.FactorsChanged) != 0 {
				t.Errorf("an untouched niche's score changed: %+v", n)
			}
		}
	}
	changed := map[string]analysis.ParticipantDelta{}
	for _, p := range c.Participants {
		if p.ImportContentChanged {
			changed[p.ID] = p
		}
	}
	for _, id := range []string{"windows", "facades"} {
		p, ok := changed[id]
		if !ok || p.ImportContentChange == nil || *p.ImportContentChange >= 0 || !near(*p.ImportContentChange, *p.ImportContentTotal-*p.BaseImportContentTotal) {
			t.Errorf("%s's import content did not fall: %+v", id, p)
		}
	}
	if _, ok := changed["mill"]; ok {
		t.Error("the mill's import content changed though it imports nothing")
	}
	if c.GapReferenceRUB != analysis.GapReferenceRUB || c.GapFloorRUB != analysis.GapFloorRUB {
		t.Errorf("the comparison does not name its scale: %v %v", c.GapFloorRUB, c.GapReferenceRUB)
	}
}

// Capacity above the imports replaces them all (the niche closes, no
// import row is left); capacity the scenario already ships on a link of
// its own does not replace imports twice; nothing added, nothing replaced.
func TestReplaceImportsWholly(t *testing.T) {
	_, scen, yds, repl := evaluate(t, []analysis.Change{
		{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: "mill", ProductCode: "22.21.10", Year: 2024, ValueRUB: 500e6}},
	})
	if len(repl) != 2 {
		t.Fatalf("replacements: %+v", repl)
	}
	for _, m := range yds.Imports {
		if m.ProductCode == "22.21.10" {
			t.Errorf("an import of a wholly replaced product is left: %+v", m)
		}
	}
	for _, n := range scen.Niches {
		if n.ProductCode == "22.21.10" {
			t.Errorf("the niche is still open: %+v", n)
		}
	}
	v := 40e6
	_, _, _, repl = evaluate(t, []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "strips", Name: "Новый завод"}},
		{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: "strips", ProductCode: "22.21.10", Year: 2024, ValueRUB: 50e6}},
		{Op: analysis.OpAddLink, Link: &gm.SupplyLink{SupplierID: "strips", BuyerID: "mill", ProductCode: "22.21.10", Year: 2024, ValueRUB: &v}},
	})
	sum := 0.0
	for _, r := range repl {
		sum += r.ReplacedRUB
	}
	if !near(sum, 10e6) {
		t.Errorf("replaced %v, want the 10 mln not shipped on the scenario's own link", sum)
	}
	_, _, _, repl = evaluate(t, []analysis.Change{{Op: analysis.OpRemoveParticipant, ParticipantID: "mill"}})
	if len(repl) != 0 {
		t.Errorf("a scenario adding no capacity replaced imports: %+v", repl)
	}
}
