package app_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// Three regions, hand-counted (threshold 2):
//   - ru-001 «Омская область», 10 participants in the registry, no data;
//   - ru-002 «Омская область; Томская область» with data: its SOPC in
//     Томская, enterprises e1, e2 (Омская) and e3 (Томская), a university
//     in Томская, e1's import-substitution project, imports e1 100 and e2 50
//     of 24.10, e3 30 of 25.11;
//   - ru-003 «Томская область; Донецкая Народная Республика», no data.
//
// Omsk: clusters 2, SOPC 1, participants 10+2, projects 1, measures
// (presence) 1, niche volume 150, products 1. Tomsk: clusters 2, SOPC 1,
// participants 1 (a lower bound), historical 1, volume withheld (one
// importer), products 1, university 1. DPR: clusters 1, historical 1.
func regionsApp(t *testing.T) (*app.App, *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "r.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	seed := &gm.Seed{Clusters: []gm.Cluster{
		{ID: "ru-001", Name: "Первый", RegistryNo: 1, Regions: []string{"Омская область"}, Kind: gm.ClusterIndustrial, ParticipantsCount: 10, Specialization: "Химия"},
		{ID: "ru-002", Name: "Второй", RegistryNo: 2, Regions: []string{"Омская область", "Томская область"}, Kind: gm.ClusterInterregional, ParticipantsCount: 20, Specialization: "Металлургия"},
		{ID: "ru-003", Name: "Третий", RegistryNo: 3, Regions: []string{"Томская область", "Донецкая Народная Республика"}, Kind: gm.ClusterInterregional, ParticipantsCount: 8},
	}, Rating: []gm.RegionRating{{Rank: 2, Region: "Омская область", S1: 26.7, S2: 13, S3: 5, S4: 5, S5: 4, Total: 53.7}}}
	if _, err := db.LoadSeed(ctx, seed); err != nil {
		t.Fatal(err)
	}
	p := func(id string, kind gm.ParticipantKind, region string) gm.Participant {
		return gm.Participant{ID: id, Name: "Участник " + id, Kind: kind, Region: region}
	}
	ds := &gm.Dataset{
		Participants: []gm.Participant{p("sopc2", gm.KindSOPC, "Томская область"), p("e1", gm.KindEnterprise, "Омская область"),
			p("e2", gm.KindEnterprise, "Омская область"), p("e3", gm.KindEnterprise, "Томская область"), p("u1", gm.KindUniversity, "Томская область")},
		Products: []gm.Product{{Code: "24.10", Name: "Сталь"}, {Code: "25.11", Name: "Конструкции"}},
		Imports: []gm.Import{{ParticipantID: "e1", ProductCode: "24.10", ValueRUB: 100, Year: 2024}, {ParticipantID: "e2", ProductCode: "24.10", ValueRUB: 50, Year: 2024},
			{ParticipantID: "e3", ProductCode: "25.11", ValueRUB: 30, Year: 2024}},
		Projects: []gm.Project{{ID: "pr1", ParticipantID: "e1", Name: "Проект", ImportSubstitution: true}},
	}
	if _, err := db.Import(ctx, "ru-002", ds, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	ref := &gm.Reference{Measures: []gm.SupportMeasure{
		{ID: "m1", Level: gm.LevelRegional, Kind: "subsidy", Region: "Омская область", Name: "Мера 1"},
		{ID: "m2", Level: gm.LevelRegional, Kind: "loan", Region: "Омская область", Name: "Мера 2"},
		{ID: "f1", Level: gm.LevelFederal, Kind: "loan", Name: "Федеральная"},
	}}
	return app.New(app.Deps{Store: db, Reference: ref, Config: app.Config{AggregationThreshold: 2}}), db
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRatingEstimateHandComputed(t *testing.T) {
	a, db := regionsApp(t)
	est, err := a.RatingEstimate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if est.Label != "оценка coopchain" || len(est.Blocks) != 5 || est.Blocks[0].Name != "Количественные показатели" {
		t.Errorf("label %q, blocks %+v", est.Label, est.Blocks)
	}
	// Omsk: S1 5·2/2 + 5·1/1 + 5·12/12 + 5·1/1 = 20; S2 7.5; S3 2.5 + 2.5.
	// Tomsk: S1 5 + 5 + 5·1/12 + 5 (historical); S3 2.5 (products); S4 2.
	// DPR: S1 5·1/2 + 5 (historical).
	want := []struct {
		region     string
		s1, s2, s3 float64
		s4, total  float64
	}{
		{"Омская область", 20, 7.5, 5, 0, 32.5},
		{"Томская область", 15 + 5.0/12, 0, 2.5, 2, 19.5 + 5.0/12},
		{"Донецкая Народная Республика", 7.5, 0, 0, 0, 7.5},
	}
	if len(est.Regions) != 3 {
		t.Fatalf("%d regions: %+v", len(est.Regions), est.Regions)
	}
	for i, w := range want {
		r := est.Regions[i]
		if r.Region != w.region || r.Rank != i+1 || !approx(r.Block("S1"), w.s1) || !approx(r.Block("S2"), w.s2) || !approx(r.Block("S3"), w.s3) ||
			!approx(r.Block("S4"), w.s4) || !approx(r.Total, w.total) {
			t.Errorf("row %d: %s #%d S1 %v S2 %v S3 %v S4 %v total %v; want %+v", i, r.Region, r.Rank, r.Block("S1"), r.Block("S2"), r.Block("S3"), r.Block("S4"), r.Total, w)
		}
	}
	omsk, tomsk := est.Regions[0], est.Regions[1]
	if omsk.Published == nil || !approx(*omsk.Difference, 32.5-53.7) || tomsk.Published != nil || tomsk.Difference != nil {
		t.Errorf("published: %+v %+v", omsk.Published, tomsk.Difference)
	}
	ind := func(r app.EstimateRow, key string) analysis.IndicatorScore {
		for _, s := range r.Indicators {
			if s.Key == key {
				return s
			}
		}
		t.Fatalf("no %s", key)
		return analysis.IndicatorScore{}
	}
	if v := ind(omsk, analysis.IndNicheVolume).Value; v == nil || *v != 150 {
		t.Errorf("Omsk's niche volume %v, want 150", v)
	}
	if v := ind(tomsk, analysis.IndNicheVolume); v.Value != nil || v.Points != nil {
		t.Errorf("Tomsk's volume (one importer) is shown: %+v", v)
	}
	if !ind(tomsk, analysis.IndParticipants).Partial || ind(omsk, analysis.IndParticipants).Partial {
		t.Error("partial marks")
	}
	if s := ind(omsk, "s5_proclusters"); s.Value != nil || s.Points != nil {
		t.Errorf("an indicator without data has a value: %+v", s)
	}
	// A change to the data is seen at once: e3's import-substitution project
	// gives Tomsk the projects' maximum too (5 more points).
	if _, err := db.Import(context.Background(), "ru-002", &gm.Dataset{Projects: []gm.Project{{ID: "pr2", ParticipantID: "e3", Name: "Второй", ImportSubstitution: true}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	est, err = a.RatingEstimate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := est.Row("Томская область"); !approx(r.Total, 24.5+5.0/12) {
		t.Errorf("after a new project Tomsk has %v, want %v", r.Total, 24.5+5.0/12)
	}
}

func TestRegionWhatIf(t *testing.T) {
	a, _ := regionsApp(t)
	ctx := context.Background()
	levers, err := app.ParseWhatIf(query{"participants": " 12", "projects": "+1", "measures": "1"}.get)
	if err != nil {
		t.Fatal(err)
	}
	// Tomsk: S1 5+5+5·13/13+5+5 = 25, S2 7.5, S3 2.5, S4 2 → 37, first.
	w, err := a.RegionWhatIf(ctx, "томская  область", levers)
	if err != nil {
		t.Fatal(err)
	}
	if w.Region != "Томская область" || !approx(w.Before.Total, 19.5+5.0/12) || w.Before.Rank != 2 || !approx(w.After.Total, 37) || w.After.Rank != 1 || w.RankChange != 1 {
		t.Errorf("%+v → %+v (%d)", w.Before.Total, w.After.Total, w.RankChange)
	}
	// No change: the same score.
	w, err = a.RegionWhatIf(ctx, "Омская область", nil)
	if err != nil || !approx(w.After.Total, 32.5) || w.RankChange != 0 {
		t.Errorf("%+v %v", w, err)
	}
	for _, bad := range []query{{"clusters": "-1"}, {"measures": "много"}, {"projects": "1001"}} {
		if _, err := app.ParseWhatIf(bad.get); gm.ErrorCode(err) != gm.EINVALID {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if _, err := a.RegionWhatIf(ctx, "Нарния", nil); gm.ErrorCode(err) != gm.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
}

type query map[string]string

func (q query) get(k string) string { return q[k] }

func TestCompareRegions(t *testing.T) {
	a, _ := regionsApp(t)
	ctx := context.Background()
	c, err := a.CompareRegions(ctx, app.Principal{}, []string{"Омская область", "Донецкая Народная Республика", "омская область"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Regions) != 2 || c.Regions[0].Region != "Омская область" || len(c.Regions[0].Clusters) != 2 || c.Regions[0].Participants != 30 ||
		len(c.Regions[0].Specialisations) != 2 || c.Regions[0].LQ != nil || c.Regions[0].Niches != nil || !approx(c.Regions[0].Estimate.Total, 32.5) {
		t.Errorf("%+v", c.Regions)
	}
	var many []string
	for i := 0; i < 11; i++ {
		many = append(many, []string{"Омская область", "Томская область"}[i%2]+string(rune('а'+i)))
	}
	if _, err := a.CompareRegions(ctx, app.Principal{}, many); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("unknown names: %v", err)
	}
	if _, err := a.CompareRegions(ctx, app.Principal{}, []string{"Омская область", "Марс"}); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("unknown region: %v", err)
	}
}

// ru-001 gets x1 and shares e1 with ru-002: x1→e1 (500) is a link from
// ru-001 to ru-002 (x1 is no member of ru-002); x1 can make 24.10, which e1
// (100) and e2 (50) import: two matches, 150 of imports.
func TestCooperationBetweenClusters(t *testing.T) {
	a, db := regionsApp(t)
	ctx := context.Background()
	ds := &gm.Dataset{
		Participants: []gm.Participant{{ID: "x1", Name: "Завод Икс", Kind: gm.KindEnterprise, Region: "Омская область"},
			{ID: "e1", Name: "Участник e1", Kind: gm.KindEnterprise, Region: "Омская область"}},
		Links:      []gm.SupplyLink{{SupplierID: "x1", BuyerID: "e1", ProductCode: "24.10", ValueRUB: gm.Ptr(500.0), Year: 2024}},
		Capacities: []gm.Capacity{{ParticipantID: "x1", ProductCode: "24.10", ValueRUB: 1000, Year: 2024}},
	}
	if _, err := db.Import(ctx, "ru-001", ds, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	admin := app.Principal{Role: gm.RoleAdmin}
	v, err := a.Cooperation(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Clusters) != 2 || len(v.Edges) != 1 {
		t.Fatalf("%+v", v)
	}
	e := v.Edges[0]
	if e.From != "ru-001" || e.To != "ru-002" || e.Links != 1 || e.Matches != 2 || e.ValueRUB == nil || *e.ValueRUB != 500 || e.ImportedRUB == nil || *e.ImportedRUB != 150 {
		t.Errorf("admin's edge %+v", e)
	}
	if len(v.Flows) != 3 || v.HiddenFlows != 0 {
		t.Errorf("admin sees %d flows, %d hidden", len(v.Flows), v.HiddenFlows)
	}
	// A member of one of the two clusters and an investor see the counts,
	// the sum of two importers (threshold 2), not the one supplier's 500,
	// and no company.
	for _, me := range []app.Principal{{Role: gm.RoleViewer, ClusterID: "ru-002"}, {Role: gm.RoleInvestor}} {
		v, err := a.Cooperation(ctx, me)
		if err != nil {
			t.Fatal(err)
		}
		e := v.Edges[0]
		if len(v.Flows) != 0 || v.HiddenFlows != 3 || e.ValueRUB != nil || !e.Confidential || !e.ValueWithheld || e.ImportsWithheld || e.ImportedRUB == nil || *e.ImportedRUB != 150 || e.Links != 1 {
			t.Errorf("%s sees %+v, flows %d", me.Role, e, len(v.Flows))
		}
	}
	if _, err := a.Cooperation(ctx, app.Principal{}); gm.ErrorCode(err) != gm.EUNAUTHORIZED {
		t.Errorf("public: %v", err)
	}
	if _, err := a.Cooperation(ctx, app.Principal{Role: gm.RoleParticipant, ClusterID: "ru-002", ParticipantID: "e2"}); gm.ErrorCode(err) != gm.EFORBIDDEN {
		t.Errorf("participant: %v", err)
	}
}
