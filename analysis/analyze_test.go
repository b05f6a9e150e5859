package analysis_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

func analyze(t *testing.T, ds *gm.Dataset) *analysis.Report {
	t.Helper()
	if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
		t.Fatalf("invalid fixture: %v", p)
	}
	rep, err := analysis.Analyze(context.Background(), ds, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The report must always encode (no NaN or Inf).
	if _, err := json.Marshal(rep); err != nil {
		t.Fatalf("report does not encode: %v", err)
	}
	return rep
}

func metrics(rep *analysis.Report) map[string]analysis.ParticipantMetrics {
	m := map[string]analysis.ParticipantMetrics{}
	for _, p := range rep.Participants {
		m[p.ID] = p
	}
	return m
}

// TestAgainstNetworkx compares pagerank, supplier_rank and betweenness with
// networkx (golden files made by testdata/make_golden.py).
func TestAgainstNetworkx(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/graphs/*")
	if len(dirs) < 5 {
		t.Fatalf("only %d golden graphs", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			res, err := tabular.ReadDir(dir, tabular.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "networkx.json"))
			if err != nil {
				t.Fatal(err)
			}
			var golden struct {
				Participants []struct {
					ID           string
					PageRank     float64 `json:"pagerank"`
					SupplierRank float64 `json:"supplier_rank"`
					Betweenness  float64 `json:"betweenness"`
				} `json:"participants"`
			}
			if err := json.Unmarshal(raw, &golden); err != nil {
				t.Fatal(err)
			}
			got := metrics(analyze(t, res.Dataset))
			var maxPR, maxSR, maxBC float64
			for _, g := range golden.Participants {
				m, ok := got[g.ID]
				if !ok {
					t.Fatalf("participant %s missing", g.ID)
				}
				maxPR = math.Max(maxPR, math.Abs(m.PageRank-g.PageRank))
				maxSR = math.Max(maxSR, math.Abs(m.SupplierRank-g.SupplierRank))
				maxBC = math.Max(maxBC, math.Abs(m.Betweenness-g.Betweenness))
			}
			if maxPR > 1e-8 || maxSR > 1e-8 || maxBC > 1e-9 {
				t.Errorf("max abs error: pagerank %.3g, supplier_rank %.3g (limit 1e-8), betweenness %.3g (limit 1e-9)", maxPR, maxSR, maxBC)
			}
			if len(golden.Participants) != len(got) {
				t.Errorf("%d participants, golden %d", len(got), len(golden.Participants))
			}
		})
	}
}

func v(x float64) *float64 { return &x }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func parts(ids ...string) []gm.Participant {
	var ps []gm.Participant
	for _, id := range ids {
		ps = append(ps, gm.Participant{ID: id, Name: strings.ToUpper(id), Kind: gm.KindEnterprise})
	}
	return ps
}

func link(s, b, product string, value float64) gm.SupplyLink {
	return gm.SupplyLink{SupplierID: s, BuyerID: b, ProductCode: product, ValueRUB: v(value)}
}

func TestStagesAndCycles(t *testing.T) {
	ds := &gm.Dataset{
		Participants: parts("a", "b", "c", "d", "e", "lonely"),
		Links:        []gm.SupplyLink{link("a", "b", "", 10), link("b", "c", "", 10), link("c", "a", "", 5), link("c", "d", "", 7), link("d", "e", "", 3)},
	}
	rep := analyze(t, ds)
	m := metrics(rep)
	want := map[string]int{"a": 0, "b": 0, "c": 0, "d": 1, "e": 2, "lonely": 0}
	for id, s := range want {
		if m[id].Stage != s {
			t.Errorf("stage(%s) = %d, want %d", id, m[id].Stage, s)
		}
	}
	if d := cmp.Diff([][]string{{"a", "b", "c"}}, rep.Cycles); d != "" {
		t.Errorf("cycles (-want +got):\n%s", d)
	}
	// Reach: e is reached by all of a..d; a reaches b..e.
	if m["e"].UpstreamCount != 4 || m["e"].DownstreamCount != 0 || m["a"].DownstreamCount != 4 || m["a"].UpstreamCount != 2 || m["lonely"].UpstreamCount+m["lonely"].DownstreamCount != 0 {
		t.Errorf("reach: %+v", m)
	}
	if !m["a"].InCycle || m["d"].InCycle {
		t.Error("in_cycle flags wrong")
	}
	if rep.Summary.Stages != 3 || rep.Summary.Isolated != 1 {
		t.Errorf("summary = %+v", rep.Summary)
	}
}

func TestSingleSourceInputs(t *testing.T) {
	ds := &gm.Dataset{
		Participants: parts("s", "x", "y", "t"),
		Links: []gm.SupplyLink{link("s", "x", "24.42", 30), link("s", "y", "24.42", 10), link("x", "y", "24.42", 1),
			link("x", "t", "25.12", 25), link("y", "t", "25.12", 5), link("s", "t", "24.42", 2)},
	}
	rep := analyze(t, ds)
	want := []analysis.SingleSource{
		{BuyerID: "x", ProductCode: "24.42", SupplierID: "s", ValueRUB: 30},
		{BuyerID: "t", ProductCode: "24.42", SupplierID: "s", ValueRUB: 2},
	}
	if d := cmp.Diff(want, rep.SingleSourceInputs); d != "" {
		t.Errorf("single-source inputs (-want +got):\n%s", d)
	}
	if m := metrics(rep); m["x"].SingleSourceInputs != 1 || m["t"].SingleSourceInputs != 1 || m["y"].SingleSourceInputs != 0 {
		t.Errorf("per-participant counts: x=%d t=%d y=%d", m["x"].SingleSourceInputs, m["t"].SingleSourceInputs, m["y"].SingleSourceInputs)
	}
}

// threeFirms is the paper example of the import-content test:
//
//	A: imports 40, sells 100 to B, no final sales     → output 100
//	B: buys 100 from A, imports 60, sells 200 to C,
//	   final sales 100                                  → output 300
//	C: buys 200 from B, imports 100, final sales 500   → output 500
func threeFirms() *gm.Dataset {
	ps := parts("A", "B", "C")
	ps[1].FinalSalesRUB = v(100)
	ps[2].FinalSalesRUB = v(500)
	ps[2].FinalProducer = true
	return &gm.Dataset{
		Participants: ps,
		Links:        []gm.SupplyLink{link("A", "B", "", 100), link("B", "C", "", 200)},
		Imports: []gm.Import{{ParticipantID: "A", ProductCode: "20.16", ValueRUB: 40}, {ParticipantID: "B", ProductCode: "20.16", ValueRUB: 60},
			{ParticipantID: "C", ProductCode: "20.16", ValueRUB: 100}},
	}
}

// TestLeontiefThreeFirms checks t = m (I − A)^-1 worked on paper:
//
//	m_A = 40/100 = 0.4;  m_B = 60/300 = 0.2;  m_C = 100/500 = 0.2
//	a_AB = 100/300 = 1/3;  a_BC = 200/500 = 0.4
//	t_A = 0.4
//	t_B = 0.2 + 0.4·1/3 = 1/3
//	t_C = 0.2 + 1/3·0.4 = 1/3
func TestLeontiefThreeFirms(t *testing.T) {
	m := metrics(analyze(t, threeFirms()))
	want := map[string]struct{ total, direct float64 }{
		"A": {0.4, 1},           // 40/(40+0)
		"B": {1.0 / 3, 0.375},   // 60/(60+100)
		"C": {1.0 / 3, 1.0 / 3}, // 100/(100+200)
	}
	for id, w := range want {
		got := m[id]
		if got.ImportContentTotal == nil || !scalar.EqualWithinAbs(*got.ImportContentTotal, w.total, 1e-12) {
			t.Errorf("import_content_total(%s) = %v, want %v", id, deref(got.ImportContentTotal), w.total)
		}
		if got.ImportShareDirect == nil || !scalar.EqualWithinAbs(*got.ImportShareDirect, w.direct, 1e-12) {
			t.Errorf("import_share_direct(%s) = %v, want %v", id, deref(got.ImportShareDirect), w.direct)
		}
		if got.ImportContentStatus != "ok" {
			t.Errorf("status(%s) = %s", id, got.ImportContentStatus)
		}
	}
}

func TestLeontiefUnknownOutput(t *testing.T) {
	ds := threeFirms()
	ds.Participants[2].FinalSalesRUB = nil // C sells nothing we know of
	m := metrics(analyze(t, ds))
	if m["C"].ImportContentTotal != nil || m["C"].ImportContentStatus != "insufficient_data" {
		t.Errorf("C: %v %s", m["C"].ImportContentTotal, m["C"].ImportContentStatus)
	}
	if m["B"].ImportContentTotal == nil {
		t.Error("B's output is known (its sales to C) but got null")
	}
}

// TestRemovalImpact: on the three-firm chain the final producer C buys 200.
// Without A, B loses the 100 of its 160 input value that came from A, so its
// output falls by 62.5% and C loses 0.625·200 = 125 → 0.625. Without B, C
// loses everything; without C, C's own inputs are lost.
func TestRemovalImpact(t *testing.T) {
	m := metrics(analyze(t, threeFirms()))
	for id, want := range map[string]float64{"A": 0.625, "B": 1, "C": 1} {
		if !scalar.EqualWithinAbs(m[id].RemovalImpact, want, 1e-12) {
			t.Errorf("removal_impact(%s) = %v, want %v", id, m[id].RemovalImpact, want)
		}
	}
}

// The adjoint solve for large graphs must agree with the exact propagation on
// an acyclic chain.
func TestRemovalImpactMethodsAgree(t *testing.T) {
	res, err := tabular.ReadDir("testdata/graphs/generated2000", tabular.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ds := res.Dataset
	// Drop back edges to make it acyclic: keep links going to a later id.
	var keep []gm.SupplyLink
	for _, l := range ds.Links {
		if l.SupplierID < l.BuyerID {
			keep = append(keep, l)
		}
	}
	ds.Links = keep
	exact, err := analysis.Analyze(context.Background(), ds, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	linear, err := analysis.Analyze(context.Background(), ds, analysis.Options{ExactRemovalLimit: 10})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range exact.Participants {
		worst = math.Max(worst, math.Abs(exact.Participants[i].RemovalImpact-linear.Participants[i].RemovalImpact))
	}
	if worst > 1e-9 {
		t.Errorf("exact and linear removal impact differ by %g", worst)
	}
}

func TestImportGapsAndNiches(t *testing.T) {
	ps := parts("win1", "win2", "win3", "ext", "paint")
	ds := &gm.Dataset{
		Participants: ps,
		Products: []gm.Product{
			{Code: "20.30.22", Name: "Порошковая краска", ImportSubstitution: true, Inputs: []string{"20.16.10"}},
			{Code: "20.16.10", Name: "Полиэфирные смолы"},
			{Code: "22.21.30", Name: "Термовставки"},
			{Code: "25.72.14", Name: "Фурнитура"},
		},
		Links: []gm.SupplyLink{link("ext", "win1", "", 100), link("ext", "win2", "", 100), link("ext", "win3", "", 100)},
		Imports: []gm.Import{
			{ParticipantID: "win1", ProductCode: "20.30.22", ValueRUB: 30, Quantity: v(10), Unit: "t", Country: "CN"},
			{ParticipantID: "win2", ProductCode: "20.30.22", ValueRUB: 20, Quantity: v(5), Unit: "t", Country: "TR"},
			{ParticipantID: "win3", ProductCode: "20.30.22", ValueRUB: 10, Quantity: v(3), Unit: "t", Country: "CN"},
			{ParticipantID: "win1", ProductCode: "22.21.30", ValueRUB: 80},
			{ParticipantID: "win2", ProductCode: "25.72.14", ValueRUB: 5},
		},
		Capacities: []gm.Capacity{
			{ParticipantID: "paint", ProductCode: "20.30.22", ValueRUB: 25, Quantity: v(8), Unit: "t"},
			{ParticipantID: "paint", ProductCode: "20.16.10", ValueRUB: 7},
			{ParticipantID: "win2", ProductCode: "25.72.14", ValueRUB: 9},
		},
	}
	rep := analyze(t, ds)
	gaps := map[string]analysis.ImportGap{}
	for _, g := range rep.ImportGaps {
		gaps[g.ProductCode] = g
	}
	paint := gaps["20.30.22"]
	if paint.ImportedRUB != 60 || paint.CapacityRUB != 25 || paint.ShippedRUB != 0 || paint.SpareRUB != 25 || paint.GapRUB != 35 || paint.Importers != 3 ||
		*paint.ImportedQuantity != 18 || *paint.GapQuantity != 10 || strings.Join(paint.Countries, ",") != "CN,TR" {
		t.Errorf("paint gap = %+v", paint)
	}
	if gaps["25.72.14"].GapRUB != 0 {
		t.Errorf("fittings: capacity 9 ≥ import 5, gap %v", gaps["25.72.14"].GapRUB)
	}
	if len(rep.Niches) != 2 {
		t.Fatalf("%d niches, want 2 (products with a gap)", len(rep.Niches))
	}
	top := rep.Niches[0]
	// Paint: gap 35, 3 buyers, on the list, 1 adjacent (makes its input 20.16.10 — paint
	// itself also makes 20.30.22 but that is capacity, not adjacency). Thermal strips: gap
	// 80, 1 buyer. Without employment data the LQ factor is left out (weights / 0.9).
	// Issue #17: the gap factor is on one scale for every cluster (GapFactor), no longer
	// relative to the cluster's largest gap (35/80 and 80/80 here before).
	wantPaint := 100 / 0.9 * (0.35*analysis.GapFactor(35) + 0.25*1 + 0.15*1 + 0.15*1.0/3)
	wantStrip := 100 / 0.9 * (0.35*analysis.GapFactor(80) + 0.25*1.0/3)
	if top.ProductCode != "20.30.22" || !scalar.EqualWithinAbs(top.Score, wantPaint, 1e-9) || !scalar.EqualWithinAbs(rep.Niches[1].Score, wantStrip, 1e-9) {
		t.Errorf("niches: %s %.4f (want %.4f), %s %.4f (want %.4f)", top.ProductCode, top.Score, wantPaint, rep.Niches[1].ProductCode, rep.Niches[1].Score, wantStrip)
	}
	sum := 0.0
	for _, f := range top.Factors {
		sum += f.Contribution
		if f.Explanation == "" || f.ExplanationRU == "" {
			t.Errorf("factor %s unexplained", f.Name)
		}
	}
	if !scalar.EqualWithinAbs(sum, top.Score, 1e-9) {
		t.Errorf("factor contributions sum to %v, score %v", sum, top.Score)
	}
	if len(top.Adjacent) != 1 || top.Adjacent[0].ParticipantID != "paint" || top.Adjacent[0].Relation != "makes_input" {
		t.Errorf("adjacent = %+v", top.Adjacent)
	}
}

func TestNicheUsesLocationQuotient(t *testing.T) {
	ds := &gm.Dataset{
		Clusters:     []gm.Cluster{{ID: "c", Name: "C", Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}}},
		Participants: parts("a", "b"),
		Links:        []gm.SupplyLink{link("a", "b", "", 1)},
		Imports:      []gm.Import{{ParticipantID: "b", ProductCode: "20.30.22", ValueRUB: 10}},
		Employment: []gm.Employment{
			{Region: "Омская область", Industry: "20", Employees: 300}, {Region: "Омская область", Industry: "10", Employees: 700},
			{Region: "Москва", Industry: "20", Employees: 100}, {Region: "Москва", Industry: "10", Employees: 900},
		},
	}
	rep := analyze(t, ds)
	// LQ(Омская, 20) = (300/1000) / (400/2000) = 1.5
	n := rep.Niches[0]
	if n.LQ == nil || !scalar.EqualWithinAbs(*n.LQ, 1.5, 1e-12) || n.LQRegion != "Омская область" {
		t.Fatalf("lq = %v %q", n.LQ, n.LQRegion)
	}
	f := n.Factors[len(n.Factors)-1]
	if f.Name != "specialization" || !f.Available || !scalar.EqualWithinAbs(f.Normalized, 0.75, 1e-12) {
		t.Errorf("specialization factor = %+v", f)
	}
}

func TestLocationQuotients(t *testing.T) {
	rows := []gm.Employment{
		{Region: "R1", Industry: "A", Group: "traded", Employees: 30}, {Region: "R1", Industry: "B", Group: "traded", Employees: 70},
		{Region: "R2", Industry: "A", Group: "traded", Employees: 10}, {Region: "R2", Industry: "B", Group: "traded", Employees: 90},
		{Region: "R1", Industry: "L", Group: "local", Employees: 500}, {Region: "R2", Industry: "L", Group: "local", Employees: 100},
	}
	got := map[string]float64{}
	for _, l := range analysis.LocationQuotients(rows) {
		got[l.Region+"/"+l.Industry] = *l.LQ
	}
	// Inside the traded group: LQ(R1,A) = (30/100)/(40/200) = 1.5; LQ(R2,A) = 0.5;
	// LQ(R1,B) = 0.7/0.8 = 0.875. Local: LQ(R1,L) = (500/500)/(600/600) = 1.
	want := map[string]float64{"R1/A": 1.5, "R2/A": 0.5, "R1/B": 0.875, "R2/B": 1.125, "R1/L": 1, "R2/L": 1}
	if d := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); d != "" {
		t.Errorf("LQ (-want +got):\n%s", d)
	}
}

func complianceFixture() *gm.Dataset {
	yes := true
	ps := parts("e1", "e2", "e3", "e4", "e5")
	ps[4].FinalProducer = true
	ps = append(ps, gm.Participant{ID: "sopc", Name: "СОПК", Kind: gm.KindSOPC}, gm.Participant{ID: "uni", Name: "Вуз", Kind: gm.KindUniversity})
	doc := func(l gm.SupplyLink) gm.SupplyLink { l.Documented = true; return l }
	return &gm.Dataset{
		Clusters:     []gm.Cluster{{ID: "c", Name: "C", Kind: gm.ClusterIndustrial, DevelopmentProgramme: &yes}},
		Participants: ps,
		Links:        []gm.SupplyLink{doc(link("e1", "e2", "", 10)), doc(link("e2", "e5", "", 50)), doc(link("e3", "e5", "", 20)), doc(link("e4", "e5", "", 10))},
		Imports:      []gm.Import{{ParticipantID: "e5", ProductCode: "25.11", ValueRUB: 100}},
		Projects: []gm.Project{{ID: "p1", ParticipantID: "e1", Name: "1", ImportSubstitution: true}, {ID: "p2", ParticipantID: "e2", Name: "2", ImportSubstitution: true},
			{ID: "p3", ParticipantID: "e3", Name: "3", ImportSubstitution: true}},
	}
}

func TestCompliance(t *testing.T) {
	status := func(ds *gm.Dataset) map[string]string {
		rep := analyze(t, ds)
		m := map[string]string{"overall": rep.Compliance.Status}
		for _, r := range rep.Compliance.Rules {
			m[r.ID] = r.Status
			if r.Evidence == "" || r.EvidenceRU == "" || r.TitleRU == "" {
				t.Errorf("rule %s lacks evidence or a Russian title", r.ID)
			}
		}
		return m
	}
	all := status(complianceFixture())
	for _, id := range []string{"overall", "sopc", "enterprises", "final_producer", "import_substitution_projects", "documented_cooperation", "development_programme", "science"} {
		if all[id] != analysis.Pass {
			t.Errorf("fixture: rule %s = %s, want pass", id, all[id])
		}
	}
	tests := []struct {
		rule, want string
		change     func(d *gm.Dataset)
	}{
		{"sopc", "fail", func(d *gm.Dataset) {
			d.Participants = d.Participants[:5]
			d.Participants = append(d.Participants, gm.Participant{ID: "uni", Name: "U", Kind: gm.KindResearch})
		}},
		{"enterprises", "fail", func(d *gm.Dataset) { d.Participants[0].Kind = gm.KindInfrastructure }},
		{"final_producer", "fail", func(d *gm.Dataset) { d.Participants[4].FinalProducer = false }},
		{"import_substitution_projects", "fail", func(d *gm.Dataset) { d.Projects[2].ImportSubstitution = false }},
		{"import_substitution_projects", "unknown", func(d *gm.Dataset) { d.Projects = nil }},
		{"documented_cooperation", "fail", func(d *gm.Dataset) { d.Links = d.Links[1:] }},       // e1 unlinked
		{"documented_cooperation", "fail", func(d *gm.Dataset) { d.Imports[0].ValueRUB = 400 }}, // 80/(80+400) < 20%
		{"documented_cooperation", "unknown", func(d *gm.Dataset) {
			for i := range d.Links {
				d.Links[i].Documented = false
			}
		}},
		{"documented_cooperation", "fail", func(d *gm.Dataset) { d.Links[0].Documented = false }}, // e1 only undocumented
		{"development_programme", "unknown", func(d *gm.Dataset) { d.Clusters[0].DevelopmentProgramme = nil }},
		{"development_programme", "fail", func(d *gm.Dataset) { no := false; d.Clusters[0].DevelopmentProgramme = &no }},
		{"science", "fail", func(d *gm.Dataset) { d.Participants = d.Participants[:6] }},
	}
	for _, tc := range tests {
		t.Run(tc.rule+"_"+tc.want, func(t *testing.T) {
			ds := complianceFixture()
			tc.change(ds)
			got := status(ds)
			if got[tc.rule] != tc.want {
				t.Errorf("rule %s = %s, want %s", tc.rule, got[tc.rule], tc.want)
			}
			wantOverall := tc.want
			if got["overall"] != wantOverall {
				t.Errorf("overall = %s, want %s", got["overall"], wantOverall)
			}
		})
	}
}

// Degenerate inputs give defined results, never a panic or NaN.
func TestDegenerateInputs(t *testing.T) {
	tests := map[string]*gm.Dataset{
		"empty":              {},
		"one participant":    {Participants: parts("a")},
		"no links":           {Participants: parts("a", "b", "c")},
		"zero values":        {Participants: parts("a", "b"), Links: []gm.SupplyLink{link("a", "b", "", 0)}},
		"missing values":     {Participants: parts("a", "b", "c"), Links: []gm.SupplyLink{{SupplierID: "a", BuyerID: "b"}, {SupplierID: "b", BuyerID: "c"}}},
		"disconnected parts": {Participants: parts("a", "b", "c", "d"), Links: []gm.SupplyLink{link("a", "b", "", 5), link("c", "d", "", 7)}},
		"two-cycle":          {Participants: parts("a", "b"), Links: []gm.SupplyLink{link("a", "b", "", 5), link("b", "a", "", 7)}},
		"imports only":       {Participants: parts("a"), Imports: []gm.Import{{ParticipantID: "a", ProductCode: "25.11", ValueRUB: 3}}},
	}
	for name, ds := range tests {
		t.Run(name, func(t *testing.T) {
			rep := analyze(t, ds)
			sum := 0.0
			for _, p := range rep.Participants {
				sum += p.PageRank
			}
			if len(rep.Participants) > 0 && !scalar.EqualWithinAbs(sum, 1, 1e-9) {
				t.Errorf("pagerank sums to %v", sum)
			}
		})
	}
}

func TestChain(t *testing.T) {
	ds := &gm.Dataset{
		Participants: parts("ore", "smelter", "extruder", "windows", "other"),
		Links: []gm.SupplyLink{link("ore", "smelter", "07.29", 1), link("smelter", "extruder", "24.42.11", 1),
			link("extruder", "windows", "24.42.22", 1), link("other", "windows", "25.72", 1)},
	}
	ch, err := analysis.ChainOfParticipant(ds, "extruder")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"ore", "smelter"}, ch.Upstream); d != "" {
		t.Errorf("upstream: %s", d)
	}
	if d := cmp.Diff([]string{"windows"}, ch.Downstream); d != "" {
		t.Errorf("downstream: %s", d)
	}
	if len(ch.Links) != 3 {
		t.Errorf("%d links in the chain, want 3", len(ch.Links))
	}
	pc, err := analysis.ChainOfProduct(ds, "24.42.11")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"extruder", "ore", "smelter", "windows"}, pc.Participants); d != "" {
		t.Errorf("product chain: %s", d)
	}
	if _, err := analysis.ChainOfParticipant(ds, "ghost"); gm.ErrorCode(err) != gm.ENOTFOUND {
		t.Errorf("unknown participant: %v", err)
	}
}

func TestMatchesNearerFirst(t *testing.T) {
	ps := []gm.Participant{
		{ID: "buyer", Name: "B", Kind: gm.KindEnterprise, Region: "Омская область"},
		{ID: "far", Name: "F", Kind: gm.KindEnterprise, Region: "Москва"},
		{ID: "near", Name: "N", Kind: gm.KindEnterprise, Region: "Томская область"},
		{ID: "same", Name: "S", Kind: gm.KindEnterprise, Region: "Омская область"},
		{ID: "group", Name: "G", Kind: gm.KindEnterprise, Region: "Омская область"},
	}
	ds := &gm.Dataset{Participants: ps,
		Imports: []gm.Import{{ParticipantID: "buyer", ProductCode: "24.42.22", ValueRUB: 10}},
		Capacities: []gm.Capacity{{ParticipantID: "far", ProductCode: "24.42.22", ValueRUB: 100}, {ParticipantID: "near", ProductCode: "24.42.22", ValueRUB: 5},
			{ParticipantID: "same", ProductCode: "24.42.22", ValueRUB: 1}, {ParticipantID: "group", ProductCode: "24.42.11", ValueRUB: 50}, {ParticipantID: "buyer", ProductCode: "24.42.22", ValueRUB: 1}},
	}
	var got []string
	for _, m := range analysis.Matches(ds) {
		got = append(got, m.SupplierID+":"+m.Kind+":"+m.Proximity)
	}
	want := []string{"same:exact:same_region", "near:exact:same_district", "far:exact:other", "group:same_group:same_region"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("matches (-want +got):\n%s", d)
	}
}
