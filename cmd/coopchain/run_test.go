package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopchain/coopchain/internal/testenv"
)

// serve starts `coopchain serve` on port 0 and returns its base URL and a stop function.
func serve(t *testing.T, dbPath string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	var stderr bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdout: &bytes.Buffer{}, stderr: &stderr, ready: func(a string) { addrc <- a }}
	go func() {
		done <- runEnv(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--create-dirs"}, e)
	}()
	select {
	case a := <-addrc:
		return "http://" + a, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// The server seeds an empty database once; a restart keeps the data and does
// not load the seed again.
func TestServeSeedsOnceAndRestarts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "coopchain.db")
	var first struct {
		Items []struct{ ID, Name string } `json:"items"`
		Total int                         `json:"total"`
	}
	base, stop := serve(t, db)
	getJSON(t, base+"/api/v1/clusters", &first)
	var health struct {
		DataVersion int64 `json:"data_version"`
	}
	getJSON(t, base+"/healthz", &health)
	stop()
	if first.Total != 104 || len(first.Items) != 104 {
		t.Fatalf("%d clusters listed (total %d), want 104", len(first.Items), first.Total)
	}
	base, stop = serve(t, db)
	defer stop()
	var second struct {
		Total int `json:"total"`
	}
	getJSON(t, base+"/api/v1/clusters", &second)
	var health2 struct {
		DataVersion int64 `json:"data_version"`
	}
	getJSON(t, base+"/healthz", &health2)
	if second.Total != 104 || health2.DataVersion != health.DataVersion {
		t.Errorf("after restart: %d clusters, data version %d → %d", second.Total, health.DataVersion, health2.DataVersion)
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, &out, &out)
	if err == nil || exitCode(err) != 2 || !strings.Contains(out.String(), "Usage:") {
		t.Errorf("err=%v out=%s", err, out.String())
	}
}

// The U.S. Cluster Mapping Project publishes LQs computed inside the traded
// and local groups with national totals that include areas missing from the
// 50-state file (e.g. DC). Our LQ from the file must therefore equal the
// published one up to one constant factor per cluster.
func TestLQMatchesClusterMappingProject(t *testing.T) {
	path := testenv.Shared(t, "../../../shared/reference/cmp/all_states_clusters.csv")
	var out bytes.Buffer
	err := run(context.Background(), []string{"lq", "--in", path, "--region-col", "region_name_t", "--industry-col", "cluster_name_t",
		"--employees-col", "emp_tl", "--group", "traded_b", "--year-col", "year_t"}, func(string) string { return "" }, nil, &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Region, Industry, Group string
		LQ                      *float64
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	ours := map[[2]string]float64{}
	for _, g := range got {
		if g.LQ != nil {
			ours[[2]string{g.Region, g.Industry}] = *g.LQ
		}
	}
	f, _ := os.Open(path)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	ratio := map[string][2]float64{} // cluster → min, max of published/ours
	n := 0
	for _, r := range rows[1:] {
		pub, err := strconv.ParseFloat(r[col["lq_tf"]], 64)
		o, ok := ours[[2]string{r[col["region_name_t"]], r[col["cluster_name_t"]]}]
		if err != nil || !ok || o == 0 {
			continue
		}
		n++
		q := pub / o
		mm, seen := ratio[r[col["cluster_name_t"]]]
		if !seen {
			mm = [2]float64{q, q}
		}
		mm[0], mm[1] = math.Min(mm[0], q), math.Max(mm[1], q)
		ratio[r[col["cluster_name_t"]]] = mm
	}
	if n < 3000 {
		t.Fatalf("compared only %d rows", n)
	}
	for c, mm := range ratio {
		if mm[1]-mm[0] > 1e-5*mm[0] || mm[0] < 0.9 || mm[1] > 1.1 {
			t.Errorf("%s: published/ours ranges %.6f..%.6f", c, mm[0], mm[1])
		}
	}
}

// analyze works offline on a folder with only participants.csv and links.csv
// whose ids are not INNs, and prints the documented JSON.
func TestAnalyzeCommandJSON(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "participants.csv"), []byte("id,name\nPart_0001,Деталь\nManuf.0001,Сборка\nDC:1,Склад\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "links.csv"), []byte("supplier_id,buyer_id\nPart_0001,Manuf.0001\nManuf.0001,DC:1\n"), 0o644)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"analyze", "--in", dir, "--format", "json"}, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"participants", "cycles", "import_gaps", "niches", "compliance"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("key %s missing", k)
		}
	}
	ps := rep["participants"].([]any)
	if len(ps) != 3 {
		t.Fatalf("%d participants", len(ps))
	}
	stage := map[string]float64{}
	for _, p := range ps {
		m := p.(map[string]any)
		stage[m["id"].(string)] = m["stage"].(float64)
	}
	if stage["Part_0001"] != 0 || stage["Manuf.0001"] != 1 || stage["DC:1"] != 2 {
		t.Errorf("stages = %v", stage)
	}
	// A bad file gets a precise error and a non-zero exit.
	os.WriteFile(filepath.Join(dir, "links.csv"), []byte("supplier_id,buyer_id\nPart_0001,Nobody\n"), 0o644)
	err := run(context.Background(), []string{"analyze", "--in", dir}, func(string) string { return "" }, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "links.csv:2") || !strings.Contains(err.Error(), "unknown participant") {
		t.Errorf("err = %v", err)
	}
}
