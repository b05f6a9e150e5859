package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
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

// A network saved with --save-snapshot and reloaded with --snapshot gives
// the same metrics as the CSV it came from; --save-only writes nothing
// else; a damaged snapshot or a mismatched --year is refused.
func TestNetworkSnapshot(t *testing.T) {
	dir := filepath.Join("..", "..", "analysis", "testdata", "graphs", "generated2000")
	snap := filepath.Join(t.TempDir(), "net.snap")
	var fromCSV, fromSnap struct {
		Participants []metricRow `json:"participants"`
		Summary      struct {
			Links   int                `json:"links"`
			Year    int                `json:"year"`
			Seconds map[string]float64 `json:"seconds"`
		} `json:"summary"`
	}
	runJSON(t, &fromCSV, "network", "--in", dir, "--save-snapshot", snap, "--quiet")
	if _, ok := fromCSV.Summary.Seconds["save_snapshot"]; !ok {
		t.Errorf("no save_snapshot time in %v", fromCSV.Summary.Seconds)
	}
	runJSON(t, &fromSnap, "network", "--snapshot", snap, "--quiet")
	if len(fromSnap.Participants) != len(fromCSV.Participants) || fromSnap.Summary.Links != fromCSV.Summary.Links || fromSnap.Summary.Year != fromCSV.Summary.Year {
		t.Fatalf("snapshot: %d participants, %d links, year %d; CSV: %d, %d, %d", len(fromSnap.Participants), fromSnap.Summary.Links, fromSnap.Summary.Year,
			len(fromCSV.Participants), fromCSV.Summary.Links, fromCSV.Summary.Year)
	}
	for i, x := range fromCSV.Participants {
		y := fromSnap.Participants[i]
		if x.ID != y.ID || x.InDegree != y.InDegree || x.OutValue != y.OutValue || x.PageRank != y.PageRank || x.Stage != y.Stage || math.Abs(*x.Betweenness-*y.Betweenness) > 1e-12 {
			t.Fatalf("CSV %+v\nsnapshot %+v", x, y)
		}
	}

	only := filepath.Join(t.TempDir(), "only.snap")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"network", "--in", dir, "--save-snapshot", only, "--save-only", "--quiet"}, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if st, err := os.Stat(only); err != nil || st.Size() == 0 || out.Len() != 0 {
		t.Errorf("--save-only: %v, output %q", err, out.String())
	}

	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.snap")
	writeFile(t, bad, string(data[:len(data)-100]))
	err = run(context.Background(), []string{"network", "--snapshot", bad}, func(string) string { return "" }, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "bad.snap: truncated or damaged snapshot") || exitCode(err) == 0 {
		t.Errorf("truncated snapshot: %v", err)
	}
	err = run(context.Background(), []string{"network", "--snapshot", snap, "--year", "1999"}, func(string) string { return "" }, nil, &out, &errb)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "--year 1999") {
		t.Errorf("--year of another year: %v", err)
	}
	for _, args := range [][]string{{"network", "--in", dir, "--snapshot", snap}, {"network", "--in", dir, "--save-only"}} {
		if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &errb); exitCode(err) != 2 {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// writeRows formats chunks on several cores but writes every row once, in
// order, across chunk and round boundaries.
func TestWriteRowsInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 8191, 8192, 8193, 40000} {
		var got bytes.Buffer
		if err := writeRows(&got, n, func(b []byte, v int) []byte { return append(strconv.AppendInt(b, int64(v), 10), '\n') }); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		for v := 0; v < n; v++ {
			fmt.Fprintf(&want, "%d\n", v)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("n=%d: rows out of order or missing (%d bytes, want %d)", n, got.Len(), want.Len())
		}
	}
}

// failAfter accepts limit bytes, then fails every write.
type failAfter struct{ limit, n int }

func (f *failAfter) Write(b []byte) (int, error) {
	if f.n+len(b) > f.limit {
		return 0, errors.New("disk full")
	}
	f.n += len(b)
	return len(b), nil
}

// TestWriteRowsStopsOnError: a failed write is returned and nothing is
// written after it.
func TestWriteRowsStopsOnError(t *testing.T) {
	for _, limit := range []int{0, 100, 200_000} {
		w := &failAfter{limit: limit}
		err := writeRows(w, 100_000, func(b []byte, v int) []byte { return append(strconv.AppendInt(b, int64(v), 10), '\n') })
		if err == nil || err.Error() != "disk full" {
			t.Fatalf("limit %d: %v", limit, err)
		}
		if w.n > limit {
			t.Fatalf("limit %d: %d bytes written", limit, w.n)
		}
	}
}
