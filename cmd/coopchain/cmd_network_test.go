package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type metricRow struct {
	ID           string   `json:"id"`
	InDegree     int      `json:"in_degree"`
	OutDegree    int      `json:"out_degree"`
	InValue      float64  `json:"in_value"`
	OutValue     float64  `json:"out_value"`
	PageRank     float64  `json:"pagerank"`
	SupplierRank float64  `json:"supplier_rank"`
	Betweenness  *float64 `json:"betweenness"`
	Stage        int      `json:"stage"`
	InCycle      bool     `json:"in_cycle"`
}

func runJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), v); err != nil {
		t.Fatalf("%v: %v\n%.300s", args, err, out.String())
	}
}

// `network` gives the same per-participant metrics as `analyze` (the
// networkx-checked path) on the golden datasets, under the same names.
func TestNetworkAgreesWithAnalyze(t *testing.T) {
	for _, name := range []string{"cycle", "isolated_dangling", "unweighted", "generated2000"} {
		dir := filepath.Join("..", "..", "analysis", "testdata", "graphs", name)
		var a, n struct {
			Participants []metricRow `json:"participants"`
			Summary      struct {
				Stages      int    `json:"stages"`
				Cycles      int    `json:"cycles"`
				Betweenness string `json:"betweenness_method"`
			} `json:"summary"`
		}
		runJSON(t, &a, "analyze", "--in", dir, "--format", "json")
		runJSON(t, &n, "network", "--in", dir, "--format", "json", "--quiet")
		if len(a.Participants) != len(n.Participants) {
			t.Fatalf("%s: %d vs %d participants", name, len(a.Participants), len(n.Participants))
		}
		if a.Summary.Stages != n.Summary.Stages || a.Summary.Cycles != n.Summary.Cycles || n.Summary.Betweenness != "exact" {
			t.Errorf("%s: summary %+v vs %+v", name, a.Summary, n.Summary)
		}
		for i, x := range a.Participants {
			y := n.Participants[i]
			if x.ID != y.ID || x.InDegree != y.InDegree || x.OutDegree != y.OutDegree || x.Stage != y.Stage || x.InCycle != y.InCycle ||
				math.Abs(x.InValue-y.InValue) > 1e-6 || math.Abs(x.OutValue-y.OutValue) > 1e-6 ||
				math.Abs(x.PageRank-y.PageRank) > 1e-9 || math.Abs(x.SupplierRank-y.SupplierRank) > 1e-9 || math.Abs(*x.Betweenness-*y.Betweenness) > 1e-12 {
				t.Errorf("%s: analyze %+v\nnetwork %+v", name, x, y)
				break
			}
		}
	}
}

func TestNetworkCSVAndProblems(t *testing.T) {
	dir := filepath.Join("..", "..", "analysis", "testdata", "graphs", "diamond")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"network", "--in", dir, "--format", "csv", "--betweenness", "approx", "--eps", "0.05"}, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 5 || rows[0][0] != "id" || rows[0][7] != "betweenness" {
		t.Errorf("csv: %v %v", rows, err)
	}
	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "participants.csv"), "id\na\nb\n")
	writeFile(t, filepath.Join(bad, "links.csv"), "supplier_id,buyer_id,value_rub\na,c,1\n")
	err = run(context.Background(), []string{"network", "--in", bad}, func(string) string { return "" }, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "1 problem") {
		t.Errorf("unknown participant: %v", err)
	}
	if err := run(context.Background(), []string{"network"}, func(string) string { return "" }, nil, &out, &errb); exitCode(err) != 2 {
		t.Errorf("no --in: %v", err)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
