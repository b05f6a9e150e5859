package kernel

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// PageRank computes PageRank with networkx's convention: damping alpha,
// uniform teleport, each node's out-edges normalised by its weighted
// out-strength, nodes with zero out-strength dangling (their mass spread
// uniformly) and a uniform start. It iterates until Σ|x − x_last| < tol —
// stricter than networkx's N·tol, so that results agree with a fully
// converged reference to about 10·tol.
// weighted=false gives every edge weight 1. It returns the vector (summing
// to 1) and the number of iterations.
func PageRank(g *Graph, alpha, tol float64, maxIter int, weighted bool) ([]float64, int, error) {
	n := g.n
	if n == 0 {
		return nil, 0, nil
	}
	strength := make([]float64, n)
	for u := 0; u < n; u++ {
		adj, w := g.Out(int32(u))
		if !weighted {
			strength[u] = float64(len(adj))
			continue
		}
		for _, x := range w {
			strength[u] += x
		}
	}
	inv := make([]float64, n)
	var dangling []int32
	for u := 0; u < n; u++ {
		if strength[u] > 0 {
			inv[u] = 1 / strength[u]
		} else {
			dangling = append(dangling, int32(u))
		}
	}
	x := make([]float64, n)
	next := make([]float64, n)
	contrib := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	workers := runtime.GOMAXPROCS(0)
	if n < 4096 {
		workers = 1
	}
	chunk := (n + workers - 1) / workers
	errs := make([]float64, workers)
	for it := 1; it <= maxIter; it++ {
		dsum := 0.0
		for _, u := range dangling {
			dsum += x[u]
		}
		base := (alpha*dsum + (1 - alpha)) / float64(n)
		for u := 0; u < n; u++ {
			contrib[u] = x[u] * inv[u]
		}
		var wg sync.WaitGroup
		for k := 0; k < workers; k++ {
			lo, hi := k*chunk, min((k+1)*chunk, n)
			wg.Add(1)
			go func(k, lo, hi int) {
				defer wg.Done()
				e := 0.0
				for v := lo; v < hi; v++ {
					a, b := g.inStart[v], g.inStart[v+1]
					s := 0.0
					if weighted {
						for j := a; j < b; j++ {
							s += contrib[g.inAdj[j]] * g.inW[j]
						}
					} else {
						for j := a; j < b; j++ {
							s += contrib[g.inAdj[j]]
						}
					}
					nv := alpha*s + base
					e += math.Abs(nv - x[v])
					next[v] = nv
				}
				errs[k] = e
			}(k, lo, hi)
		}
		wg.Wait()
		x, next = next, x
		total := 0.0
		for _, e := range errs[:workers] {
			total += e
		}
		if total < tol {
			return x, it, nil
		}
	}
	return x, maxIter, fmt.Errorf("pagerank did not converge in %d iterations", maxIter)
}
