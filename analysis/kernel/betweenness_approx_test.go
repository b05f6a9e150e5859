package kernel

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Borassi and Natale's f and g against values worked out by hand:
// b̃ = 0.1, δ = 1/100 (ln 1/δ = 4.60517), ω = 50,000, τ = 25,000, so
// 2b̃ω/ln(1/δ) = 2171.47;
// f = 4.60517/25000·(−(2 − 1/3) + √((5/3)² + 2171.47)) = 0.0082823,
// g = 4.60517/25000·((2 + 1/3) + √((7/3)² + 2171.47)) = 0.0090244,
// and for b̃ = 0, g = 4.60517/25000·2·(7/3) = 0.00085963, f = 0.
func TestKadabraBounds(t *testing.T) {
	ln100 := math.Log(100)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"f(0.1)", kadabraF(0.1, ln100, 50000, 25000), 0.0082823},
		{"g(0.1)", kadabraG(0.1, ln100, 50000, 25000), 0.0090244},
		{"f(0)", kadabraF(0, ln100, 50000, 25000), 0},
		{"g(0)", kadabraG(0, ln100, 50000, 25000), 0.00085963},
		// f never exceeds b̃ (b ≥ 0), g never 1 − b̃ (b ≤ 1).
		{"f(1e-4) capped", kadabraF(1e-4, ln100, 50000, 100), 1e-4},
		{"g(0.9999) capped", kadabraG(0.9999, ln100, 50000, 100), 1e-4},
	} {
		if math.Abs(c.got-c.want) > 1e-7 {
			t.Errorf("%s = %.8g, want %.8g", c.name, c.got, c.want)
		}
	}
	// lnNeedL and lnNeedU solve f = λ and g = λ for ln(1/δ).
	for _, b := range []float64{0.02, 0.1, 0.3} {
		for _, tau := range []float64{5000, 20000, 50000} {
			if l := lnNeedU(b, 0.01, 50000, tau); math.Abs(kadabraG(b, l, 50000, tau)-0.01) > 1e-12 {
				t.Errorf("g(%g, lnNeedU) at τ=%g = %g, want λ", b, tau, kadabraG(b, l, 50000, tau))
			}
			if l := lnNeedL(b, 0.01, 50000, tau); math.Abs(kadabraF(b, l, 50000, tau)-0.01) > 1e-12 {
				t.Errorf("f(%g, lnNeedL) at τ=%g = %g, want λ", b, tau, kadabraF(b, l, 50000, tau))
			}
		}
	}
	// A node never sampled passes from zeroPassTau on, not before.
	tau := zeroPassTau(ln100, 0.01, 50000)
	if g := kadabraG(0, ln100, 50000, tau); math.Abs(g-0.01) > 1e-12 {
		t.Errorf("g(0) at zeroPassTau = %g", g)
	}
}

// The shares of δ sum to at most δ/2 over the 2n tail events, and the
// nodes pre-sampling found central get more than the floor.
func TestAllocateDeltaSum(t *testing.T) {
	const n, delta = 1000, 0.1
	nodes := []int32{3, 10, 500, 999}
	counts := []uint32{1, 40, 7, 120}
	s := allocateDelta(nodes, counts, 500, 50000, 0.01, delta, n)
	sum := 0.0
	for v := int32(0); v < n; v++ {
		lnL, lnU := s.ln(v)
		sum += math.Exp(-lnL) + math.Exp(-lnU)
	}
	if sum > delta/2 || sum < 0.99*delta/2 {
		t.Errorf("Σ δ_L + δ_U = %g, want ≤ δ/2 = %g (and close to it)", sum, delta/2)
	}
	_, hub := s.ln(999)
	if _, lnU := s.ln(0); hub >= lnU {
		t.Errorf("central node ln(1/δ_U) = %g, not below the floor's %g", hub, lnU)
	}
}

// On a generated supply network the adaptive rule stops well before ω,
// the values stay within ε of the exact ones, and the result depends only
// on the seed, not on the number of workers.
func TestApproxBetweennessStopsEarly(t *testing.T) {
	const n, eps = 1500, 0.02
	net := GenerateSupply(n, 5*n, 7)
	g := Build(n, net.Src, net.Dst, net.Value)
	exact := Betweenness(g, 0)
	a, err := ApproxBetweennessContext(context.Background(), g, eps, 0.1, 5, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	lambda := eps * float64(n-2) / float64(n)
	if want := SampleSize(lambda, 0.05, a.VertexDiameter); a.MaxSamples != want {
		t.Errorf("ω = %d, want Riondato–Kornaropoulos for δ/2: %d", a.MaxSamples, want)
	}
	if a.Samples <= 0 || a.Samples >= a.MaxSamples*3/4 {
		t.Errorf("stopped after %d of ω = %d samples", a.Samples, a.MaxSamples)
	}
	if a.PreSamples != a.MaxSamples/100 {
		t.Errorf("pre-samples %d, want ω/100", a.PreSamples)
	}
	if d := maxDiff(exact, a.Values); d > eps {
		t.Errorf("max error %g > ε (%d samples)", d, a.Samples)
	}
	b, err := ApproxBetweennessContext(context.Background(), g, eps, 0.1, 5, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Samples != a.Samples || !slices.Equal(a.Values, b.Values) {
		t.Errorf("1 worker: %d samples, 2 workers: %d; values equal: %v", b.Samples, a.Samples, slices.Equal(a.Values, b.Values))
	}
}

// The search copy has the edges between inner nodes (inputs and outputs)
// under the new names, out-rows also those from other nodes to inner ones
// and in-rows those from inner nodes to others, rows sorted;
// the order puts the inner nodes (inputs and outputs) first by stage,
// higher degrees first within a stage, and firstInner finds where each
// stage begins.
func TestRenumberedSameEdges(t *testing.T) {
	net := GenerateSupply(3000, 15000, 2)
	g := Build(net.N, net.Src, net.Dst, nil)
	stage := Stages(g)
	order, firstInner := searchOrder(g, stage)
	h, err := renumbered(g, order, firstInner[len(firstInner)-1], 3)
	if err != nil {
		t.Fatal(err)
	}
	deg := func(v int32) int { return g.OutDegree(v) + g.InDegree(v) }
	isInner := func(v int32) bool { return g.OutDegree(v) > 0 && g.InDegree(v) > 0 }
	key := func(v int32) int32 {
		if isInner(v) {
			return stage[v]
		}
		return int32(len(firstInner) - 1)
	}
	for i, v := range order {
		if i > 0 {
			u := order[i-1]
			if key(u) > key(v) || key(u) == key(v) && deg(u) < deg(v) {
				t.Fatalf("order: node %d (key %d, degree %d) before %d (key %d, degree %d)", u, key(u), deg(u), v, key(v), deg(v))
			}
		}
		for st := range firstInner {
			if (int32(i) >= firstInner[st]) != (key(v) >= int32(st)) {
				t.Fatalf("firstInner[%d] = %d, but new id %d has key %d", st, firstInner[st], i, key(v))
			}
		}
	}
	inner := firstInner[len(firstInner)-1]
	rank := make([]int32, len(order))
	for i, v := range order {
		rank[v] = int32(i)
	}
	// The rows keep exactly the entries that are inner nodes.
	want := func(row []int32) []int32 {
		var out []int32
		for _, w := range row {
			if rank[w] < inner {
				out = append(out, rank[w])
			}
		}
		slices.Sort(out)
		return out
	}
	for i, v := range order {
		out, _ := g.Out(v)
		in, _ := g.In(v)
		hOut := h.outAdj[h.outStart[i]:h.outStart[i+1]]
		hIn := h.inAdj[h.inStart[i]:h.inStart[i+1]]
		if !slices.Equal(hOut, want(out)) || !slices.Equal(hIn, want(in)) {
			t.Fatalf("node %d (new %d): rows %v / %v, want %v / %v", v, i, hOut, hIn, want(out), want(in))
		}
	}
}

// The walk back through a node with a long row (h, 22 in-edges, reached
// from a level of 2) weighs the previous level's nodes instead of the row:
// the estimates still converge to the exact values.
func TestApproxBetweennessUnbiasedThroughHub(t *testing.T) {
	src := []int32{0, 0, 1, 2, 3}
	dst := []int32{1, 2, 3, 3, 24}
	for x := int32(4); x < 24; x++ {
		src, dst = append(src, x), append(dst, 3)
	}
	g := Build(25, src, dst, nil)
	exact := Betweenness(g, 1)
	a, err := ApproxBetweennessContext(context.Background(), g, 0.003, 0.01, 4, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(exact, a.Values); d > 0.003 {
		t.Errorf("max error %g: exact %v, approx %v", d, exact, a.Values)
	}
}

// For every pair of nodes of the fixtures and of a generated supply
// network, the pruned bidirectional search finds a path exactly when the
// target is reachable, its meeting nodes count all σ_st shortest paths,
// and the sampled path is a shortest one.
func TestSamplePathFindsAllShortestPaths(t *testing.T) {
	net := GenerateSupply(120, 600, 3)
	fs := append(fixtures(), fixture{name: "supply", n: net.N, src: net.Src, dst: net.Dst})
	for _, f := range fs {
		if f.n < 3 {
			continue
		}
		g0 := Build(f.n, f.src, f.dst, nil)
		comp, _ := g0.components()
		stage := g0.stages()
		order, firstInner := searchOrder(g0, stage)
		g, err := renumbered(g0, order, firstInner[len(firstInner)-1], 2)
		if err != nil {
			t.Fatal(err)
		}
		ps := newPathSampler(g, g0, order, firstInner, comp, stage, 1, 1)
		b := ps.bufs[0]
		// Distances and path counts by the search copy's ids.
		dists := make([][]int32, f.n)
		sigmas := make([][]float64, f.n)
		for s := range dists {
			d0, s0 := bfsCounts(g0, order[s])
			dists[s], sigmas[s] = make([]int32, f.n), make([]float64, f.n)
			for i, v := range order {
				dists[s][i], sigmas[s][i] = d0[v], s0[v]
			}
		}
		for s := int32(0); int(s) < f.n; s++ {
			dist, sigma := dists[s], sigmas[s]
			for u := int32(0); int(u) < f.n; u++ {
				if u == s {
					continue
				}
				if dist[u] == 1 { // the caller skips direct edges
					continue
				}
				b.path = b.path[:0]
				b.samplePath(g, s, u, b.rnd)
				total := 0.0
				for _, w := range b.meet {
					total += b.node[w].sig[0] * b.node[w].sig[1]
				}
				if dist[u] < 0 {
					if len(b.meet) > 0 {
						t.Fatalf("%s: %d→%d unreachable, but the searches met", f.name, s, u)
					}
					continue
				}
				if total != sigma[u] || len(b.path) != int(dist[u])-1 {
					t.Fatalf("%s: %d→%d: %g paths of %d interior nodes, want %g of %d", f.name, s, u, total, len(b.path), sigma[u], dist[u]-1)
				}
				for _, x := range b.path {
					if dist[x]+dists[x][u] != dist[u] {
						t.Fatalf("%s: %d→%d: %d is on no shortest path", f.name, s, u, x)
					}
				}
			}
		}
	}
}

// bfsCounts returns the distances from s (−1: unreachable) and the
// numbers of shortest paths.
func bfsCounts(g *Graph, s int32) ([]int32, []float64) {
	dist, sigma := make([]int32, g.n), make([]float64, g.n)
	for i := range dist {
		dist[i] = -1
	}
	dist[s], sigma[s] = 0, 1
	q := []int32{s}
	for len(q) > 0 {
		x := q[0]
		q = q[1:]
		for _, w := range g.outAdj[g.outStart[x]:g.outStart[x+1]] {
			if dist[w] < 0 {
				dist[w] = dist[x] + 1
				q = append(q, w)
			}
			if dist[w] == dist[x]+1 {
				sigma[w] += sigma[x]
			}
		}
	}
	return dist, sigma
}

// The stopping check, which checks one by one only the nodes counted more
// often than any node passing with the floor could be, agrees with
// checking every node (both outcomes occur among the trials).
func TestStoppingRuleMatchesEveryNode(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	const n = 200
	stopped := 0
	for trial := 0; trial < 300; trial++ {
		tau := 100 + rnd.IntN(20000)
		omega := tau + rnd.IntN(40000)
		lambda := 0.005 + 0.03*rnd.Float64()
		var nodes []int32
		var pre []uint32
		for v := int32(0); v < n; v += int32(1 + rnd.IntN(20)) {
			nodes, pre = append(nodes, v), append(pre, uint32(rnd.IntN(50)))
		}
		share := allocateDelta(nodes, pre, 500, omega, lambda, 0.1, n)
		count := make([]uint32, n)
		var touched []int32
		for v := int32(0); v < n; v++ {
			if rnd.IntN(3) == 0 {
				// mostly small counts, a few up to τ
				c := rnd.IntN(1 + tau/(1+rnd.IntN(200)))
				count[v] = uint32(c)
				if c > 0 {
					touched = append(touched, v)
				}
			}
		}
		want := true
		for v := int32(0); v < n; v++ {
			bt := float64(count[v]) / float64(tau)
			lnL, lnU := share.ln(v)
			if kadabraF(bt, lnL, float64(omega), float64(tau)) > lambda || kadabraG(bt, lnU, float64(omega), float64(tau)) > lambda {
				want = false
			}
		}
		if got := share.done(count, touched, lambda, float64(omega), float64(tau)); got != want {
			t.Fatalf("trial %d: done = %v, every node: %v", trial, got, want)
		}
		if want {
			stopped++
		}
	}
	if stopped == 0 || stopped == 300 {
		t.Errorf("the rule held in %d of 300 trials: not both outcomes", stopped)
	}
}

// clip keeps exactly the entries within its bounds, rows short and long,
// when the bound of the other side cannot cut (lo = 0 forward, hi above
// every entry backward).
func TestClip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		row := make([]int32, rnd.IntN(40))
		for i := range row {
			row[i] = int32(rnd.IntN(100))
		}
		slices.Sort(row)
		row = slices.Compact(row)
		cut := int32(rnd.IntN(110))
		for side, b := range [][2]int32{{0, cut}, {cut, 100}} {
			lo, hi := b[0], b[1]
			var want []int32
			for _, w := range row {
				if lo <= w && w < hi {
					want = append(want, w)
				}
			}
			if got := clip(row, lo, hi, side); !slices.Equal(got, want) {
				t.Fatalf("clip(%v, %d, %d, side %d) = %v, want %v", row, lo, hi, side, got, want)
			}
		}
	}
}
