package analysis

import (
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Cluster A: p1, p2 and s (shared with B); cluster B: p3 and s; cluster C
// has no data. Hand-counted edges:
//   - p1→s (100, in A's data): p1 ∈ A only, s ∈ B → A→B, one link of 100;
//   - p1→p2 inside A: nothing; s→p3 (in B's data): s is a member of B → nothing;
//   - p3→s (no value, in B's data): p3 ∈ B only, s ∈ A → B→A, one link, not valued;
//   - p2 (A) imports 24.10 for 300, p3 (B) can make it → B→A match, 300;
//   - s imports 25.11 for 70 (listed in both A's and B's data), p1 (A) can
//     make it → A→B match, 70 counted once.
func interClusterData() []ClusterDataset {
	p := func(id string, cl ...string) gm.Participant {
		return gm.Participant{ID: id, Name: "Фирма " + id, Kind: gm.KindEnterprise, Clusters: cl}
	}
	s := p("s", "A", "B")
	a := &gm.Dataset{
		Participants: []gm.Participant{p("p1", "A"), p("p2", "A"), s},
		Links:        []gm.SupplyLink{{SupplierID: "p1", BuyerID: "s", ProductCode: "25.11", ValueRUB: gm.Ptr(100.0)}, {SupplierID: "p1", BuyerID: "p2", ValueRUB: gm.Ptr(5.0)}},
		Imports:      []gm.Import{{ParticipantID: "p2", ProductCode: "24.10", ValueRUB: 300}, {ParticipantID: "s", ProductCode: "25.11", ValueRUB: 70}},
		Capacities:   []gm.Capacity{{ParticipantID: "p1", ProductCode: "25.11", ValueRUB: 50}},
	}
	b := &gm.Dataset{
		Participants: []gm.Participant{p("p3", "B"), s},
		Links:        []gm.SupplyLink{{SupplierID: "s", BuyerID: "p3", ValueRUB: gm.Ptr(40.0)}, {SupplierID: "p3", BuyerID: "s"}},
		Imports:      []gm.Import{{ParticipantID: "s", ProductCode: "25.11", ValueRUB: 70}},
		Capacities:   []gm.Capacity{{ParticipantID: "p3", ProductCode: "24.10", ValueRUB: 900}},
	}
	return []ClusterDataset{{ID: "A", Name: "Кластер А", Data: a}, {ID: "B", Name: "Кластер Б", Data: b}, {ID: "C", Name: "Кластер В", Data: &gm.Dataset{}}}
}

func TestInterClusterCooperation(t *testing.T) {
	ic := InterClusterCooperation(interClusterData())
	if len(ic.Clusters) != 2 || ic.Clusters[0].Participants != 3 || ic.Clusters[1].Participants != 2 {
		t.Fatalf("nodes %+v", ic.Clusters)
	}
	want := []InterClusterEdge{
		{From: "A", To: "B", Links: 1, ValueRUB: 100, Valued: 1, Matches: 1, ImportedRUB: 70},
		{From: "B", To: "A", Links: 1, Matches: 1, ImportedRUB: 300},
	}
	if len(ic.Edges) != len(want) {
		t.Fatalf("edges %+v", ic.Edges)
	}
	for i, w := range want {
		if ic.Edges[i] != w {
			t.Errorf("edge %d = %+v, want %+v", i, ic.Edges[i], w)
		}
	}
	kinds := map[string]int{}
	for _, f := range ic.Flows {
		kinds[f.Kind+":"+f.FromCluster+">"+f.ToCluster]++
		if f.SupplierName == "" || f.BuyerName == "" {
			t.Errorf("flow without names: %+v", f)
		}
	}
	if kinds["link:A>B"] != 1 || kinds["link:B>A"] != 1 || kinds["match:B>A"] != 1 || kinds["match:A>B"] != 1 || len(ic.Flows) != 4 {
		t.Errorf("flows %v", kinds)
	}
}
