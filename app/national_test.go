package app_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/sqlstore"
)

// natFigures is one participant's accepted figures of a year.
type natFigures struct {
	shipped, export, employees *float64
	imports                    map[string]float64 // product → RUB
}

// natWorld is four clusters with collected data:
//
//	alu   Омская область (СФО)          a1..a4 report (2024 and 2025)
//	chem  Омская область (СФО)          b1..b3 report (2025)
//	auto  Новосибирская область (СФО)   c1..c2 report (2025)
//	ship  Санкт-Петербург (СЗФО)        d1..d3 report (2024 and 2025); d3 gives no employees in 2025
//
// Every figure is accepted through the app's campaign use cases.
func natWorld(t testing.TB) (*app.App, *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "nat.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	products := []gm.Product{{Code: "22.21.10", Name: "Плиты полимерные"}, {Code: "25.73.40", Name: "Инструмент сменный"}, {Code: "24.10.11", Name: "Чугун"}, {Code: "28.41.20", Name: "Станки"}}
	clusters := []struct {
		id, name, region string
		parts            []string
	}{
		{"alu", "Алюминиевый кластер", "Омская область", []string{"a1", "a2", "a3", "a4"}},
		{"chem", "Химический кластер", "Омская область", []string{"b1", "b2", "b3"}},
		{"auto", "Автомобильный кластер", "Новосибирская область", []string{"c1", "c2"}},
		{"ship", "Судостроительный кластер", "Санкт-Петербург", []string{"d1", "d2", "d3"}},
	}
	for i, c := range clusters {
		ds := &gm.Dataset{Clusters: []gm.Cluster{{ID: c.id, Name: c.name, Kind: gm.ClusterIndustrial, Regions: []string{c.region}, RegistryNo: i + 1}}, Products: products}
		for _, p := range c.parts {
			ds.Participants = append(ds.Participants, gm.Participant{ID: p, Name: "Компания " + p, Kind: gm.KindEnterprise, Region: c.region})
		}
		if c.id == "ship" {
			// A producer of 22.21.10 elsewhere: a national analogue. A standing
			// capacity (no year): accepting d3's figures of 2025, which list no
			// capacity, replaces only that year's.
			ds.Capacities = append(ds.Capacities, gm.Capacity{ParticipantID: "d3", ProductCode: "22.21.10", ValueRUB: 1e6})
		}
		if _, err := db.Import(ctx, c.id, ds, gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	a := app.New(app.Deps{Store: db})
	f := gm.Ptr[float64]
	y2025 := map[string]map[string]natFigures{
		"alu": {"a1": {f(100), f(50), f(10), map[string]float64{"22.21.10": 10, "25.73.40": 100}}, "a2": {f(200), nil, f(10), map[string]float64{"22.21.10": 20, "25.73.40": 200}},
			"a3": {f(300), nil, f(10), map[string]float64{"22.21.10": 30, "25.73.40": 300}}, "a4": {f(400), nil, f(10), nil}},
		"chem": {"b1": {f(10), nil, f(10), map[string]float64{"22.21.10": 5, "25.73.40": 10, "24.10.11": 1}}, "b2": {f(20), nil, f(10), map[string]float64{"25.73.40": 20, "24.10.11": 2}},
			"b3": {f(30), nil, f(10), map[string]float64{"25.73.40": 30}}},
		"auto": {"c1": {f(5), nil, f(10), map[string]float64{"22.21.10": 7, "24.10.11": 3}}, "c2": {f(7), nil, f(10), map[string]float64{"22.21.10": 8, "24.10.11": 4}}},
		"ship": {"d1": {f(1), nil, f(10), map[string]float64{"24.10.11": 5, "28.41.20": 9}}, "d2": {f(2), nil, f(10), map[string]float64{"24.10.11": 6}}, "d3": {f(3), nil, nil, nil}},
	}
	y2024 := map[string]map[string]natFigures{
		"alu":  {"a1": {f(100), nil, f(9), nil}, "a2": {f(200), nil, f(9), nil}, "a3": {f(200), nil, f(9), nil}, "a4": {f(300), nil, f(9), nil}},
		"ship": {"d1": {f(1), nil, f(9), nil}, "d2": {f(1), nil, f(9), nil}, "d3": {f(1), nil, f(9), nil}},
	}
	for _, y := range []struct {
		year int
		data map[string]map[string]natFigures
	}{{2024, y2024}, {2025, y2025}} {
		for cl, parts := range y.data {
			acceptYear(t, a, cl, y.year, parts)
		}
	}
	return a, db
}

// acceptYear opens the cluster's campaign of the year and accepts each
// participant's figures through the use cases.
func acceptYear(t testing.TB, a *app.App, cl string, year int, parts map[string]natFigures) {
	t.Helper()
	ctx := context.Background()
	c, err := a.CreateCampaign(ctx, admin, cl, app.CampaignRequest{Year: year, Deadline: fmt.Sprintf("%d-03-31", year+1)})
	if err != nil {
		t.Fatal(err)
	}
	for pid, fg := range parts {
		body := gm.Submission{Indicators: gm.Indicators{ShippedRUB: fg.shipped, ExportRUB: fg.export, Employees: fg.employees}}
		for code, v := range fg.imports {
			body.Imports = append(body.Imports, gm.SubmittedImport{ProductCode: code, Country: "CN", ValueRUB: gm.Ptr(v)})
		}
		if _, err := a.SubmitSubmission(ctx, admin, cl, c.ID, pid, &body); err != nil {
			t.Fatalf("%s %s: submit: %v %v", cl, pid, err, gm.ErrorDetails(err))
		}
		if _, err := a.AcceptSubmission(ctx, admin, cl, c.ID, pid); err != nil {
			t.Fatalf("%s %s: accept: %v", cl, pid, err)
		}
	}
}

// row is an aggregate as the test writes it by hand: nil totals when
// suppressed; the figures of shipped, export and employees (nil: null).
type row struct {
	key                   string
	clusters, reported    int
	suppressed            bool
	shipped, export, empl *float64
	withheld              []string
}

func rowOf(a analysis.NationalAggregate) row {
	r := row{key: a.Key, clusters: a.Clusters, reported: a.ParticipantsReported, suppressed: a.Suppressed, withheld: a.Withheld}
	if a.Totals != nil {
		r.shipped, r.export, r.empl = a.Totals["shipped_rub"], a.Totals["export_rub"], a.Totals["employees"]
	}
	return r
}

// Every aggregate of 2025 against hand-computed values. Reporting
// participants: alu 4, chem 3, auto 2, ship 3; threshold 3.
//
// Items: auto (2) is suppressed; so is Новосибирская область (2). СФО is
// published, so СФО − alu − chem would give auto: chem, the smallest other
// cluster of СФО, is suppressed too; СФО − Омская область would give
// Новосибирская: Омская is suppressed too. The total minus alu and ship is
// chem + auto: five participants, two clusters — allowed.
//
// Export: only a1 reports it (50): withheld everywhere it is counted.
// Employees: d3 gives none, so ship sums two employees' figures and is
// withheld; СЗФО then is ship alone (withheld), and the total minus СФО
// would give it: СФО's employees are withheld too. The total (11
// participants, 110) stays.
func TestNationalIndicators(t *testing.T) {
	a, _ := natWorld(t)
	ctx := context.Background()
	f := gm.Ptr[float64]
	want := map[string][]row{
		"cluster": {
			{"alu", 1, 4, false, f(1000), nil, f(40), []string{"export_rub"}},
			{"auto", 1, 2, true, nil, nil, nil, nil},
			{"chem", 1, 3, true, nil, nil, nil, nil},
			{"ship", 1, 3, false, f(6), nil, nil, []string{"employees"}},
		},
		"region": {
			{"Новосибирская область", 1, 2, true, nil, nil, nil, nil},
			{"Омская область", 2, 7, true, nil, nil, nil, nil},
			{"Санкт-Петербург", 1, 3, false, f(6), nil, nil, []string{"employees"}},
		},
		"district": {
			{"СЗФО", 1, 3, false, f(6), nil, nil, []string{"employees"}},
			{"СФО", 3, 9, false, f(1072), nil, nil, []string{"export_rub", "employees"}},
		},
	}
	wantTotal := row{"", 4, 12, false, f(1078), nil, f(110), []string{"export_rub"}}
	for by, rows := range want {
		v, err := a.NationalIndicators(ctx, admin, 2025, by)
		if err != nil {
			t.Fatal(err)
		}
		var got []row
		for _, it := range v.Items {
			got = append(got, rowOf(it))
		}
		if d := cmp.Diff(rows, got, cmp.AllowUnexported(row{})); d != "" {
			t.Errorf("by=%s (-want +got):\n%s", by, d)
		}
		if d := cmp.Diff(wantTotal, rowOf(v.Total), cmp.AllowUnexported(row{})); d != "" {
			t.Errorf("by=%s total (-want +got):\n%s", by, d)
		}
		if v.Year != 2025 || v.By != by || !cmp.Equal(v.Years, []int{2025, 2024}) {
			t.Errorf("by=%s: year %d by %s years %v", by, v.Year, v.By, v.Years)
		}
	}
	// Year over year: alu 800 → 1000 (+25 %); ship 3 → 6 (+100 %); the
	// total 803 → 1078. Suppressed aggregates carry no change.
	v, _ := a.NationalIndicators(ctx, admin, 0, "cluster")
	if v.Year != 2025 {
		t.Fatalf("default year %d", v.Year)
	}
	changes := map[string]*float64{}
	for _, it := range v.Items {
		changes[it.Key] = nil
		if it.Change != nil {
			changes[it.Key] = it.Change["shipped_rub"]
		}
	}
	wantCh := map[string]*float64{"alu": f(0.25), "ship": f(1), "chem": nil, "auto": nil}
	if d := cmp.Diff(wantCh, changes); d != "" {
		t.Errorf("changes of shipped (-want +got):\n%s", d)
	}
	if c := v.Total.Change["shipped_rub"]; c == nil || *c != (1078.0-803)/803 {
		t.Errorf("total change %v", c)
	}
	// 2024: alu and ship alone, 7 participants; nothing suppressed.
	v, _ = a.NationalIndicators(ctx, admin, 2024, "district")
	if len(v.Items) != 2 || v.Total.ParticipantsReported != 7 || *v.Total.Totals["shipped_rub"] != 803 || v.Items[0].Suppressed || v.Items[1].Suppressed {
		t.Errorf("2024: %+v", v)
	}
}

// Whatever the table, no suppressed figure is the difference of the
// published ones: for each by=, the total minus the published items'
// figures is either unknown (the total is withheld) or sums at least two
// suppressed items of at least threshold participants.
func TestNationalNoRecoveryByDifference(t *testing.T) {
	a, _ := natWorld(t)
	ctx := context.Background()
	for _, by := range analysis.NationalLevels {
		v, _ := a.NationalIndicators(ctx, admin, 2025, by)
		for _, d := range gm.IndicatorDefs {
			if v.Total.Totals[d.Key] == nil {
				continue
			}
			hidden, n := 0, 0
			for _, it := range v.Items {
				if it.Suppressed || contains(it.Withheld, d.Key) {
					hidden++
					n += it.ParticipantsReported
				}
			}
			if hidden == 1 || hidden > 1 && n < 3 {
				t.Errorf("by=%s %s: %d hidden item(s) of %d participants can be recovered from the total", by, d.Key, hidden, n)
			}
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// The analyst and the admin see the national indicators; nobody else.
func TestNationalIndicatorsPolicy(t *testing.T) {
	a, _ := natWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		me   app.Principal
		code string
	}{
		{app.Principal{Role: gm.RoleAnalyst}, ""},
		{admin, ""},
		{app.Principal{Role: gm.RoleViewer}, gm.EFORBIDDEN},
		{app.Principal{Role: gm.RoleEditor, ClusterID: "alu"}, gm.EFORBIDDEN},
		{app.Principal{Role: gm.RoleInvestor}, gm.EFORBIDDEN},
		{app.Principal{Role: gm.RoleParticipant, ClusterID: "alu", ParticipantID: "a1"}, gm.EFORBIDDEN},
		{app.Principal{}, gm.EUNAUTHORIZED},
	} {
		_, err := a.NationalIndicators(ctx, tc.me, 2025, "region")
		if gm.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("%s: %v, want %q", tc.me.Role, err, tc.code)
		}
	}
	analyst := app.Principal{Role: gm.RoleAnalyst}
	if _, err := a.NationalIndicators(ctx, analyst, 2025, "okrug"); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("by=okrug: %v", err)
	}
	// An analyst is no member: a cluster's own figures are refused.
	if _, err := a.Indicators(ctx, analyst, "alu", 2025); gm.ErrorCode(err) != gm.EFORBIDDEN {
		t.Errorf("a cluster's indicators to an analyst: %v", err)
	}
}

// National niches against hand-computed values:
//
//	22.21.10  alu 3 importers (60, published there), chem 1 (5), auto 2 (15):
//	          the members of auto know its 15, and 75 − 60 − 15 is chem's
//	          single importer: confidential.
//	25.73.40  alu 3 (600), chem 3 (60): both published, 660.
//	24.10.11  chem 2 (3), auto 2 (7), ship 2 (11): all confidential in their
//	          clusters, but knowing any one leaves four importers: 21.
//	28.41.20  ship only: not national.
func TestNationalNiches(t *testing.T) {
	a, _ := natWorld(t)
	ctx := context.Background()
	v, err := a.NationalNiches(ctx, app.Principal{Role: gm.RoleInvestor})
	if err != nil {
		t.Fatal(err)
	}
	type niche struct {
		code     string
		clusters []string
		regions  []string
		buyers   int
		demand   *float64
		conf     bool
	}
	var got []niche
	for _, n := range v.Items {
		var cl []string
		for _, c := range n.Clusters {
			cl = append(cl, c.ID)
		}
		got = append(got, niche{n.ProductCode, cl, n.Regions, n.Importers, n.DemandRUB, n.Confidential})
	}
	f := gm.Ptr[float64]
	want := []niche{
		{"24.10.11", []string{"chem", "auto", "ship"}, []string{"Омская область", "Новосибирская область", "Санкт-Петербург"}, 6, f(21), false},
		{"22.21.10", []string{"alu", "chem", "auto"}, []string{"Омская область", "Новосибирская область"}, 6, nil, true},
		{"25.73.40", []string{"alu", "chem"}, []string{"Омская область"}, 6, f(660), false},
	}
	sortByCode := func(ns []niche) map[string]niche {
		m := map[string]niche{}
		for _, n := range ns {
			sortStrings(n.clusters)
			m[n.code] = n
		}
		return m
	}
	for _, n := range want {
		sortStrings(n.regions)
	}
	for _, n := range got {
		sortStrings(n.regions)
	}
	if d := cmp.Diff(sortByCode(want), sortByCode(got), cmp.AllowUnexported(niche{})); d != "" {
		t.Errorf("national niches (-want +got):\n%s", d)
	}
	for _, n := range v.Items {
		if n.ProductCode == "22.21.10" {
			if len(n.Analogues) != 1 || n.Analogues[0].ClusterID != "ship" || n.Analogues[0].Name != "Компания d3" || !n.Analogues[0].HasCapacity {
				t.Errorf("analogues of 22.21.10: %+v", n.Analogues)
			}
		}
	}
	if _, err := a.NationalNiches(ctx, app.Principal{Role: gm.RoleParticipant, ClusterID: "alu", ParticipantID: "a1"}); gm.ErrorCode(err) != gm.EFORBIDDEN {
		t.Errorf("participant: %v", err)
	}
}

func sortStrings(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// The workbook has the table's rows, «скрыто» for withheld figures, and
// millions of roubles.
func TestNationalWorkbook(t *testing.T) {
	a, _ := natWorld(t)
	v, err := a.NationalIndicators(context.Background(), admin, 2025, "cluster")
	if err != nil {
		t.Fatal(err)
	}
	keys := func(_, key string) string { return key }
	d, err := app.NationalWorkbook(v, "ru", keys)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(d.Data))
	if err != nil {
		t.Fatal(err)
	}
	sh := wb.GetSheetList()[0]
	rows, _ := wb.GetRows(sh, excelize.Options{RawCellValue: true})
	if len(rows) < 9 {
		t.Fatalf("rows: %v", rows)
	}
	// rows[4] alu, rows[5] auto (suppressed), rows[6] chem, rows[7] ship, rows[8] the total.
	if rows[4][0] != "Алюминиевый кластер" || rows[4][2] != "4" || rows[4][10] != "nat.hidden" {
		t.Errorf("alu row: %v", rows[4])
	}
	if v, _ := wb.GetCellValue(sh, "D5", excelize.Options{RawCellValue: true}); v != "0.001" {
		t.Errorf("alu shipped in millions: %q", v)
	}
	if rows[5][3] != "nat.hidden" || rows[8][0] != "nat.total" || rows[7][11] != "nat.hidden" || rows[4][5] != "nodata" {
		t.Errorf("auto %v / ship %v / total %v", rows[5], rows[7], rows[8])
	}
}
