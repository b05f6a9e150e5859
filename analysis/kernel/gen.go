package kernel

import "math/rand"

// Generate makes a deterministic random supply network of n nodes and about
// m edges: nodes sit in layered stages, out-degrees are heavy-tailed, most
// edges go to the next stage and a few go back (creating cycles). Weights are
// values between 1 and 1000 (thousands of roubles).
func Generate(n, m int, seed int64) (src, dst []int32, w []float64) {
	if n < 2 {
		return nil, nil, nil
	}
	rnd := rand.New(rand.NewSource(seed))
	const layers = 6
	layer := make([]int, n)
	byLayer := make([][]int32, layers)
	for i := range layer {
		f := rnd.Float64()
		layer[i] = min(layers-1, int(f*f*layers))
		byLayer[layer[i]] = append(byLayer[layer[i]], int32(i))
	}
	// Heavy-tailed activity: Pareto-like weights, sampled by a cumulative table.
	cum := make([]float64, n)
	total := 0.0
	for i := range cum {
		total += 1 / (rnd.Float64()*0.999 + 0.001)
		cum[i] = total
	}
	pick := func() int32 {
		x := rnd.Float64() * total
		lo, hi := 0, n-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return int32(lo)
	}
	src, dst, w = make([]int32, 0, m), make([]int32, 0, m), make([]float64, 0, m)
	for len(src) < m {
		u := pick()
		l := layer[u] + 1
		if rnd.Float64() < 0.03 {
			l = layer[u] - 1
		}
		if l < 0 || l >= layers || len(byLayer[l]) == 0 {
			l = rnd.Intn(layers)
			if len(byLayer[l]) == 0 {
				continue
			}
		}
		v := byLayer[l][rnd.Intn(len(byLayer[l]))]
		if v == u {
			continue
		}
		src, dst, w = append(src, u), append(dst, v), append(w, float64(1+rnd.Intn(1000)))
	}
	return src, dst, w
}
