package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopchain/coopchain/exchange"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/tabular"
)

// propertySeed: clusters a, b and c; a and b share the participants s1 and
// s2; a product names an input (24.42.12) that is not in the catalogue.
func propertySeed() *gm.Seed {
	v := func(f float64) *float64 { return &f }
	p := func(id, name, inn string, clusters ...string) gm.Participant {
		return gm.Participant{ID: id, Name: name, INN: inn, Kind: gm.KindEnterprise, Region: "Омская область", Clusters: clusters}
	}
	return &gm.Seed{
		Clusters: []gm.Cluster{
			{ID: "a", Name: "Кластер А", Kind: gm.ClusterIndustrial, RegistryNo: 1, Regions: []string{"Омская область"}, Specialization: "Металлургия"},
			{ID: "b", Name: "Кластер Б", Kind: gm.ClusterInterregional, RegistryNo: 2, Regions: []string{"Омская область", "Тверская область"}},
			{ID: "c", Name: "Кластер В", Kind: gm.ClusterIndustrial, RegistryNo: 3, Regions: []string{"Тверская область"}},
		},
		Data: map[string]*gm.Dataset{
			"a": {
				Participants: []gm.Participant{p("a1", "А1", "7707083893"), p("a2", "А2", ""), p("a3", "А3", ""), p("s1", "Общий 1", "", "b"), p("s2", "Общий 2", "", "b")},
				Products: []gm.Product{{Code: "24.42.11", Name: "Алюминий", Unit: "t"}, {Code: "24.42.22", Name: "Профили", Unit: "t", Inputs: []string{"24.42.11", "24.42.12"}},
					{Code: "25.11", Name: "Конструкции"}},
				Links: []gm.SupplyLink{{SupplierID: "a1", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024, ValueRUB: v(10)},
					{SupplierID: "s1", BuyerID: "a2", ProductCode: "24.42.11", Year: 2024, ValueRUB: v(5)}, {SupplierID: "s1", BuyerID: "s2", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(7)}},
				Imports:    []gm.Import{{ParticipantID: "a2", ProductCode: "24.42.22", Year: 2024, ValueRUB: 3, Country: "CN"}, {ParticipantID: "s2", ProductCode: "24.42.22", Year: 2024, ValueRUB: 4, Country: "DE"}},
				Capacities: []gm.Capacity{{ParticipantID: "s1", ProductCode: "24.42.11", Year: 2024, ValueRUB: 9}, {ParticipantID: "a1", ProductCode: "24.42.11", Year: 2024, ValueRUB: 2}},
				Projects:   []gm.Project{{ID: "pa", ParticipantID: "a1", Name: "Проект А"}, {ID: "ps", ParticipantID: "s1", Name: "Проект общего"}},
				Employment: []gm.Employment{{Region: "Омская область", Industry: "24", Employees: 100}},
			},
			"b": {
				Participants: []gm.Participant{p("b1", "Б1", "7736050003"), p("b2", "Б2", ""), p("s1", "Общий 1", "", "a"), p("s2", "Общий 2", "", "a")},
				Links: []gm.SupplyLink{{SupplierID: "b1", BuyerID: "b2", ProductCode: "25.11", Year: 2024, ValueRUB: v(20)},
					{SupplierID: "s2", BuyerID: "b2", ProductCode: "24.42.22", Year: 2025, ValueRUB: v(6)}},
				Imports:  []gm.Import{{ParticipantID: "b2", ProductCode: "24.42.22", Year: 2024, ValueRUB: 9, Country: "CN"}},
				Projects: []gm.Project{{ID: "pb", ParticipantID: "b1", Name: "Проект Б"}},
			},
			"c": {
				Participants: []gm.Participant{p("c1", "В1", "4205389586"), p("c2", "В2", "")},
				Links:        []gm.SupplyLink{{SupplierID: "c1", BuyerID: "c2", ProductCode: "25.11", Year: 2024, ValueRUB: v(1)}},
				Capacities:   []gm.Capacity{{ParticipantID: "c2", ProductCode: "25.11", Year: 2024, ValueRUB: 8}},
			},
		},
	}
}

// TestPropertyEditorStaysInItsCluster: random sequences of API writes and
// imports by an editor of cluster a — naming other clusters' participants,
// projects, products and registry entries too — never change a byte of
// cluster b's or c's export (a's own membership of the shared participants
// aside, which is a's record), the registry or a stored product, and never
// answer 5xx. A fixed seed runs always; two random seeds are logged so that
// a failure can be replayed (COOPCHAIN_PROPERTY_SEED=n).
func TestPropertyEditorStaysInItsCluster(t *testing.T) {
	seeds := []int64{1}
	if s := os.Getenv("COOPCHAIN_PROPERTY_SEED"); s != "" {
		n, _ := strconv.ParseInt(s, 10, 64)
		seeds = []int64{n}
	} else {
		seeds = append(seeds, time.Now().UnixNano()%1e9, time.Now().UnixNano()%1e9+1)
	}
	steps := 250
	if testing.Short() {
		steps = 30
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Logf("replay with COOPCHAIN_PROPERTY_SEED=%d", seed)
			runProperty(t, rand.New(rand.NewSource(seed)), steps)
		})
	}
}

func runProperty(t *testing.T, r *rand.Rand, steps int) {
	s, db := newRawServer(t, propertySeed(), server.Config{})
	w := &world{s: s, db: db, admin: token(t, db, "admin", ""), eb: token(t, db, "editor", "a")}
	g := &gen{r: r}
	before := outside(t, w)
	accepted := map[string]int{}
	for i := 0; i < steps; i++ {
		op := g.op()
		rec := w.req(op.method, op.target, w.eb, op.ctype, op.body)
		if rec.Code >= 500 {
			t.Fatalf("step %d: %s %s: %d %s\nbody: %s", i, op.method, op.target, rec.Code, rec.Body, op.body)
		}
		if op.foreign && rec.Code != 403 {
			t.Fatalf("step %d: %s %s in another cluster: %d %s", i, op.method, op.target, rec.Code, rec.Body)
		}
		if rec.Code < 300 {
			accepted[op.kind]++
		}
		if after := outside(t, w); after != before {
			t.Fatalf("step %d: %s %s (%d) changed what lies outside cluster a:\nbody: %s\nanswer: %s\n%s",
				i, op.method, op.target, rec.Code, op.body, rec.Body, firstDiff(before, after))
		}
	}
	t.Logf("accepted writes by kind: %v", accepted)
	if len(accepted) < 3 {
		t.Errorf("too few kinds of writes were accepted (%v): the property says little", accepted)
	}
	// Whatever the editor did, its own export imports back.
	exp := w.req(http.MethodGet, "/api/v1/clusters/a/export?format=csv", w.eb, "", nil)
	if rec := w.req(http.MethodPost, "/api/v1/clusters/a/import?dry_run=true", w.eb, "application/zip", exp.Body.Bytes()); rec.Code != 200 {
		t.Errorf("a's export does not import back: %d %s", rec.Code, rec.Body)
	}
}

// outside renders everything outside cluster a: b's and c's CSV exports
// (without a's row and a's membership of shared participants), the registry
// (without data versions) and the stored products of the seed.
func outside(t *testing.T, w *world) string {
	t.Helper()
	var b strings.Builder
	for _, id := range []string{"b", "c"} {
		rec := w.req(http.MethodGet, "/api/v1/clusters/"+id+"/export?format=csv", w.admin, "", nil)
		if rec.Code != 200 {
			t.Fatalf("export %s: %d", id, rec.Code)
		}
		res, err := tabular.ReadZip(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()), id+".zip", tabular.Limits{})
		if err != nil {
			t.Fatalf("read the export of %s: %v", id, err)
		}
		ds := res.Dataset
		withoutA(ds)
		var zb bytes.Buffer
		if err := tabular.WriteZip(&zb, tabular.Tables(ds), nil); err != nil {
			t.Fatal(err)
		}
		zr, _ := zip.NewReader(bytes.NewReader(zb.Bytes()), int64(zb.Len()))
		for _, f := range zr.File {
			rc, _ := f.Open()
			var fb bytes.Buffer
			fb.ReadFrom(rc)
			rc.Close()
			fmt.Fprintf(&b, "== %s/%s\n%s", id, f.Name, fb.String())
		}
	}
	// The JSON export too, normalised the same way (its cluster rows carry
	// data versions, counters that a's membership changes may bump).
	for _, id := range []string{"b", "c"} {
		rec := w.req(http.MethodGet, "/api/v1/clusters/"+id+"/export?format=json", w.admin, "", nil)
		ds, err := exchange.ReadJSON(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatalf("read the JSON export of %s: %v", id, err)
		}
		withoutA(ds)
		for i := range ds.Clusters {
			ds.Clusters[i].Version = 0
		}
		j, _ := json.Marshal(ds)
		fmt.Fprintf(&b, "== %s.json\n%s\n", id, j)
	}
	rec := w.req(http.MethodGet, "/api/v1/clusters?scope=all&limit=1000", "", "", nil)
	fmt.Fprintf(&b, "== registry\n%s\n", versionRe.ReplaceAllString(rec.Body.String(), `"version":0`))
	var page struct{ Items []gm.Product }
	json.Unmarshal(w.req(http.MethodGet, "/api/v1/products?limit=1000", "", "", nil).Body.Bytes(), &page)
	b.WriteString("== products\n")
	for _, p := range page.Items {
		if p.Code == "24.42.11" || p.Code == "24.42.22" || p.Code == "25.11" || p.Code == "24.42.12" {
			j, _ := json.Marshal(p)
			fmt.Fprintf(&b, "%s\n", j)
		}
	}
	return b.String()
}

// withoutA removes cluster a's registry row and a's membership of shared
// participants (a's own records) from another cluster's export.
func withoutA(ds *gm.Dataset) {
	var cs []gm.Cluster
	for _, c := range ds.Clusters {
		if c.ID != "a" {
			cs = append(cs, c)
		}
	}
	ds.Clusters = cs
	for i, p := range ds.Participants {
		var keep []string
		for _, c := range p.Clusters {
			if c != "a" {
				keep = append(keep, c)
			}
		}
		ds.Participants[i].Clusters = keep
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}

// gen makes random requests of an editor of cluster a.
type gen struct{ r *rand.Rand }

type op struct {
	kind, method, target, ctype string
	body                        []byte
	foreign                     bool // sent to another cluster's URL: must be 403
}

var (
	propProducts    = []string{"24.42.11", "24.42.22", "25.11", "24.42.12", "26.11", "27.90"}
	propProjects    = []string{"pa", "ps", "pb", "pn1", "pn2"}
	propINNs        = []string{"", "", "7707083893", "7736050003", "4205389586", "500100732259"}
	propClusterCols = []string{"", "", "a", "b", "a;b", "c", "zz"}
	propYears       = []string{"2024", "2025", ""}
	propClusterRows = []string{
		"a,Кластер А,1,Омская область,industrial,Металлургия",
		"a,Взломан,1,Омская область,industrial,Металлургия",
		"b,Кластер Б,2,Омская область;Тверская область,interregional,",
		"b,Взломан,2,Омская область,interregional,",
		"c,Кластер В,3,Тверская область,industrial,",
		"zz,Новый,0,,local,",
	}
)

func (g *gen) pick(a []string) string { return a[g.r.Intn(len(a))] }

// pathID is participant for a path: never empty.
func (g *gen) pathID() string {
	if id := g.participant(); id != "" {
		return id
	}
	return "a1"
}

// participant picks a participant id: mostly a's own or new ones, so that
// many writes are accepted, else shared, other clusters' or empty ones.
func (g *gen) participant() string {
	if g.r.Intn(3) > 0 {
		return g.pick([]string{"a1", "a2", "a3", "n1", "n2", "n3"})
	}
	return g.pick([]string{"s1", "s2", "b1", "b2", "c1", ""})
}

func (g *gen) num() string { return strconv.Itoa(g.r.Intn(4) * 5) }

func (g *gen) op() op {
	cluster := "a"
	foreign := g.r.Intn(12) == 0
	if foreign {
		cluster = g.pick([]string{"b", "c"})
	}
	base := "/api/v1/clusters/" + cluster
	switch k := g.r.Intn(10); {
	case k < 4:
		sheet := g.pick([]string{"participants", "links", "imports", "capacities", "projects", "products", "clusters", "employment"})
		q := url.Values{"sheet": {sheet}}
		if g.r.Intn(3) == 0 {
			q.Set("dry_run", "true")
		}
		if g.r.Intn(6) == 0 {
			q.Set("replace_year", g.pick([]string{"2024", "2025"}))
		}
		return op{kind: "import " + sheet, method: http.MethodPost, target: base + "/import?" + q.Encode(), ctype: "text/csv", body: []byte(g.sheet(sheet)), foreign: foreign}
	case k == 4:
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, sheet := range []string{"participants", "links", "imports", "projects", "products"} {
			if g.r.Intn(2) == 0 {
				f, _ := zw.Create(sheet + ".csv")
				f.Write([]byte(g.sheet(sheet)))
			}
		}
		f, _ := zw.Create("participants.csv")
		f.Write([]byte(g.sheet("participants")))
		zw.Close()
		return op{kind: "import zip", method: http.MethodPost, target: base + "/import", ctype: "application/zip", body: buf.Bytes(), foreign: foreign}
	case k == 5:
		body := fmt.Sprintf(`{"id":%q,"name":"Имя %d","inn":%q}`, g.participant(), g.r.Intn(3), g.pick(propINNs))
		return op{kind: "POST participant", method: http.MethodPost, target: base + "/participants", ctype: "application/json", body: []byte(body), foreign: foreign}
	case k == 6:
		body := fmt.Sprintf(`{"name":"Имя %d","region":"Омская область"}`, g.r.Intn(3))
		return op{kind: "PUT participant", method: http.MethodPut, target: base + "/participants/" + g.pathID(), ctype: "application/json", body: []byte(body), foreign: foreign}
	case k == 7:
		kind := g.pick([]string{"links", "imports", "capacities"})
		var body string
		switch kind {
		case "links":
			body = fmt.Sprintf(`{"supplier_id":%q,"buyer_id":%q,"product_code":%q,"year":2024,"value_rub":%s}`, g.participant(), g.participant(), g.pick(propProducts), g.num())
		case "imports":
			body = fmt.Sprintf(`{"participant_id":%q,"product_code":%q,"year":2024,"value_rub":%s,"country":"CN"}`, g.participant(), g.pick(propProducts), g.num())
		default:
			body = fmt.Sprintf(`{"participant_id":%q,"product_code":%q,"year":2024,"value_rub":%s}`, g.participant(), g.pick(propProducts), g.num())
		}
		return op{kind: "POST " + kind, method: http.MethodPost, target: base + "/" + kind, ctype: "application/json", body: []byte(body), foreign: foreign}
	case k == 8:
		kind := g.pick([]string{"links", "imports", "capacities", "participants"})
		q := url.Values{"year": {"2024"}, "product": {g.pick(propProducts)}}
		target := base + "/" + kind + "?"
		switch kind {
		case "links":
			q.Set("supplier", g.participant())
			q.Set("buyer", g.participant())
		case "imports":
			q.Set("participant", g.participant())
			q.Set("country", g.pick([]string{"CN", "DE"}))
		case "capacities":
			q.Set("participant", g.participant())
		case "participants":
			target, q = base+"/participants/"+g.pathID(), nil
		}
		return op{kind: "DELETE " + kind, method: http.MethodDelete, target: target + q.Encode(), foreign: foreign}
	}
	body := fmt.Sprintf(`{"name":"Сценарий","changes":[{"op":"remove_participant","participant_id":%q}]}`, g.participant())
	return op{kind: "POST scenario", method: http.MethodPost, target: base + "/scenarios", ctype: "application/json", body: []byte(body), foreign: foreign}
}

// sheet returns a CSV sheet of one to three random rows.
func (g *gen) sheet(name string) string {
	var b strings.Builder
	head := map[string]string{
		"participants": "id,name,inn,clusters,region",
		"links":        "supplier_id,buyer_id,product_code,year,value_rub",
		"imports":      "participant_id,product_code,year,value_rub,country",
		"capacities":   "participant_id,product_code,year,value_rub",
		"projects":     "id,participant_id,name,product_code",
		"products":     "code,name,unit,inputs",
		"clusters":     "id,name,registry_no,regions,kind,specialization",
		"employment":   "region,industry,employees",
	}[name]
	b.WriteString(head + "\n")
	for i := g.r.Intn(3); i >= 0; i-- {
		var row string
		switch name {
		case "participants":
			name := "Имя " + strconv.Itoa(g.r.Intn(3))
			if g.r.Intn(2) == 0 {
				name = map[string]string{"s1": "Общий 1", "s2": "Общий 2", "a1": "А1"}[g.pick([]string{"s1", "s2", "a1"})]
			}
			row = fmt.Sprintf("%s,%s,%s,%s,Омская область", g.participant(), name, g.pick(propINNs), g.pick(propClusterCols))
		case "links":
			row = fmt.Sprintf("%s,%s,%s,%s,%s", g.participant(), g.participant(), g.pick(propProducts), g.pick(propYears), g.num())
		case "imports":
			row = fmt.Sprintf("%s,%s,%s,%s,%s", g.participant(), g.pick(propProducts), g.pick(propYears), g.num(), g.pick([]string{"CN", "DE"}))
		case "capacities":
			row = fmt.Sprintf("%s,%s,%s,%s", g.participant(), g.pick(propProducts), g.pick(propYears), g.num())
		case "projects":
			row = fmt.Sprintf("%s,%s,Проект %d,%s", g.pick(propProjects), g.participant(), g.r.Intn(2), g.pick(propProducts))
		case "products":
			row = fmt.Sprintf("%s,%s,t,%s", g.pick(propProducts), g.pick([]string{"Алюминий", "Профили", "Новое"}), g.pick([]string{"", "24.42.11"}))
		case "clusters":
			row = g.pick(propClusterRows)
		case "employment":
			row = fmt.Sprintf("Омская область,%s,%s", g.pick([]string{"24", "25"}), g.pick([]string{"100", "1"}))
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}
