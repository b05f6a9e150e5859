package kernel

import (
	"math"
	"math/rand"
	"slices"
)

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

// SupplyNetwork is a generated supply network for benchmarks: the edges,
// each node's processing stage (layer) and each edge's value in roubles.
type SupplyNetwork struct {
	N        int
	Src, Dst []int32
	Value    []float64 // RUB/yr
	Layer    []int8
}

// GenerateSupply makes a deterministic, realistic supply network of n nodes
// and exactly m distinct supplier→buyer pairs (when m ≤ n(n−1)/4):
//
//   - layered stages (6 processing stages, more firms upstream than at the
//     final stage), most links going one stage down the chain, some
//     skipping a stage, some inside a stage, and 2% going back up (which
//     makes cycles, as repairs and recycling do);
//   - heavy-tailed out- and in-degrees: every firm has a supplier activity
//     and a buyer attractiveness drawn from a Pareto law with exponent
//     about 2.2, and both ends of a link are drawn proportionally to them;
//   - log-normal values (median 2 million RUB/yr, scaled by both firms'
//     size).
func GenerateSupply(n, m int, seed int64) *SupplyNetwork {
	net := &SupplyNetwork{N: n}
	if n < 2 {
		return net
	}
	m = min(m, n*(n-1)/4)
	rnd := rand.New(rand.NewSource(seed))
	const layers = 6
	f := drawSupplyFirms(net, rnd, layers)
	byLayer, outCum, inCum, outTot, size := f.byLayer, f.outCum, f.inCum, f.outTot, f.size
	draw := func(cum []float64) int {
		x := rnd.Float64() * cum[len(cum)-1]
		lo, hi := 0, len(cum)-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
	layerCum := make([]float64, layers) // choose the supplier's stage by activity
	acc := 0.0
	for l := 0; l < layers-1; l++ { // the final stage supplies only back up or sideways
		acc += outTot[l]
		layerCum[l] = acc
	}
	layerCum[layers-1] = acc + 0.02*outTot[layers-1]
	keys := make([]uint64, 0, m+m/8)
	for len(keys) < m {
		for need := m - len(keys) + m/50 + 16; need > 0; need-- {
			l := draw(layerCum)
			if len(byLayer[l]) == 0 {
				continue
			}
			u := byLayer[l][draw(outCum[l])]
			r := rnd.Float64()
			tl := l + 1
			switch {
			case r < 0.02:
				tl = l - 1
			case r < 0.10:
				tl = l
			case r < 0.20:
				tl = l + 2
			}
			if tl < 0 || tl >= layers || len(byLayer[tl]) == 0 {
				tl = min(l+1, layers-1)
				if len(byLayer[tl]) == 0 {
					continue
				}
			}
			v := byLayer[tl][draw(inCum[tl])]
			if u == v {
				continue
			}
			keys = append(keys, uint64(u)<<32|uint64(v))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
	}
	rnd.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	keys = keys[:m]
	net.Src, net.Dst, net.Value = make([]int32, m), make([]int32, m), make([]float64, m)
	for i, k := range keys {
		u, v := int32(k>>32), int32(k&0xffffffff)
		net.Src[i], net.Dst[i] = u, v
		val := 2e6 * math.Exp(rnd.NormFloat64()*1.2) * math.Pow(size[u]*size[v], 0.25)
		net.Value[i] = math.Round(val/1000) * 1000
	}
	return net
}

// supplyFirms are GenerateSupply's firms: stage, size, and per stage the
// firms with their cumulative supplier activity and buyer attractiveness.
type supplyFirms struct {
	size          []float64
	byLayer       [][]int32
	outCum, inCum [][]float64 // cumulative supplier activity / buyer attractiveness per stage
	outTot        []float64   // total supplier activity per stage
}

// drawSupplyFirms draws every firm's stage (net.Layer), size, activity and
// attractiveness.
func drawSupplyFirms(net *SupplyNetwork, rnd *rand.Rand, layers int) supplyFirms {
	n := net.N
	share := []float64{0.28, 0.24, 0.19, 0.14, 0.10, 0.05} // firms per stage
	net.Layer = make([]int8, n)
	f := supplyFirms{size: make([]float64, n), byLayer: make([][]int32, layers),
		outCum: make([][]float64, layers), inCum: make([][]float64, layers), outTot: make([]float64, layers)}
	for i := 0; i < n; i++ {
		x, l := rnd.Float64(), 0
		for acc := share[0]; x > acc && l < layers-1; {
			l++
			acc += share[l]
		}
		net.Layer[i] = int8(l)
		f.byLayer[l] = append(f.byLayer[l], int32(i))
		f.size[i] = math.Pow(1-rnd.Float64(), -1/1.2) // Pareto, α = 1.2
		out := math.Pow(1-rnd.Float64(), -1/1.2) * math.Sqrt(f.size[i])
		in := math.Pow(1-rnd.Float64(), -1/1.2) * math.Sqrt(f.size[i])
		c := 0.0
		if k := len(f.outCum[l]); k > 0 {
			c = f.outCum[l][k-1]
		}
		f.outCum[l] = append(f.outCum[l], c+out)
		c = 0
		if k := len(f.inCum[l]); k > 0 {
			c = f.inCum[l][k-1]
		}
		f.inCum[l] = append(f.inCum[l], c+in)
	}
	for l := range f.outCum {
		if k := len(f.outCum[l]); k > 0 {
			f.outTot[l] = f.outCum[l][k-1]
		}
	}
	return f
}
