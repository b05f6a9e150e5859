package kernel

import (
	"math"
	"math/rand"
	"runtime"
	"sync"
	"sync/atomic"
)

// Betweenness computes exact betweenness centrality with Brandes' algorithm
// on the directed, unweighted graph, normalised like networkx
// betweenness_centrality(G, normalized=True) on a DiGraph: by
// 1/((n−1)(n−2)) when n > 2. Sources are shared among workers goroutines
// (≤0: GOMAXPROCS), each with its own buffers.
func Betweenness(g *Graph, workers int) []float64 {
	n := g.n
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n < 64 {
		workers = 1
	}
	partial := make([][]float64, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			bc := make([]float64, n)
			b := newBFS(n)
			for {
				s := int(next.Add(1) - 1)
				if s >= n {
					break
				}
				if g.outStart[s] == g.outStart[s+1] {
					continue // a sink reaches nobody: no dependencies
				}
				b.accumulate(g, int32(s), bc)
			}
			partial[k] = bc
		}(k)
	}
	wg.Wait()
	bc := partial[0]
	for _, p := range partial[1:] {
		for i, x := range p {
			bc[i] += x
		}
	}
	if n > 2 {
		scale := 1 / float64((n-1)*(n-2))
		for i := range bc {
			bc[i] *= scale
		}
	}
	return bc
}

// bfs holds one worker's buffers for Brandes' single-source step.
type bfs struct {
	sigma []float64
	dist  []int32
	delta []float64
	order []int32 // nodes in order of discovery (the Brandes stack)
}

func newBFS(n int) *bfs {
	b := &bfs{sigma: make([]float64, n), dist: make([]int32, n), delta: make([]float64, n), order: make([]int32, 0, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// accumulate adds source s's dependencies to bc and leaves the buffers clean.
func (b *bfs) accumulate(g *Graph, s int32, bc []float64) {
	b.order = b.order[:0]
	b.sigma[s], b.dist[s] = 1, 0
	b.order = append(b.order, s)
	for head := 0; head < len(b.order); head++ {
		v := b.order[head]
		dv := b.dist[v]
		for j := g.outStart[v]; j < g.outStart[v+1]; j++ {
			w := g.outAdj[j]
			if b.dist[w] < 0 {
				b.dist[w] = dv + 1
				b.order = append(b.order, w)
			}
			if b.dist[w] == dv+1 {
				b.sigma[w] += b.sigma[v]
			}
		}
	}
	for i := len(b.order) - 1; i >= 0; i-- {
		w := b.order[i]
		dw := b.dist[w]
		coeff := (1 + b.delta[w]) / b.sigma[w]
		for j := g.inStart[w]; j < g.inStart[w+1]; j++ {
			v := g.inAdj[j]
			if b.dist[v] == dw-1 {
				b.delta[v] += b.sigma[v] * coeff
			}
		}
		if w != s {
			bc[w] += b.delta[w]
		}
	}
	for _, v := range b.order {
		b.sigma[v], b.dist[v], b.delta[v] = 0, -1, 0
	}
}

// ApproxBetweenness estimates betweenness by sampling shortest paths
// (Riondato and Kornaropoulos, 2016): r = (c/ε²)(⌊log₂(VD−2)⌋ + 1 + ln(1/δ))
// pairs with c = 0.5 and VD an upper bound on the vertex diameter; with
// probability at least 1−δ every estimate is within ε of the exact value.
// Values are normalised like Betweenness. It returns the estimates and r.
func ApproxBetweenness(g *Graph, eps, delta float64, seed int64, workers int) ([]float64, int) {
	n := g.n
	if n < 3 {
		return make([]float64, n), 0
	}
	// The estimate is of Σ σ_st(v)/σ_st / (n(n−1)); rescaling it to networkx's
	// 1/((n−1)(n−2)) multiplies errors by n/(n−2), so sample for ε·(n−2)/n.
	epsRK := eps * float64(n-2) / float64(n)
	vd := vertexDiameterBound(g, seed)
	r := int(math.Ceil(0.5 / (epsRK * epsRK) * (math.Floor(math.Log2(math.Max(float64(vd-2), 1))) + 1 + math.Log(1/delta))))
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	partial := make([][]float64, workers)
	var wg sync.WaitGroup
	per := (r + workers - 1) / workers
	for k := 0; k < workers; k++ {
		lo, hi := k*per, min((k+1)*per, r)
		wg.Add(1)
		go func(k, lo, hi int) {
			defer wg.Done()
			rnd := rand.New(rand.NewSource(seed + int64(k)*7919))
			est := make([]float64, n)
			b := newBFS(n)
			for i := lo; i < hi; i++ {
				u := int32(rnd.Intn(n))
				v := int32(rnd.Intn(n - 1))
				if v >= u {
					v++
				}
				b.samplePath(g, u, v, rnd, est)
			}
			partial[k] = est
		}(k, lo, hi)
	}
	wg.Wait()
	out := make([]float64, n)
	for _, p := range partial {
		for i, x := range p {
			out[i] += x
		}
	}
	scale := float64(n) / float64(n-2) / float64(r)
	for i := range out {
		out[i] *= scale
	}
	return out, r
}

// samplePath runs a BFS from u until v's level is complete, then walks back
// from v choosing each predecessor with probability σ_p/σ_w (a uniformly
// random shortest path) and counts its interior nodes.
func (b *bfs) samplePath(g *Graph, u, v int32, rnd *rand.Rand, est []float64) {
	b.order = b.order[:0]
	b.sigma[u], b.dist[u] = 1, 0
	b.order = append(b.order, u)
	found := false
	for head := 0; head < len(b.order); head++ {
		x := b.order[head]
		dx := b.dist[x]
		if found && dx >= b.dist[v] {
			break
		}
		for j := g.outStart[x]; j < g.outStart[x+1]; j++ {
			w := g.outAdj[j]
			if b.dist[w] < 0 {
				b.dist[w] = dx + 1
				b.order = append(b.order, w)
			}
			if b.dist[w] == dx+1 {
				b.sigma[w] += b.sigma[x]
				if w == v {
					found = true
				}
			}
		}
	}
	if found {
		w := v
		for {
			// Choose a predecessor of w on a shortest path.
			target := rnd.Float64() * b.sigma[w]
			var pick int32 = -1
			acc := 0.0
			for j := g.inStart[w]; j < g.inStart[w+1]; j++ {
				p := g.inAdj[j]
				if b.dist[p] >= 0 && b.dist[p] == b.dist[w]-1 {
					acc += b.sigma[p]
					pick = p
					if acc >= target {
						break
					}
				}
			}
			if pick < 0 || pick == u {
				break
			}
			est[pick]++
			w = pick
		}
	}
	for _, x := range b.order {
		b.sigma[x], b.dist[x] = 0, -1
	}
}

// vertexDiameterBound bounds the vertex diameter (nodes on the longest
// shortest path) from above: for a few start nodes, the farthest forward
// plus the farthest backward BFS distance, plus one, maximised.
func vertexDiameterBound(g *Graph, seed int64) int {
	rnd := rand.New(rand.NewSource(seed))
	best := 2
	rev := g.Reverse()
	for i := 0; i < 4; i++ {
		s := int32(rnd.Intn(g.n))
		f := eccentricity(g, s)
		b := eccentricity(rev, s)
		if f+b+1 > best {
			best = f + b + 1
		}
	}
	return best
}

func eccentricity(g *Graph, s int32) int {
	dist := make([]int32, g.n)
	for i := range dist {
		dist[i] = -1
	}
	dist[s] = 0
	queue := []int32{s}
	far := 0
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		adj, _ := g.Out(x)
		for _, w := range adj {
			if dist[w] < 0 {
				dist[w] = dist[x] + 1
				if int(dist[w]) > far {
					far = int(dist[w])
				}
				queue = append(queue, w)
			}
		}
	}
	return far
}
