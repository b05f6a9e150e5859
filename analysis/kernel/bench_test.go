package kernel

import (
	"os"
	"testing"

	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

func benchGraph(b *testing.B, n, m int) *Graph {
	b.Helper()
	s, d, w := Generate(n, m, 1)
	return Build(n, s, d, w)
}

func BenchmarkPageRank100k(b *testing.B) {
	g := benchGraph(b, 100_000, 500_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := PageRank(g, 0.85, 1e-10, 1000, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBetweenness5k(b *testing.B) {
	g := benchGraph(b, 5_000, 20_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Betweenness(g, 0)
	}
}

func BenchmarkBetweenness10k(b *testing.B) {
	g := benchGraph(b, 10_000, 50_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Betweenness(g, 0)
	}
}

// BenchmarkGonumBetweenness5k is the peer of BenchmarkBetweenness5k.
func BenchmarkGonumBetweenness5k(b *testing.B) {
	s, d, _ := Generate(5_000, 20_000, 1)
	g := simple.NewDirectedGraph()
	for i := 0; i < 5_000; i++ {
		g.AddNode(simple.Node(i))
	}
	for i := range s {
		if s[i] != d[i] && !g.HasEdgeFromTo(int64(s[i]), int64(d[i])) {
			g.SetEdge(simple.Edge{F: simple.Node(s[i]), T: simple.Node(d[i])})
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		network.Betweenness(g)
	}
}

func BenchmarkStages1M(b *testing.B) {
	if testing.Short() {
		b.Skip("large")
	}
	g := benchGraph(b, 1_000_000, 10_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Stages(g)
	}
}

// Benchmarks of the national-scale path. The 1M-node / 10M-link ones run
// only with COOPCHAIN_BENCH_LARGE=1 (they need about 1 GB and minutes):
//
//	COOPCHAIN_BENCH_LARGE=1 go test -run '^$' -bench Large -benchtime 1x ./analysis/kernel

func supplyGraph(b *testing.B, n, m int) *Graph {
	b.Helper()
	net := GenerateSupply(n, m, 1)
	return Build(n, net.Src, net.Dst, net.Value)
}

func BenchmarkPageRankSupply10k(b *testing.B) {
	g := supplyGraph(b, 10_000, 50_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := PageRank(g, 0.85, 1e-10, 10_000, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBetweennessSupply10k(b *testing.B) {
	g := supplyGraph(b, 10_000, 50_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Betweenness(g, 0)
	}
}

func BenchmarkApproxBetweennessSupply100k(b *testing.B) {
	g := supplyGraph(b, 100_000, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ApproxBetweenness(g, 0.01, 0.1, 1, 0)
	}
}

func BenchmarkBuildSupply1M(b *testing.B) {
	large(b)
	net := GenerateSupply(1_000_000, 10_000_000, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Build(net.N, net.Src, net.Dst, net.Value)
	}
}

func large(b *testing.B) {
	if os.Getenv("COOPCHAIN_BENCH_LARGE") == "" {
		b.Skip("set COOPCHAIN_BENCH_LARGE=1 for the 1M-node benchmarks")
	}
}
