package kernel

import (
	"math"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

type fixture struct {
	name     string
	n        int
	src, dst []int32
	w        []float64
}

func fixtures() []fixture {
	fs := []fixture{
		{name: "empty", n: 0},
		{name: "two nodes", n: 2, src: []int32{0}, dst: []int32{1}, w: []float64{3}},
		{name: "chain", n: 5, src: []int32{0, 1, 2, 3}, dst: []int32{1, 2, 3, 4}, w: []float64{1, 2, 3, 4}},
		{name: "star", n: 6, src: []int32{0, 0, 0, 0, 0}, dst: []int32{1, 2, 3, 4, 5}, w: []float64{5, 1, 1, 1, 1}},
		{name: "cycle", n: 5, src: []int32{0, 1, 2, 2, 3}, dst: []int32{1, 2, 0, 3, 4}, w: []float64{10, 10, 5, 7, 3}},
		{name: "isolated and dangling", n: 7, src: []int32{0, 0, 1, 3}, dst: []int32{1, 2, 2, 2}, w: []float64{5, 1, 2, 4}},
		{name: "parallel and self", n: 3, src: []int32{0, 0, 1, 1}, dst: []int32{1, 1, 1, 2}, w: []float64{1, 2, 9, 4}},
	}
	for i, sz := range []int{50, 200, 500} {
		s, d, w := Generate(sz, 4*sz, int64(i+1))
		fs = append(fs, fixture{name: "generated", n: sz, src: s, dst: d, w: w})
	}
	for i, sz := range []int{60, 400} {
		net := GenerateSupply(sz, 5*sz, int64(i+7))
		fs = append(fs, fixture{name: "supply network", n: sz, src: net.Src, dst: net.Dst, w: net.Value})
	}
	return fs
}

// gonumGraph builds the reference graph (merged parallel edges, no self-loops).
func gonumGraph(f fixture) *simple.WeightedDirectedGraph {
	g := simple.NewWeightedDirectedGraph(0, 0)
	for i := 0; i < f.n; i++ {
		g.AddNode(simple.Node(i))
	}
	for i := range f.src {
		u, v := int64(f.src[i]), int64(f.dst[i])
		if u == v {
			continue
		}
		w := f.w[i]
		if e := g.WeightedEdge(u, v); e != nil {
			w += e.Weight()
		}
		g.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: w})
	}
	return g
}

// densePageRank is networkx's definition written out plainly: row-stochastic
// by weighted out-strength, dangling rows spread uniformly.
func densePageRank(f fixture, weighted bool) []float64 {
	n := f.n
	w := map[[2]int32]float64{}
	for i := range f.src {
		if f.src[i] != f.dst[i] {
			x := 1.0
			if weighted {
				x = f.w[i]
			}
			k := [2]int32{f.src[i], f.dst[i]}
			if !weighted {
				w[k] = 1
			} else {
				w[k] += x
			}
		}
	}
	out := make([]float64, n)
	for k, x := range w {
		out[k[0]] += x
	}
	p := make([]float64, n)
	for i := range p {
		p[i] = 1 / float64(n)
	}
	for it := 0; it < 5000; it++ {
		next := make([]float64, n)
		d := 0.0
		for u := 0; u < n; u++ {
			if out[u] == 0 {
				d += p[u]
			}
		}
		for i := range next {
			next[i] = (0.85*d + 0.15) / float64(n)
		}
		for k, x := range w {
			next[k[1]] += 0.85 * p[k[0]] * x / out[k[0]]
		}
		p = next
	}
	return p
}

func maxDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func TestPageRankMatchesDefinition(t *testing.T) {
	for _, f := range fixtures() {
		for _, weighted := range []bool{true, false} {
			g := Build(f.n, f.src, f.dst, f.w)
			got, _, err := PageRank(g, 0.85, 1e-13, 10000, weighted)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(got, densePageRank(f, weighted)); d > 1e-10 {
				t.Errorf("%s weighted=%v: max diff %g", f.name, weighted, d)
			}
		}
	}
}

// gonum's PageRank teleports dangling mass differently, so it is checked only
// on graphs without dangling nodes (every node has an out-edge).
func TestPageRankMatchesGonumWithoutDangling(t *testing.T) {
	f := fixture{name: "ring+", n: 4, src: []int32{0, 1, 2, 3, 0}, dst: []int32{1, 2, 3, 0, 2}, w: []float64{1, 1, 1, 1, 1}}
	ref := network.PageRank(gonumGraph(f), 0.85, 1e-13)
	got, _, err := PageRank(Build(f.n, f.src, f.dst, nil), 0.85, 1e-14, 10000, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < f.n; i++ {
		if math.Abs(got[i]-ref[int64(i)]) > 1e-9 {
			t.Errorf("node %d: %v, gonum %v", i, got[i], ref[int64(i)])
		}
	}
}

func TestBetweennessMatchesGonum(t *testing.T) {
	for _, f := range fixtures() {
		ref := network.Betweenness(gonumGraph(f))
		got := Betweenness(Build(f.n, f.src, f.dst, f.w), 2)
		scale := 1.0
		if f.n > 2 {
			scale = 1 / float64((f.n-1)*(f.n-2))
		}
		for i := 0; i < f.n; i++ {
			if d := math.Abs(got[i] - ref[int64(i)]*scale); d > 1e-12 {
				t.Errorf("%s node %d: %v, gonum %v", f.name, i, got[i], ref[int64(i)]*scale)
			}
		}
	}
}

func TestApproxBetweennessWithinEpsilon(t *testing.T) {
	for i, n := range []int{300, 1500} {
		s, d, w := Generate(n, 4*n, int64(10+i))
		g := Build(n, s, d, w)
		exact := Betweenness(g, 0)
		approx, r := ApproxBetweenness(g, 0.02, 0.1, 1, 0)
		if diff := maxDiff(exact, approx); diff > 0.02 {
			t.Errorf("n=%d: max error %g > ε=0.02 (%d samples)", n, diff, r)
		}
	}
}

func TestSCCMatchesGonum(t *testing.T) {
	for _, f := range fixtures() {
		comp, k := SCC(Build(f.n, f.src, f.dst, nil))
		ref := topo.TarjanSCC(gonumGraph(f))
		if k != len(ref) {
			t.Errorf("%s: %d components, gonum %d", f.name, k, len(ref))
		}
		for _, c := range ref {
			for _, x := range c {
				if comp[x.ID()] != comp[c[0].ID()] {
					t.Errorf("%s: %d and %d split", f.name, x.ID(), c[0].ID())
				}
			}
		}
		// Every edge between components goes from a higher number to a lower.
		g := Build(f.n, f.src, f.dst, nil)
		for u := 0; u < f.n; u++ {
			adj, _ := g.Out(int32(u))
			for _, v := range adj {
				if comp[u] != comp[v] && comp[u] < comp[v] {
					t.Errorf("%s: edge %d→%d goes up in component order", f.name, u, v)
				}
			}
		}
	}
}

func TestStages(t *testing.T) {
	// 0→1→2→0 is a cycle at stage 0; 2→3→4; 5 isolated; 6→4 is a short way in.
	g := Build(7, []int32{0, 1, 2, 2, 3, 6}, []int32{1, 2, 0, 3, 4, 4}, nil)
	if d := cmp.Diff([]int32{0, 0, 0, 1, 2, 0, 0}, Stages(g)); d != "" {
		t.Errorf("stages (-want +got):\n%s", d)
	}
}

func TestReachCountsMatchBFS(t *testing.T) {
	for _, f := range fixtures() {
		g := Build(f.n, f.src, f.dst, nil)
		up, down := ReachCounts(g)
		for v := 0; v < f.n; v++ {
			if want := len(ReachFrom(g, int32(v))); down[v] != want {
				t.Errorf("%s: down(%d) = %d, BFS %d", f.name, v, down[v], want)
			}
			if want := len(ReachFrom(g.Reverse(), int32(v))); up[v] != want {
				t.Errorf("%s: up(%d) = %d, BFS %d", f.name, v, up[v], want)
			}
		}
	}
}

// A 70-component graph exercises more than one 64-component block.
func TestReachCountsManyBlocks(t *testing.T) {
	n := 200
	rnd := rand.New(rand.NewSource(3))
	var s, d []int32
	for i := 0; i < 600; i++ {
		u, v := rnd.Intn(n), rnd.Intn(n)
		if u < v { // acyclic: 200 components
			s, d = append(s, int32(u)), append(d, int32(v))
		}
	}
	g := Build(n, s, d, nil)
	up, down := ReachCounts(g)
	for v := 0; v < n; v++ {
		if down[v] != len(ReachFrom(g, int32(v))) || up[v] != len(ReachFrom(g.Reverse(), int32(v))) {
			t.Fatalf("node %d: up %d down %d", v, up[v], down[v])
		}
	}
}

func TestBuildMergesAndDrops(t *testing.T) {
	g := Build(3, []int32{0, 0, 1, 1, 2}, []int32{1, 1, 1, 2, 9}, []float64{1, 2, 5, 4, 1})
	adj, w := g.Out(0)
	if g.M() != 2 || len(adj) != 1 || w[0] != 3 {
		t.Errorf("M=%d out(0)=%v %v", g.M(), adj, w)
	}
	in, _ := g.Reverse().Out(2)
	if len(in) != 1 || in[0] != 1 {
		t.Errorf("reverse out(2) = %v", in)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 2, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 16
		var s, d []int32
		for i := 0; i+1 < len(b); i += 2 {
			s, d = append(s, int32(b[i]%20)-2), append(d, int32(b[i+1]%20)-2)
		}
		g := Build(n, s, d, nil)
		edges := 0
		for v := 0; v < n; v++ {
			adj, _ := g.Out(int32(v))
			edges += len(adj)
			for _, x := range adj {
				if x == int32(v) || x < 0 || int(x) >= n {
					t.Fatalf("bad edge %d→%d", v, x)
				}
			}
		}
		if edges != g.M() {
			t.Fatalf("M=%d, counted %d", g.M(), edges)
		}
		Stages(g)
		ReachCounts(g)
		Betweenness(g, 1)
	})
}

var _ graph.Graph = (*simple.WeightedDirectedGraph)(nil)
