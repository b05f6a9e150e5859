package kernel

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"slices"
	"sync"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
	"gonum.org/v1/gonum/graph/traverse"
)

// Build agrees with a map of merged edges, drops self-loops and edges out of
// range, and sorts every row.
func TestBuildMatchesReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(5))
	for trial := 0; trial < 50; trial++ {
		n := 1 + rnd.Intn(40)
		m := rnd.Intn(300)
		src, dst, w := make([]int32, m), make([]int32, m), make([]float64, m)
		ref := map[[2]int32]float64{}
		for i := range src {
			src[i], dst[i], w[i] = int32(rnd.Intn(n+2)-1), int32(rnd.Intn(n+2)-1), float64(rnd.Intn(9))
			u, v := src[i], dst[i]
			if u != v && u >= 0 && v >= 0 && int(u) < n && int(v) < n {
				ref[[2]int32{u, v}] += w[i]
			}
		}
		g := Build(n, src, dst, w)
		if g.M() != len(ref) {
			t.Fatalf("trial %d: M=%d, want %d", trial, g.M(), len(ref))
		}
		for v := int32(0); int(v) < n; v++ {
			adj, ws := g.Out(v)
			if !slices.IsSorted(adj) {
				t.Fatalf("out(%d) not sorted: %v", v, adj)
			}
			for i, x := range adj {
				if ref[[2]int32{v, x}] != ws[i] {
					t.Fatalf("edge %d→%d weight %v, want %v", v, x, ws[i], ref[[2]int32{v, x}])
				}
			}
			in, wi := g.In(v)
			if !slices.IsSorted(in) {
				t.Fatalf("in(%d) not sorted: %v", v, in)
			}
			for i, x := range in {
				if ref[[2]int32{x, v}] != wi[i] {
					t.Fatalf("in-edge %d→%d weight %v", x, v, wi[i])
				}
			}
		}
	}
}

// vertexDiameter is the exact number of nodes of the longest shortest path.
func vertexDiameter(g *Graph) int {
	best := 0
	if g.N() > 0 {
		best = 1
	}
	for s := 0; s < g.N(); s++ {
		dist := map[int32]int{int32(s): 0}
		q := []int32{int32(s)}
		for len(q) > 0 {
			x := q[0]
			q = q[1:]
			adj, _ := g.Out(x)
			for _, w := range adj {
				if _, ok := dist[w]; !ok {
					dist[w] = dist[x] + 1
					best = max(best, dist[w]+1)
					q = append(q, w)
				}
			}
		}
	}
	return best
}

func TestVertexDiameterBound(t *testing.T) {
	for _, f := range fixtures() {
		g := Build(f.n, f.src, f.dst, f.w)
		exact, bound := vertexDiameter(g), VertexDiameterBound(g)
		if bound < exact {
			t.Errorf("%s: bound %d < vertex diameter %d", f.name, bound, exact)
		}
		if f.n > 0 && bound > f.n {
			t.Errorf("%s: bound %d > n", f.name, bound)
		}
	}
}

// The bidirectional sampler stays within ε of gonum's exact betweenness on
// realistic networks, and the stated maximum sample size is
// Riondato–Kornaropoulos' for δ/2 (KADABRA's ω).
func TestApproxBetweennessSupplyWithinEpsilon(t *testing.T) {
	for i, n := range []int{200, 800} {
		net := GenerateSupply(n, 5*n, int64(20+i))
		f := fixture{n: n, src: net.Src, dst: net.Dst, w: net.Value}
		ref := network.Betweenness(gonumGraph(f))
		g := Build(n, f.src, f.dst, f.w)
		a, err := ApproxBetweennessContext(context.Background(), g, 0.02, 0.1, 3, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := SampleSize(0.02*float64(n-2)/float64(n), 0.1/2, a.VertexDiameter); a.MaxSamples != want || a.Samples <= 0 || a.Samples > want {
			t.Errorf("samples %d of at most %d, want at most %d", a.Samples, a.MaxSamples, want)
		}
		scale := 1 / float64((n-1)*(n-2))
		worst := 0.0
		for v := 0; v < n; v++ {
			worst = math.Max(worst, math.Abs(a.Values[v]-ref[int64(v)]*scale))
		}
		if worst > 0.02 {
			t.Errorf("n=%d: max error %g > ε (%d samples, VD ≤ %d)", n, worst, a.Samples, a.VertexDiameter)
		}
	}
}

// On a tiny graph with many samples the estimates converge to the exact
// values: the path sampling is uniform among shortest paths.
func TestApproxBetweennessUnbiased(t *testing.T) {
	// Two shortest paths 0→1→3 and 0→2→3, a longer 0→4→5→3, and 3→6.
	g := Build(7, []int32{0, 1, 0, 2, 0, 4, 5, 3}, []int32{1, 3, 2, 3, 4, 5, 3, 6}, nil)
	exact := Betweenness(g, 1)
	a, err := ApproxBetweennessContext(context.Background(), g, 0.003, 0.01, 9, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(exact, a.Values); d > 0.003 {
		t.Errorf("max error %g: exact %v, approx %v", d, exact, a.Values)
	}
}

func TestKernelsStopWhenCancelled(t *testing.T) {
	net := GenerateSupply(3000, 15000, 1)
	g := Build(net.N, net.Src, net.Dst, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := BetweennessContext(ctx, g, 2, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("exact: %v", err)
	}
	if _, err := ApproxBetweennessContext(ctx, g, 0.01, 0.1, 1, 2, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("approximate: %v", err)
	}
	if _, err := AnalyzeNetwork(ctx, &Snapshot{Graph: g, IDs: make([]string, net.N)}, NetworkOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("network: %v", err)
	}
}

// Stages against a reference made with gonum: Tarjan components,
// condensation sorted topologically, longest path by dynamic programming.
func TestStagesMatchGonum(t *testing.T) {
	for _, f := range fixtures() {
		gg := gonumGraph(f)
		sccs := topo.TarjanSCC(gg)
		compOf := map[int64]int64{}
		cond := simple.NewDirectedGraph()
		for i, c := range sccs {
			cond.AddNode(simple.Node(i))
			for _, x := range c {
				compOf[x.ID()] = int64(i)
			}
		}
		edges := gg.Edges()
		for edges.Next() {
			e := edges.Edge()
			a, b := compOf[e.From().ID()], compOf[e.To().ID()]
			if a != b && !cond.HasEdgeFromTo(a, b) {
				cond.SetEdge(simple.Edge{F: simple.Node(a), T: simple.Node(b)})
			}
		}
		order, err := topo.Sort(cond)
		if err != nil {
			t.Fatal(err)
		}
		stage := map[int64]int32{}
		for _, c := range order {
			to := cond.From(c.ID())
			for to.Next() {
				d := to.Node().ID()
				stage[d] = max(stage[d], stage[c.ID()]+1)
			}
		}
		got := Stages(Build(f.n, f.src, f.dst, f.w))
		for v := 0; v < f.n; v++ {
			if got[v] != stage[compOf[int64(v)]] {
				t.Errorf("%s: stage(%d) = %d, gonum %d", f.name, v, got[v], stage[compOf[int64(v)]])
			}
		}
	}
}

func TestReachFromMatchesGonum(t *testing.T) {
	for _, f := range fixtures() {
		gg := gonumGraph(f)
		g := Build(f.n, f.src, f.dst, f.w)
		for v := 0; v < f.n; v += 7 {
			want := 0
			var bfs traverse.BreadthFirst
			bfs.Walk(gg, gg.Node(int64(v)), func(_ graph.Node, _ int) bool { want++; return false })
			if got := len(ReachFrom(g, int32(v))); got != want-1 {
				t.Errorf("%s: reach(%d) = %d, gonum %d", f.name, v, got, want-1)
			}
		}
	}
}

// Readers of a Current see whole snapshots, never an older version after a
// newer one, while writers publish concurrently.
func TestCurrentPublish(t *testing.T) {
	var c Current[Snapshot]
	if s, v := c.Load(); s != nil || v != 0 {
		t.Fatal("not empty")
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for v := int64(1); v <= 200; v++ {
				s := NewSnapshot([]string{"a", "b"}, []int32{0}, []int32{1}, nil, v)
				c.Publish(s, v)
			}
		}(w)
	}
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := int64(0)
			for i := 0; i < 2000; i++ {
				s, v := c.Load()
				if s == nil {
					continue
				}
				if v < last || s.Version != v || s.Graph.M() != 1 {
					t.Errorf("read version %d after %d (snapshot %d)", v, last, s.Version)
					return
				}
				last = v
			}
		}()
	}
	wg.Wait()
	if _, v := c.Load(); v != 200 {
		t.Errorf("final version %d", v)
	}
	if c.Publish(NewSnapshot(nil, nil, nil, nil, 3), 3) {
		t.Error("an older version replaced a newer one")
	}
}

func TestAnalyzeNetworkConsistent(t *testing.T) {
	net := GenerateSupply(500, 2500, 4)
	ids := make([]string, net.N)
	for i := range ids {
		ids[i] = string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260))
	}
	s := NewSnapshot(ids, net.Src, net.Dst, net.Value, 1)
	m, err := AnalyzeNetwork(context.Background(), s, NetworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	comp, k := SCC(s.Graph)
	size := make([]int, k)
	for _, c := range comp {
		size[c]++
	}
	stages := Stages(s.Graph)
	exact := Betweenness(s.Graph, 0)
	for v := 0; v < net.N; v++ {
		if m.Stage[v] != stages[v] || m.InCycle[v] != (size[comp[v]] > 1) || math.Abs(m.Betweenness[v]-exact[v]) > 1e-12 {
			t.Fatalf("node %d: stage %d/%d cycle %v", v, m.Stage[v], stages[v], m.InCycle[v])
		}
		if int(m.OutDegree[v]) != s.Graph.OutDegree(int32(v)) || int(m.InDegree[v]) != s.Graph.InDegree(int32(v)) {
			t.Fatalf("node %d: degrees", v)
		}
	}
	if m.Summary.Betweenness != "exact" || m.Summary.Links != s.Graph.M() {
		t.Errorf("summary %+v", m.Summary)
	}
	m, err = AnalyzeNetwork(context.Background(), s, NetworkOptions{ExactLimit: 100, Eps: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	if b := m.Summary.BetweennessBound; b == nil || b.Eps != 0.02 || b.Samples == 0 || maxDiff(m.Betweenness, exact) > 0.02 {
		t.Errorf("approximate: %+v, max error %g", b, maxDiff(m.Betweenness, exact))
	}
}
