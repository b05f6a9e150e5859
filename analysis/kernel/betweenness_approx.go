package kernel

import (
	"context"
	"math"
	"math/rand"
	"runtime"
	"sync"
	"sync/atomic"
)

// Approx is the result of ApproxBetweennessContext: the estimates and what
// guarantees them.
type Approx struct {
	Values []float64
	// Samples is the number r of sampled shortest paths; Eps and Delta the
	// bound: with probability at least 1−Delta every value is within Eps of
	// the exact normalised betweenness.
	Samples    int
	Eps, Delta float64
	// VertexDiameter is the upper bound on the number of nodes of a
	// shortest path that sets Samples.
	VertexDiameter int
}

// ApproxBetweenness estimates betweenness by sampling shortest paths
// (Riondato and Kornaropoulos, 2016), normalised like Betweenness. It
// returns the estimates and the number of samples; see
// ApproxBetweennessContext for the bound.
func ApproxBetweenness(g *Graph, eps, delta float64, seed int64, workers int) ([]float64, int) {
	a, _ := ApproxBetweennessContext(context.Background(), g, eps, delta, seed, workers, nil)
	return a.Values, a.Samples
}

// SampleSize is Riondato and Kornaropoulos' number of samples for an
// additive error eps with probability 1−delta on a graph whose shortest
// paths have at most vd nodes: r = (c/ε²)(⌊log₂(vd−2)⌋ + 1 + ln(1/δ)),
// c = 0.5.
func SampleSize(eps, delta float64, vd int) int {
	return int(math.Ceil(0.5 / (eps * eps) * (math.Floor(math.Log2(math.Max(float64(vd-2), 1))) + 1 + math.Log(1/delta))))
}

// ApproxBetweennessContext estimates betweenness by sampling shortest paths
// (Riondato and Kornaropoulos, "Fast approximation of betweenness centrality
// through sampling", 2016): r = SampleSize(ε', δ, VD) pairs (s, t) are drawn
// uniformly, one shortest s→t path is drawn uniformly among all of them, and
// each interior node of it gets 1/r. With probability at least 1−δ every
// estimate is within ε' of Σ_{s≠t} σ_st(v)/σ_st / (n(n−1)).
//
// VD is a proven upper bound on the vertex diameter (VertexDiameterBound).
// The estimates are rescaled to networkx's normalisation 1/((n−1)(n−2)),
// which multiplies errors by n/(n−2), so ε' = ε·(n−2)/n: the stated bound ε
// holds for the returned values.
//
// Each path is found by a balanced bidirectional breadth-first search (as in
// KADABRA, Borassi and Natale 2016): the side whose frontier has fewer edges
// grows by one level until the two balls meet, which on heavy-tailed
// networks touches a small part of the graph. Samples are shared among
// workers goroutines (≤0: GOMAXPROCS), each with its own random stream
// derived from seed, so a run is reproducible for a given seed and workers.
func ApproxBetweennessContext(ctx context.Context, g *Graph, eps, delta float64, seed int64, workers int, progress func(frac float64)) (Approx, error) {
	n := g.n
	res := Approx{Eps: eps, Delta: delta}
	if n < 3 {
		res.Values = make([]float64, n)
		return res, nil
	}
	epsRK := eps * float64(n-2) / float64(n)
	comp, k := g.components()
	res.VertexDiameter = vertexDiameterBound(g, comp, k)
	// A pair in different components is connected only if the condensation
	// has a path between them, which needs comp[u] > comp[v] (Tarjan's
	// order) and stage[u] < stage[v]: other pairs are skipped without a
	// search (they count as samples with no path).
	stage := g.stages()
	r := SampleSize(epsRK, delta, res.VertexDiameter)
	res.Samples = r
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	partial := make([][]float64, workers)
	var wg sync.WaitGroup
	var done atomic.Int64
	var stop atomic.Bool
	per := (r + workers - 1) / workers
	for k := 0; k < workers; k++ {
		lo, hi := k*per, min((k+1)*per, r)
		wg.Add(1)
		go func(k, lo, hi int) {
			defer wg.Done()
			rnd := rand.New(rand.NewSource(seed + int64(k)*7919))
			est := make([]float64, n)
			b := newBiBFS(n)
			for i := lo; i < hi && !stop.Load(); i++ {
				u := int32(rnd.Intn(n))
				v := int32(rnd.Intn(n - 1))
				if v >= u {
					v++
				}
				if comp[u] == comp[v] || comp[u] > comp[v] && stage[u] < stage[v] {
					b.samplePath(g, u, v, rnd, est)
				}
				if i%256 == 255 {
					d := done.Add(256)
					if ctx.Err() != nil {
						stop.Store(true)
					}
					if progress != nil && k == 0 {
						progress(math.Min(1, float64(d)/float64(r)))
					}
				}
			}
			partial[k] = est
		}(k, lo, hi)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	out := partial[0]
	for _, p := range partial[1:] {
		for i, x := range p {
			out[i] += x
		}
	}
	scale := float64(n) / float64(n-2) / float64(r)
	for i := range out {
		out[i] *= scale
	}
	res.Values = out
	return res, nil
}

// biBFS holds one worker's buffers for bidirectional path sampling. Both
// searches' distance and path count of a node share one record (one cache
// line), side 0 the forward search from s, side 1 the backward one from t.
type biBFS struct {
	node       []biNode
	touch      [2][]int32
	front      [2][]int32
	next, meet []int32
}

type biNode struct {
	dist [2]int32
	sig  [2]float64
}

func newBiBFS(n int) *biBFS {
	b := &biBFS{node: make([]biNode, n)}
	for i := range b.node {
		b.node[i].dist = [2]int32{-1, -1}
	}
	return b
}

// samplePath draws one shortest s→t path uniformly at random, if t is
// reachable from s, and adds 1 to est of each of its interior nodes.
func (b *biBFS) samplePath(g *Graph, s, t int32, rnd *rand.Rand, est []float64) {
	b.node[s].dist[0], b.node[s].sig[0] = 0, 1
	b.node[t].dist[1], b.node[t].sig[1] = 0, 1
	b.touch[0] = append(b.touch[0][:0], s)
	b.touch[1] = append(b.touch[1][:0], t)
	b.front[0] = append(b.front[0][:0], s)
	b.front[1] = append(b.front[1][:0], t)
	costF := g.outStart[s+1] - g.outStart[s]
	costB := g.inStart[t+1] - g.inStart[t]
	b.meet = b.meet[:0]
	for len(b.front[0]) > 0 && len(b.front[1]) > 0 {
		if costF <= costB {
			costF = b.expand(0, g.outStart, g.outAdj)
		} else {
			costB = b.expand(1, g.inStart, g.inAdj)
		}
		if len(b.meet) > 0 {
			break
		}
	}
	if len(b.meet) > 0 {
		// A shortest path crosses exactly one meeting node w, and
		// σ_st = Σ_w σ_s(w)·σ_t(w): pick w with that weight.
		total := 0.0
		for _, w := range b.meet {
			total += b.node[w].sig[0] * b.node[w].sig[1]
		}
		target := rnd.Float64() * total
		w := b.meet[len(b.meet)-1]
		acc := 0.0
		for _, x := range b.meet {
			acc += b.node[x].sig[0] * b.node[x].sig[1]
			if acc >= target {
				w = x
				break
			}
		}
		if w != s && w != t {
			est[w]++
		}
		// Back to s through the forward tree, forward to t through the
		// backward tree, choosing each step with probability σ/σ.
		b.walk(0, g.inStart, g.inAdj, w, s, rnd, est)
		b.walk(1, g.outStart, g.outAdj, w, t, rnd, est)
	}
	for side := range b.touch {
		for _, x := range b.touch[side] {
			b.node[x].dist[side], b.node[x].sig[side] = -1, 0
		}
	}
}

// expand grows one side by a whole level over adj (with start), the edges
// in that side's direction. New nodes already reached by the other side
// are the meeting nodes. It returns the number of edges the new frontier
// would scan next.
func (b *biBFS) expand(side int, start []int64, adj []int32) int64 {
	other := 1 - side
	front := b.front[side]
	next := b.next[:0]
	nodes := b.node
	d1 := nodes[front[0]].dist[side] + 1
	var cost int64
	for _, x := range front {
		sx := nodes[x].sig[side]
		for _, w := range adj[start[x]:start[x+1]] {
			p := &nodes[w]
			dw := p.dist[side]
			if dw < 0 {
				p.dist[side] = d1
				p.sig[side] = sx
				next = append(next, w)
				cost += start[w+1] - start[w]
				if p.dist[other] >= 0 {
					b.meet = append(b.meet, w)
				}
			} else if dw == d1 {
				p.sig[side] += sx
			}
		}
	}
	b.touch[side] = append(b.touch[side], next...)
	// The old frontier's buffer becomes the next scratch buffer.
	b.next = front[:0]
	b.front[side] = next
	return cost
}

// walk goes from w to the root of one side's search tree over the rows adj
// leading back to it, choosing each previous node p with probability
// σ(p)/σ(current), and counts the nodes passed before the root.
func (b *biBFS) walk(side int, start []int64, adj []int32, w, root int32, rnd *rand.Rand, est []float64) {
	for cur := w; cur != root; {
		want := b.node[cur].dist[side] - 1
		target := rnd.Float64() * b.node[cur].sig[side]
		acc := 0.0
		pick := int32(-1)
		for _, p := range adj[start[cur]:start[cur+1]] {
			if b.node[p].dist[side] == want {
				acc += b.node[p].sig[side]
				pick = p
				if acc >= target {
					break
				}
			}
		}
		if pick < 0 { // cannot happen on a consistent search tree
			return
		}
		if pick != root {
			est[pick]++
		}
		cur = pick
	}
}

// VertexDiameterBound returns a proven upper bound on the vertex diameter
// (the most nodes on any shortest path) in linear time. A shortest path
// crosses the strongly connected components along a path of the
// condensation DAG and, inside each component C, is a shortest path of C;
// inside C, d(x, y) ≤ d(x, c) + d(c, y) for any node c of C, so C's vertex
// diameter is at most ecc_in(c) + ecc_out(c) + 1 (c: C's node of highest
// degree; never more than |C|). The bound is the longest path of the
// condensation weighted by these per-component bounds.
func VertexDiameterBound(g *Graph) int {
	comp, k := SCC(g)
	return vertexDiameterBound(g, comp, k)
}

func vertexDiameterBound(g *Graph, comp []int32, k int) int {
	n := g.n
	if n == 0 {
		return 0
	}
	members := groupByComp(comp, k)
	vd := make([]int32, k)
	dist := make([]int32, n)
	for i := range dist {
		dist[i] = -1
	}
	var queue []int32
	ecc := func(start []int64, adj []int32, c int32, s int32) int32 {
		queue = append(queue[:0], s)
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
		return far
	}
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
		b := ecc(g.outStart, g.outAdj, int32(c), hub) + ecc(g.inStart, g.inAdj, int32(c), hub) + 1
		vd[c] = min(b, int32(len(nodes)))
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
