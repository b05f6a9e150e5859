package kernel

import (
	"context"
	"slices"
	"testing"
)

// AnalyzeNetwork's steps, run as soon as what they need is known, give
// what each kernel gives on its own (the approximation for the same seed
// included), and every step has its seconds.
func TestAnalyzeNetworkStepsMatchKernels(t *testing.T) {
	net := GenerateSupply(3000, 15000, 9)
	ids := make([]string, net.N)
	for i := range ids {
		ids[i] = string(rune('a'+i%26)) + itoa(i/26%100) + itoa(i/2600)
	}
	s := NewSnapshot(ids, net.Src, net.Dst, net.Value, 1)
	opt := NetworkOptions{Betweenness: "approx", Eps: 0.05, Seed: 3}
	m, err := AnalyzeNetwork(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	g := Build(net.N, net.Src, net.Dst, net.Value) // knows nothing yet
	pr, _, _ := PageRank(g, 0.85, 1e-10, 10_000, true)
	sr, _, _ := PageRank(g.Reverse(), 0.85, 1e-10, 10_000, true)
	a, err := ApproxBetweennessContext(context.Background(), g, 0.05, DefaultDelta, 3, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.PageRank, pr) || !slices.Equal(m.SupplierRank, sr) || !slices.Equal(m.Stage, Stages(g)) {
		t.Error("PageRank, supplier rank or stages differ from the kernels'")
	}
	if !slices.Equal(m.Betweenness, a.Values) || m.Summary.BetweennessBound.Samples != a.Samples || m.Summary.BetweennessBound.VertexDiameter != a.VertexDiameter {
		t.Errorf("betweenness differs from the kernel's: %d samples, vertex diameter %d; kernel %d, %d",
			m.Summary.BetweennessBound.Samples, m.Summary.BetweennessBound.VertexDiameter, a.Samples, a.VertexDiameter)
	}
	for _, step := range []string{"degrees", "components", "pagerank", "supplier_rank", "stages", "betweenness", "betweenness_prep"} {
		if _, ok := m.Summary.Seconds[step]; !ok {
			t.Errorf("no seconds for %s: %v", step, m.Summary.Seconds)
		}
	}
	if p, b := m.Summary.Seconds["betweenness_prep"], m.Summary.Seconds["betweenness"]; p <= 0 || p > b {
		t.Errorf("betweenness_prep %g s of betweenness %g s", p, b)
	}
	m, err = AnalyzeNetwork(context.Background(), s, NetworkOptions{Betweenness: "exact"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Summary.Seconds["betweenness_prep"]; ok {
		t.Error("betweenness_prep reported for exact betweenness")
	}
}
