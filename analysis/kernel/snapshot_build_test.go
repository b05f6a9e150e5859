package kernel

import (
	"cmp"
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// BuildBlocks gives exactly Build's graph (same rows, same summed weights
// bit for bit), whatever the blocks and the number of cores.
func TestBuildBlocksMatchesBuild(t *testing.T) {
	rnd := rand.New(rand.NewSource(8))
	for trial := 0; trial < 60; trial++ {
		n := 1 + rnd.Intn(300)
		m := rnd.Intn(3000)
		if trial%10 == 0 { // a hub with a long in-row
			m = 5000
		}
		src, dst, w := make([]int32, m), make([]int32, m), make([]float64, m)
		for i := range src {
			src[i], dst[i], w[i] = int32(rnd.Intn(n+2)-1), int32(rnd.Intn(n+2)-1), rnd.Float64()*1000
			if trial%10 == 0 && i%2 == 0 {
				dst[i] = 0
			}
		}
		var e EdgeBlocks
		for a := 0; a < m; {
			b := min(m, a+1+rnd.Intn(700))
			e.Src, e.Dst, e.W = append(e.Src, src[a:b]), append(e.Dst, dst[a:b]), append(e.W, w[a:b])
			a = b
		}
		weighted := trial%3 != 0
		want := Build(n, src, dst, w)
		if !weighted {
			want, e.W = Build(n, src, dst, nil), nil
		}
		released := false
		got := BuildBlocks(n, e, func() { released = true })
		if !released || !reflect.DeepEqual(got.CSR(), want.CSR()) && (want.M() > 0 || got.M() > 0) {
			t.Fatalf("trial %d (n=%d m=%d weighted=%v): BuildBlocks differs from Build (released %v)", trial, n, m, weighted, released)
		}
	}
}

// BuildBuckets over many buckets (several cores, hubs, tags) gives Build's
// graph of the edges it keeps, bit for bit.
func TestBuildBucketsMatchesBuild(t *testing.T) {
	rnd := rand.New(rand.NewSource(9))
	for trial := 0; trial < 8; trial++ {
		n := 1 + rnd.Intn(40000)
		m := rnd.Intn(200000)
		keep := uint16(rnd.Intn(3)) // 0: every edge
		var e EdgeBuckets
		var src, dst []int32
		var w []float64
		for i := 0; i < m; i++ {
			u, v := int32(rnd.Intn(n+1)), int32(rnd.Intn(n+1))
			if i%3 == 0 {
				v = int32(rnd.Intn(min(n, 50))) // hubs and parallel edges
			}
			x, tag := rnd.Float64()*1000, uint16(rnd.Intn(3))
			e.Add(u, v, x, tag)
			if tag == 0 || keep == 0 || tag == keep {
				src, dst, w = append(src, u), append(dst, v), append(w, x)
			}
		}
		unit := trial%2 == 1
		want := Build(n, src, dst, w)
		if unit {
			want = Build(n, src, dst, nil)
		}
		got := BuildBuckets(n, &e, keep, unit)
		if e.Len() != 0 || !reflect.DeepEqual(got.CSR(), want.CSR()) && (want.M() > 0 || got.M() > 0) {
			t.Fatalf("trial %d (n=%d m=%d keep=%d unit=%v): BuildBuckets differs from Build", trial, n, m, keep, unit)
		}
	}
}

// BenchmarkBuildBuckets1M builds the CSR graph of 1M firms / 10M random
// links from buckets as the streaming loader leaves them.
func BenchmarkBuildBuckets1M(b *testing.B) {
	large(b)
	rnd := rand.New(rand.NewSource(1))
	const n, m = 1_000_000, 10_000_000
	src, dst, w := make([]int32, m), make([]int32, m), make([]float64, m)
	for i := range src {
		src[i], dst[i], w[i] = int32(rnd.Intn(n)), int32(rnd.Intn(n)), float64(rnd.Intn(1e8))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var e EdgeBuckets
		for j := range src {
			e.Add(src[j], dst[j], w[j], 0)
		}
		b.StartTimer()
		BuildBuckets(n, &e, 0, false)
	}
}

// sortRow sorts rows of every length (insertion, comparison and radix
// sorts) by node, keeping the input order of equal nodes: the same
// permutation as a stable sort, weights carried along.
func TestSortRowIsStable(t *testing.T) {
	rnd := rand.New(rand.NewSource(10))
	var tmp rowScratch
	for _, n := range []int{0, 1, 2, 31, 32, 33, 100, radixRow - 1, radixRow, radixRow + 1, 1000, 5000} {
		for _, span := range []int{1, 3, 300, 70000, 1 << 24, 1<<31 - 1} {
			adj, w := make([]int32, n), make([]float64, n)
			for i := range adj {
				adj[i], w[i] = int32(rnd.Int63n(int64(span))), float64(i)
			}
			type pair struct {
				u int32
				x float64
			}
			want := make([]pair, n)
			for i := range adj {
				want[i] = pair{adj[i], w[i]}
			}
			slices.SortStableFunc(want, func(a, b pair) int { return cmp.Compare(a.u, b.u) })
			sortRow(adj, w, &tmp)
			for i := range want {
				if adj[i] != want[i].u || w[i] != want[i].x {
					t.Fatalf("n=%d span=%d: position %d holds (%d, %v), want (%d, %v)", n, span, i, adj[i], w[i], want[i].u, want[i].x)
				}
			}
		}
	}
}

// TestBuildBucketsComponents: the components found on the in-rows while
// the graph is built are SCC's components, numbered so that every edge
// between two of them goes from a higher number to a lower one (for the
// graph and, renumbered, for its reverse), and the kernels that use them
// give what they give on the same graph built by Build.
func TestBuildBucketsComponents(t *testing.T) {
	rnd := rand.New(rand.NewSource(5))
	renumbered := 0 // trials whose numbering differs from SCC(g)'s
	for trial := 0; trial < 6; trial++ {
		n := 2 + rnd.Intn(3000)
		net := GenerateSupply(n, 5*n, int64(trial))
		var e EdgeBuckets
		for i := range net.Src {
			e.Add(net.Src[i], net.Dst[i], net.Value[i], 0)
		}
		got := BuildBuckets(n, &e, 0, false)
		ref := Build(n, net.Src, net.Dst, net.Value)
		want, wk := SCC(ref)
		for _, g := range []*Graph{got, got.Reverse()} {
			comp, k := g.components()
			if k != wk {
				t.Fatalf("trial %d: %d components, SCC finds %d", trial, k, wk)
			}
			same := map[[2]int32]bool{}
			for v := range comp {
				same[[2]int32{comp[v], want[v]}] = true
			}
			if len(same) != k {
				t.Fatalf("trial %d: the components are not SCC's (%d pairs for %d components)", trial, len(same), k)
			}
			for u := 0; u < n; u++ {
				adj, _ := g.Out(int32(u))
				for _, v := range adj {
					if comp[u] != comp[v] && comp[u] < comp[v] {
						t.Fatalf("trial %d: edge %d→%d goes from component %d up to %d", trial, u, v, comp[u], comp[v])
					}
				}
			}
		}
		if c, _ := got.components(); !reflect.DeepEqual(c, want) {
			renumbered++
		}
		if !reflect.DeepEqual(got.stages(), ref.stages()) {
			t.Fatalf("trial %d: stages differ", trial)
		}
		pg, _, _ := PageRank(got, 0.85, 1e-10, 1000, true)
		pr, _, _ := PageRank(ref, 0.85, 1e-10, 1000, true)
		if !reflect.DeepEqual(pg, pr) {
			t.Fatalf("trial %d: PageRank differs", trial)
		}
		ag, _ := ApproxBetweenness(got, 0.05, 0.1, 3, 2)
		ar, _ := ApproxBetweenness(ref, 0.05, 0.1, 3, 2)
		if !reflect.DeepEqual(ag, ar) {
			t.Fatalf("trial %d: approximate betweenness differs", trial)
		}
	}
	if renumbered == 0 {
		t.Error("no trial numbered the components otherwise than SCC: the test proves nothing")
	}
}
