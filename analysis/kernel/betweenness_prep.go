package kernel

import (
	"slices"
	"sync"
	"sync/atomic"
)

// VertexDiameterBound returns a proven upper bound on the vertex diameter
// (the most nodes on any shortest path) in linear time. A shortest path
// crosses the strongly connected components along a path of the
// condensation DAG and, inside each component C, is a shortest path of C;
// inside C, d(x, y) ≤ d(x, c) + d(c, y) for any node c of C, so C's vertex
// diameter is at most ecc_in(c) + ecc_out(c) + 1 (c: C's node of highest
// degree, the first by id among ties; never more than |C|). The bound is
// the longest path of the condensation weighted by these per-component
// bounds.
func VertexDiameterBound(g *Graph) int {
	comp, k := g.components()
	return vertexDiameterBound(g, comp, k, g.stages())
}

func vertexDiameterBound(g *Graph, comp []int32, k int, stage []int32) int {
	if g.n == 0 {
		return 0
	}
	heavy := heavyComponents(comp, k)
	vd := heavy.diameterBounds(g)
	return longestWeightedPath(g, stage, heavy.of, vd)
}

// heavyComps lists the strongly connected components of more than one
// node (the heavy ones), numbered 0, 1, … in increasing component number.
type heavyComps struct {
	of      []int32     // node → its heavy component, −1 if alone
	members compMembers // nodes of each heavy component, increasing
}

func heavyComponents(comp []int32, k int) heavyComps {
	idx := make([]int32, k) // component → its size, then its heavy number
	for _, c := range comp {
		idx[c]++
	}
	h := int32(0)
	for c, size := range idx {
		idx[c] = -1
		if size > 1 {
			idx[c] = h
			h++
		}
	}
	of := make([]int32, len(comp))
	m := compMembers{start: make([]int32, h+1)}
	for v, c := range comp {
		x := idx[c]
		of[v] = x
		if x >= 0 {
			m.start[x+1]++
		}
	}
	for i := int32(0); i < h; i++ {
		m.start[i+1] += m.start[i]
	}
	m.nodes = make([]int32, m.start[h])
	fill := append([]int32(nil), m.start[:h]...)
	for v, x := range of {
		if x >= 0 {
			m.nodes[fill[x]] = int32(v)
			fill[x]++
		}
	}
	return heavyComps{of: of, members: m}
}

// diameterBounds returns each heavy component's vertex-diameter bound:
// ecc_out(c) + ecc_in(c) + 1 from its hub c, at most its size. The two
// searches of a large component run at the same time.
func (hc heavyComps) diameterBounds(g *Graph) []int32 {
	h := len(hc.members.start) - 1
	vd := make([]int32, h)
	if h == 0 {
		return vd
	}
	words := (g.n + 63) / 64
	out, in := newBitBFS(words), newBitBFS(words)
	for x := 0; x < h; x++ {
		nodes := hc.members.of(x)
		hub, best := nodes[0], int64(-1)
		for _, v := range nodes {
			if d := g.outStart[v+1] - g.outStart[v] + g.inStart[v+1] - g.inStart[v]; d > best {
				hub, best = v, d
			}
		}
		var e int32
		if len(nodes) < 1<<14 {
			e = out.ecc(g.outStart, g.outAdj, nodes, hub) + out.ecc(g.inStart, g.inAdj, nodes, hub)
		} else {
			done := make(chan int32)
			go func() { done <- in.ecc(g.inStart, g.inAdj, nodes, hub) }()
			e = out.ecc(g.outStart, g.outAdj, nodes, hub)
			e += <-done
		}
		vd[x] = min(e+1, int32(len(nodes)))
	}
	return vd
}

// bitBFS holds the buffers of level-by-level breadth-first searches inside
// one strongly connected component: a bit per node (n/8 bytes, which stay
// in cache where a distance per node would not) marks the members not
// reached yet.
type bitBFS struct {
	left        []uint64
	front, next []int32
}

func newBitBFS(words int) *bitBFS { return &bitBFS{left: make([]uint64, words)} }

// ecc returns the eccentricity of s among nodes (a strongly connected
// component holding s) over the rows (start, adj). The search reaches
// every member, so it leaves left cleared.
func (b *bitBFS) ecc(start []int64, adj []int32, nodes []int32, s int32) int32 {
	left := b.left
	for _, v := range nodes {
		left[v/64] |= 1 << (v % 64)
	}
	left[s/64] &^= 1 << (s % 64)
	front, next := append(b.front[:0], s), b.next[:0]
	far := int32(0)
	for {
		for _, x := range front {
			for _, w := range adj[start[x]:start[x+1]] {
				if bit := uint64(1) << (w % 64); left[w/64]&bit != 0 {
					left[w/64] &^= bit
					next = append(next, w)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		far++
		front, next = next, front[:0]
	}
	b.front, b.next = front, next
	return far
}

// longestWeightedPath returns the longest path of the condensation, each
// component weighing 1 (alone) or vd of its heavy number (heavy, which
// becomes key's scratch). Stages order the components topologically, so
// the nodes with inputs and outputs (the only ones with a longest path
// both into and out of them) are visited by stage, each pushing its
// component's longest path W to its successors in other components.
// Nodes with inputs start at W ≥ 2 and heavy components at vd + 1: their
// predecessors of stage 0 outside them (sources) need no visit. key[v]
// holds W of a node alone (> 0) or −(its heavy number + 1).
func longestWeightedPath(g *Graph, stage []int32, heavy []int32, vd []int32) int {
	key := heavy
	wh := make([]int32, len(vd)) // W of each heavy component
	maxStage := int32(0)
	for v, x := range key {
		st := stage[v]
		maxStage = max(maxStage, st)
		in := int32(0)
		if st > 0 {
			in = 1
		}
		if x < 0 {
			key[v] = 1 + in
		} else {
			wh[x] = vd[x] + in
			key[v] = -x - 1
		}
	}
	inner := func(v int) bool { return g.outStart[v] != g.outStart[v+1] && g.inStart[v] != g.inStart[v+1] }
	byStage := countingOrder(g.n, int(maxStage)+1, func(v int) int { return int(stage[v]) }, nil)
	for _, u := range byStage {
		if !inner(int(u)) {
			continue
		}
		self := key[u]
		wu := self
		if self < 0 {
			wu = wh[-self-1]
		}
		for _, w := range g.outAdj[g.outStart[u]:g.outStart[u+1]] {
			if x := key[w]; x > 0 {
				key[w] = max(x, wu+1)
			} else if x != self {
				wh[-x-1] = max(wh[-x-1], wu+vd[-x-1])
			}
		}
	}
	top := int32(0)
	for _, x := range key {
		top = max(top, x)
	}
	for _, x := range wh {
		top = max(top, x)
	}
	return int(top)
}

// searchOrder returns the order in which nodes are renumbered for the
// path searches, and where the nodes with both inputs and outputs (the
// only ones a search may pass through) begin each stage: first come those
// nodes by stage, then the others (sources, sinks, isolated); inside each
// group by decreasing degree, ties by id. Since rows are sorted, the nodes
// a search may pass through are then a range of each row, cut by stage
// (see biBFS.samplePath); and most shortest paths run through the hubs and
// their neighbours, whose records share cache lines when packed together.
// firstInner[st] is the first new id of an inner node of stage ≥ st
// (st ≤ the last stage + 1).
func searchOrder(g *Graph, stage []int32) (order, firstInner []int32) {
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

// renumbered returns the search copy of g: node order[i] renamed i, and
// of its edges only those a search may pass along, out-rows holding the
// targets and in-rows the sources with new id < inner (the inner nodes,
// searchOrder), every row sorted. An edge with another end is only ever
// the first or last step of a path, which the searches take from the
// roots' own rows or skip (biBFS.samplePath, walk). Rows are independent:
// workers build ranges of them.
func renumbered(g *Graph, order []int32, inner int32, workers int) *Graph {
	n := g.n
	rank := make([]int32, n)
	isInner := make([]uint64, (n+63)/64) // by old id: a bit, so it stays in cache
	for i, v := range order {
		rank[v] = int32(i)
		if int32(i) < inner {
			isInner[v/64] |= 1 << (v % 64)
		}
	}
	// Row lengths by new id, counted in the graph's own order (its rows
	// are read front to back), then the rows filled the same way.
	outStart, inStart := make([]int64, n+1), make([]int64, n+1)
	parallelRanges(n, workers, func(lo, hi int) {
		for v := lo; v < hi; v++ {
			outStart[rank[v]+1] = countInner(g.outAdj[g.outStart[v]:g.outStart[v+1]], isInner)
			inStart[rank[v]+1] = countInner(g.inAdj[g.inStart[v]:g.inStart[v+1]], isInner)
		}
	})
	for i := 0; i < n; i++ {
		outStart[i+1] += outStart[i]
		inStart[i+1] += inStart[i]
	}
	outAdj, inAdj := make([]int32, outStart[n]), make([]int32, inStart[n])
	parallelRanges(n, workers, func(lo, hi int) {
		mapRows(g.outStart, g.outAdj, outStart, outAdj, lo, hi, rank, isInner)
		mapRows(g.inStart, g.inAdj, inStart, inAdj, lo, hi, rank, isInner)
	})
	return &Graph{n: n, outStart: outStart, inStart: inStart, outAdj: outAdj, inAdj: inAdj}
}

// parallelRanges calls f on consecutive ranges covering 0..n−1, on
// workers goroutines that take the next range when done (rows differ in
// length: hubs come first).
func parallelRanges(n, workers int, f func(lo, hi int)) {
	per := max(1024, n/(16*workers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(per))) - per
				if lo >= n {
					return
				}
				f(lo, min(n, lo+per))
			}
		}()
	}
	wg.Wait()
}

func countInner(row []int32, isInner []uint64) int64 {
	k := int64(0)
	for _, w := range row {
		k += int64(isInner[w/64] >> (w % 64) & 1)
	}
	return k
}

// mapRows writes the rows of the nodes lo..hi−1 (old ids) at their new
// ids: the inner entries renamed by rank, sorted.
func mapRows(start []int64, adj []int32, nstart []int64, nadj []int32, lo, hi int, rank []int32, isInner []uint64) {
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
