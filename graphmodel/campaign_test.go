package graphmodel_test

import (
	"strconv"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/google/go-cmp/cmp"
)

func f(v float64) *float64 { return &v }

var members = map[string]string{"ingots": "Слитки", "profile": "Профиль", "win1": "Окна 1"}

func ctxFor(pid string) gm.SubmissionContext {
	return gm.SubmissionContext{Participant: pid, Members: members, KnownProduct: func(c string) bool { return c != "99.99.99" }}
}

// paths lists the field paths of the problems, in order.
func paths(ps []gm.Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Column)
	}
	return out
}

func flagPaths(fs []gm.Flag) []string {
	out := []string{}
	for _, x := range fs {
		out = append(out, x.Code+"@"+x.Field)
	}
	return out
}

func TestSubmissionValidate(t *testing.T) {
	tests := []struct {
		name  string
		sub   gm.Submission
		prev  *gm.Submission
		errs  []string
		flags []string
	}{
		{"empty is refused", gm.Submission{}, nil, []string{"indicators"}, []string{}},
		{"one figure is enough", gm.Submission{Indicators: gm.Indicators{Employees: f(3)}}, nil, []string{}, []string{}},
		{"negative indicator, fractional employees", gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(-1), Employees: f(12.5)}}, nil,
			[]string{"indicators.shipped_rub", "indicators.employees"}, []string{}},
		{"bad code, missing value, supplier not a participant", gm.Submission{Purchases: []gm.Purchase{
			{SupplierID: "profile", ProductCode: "24.42.22", ValueRUB: f(10)},
			{SupplierID: "stranger", ProductCode: "24,42", ValueRUB: nil},
		}}, nil, []string{"purchases[1].supplier_id", "purchases[1].product_code", "purchases[1].value_rub"}, []string{}},
		{"no supplier; both kinds; self", gm.Submission{Purchases: []gm.Purchase{
			{ProductCode: "24.42.22", ValueRUB: f(1)},
			{SupplierID: "profile", SupplierName: "ООО Ромашка", ProductCode: "24.42.22", ValueRUB: f(1)},
			{SupplierID: "ingots", ProductCode: "24.42.22", ValueRUB: f(1)},
		}}, nil, []string{"purchases[0].supplier_id", "purchases[1].supplier_name", "purchases[2].supplier_id"}, []string{}},
		{"duplicates", gm.Submission{
			Purchases: []gm.Purchase{{SupplierID: "profile", ProductCode: "24.42.22", ValueRUB: f(1)}, {SupplierID: "profile", ProductCode: "24.42.22", ValueRUB: f(2)}},
			Imports:   []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(1)}, {ProductCode: "22.21.10", Country: "CN", ValueRUB: f(1)}},
		}, nil, []string{"purchases[1].product_code", "imports[1].country"}, []string{}},
		{"import country, utilisation, problem", gm.Submission{
			Imports:    []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "Атлантида", ValueRUB: f(1)}},
			Capacities: []gm.SubmittedCapacity{{ProductCode: "24.42.22", ValueRUB: f(5), Utilisation: f(140)}},
			Problems:   []gm.ReportedProblem{{Category: "weather", Text: ""}},
		}, nil, []string{"imports[0].country", "capacities[0].utilisation", "problems[0].category", "problems[0].text"}, []string{}},
		{"warnings: over shipped, over materials, over sales, unknown product", gm.Submission{
			Indicators: gm.Indicators{ShippedRUB: f(100), ShippedToParticipantsRUB: f(120), MaterialsRUB: f(50)},
			Purchases:  []gm.Purchase{{SupplierID: "profile", ProductCode: "99.99.99", ValueRUB: f(40)}},
			Imports:    []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(20)}},
			Sales:      []gm.Sale{{BuyerID: "win1", ProductCode: "24.42.11", ValueRUB: f(130)}},
		}, nil, []string{}, []string{"over_shipped@indicators.shipped_to_participants_rub", "over_materials@indicators.materials_rub",
			"over_sales@indicators.shipped_to_participants_rub", "unknown_product@purchases[0].product_code"}},
		{"×5 and ÷5 against last year", gm.Submission{
			Indicators: gm.Indicators{ShippedRUB: f(500), TaxesRUB: f(2), ExportRUB: f(40)},
			Imports:    []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(30)}, {ProductCode: "22.21.10", Country: "DE", ValueRUB: f(30)}},
		}, &gm.Submission{
			Indicators: gm.Indicators{ShippedRUB: f(100), TaxesRUB: f(10), ExportRUB: f(10)},
			Imports:    []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(10)}},
		}, []string{}, []string{"jump@indicators.shipped_rub", "jump@indicators.taxes_rub", "jump@imports[0].value_rub"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ctxFor("ingots")
			c.Previous = tc.prev
			tc.sub.Normalize()
			errs, flags := tc.sub.Validate(c)
			if d := cmp.Diff(tc.errs, paths(errs)); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.flags, flagPaths(flags)); d != "" {
				t.Errorf("flags (-want +got):\n%s", d)
			}
			for _, e := range errs {
				if e.MessageRU == "" || e.Message == "" {
					t.Errorf("%s: a message is missing: %+v", e.Column, e)
				}
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	s := gm.Submission{
		Purchases: []gm.Purchase{{SupplierName: "  ООО   Ромашка ", ProductCode: " 24.42. 22 ", Unit: "шт."}},
		Imports:   []gm.SubmittedImport{{ProductCode: "2242 22", Country: "Китай"}, {ProductCode: "22.21.10", Country: "de"}},
	}
	s.Normalize()
	if p := s.Purchases[0]; p.SupplierName != "ООО Ромашка" || p.ProductCode != "24.42.22" || p.Unit != "pcs" {
		t.Errorf("purchase: %+v", p)
	}
	if s.Imports[0].ProductCode != "224222" || s.Imports[0].Country != "CN" || s.Imports[1].Country != "DE" {
		t.Errorf("imports: %+v", s.Imports)
	}
}

func TestCompletion(t *testing.T) {
	tests := []struct {
		sub  gm.Submission
		want float64
	}{
		{gm.Submission{}, 0},
		{gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(1), Employees: f(0)}}, 0.2},
		{gm.Submission{Indicators: gm.Indicators{ShippedRUB: f(1), ShippedToParticipantsRUB: f(1), SMEShippedRUB: f(1), ValueAddedRUB: f(1), MaterialsRUB: f(1),
			InvestmentRUB: f(1), TaxesRUB: f(1), ExportRUB: f(1), Employees: f(1)}, Imports: []gm.SubmittedImport{{}}}, 1},
	}
	for _, tc := range tests {
		if got := tc.sub.Completion(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.sub.Indicators, got, tc.want)
		}
	}
}

// Hand-computed: profile sells 100 to win1, win1 says it bought 94 (6 %
// off: listed); ingots sells 200 to profile, profile says 195 (2.5 %: not
// listed); win1 buys from ingots what ingots does not report (one side only:
// not listed).
func TestReconcile(t *testing.T) {
	subs := map[string]gm.Submission{
		"profile": {Sales: []gm.Sale{{BuyerID: "win1", ProductCode: "24.42.22", ValueRUB: f(100)}},
			Purchases: []gm.Purchase{{SupplierID: "ingots", ProductCode: "24.42.11", ValueRUB: f(195)}}},
		"win1":   {Purchases: []gm.Purchase{{SupplierID: "profile", ProductCode: "24.42.22", ValueRUB: f(94)}, {SupplierID: "ingots", ProductCode: "24.42.11", ValueRUB: f(7)}}},
		"ingots": {Sales: []gm.Sale{{BuyerID: "profile", ProductCode: "24.42.11", ValueRUB: f(200)}}},
	}
	got := gm.Reconcile(subs, gm.ReconcileTolerance)
	want := []gm.Disagreement{{SupplierID: "profile", BuyerID: "win1", ProductCode: "24.42.22", SupplierRUB: 100, BuyerRUB: 94, DifferenceRUB: 6}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestPlanAccept(t *testing.T) {
	c := gm.Campaign{ID: "c1", ClusterID: "alu", Year: 2025}
	mem := map[string]bool{"ingots": true, "profile": true, "win1": true}
	// ingots was accepted before: it sold 200 to profile and 50 to win1.
	ingots := gm.StoredSubmission{ParticipantID: "ingots", Status: gm.StatusAccepted, SubmittedBy: "participant:i", SubmittedAt: "t0", AcceptedBy: "editor:e", AcceptedAt: "t1",
		Body: gm.Submission{Sales: []gm.Sale{{BuyerID: "profile", ProductCode: "24.42.11", ValueRUB: f(200)}, {BuyerID: "win1", ProductCode: "24.42.11", ValueRUB: f(50)}}}}
	// profile reports buying 195 from ingots, a purchase outside the
	// cluster, a sale to win1 (not accepted yet), an import and a capacity.
	profile := gm.StoredSubmission{ParticipantID: "profile", Status: gm.StatusSubmitted, SubmittedBy: "participant:p", SubmittedAt: "t2",
		Body: gm.Submission{Purchases: []gm.Purchase{{SupplierID: "ingots", ProductCode: "24.42.11", ValueRUB: f(195)}, {SupplierName: "ООО Внешний", ProductCode: "20.30.22", ValueRUB: f(9)}},
			Sales:      []gm.Sale{{BuyerID: "win1", ProductCode: "24.42.22", ValueRUB: f(80)}},
			Imports:    []gm.SubmittedImport{{ProductCode: "22.21.10", Country: "CN", ValueRUB: f(30)}},
			Capacities: []gm.SubmittedCapacity{{ProductCode: "24.42.22", ValueRUB: f(500), Utilisation: f(60)}}}}
	pl, err := gm.PlanAccept(gm.AcceptInput{Campaign: c, Submission: profile, Accepted: []gm.StoredSubmission{ingots}, Members: mem, AcceptedBy: "editor:e", AcceptedAt: "t3"})
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, l := range pl.Links {
		links = append(links, gm.LinkKey(l)+"="+fnum(*l.ValueRUB))
	}
	// The buyer's 195 wins over ingots' 200; the sale to win1 keeps the
	// supplier's figure; ingots' sale to win1 is not profile's business.
	if d := cmp.Diff([]string{"ingots|profile|24.42.11|2025=195", "profile|win1|24.42.22|2025=80"}, links); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
	if !strings.Contains(pl.Links[1].Source, "supplier's figure") || !strings.Contains(pl.Links[0].Source, "buyer's figure") {
		t.Errorf("sources: %q / %q", pl.Links[0].Source, pl.Links[1].Source)
	}
	if len(pl.Outside) != 1 || len(pl.Imports) != 1 || pl.Imports[0].Year != 2025 || len(pl.Capacities) != 1 {
		t.Errorf("outside %v imports %v capacities %v", pl.Outside, pl.Imports, pl.Capacities)
	}
	// Now win1 is accepted without reporting its purchase from profile or
	// from ingots: both links come back with the suppliers' figures, each
	// with its own submission's provenance.
	profile.Status, profile.AcceptedBy, profile.AcceptedAt = gm.StatusAccepted, "editor:e", "t3"
	win1 := gm.StoredSubmission{ParticipantID: "win1", Status: gm.StatusSubmitted, SubmittedBy: "participant:w", SubmittedAt: "t4"}
	pl, err = gm.PlanAccept(gm.AcceptInput{Campaign: c, Submission: win1, Accepted: []gm.StoredSubmission{profile, ingots}, Members: mem, AcceptedBy: "editor:x", AcceptedAt: "t5"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pl.Provenance {
		if p.Kind == "link" {
			got = append(got, p.Key+" "+p.Figure+" "+p.ParticipantID+" "+p.SubmittedBy+" "+p.AcceptedBy+"@"+p.AcceptedAt)
		}
	}
	want := []string{"ingots|win1|24.42.11|2025 supplier ingots participant:i editor:e@t1", "profile|win1|24.42.22|2025 supplier profile participant:p editor:e@t3"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("provenance (-want +got):\n%s", d)
	}
	// A supplier that left the cluster is refused.
	delete(mem, "ingots")
	if _, err := gm.PlanAccept(gm.AcceptInput{Campaign: c, Submission: profile, Members: mem}); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("a supplier outside the cluster: %v", err)
	}
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{"Китай": "CN", "китай ": "CN", "cn": "CN", "Germany": "DE", "КНР": "CN", "Республика Беларусь": "BY"} {
		if got, ok := gm.CountryCode(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	if _, ok := gm.CountryCode("Атлантида"); ok {
		t.Error("Атлантида is a country")
	}
}
