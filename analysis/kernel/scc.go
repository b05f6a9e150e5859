package kernel

import (
	"math"
	"math/bits"
)

// SCC finds strongly connected components with an iterative Tarjan search
// (no recursion, so million-node paths are fine). Components are numbered
// 0..k-1 in the order Tarjan completes them, which is a reverse topological
// order of the condensation: every edge between components goes from a
// higher number to a lower one.
//
// A node's index is set to done (the largest int32) once its component is
// complete, so that one read of index[w] per edge tells all three cases:
// unvisited (< 0), on the stack (its index), finished (never below low) —
// Tarjan's onStack test without a second random access.
func SCC(g *Graph) (comp []int32, k int) {
	const done = math.MaxInt32
	n := g.n
	comp = make([]int32, n)
	index := make([]int32, n)
	low := make([]int32, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	type frame struct {
		v    int32
		next int64
	}
	var call []frame
	var counter int32
	for s := 0; s < n; s++ {
		if index[s] >= 0 {
			continue
		}
		call = append(call[:0], frame{int32(s), g.outStart[s]})
		index[s], low[s] = counter, counter
		counter++
		stack = append(stack, int32(s))
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			// Scan v's row up to the next unvisited node, keeping low in a
			// register.
			j, end, lv := f.next, g.outStart[v+1], low[v]
			for ; j < end; j++ {
				w := g.outAdj[j]
				if iw := index[w]; iw < 0 {
					break
				} else if iw < lv {
					lv = iw
				}
			}
			low[v] = lv
			if j < end {
				w := g.outAdj[j]
				f.next = j + 1
				index[w], low[w] = counter, counter
				counter++
				stack = append(stack, w)
				call = append(call, frame{w, g.outStart[w]})
				continue
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					index[w] = done
					comp[w] = int32(k)
					if w == v {
						break
					}
				}
				k++
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
		}
	}
	return comp, k
}

// Stages returns each node's processing stage: the length, in edges, of the
// longest path reaching its strongly connected component from a source
// component of the condensation DAG. Sources are stage 0. Linear time.
func Stages(g *Graph) []int32 {
	return append([]int32(nil), g.stages()...)
}

// stagesOf is Stages given the components (as SCC numbers them).
func stagesOf(g *Graph, comp []int32, k int) []int32 {
	members := groupByComp(comp, k)
	stage := make([]int32, k)
	// Components in topological order: k-1 down to 0.
	for c := k - 1; c >= 0; c-- {
		for _, u := range members.of(c) {
			adj, _ := g.Out(u)
			for _, v := range adj {
				d := comp[v]
				if int(d) != c && stage[d] < stage[c]+1 {
					stage[d] = stage[c] + 1
				}
			}
		}
	}
	out := make([]int32, g.n)
	for v := range out {
		out[v] = stage[comp[v]]
	}
	return out
}

// compMembers lists the nodes of each component in CSR form.
type compMembers struct {
	start []int32
	nodes []int32
}

func (m compMembers) of(c int) []int32 { return m.nodes[m.start[c]:m.start[c+1]] }

func groupByComp(comp []int32, k int) compMembers {
	m := compMembers{start: make([]int32, k+1), nodes: make([]int32, len(comp))}
	for _, c := range comp {
		m.start[c+1]++
	}
	for c := 0; c < k; c++ {
		m.start[c+1] += m.start[c]
	}
	fill := append([]int32(nil), m.start[:k]...)
	for v, c := range comp {
		m.nodes[fill[c]] = int32(v)
		fill[c]++
	}
	return m
}

// ReachCounts returns, for every node, how many other nodes can reach it
// (up) and how many it can reach (down). It works on the condensation DAG
// with 64-component bit masks: O((k/64)·(k + m)) word operations for k
// components and m edges, plus the set bits of large components — meant for
// graphs up to about 50,000 nodes.
func ReachCounts(g *Graph) (up, down []int) {
	comp, k := g.components()
	down = reachCounts(g, comp, k, false)
	up = reachCounts(g, comp, k, true)
	return up, down
}

func reachCounts(g *Graph, comp []int32, k int, reverse bool) []int {
	members := groupByComp(comp, k)
	size := make([]int, k)
	for c := 0; c < k; c++ {
		size[c] = len(members.of(c))
	}
	// Condensation edges, deduplicated per component.
	var cedges [][]int32 = make([][]int32, k)
	seen := make([]int32, k)
	for i := range seen {
		seen[i] = -1
	}
	for c := 0; c < k; c++ {
		for _, u := range members.of(c) {
			var adj []int32
			if reverse {
				adj, _ = g.In(u)
			} else {
				adj, _ = g.Out(u)
			}
			for _, v := range adj {
				d := comp[v]
				if int(d) != c && seen[d] != int32(c) {
					seen[d] = int32(c)
					cedges[c] = append(cedges[c], d)
				}
			}
		}
	}
	counts := make([]int, k)
	mask := make([]uint64, k)
	// Processing order: successors before predecessors. Forward edges go
	// from higher to lower component numbers, so for "down" process 0..k-1;
	// reversed edges go from lower to higher, so for "up" process k-1..0.
	for base := 0; base < k; base += 64 {
		hi := min(base+64, k)
		var big uint64 // bits of the block's components with more than one node
		for c := base; c < hi; c++ {
			if size[c] > 1 {
				big |= 1 << uint(c-base)
			}
		}
		step := func(c int) {
			var m uint64
			for _, d := range cedges[c] {
				m |= mask[d]
				if int(d) >= base && int(d) < hi {
					m |= 1 << uint(int(d)-base)
				}
			}
			mask[c] = m
			if m == 0 {
				return
			}
			counts[c] += bits.OnesCount64(m &^ big)
			for b := m & big; b != 0; b &= b - 1 {
				counts[c] += size[base+bits.TrailingZeros64(b)]
			}
		}
		if !reverse {
			for c := 0; c < k; c++ {
				step(c)
			}
		} else {
			for c := k - 1; c >= 0; c-- {
				step(c)
			}
		}
	}
	out := make([]int, g.n)
	for v := range out {
		c := comp[v]
		out[v] = counts[c] + size[c] - 1
	}
	return out
}

// ReachFrom returns the nodes reachable from v (v itself excluded), by BFS.
func ReachFrom(g *Graph, v int32) []int32 {
	seen := make([]bool, g.n)
	seen[v] = true
	queue := []int32{v}
	var out []int32
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		adj, _ := g.Out(u)
		for _, w := range adj {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
				queue = append(queue, w)
			}
		}
	}
	return out
}
