package server_test

// Reproductions of issue #14, each through e.ServeHTTP against the built-in
// seed (a fresh database, as `serve` makes it): every attack answers 4xx and
// changes nothing (every cluster's export, the registry and the catalogue
// byte-identical before and after).

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/labstack/echo/v4"
)

var versionRe = regexp.MustCompile(`"version":\d+`)

// world is a server on the built-in seed with the issue's tokens: EB edits
// ru-017, EA ru-031, VB views ru-017, INV is an investor.
type world struct {
	s                      *server.Server
	db                     *sqlstore.DB
	admin, eb, ea, vb, inv string
	clustersWithData       []string
	logs                   *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newWorld(t *testing.T, cfg server.Config) *world {
	t.Helper()
	seed, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), t.TempDir()+"/w.db", sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.LoadSeed(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	if cfg.RatePerIP == 0 {
		cfg.RatePerIP = -1
	}
	if cfg.RatePerToken == 0 {
		cfg.RatePerToken = -1
	}
	logs := &lockedBuffer{}
	w := &world{db: db, logs: logs}
	w.s = server.New(server.Deps{Store: db, Config: cfg, Log: slog.New(slog.NewJSONHandler(logs, nil))})
	w.admin = token(t, db, "admin", "")
	w.eb = token(t, db, "editor", "ru-017")
	w.ea = token(t, db, "editor", "ru-031")
	w.vb = token(t, db, "viewer", "ru-017")
	w.inv = token(t, db, "investor", "")
	for id := range seed.Data {
		w.clustersWithData = append(w.clustersWithData, id)
	}
	return w
}

// req sends a request with a token and a body of the given content type.
func (w *world) req(method, target, tok, ctype string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	w.s.ServeHTTP(rec, r)
	return rec
}

// state is every cluster's CSV export, the registry and the catalogue, as
// the admin gets them.
func (w *world) state(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, id := range w.clustersWithData {
		rec := w.req(http.MethodGet, "/api/v1/clusters/"+id+"/export?format=csv", w.admin, "", nil)
		if rec.Code != 200 {
			t.Fatalf("export %s: %d %s", id, rec.Code, rec.Body)
		}
		out["export "+id] = rec.Body.Bytes()
	}
	for name, target := range map[string]string{"registry": "/api/v1/clusters?scope=all&limit=1000", "catalogue": "/api/v1/products?limit=1000"} {
		rec := w.req(http.MethodGet, target, w.admin, "", nil)
		if rec.Code != 200 {
			t.Fatalf("%s: %d", name, rec.Code)
		}
		// Data versions are counters, not data.
		out[name] = []byte(versionRe.ReplaceAllString(rec.Body.String(), `"version":0`))
	}
	return out
}

// same fails the test for every part of the state that differs.
func same(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for k, b := range before {
		if !bytes.Equal(b, after[k]) {
			t.Errorf("%s changed", k)
		}
	}
}

// wantRefused checks that a response is a 4xx (one of codes when given) in
// the error shape and that no message names a forbidden id.
func wantRefused(t *testing.T, what string, rec *httptest.ResponseRecorder, codes []int, notInBody ...string) {
	t.Helper()
	ok := rec.Code >= 400 && rec.Code < 500
	if len(codes) > 0 {
		ok = false
		for _, c := range codes {
			ok = ok || rec.Code == c
		}
	}
	if !ok {
		t.Errorf("%s: %d, want %v: %s", what, rec.Code, codes, rec.Body)
	}
	for _, s := range notInBody {
		if strings.Contains(rec.Body.String(), s) {
			t.Errorf("%s: the answer names %q: %s", what, s, rec.Body)
		}
	}
}

// 1. Cross-cluster writes and reads through records.
func TestIssue14CrossClusterRecords(t *testing.T) {
	w := newWorld(t, server.Config{})
	before := w.state(t)
	rec := w.req(http.MethodPost, "/api/v1/clusters/ru-017/participants", w.eb, "application/json", []byte(`{"id":"alu-riak","name":"HIJACKED"}`))
	wantRefused(t, "POST another cluster's participant", rec, []int{409}, "ru-031")
	// EB's viewer sees no import of alu-riak through ru-017.
	rec = w.req(http.MethodGet, "/api/v1/clusters/ru-017/imports?participant=alu-riak", w.vb, "", nil)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "alu-riak") {
		t.Errorf("imports of alu-riak through ru-017: %d %s", rec.Code, rec.Body)
	}
	rec = w.req(http.MethodDelete, "/api/v1/clusters/ru-017/imports?participant=alu-riak&product=22.21.10&year=2024&country=CN", w.eb, "", nil)
	wantRefused(t, "DELETE ru-031's import row", rec, []int{404})
	for _, target := range []string{"/api/v1/clusters/ru-017/participants/alu-riak"} {
		rec = w.req(http.MethodPut, target, w.eb, "application/json", []byte(`{"name":"HIJACKED"}`))
		wantRefused(t, "PUT "+target, rec, []int{404})
		rec = w.req(http.MethodDelete, target, w.eb, "", nil)
		wantRefused(t, "DELETE "+target, rec, []int{404})
	}
	// Another cluster's INN: refused without naming its participant.
	rec = w.req(http.MethodPost, "/api/v1/clusters/ru-031/participants", w.ea, "application/json", []byte(`{"id":"new-one","name":"Новый","inn":"4205389586"}`))
	wantRefused(t, "POST another cluster's INN", rec, []int{400}, "kemz-uk")
	// Records naming another cluster's participants.
	for _, body := range []string{`{"participant_id":"alu-riak","product_code":"22.21.10","year":2024,"value_rub":1,"country":"CN"}`} {
		rec = w.req(http.MethodPost, "/api/v1/clusters/ru-017/imports", w.eb, "application/json", []byte(body))
		wantRefused(t, "POST an import of alu-riak", rec, nil)
		rec = w.req(http.MethodPost, "/api/v1/clusters/ru-017/capacities", w.eb, "application/json", []byte(strings.Replace(body, `,"country":"CN"`, "", 1)))
		wantRefused(t, "POST a capacity of alu-riak", rec, nil)
	}
	rec = w.req(http.MethodPost, "/api/v1/clusters/ru-017/links", w.eb, "application/json", []byte(`{"supplier_id":"kemz-uk","buyer_id":"alu-riak","product_code":"22.21.10","year":2024}`))
	wantRefused(t, "POST a link to alu-riak", rec, nil)
	same(t, before, w.state(t))
}

// 2. Cross-cluster writes through import.
func TestIssue14CrossClusterImport(t *testing.T) {
	w := newWorld(t, server.Config{})
	before := w.state(t)
	for _, tc := range []struct {
		name, tok, cluster, sheet, body string
		codes                           []int
	}{
		{"clusters sheet rewrites ru-006", w.eb, "ru-017", "clusters", "id,name\nru-006,HIJACKED\n", []int{403}},
		{"clusters sheet rewrites its own entry", w.eb, "ru-017", "clusters", "id,name,registry_no\nru-017,HIJACKED,1\n", []int{403}},
		{"clusters sheet creates a cluster", w.eb, "ru-017", "clusters", "id,name\nzz-new,Новый\n", []int{403}},
		{"participants sheet joins ru-006", w.eb, "ru-017", "participants", "id,name,clusters\nnew-p,Новый,ru-006\n", []int{403}},
		{"participants sheet takes alu-riak", w.eb, "ru-017", "participants", "id,name\nalu-riak,HIJACKED\n", []int{409}},
		{"imports of another cluster", w.eb, "ru-017", "imports", "participant_id,product_code,year,value_rub,country\nalu-riak,22.21.10,2024,1,CN\n", []int{400}},
		{"links of another cluster", w.eb, "ru-017", "links", "supplier_id,buyer_id,year\nalu-riak,kemz-uk,2024\n", []int{400}},
		{"capacities of another cluster", w.eb, "ru-017", "capacities", "participant_id,product_code,value_rub\nalu-riak,22.21.10,1\n", []int{400}},
		{"projects of another cluster", w.ea, "ru-031", "projects", "id,participant_id,name\nkemz-p1,alu-riak,Украден\n", []int{409}},
		{"products rename", w.eb, "ru-017", "products", "code,name\n22.21.10,HIJACKED\n", []int{403}},
		{"employment", w.eb, "ru-017", "employment", "region,industry,employees\nКемеровская область,28,1\n", []int{403}},
		{"another cluster's URL", w.eb, "ru-031", "participants", "id,name\nx,X\n", []int{403}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, dry := range []string{"true", "false"} {
				rec := w.req(http.MethodPost, "/api/v1/clusters/"+tc.cluster+"/import?dry_run="+dry+"&sheet="+tc.sheet, tc.tok, "text/csv", []byte(tc.body))
				wantRefused(t, tc.name+" (dry run "+dry+")", rec, tc.codes, "kemz-torginvest", "ru-031\"")
			}
		})
	}
	same(t, before, w.state(t))
	// The editor's own cluster still imports its own export back.
	exp := w.req(http.MethodGet, "/api/v1/clusters/ru-017/export?format=csv", w.eb, "", nil)
	if rec := w.req(http.MethodPost, "/api/v1/clusters/ru-017/import", w.eb, "application/zip", exp.Body.Bytes()); rec.Code != 200 {
		t.Errorf("re-import of the own export: %d %s", rec.Code, rec.Body)
	}
	same(t, before, w.state(t))
}

// 4. A zip bomb is refused before it is unpacked (memory: TestUploadMemory).
func TestIssue14ZipBomb(t *testing.T) {
	w := newWorld(t, server.Config{})
	before := w.state(t)
	path := t.TempDir() + "/bomb.zip"
	if err := bombZip(path, 30, true); err != nil {
		t.Fatal(err)
	}
	body, _ := readFile(path)
	rec := w.req(http.MethodPost, "/api/v1/clusters/ru-017/import?dry_run=true", w.eb, "application/zip", body)
	wantRefused(t, "zip bomb", rec, []int{413})
	same(t, before, w.state(t))
}

func readFile(p string) ([]byte, error) {
	f, err := http.Dir("/").Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// 6. The sign-in's redirect stays on this site.
func TestIssue14OpenRedirect(t *testing.T) {
	w := newWorld(t, server.Config{})
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%09/evil.example",
		" /evil", "/\x00/evil.example", "/ /evil.example", "/..//evil.example"} {
		form := url.Values{"token": {w.eb}, "next": {next}}
		rec := w.req(http.MethodPost, "/login", "", "application/x-www-form-urlencoded", []byte(form.Encode()))
		// Resolved as a browser does, the Location stays on the site.
		loc := rec.Header().Get("Location")
		site, _ := url.Parse("https://coopchain.example/clusters/")
		u, err := url.Parse(loc)
		if rec.Code != http.StatusSeeOther || err != nil || site.ResolveReference(u).Host != site.Host || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") ||
			strings.ContainsAny(loc, "\t\n\r\\ \x00") {
			t.Errorf("next=%q: %d Location %q", next, rec.Code, loc)
		}
	}
	form := url.Values{"token": {w.eb}, "next": {"/clusters/ru-017/niches?year=2024"}}
	if rec := w.req(http.MethodPost, "/login", "", "application/x-www-form-urlencoded", []byte(form.Encode())); rec.Header().Get("Location") != "/clusters/ru-017/niches?year=2024" {
		t.Errorf("a same-site next: %q", rec.Header().Get("Location"))
	}
}

// 7. The lower items.
func TestIssue14Lower(t *testing.T) {
	t.Run("invalid Bearer tokens are rate-limited", func(t *testing.T) {
		w := newWorld(t, server.Config{RatePerIP: 1})
		codes := map[int]int{}
		for i := 0; i < 40; i++ {
			codes[w.req(http.MethodGet, "/api/v1/clusters/ru-017/metrics", "cc_000000000000_"+strings.Repeat("x", 43), "", nil).Code]++
		}
		if codes[429] == 0 || codes[401] == 0 {
			t.Errorf("codes %v", codes)
		}
	})
	w := newWorld(t, server.Config{})
	t.Run("CSRF token only in the header", func(t *testing.T) {
		rec := w.req(http.MethodPost, "/api/v1/session", "", "application/json", []byte(`{"token":"`+w.eb+`"}`))
		var who struct{ CSRF string }
		json.Unmarshal(rec.Body.Bytes(), &who)
		cookies := rec.Result().Cookies()
		post := func(target string, hdr ...string) int {
			r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(`{"name":"Сценарий","changes":[]}`))
			r.Header.Set("Content-Type", "application/json")
			for _, c := range cookies {
				r.AddCookie(c)
			}
			for i := 0; i+1 < len(hdr); i += 2 {
				r.Header.Set(hdr[i], hdr[i+1])
			}
			rr := httptest.NewRecorder()
			w.s.ServeHTTP(rr, r)
			return rr.Code
		}
		if code := post("/api/v1/clusters/ru-017/scenarios?csrf=" + url.QueryEscape(who.CSRF)); code != 403 {
			t.Errorf("CSRF token in the query: %d", code)
		}
		if code := post("/api/v1/clusters/ru-017/scenarios", "X-CSRF-Token", who.CSRF); code >= 400 {
			t.Errorf("CSRF token in the header: %d", code)
		}
	})
	t.Run("sign-in from another origin", func(t *testing.T) {
		form := url.Values{"token": {w.eb}}
		for _, hdr := range [][]string{{"Origin", "https://evil.example"}, {"Origin", "null"}, {"Sec-Fetch-Site", "cross-site"}} {
			rec := w.req(http.MethodPost, "/login", "", "application/x-www-form-urlencoded", []byte(form.Encode()), hdr...)
			if rec.Code != 403 || len(rec.Result().Cookies()) != 0 {
				t.Errorf("%v: %d, cookies %v", hdr, rec.Code, rec.Result().Cookies())
			}
			rec = w.req(http.MethodPost, "/api/v1/session", "", "application/json", []byte(`{"token":"`+w.eb+`"}`), hdr...)
			if rec.Code != 403 || len(rec.Result().Cookies()) != 0 {
				t.Errorf("API %v: %d", hdr, rec.Code)
			}
		}
		rec := w.req(http.MethodPost, "/login", "", "application/x-www-form-urlencoded", []byte(form.Encode()), "Origin", "http://example.com", "Sec-Fetch-Site", "same-origin")
		if rec.Code != http.StatusSeeOther {
			t.Errorf("same origin: %d", rec.Code)
		}
	})
	t.Run("LIKE wildcards and long filters", func(t *testing.T) {
		for q, want := range map[string]int{"%": 0, "_": 0} {
			var page struct{ Total int }
			rec := w.req(http.MethodGet, "/api/v1/clusters?q="+url.QueryEscape(q), "", "", nil)
			json.Unmarshal(rec.Body.Bytes(), &page)
			if rec.Code != 200 || page.Total != want {
				t.Errorf("q=%s: %d, %d matches", q, rec.Code, page.Total)
			}
		}
		if rec := w.req(http.MethodGet, "/api/v1/clusters?q="+strings.Repeat("a", 50000), "", "", nil); rec.Code != 400 {
			t.Errorf("50,000-character q: %d", rec.Code)
		}
	})
	t.Run("NUL in a name", func(t *testing.T) {
		rec := w.req(http.MethodPost, "/api/v1/clusters/ru-017/participants", w.eb, "application/json", []byte(`{"id":"nul","name":"A\u0000B"}`))
		wantRefused(t, "NUL", rec, []int{400})
		exp := w.req(http.MethodGet, "/api/v1/clusters/ru-017/export?format=csv", w.eb, "", nil)
		if rec := w.req(http.MethodPost, "/api/v1/clusters/ru-017/import?dry_run=true", w.eb, "application/zip", exp.Body.Bytes()); rec.Code != 200 {
			t.Errorf("the export does not import back: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("two entries of one sheet in a zip", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range []string{"a/participants.csv", "b/participants.csv"} {
			f, _ := zw.Create(name)
			fmt.Fprintf(f, "id,name\n%s,X\n", strings.TrimSuffix(name, "/participants.csv"))
		}
		zw.Close()
		rec := w.req(http.MethodPost, "/api/v1/clusters/ru-017/import?dry_run=true", w.eb, "application/zip", buf.Bytes())
		wantRefused(t, "duplicate sheets", rec, []int{400})
	})
	t.Run("HEAD", func(t *testing.T) {
		for _, target := range []string{"/healthz", "/api/v1/clusters", "/api/v1/clusters/ru-017/metrics", "/", "/static/app.css"} {
			if rec := w.req(http.MethodHead, target, w.vb, "", nil); rec.Code != 200 {
				t.Errorf("HEAD %s: %d", target, rec.Code)
			}
		}
	})
	t.Run("security headers", func(t *testing.T) {
		for _, target := range []string{"/api/v1/clusters", "/api/v1/clusters/ru-017/diagram.svg", "/api/v1/clusters/ru-017/diagram.dot", "/", "/api/v1/nothing"} {
			rec := w.req(http.MethodGet, target, w.vb, "", nil)
			h := rec.Header()
			if h.Get("Referrer-Policy") == "" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") == "" ||
				!strings.Contains(strings.Join(h.Values("Vary"), ","), "Authorization") || !strings.Contains(h.Get("Cache-Control"), "private") {
				t.Errorf("GET %s (%d): headers %v", target, rec.Code, h)
			}
		}
	})
	t.Run("no listing of /static/", func(t *testing.T) {
		for _, target := range []string{"/static/", "/static"} {
			if rec := w.req(http.MethodGet, target, "", "", nil); rec.Code != 404 || strings.Contains(rec.Body.String(), "app.js") {
				t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
			}
		}
		if rec := w.req(http.MethodGet, "/static/app.js", "", "", nil); rec.Code != 200 {
			t.Errorf("app.js: %d", rec.Code)
		}
	})
	t.Run("XLSX exports are byte-identical", func(t *testing.T) {
		a := w.req(http.MethodGet, "/api/v1/clusters/ru-031/export?format=xlsx", w.admin, "", nil)
		for i := 0; i < 3; i++ {
			b := w.req(http.MethodGet, "/api/v1/clusters/ru-031/export?format=xlsx", w.admin, "", nil)
			if a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
				t.Fatalf("export %d differs (%d)", i+2, b.Code)
			}
		}
	})
}

// 8. Conditional requests know who asks.
func TestIssue14ETagAudience(t *testing.T) {
	w := newWorld(t, server.Config{})
	target := "/api/v1/clusters/ru-031/niches"
	inv := w.req(http.MethodGet, target, w.inv, "", nil)
	mem := w.req(http.MethodGet, target, w.ea, "", nil)
	if inv.Code != 200 || mem.Code != 200 {
		t.Fatalf("%d %d", inv.Code, mem.Code)
	}
	ei, em := inv.Header().Get("ETag"), mem.Header().Get("ETag")
	if ei == "" || ei == em {
		t.Errorf("investor's ETag %q, member's %q", ei, em)
	}
	// A member revalidating with the investor's ETag gets the full body.
	rec := w.req(http.MethodGet, target, w.ea, "", nil, "If-None-Match", ei)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"aggregated":false`) {
		t.Errorf("member with the investor's ETag: %d %.200s", rec.Code, rec.Body)
	}
	if rec := w.req(http.MethodGet, target, w.ea, "", nil, "If-None-Match", em); rec.Code != 304 {
		t.Errorf("member with its own ETag: %d", rec.Code)
	}
	for _, r := range []*httptest.ResponseRecorder{inv, mem} {
		if v := strings.Join(r.Header().Values("Vary"), ","); !strings.Contains(v, "Authorization") || !strings.Contains(v, "Cookie") || !strings.Contains(r.Header().Get("Cache-Control"), "private") {
			t.Errorf("Vary %q, Cache-Control %q", v, r.Header().Get("Cache-Control"))
		}
	}
}

// 9. Creating is atomic: racing POSTs give one 201 and 409s, and the
// winner's data stays.
func TestIssue14CreateRace(t *testing.T) {
	w := newWorld(t, server.Config{})
	const n = 8
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = w.req(http.MethodPost, "/api/v1/clusters/ru-017/participants", w.eb, "application/json", []byte(fmt.Sprintf(`{"id":"race","name":"Создан %d"}`, i))).Code
		}(i)
	}
	wg.Wait()
	won := -1
	for i, c := range codes {
		switch c {
		case 201:
			if won >= 0 {
				t.Errorf("POSTs %d and %d both created", won, i)
			}
			won = i
		case 409, 503:
		default:
			t.Errorf("POST %d: %d", i, c)
		}
	}
	rec := w.req(http.MethodGet, "/api/v1/clusters/ru-017/participants/race", w.eb, "", nil)
	if won < 0 || !strings.Contains(rec.Body.String(), fmt.Sprintf("Создан %d", won)) {
		t.Errorf("winner %d, stored %s", won, rec.Body)
	}
}

// failingVersion is a store whose Version fails with EUNAVAILABLE for imports.
type failingVersion struct{ gm.Store }

func (f failingVersion) Version(ctx context.Context, clusterID string, k gm.RecordKey) (int64, error) {
	if k.Kind == "import" {
		return 0, gm.Errorf(gm.EUNAVAILABLE, "the database is busy")
	}
	return f.Store.Version(ctx, clusterID, k)
}

// 9. A lookup that fails stops the save instead of being taken for "absent".
func TestIssue14SaveRecordLookupError(t *testing.T) {
	w := newWorld(t, server.Config{})
	s := server.New(server.Deps{Store: failingVersion{w.db}, Config: server.Config{RatePerIP: -1, RatePerToken: -1}})
	before := w.state(t)
	r := httptest.NewRequest(http.MethodPost, "/api/v1/clusters/ru-017/imports", strings.NewReader(`{"participant_id":"kemz-uk","product_code":"27.11.10","year":2024,"value_rub":5}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+w.eb)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 503 {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	same(t, before, w.state(t))
}

// 10. A panic is logged, counted and answered 500 without internals.
func TestIssue14PanicLoggedAndCounted(t *testing.T) {
	w := newWorld(t, server.Config{})
	w.s.Echo().GET("/test-panic", func(c echo.Context) error { panic("boom: secret detail") })
	rec := w.req(http.MethodGet, "/test-panic", "", "", nil)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || !strings.Contains(rec.Body.String(), `"internal"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	logs := w.logs.String()
	if !strings.Contains(logs, `"msg":"panic"`) || !strings.Contains(logs, `"path":"/test-panic","status":500`) {
		t.Errorf("logs: %s", logs)
	}
	m := w.req(http.MethodGet, "/metrics", "", "", nil).Body.String()
	if !strings.Contains(m, "coopchain_http_panics_total 1") || !strings.Contains(m, `coopchain_http_requests_total{method="GET",route="/test-panic",status="500"} 1`) {
		t.Errorf("metrics: %s", grepLines(m, "test-panic", "panics"))
	}
}

func grepLines(s string, subs ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, sub := range subs {
			if strings.Contains(l, sub) {
				out = append(out, l)
			}
		}
	}
	return strings.Join(out, "\n")
}
