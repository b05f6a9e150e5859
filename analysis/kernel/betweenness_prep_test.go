package kernel

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// prepGraphs are graphs of many shapes for checking the preparation of
// the path searches against the reference implementations: random sparse
// and dense graphs (many small cycles, or one large component: of more
// than 2¹⁴ nodes in the 40,000-node one, whose two searches run at the
// same time), layered graphs with cycles inside layers (heavy components
// at stage 0, chains of them, sources and sinks around them), supply
// networks, and all of them reversed.
func prepGraphs(t testing.TB) map[string]*Graph {
	t.Helper()
	rnd := rand.New(rand.NewPCG(3, 4))
	gs := map[string]*Graph{}
	random := func(n, m int) *Graph {
		src, dst := make([]int32, m), make([]int32, m)
		for i := range src {
			src[i], dst[i] = int32(rnd.IntN(n)), int32(rnd.IntN(n))
		}
		return Build(n, src, dst, nil)
	}
	// layered: edges to the next layers, and within a layer back edges
	// among a few neighbours (small cycles), p of them.
	layered := func(n, layers, m int, p float64) *Graph {
		var src, dst []int32
		per := n / layers
		for len(src) < m {
			u := rnd.IntN(n)
			l := u / per
			if rnd.Float64() < p {
				v := u + 1 + rnd.IntN(3)
				if v/per == l && v < n {
					src, dst = append(src, int32(u)), append(dst, int32(v))
					src, dst = append(src, int32(v)), append(dst, int32(u-rnd.IntN(2)))
				}
				continue
			}
			if l+1 >= layers {
				continue
			}
			v := (l+1+rnd.IntN(min(2, layers-l-1)))*per + rnd.IntN(per)
			src, dst = append(src, int32(u)), append(dst, int32(min(v, n-1)))
		}
		return Build(n, src, dst, nil)
	}
	for i := range 40 {
		n := 2 + rnd.IntN(60)
		gs["random "+itoa(i)] = random(n, rnd.IntN(3*n))
	}
	gs["empty"] = Build(0, nil, nil, nil)
	gs["isolated"] = Build(5, nil, nil, nil)
	gs["one edge"] = Build(2, []int32{0}, []int32{1}, nil)
	gs["two-cycle"] = Build(2, []int32{0, 1}, []int32{1, 0}, nil)
	gs["sparse 2000"] = random(2000, 2200)
	gs["dense 500"] = random(500, 5000)
	gs["random 40000"] = random(40_000, 100_000)
	for i, p := range []float64{0, 0.05, 0.3, 0.9} {
		gs["layered "+itoa(i)] = layered(3000, 12, 9000, p)
	}
	for i, n := range []int{300, 5000, 60_000} {
		net := GenerateSupply(n, 5*n, int64(40+i))
		gs["supply "+itoa(n)] = Build(net.N, net.Src, net.Dst, nil)
	}
	for name, g := range gs {
		gs[name+" reversed"] = g.Reverse()
	}
	return gs
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// The bound is the one first implemented (distances and component numbers
// per node, the longest path over every edge in component order), and at
// least the exact vertex diameter on the small graphs.
func TestVertexDiameterBoundMatchesReference(t *testing.T) {
	big := false
	for name, g := range prepGraphs(t) {
		comp, k := g.components()
		got, want := vertexDiameterBound(g, comp, k, g.stages()), refVertexDiameterBound(g, comp, k)
		if got != want {
			t.Errorf("%s: bound %d, reference %d", name, got, want)
		}
		if g.n <= 60 {
			if exact := vertexDiameter(g); got < exact {
				t.Errorf("%s: bound %d < vertex diameter %d", name, got, exact)
			}
		}
		hc := heavyComponents(comp, k)
		for x := range len(hc.members.start) - 1 {
			big = big || len(hc.members.of(x)) >= 1<<14
		}
	}
	if !big {
		t.Error("no component of 2¹⁴ nodes or more: the parallel searches went untested")
	}
}

// The order of the search copy is the one first computed, and the copy
// built by transposition is the one first built (rows renamed, then
// sorted), with one worker or two, and with buckets of a few rows.
func TestRenumberedMatchesReference(t *testing.T) {
	for name, g := range prepGraphs(t) {
		order, firstInner := searchOrder(g, g.stages())
		if o, f := refSearchOrder(g, g.stages()); !slices.Equal(order, o) || !slices.Equal(firstInner, f) {
			t.Errorf("%s: order or firstInner differ from the reference", name)
		}
		inner := firstInner[len(firstInner)-1]
		want := refRenumbered(g, order, inner, 2)
		for _, workers := range []int{1, 2} {
			if got, err := renumbered(g, order, inner, workers); err != nil || !sameRows(got, want) {
				t.Errorf("%s, %d workers: the search copy differs from the reference", name, workers)
			}
		}
		if g.n > 3000 {
			continue
		}
		for _, shift := range []int{1, 3, 12} {
			out, ok1 := transposeBuckets(dir{g.inStart, g.inAdj}, order[:inner], rankOf(order), want.outStart, shift)
			in, ok2 := transposeBuckets(dir{g.outStart, g.outAdj}, order[:inner], rankOf(order), want.inStart, shift)
			if !ok1 || !ok2 || !slices.Equal(out, want.outAdj) || !slices.Equal(in, want.inAdj) {
				t.Errorf("%s, buckets of 2^%d rows: rows differ from the reference", name, shift)
			}
		}
	}
}

func rankOf(order []int32) []int32 {
	rank := make([]int32, len(order))
	for i, v := range order {
		rank[v] = int32(i)
	}
	return rank
}

func sameRows(a, b *Graph) bool {
	return a.n == b.n && slices.Equal(a.outStart, b.outStart) && slices.Equal(a.inStart, b.inStart) &&
		slices.Equal(a.outAdj, b.outAdj) && slices.Equal(a.inAdj, b.inAdj)
}

// A graph whose in-rows do not mirror its out-rows (a damaged snapshot
// can pass the checks on counts) is refused with an error, not read out
// of its rows.
func TestApproxBetweennessRefusesUnmirroredRows(t *testing.T) {
	net := GenerateSupply(3000, 15000, 7)
	good := Build(net.N, net.Src, net.Dst, nil)
	moved := 0
	for v := int32(0); int(v) < good.n && moved < 20; v++ {
		if good.OutDegree(v) == 0 || good.InDegree(v) == 0 {
			continue
		}
		g := &Graph{n: good.n, outStart: good.outStart, inStart: good.inStart, outAdj: good.outAdj, inAdj: slices.Clone(good.inAdj), outW: good.outW, inW: good.inW}
		row := g.inAdj[g.inStart[v]:g.inStart[v+1]]
		// Another source in place of the last one, the row still sorted.
		u := row[len(row)-1] + 1
		if int(u) >= g.n || u == v {
			continue
		}
		row[len(row)-1] = u
		moved++
		_, err := ApproxBetweennessContext(context.Background(), g, 0.1, 0.1, 1, 2, nil)
		if !errors.Is(err, errMirror) {
			t.Fatalf("in-row of node %d changed: error %v, want %v", v, err, errMirror)
		}
	}
	if moved == 0 {
		t.Fatal("no row changed")
	}
}
