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
// input order; rows sorted), on every core: edges are scattered into
// in-rows, each in-row sorted stably and merged, and the in-rows
// scattered into out-rows (already in order). release, when not nil, is
// called once the blocks have been read for the last time.
func BuildBlocks(n int, e EdgeBlocks, release func()) *Graph {
	parts := max(1, min(runtime.GOMAXPROCS(0), 4, len(e.Src)))
	valid := func(u, v int32) bool { return u != v && u >= 0 && v >= 0 && int(u) < n && int(v) < n }
	blockRange := func(p int) (int, int) { return p * len(e.Src) / parts, (p + 1) * len(e.Src) / parts }
	// 1. In-degrees per part, turned into each part's write offsets: part
	// p's edges to v come after those of parts before it (input order).
	off := make([][]int64, parts)
	inParallel(parts, func(p int) {
		cnt := make([]int64, n)
		a, b := blockRange(p)
		for bi := a; bi < b; bi++ {
			for i, u := range e.Src[bi] {
				if v := e.Dst[bi][i]; valid(u, v) {
					cnt[v]++
				}
			}
		}
		off[p] = cnt
	})
	rowStart := make([]int64, n+1)
	var m0 int64
	for v := 0; v < n; v++ {
		rowStart[v] = m0
		for p := 0; p < parts; p++ {
			c := off[p][v]
			off[p][v] = m0
			m0 += c
		}
	}
	rowStart[n] = m0
	// 2. Scatter into in-rows.
	adj, w := make([]int32, m0), make([]float64, m0)
	inParallel(parts, func(p int) {
		o := off[p]
		a, b := blockRange(p)
		for bi := a; bi < b; bi++ {
			dst := e.Dst[bi]
			for i, u := range e.Src[bi] {
				if v := dst[i]; valid(u, v) {
					k := o[v]
					o[v]++
					adj[k] = u
					if e.W != nil {
						w[k] = e.W[bi][i]
					} else {
						w[k] = 1
					}
				}
			}
		}
	})
	off = nil
	if release != nil {
		release()
	}
	inStart, inAdj, inW := mergeRows(n, parts, rowStart, adj, w)
	outStart, outAdj, outW := transposeRows(n, parts, inStart, inAdj, inW)
	return &Graph{n: n, outStart: outStart, inStart: inStart, outAdj: outAdj, inAdj: inAdj, outW: outW, inW: inW}
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
	w    []float64
}

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
	tmp.keys, tmp.w = tmp.keys[:0], append(tmp.w[:0], w...)
	for i, x := range adj {
		tmp.keys = append(tmp.keys, uint64(x)<<32|uint64(i))
	}
	slices.Sort(tmp.keys)
	for i, k := range tmp.keys {
		adj[i], w[i] = int32(k>>32), tmp.w[uint32(k)]
	}
}

// transposeRows turns sorted in-rows into sorted out-rows.
func transposeRows(n, parts int, inStart []int64, inAdj []int32, inW []float64) ([]int64, []int32, []float64) {
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
	outAdj, outW := make([]int32, m), make([]float64, m)
	inParallel(parts, func(p int) {
		o := off[p]
		for v := cut[p]; v < cut[p+1]; v++ {
			for j := inStart[v]; j < inStart[v+1]; j++ {
				u := inAdj[j]
				k := o[u]
				o[u]++
				outAdj[k], outW[k] = int32(v), inW[j]
			}
		}
	})
	return outStart, outAdj, outW
}
