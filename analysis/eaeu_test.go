package analysis_test

import (
	"math"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
)

func eaeuRules(t *testing.T) gm.EAEURules {
	t.Helper()
	r, err := seeds.EAEURules()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func f(v float64) *float64 { return &v }

// project is a complete production-cooperation project: KZ and BY partners
// bring 6% of the production cost, a 4-year project, a 1 bn loan at 20%
// with the key rate at 16% from an authorised lender (the rule of 001:660
// that the check asks since issue #17).
func project(countries ...string) analysis.EAEUProject {
	yes := true
	p := analysis.EAEUProject{Type: "production", ProductionCostRUB: f(2e9), CooperationRUB: f(120e6), DurationYears: f(4),
		LoanRUB: f(1e9), LoanRatePct: f(20), KeyRatePct: f(16), AuthorisedLender: &yes}
	for _, c := range countries {
		p.Participants = append(p.Participants, analysis.EAEUParticipant{Name: "participant " + c, Country: c})
	}
	return p
}

func rule(c *analysis.EAEUCheck, id string) analysis.Rule {
	for _, r := range c.Rules {
		if r.ID == id {
			return r
		}
	}
	return analysis.Rule{}
}

func TestEAEUCheckStates(t *testing.T) {
	r := eaeuRules(t)
	tests := []struct {
		name      string
		countries []string
		status    string
		states    int
	}{
		{"two states", []string{"RU", "KZ", "RU"}, analysis.NotEligible, 2},
		{"three states", []string{"RU", "KZ", "BY"}, analysis.Eligible, 3},
		{"names instead of codes", []string{"Россия", "Казахстан", "Республика Беларусь", "Кыргызстан"}, analysis.Eligible, 4},
		// Uzbekistan and Turkey are not EAEU members: they do not count.
		{"two members and outsiders", []string{"RU", "KZ", "UZ", "TR"}, analysis.NotEligible, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := analysis.CheckEAEU(r, project(tc.countries...))
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != tc.status || len(c.States) != tc.states || c.Eligible != (tc.status == analysis.Eligible) {
				t.Fatalf("status %s, states %v: %+v", c.Status, c.States, c.Rules)
			}
			st := rule(c, "member_states")
			if (st.Status == analysis.Pass) != (tc.states >= 3) || !strings.Contains(st.Evidence, "001:664") {
				t.Errorf("member_states rule: %+v", st)
			}
			if tc.status == analysis.NotEligible && (c.CompensationRUB != 0 || !strings.Contains(c.ExplanationRU, "компенсации нет")) {
				t.Errorf("not eligible but compensated: %+v", c)
			}
			if tc.name == "two members and outsiders" && strings.Join(c.Outside, ",") != "TR,UZ" {
				t.Errorf("non-members %v", c.Outside)
			}
		})
	}
}

// Each form of cooperation: its share of its base, at the threshold and
// just below it.
func TestEAEUCooperationTypes(t *testing.T) {
	r := eaeuRules(t)
	tests := []struct {
		typ      string
		share    float64
		baseProd bool
	}{
		{"production", 0.05, true},
		{"technological", 0.05, false},
		{"services", 0.10, false},
		{"investment", 0.10, false},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			base := 1e9
			p := project("RU", "KZ", "AM")
			p.Type = tc.typ
			p.ProductionCostRUB, p.ProjectCostRUB = nil, nil
			if tc.baseProd {
				p.ProductionCostRUB = &base
			} else {
				p.ProjectCostRUB = &base
			}
			p.CooperationRUB = f(tc.share * base)
			c, err := analysis.CheckEAEU(r, p)
			if err != nil {
				t.Fatal(err)
			}
			if c.Type == nil || c.Type.ID != tc.typ || c.Type.SharePct != 100*tc.share || c.RequiredCooperationRUB == nil || math.Abs(*c.RequiredCooperationRUB-tc.share*base) > 1e-3 {
				t.Fatalf("type %+v, required %v", c.Type, c.RequiredCooperationRUB)
			}
			if c.Status != analysis.Eligible {
				t.Errorf("at the threshold: %s %+v", c.Status, rule(c, "cooperation"))
			}
			p.CooperationRUB = f(tc.share*base - 1e6)
			c, _ = analysis.CheckEAEU(r, p)
			if c.Status != analysis.NotEligible || rule(c, "cooperation").Status != analysis.Fail {
				t.Errorf("below the threshold: %s %+v", c.Status, rule(c, "cooperation"))
			}
			// The wrong base is not taken for the right one.
			p.CooperationRUB = f(tc.share * base)
			p.ProductionCostRUB, p.ProjectCostRUB = p.ProjectCostRUB, p.ProductionCostRUB
			c, _ = analysis.CheckEAEU(r, p)
			if c.Status != analysis.Incomplete || rule(c, "cooperation").Status != analysis.Unknown {
				t.Errorf("base of the other kind: %s %+v", c.Status, rule(c, "cooperation"))
			}
		})
	}
	if _, err := analysis.CheckEAEU(r, analysis.EAEUProject{Type: "trade", Participants: []analysis.EAEUParticipant{{Country: "RU"}}}); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("unknown type: %v", err)
	}
	if _, err := analysis.CheckEAEU(r, analysis.EAEUProject{Participants: []analysis.EAEUParticipant{{Country: "Атлантида"}}}); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("unknown country: %v", err)
	}
}

func TestEAEUCaps(t *testing.T) {
	r := eaeuRules(t)
	check := func(p analysis.EAEUProject) *analysis.EAEUCheck {
		t.Helper()
		c, err := analysis.CheckEAEU(r, p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// 1 bn at a 16% key rate: 160 mln a year, under the cap, for 5 years.
	c := check(project("RU", "KZ", "BY"))
	if c.CompensationPerYearRUB != 160e6 || c.CompensationYears != 5 || c.CompensationRUB != 800e6 {
		t.Errorf("1 bn loan: %v a year × %d = %v", c.CompensationPerYearRUB, c.CompensationYears, c.CompensationRUB)
	}
	// 5 bn: 800 mln of interest a year, capped at 350 mln.
	p := project("RU", "KZ", "BY")
	p.LoanRUB = f(5e9)
	c = check(p)
	if c.CompensationPerYearRUB != 350e6 || c.CompensationRUB != 1750e6 || !strings.Contains(c.Explanation, "cap") {
		t.Errorf("5 bn loan: %v a year, %v in all (%s)", c.CompensationPerYearRUB, c.CompensationRUB, c.Explanation)
	}
	// A loan rate below the key rate: no more than the interest is paid.
	p = project("RU", "KZ", "BY")
	p.LoanRatePct = f(10)
	if c = check(p); c.CompensationPerYearRUB != 100e6 {
		t.Errorf("10%% loan: %v a year", c.CompensationPerYearRUB)
	}
	// A shorter subsidy term is kept; a longer one is cut to 5 years.
	p = project("RU", "KZ", "BY")
	three, seven := 3, 7
	p.SubsidyYears = &three
	if c = check(p); c.CompensationYears != 3 || c.CompensationRUB != 480e6 {
		t.Errorf("3 years: %d, %v", c.CompensationYears, c.CompensationRUB)
	}
	p.SubsidyYears = &seven
	if c = check(p); c.CompensationYears != 5 {
		t.Errorf("7 years asked: %d", c.CompensationYears)
	}
	// The project's term: 5 years pass, 6 do not.
	p = project("RU", "KZ", "BY")
	p.DurationYears = f(5)
	if c = check(p); c.Status != analysis.Eligible {
		t.Errorf("5-year project: %s", c.Status)
	}
	p.DurationYears = f(6)
	if c = check(p); c.Status != analysis.NotEligible || rule(c, "project_term").Status != analysis.Fail {
		t.Errorf("6-year project: %s", c.Status)
	}
	// The loan rate: key rate + 6.5 pp passes, more does not.
	p = project("RU", "KZ", "BY")
	p.LoanRatePct = f(22.5)
	if c = check(p); c.Status != analysis.Eligible {
		t.Errorf("rate 22.5%% with key 16%%: %s %+v", c.Status, rule(c, "loan_rate"))
	}
	p.LoanRatePct = f(22.6)
	if c = check(p); c.Status != analysis.NotEligible || rule(c, "loan_rate").Status != analysis.Fail {
		t.Errorf("rate 22.6%%: %s", c.Status)
	}
	// Without the loan's figures the check is incomplete and the most it can
	// say is the cap over the term.
	p = analysis.EAEUProject{Type: "services", ProjectCostRUB: f(1e9), CooperationRUB: f(2e8), DurationYears: f(3),
		Participants: []analysis.EAEUParticipant{{Country: "RU"}, {Country: "KG"}, {Country: "AM"}}}
	if c = check(p); c.Status != analysis.Incomplete || c.CompensationPerYearRUB != 350e6 || c.CompensationRUB != 1750e6 {
		t.Errorf("no loan: %s, %v", c.Status, c.CompensationRUB)
	}
}

func TestEAEUChains(t *testing.T) {
	r := eaeuRules(t)
	d := &gm.Dataset{
		Participants: []gm.Participant{
			{ID: "kz-ore", Name: "Руда", Kind: gm.KindEnterprise, Country: "KZ"},
			{ID: "ru-melt", Name: "Плавка", Kind: gm.KindEnterprise},
			{ID: "ru-final", Name: "Изделия", Kind: gm.KindEnterprise, FinalProducer: true},
			{ID: "ru-other", Name: "Другие изделия", Kind: gm.KindEnterprise, FinalProducer: true},
			{ID: "cn-supplier", Name: "Поставщик", Kind: gm.KindForeignSupplier, Country: "CN"},
		},
		Links: []gm.SupplyLink{
			{SupplierID: "kz-ore", BuyerID: "ru-melt"}, {SupplierID: "ru-melt", BuyerID: "ru-final"},
			{SupplierID: "cn-supplier", BuyerID: "ru-other"}, {SupplierID: "ru-melt", BuyerID: "ru-other"},
		},
		Imports: []gm.Import{{ParticipantID: "ru-melt", ProductCode: "24.45.30", ValueRUB: 1, Country: "BY"},
			{ParticipantID: "ru-other", ProductCode: "22.21.10", ValueRUB: 1, Country: "CN"}},
	}
	chains := analysis.EAEUChains(d, r)
	// Both final producers have KZ ore and the BY import upstream.
	if len(chains) != 2 {
		t.Fatalf("chains = %+v", chains)
	}
	for _, c := range chains {
		if strings.Join(c.States, ",") != "BY,KZ,RU" || c.ByState["BY"][0] != "import:ru-melt" || c.ByState["KZ"][0] != "kz-ore" {
			t.Errorf("chain %+v", c)
		}
	}
	// Without the Belarusian import only two states remain: no chain.
	d.Imports = d.Imports[1:]
	if chains := analysis.EAEUChains(d, r); len(chains) != 0 {
		t.Errorf("two states: %+v", chains)
	}
}

// Issue #17, point 7: «Эта поддержка распространяется на займы и кредиты,
// выдаваемые уполномоченными банками и институтами развития государств –
// членов ЕАЭС» (001:660): the check asks who lends.
func TestEAEULender001L660(t *testing.T) {
	seedSays(t, "001:660", "выдаваемые уполномоченными банками и институтами развития государств – членов ЕАЭС")
	r := eaeuRules(t)
	no := false
	for _, tc := range []struct {
		lender *bool
		rule   string
		status string
	}{{nil, analysis.Unknown, analysis.Incomplete}, {&no, analysis.Fail, analysis.NotEligible}} {
		p := project("RU", "KZ", "BY")
		p.AuthorisedLender = tc.lender
		c, err := analysis.CheckEAEU(r, p)
		if err != nil {
			t.Fatal(err)
		}
		if x := rule(c, "authorised_lender"); x.Status != tc.rule || c.Status != tc.status || !strings.Contains(x.EvidenceRU, "[001:660]") {
			t.Errorf("lender %v: %s %s %s", tc.lender, x.Status, c.Status, x.EvidenceRU)
		}
	}
}
