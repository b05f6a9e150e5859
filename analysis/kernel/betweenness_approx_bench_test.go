package kernel

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/coopchain/coopchain/internal/testenv"
)

// BenchmarkApproxBetweennessSupply1M is the national scale: a generated
// 1M-firm / 10M-link supply network, ε = DefaultEps, δ = DefaultDelta.
// It reports the samples the adaptive rule drew (of at most ω).
func BenchmarkApproxBetweennessSupply1M(b *testing.B) {
	large(b)
	g := supplyGraph(b, 1_000_000, 10_000_000)
	g.stages()
	b.ResetTimer()
	var a Approx
	for i := 0; i < b.N; i++ {
		a, _ = ApproxBetweennessContext(b.Context(), g, DefaultEps, DefaultDelta, 1, 0, nil)
	}
	b.ReportMetric(float64(a.Samples), "samples")
	b.ReportMetric(float64(a.MaxSamples), "max-samples")
}

// prepGraph returns the generated supply network of n firms and 10n links
// with its components and stages, made once per size for the benchmarks
// of the preparation of the path searches (100k always, 1M with
// COOPCHAIN_BENCH_LARGE set).
func prepGraph(b *testing.B, n int) *Graph {
	if n >= 1_000_000 {
		large(b)
	}
	prepGraphsMu.Lock()
	defer prepGraphsMu.Unlock()
	if g := prepGraphsMade[n]; g != nil {
		return g
	}
	net := GenerateSupply(n, 10*n, 1)
	g := Build(n, net.Src, net.Dst, net.Value)
	g.stages()
	prepGraphsMade[n] = g
	return g
}

var (
	prepGraphsMu   sync.Mutex
	prepGraphsMade = map[int]*Graph{}
)

// prepSizes runs, for each size as a sub-benchmark, the operation op
// returns for the graph, the implementation first written ("reference")
// and the current one, and reports the CPU time per operation
// (cpu-ns/op) besides the wall time.
func prepSizes(b *testing.B, op func(g *Graph, ref bool) func()) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, ref := range []bool{false, true} {
			name := fmt.Sprintf("%dk", n/1000)
			if ref {
				name += "/reference"
			}
			b.Run(name, func(b *testing.B) {
				f := op(prepGraph(b, n), ref)
				b.ResetTimer()
				cpu := testenv.CPUTime()
				for i := 0; i < b.N; i++ {
					f()
				}
				b.ReportMetric(float64(testenv.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// BenchmarkVertexDiameterBound is the bound of approximate betweenness
// (the components and stages known).
func BenchmarkVertexDiameterBound(b *testing.B) {
	prepSizes(b, func(g *Graph, ref bool) func() {
		comp, k := g.components()
		if ref {
			return func() { refVertexDiameterBound(g, comp, k) }
		}
		return func() { vertexDiameterBound(g, comp, k, g.stages()) }
	})
}

// BenchmarkSearchOrder is the renumbering order of the search copy.
func BenchmarkSearchOrder(b *testing.B) {
	prepSizes(b, func(g *Graph, ref bool) func() {
		if ref {
			return func() { refSearchOrder(g, g.stages()) }
		}
		return func() { searchOrder(g, g.stages()) }
	})
}

// BenchmarkSearchCopy builds the search copy on every core.
func BenchmarkSearchCopy(b *testing.B) {
	prepSizes(b, func(g *Graph, ref bool) func() {
		order, firstInner := searchOrder(g, g.stages())
		inner, workers := firstInner[len(firstInner)-1], runtime.GOMAXPROCS(0)
		if ref {
			return func() { refRenumbered(g, order, inner, workers) }
		}
		return func() {
			if _, err := renumbered(g, order, inner, workers); err != nil {
				panic(err)
			}
		}
	})
}
