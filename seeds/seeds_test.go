package seeds_test

import (
	"bufio"
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/internal/testenv"
	"github.com/coopchain/coopchain/seeds"
)

func TestRegistry(t *testing.T) {
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Clusters) != 104 {
		t.Fatalf("%d clusters, want 104", len(s.Clusters))
	}
	ds := &gm.Dataset{Clusters: s.Clusters}
	if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
		t.Fatalf("registry invalid: %v", p)
	}
	for i, c := range s.Clusters {
		if c.RegistryNo != i+1 {
			t.Errorf("cluster %d has registry number %d", i, c.RegistryNo)
		}
		if len(c.Regions) == 0 || c.Specialization == "" || c.ParticipantsCount < 1 {
			t.Errorf("%s: missing regions, specialisation or participants: %+v", c.ID, c)
		}
		if (len(c.Regions) > 1) != (c.Kind == gm.ClusterInterregional) {
			t.Errorf("%s: kind %s with %d regions", c.ID, c.Kind, len(c.Regions))
		}
	}
}

// The registry names must be exactly the Atlas's. The Atlas is read from
// ../shared when it is there (it is in development and CI; the product
// itself never reads it).
func TestRegistryMatchesAtlas(t *testing.T) {
	f, err := os.Open(testenv.Shared(t, "../../shared/seeds/001_*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	atlas := map[int][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inRegistry := false
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "РЕЕСТР ПРОМЫШЛЕННЫХ КЛАСТЕРОВ РОССИИ" {
			inRegistry = true
		}
		parts := strings.Split(line, "\t")
		if inRegistry && len(parts) == 5 {
			if n, err := strconv.Atoi(parts[0]); err == nil {
				atlas[n] = parts
			}
		}
	}
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(atlas) != 104 {
		t.Fatalf("found %d registry rows in the Atlas", len(atlas))
	}
	for _, c := range s.Clusters {
		a := atlas[c.RegistryNo]
		if c.Name != strings.TrimSpace(a[1]) {
			t.Errorf("No %d: name %q, Atlas %q", c.RegistryNo, c.Name, a[1])
		}
		if got, want := strings.Join(c.Regions, "; "), strings.TrimSpace(a[2]); got != want {
			t.Errorf("No %d: regions %q, Atlas %q", c.RegistryNo, got, want)
		}
		if n, _ := strconv.Atoi(strings.TrimSpace(a[4])); n != c.ParticipantsCount {
			t.Errorf("No %d: %d participants, Atlas %d", c.RegistryNo, c.ParticipantsCount, n)
		}
	}
}

func TestRating(t *testing.T) {
	r, err := seeds.Rating()
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 20 || r[0].Region != "Республика Башкортостан" || r[0].Total != 73.3 || r[19].Region != "Пензенская область" {
		t.Fatalf("rating = %+v", r)
	}
	for i, x := range r {
		if x.Rank != i+1 {
			t.Errorf("rank %d at %d", x.Rank, i)
		}
		// The blocks add up to the total (the Atlas rounds each to 0.1).
		if sum := x.S1 + x.S2 + x.S3 + x.S4 + x.S5; math.Abs(sum-x.Total) > 0.25 {
			t.Errorf("%s: blocks sum to %.1f, total %.1f", x.Region, sum, x.Total)
		}
		if i > 0 && x.Total > r[i-1].Total {
			t.Errorf("%s: total %.1f above the previous rank's", x.Region, x.Total)
		}
	}
}

// Every detailed cluster dataset is valid on its own.
func TestClusterDatasetsValid(t *testing.T) {
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range s.Clusters {
		known[c.ID] = true
	}
	for id, ds := range s.Data {
		if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
			t.Errorf("%s: %v", id, p)
		}
		for _, p := range ds.Participants {
			for _, c := range p.Clusters {
				if !known[c] {
					t.Errorf("%s: participant %s in unknown cluster %s", id, p.ID, c)
				}
			}
		}
	}
}

// The demo cluster must give a niche list an operator could act on: the top
// niche has a gap, demand aggregated over at least three participants,
// every factor explained, and its figures flagged as illustrative.
func TestDemoClusterTopNiche(t *testing.T) {
	s, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds, ok := s.Data[seeds.DemoCluster]
	if !ok {
		t.Fatalf("no data for the demo cluster %s", seeds.DemoCluster)
	}
	var reg gm.Cluster
	for _, c := range s.Clusters {
		if c.ID == seeds.DemoCluster {
			reg = c
		}
	}
	ds.Clusters = append(ds.Clusters, reg)
	rep, err := analysis.Analyze(context.Background(), ds, analysis.Options{ClusterID: seeds.DemoCluster})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Niches) < 3 {
		t.Fatalf("%d niches", len(rep.Niches))
	}
	top := rep.Niches[0]
	if top.GapRUB <= 0 || top.Buyers < 3 || len(top.Importers) != top.Buyers || !top.Illustrative || top.SummaryRU == "" {
		t.Errorf("top niche not actionable: %+v", top)
	}
	for _, f := range top.Factors {
		if f.ExplanationRU == "" {
			t.Errorf("factor %s unexplained", f.Name)
		}
	}
	// At least three processing stages and a single-source input.
	if rep.Summary.Stages < 3 || len(rep.SingleSourceInputs) == 0 {
		t.Errorf("stages %d, single-source inputs %d", rep.Summary.Stages, len(rep.SingleSourceInputs))
	}
}
