package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
	"github.com/coopchain/coopchain/sqlstore/sqltest"
)

// Shared deployments: several replicas (server processes) on one database,
// and the database failing under them. Replicas are modelled in one test
// process as separate server.New instances over separate store handles on
// the same database, served over loopback HTTP.

func relFloat(v float64) *float64 { return &v }

// relDataset is a small cluster: a chain with a final producer.
func relDataset() *gm.Dataset {
	emp := int64(0)
	ps := []gm.Participant{}
	for i, n := range []string{"Слитки", "Профиль", "Окна", "Краска", "СОПК"} {
		kind := gm.KindEnterprise
		if n == "СОПК" {
			kind = gm.KindSOPC
		}
		e := emp
		ps = append(ps, gm.Participant{ID: fmt.Sprintf("p%d", i), Name: n, Kind: kind, Employees: &e, FinalProducer: i == 2})
	}
	return &gm.Dataset{
		Clusters:     []gm.Cluster{{ID: "alu", Name: "Алюминий", Kind: gm.ClusterIndustrial, Regions: []string{"Республика Ингушетия"}}},
		Participants: ps,
		Links: []gm.SupplyLink{
			{SupplierID: "p0", BuyerID: "p1", ProductCode: "24.42.11", Year: 2024, ValueRUB: relFloat(5e8)},
			{SupplierID: "p1", BuyerID: "p2", ProductCode: "24.42.22", Year: 2024, ValueRUB: relFloat(7e8)},
			{SupplierID: "p3", BuyerID: "p2", ProductCode: "20.30.22", Year: 2024, ValueRUB: relFloat(1e7)},
		},
		Imports: []gm.Import{{ParticipantID: "p2", ProductCode: "20.30.22", Year: 2024, ValueRUB: 4e7, Country: "CN"}},
	}
}

type replica struct {
	db  *sqlstore.DB
	url string
}

// replicas opens n stores on dsn and serves each with its own server.
func replicas(t *testing.T, dsn string, n int, opt sqlstore.Options) []replica {
	t.Helper()
	var out []replica
	for i := 0; i < n; i++ {
		db, err := sqlstore.Open(context.Background(), dsn, opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		hs := httptest.NewServer(server.New(server.Deps{Store: db, Config: server.Config{RatePerIP: -1, RatePerToken: -1}}))
		t.Cleanup(hs.Close)
		out = append(out, replica{db: db, url: hs.URL})
	}
	return out
}

type relResponse struct {
	status int
	header http.Header
	body   []byte
}

func (r relResponse) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func relCall(t *testing.T, method, u, token string, body any, hdr ...string) relResponse {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// The deadline only keeps a hung request from blocking the test.
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return relResponse{resp.StatusCode, resp.Header, b}
}

func participantBody(name string, employees int64) map[string]any {
	return map[string]any{"name": name, "kind": "enterprise", "employees": employees}
}

// A change made through one replica is seen by the other at once: its
// caches (analysis, diagrams) are keyed by the cluster's data version read
// from the database on every request.
func TestReplicasSeeEachOthersChanges(t *testing.T) {
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			rs := replicas(t, b.NewDSN(t), 2, sqlstore.Options{})
			a, bb := rs[0], rs[1]
			if _, err := a.db.Import(ctx, "alu", relDataset(), gm.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			_, tok, err := server.NewToken(ctx, a.db, gm.RoleAdmin, "", "test")
			if err != nil {
				t.Fatal(err)
			}
			pURL := "/api/v1/clusters/alu/participants/p2"
			// Replica B computes and caches the analysis, the diagram and the participant.
			r := relCall(t, "GET", bb.url+pURL, tok, nil)
			v0 := r.header.Get("ETag")
			if r.status != 200 || !strings.Contains(string(r.body), "Окна") {
				t.Fatalf("GET: %d %s", r.status, r.body)
			}
			m0 := relCall(t, "GET", bb.url+"/api/v1/clusters/alu/metrics", tok, nil)
			d0 := relCall(t, "GET", bb.url+"/api/v1/clusters/alu/diagram.svg", tok, nil)
			if m0.status != 200 || d0.status != 200 {
				t.Fatalf("metrics %d, diagram %d", m0.status, d0.status)
			}
			// Replica A renames the participant and adds a supplier.
			if r := relCall(t, "PUT", a.url+pURL, tok, participantBody("Фасадные системы", 1), "If-Match", v0); r.status != 200 {
				t.Fatalf("PUT through A: %d %s", r.status, r.body)
			}
			link := map[string]any{"supplier_id": "p4", "buyer_id": "p2", "product_code": "71.12", "year": 2024, "value_rub": 1e6}
			if r := relCall(t, "POST", a.url+"/api/v1/clusters/alu/links", tok, link); r.status != 201 {
				t.Fatalf("POST link through A: %d %s", r.status, r.body)
			}
			// Replica B sees both at once.
			r = relCall(t, "GET", bb.url+pURL, tok, nil)
			if r.status != 200 || !strings.Contains(string(r.body), "Фасадные системы") || r.header.Get("ETag") == v0 {
				t.Errorf("B after A's change: %d %s (ETag %s, was %s)", r.status, r.body, r.header.Get("ETag"), v0)
			}
			m1 := relCall(t, "GET", bb.url+"/api/v1/clusters/alu/metrics", tok, nil)
			if m1.header.Get("ETag") == m0.header.Get("ETag") || !strings.Contains(string(m1.body), `"p4"`) {
				t.Errorf("B's metrics did not change: ETag %s", m1.header.Get("ETag"))
			}
			links := relCall(t, "GET", bb.url+"/api/v1/clusters/alu/links?supplier=p4", tok, nil).json(t)
			if links["total"] != 1.0 {
				t.Errorf("B lists %v links from p4, want 1", links["total"])
			}
			d1 := relCall(t, "GET", bb.url+"/api/v1/clusters/alu/diagram.svg", tok, nil)
			if d1.header.Get("ETag") == d0.header.Get("ETag") || bytes.Equal(d1.body, d0.body) {
				t.Error("B's diagram did not change")
			}
			// A stale version sent to B is refused, not applied.
			if r := relCall(t, "PUT", bb.url+pURL, tok, participantBody("Старое имя", 0), "If-Match", v0); r.status != 409 || r.json(t)["error"].(map[string]any)["code"] != "conflict" {
				t.Errorf("stale PUT through B: %d %s", r.status, r.body)
			}
		})
	}
}

// relCounts tallies the answers of the mixed load.
type relCounts struct {
	mu                              sync.Mutex
	updates, conflicts, reads, errs int
	perParticipant                  map[string]int
	firstErr                        string
}

func (c *relCounts) add(kind string, pid string, status int, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case kind == "put" && status == 200:
		c.updates++
		c.perParticipant[pid]++
	case kind == "put" && status == 409:
		c.conflicts++
	case kind == "get" && status == 200:
		c.reads++
	default:
		c.errs++
		if c.firstErr == "" {
			c.firstErr = fmt.Sprintf("%s %s: %d %s", kind, pid, status, body)
		}
	}
}

// relLoad runs a bounded mixed load over the replicas: workers read a
// participant (version and counter), write the counter + 1 with If-Match,
// and read lists and the analysis in between. It returns the tallies.
func relLoad(t *testing.T, rs []replica, tok string, pids []string, workers, iterations int) *relCounts {
	c := &relCounts{perParticipant: map[string]int{}}
	client := &http.Client{Timeout: 2 * time.Minute}
	call := func(method, u string, body any, hdr ...string) (int, http.Header, []byte) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, u, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, []byte(err.Error())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := 0; i < iterations; i++ {
				base := rs[rng.IntN(len(rs))].url + "/api/v1/clusters/alu"
				pid := pids[rng.IntN(len(pids))]
				status, hdr, body := call("GET", base+"/participants/"+pid, nil)
				c.add("get", pid, status, body)
				if status != 200 {
					continue
				}
				var got struct {
					Participant struct {
						Name      string `json:"name"`
						Employees int64  `json:"employees"`
					} `json:"participant"`
				}
				json.Unmarshal(body, &got)
				// Write through any replica, not necessarily the one read.
				wbase := rs[rng.IntN(len(rs))].url + "/api/v1/clusters/alu"
				status, _, body = call("PUT", wbase+"/participants/"+pid, participantBody(got.Participant.Name, got.Participant.Employees+1), "If-Match", hdr.Get("ETag"))
				c.add("put", pid, status, body)
				if i%3 == 0 {
					status, _, body = call("GET", base+"/metrics", nil)
					c.add("get", "metrics", status, body)
				} else {
					status, _, body = call("GET", base+"/participants?limit=10", nil)
					c.add("get", "list", status, body)
				}
			}
		}(w)
	}
	wg.Wait()
	return c
}

// Concurrent read-modify-write through two replicas: every update that
// succeeded is in the data (each one increments a counter, so the final
// value equals the number of successful updates), the others got 409, and
// there is no other error.
func TestReplicasNoLostUpdate(t *testing.T) {
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			rs := replicas(t, b.NewDSN(t), 2, sqlstore.Options{})
			if _, err := rs[0].db.Import(ctx, "alu", relDataset(), gm.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			_, tok, err := server.NewToken(ctx, rs[0].db, gm.RoleEditor, "alu", "load")
			if err != nil {
				t.Fatal(err)
			}
			pids := []string{"p0", "p1", "p2"} // few records: many collisions
			c := relLoad(t, rs, tok, pids, 8, 25)
			t.Logf("%s: %d updates, %d conflicts (409), %d reads, %d other", b.Name, c.updates, c.conflicts, c.reads, c.errs)
			if c.errs > 0 {
				t.Errorf("%d answers other than 200/409, first: %s", c.errs, c.firstErr)
			}
			if c.updates == 0 || c.conflicts == 0 {
				t.Errorf("the load did not exercise concurrent updates: %d updates, %d conflicts", c.updates, c.conflicts)
			}
			ds, err := rs[1].db.ClusterData(ctx, "alu")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ds.Participants {
				want := int64(c.perParticipant[p.ID])
				var got int64
				if p.Employees != nil {
					got = *p.Employees
				}
				if got != want {
					t.Errorf("%s: counter %d after %d successful updates: an update was lost", p.ID, got, want)
				}
			}
		})
	}
}

func relErrorCode(t *testing.T, r relResponse) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// want503 checks the API's answer to a database fault: 503, code
// unavailable, Retry-After, a message without driver internals.
func want503(t *testing.T, what string, r relResponse) {
	t.Helper()
	if r.status != 503 || relErrorCode(t, r) != gm.EUNAVAILABLE || r.header.Get("Retry-After") == "" {
		t.Fatalf("%s: %d %s (Retry-After %q), want 503 unavailable with Retry-After", what, r.status, r.body, r.header.Get("Retry-After"))
	}
	for _, leak := range []string{"SQLITE", "SQLSTATE", "pgx", "sqlite:", "dial tcp"} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("%s: the answer leaks %q: %s", what, leak, r.body)
		}
	}
}

// A write lock held by another connection: writes through the API wait for
// the busy timeout and then answer 503 with Retry-After; reads answer 200.
func TestAPIWriteLockedDatabase(t *testing.T) {
	for _, b := range sqltest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.NewDSN(t)
			rs := replicas(t, dsn, 1, sqlstore.Options{BusyTimeout: 300 * time.Millisecond})
			if _, err := rs[0].db.Import(ctx, "alu", relDataset(), gm.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			_, tok, _ := server.NewToken(ctx, rs[0].db, gm.RoleAdmin, "", "test")
			pURL := rs[0].url + "/api/v1/clusters/alu/participants/p1"
			driver, lockSQL := "pgx", `LOCK TABLE data_version IN EXCLUSIVE MODE`
			src := dsn
			if b.Name == "sqlite" {
				driver, lockSQL, src = "sqlite", `INSERT INTO meta (key, value) VALUES ('lock', '')`, "file:"+dsn+"?_pragma=busy_timeout(0)"
			}
			other, err := sql.Open(driver, src)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			tx, err := other.Begin()
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.Exec(lockSQL); err != nil {
				t.Fatal(err)
			}
			want503(t, "PUT while locked", relCall(t, "PUT", pURL, tok, participantBody("Профиль", 5)))
			want503(t, "POST while locked", relCall(t, "POST", rs[0].url+"/api/v1/clusters/alu/capacities", tok, map[string]any{"participant_id": "p1", "product_code": "24.42.22", "year": 2024, "value_rub": 1}))
			if r := relCall(t, "GET", pURL, tok, nil); r.status != 200 {
				t.Errorf("GET while locked: %d %s", r.status, r.body)
			}
			tx.Rollback()
			if r := relCall(t, "PUT", pURL, tok, participantBody("Профиль", 5)); r.status != 200 {
				t.Errorf("PUT after the lock ended: %d %s", r.status, r.body)
			}
		})
	}
}

// PostgreSQL stopped mid-run (its port closed and every connection cut):
// every request that needs the database answers 503 at once, the service
// recovers by itself when the database is back, and nothing was lost.
func TestAPIPostgresDownAndBack(t *testing.T) {
	admin := sqltest.PostgresAdmin()
	if admin == "" {
		t.Skip("set " + sqltest.EnvPostgres + " to run against PostgreSQL")
	}
	ctx := context.Background()
	dsn := sqltest.NewPostgresDB(t, admin)
	u, _ := url.Parse(dsn)
	proxy := sqltest.NewProxy(t, u.Host)
	rs := replicas(t, sqltest.WithHost(t, dsn, proxy.Addr()), 1, sqlstore.Options{ConnectTimeout: 2 * time.Second})
	if _, err := rs[0].db.Import(ctx, "alu", relDataset(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, tok, _ := server.NewToken(ctx, rs[0].db, gm.RoleAdmin, "", "test")
	base := rs[0].url
	pURL := base + "/api/v1/clusters/alu/participants/p1"
	r := relCall(t, "PUT", pURL, tok, participantBody("Профиль", 7))
	if r.status != 200 {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	proxy.Stop()
	want503(t, "GET while down", relCall(t, "GET", pURL, tok, nil))
	want503(t, "PUT while down", relCall(t, "PUT", pURL, tok, participantBody("Профиль", 8)))
	if r := relCall(t, "GET", base+"/healthz", "", nil); r.status != 503 {
		t.Errorf("healthz while down: %d", r.status)
	}
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	var last relResponse
	for i := 0; i < 200; i++ {
		if last = relCall(t, "GET", pURL, tok, nil); last.status == 200 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if last.status != 200 {
		t.Fatalf("the service did not recover: %d %s", last.status, last.body)
	}
	var got struct {
		Participant struct{ Employees int64 } `json:"participant"`
	}
	json.Unmarshal(last.body, &got)
	if got.Participant.Employees != 7 {
		t.Errorf("employees = %d after the outage, want 7 (the change before it; the one during it refused)", got.Participant.Employees)
	}
	if r := relCall(t, "PUT", pURL, tok, participantBody("Профиль", 9)); r.status != 200 {
		t.Errorf("PUT after recovery: %d %s", r.status, r.body)
	}
}

// A full disk under SQLite: an import answers 503 saying so, nothing of it
// is stored, and it succeeds once space is freed.
func TestAPIDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	ctx := context.Background()
	rs := replicas(t, filepath.Join(dir, "t.db"), 1, sqlstore.Options{BusyTimeout: 300 * time.Millisecond})
	if _, err := rs[0].db.Import(ctx, "alu", relDataset(), gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, tok, _ := server.NewToken(ctx, rs[0].db, gm.RoleAdmin, "", "test")
	filler, _ := os.Create(filepath.Join(dir, "filler"))
	buf := make([]byte, 64<<10)
	for {
		if _, err := filler.Write(buf); err != nil {
			break
		}
	}
	filler.Close()
	pcsv, lcsv := sqltest.ChainCSV("d", 500, 9500)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, content := range map[string]string{"participants.csv": pcsv, "links.csv": lcsv} {
		w, _ := mw.CreateFormFile("file", name)
		io.WriteString(w, content)
	}
	mw.Close()
	post := func() relResponse {
		req, _ := http.NewRequest("POST", rs[0].url+"/api/v1/clusters/big/import", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return relResponse{resp.StatusCode, resp.Header, b}
	}
	r := post()
	want503(t, "import on a full disk", r)
	if !strings.Contains(string(r.body), "full") {
		t.Errorf("the message does not say the disk is full: %s", r.body)
	}
	if _, err := rs[0].db.GetCluster(ctx, "big"); gm.ErrorCode(err) != gm.ENOTFOUND {
		t.Errorf("the refused import left a cluster: %v", err)
	}
	os.Remove(filepath.Join(dir, "filler"))
	if r := post(); r.status != 201 {
		t.Fatalf("import after space was freed: %d %s", r.status, r.body)
	}
	sqltest.CheckIntegrity(t, rs[0].db.SQL(), false)
}
