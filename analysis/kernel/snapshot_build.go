package kernel

import (
	"runtime"
	"slices"
	"sync"
)

// EdgeBlocks is an edge list kept in blocks (as a streaming loader fills
// it: growing never copies): Src[b][i]→Dst[b][i] weighs W[b][i] (every
// edge 1 when W is nil). Edges with an end outside 0..n-1 (a loader marks
// a dropped row with Src -1) and self-loops are left out.
type EdgeBlocks struct {
	Src, Dst [][]int32
	W        [][]float64
}

// BuildBlocks builds the graph of n nodes of an edge list in blocks, with
// the result of Build (parallel edges merged, their weights summed in
// input order; rows sorted): the blocks are partitioned into EdgeBuckets
// and built by BuildBuckets. release, when not nil, is called once the
// blocks have been read for the last time.
func BuildBlocks(n int, e EdgeBlocks, release func()) *Graph {
	var b EdgeBuckets
	for bi, src := range e.Src {
		for i, u := range src {
			v := e.Dst[bi][i]
			if u == v || u < 0 || v < 0 || int(u) >= n || int(v) >= n {
				continue
			}
			x := 1.0
			if e.W != nil {
				x = e.W[bi][i]
			}
			b.Add(u, v, x, 0)
		}
	}
	if release != nil {
		release()
	}
	return BuildBuckets(n, &b, 0, false)
}

// bucketShift sets the nodes of a bucket: 4096, so that a bucket's rows
// (their write positions and a few edges each) stay in the cache.
const bucketShift = 12

// bucketChunk is the largest chunk of a bucket (64 KB).
const bucketChunk = 1 << 12

// edgeEntry is one edge in a bucket: its source, the low bits of its
// destination (the bucket gives the high bits), its weight and tag.
type edgeEntry struct {
	w   float64
	u   int32
	lo  uint16
	tag uint16
}

// EdgeBuckets is an edge list partitioned by destination into buckets of
// 4096 consecutive nodes, each kept in input order (in chunks: growing
// never copies). A loader fills it as it reads, writing to a few hundred
// sequential streams; the CSR build then sorts every bucket inside the
// cache instead of scattering all edges at random over the whole arrays.
// The zero value is empty and ready.
type EdgeBuckets struct {
	full  [][][]edgeEntry // full[B]: filled chunks of bucket B, in order
	tail  [][]edgeEntry   // tail[B]: the chunk being filled
	n     int
	spare [][]edgeEntry // chunks to fill before allocating new ones
}

// Add appends the edge u→v of weight w; tag (a year, say) lets
// BuildBuckets keep only some edges. u and v must be ≥ 0.
func (e *EdgeBuckets) Add(u, v int32, w float64, tag uint16) {
	b := int(v >> bucketShift)
	if b >= len(e.tail) {
		e.grow(b)
	}
	t := &e.tail[b]
	if len(*t) == cap(*t) {
		e.flush(b)
	}
	*t = append(*t, edgeEntry{w: w, u: u, lo: uint16(v & (1<<bucketShift - 1)), tag: tag})
	e.n++
}

// Len is the number of edges added.
func (e *EdgeBuckets) Len() int { return e.n }

func (e *EdgeBuckets) grow(b int) {
	for len(e.tail) <= b {
		e.tail = append(e.tail, nil)
		e.full = append(e.full, nil)
	}
}

// flush moves bucket b's full tail chunk to its list and starts a new one,
// twice as large up to bucketChunk.
func (e *EdgeBuckets) flush(b int) {
	t := e.tail[b]
	size := 64
	if cap(t) > 0 {
		e.full[b] = append(e.full[b], t)
		size = min(2*cap(t), bucketChunk)
	}
	if k := len(e.spare); k > 0 {
		e.tail[b], e.spare = e.spare[k-1][:0], e.spare[:k-1]
		return
	}
	e.tail[b] = make([]edgeEntry, 0, size)
}

// release empties e and returns its chunks, to be filled again.
func (e *EdgeBuckets) release() [][]edgeEntry {
	all := e.spare
	for b := range e.tail {
		all = append(all, e.full[b]...)
		if cap(e.tail[b]) > 0 {
			all = append(all, e.tail[b])
		}
	}
	*e = EdgeBuckets{}
	return all
}

// Append moves the edges of o after those of e (o is left empty).
func (e *EdgeBuckets) Append(o *EdgeBuckets) {
	if len(o.tail) > len(e.tail) {
		e.grow(len(o.tail) - 1)
	}
	for b := range o.tail {
		if len(e.tail[b]) > 0 {
			e.full[b] = append(e.full[b], e.tail[b])
		}
		e.full[b] = append(e.full[b], o.full[b]...)
		e.tail[b] = o.tail[b]
	}
	e.n += o.n
	*o = EdgeBuckets{}
}

// chunks calls f on bucket b's chunks in input order.
func (e *EdgeBuckets) chunks(b int, f func([]edgeEntry)) {
	for _, c := range e.full[b] {
		f(c)
	}
	f(e.tail[b])
}

// BuildBuckets builds the graph of n nodes of the edges in e, with the
// result of Build (parallel edges merged, their weights summed in input
// order; rows sorted): only edges tagged 0 or keep are used (every edge
// when keep is 0), each weighing 1 when unit is set; edges with an end
// outside 0..n-1 and self-loops are left out. e is emptied once its edges
// are placed (its memory is filled again by the build).
func BuildBuckets(n int, e *EdgeBuckets, keep uint16, unit bool) *Graph {
	parts := max(1, min(runtime.GOMAXPROCS(0), 4))
	if len(e.tail) > (n+1<<bucketShift-1)>>bucketShift {
		e.tail, e.full = e.tail[:(n+1<<bucketShift-1)>>bucketShift], e.full[:(n+1<<bucketShift-1)>>bucketShift]
	}
	use := func(x *edgeEntry, v int) bool {
		return (x.tag == 0 || keep == 0 || x.tag == keep) && v < n && x.u < int32(n) && int(x.u) != v
	}
	cut := e.balance(parts)
	// 1. In-degrees, bucket by bucket (each writes its own rows).
	rowStart := make([]int64, n+1)
	inParallel(parts, func(p int) {
		for b := cut[p]; b < cut[p+1]; b++ {
			base := b << bucketShift
			e.chunks(b, func(c []edgeEntry) {
				for i := range c {
					if v := base + int(c[i].lo); use(&c[i], v) {
						rowStart[v+1]++
					}
				}
			})
		}
	})
	for v := 0; v < n; v++ {
		rowStart[v+1] += rowStart[v]
	}
	// 2. Scatter every bucket into its in-rows (a window that stays in
	// the cache), in input order.
	m0 := rowStart[n]
	adj, w := make([]int32, m0), make([]float64, m0)
	inParallel(parts, func(p int) {
		var pos [1 << bucketShift]int64
		for b := cut[p]; b < cut[p+1]; b++ {
			base := b << bucketShift
			copy(pos[:], rowStart[base:min(n, base+1<<bucketShift)])
			e.chunks(b, func(c []edgeEntry) {
				for i := range c {
					x := &c[i]
					if !use(x, base+int(x.lo)) {
						continue
					}
					k := pos[x.lo]
					pos[x.lo]++
					adj[k], w[k] = x.u, x.w
					if unit {
						w[k] = 1
					}
				}
			})
		}
	})
	// The buckets' chunks are filled again by the transposition: no new
	// memory for it, and no collection needed to reuse theirs.
	spare := e.release()
	inStart, inAdj, inW := mergeRows(n, parts, rowStart, adj, w)
	// The in-rows are final: the components are found on them while the
	// out-rows are built, and after (the first kernel to need them waits).
	early := componentsOfReverse(n, inStart, inAdj)
	outStart, outAdj, outW := transposeRows(n, parts, inStart, inAdj, inW, spare)
	g := &Graph{n: n, outStart: outStart, inStart: inStart, outAdj: outAdj, inAdj: inAdj, outW: outW, inW: inW}
	g.cond.early = early
	return g
}

// balance cuts the buckets into parts ranges of about equal edge counts.
func (e *EdgeBuckets) balance(parts int) []int {
	size := func(b int) int {
		s := len(e.tail[b])
		for _, c := range e.full[b] {
			s += len(c)
		}
		return s
	}
	cut := make([]int, parts+1)
	cut[parts] = len(e.tail)
	done, b := 0, 0
	for p := 1; p < parts; p++ {
		for b < len(e.tail) && done < e.n*p/parts {
			done += size(b)
			b++
		}
		cut[p] = b
	}
	return cut
}

// inParallel runs f(0..parts-1) at once and waits.
func inParallel(parts int, f func(p int)) {
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(p)
		}()
	}
	wg.Wait()
}

// splitRows cuts 0..n into parts ranges of about equal edge counts.
func splitRows(n, parts int, start []int64) []int {
	cut := make([]int, parts+1)
	m := start[n]
	v := 0
	for p := 1; p < parts; p++ {
		for v < n && start[v] < m*int64(p)/int64(parts) {
			v++
		}
		cut[p] = v
	}
	cut[parts] = n
	return cut
}

// mergeRows sorts every row stably by node, sums the weights of equal
// nodes in order, and compacts the rows in place.
func mergeRows(n, parts int, start []int64, adj []int32, w []float64) ([]int64, []int32, []float64) {
	cut := splitRows(n, parts, start)
	length := make([]int64, n)
	kept := make([]int64, parts)
	inParallel(parts, func(p int) {
		out := start[cut[p]]
		var tmp rowScratch
		for v := cut[p]; v < cut[p+1]; v++ {
			a, b := start[v], start[v+1]
			sortRow(adj[a:b], w[a:b], &tmp)
			k := out
			for j := a; j < b; j++ {
				if k > out && adj[k-1] == adj[j] {
					w[k-1] += w[j]
					continue
				}
				adj[k], w[k] = adj[j], w[j]
				k++
			}
			length[v] = k - out
			out = k
		}
		kept[p] = out - start[cut[p]]
	})
	newStart := make([]int64, n+1)
	var m int64
	for p := 0; p < parts; p++ {
		from := start[cut[p]]
		copy(adj[m:], adj[from:from+kept[p]])
		copy(w[m:], w[from:from+kept[p]])
		for v := cut[p]; v < cut[p+1]; v++ {
			newStart[v] = m
			m += length[v]
		}
	}
	newStart[n] = m
	adj, w = adj[:m:m], w[:m:m]
	if m < int64(cap(adj))/2 { // many duplicates: do not keep the unmerged capacity
		adj, w = slices.Clone(adj), slices.Clone(w)
	}
	return newStart, adj, w
}

// rowScratch is a worker's memory for sorting long rows.
type rowScratch struct {
	keys []uint64
	adj  []int32
	w    []float64
}

// radixRow is the shortest row sorted by radix (see radixSortRow).
const radixRow = 256

// sortRow sorts a row by node, keeping the input order of equal nodes
// (long rows: node and position packed in one key, so that an unstable
// sort of distinct keys is stable).
func sortRow(adj []int32, w []float64, tmp *rowScratch) {
	if len(adj) <= 32 {
		for i := 1; i < len(adj); i++ {
			for j := i; j > 0 && adj[j-1] > adj[j]; j-- {
				adj[j-1], adj[j] = adj[j], adj[j-1]
				w[j-1], w[j] = w[j], w[j-1]
			}
		}
		return
	}
	if slices.IsSorted(adj) {
		return
	}
	if len(adj) >= radixRow {
		radixSortRow(adj, w, tmp)
		return
	}
	tmp.keys, tmp.w = tmp.keys[:0], append(tmp.w[:0], w...)
	for i, x := range adj {
		tmp.keys = append(tmp.keys, uint64(x)<<32|uint64(i))
	}
	slices.Sort(tmp.keys)
	for i, k := range tmp.keys {
		adj[i], w[i] = int32(k>>32), tmp.w[uint32(k)]
	}
}

// radixSortRow sorts a long row by node, stably: a least significant
// digit radix sort, a byte a time, as many passes as the largest node has
// bytes (linear in the row, where a comparison sort is not).
func radixSortRow(adj []int32, w []float64, tmp *rowScratch) {
	hi := int32(0)
	for _, x := range adj {
		hi = max(hi, x)
	}
	n := len(adj)
	tmp.adj, tmp.w = slices.Grow(tmp.adj[:0], n)[:n], slices.Grow(tmp.w[:0], n)[:n]
	srcA, srcW, dstA, dstW := adj, w, tmp.adj, tmp.w
	for shift := 0; shift < 32 && hi>>shift != 0; shift += 8 {
		var pos [257]int
		for _, x := range srcA {
			pos[(x>>shift)&255+1]++
		}
		for d := 1; d < len(pos); d++ {
			pos[d] += pos[d-1]
		}
		for i, x := range srcA {
			d := (x >> shift) & 255
			k := pos[d]
			pos[d]++
			dstA[k], dstW[k] = x, srcW[i]
		}
		srcA, srcW, dstA, dstW = dstA, dstW, srcA, srcW
	}
	if &srcA[0] != &adj[0] {
		copy(adj, srcA)
		copy(w, srcW)
	}
}

// transposeRows turns sorted in-rows into sorted out-rows; its buckets
// fill the chunks of spare first.
func transposeRows(n, parts int, inStart []int64, inAdj []int32, inW []float64, spare [][]edgeEntry) ([]int64, []int32, []float64) {
	cut := splitRows(n, parts, inStart)
	off := make([][]int64, parts)
	inParallel(parts, func(p int) {
		cnt := make([]int64, n)
		for _, u := range inAdj[inStart[cut[p]]:inStart[cut[p+1]]] {
			cnt[u]++
		}
		off[p] = cnt
	})
	outStart := make([]int64, n+1)
	var m int64
	for u := 0; u < n; u++ {
		outStart[u] = m
		for p := 0; p < parts; p++ {
			c := off[p][u]
			off[p][u] = m
			m += c
		}
	}
	outStart[n] = m
	// Each part's edges go to buckets of 4096 sources (sequential
	// streams), then every bucket is scattered into its out-rows (a window
	// that stays in the cache): the parts in order, so each out-row stays
	// sorted.
	streams := make([]EdgeBuckets, parts)
	for p := range streams {
		streams[p].spare = spare[len(spare)*p/parts : len(spare)*(p+1)/parts]
	}
	inParallel(parts, func(p int) {
		s := &streams[p]
		for v := cut[p]; v < cut[p+1]; v++ {
			for j := inStart[v]; j < inStart[v+1]; j++ {
				s.Add(int32(v), inAdj[j], inW[j], 0)
			}
		}
		for b := len(s.tail); b < (n+1<<bucketShift-1)>>bucketShift; b++ {
			s.grow(b)
		}
	})
	outAdj, outW := make([]int32, m), make([]float64, m)
	bcut := bucketCut(n, parts, outStart)
	inParallel(parts, func(p int) {
		for b := bcut[p]; b < bcut[p+1]; b++ {
			base := int32(b << bucketShift)
			for q := range streams {
				o := off[q]
				streams[q].chunks(b, func(c []edgeEntry) {
					for i := range c {
						u := base + int32(c[i].lo)
						k := o[u]
						o[u]++
						outAdj[k], outW[k] = c[i].u, c[i].w
					}
				})
			}
		}
	})
	return outStart, outAdj, outW
}

// bucketCut cuts the buckets of n nodes into parts ranges of about equal
// edge counts (start: the rows' starts).
func bucketCut(n, parts int, start []int64) []int {
	nb := (n + 1<<bucketShift - 1) >> bucketShift
	cut := make([]int, parts+1)
	cut[parts] = nb
	b := 0
	for p := 1; p < parts; p++ {
		for b < nb && start[min(n, b<<bucketShift)] < start[n]*int64(p)/int64(parts) {
			b++
		}
		cut[p] = b
	}
	return cut
}
