package analysis_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
)

// demo analyses the demo cluster as the server does: the registry entry
// with the cluster's data.
func demo(t *testing.T) (*analysis.Report, *gm.Dataset, *gm.Cluster) {
	t.Helper()
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	var cl gm.Cluster
	for _, c := range s.Clusters {
		if c.ID == seeds.DemoCluster {
			cl = c
		}
	}
	ds := s.Data[seeds.DemoCluster]
	ds.Clusters = []gm.Cluster{cl}
	rep, err := analysis.Analyze(context.Background(), ds, analysis.Options{ClusterID: cl.ID})
	if err != nil {
		t.Fatal(err)
	}
	return rep, ds, &cl
}

// The demo cluster: 15 participants, 14 enterprises, 40% of its value
// shipped inside, density 0.09, registered — a working cluster, LQ unknown.
func TestTypologyDemoCluster(t *testing.T) {
	rep, ds, cl := demo(t)
	uses, err := seeds.MeasureUses()
	if err != nil {
		t.Fatal(err)
	}
	in := analysis.TypologyInputOf(rep, cl, uses).WithSpecialisation(ds, cl, nil)
	ty := analysis.ClassifyCluster(in)
	if ty.Type != analysis.TypeWorking {
		t.Fatalf("type %s: %s", ty.Type, ty.Explanation)
	}
	levels := map[string]string{}
	for _, d := range ty.Dimensions {
		levels[d.Name] = d.Level
		if d.Explanation == "" || d.ExplanationRU == "" {
			t.Errorf("%s unexplained", d.Name)
		}
	}
	if levels["critical_mass"] != analysis.LevelFull || levels["interaction"] != analysis.LevelStrong || levels["state_support"] != analysis.LevelYes {
		t.Errorf("levels %v", levels)
	}
	for _, want := range []string{"Рабочий кластер", "участников по данным 15", "промышленных предприятий: 14", "доля поставок внутри кластера 40%", "плотность связей 0,090",
		"входит в реестр промышленных кластеров", "коэффициент локализации не учтён", "иллюстративные"} { // was "LQ не учтён": no English in Russian text
		if !strings.Contains(ty.ExplanationRU, want) {
			t.Errorf("explanation lacks %q: %s", want, ty.ExplanationRU)
		}
	}
	if strings.Join(ty.Missing, ",") != "lq" || !ty.Illustrative {
		t.Errorf("missing %v, illustrative %v", ty.Missing, ty.Illustrative)
	}
	t.Logf("%s", ty.ExplanationRU)
}

// Every type, from the thresholds.
func TestTypologyTypes(t *testing.T) {
	i := func(v int) *int { return &v }
	tests := []struct {
		name string
		in   analysis.TypologyInput
		want string
	}{
		{"working", analysis.TypologyInput{Participants: 12, Enterprises: i(8), CooperationShare: f(0.3), Density: f(0.1), Links: 14, Registered: true}, analysis.TypeWorking},
		{"latent: mass without cooperation", analysis.TypologyInput{Participants: 12, Enterprises: i(8), CooperationShare: f(0.05), Density: f(0.1), Links: 14}, analysis.TypeLatent},
		{"latent: sparse links", analysis.TypologyInput{Participants: 40, Enterprises: i(30), CooperationShare: f(0.5), Density: f(0.01), Links: 15}, analysis.TypeLatent},
		// Issue #17: a registry entry without data was called latent; missing data never decides a type.
		{"unknown: a registry entry without data", analysis.TypologyInput{Participants: 21, FromRegistry: true, Registered: true}, analysis.TypeUnknown},
		{"potential whatever the interaction: not chosen by the state, few participants, no links data", analysis.TypologyInput{Participants: 6, FromRegistry: true}, analysis.TypePotential},
		{"not working when the region is not specialised", analysis.TypologyInput{Participants: 12, Enterprises: i(8), CooperationShare: f(0.3), Density: f(0.1), Links: 14, LQ: f(0.7)}, analysis.TypePotential},
		{"potential: few but cooperating", analysis.TypologyInput{Participants: 6, Enterprises: i(5), CooperationShare: f(0.3), Density: f(0.2), Links: 6}, analysis.TypePotential},
		{"too few enterprises", analysis.TypologyInput{Participants: 12, Enterprises: i(3), CooperationShare: f(0.3), Density: f(0.1), Links: 14}, analysis.TypePotential},
		{"state-supported", analysis.TypologyInput{Participants: 7, Enterprises: i(5), Density: f(0), Registered: true}, analysis.TypeStateSupported},
		{"state-supported thanks to a specialised region", analysis.TypologyInput{Participants: 3, Enterprises: i(2), Density: f(0), LQ: f(1.4), MeasuresUsed: []string{"fed-starting-batch"}}, analysis.TypeStateSupported},
		{"wishful thinking", analysis.TypologyInput{Participants: 3, Enterprises: i(2), Density: f(0), Registered: true, LQ: f(0.6)}, analysis.TypeWishful},
		{"not chosen by the state, nothing there", analysis.TypologyInput{Participants: 2, Enterprises: i(1), Density: f(0)}, analysis.TypePotential},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ty := analysis.ClassifyCluster(tc.in)
			if ty.Type != tc.want {
				t.Errorf("type %s, want %s: %s", ty.Type, tc.want, ty.Explanation)
			}
			if len(ty.Dimensions) != 3 || ty.Explanation == "" || ty.ExplanationRU == "" {
				t.Errorf("typology %+v", ty)
			}
		})
	}
}

// The LQ of the cluster's industry comes from an employment table.
func TestTypologySpecialisation(t *testing.T) {
	rep, ds, cl := demo(t)
	emp := []gm.Employment{
		{Region: "Республика Ингушетия", Industry: "25", Employees: 300}, {Region: "Республика Ингушетия", Industry: "10", Employees: 700},
		{Region: "Тверская область", Industry: "25", Employees: 100}, {Region: "Тверская область", Industry: "10", Employees: 900},
	}
	in := analysis.TypologyInputOf(rep, cl, nil).WithSpecialisation(ds, cl, emp)
	// Most enterprises are in OKVED 25; LQ in Ingushetia = (300/1000)/(400/2000) = 1.5.
	if in.LQ == nil || *in.LQ != 1.5 || in.LQRegion != "Республика Ингушетия" || in.LQIndustry != "25" {
		t.Fatalf("lq %v %s %s", in.LQ, in.LQRegion, in.LQIndustry)
	}
	if ty := analysis.ClassifyCluster(in); ty.Type != analysis.TypeWorking || len(ty.Missing) != 0 {
		t.Errorf("%s %v", ty.Type, ty.Missing)
	}
}

// Issue #17, point 8: «Определение типа кластера важно для понимания, какие
// конкретно действия будут эффективны …» (004:343-353): every type carries
// its recommended actions, each quoting the line it comes from.
func TestTypologyActions004L343(t *testing.T) {
	seedSays(t, "004:343-353", "какие конкретно действия будут эффективны для его дальнейшего развития")
	i := func(v int) *int { return &v }
	for _, tc := range []struct {
		in   analysis.TypologyInput
		want string
	}{
		{analysis.TypologyInput{Participants: 12, Enterprises: i(8), CooperationShare: f(0.3), Density: f(0.1), Links: 14, Registered: true}, "identify_niches"},
		{analysis.TypologyInput{Participants: 12, Enterprises: i(8), CooperationShare: f(0.05), Density: f(0.1), Links: 14}, "build_infrastructure"},
		{analysis.TypologyInput{Participants: 6, Enterprises: i(5), CooperationShare: f(0.3), Density: f(0.2), Links: 6}, "attract_organisations"},
		{analysis.TypologyInput{Participants: 7, Enterprises: i(5), Density: f(0), Registered: true}, "attract_organisations"},
		{analysis.TypologyInput{Participants: 21, FromRegistry: true, Registered: true}, "collect_data"},
	} {
		ty := analysis.ClassifyCluster(tc.in)
		if len(ty.Actions) == 0 || ty.Actions[0].ID != tc.want || ty.ActionsNoteRU == "" {
			t.Errorf("%s: actions %+v", ty.Type, ty.Actions)
			continue
		}
		for _, a := range ty.Actions {
			// The action's Russian text is the document's wording.
			quote := map[string]string{"attract_organisations": "привлечение большего числа организаций из отдельно взятой и схожих отраслей для создания критической массы",
				"build_infrastructure": "формирование физической инфраструктуры для лучшей коммуникации и обмена информацией между уже имеющимися компаниями",
				"collect_data":         "Оперативный ежегодный сбор информации", "identify_niches": "Выявление инвестиционных ниш с целью импортозамещения",
				"attract_investment": "Привлечение инвестиций (как бюджетных, так и внебюджетных)"}[a.ID]
			if !strings.Contains(strings.ToLower(a.TextRU), strings.ToLower(quote)) {
				t.Errorf("%s: %q does not quote %q", a.ID, a.TextRU, quote)
			}
			seedSays(t, a.Source, quote)
		}
		if len(ty.Settings) != 6 {
			t.Errorf("settings %+v", ty.Settings)
		}
	}
}
