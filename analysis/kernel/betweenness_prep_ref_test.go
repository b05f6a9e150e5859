package kernel

// Reference implementations: the bound and the search copy as first
// written (kept for the tests to check the faster ones against).

import (
	"slices"
)

// refEccSearch holds the buffers of breadth-first searches inside one
// component.
type refEccSearch struct {
	comp  []int32
	dist  []int32
	queue []int32
}

func newRefEccSearch(comp []int32) *refEccSearch {
	e := &refEccSearch{comp: comp, dist: make([]int32, len(comp))}
	for i := range e.dist {
		e.dist[i] = -1
	}
	return e
}

// ecc returns the eccentricity of s inside component c over the rows adj.
func (e *refEccSearch) ecc(start []int64, adj []int32, c int32, s int32) int32 {
	dist, comp := e.dist, e.comp
	queue := append(e.queue[:0], s)
	dist[s] = 0
	far := int32(0)
	for h := 0; h < len(queue); h++ {
		x := queue[h]
		for _, w := range adj[start[x]:start[x+1]] {
			if dist[w] < 0 && comp[w] == c {
				dist[w] = dist[x] + 1
				far = max(far, dist[w])
				queue = append(queue, w)
			}
		}
	}
	for _, x := range queue {
		dist[x] = -1
	}
	e.queue = queue
	return far
}

// eccBoth returns hub's out- plus in-eccentricity inside component c (of
// size nodes), the two searches at once when the component is large.
func refEccBoth(g *Graph, out, in *refEccSearch, c, hub int32, size int) int32 {
	if size < 1<<14 {
		return out.ecc(g.outStart, g.outAdj, c, hub) + in.ecc(g.inStart, g.inAdj, c, hub)
	}
	done := make(chan int32)
	go func() { done <- in.ecc(g.inStart, g.inAdj, c, hub) }()
	e := out.ecc(g.outStart, g.outAdj, c, hub)
	return e + <-done
}

func refVertexDiameterBound(g *Graph, comp []int32, k int) int {
	n := g.n
	if n == 0 {
		return 0
	}
	members := groupByComp(comp, k)
	vd := make([]int32, k)
	out, in := newRefEccSearch(comp), newRefEccSearch(comp)
	for c := 0; c < k; c++ {
		nodes := members.of(c)
		if len(nodes) == 1 {
			vd[c] = 1
			continue
		}
		hub, best := nodes[0], int64(-1)
		for _, v := range nodes {
			if d := g.outStart[v+1] - g.outStart[v] + g.inStart[v+1] - g.inStart[v]; d > best {
				hub, best = v, d
			}
		}
		vd[c] = min(refEccBoth(g, out, in, int32(c), hub, len(nodes))+1, int32(len(nodes)))
	}
	// Longest weighted path; components in topological order are k-1..0.
	best := append([]int32(nil), vd...)
	top := int32(0)
	for c := k - 1; c >= 0; c-- {
		top = max(top, best[c])
		for _, u := range members.of(c) {
			for _, v := range g.outAdj[g.outStart[u]:g.outStart[u+1]] {
				if d := comp[v]; int(d) != c && best[d] < best[c]+vd[d] {
					best[d] = best[c] + vd[d]
				}
			}
		}
	}
	return int(top)
}

// renumbered returns the search copy of g: node order[i] renamed i, and
// of its edges only those a search may pass along, out-rows holding the
// targets and in-rows the sources with new id < inner (the inner nodes,
// searchOrder), every row sorted. An edge with another end is only ever
// the first or last step of a path, which the searches take from the
// roots' own rows or skip (biBFS.samplePath, walk). Rows are independent:
// workers build ranges of them.
func refRenumbered(g *Graph, order []int32, inner int32, workers int) *Graph {
	n := g.n
	// The row starts are counted as the search copy counts them; the rows
	// are filled the first way: renamed and sorted in place.
	rank, isInner, outStart, inStart := copyRowStarts(g, order, inner, workers)
	outAdj, inAdj := make([]int32, outStart[n]), make([]int32, inStart[n])
	parallelRanges(n, workers, func(lo, hi int) {
		refMapRows(g.outStart, g.outAdj, outStart, outAdj, lo, hi, rank, isInner)
		refMapRows(g.inStart, g.inAdj, inStart, inAdj, lo, hi, rank, isInner)
	})
	return &Graph{n: n, outStart: outStart, inStart: inStart, outAdj: outAdj, inAdj: inAdj}
}

// refMapRows writes the rows of the nodes lo..hi−1 (old ids) at their new
// ids: the inner entries renamed by rank, sorted.
func refMapRows(start []int64, adj []int32, nstart []int64, nadj []int32, lo, hi int, rank []int32, isInner []uint64) {
	for v := lo; v < hi; v++ {
		r := rank[v]
		row := nadj[nstart[r]:nstart[r+1]]
		j := 0
		for _, w := range adj[start[v]:start[v+1]] {
			if isInner[w/64]>>(w%64)&1 != 0 {
				row[j] = rank[w]
				j++
			}
		}
		if len(row) < 12 {
			for j := 1; j < len(row); j++ {
				for k := j; k > 0 && row[k] < row[k-1]; k-- {
					row[k], row[k-1] = row[k-1], row[k]
				}
			}
		} else {
			slices.Sort(row)
		}
	}
}

// refSearchOrder is searchOrder as first written (sorts by key functions).
func refSearchOrder(g *Graph, stage []int32) (order, firstInner []int32) {
	n := g.n
	deg := func(v int) int64 { return g.outStart[v+1] - g.outStart[v] + g.inStart[v+1] - g.inStart[v] }
	maxDeg, maxStage := int64(0), int32(0)
	for v := 0; v < n; v++ {
		maxDeg, maxStage = max(maxDeg, deg(v)), max(maxStage, stage[v])
	}
	byDeg := countingOrder(n, int(maxDeg)+1, func(v int) int { return int(maxDeg - deg(v)) }, nil)
	inner := func(v int) bool { return g.outStart[v] != g.outStart[v+1] && g.inStart[v] != g.inStart[v+1] }
	key := func(v int) int {
		if inner(v) {
			return int(stage[v])
		}
		return int(maxStage) + 1
	}
	order = countingOrder(n, int(maxStage)+2, key, byDeg)
	firstInner = make([]int32, maxStage+2)
	for st := range firstInner {
		firstInner[st] = int32(n)
	}
	for i := n - 1; i >= 0; i-- {
		firstInner[key(int(order[i]))] = int32(i)
	}
	// Stages with no inner node start where the next one does.
	for st := int(maxStage); st >= 0; st-- {
		firstInner[st] = min(firstInner[st], firstInner[st+1])
	}
	return order, firstInner
}

// countingOrder sorts the nodes (those of within, in that order, or
// 0..n−1) by key, which lies in 0..keys−1, stably.
func countingOrder(n, keys int, key func(v int) int, within []int32) []int32 {
	at := make([]int32, keys+1)
	for v := 0; v < n; v++ {
		at[key(v)+1]++
	}
	for k := 1; k <= keys; k++ {
		at[k] += at[k-1]
	}
	out := make([]int32, n)
	for i := 0; i < n; i++ {
		v := i
		if within != nil {
			v = int(within[i])
		}
		k := key(v)
		out[at[k]] = int32(v)
		at[k]++
	}
	return out
}
