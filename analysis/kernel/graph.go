// Package kernel holds compact graph snapshots and fast analysis kernels
// (PageRank, betweenness, strongly connected components, processing stages,
// reachability) for networks up to millions of nodes.
//
// Every kernel here has a reference in the tests: gonum (betweenness,
// strongly connected components, PageRank where its convention agrees),
// networkx golden files (analysis/testdata/graphs) and plain definitions.
package kernel

import "sync"

// Graph is an immutable compressed-sparse-row directed graph with dense node
// ids 0..N-1, out-edges and in-edges and float64 weights. Parallel edges are
// merged (weights summed); self-loops are dropped. Every adjacency row is
// sorted by node id.
type Graph struct {
	n                 int
	outStart, inStart []int64
	outAdj, inAdj     []int32
	outW, inW         []float64
	// rev is the graph this one reverses (set by Reverse), so that the
	// components are found once for both directions.
	rev  *Graph
	cond condensation
}

// condensation caches a graph's strongly connected components and
// processing stages: each is computed at most once, on first use, and
// shared by the kernels that need it (PageRank, supplier rank, stages,
// approximate betweenness). Callers must not modify what it returns.
type condensation struct {
	sccOnce sync.Once
	comp    []int32
	k       int
	// early, when set, delivers the components found while the graph was
	// being built (see BuildBuckets); components waits for it.
	early     <-chan sccResult
	stageOnce sync.Once
	stage     []int32
}

// components returns SCC(g), computed once. A reversed graph has the same
// components as the graph it reverses, numbered k−1−c so that they are
// still in reverse topological order.
func (g *Graph) components() ([]int32, int) {
	c := &g.cond
	c.sccOnce.Do(func() {
		if c.early != nil {
			r := <-c.early
			c.comp, c.k = r.comp, r.k
			return
		}
		if g.rev == nil {
			c.comp, c.k = SCC(g)
			return
		}
		comp, k := g.rev.components()
		c.comp, c.k = make([]int32, len(comp)), k
		for v, x := range comp {
			c.comp[v] = int32(k-1) - x
		}
	})
	return c.comp, c.k
}

// sccResult is a numbering of the strongly connected components.
type sccResult struct {
	comp []int32
	k    int
}

// componentsOfReverse finds, in the background, the strongly connected
// components of the graph whose in-rows are inStart/inAdj from those rows
// alone (Tarjan on the reversed graph: the same components), numbered
// k−1−c so that every edge between components goes from a higher number
// to a lower one, as SCC's. The numbering may differ from SCC(g)'s between
// components that no path joins; every kernel needs only that order.
func componentsOfReverse(n int, inStart []int64, inAdj []int32) <-chan sccResult {
	ch := make(chan sccResult, 1)
	go func() {
		comp, k := SCC(&Graph{n: n, outStart: inStart, outAdj: inAdj})
		for v, c := range comp {
			comp[v] = int32(k-1) - c
		}
		ch <- sccResult{comp, k}
	}()
	return ch
}

// stages returns Stages(g), computed once.
func (g *Graph) stages() []int32 {
	c := &g.cond
	c.stageOnce.Do(func() {
		comp, k := g.components()
		c.stage = stagesOf(g, comp, k)
	})
	return c.stage
}

// Build makes a graph of n nodes from an edge list; w may be nil (weight 1).
// Edges with an end outside 0..n-1 and self-loops are dropped.
func Build(n int, src, dst []int32, w []float64) *Graph {
	return buildFrom(n, func(yield func(u, v int32, x float64)) {
		for i := range src {
			x := 1.0
			if w != nil {
				x = w[i]
			}
			yield(src[i], dst[i], x)
		}
	}, nil)
}

// buildFrom builds the CSR arrays in linear time from a function that
// yields the edges (it is called twice: to count, then to fill). Rows are
// sorted by a double transposition (a counting sort), duplicates merged
// in place; the only memory besides the result is one extra adjacency and
// weight array of the unmerged edge count. release (may be nil) is called
// once the edges have been read for the last time, so that the caller can
// drop them before the second half of the build allocates.
func buildFrom(n int, edges func(yield func(u, v int32, x float64)), release func()) *Graph {
	valid := func(u, v int32) bool { return u != v && u >= 0 && v >= 0 && int(u) < n && int(v) < n }
	// 1. Out-rows in input order (unsorted, with duplicates).
	aStart := make([]int64, n+1)
	edges(func(u, v int32, _ float64) {
		if valid(u, v) {
			aStart[u+1]++
		}
	})
	for i := 0; i < n; i++ {
		aStart[i+1] += aStart[i]
	}
	m0 := aStart[n]
	aAdj, aW := make([]int32, m0), make([]float64, m0)
	fill := make([]int64, n)
	copy(fill, aStart[:n])
	inDeg := make([]int64, n+1)
	edges(func(u, v int32, x float64) {
		if valid(u, v) {
			k := fill[u]
			fill[u]++
			aAdj[k], aW[k] = v, x
			inDeg[v+1]++
		}
	})
	if release != nil {
		release()
	}
	// 2. Transpose into in-rows: iterating sources in increasing order
	// leaves every in-row sorted by source, duplicates adjacent.
	for i := 0; i < n; i++ {
		inDeg[i+1] += inDeg[i]
	}
	bAdj, bW := make([]int32, m0), make([]float64, m0)
	copy(fill, inDeg[:n])
	for u := 0; u < n; u++ {
		for j := aStart[u]; j < aStart[u+1]; j++ {
			v := aAdj[j]
			k := fill[v]
			fill[v]++
			bAdj[k], bW[k] = int32(u), aW[j]
		}
	}
	// 3. Merge duplicates inside each in-row, compacting in place.
	inStart := make([]int64, n+1)
	var m int64
	for v := 0; v < n; v++ {
		inStart[v] = m
		last := int32(-1)
		for j := inDeg[v]; j < inDeg[v+1]; j++ {
			if bAdj[j] == last {
				bW[m-1] += bW[j]
				continue
			}
			last = bAdj[j]
			bAdj[m], bW[m] = bAdj[j], bW[j]
			m++
		}
	}
	inStart[n] = m
	bAdj, bW = bAdj[:m:m], bW[:m:m]
	// 4. Transpose back into sorted out-rows, reusing the first arrays.
	outStart := make([]int64, n+1)
	for _, u := range bAdj {
		outStart[u+1]++
	}
	for i := 0; i < n; i++ {
		outStart[i+1] += outStart[i]
	}
	copy(fill, outStart[:n])
	outAdj, outW := aAdj[:m:m], aW[:m:m]
	for v := 0; v < n; v++ {
		for j := inStart[v]; j < inStart[v+1]; j++ {
			u := bAdj[j]
			k := fill[u]
			fill[u]++
			outAdj[k], outW[k] = int32(v), bW[j]
		}
	}
	if m < m0/2 { // many duplicates: do not keep the unmerged capacity
		outAdj, outW = append([]int32(nil), outAdj...), append([]float64(nil), outW...)
		bAdj, bW = append([]int32(nil), bAdj...), append([]float64(nil), bW...)
	}
	return &Graph{n: n, outStart: outStart, inStart: inStart, outAdj: outAdj, inAdj: bAdj, outW: outW, inW: bW}
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

// OutDegree and InDegree return the number of (merged) edges of v.
func (g *Graph) OutDegree(v int32) int { return int(g.outStart[v+1] - g.outStart[v]) }
func (g *Graph) InDegree(v int32) int  { return int(g.inStart[v+1] - g.inStart[v]) }

// Reverse returns the graph with every edge turned around, sharing storage.
func (g *Graph) Reverse() *Graph {
	return &Graph{n: g.n, outStart: g.inStart, inStart: g.outStart, outAdj: g.inAdj, inAdj: g.outAdj, outW: g.inW, inW: g.outW, rev: g}
}

// Bytes is the memory held by the graph's arrays.
func (g *Graph) Bytes() int64 {
	return int64(len(g.outStart)+len(g.inStart))*8 + int64(len(g.outAdj)+len(g.inAdj))*4 + int64(len(g.outW)+len(g.inW))*8
}
