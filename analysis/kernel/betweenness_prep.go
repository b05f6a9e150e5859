package kernel

import (
	"errors"
	"math/bits"
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
		fwd, back := dir{g.outStart, g.outAdj}, dir{g.inStart, g.inAdj}
		if len(nodes) < 1<<14 {
			e = out.ecc(fwd, back, nodes, hub) + out.ecc(back, fwd, nodes, hub)
		} else {
			done := make(chan int32)
			go func() { done <- in.ecc(back, fwd, nodes, hub) }()
			e = out.ecc(fwd, back, nodes, hub)
			e += <-done
		}
		vd[x] = min(e+1, int32(len(nodes)))
	}
	return vd
}

// bitBFS holds the buffers of level-by-level breadth-first searches inside
// one strongly connected component: a bit per node (n/8 bytes, which stay
// in cache where a distance per node would not) marks the members not
// reached yet, another the current level when it is searched bottom-up.
type bitBFS struct {
	left, level []uint64
	front, next []int32
	sink        int32 // keeps the reads done for their cache misses
}

func newBitBFS(words int) *bitBFS {
	return &bitBFS{left: make([]uint64, words), level: make([]uint64, words)}
}

// dir is one direction of a graph's rows.
type dir struct {
	start []int64
	adj   []int32
}

func (d dir) row(v int32) []int32 { return d.adj[d.start[v]:d.start[v+1]] }

// The switches between top-down and bottom-up levels, after Beamer,
// Asanović and Patterson (direction-optimizing breadth-first search, SC
// 2012), on node counts: bottom-up once a level larger than the one
// before has more than 1/bfsAlpha of the members left to reach, top-down
// again once the level has fewer than 1/bfsBeta of the members.
var (
	bfsAlpha = 14
	bfsBeta  = 24
)

// ecc returns the eccentricity of s among nodes (a strongly connected
// component holding s, in increasing order) along the rows fwd; back are
// the reverse rows. A level is searched top-down (the level's rows in fwd)
// or, when it is large, bottom-up (each member not reached yet looks in
// its row in back for a node of the level, stopping at the first): the
// levels are the same either way. It leaves left cleared.
func (b *bitBFS) ecc(fwd, back dir, nodes []int32, s int32) int32 {
	left := b.left
	for _, v := range nodes {
		left[v/64] |= 1 << (v % 64)
	}
	left[s/64] &^= 1 << (s % 64)
	todo := len(nodes) - 1 // members not reached yet
	front, next := append(b.front[:0], s), b.next[:0]
	far, up, grew := int32(0), false, true
	for {
		if !up && grew && len(front) > todo/bfsAlpha && len(front) >= len(nodes)/bfsBeta {
			up = true
		} else if up && len(front) < len(nodes)/bfsBeta {
			up = false
		}
		if up {
			next = b.bottomUp(back, nodes, front, next)
		} else {
			next = b.topDown(fwd, front, next)
		}
		if len(next) == 0 {
			break
		}
		todo -= len(next)
		grew = len(next) > len(front)
		far++
		front, next = next, front[:0]
	}
	// Only rows that do not mirror each other (a damaged graph) leave
	// members unreached: clear them for the next search.
	for _, v := range nodes {
		left[v/64] &^= 1 << (v % 64)
	}
	b.front, b.next = front, next
	return far
}

// topDown appends to next the members not reached yet in the rows of
// front.
//
// The rows are far apart: a block of the level's row bounds is read
// first, then each row's first entry, without dependencies between the
// reads, so that their cache misses overlap (as in biBFS.expand).
func (b *bitBFS) topDown(fwd dir, front, next []int32) []int32 {
	left, start, adj := b.left, fwd.start, fwd.adj
	var lo [64]int64
	var sink int32
	for len(front) > 0 {
		blk := front[:min(len(front), len(lo))]
		front = front[len(blk):]
		sink |= rowBounds(blk, start, adj, &lo)
		for i, x := range blk {
			for _, w := range adj[lo[i]:start[x+1]] {
				if bit := uint64(1) << (w % 64); left[w/64]&bit != 0 {
					left[w/64] &^= bit
					next = append(next, w)
				}
			}
		}
	}
	b.sink |= sink
	return next
}

// bottomUp appends to next the members not reached yet with a node of
// front in their row of back.
func (b *bitBFS) bottomUp(back dir, nodes, front, next []int32) []int32 {
	left, level := b.left, b.level
	for _, x := range front {
		level[x/64] |= 1 << (x % 64)
	}
	for _, v := range nodes {
		if left[v/64]&(1<<(v%64)) == 0 {
			continue
		}
		for _, p := range back.row(v) {
			if level[p/64]&(1<<(p%64)) != 0 {
				next = append(next, v)
				break
			}
		}
	}
	// Cleared after the pass: a node found now is no parent at this level.
	for _, v := range next {
		left[v/64] &^= 1 << (v % 64)
	}
	for _, x := range front {
		level[x/64] &^= 1 << (x % 64)
	}
	return next
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
	for _, u := range innerByStage(g, stage, maxStage) {
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

// innerByStage returns the nodes with inputs and outputs by stage, then
// by id.
func innerByStage(g *Graph, stage []int32, maxStage int32) []int32 {
	at := make([]int32, maxStage+2)
	k := 0
	for v, st := range stage {
		if g.outStart[v] != g.outStart[v+1] && g.inStart[v] != g.inStart[v+1] {
			at[st+1]++
			k++
		}
	}
	for st := 1; st < len(at); st++ {
		at[st] += at[st-1]
	}
	out := make([]int32, k)
	for v, st := range stage {
		if g.outStart[v] != g.outStart[v+1] && g.inStart[v] != g.inStart[v+1] {
			out[at[st]] = int32(v)
			at[st]++
		}
	}
	return out
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
	// Each node's degree and group (its stage if inner, else −1), read once
	// in node order: the sorts then read these instead of the rows.
	deg, group := make([]uint32, n), make([]int32, n)
	maxDeg, maxStage := uint32(0), int32(0)
	for v := 0; v < n; v++ {
		out, in := g.outStart[v+1]-g.outStart[v], g.inStart[v+1]-g.inStart[v]
		d, st := uint32(out+in), stage[v]
		deg[v], maxDeg, maxStage = d, max(maxDeg, d), max(maxStage, st)
		group[v] = -1
		if out > 0 && in > 0 {
			group[v] = st
		}
	}
	for v, x := range group {
		if x < 0 {
			group[v] = maxStage + 1
		}
	}
	// By decreasing degree (ties by id), then stably by group.
	at := make([]int32, maxDeg+2)
	for _, d := range deg {
		at[maxDeg-d+1]++
	}
	for k := 1; k < len(at); k++ {
		at[k] += at[k-1]
	}
	byDeg := make([]int32, n)
	for v, d := range deg {
		byDeg[at[maxDeg-d]] = int32(v)
		at[maxDeg-d]++
	}
	firstInner = make([]int32, maxStage+3)
	for _, x := range group {
		firstInner[x+1]++
	}
	for k := 1; k < len(firstInner); k++ {
		firstInner[k] += firstInner[k-1]
	}
	order = make([]int32, n)
	fill := slices.Clone(firstInner)
	for _, v := range byDeg {
		x := group[v]
		order[fill[x]] = v
		fill[x]++
	}
	// Group st starts at firstInner[st]: an empty one where the next does.
	return order, firstInner[:maxStage+2]
}

// renumbered returns the search copy of g: node order[i] renamed i, and
// of its edges only those a search may pass along, out-rows holding the
// targets and in-rows the sources with new id < inner (the inner nodes,
// searchOrder), every row sorted. An edge with another end is only ever
// the first or last step of a path, which the searches take from the
// roots' own rows or skip (biBFS.samplePath, walk).
//
// The rows are counted in the graph's own order (its rows read front to
// back), then filled by transposition, with no sorting: the out-row of s
// holds t once s is in the in-row of t's node, so going through the inner
// t in increasing order and appending t to the rows of the s found there
// (transposeRenamed) fills every out-row in increasing order; in-rows
// likewise from the out-rows. The two directions are independent: with
// workers > 1 they are built at the same time. The transposition relies
// on the in-rows mirroring the out-rows: when they do not (a damaged
// graph), it returns errMirror.
func renumbered(g *Graph, order []int32, inner int32, workers int) (*Graph, error) {
	n := g.n
	rank, _, outStart, inStart := copyRowStarts(g, order, inner, workers)
	h := &Graph{n: n, outStart: outStart, inStart: inStart}
	var outOK, inOK bool
	out := func() { h.outAdj, outOK = transposeRenamed(dir{g.inStart, g.inAdj}, order[:inner], rank, outStart) }
	in := func() { h.inAdj, inOK = transposeRenamed(dir{g.outStart, g.outAdj}, order[:inner], rank, inStart) }
	if workers > 1 {
		var wg sync.WaitGroup
		wg.Go(out)
		in()
		wg.Wait()
	} else {
		out()
		in()
	}
	if !outOK || !inOK {
		return nil, errMirror
	}
	return h, nil
}

// errMirror reports a graph whose in-rows are not its out-rows turned
// around.
var errMirror = errors.New("damaged graph: the in-edges do not mirror the out-edges")

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

// copyRowStarts is where the search copy's rows start: each node's new id
// (rank), the inner nodes by old id (a bit each, so it stays in cache), and
// the out- and in-row starts by new id, counting only inner entries.
func copyRowStarts(g *Graph, order []int32, inner int32, workers int) (rank []int32, isInner []uint64, outStart, inStart []int64) {
	n := g.n
	rank = make([]int32, n)
	isInner = make([]uint64, (n+63)/64)
	for i, v := range order {
		rank[v] = int32(i)
		if int32(i) < inner {
			isInner[v/64] |= 1 << (v % 64)
		}
	}
	outStart, inStart = make([]int64, n+1), make([]int64, n+1)
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
	return rank, isInner, outStart, inStart
}

func countInner(row []int32, isInner []uint64) int64 {
	k := int64(0)
	for _, w := range row {
		k += int64(isInner[w/64] >> (w % 64) & 1)
	}
	return k
}

// transposeRenamed returns the rows nstart (by new id) that hold, for
// each t in 0..len(targets)−1 in increasing order, t in the row of
// rank[u] for every u in rows' row of targets[t].
//
// Appending straight to the rows would write all over them; instead the
// entries first go, in order, to buckets of consecutive rows (sequential
// streams), then each bucket is spread over its rows, which stay in the
// cache meanwhile. An entry packs t and the row within its bucket in 32
// bits, so that it takes the place of the row entry it becomes: the
// buckets are spread in place, through a copy of one bucket at a time.
//
// nstart comes from the other direction's rows: it reports false, and
// writes no entry outside a row, when they do not mirror rows.
func transposeRenamed(rows dir, targets, rank []int32, nstart []int64) ([]int32, bool) {
	// 2^shift rows a bucket: 4096, fewer when t needs more than 20 bits.
	shift := min(12, bits.LeadingZeros32(uint32(len(targets))))
	return transposeBuckets(rows, targets, rank, nstart, shift)
}

func transposeBuckets(rows dir, targets, rank []int32, nstart []int64, shift int) ([]int32, bool) {
	n := len(nstart) - 1
	mask := uint32(1)<<shift - 1
	// Each bucket's next free entry and end.
	at := make([][2]int64, (n+int(mask))>>shift)
	for b := range at {
		at[b] = [2]int64{nstart[b<<shift], nstart[min(n, (b+1)<<shift)]}
	}
	ent := make([]int32, nstart[n])
	// A block of targets' row bounds is read first, then each row's first
	// entry, so that their cache misses overlap (as in biBFS.expand).
	var lo, hi [32]int64
	var sink int32
	for t0 := 0; t0 < len(targets); t0 += len(lo) {
		blk := targets[t0:min(len(targets), t0+len(lo))]
		for i, v := range blk {
			lo[i], hi[i] = rows.start[v], rows.start[v+1]
		}
		if len(rows.adj) > 0 {
			for i := range blk {
				sink |= rows.adj[min(lo[i], int64(len(rows.adj)-1))]
			}
		}
		for i := range blk {
			t := uint32(t0+i) << shift
			for _, u := range rows.adj[lo[i]:hi[i]] {
				s := rank[u]
				a := &at[s>>shift]
				if a[0] == a[1] {
					return nil, false
				}
				ent[a[0]] = int32(t | uint32(s)&mask)
				a[0]++
			}
		}
	}
	keep(sink)
	pos := make([]int64, mask+1)
	var tmp []int32
	for b, a := range at {
		if a[0] != a[1] {
			return nil, false
		}
		base := b << shift
		top := min(n, base+int(mask)+1)
		copy(pos, nstart[base:top])
		tmp = append(tmp[:0], ent[nstart[base]:nstart[top]]...)
		for _, e := range tmp {
			l := uint32(e) & mask
			if pos[l] == nstart[base+int(l)+1] {
				return nil, false
			}
			ent[pos[l]] = int32(uint32(e) >> shift)
			pos[l]++
		}
	}
	return ent, true
}

// keep makes the compiler keep the reads whose value it is given: they
// are done for their cache misses only.
//
//go:noinline
func keep(int32) {}
