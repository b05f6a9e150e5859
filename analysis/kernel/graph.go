// Package kernel holds compact graph snapshots and fast analysis kernels
// (PageRank, betweenness, strongly connected components, processing stages,
// reachability) for networks up to millions of nodes.
package kernel

import "sort"

// Graph is an immutable compressed-sparse-row directed graph with dense node
// ids 0..N-1, out-edges and in-edges and float64 weights. Parallel edges are
// merged (weights summed); self-loops are dropped.
type Graph struct {
	n                 int
	outStart, inStart []int64
	outAdj, inAdj     []int32
	outW, inW         []float64
}

// Build makes a graph of n nodes from an edge list; w may be nil (weight 1).
func Build(n int, src, dst []int32, w []float64) *Graph {
	type e struct {
		u, v int32
		w    float64
	}
	es := make([]e, 0, len(src))
	for i := range src {
		u, v := src[i], dst[i]
		if u == v || u < 0 || v < 0 || int(u) >= n || int(v) >= n {
			continue
		}
		x := 1.0
		if w != nil {
			x = w[i]
		}
		es = append(es, e{u, v, x})
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].u != es[j].u {
			return es[i].u < es[j].u
		}
		return es[i].v < es[j].v
	})
	// Merge parallel edges.
	m := 0
	for i := range es {
		if m > 0 && es[m-1].u == es[i].u && es[m-1].v == es[i].v {
			es[m-1].w += es[i].w
			continue
		}
		es[m] = es[i]
		m++
	}
	es = es[:m]
	g := &Graph{n: n, outStart: make([]int64, n+1), inStart: make([]int64, n+1),
		outAdj: make([]int32, m), inAdj: make([]int32, m), outW: make([]float64, m), inW: make([]float64, m)}
	for _, x := range es {
		g.outStart[x.u+1]++
		g.inStart[x.v+1]++
	}
	for i := 0; i < n; i++ {
		g.outStart[i+1] += g.outStart[i]
		g.inStart[i+1] += g.inStart[i]
	}
	fill := make([]int64, n)
	copy(fill, g.inStart[:n])
	for i, x := range es {
		g.outAdj[i], g.outW[i] = x.v, x.w
		k := fill[x.v]
		fill[x.v]++
		g.inAdj[k], g.inW[k] = x.u, x.w
	}
	return g
}

// N returns the number of nodes.
func (g *Graph) N() int { return g.n }

// M returns the number of (merged) edges.
func (g *Graph) M() int { return len(g.outAdj) }

// Out returns the successors of v and the weights of the edges to them.
func (g *Graph) Out(v int32) ([]int32, []float64) {
	a, b := g.outStart[v], g.outStart[v+1]
	return g.outAdj[a:b], g.outW[a:b]
}

// In returns the predecessors of v and the weights of the edges from them.
func (g *Graph) In(v int32) ([]int32, []float64) {
	a, b := g.inStart[v], g.inStart[v+1]
	return g.inAdj[a:b], g.inW[a:b]
}

// Reverse returns the graph with every edge turned around, sharing storage.
func (g *Graph) Reverse() *Graph {
	return &Graph{n: g.n, outStart: g.inStart, inStart: g.outStart, outAdj: g.inAdj, inAdj: g.outAdj, outW: g.inW, inW: g.outW}
}
