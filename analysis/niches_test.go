package analysis_test

import (
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
	"gonum.org/v1/gonum/floats/scalar"
)

// Issue #17, point 3: the niche is what the cluster cannot supply — «объёмы
// … производство которых существенно ниже потребностей» (001:519-523) —
// so the gap is measured against the spare capacity: spare = Σ_producers
// max(0, capacity − already shipped of the product), gap = max(0, imported
// − spare) (DESIGN.md).
func TestGapUsesSpareCapacity001L521(t *testing.T) {
	seedSays(t, "001:521-523", "производство которых существенно ниже потребностей предприятий-участников")
	ds := &gm.Dataset{
		Participants: append(parts("a", "b", "c"), gm.Participant{ID: "p1", Name: "P1", Kind: gm.KindEnterprise, FinalSalesRUB: v(10)},
			gm.Participant{ID: "p2", Name: "P2", Kind: gm.KindEnterprise}),
		Links: []gm.SupplyLink{link("p1", "a", "20.30.22", 70), link("p2", "b", "20.30.22", 15), {SupplierID: "p2", BuyerID: "c", ProductCode: "20.30.22"}},
		Imports: []gm.Import{{ParticipantID: "a", ProductCode: "20.30.22", ValueRUB: 30}, {ParticipantID: "b", ProductCode: "20.30.22", ValueRUB: 20},
			{ParticipantID: "c", ProductCode: "20.30.22", ValueRUB: 5}},
		Capacities: []gm.Capacity{{ParticipantID: "p1", ProductCode: "20.30.22", ValueRUB: 100}, {ParticipantID: "p2", ProductCode: "20.30.22", ValueRUB: 10}},
	}
	rep := analyze(t, ds)
	g := rep.ImportGaps[0]
	// p1: 100 − (70 shipped to a + 10 final sales, its only product) = 20 spare;
	// p2: 10 − 15 → 0 (never negative), one shipment without a value.
	if g.CapacityRUB != 110 || g.ShippedRUB != 95 || g.SpareRUB != 20 || g.GapRUB != 35 || g.ShippedUnknown != 1 || g.Producers != 2 {
		t.Errorf("gap %+v", g)
	}
	// With the whole capacity the gap would have been 0 (55 − 110): no niche at all.
	if len(rep.Niches) != 1 || rep.Niches[0].SpareRUB != 20 || !strings.Contains(rep.Niches[0].SummaryRU, "из них уже поставляется 95, свободно 20; разрыв 35") {
		t.Errorf("niches %+v", rep.Niches)
	}
}

// The demo cluster (001:1538-1622, figures illustrative): the powder paint
// producer ИНКОЛОР ships 47 mln to participants and 40 mln to final buyers
// of its 100 mln: 13 mln spare against 128 mln imported.
func TestDemoGapsUseSpareCapacity(t *testing.T) {
	rep, _, _ := seedCluster(t, seeds.DemoCluster)
	for _, g := range rep.ImportGaps {
		if g.ProductCode == "20.30.22" {
			if g.ImportedRUB != 128e6 || g.CapacityRUB != 100e6 || g.ShippedRUB != 87e6 || g.SpareRUB != 13e6 || g.GapRUB != 115e6 {
				t.Errorf("powder paint %+v", g)
			}
			return
		}
	}
	t.Error("no gap for powder paint")
}

// Omsk's method «сопоставлении этих данных с национальными и региональными
// планами импортозамещения, выявлении отсутствующих локальных аналогов»
// (001:554): a niche whose product another cluster makes is marked with
// that national analogue and where it is. The demo cluster imports EPDM
// seals (22.19.73); ОАО «КЗ-РТИ» of the Kolomna cluster makes rubber
// goods of that code (001:1381).
func TestNationalAnalogues001L554(t *testing.T) {
	seedSays(t, "001:554", "выявлении отсутствующих локальных аналогов")
	seedSays(t, "001:1381", "ОАО «КЗ-РТИ» - Производство резинотехнических изделий")
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	var national []analysis.NationalProducer
	for id, ds := range s.Data {
		national = append(national, analysis.NationalProducers(id, "cluster "+id, ds)...)
	}
	_, ds, cl := seedCluster(t, seeds.DemoCluster)
	rep, err := analysis.Analyze(t.Context(), ds, analysis.Options{ClusterID: cl.ID, National: national})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range rep.Niches {
		for _, a := range n.Analogues {
			if a.ClusterID == cl.ID {
				t.Errorf("%s: an analogue from the cluster itself: %+v", n.ProductCode, a)
			}
		}
		if n.ProductCode == "22.19.73" {
			found = true
			if len(n.Analogues) != 1 || n.Analogues[0].ParticipantID != "kol-kz-rti" || n.Analogues[0].ClusterID != "ru-006" || n.Analogues[0].Region == "" ||
				!strings.Contains(n.SummaryRU, "отечественный аналог: ОАО «КЗ-РТИ» (cluster ru-006, Московская область)") {
				t.Errorf("EPDM seals: %+v; %s", n.Analogues, n.SummaryRU)
			}
		} else if len(n.Analogues) != 0 {
			t.Errorf("%s: analogues %+v", n.ProductCode, n.Analogues)
		}
	}
	if !found {
		t.Error("no niche for EPDM seals")
	}
}

// Point 7: niche scores are listed together across clusters (GET
// /api/v1/niches), so a niche scores the same whatever else its cluster
// imports; the factor explanation gives the exact weights.
func TestNicheScoresCompareAcrossClusters(t *testing.T) {
	one := func(extra float64) analysis.Niche {
		ds := &gm.Dataset{Participants: parts("a", "b"), Links: []gm.SupplyLink{link("a", "b", "", 1)},
			Imports: []gm.Import{{ParticipantID: "b", ProductCode: "22.21.10", ValueRUB: 50e6}}}
		if extra > 0 {
			ds.Imports = append(ds.Imports, gm.Import{ParticipantID: "a", ProductCode: "24.45.30", ValueRUB: extra})
		}
		for _, n := range analyze(t, ds).Niches {
			if n.ProductCode == "22.21.10" {
				return n
			}
		}
		t.Fatal("no niche")
		return analysis.Niche{}
	}
	alone, beside := one(0), one(5e9)
	if alone.Score != beside.Score {
		t.Errorf("the same niche scores %v alone and %v beside a larger one", alone.Score, beside.Score)
	}
	if want := 100 / 0.9 * (0.35*analysis.GapFactor(50e6) + 0.25/3); !scalar.EqualWithinAbs(alone.Score, want, 1e-9) {
		t.Errorf("score %v, want %v", alone.Score, want)
	}
	if g := analysis.GapFactor(50e6); !scalar.EqualWithinAbs(g, (7+0.69897000433601880479-6)/3, 1e-12) {
		t.Errorf("gap factor of 50 mln = %v", g)
	}
	if analysis.GapFactor(1e6) != 0 || analysis.GapFactor(1e9) != 1 || analysis.GapFactor(3e10) != 1 {
		t.Error("gap factor bounds")
	}
	f := alone.Factors[0]
	if f.Name != "gap" || !strings.Contains(f.ExplanationRU, "вес 0,35 из 0,9 доступных (настройка coopchain): доля в балле 0,35 / 0,9 = 38,9\u00a0%") ||
		!strings.Contains(f.ExplanationRU, "по единой для всех кластеров шкале") {
		t.Errorf("gap factor explanation: %s", f.ExplanationRU)
	}
}
