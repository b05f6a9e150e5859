package netio

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis/kernel"
	"github.com/coopchain/coopchain/tabular"
)

// goldenDirs are the networkx golden graphs of the analysis tests.
func goldenDirs(t *testing.T) []string {
	dirs, _ := filepath.Glob("../../testdata/graphs/*")
	if len(dirs) < 5 {
		t.Fatalf("only %d golden graphs", len(dirs))
	}
	return dirs
}

// The streaming loader plus the kernels reproduce networkx (PageRank,
// supplier rank, betweenness) on the golden graphs, and the loaded graph
// equals the one made from the dataset reader's rows.
func TestLoadAndKernelsMatchNetworkx(t *testing.T) {
	for _, dir := range goldenDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s, err := LoadPath(dir, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "networkx.json"))
			if err != nil {
				t.Fatal(err)
			}
			var golden struct {
				Participants []struct {
					ID                                  string
					PageRank, SupplierRank, Betweenness float64
				} `json:"participants"`
			}
			if err := json.Unmarshal([]byte(strings.NewReplacer(`"pagerank"`, `"PageRank"`, `"supplier_rank"`, `"SupplierRank"`, `"betweenness"`, `"Betweenness"`).Replace(string(raw))), &golden); err != nil {
				t.Fatal(err)
			}
			m, err := kernel.AnalyzeNetwork(context.Background(), s, kernel.NetworkOptions{Betweenness: "exact"})
			if err != nil {
				t.Fatal(err)
			}
			if len(golden.Participants) != len(s.IDs) {
				t.Fatalf("%d nodes, golden %d", len(s.IDs), len(golden.Participants))
			}
			var maxPR, maxSR, maxBC float64
			for _, g := range golden.Participants {
				v, ok := s.Node(g.ID)
				if !ok {
					t.Fatalf("%s missing", g.ID)
				}
				maxPR = math.Max(maxPR, math.Abs(m.PageRank[v]-g.PageRank))
				maxSR = math.Max(maxSR, math.Abs(m.SupplierRank[v]-g.SupplierRank))
				maxBC = math.Max(maxBC, math.Abs(m.Betweenness[v]-g.Betweenness))
			}
			if maxPR > 1e-9 || maxSR > 1e-9 || maxBC > 1e-12 {
				t.Errorf("max abs error: pagerank %.3g, supplier_rank %.3g, betweenness %.3g", maxPR, maxSR, maxBC)
			}
			// The reference reader: graphmodel/tabular, links aggregated per pair.
			res, err := tabular.ReadDir(dir, tabular.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			ds := res.Dataset
			for i, p := range ds.Participants {
				if s.IDs[i] != p.ID {
					t.Fatalf("node %d is %s, participants.csv says %s", i, s.IDs[i], p.ID)
				}
			}
			ref := map[[2]int32]float64{}
			for _, l := range ds.Links {
				u, _ := s.Node(l.SupplierID)
				v, _ := s.Node(l.BuyerID)
				x := 1.0
				if s.Weighted {
					x = 0
					if l.ValueRUB != nil {
						x = *l.ValueRUB
					}
				}
				ref[[2]int32{u, v}] += x
			}
			if s.Graph.M() != len(ref) || s.Rows != len(ds.Links) {
				t.Errorf("M=%d rows=%d, reader: %d pairs %d rows", s.Graph.M(), s.Rows, len(ref), len(ds.Links))
			}
			for v := int32(0); int(v) < s.Graph.N(); v++ {
				adj, w := s.Graph.Out(v)
				for i, x := range adj {
					if math.Abs(ref[[2]int32{v, x}]-w[i]) > 1e-9 {
						t.Errorf("edge %s→%s: %v, reader %v", s.IDs[v], s.IDs[x], w[i], ref[[2]int32{v, x}])
					}
				}
			}
		})
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDialects(t *testing.T) {
	// Russian Excel: BOM, ';', decimal comma, thousands spaces, CRLF, a
	// quoted id with the delimiter and a line break inside.
	dir := writeFiles(t, map[string]string{
		"participants.csv": "\ufeffid;name\r\na;A\r\n\"b;\nx\";\"B \"\"quoted\"\"\"\r\nc;C\r\n\r\n",
		"links.csv":        "supplier_id;buyer_id;product_code;year;value_rub\r\na;\"b;\nx\";24.42;2024;1 234,5\r\na;\"b;\nx\";25.11;2024;0,5\r\n\"b;\nx\";c;;;10\r\nc;a;;2023;7\r\n",
	})
	var last, total int64
	s, err := LoadPath(dir, LoadOptions{Progress: func(d, t int64) { last, total = d, t }})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.IDs, "|"); got != "a|b;\nx|c" {
		t.Errorf("ids %q", got)
	}
	if s.Year != 2024 || s.Rows != 4 || s.RowsUsed != 3 || !s.Weighted {
		t.Errorf("year %d rows %d used %d weighted %v", s.Year, s.Rows, s.RowsUsed, s.Weighted)
	}
	adj, w := s.Graph.Out(0)
	if len(adj) != 1 || adj[0] != 1 || w[0] != 1235 {
		t.Errorf("a→b: %v %v", adj, w)
	}
	if adj, _ := s.Graph.Out(2); len(adj) != 0 {
		t.Errorf("the 2023 link c→a was kept: %v", adj)
	}
	if last != total || total == 0 {
		t.Errorf("progress %d of %d", last, total)
	}
	// An explicit year keeps that year's rows and the rows without a year.
	s, err = LoadPath(dir, LoadOptions{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	if s.RowsUsed != 2 || s.Graph.M() != 2 {
		t.Errorf("2023: rows %d, M %d", s.RowsUsed, s.Graph.M())
	}

	// A bare edge list: nodes in order of appearance, unweighted.
	s, err = Load(strings.NewReader("source,target\nx,y\ny,z\nx,y\n"), "edges.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.IDs, ",") != "x,y,z" || s.Graph.M() != 2 || s.Weighted {
		t.Errorf("edge list: %v M=%d weighted=%v", s.IDs, s.Graph.M(), s.Weighted)
	}
}

func TestLoadProblems(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"participants.csv": "id\na\nb\na\n",
		"links.csv":        "supplier_id,buyer_id,value_rub,year\na,b,1\na,zz,2\nb,b,3\na,b,abc\na,b,-4\na,b,5,1066\n",
	})
	_, err := LoadPath(dir, LoadOptions{})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"participants.csv row 3: duplicate participant id",
		"links.csv row 2: unknown participant \"zz\"",
		"links.csv row 3: self-link",
		"links.csv row 4: value_rub \"abc\": not a number",
		"links.csv row 5: value_rub \"-4\": negative",
		"links.csv row 6: year \"1066\"",
	}
	if len(le.Problems) != len(want) {
		t.Fatalf("problems: %v", le.Problems)
	}
	for i, p := range le.Problems {
		if !strings.HasPrefix(p.String(), want[i]) {
			t.Errorf("problem %d: %q, want %q…", i, p.String(), want[i])
		}
	}
	if _, err := LoadPath(writeFiles(t, map[string]string{"links.csv": "a,b\n1,2\n"}), LoadOptions{}); err == nil || !strings.Contains(err.Error(), "supplier_id and buyer_id") {
		t.Errorf("missing columns: %v", err)
	}
}

// Over many batches, problems come in row order and reading stops at
// MaxProblems; a malformed row far down stops the load with its line.
func TestLoadProblemsAcrossBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("supplier_id,buyer_id,value_rub\n")
	for i := 0; i < 5000; i++ {
		if i%100 == 99 {
			b.WriteString("a,b,x\n")
		} else {
			b.WriteString("a,b,1\n")
		}
	}
	_, err := Load(strings.NewReader(b.String()), "edges.csv", LoadOptions{MaxProblems: 20})
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) != 20 {
		t.Fatalf("err = %v", err)
	}
	for i, p := range le.Problems {
		if p.Row != 100*(i+1) || !strings.Contains(p.Msg, "not a number") {
			t.Errorf("problem %d: %v", i, p)
		}
	}
	body := b.String() + "c,\"d\"e,1\n"
	_, err = Load(strings.NewReader(body), "edges.csv", LoadOptions{MaxProblems: 1000})
	if err == nil || !strings.HasPrefix(err.Error(), "edges.csv line 5002, field 2: text after the closing quote") {
		t.Errorf("malformed row: %v", err)
	}
}
