package kernel

import (
	"errors"
	"fmt"
	"math"
)

// CSR is a graph's compressed-sparse-row arrays: OutStart[v]..OutStart[v+1]
// index v's successors in OutAdj (weights in OutW), InStart/InAdj/InW its
// predecessors. Rows are sorted by node id, with no self-loop and no
// duplicate. The I/O adapters use it to save and reload a graph without
// rebuilding it.
type CSR struct {
	N                 int
	OutStart, InStart []int64
	OutAdj, InAdj     []int32
	OutW, InW         []float64
}

// CSR returns the graph's arrays. They are shared with the graph: never
// change them.
func (g *Graph) CSR() CSR {
	return CSR{N: g.n, OutStart: g.outStart, InStart: g.inStart, OutAdj: g.outAdj, InAdj: g.inAdj, OutW: g.outW, InW: g.inW}
}

// FromCSR makes a graph over c's arrays (not copied) after checking that
// every kernel can walk them safely: lengths agree, row starts go from 0 to
// M without decreasing, every row is sorted, without self-loops and with
// ids in 0..N-1, and every node's in-degree is the number of edges that
// point to it. It never panics on bad arrays.
func FromCSR(c CSR) (*Graph, error) {
	if c.N < 0 || len(c.OutStart) != c.N+1 || len(c.InStart) != c.N+1 {
		return nil, errors.New("row starts: wrong length")
	}
	m := len(c.OutAdj)
	if len(c.InAdj) != m || len(c.OutW) != m || len(c.InW) != m {
		return nil, fmt.Errorf("edge arrays of different lengths (%d, %d, %d, %d)", m, len(c.InAdj), len(c.OutW), len(c.InW))
	}
	if err := checkRows(c.N, c.OutStart, c.OutAdj, "out"); err != nil {
		return nil, err
	}
	if err := checkRows(c.N, c.InStart, c.InAdj, "in"); err != nil {
		return nil, err
	}
	// In-degrees must count the out-edges pointing to each node.
	deg := make([]int64, c.N)
	for _, v := range c.OutAdj {
		deg[v]++
	}
	for v := 0; v < c.N; v++ {
		if deg[v] != c.InStart[v+1]-c.InStart[v] {
			return nil, fmt.Errorf("node %d: %d in-edges, but %d out-edges point to it", v, c.InStart[v+1]-c.InStart[v], deg[v])
		}
	}
	// And the in-edges must be the out-edges turned around, weights
	// included: compared by an order-independent fingerprint of each side
	// (one pass over each, both at once), which damage that keeps the
	// counts matches with probability 2⁻⁶⁴.
	var in uint64
	done := make(chan struct{})
	go func() {
		in = edgeFingerprint(c.N, c.InStart, c.InAdj, c.InW, true)
		close(done)
	}()
	out := edgeFingerprint(c.N, c.OutStart, c.OutAdj, c.OutW, false)
	<-done
	if in != out {
		return nil, errors.New("the in-edges do not mirror the out-edges (their nodes or weights differ)")
	}
	return &Graph{n: c.N, outStart: c.OutStart, inStart: c.InStart, outAdj: c.OutAdj, inAdj: c.InAdj, outW: c.OutW, inW: c.InW}, nil
}

// edgeFingerprint sums a hash of every edge (u, v, weight) of the rows;
// in tells that row v lists the sources u (in-rows) instead of targets.
func edgeFingerprint(n int, start []int64, adj []int32, w []float64, in bool) uint64 {
	var sum uint64
	for x := 0; x < n; x++ {
		for j := start[x]; j < start[x+1]; j++ {
			u, v := uint64(x), uint64(adj[j])
			if in {
				u, v = v, u
			}
			sum += splitmix64(splitmix64(u<<32|v) ^ math.Float64bits(w[j]))
		}
	}
	return sum
}

func checkRows(n int, start []int64, adj []int32, side string) error {
	if start[0] != 0 || start[n] != int64(len(adj)) {
		return fmt.Errorf("%s-rows: start %d, end %d, %d edges", side, start[0], start[n], len(adj))
	}
	for v := 0; v < n; v++ {
		a, b := start[v], start[v+1]
		if a > b || b > int64(len(adj)) {
			return fmt.Errorf("%s-row of node %d: bad bounds %d..%d", side, v, a, b)
		}
		last := int32(-1)
		for _, w := range adj[a:b] {
			if w <= last || int(w) >= n || int(w) == v {
				return fmt.Errorf("%s-row of node %d: node %d out of order, out of range or a self-loop", side, v, w)
			}
			last = w
		}
	}
	return nil
}

// BuildStream builds a graph of n nodes from a function that yields the
// edges (called twice: to count, then to fill); release, when not nil, is
// called once the edges have been read for the last time. Parallel edges
// are merged (weights summed), self-loops and edges out of range dropped
// (see Build).
func BuildStream(n int, edges func(yield func(u, v int32, x float64)), release func()) *Graph {
	return buildFrom(n, edges, release)
}
