package kernel

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Approx is the result of ApproxBetweennessContext: the estimates and what
// guarantees them.
type Approx struct {
	Values []float64
	// Samples is the number τ of sampled shortest paths the estimates
	// average over: the adaptive phase stopped after τ. MaxSamples is ω,
	// the most it would have drawn, and PreSamples the paths drawn first
	// to share out δ among the nodes (not part of the estimates).
	Samples, MaxSamples, PreSamples int
	// Eps and Delta are the bound: with probability at least 1−Delta
	// every value is within Eps of the exact normalised betweenness.
	Eps, Delta float64
	// VertexDiameter is the upper bound on the number of nodes of a
	// shortest path that sets MaxSamples.
	VertexDiameter int
	// PrepSeconds is the time taken before the first sample: the bound,
	// the search copy and its buffers (and the components and stages, if
	// the graph did not know them yet).
	PrepSeconds float64
}

// Method says how the values were computed, for a report's summary.
func (a Approx) Method() string {
	return fmt.Sprintf("approximate (KADABRA adaptive sampling, ε=%g, δ=%g, %d of at most %d samples)", a.Eps, a.Delta, a.Samples, a.MaxSamples)
}

// ApproxBetweenness estimates betweenness by sampling shortest paths,
// normalised like Betweenness. It returns the estimates and the number of
// samples they average over; see ApproxBetweennessContext for the bound.
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

// Random streams of the two phases: every sample has its own generator,
// seeded by (seed, stream, index), so the result does not depend on which
// worker draws which sample.
const (
	preStream  = 1
	mainStream = 2
)

// ApproxBetweennessContext estimates betweenness by adaptive sampling of
// shortest paths: KADABRA (Borassi and Natale, "KADABRA is an ADaptive
// Algorithm for Betweenness via Random Approximation", ESA 2016 and ACM
// JEA 24, 2019), all-nodes absolute-error variant. A sample draws a pair
// (s, t), s ≠ t, uniformly and one shortest s→t path uniformly among all
// of them (none if t is unreachable); b̃(v) is the fraction of the τ
// samples whose path has v inside. Its expectation is
// b(v) = Σ_{s≠t} σ_st(v)/σ_st / (n(n−1)).
//
// The guarantee is the paper's correctness theorem for its Algorithm 1:
// with λ the error, ω = SampleSize(λ, δ/2, VD) (Riondato–Kornaropoulos'
// bound for failure probability δ/2; VD a proven vertex-diameter bound,
// VertexDiameterBound) and per-node failure probabilities δ_L(v), δ_U(v)
// fixed before the adaptive phase with Σ_v δ_L(v) + δ_U(v) ≤ δ/2, the
// algorithm samples until τ = ω or until, for every node v,
// f(b̃(v), δ_L(v), ω, τ) ≤ λ and g(b̃(v), δ_U(v), ω, τ) ≤ λ (kadabraF,
// kadabraG); then with probability at least 1−δ every |b̃(v) − b(v)| ≤ λ.
// The union bound is the paper's: δ/2 for stopping at ω, δ/2 shared among
// the 2n one-sided tail events. The rule is checked after rounds of
// samples, which is a stopping time like checking after every sample.
//
// δ/2 is shared out (allocateDelta) from a pre-sampling phase of
// PreSamples paths drawn from an independent stream and then discarded,
// as in the paper: the nodes that pre-sampling finds central get most of
// it, so that they stop early; every node keeps a floor.
//
// The estimates are rescaled to networkx's normalisation 1/((n−1)(n−2)),
// which multiplies errors by n/(n−2), so λ = ε·(n−2)/n: the stated bound ε
// holds for the returned values.
//
// Each path is found by a balanced bidirectional breadth-first search (the
// paper's): the side whose frontier has fewer edges grows by one level
// until the two balls meet, which on heavy-tailed networks touches a small
// part of the graph. A pair in different strongly connected components is
// connected only if the condensation has a path between them, which needs
// comp[s] > comp[t] (Tarjan's order) and stage[s] < stage[t]: other pairs
// count as samples with no path, without a search. The searches run on a
// renumbered copy of the graph (searchOrder, renumbered) in which the
// nodes no s→t path can pass through are outside the part of each row
// they scan (biBFS.samplePath); TestSamplePathFindsAllShortestPaths checks
// on every pair that they still count all shortest paths. Samples are
// shared among workers goroutines (≤0: GOMAXPROCS); the result depends
// only on seed (not on workers).
func ApproxBetweennessContext(ctx context.Context, g *Graph, eps, delta float64, seed int64, workers int, progress func(frac float64)) (Approx, error) {
	n := g.n
	res := Approx{Eps: eps, Delta: delta}
	if n < 3 {
		res.Values = make([]float64, n)
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	t0 := time.Now()
	lambda := eps * float64(n-2) / float64(n)
	comp, k := g.components()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	stage := g.stages()
	// The bound and the renumbered copy are independent: in parallel.
	vd := make(chan int)
	go func() { vd <- vertexDiameterBound(g, comp, k, stage) }()
	order, firstInner := searchOrder(g, stage)
	sg, err := renumbered(g, order, firstInner[len(firstInner)-1], workers)
	res.VertexDiameter = <-vd
	if err != nil {
		return res, err
	}
	omega := SampleSize(lambda, delta/2, res.VertexDiameter)
	res.MaxSamples = omega
	s := newPathSampler(sg, g, order, firstInner, comp, stage, seed, workers)
	res.PrepSeconds = time.Since(t0).Seconds()
	res.PreSamples = max(omega/preDivisor, 1)
	if err := s.run(ctx, preStream, 0, res.PreSamples); err != nil {
		return res, err
	}
	nodes, counts := s.takeCounts()
	share := allocateDelta(nodes, counts, res.PreSamples, omega, lambda, delta, n)
	tau, step := 0, max(omega/roundDivisor, 1)
	next := min(omega, max(share.firstCheck(lambda, float64(omega)), step))
	for {
		if err := s.run(ctx, mainStream, tau, next); err != nil {
			return res, err
		}
		tau = next
		if progress != nil {
			progress(float64(tau) / float64(omega))
		}
		if tau >= omega || share.done(s.count, s.touchedNodes(), lambda, float64(omega), float64(tau)) {
			break
		}
		next = min(omega, tau+step)
	}
	res.Samples = tau
	res.Values = make([]float64, n)
	scale := float64(n) / float64(n-2) / float64(tau)
	for v, c := range s.count {
		res.Values[order[v]] = float64(c) * scale
	}
	return res, nil
}

// preDivisor sets the pre-sampling phase to ω/preDivisor paths (the
// paper's default), roundDivisor the adaptive phase's rounds to
// ω/roundDivisor paths between checks of the stopping rule.
const (
	preDivisor   = 100
	roundDivisor = 100
)

// kadabraF is Borassi and Natale's f: with probability at least 1−δ_L the
// true value is at least b̃ − f (lnInv = ln(1/δ_L), b̃ the estimate after τ
// of at most ω samples). Never more than b̃, since b ≥ 0.
func kadabraF(bt, lnInv, omega, tau float64) float64 {
	a := omega/tau - 1.0/3
	e := lnInv / tau * (-a + math.Sqrt(a*a+2*bt*omega/lnInv))
	return min(e, bt)
}

// kadabraG is Borassi and Natale's g: with probability at least 1−δ_U the
// true value is at most b̃ + g (lnInv = ln(1/δ_U)). Never more than 1 − b̃,
// since b ≤ 1.
func kadabraG(bt, lnInv, omega, tau float64) float64 {
	a := omega/tau + 1.0/3
	e := lnInv / tau * (a + math.Sqrt(a*a+2*bt*omega/lnInv))
	return min(e, 1-bt)
}

// deltaShare holds ln(1/δ_L(v)) and ln(1/δ_U(v)): nodes not found by
// pre-sampling share the floor lnBase; node v found by it has its own
// values at lnL[slot[v]], lnU[slot[v]].
type deltaShare struct {
	lnBase   float64
	slot     []int32
	lnL, lnU []float64
}

// lnNeedL and lnNeedU are the largest ln(1/δ) with which a node whose
// estimate is b passes f ≤ λ (g ≤ λ) after τ of ω samples, from solving
// f = λ (g = λ) for ln(1/δ): λ²τ²/(2bω − 2(ω/τ − 1/3)λτ) and
// λ²τ²/(2bω + 2(ω/τ + 1/3)λτ). f never exceeds λ when its denominator is
// not positive: +Inf.
func lnNeedL(b, lambda, omega, tau float64) float64 {
	d := 2*b*omega - 2*(omega/tau-1.0/3)*lambda*tau
	if d <= 0 || b <= lambda {
		return math.Inf(1)
	}
	return lambda * lambda * tau * tau / d
}

func lnNeedU(b, lambda, omega, tau float64) float64 {
	return lambda * lambda * tau * tau / (2*b*omega + 2*(omega/tau+1.0/3)*lambda*tau)
}

// allocateDelta shares δ/2 among the 2n tail events (a heuristic: any
// split summing to at most δ/2 keeps the guarantee, a good one stops
// sooner). A fraction β gives every δ_L(v) and δ_U(v) the floor
// βδ/(4n); the rest goes to the nodes pre-sampling found (count c of α
// pre-samples, b taken one standard deviation high, (c + √c)/α), in
// proportion to the δ each needs to pass at the smallest τ* at which the
// needs fit in (1−β)δ/2. β is chosen among powers of two so that τ* and
// the τ at which a node never sampled passes are as small as possible.
func allocateDelta(nodes []int32, counts []uint32, alpha, omegaInt int, lambda, delta float64, n int) *deltaShare {
	omega := float64(omegaInt)
	b := make([]float64, len(nodes))
	for i, c := range counts {
		b[i] = (float64(c) + math.Sqrt(float64(c))) / float64(alpha)
	}
	need := func(tau float64, each func(i int, eL, eU float64)) float64 {
		sum := 0.0
		for i, x := range b {
			eL, eU := math.Exp(-lnNeedL(x, lambda, omega, tau)), math.Exp(-lnNeedU(x, lambda, omega, tau))
			if each != nil {
				each(i, eL, eU)
			}
			sum += eL + eU
		}
		return sum
	}
	// tauFor is the smallest τ ≤ ω (to within 1) at which the needs fit in
	// budget (ω if they never do).
	tauFor := func(budget float64) float64 {
		lo, hi := 1.0, omega
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if need(mid, nil) <= budget {
				hi = mid
			} else {
				lo = mid
			}
		}
		return hi
	}
	half := delta / 2 * (1 - 1e-9) // rounding headroom
	bestBeta, bestTau := 1.0, math.Inf(1)
	for beta := 1.0; beta >= 1.0/1024; beta /= 2 {
		tauNodes := omega
		if beta < 1 && len(b) > 0 {
			tauNodes = tauFor((1 - beta) * half)
		}
		tau := max(tauNodes, zeroPassTau(math.Log(2*float64(n)/(beta*half)), lambda, omega))
		if tau < bestTau {
			bestBeta, bestTau = beta, tau
		}
	}
	floor := bestBeta * half / (2 * float64(n))
	s := &deltaShare{lnBase: math.Log(1 / floor)}
	if bestBeta == 1 || len(b) == 0 {
		return s
	}
	s.slot = make([]int32, n)
	for i := range s.slot {
		s.slot[i] = -1
	}
	s.lnL, s.lnU = make([]float64, len(b)), make([]float64, len(b))
	tauStar := tauFor((1 - bestBeta) * half)
	total := need(tauStar, nil)
	rest := (1 - bestBeta) * half
	equal := total == 0 // every need underflowed: share equally
	if equal {
		total = 2 * float64(len(b))
	}
	need(tauStar, func(i int, eL, eU float64) {
		if equal {
			eL, eU = 1, 1
		}
		s.slot[nodes[i]] = int32(i)
		s.lnL[i] = -math.Log(floor + rest*eL/total)
		s.lnU[i] = -math.Log(floor + rest*eU/total)
	})
	return s
}

// zeroPassTau is the smallest τ at which a node never sampled (b̃ = 0)
// passes g ≤ λ with ln(1/δ_U) = lnInv: the root of
// λτ² − (2/3)·lnInv·τ − 2·lnInv·ω = 0.
func zeroPassTau(lnInv, lambda, omega float64) float64 {
	a, bq := lambda, 2.0/3*lnInv
	return (bq + math.Sqrt(bq*bq+8*a*lnInv*omega)) / (2 * a)
}

// firstCheck is the first τ worth checking: no τ before every node never
// sampled passes.
func (s *deltaShare) firstCheck(lambda, omega float64) int {
	return int(math.Ceil(zeroPassTau(s.lnBase, lambda, omega)))
}

func (s *deltaShare) ln(v int32) (lnL, lnU float64) {
	if s.slot == nil || s.slot[v] < 0 {
		return s.lnBase, s.lnBase
	}
	i := s.slot[v]
	return s.lnL[i], s.lnU[i]
}

// done reports whether the stopping rule holds after τ samples: f ≤ λ and
// g ≤ λ for every node. f and g grow with b̃ and with ln(1/δ), and no
// node's ln(1/δ) exceeds the floor's: a node counted at most c0 times
// passes if one with the floor and c0 counts does, nodes with no sample
// (c0 = 0) included. Only the others are checked one by one.
func (s *deltaShare) done(count []uint32, touched []int32, lambda, omega, tau float64) bool {
	passes := func(c int, lnL, lnU float64) bool {
		bt := float64(c) / tau
		return kadabraF(bt, lnL, omega, tau) <= lambda && kadabraG(bt, lnU, omega, tau) <= lambda
	}
	if !passes(0, s.lnBase, s.lnBase) {
		return false
	}
	// c0: the largest count that passes with the floor (binary search),
	// below (1−λ)τ: above, g's cap 1 − b̃ makes passing not monotone.
	lo, hi := 0, int(math.Ceil((1-lambda)*tau))
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; passes(mid, s.lnBase, s.lnBase) {
			lo = mid
		} else {
			hi = mid
		}
	}
	c0 := uint32(lo)
	for _, v := range touched {
		if c := count[v]; c > c0 {
			if lnL, lnU := s.ln(v); !passes(int(c), lnL, lnU) {
				return false
			}
		}
	}
	return true
}

// pathSampler draws samples on workers goroutines, each with its own
// search buffers, into one count per node (atomic adds: the counts do not
// depend on the order).
type pathSampler struct {
	g           *Graph // the search copy (renumbered)
	orig        *Graph
	order       []int32 // g's node i is node order[i] of the caller's graph
	comp, stage []int32
	seed        uint64
	bufs        []*biBFS
	count       []uint32
	touched     [][]int32 // per worker: nodes whose count it raised from 0
	all         []int32   // touchedNodes' buffer
}

func newPathSampler(g, orig *Graph, order, firstInner, comp, stage []int32, seed int64, workers int) *pathSampler {
	s := &pathSampler{g: g, orig: orig, order: order, comp: comp, stage: stage, seed: uint64(seed), count: make([]uint32, g.n)}
	s.bufs = make([]*biBFS, workers)
	s.touched = make([][]int32, workers)
	stage16, tag := searchLabels(order, comp, stage)
	for k := range s.bufs {
		s.bufs[k] = newBiBFS(g, stage16, tag, order, stage, firstInner)
	}
	return s
}

// searchLabels returns the stage (capped, see biNode) and the component
// tag of every node by the search copy's ids.
func searchLabels(order, comp, stage []int32) ([]uint16, []uint16) {
	k := int32(0)
	for _, c := range comp {
		k = max(k, c+1)
	}
	// ids[c]: the tag of component c, numbered in increasing c.
	ids := make([]uint16, k)
	for _, c := range comp {
		if ids[c] < 2 {
			ids[c]++
		}
	}
	next := 1
	for c, x := range ids {
		if x < 2 {
			ids[c] = noTag
			continue
		}
		ids[c] = uint16(min(next, manyTags))
		next++
	}
	stage16, tag := make([]uint16, len(order)), make([]uint16, len(order))
	for i, v := range order {
		stage16[i] = cap16(stage[v])
		tag[i] = ids[comp[v]]
	}
	return stage16, tag
}

// splitmix64 is Steele, Lea and Flood's mixing function.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// run draws samples lo..hi−1 of stream, shared among the workers in
// chunks, and stops with ctx's error when ctx is cancelled.
func (s *pathSampler) run(ctx context.Context, stream uint64, lo, hi int) error {
	const chunk = 16
	var next atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	for k, b := range s.bufs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(chunk)) - chunk
				if i >= hi {
					return
				}
				for j := i; j < min(i+chunk, hi); j++ {
					s.sample(k, b, stream, j)
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// sample draws sample i of stream and counts the interior nodes of its
// path.
func (s *pathSampler) sample(k int, b *biBFS, stream uint64, i int) {
	h := splitmix64(splitmix64(s.seed^stream<<56) ^ uint64(i))
	b.pcg.Seed(h, splitmix64(h))
	n := s.g.n
	u := int32(b.rnd.IntN(n))
	v := int32(b.rnd.IntN(n - 1))
	if v >= u {
		v++
	}
	ou, ov := s.order[u], s.order[v]
	if cu, cv := s.comp[ou], s.comp[ov]; cu != cv && (cu < cv || s.stage[ou] >= s.stage[ov]) {
		return
	}
	if _, ok := slices.BinarySearch(s.orig.outAdj[s.orig.outStart[ou]:s.orig.outStart[ou+1]], ov); ok {
		return // the only shortest path is the edge: no interior node
	}
	b.path = b.path[:0]
	b.samplePath(s.g, u, v, b.rnd)
	for _, w := range b.path {
		if atomic.AddUint32(&s.count[w], 1) == 1 {
			s.touched[k] = append(s.touched[k], w)
		}
	}
}

// touchedNodes lists the nodes with a count (each once), in a buffer
// reused by the next call.
func (s *pathSampler) touchedNodes() []int32 {
	all := s.all[:0]
	for _, t := range s.touched {
		all = append(all, t...)
	}
	s.all = all
	return all
}

// takeCounts returns the nodes with a count, in increasing order, and
// their counts, and clears them.
func (s *pathSampler) takeCounts() ([]int32, []uint32) {
	nodes := slices.Clone(s.touchedNodes())
	slices.Sort(nodes)
	counts := make([]uint32, len(nodes))
	for i, v := range nodes {
		counts[i] = s.count[v]
		s.count[v] = 0
	}
	for k := range s.touched {
		s.touched[k] = s.touched[k][:0]
	}
	return nodes, counts
}

// biBFS holds one worker's buffers for bidirectional path sampling. Both
// searches' distance and path count of a node share one 32-byte record
// (half a cache line) with its degrees, side 0 the forward search from s,
// side 1 the backward one from t.
//
// A distance is stored as base + d: values below base are left over from
// earlier searches and mean "not reached", so nothing is cleared between
// searches; base moves past the deepest level after each one.
type biBFS struct {
	pcg  *rand.PCG
	rnd  *rand.Rand
	path []int32 // interior nodes of the last sampled path
	node []biNode
	base int32
	// order (new id → the graph's), the graph's stages and firstInner:
	// see searchOrder
	order, stage, firstInner []int32
	// the new ids a side may pass through: lo[side] ≤ w < hi[side]
	lo, hi [2]int32
	// the other side's root: a node of its stage must share its component
	end [2]int32
	// touch[side] lists the nodes reached, level by level: level d is
	// touch[side][level[side][d]:level[side][d+1]].
	touch      [2][]int32
	level      [2][]int
	front      [2][]int32
	next, meet []int32
	batch      struct {
		w   [128]int32
		sig [128]float64
	}
	sink int32
}

type biNode struct {
	dist [2]int32
	sig  [2]float64
	// out-degree (what side 0 scans next) and in-degree, which only
	// balance the searches, and the processing stage, capped at 65535
	// (a capped stage is never compared for equality).
	deg   [2]uint16
	stage uint16
	// tag names the node's strongly connected component if it has more
	// than one node: noTag for one node alone, manyTags past 65534 of
	// them (then unknown).
	tag uint16
}

const (
	noTag    = 0
	manyTags = math.MaxUint16
)

// mayShare reports whether the records' nodes may be in one component:
// false only when their tags prove otherwise (two different nodes alone,
// or two different named components).
func mayShare(a, b *biNode) bool {
	return a.tag == manyTags || b.tag == manyTags || a.tag == b.tag && a.tag != noTag
}

func cap16[T int32 | int64](x T) uint16 { return uint16(min(x, math.MaxUint16)) }

// newBiBFS makes a worker's buffers for the search copy g: stage16 and tag
// by g's ids (searchLabels), order, stage and firstInner as searchOrder
// made them.
func newBiBFS(g *Graph, stage16, tag []uint16, order, stage, firstInner []int32) *biBFS {
	pcg := rand.NewPCG(0, 0)
	b := &biBFS{pcg: pcg, rnd: rand.New(pcg), node: make([]biNode, g.n), base: 1, order: order, stage: stage, firstInner: firstInner}
	for i := range b.node {
		b.node[i].deg = [2]uint16{cap16(g.outStart[i+1] - g.outStart[i]), cap16(g.inStart[i+1] - g.inStart[i])}
		b.node[i].stage = stage16[i]
		b.node[i].tag = tag[i]
	}
	return b
}

// samplePath draws one shortest s→t path uniformly at random, if t is
// reachable from s, and appends its interior nodes to b.path.
func (b *biBFS) samplePath(g *Graph, s, t int32, rnd *rand.Rand) {
	if b.base > math.MaxInt32-int32(len(b.node))-2 {
		for i := range b.node {
			b.node[i].dist = [2]int32{}
		}
		b.base = 1
	}
	// Nodes on no s→t path are left out. Interior nodes of a path have
	// inputs and outputs, and stages grow along every edge between
	// components: the forward search passes only through inner nodes of
	// stage ≤ stage(t), the backward one through those of stage ≥
	// stage(s) (ranges of the new ids, searchOrder), and a node of the
	// other root's stage outside its component is dropped.
	b.lo = [2]int32{0, b.firstInner[b.stage[b.order[s]]]}
	b.hi = [2]int32{b.firstInner[b.stage[b.order[t]]+1], b.firstInner[len(b.firstInner)-1]}
	b.end = [2]int32{t, s}
	// Neither search reaches a root outside the ranges. The caller has
	// ruled out an edge s→t, so a shortest path has an interior, whose
	// ends are inner nodes; such a root's search takes its first step
	// before any other (below), after which the other search meets that
	// first level instead.

	b.node[s].dist[0], b.node[s].sig[0] = b.base, 1
	b.node[t].dist[1], b.node[t].sig[1] = b.base, 1
	b.touch[0] = append(b.touch[0][:0], s)
	b.touch[1] = append(b.touch[1][:0], t)
	b.level[0] = append(b.level[0][:0], 0, 1)
	b.level[1] = append(b.level[1][:0], 0, 1)
	b.front[0] = append(b.front[0][:0], s)
	b.front[1] = append(b.front[1][:0], t)
	costF := int64(b.node[s].deg[0])
	costB := int64(b.node[t].deg[1])
	b.meet = b.meet[:0]
	if t < b.lo[0] || t >= b.hi[0] {
		costB = b.expand(1, g.inStart, g.inAdj)
	}
	if len(b.meet) == 0 && (s < b.lo[1] || s >= b.hi[1]) {
		costF = b.expand(0, g.outStart, g.outAdj)
	}
	for len(b.meet) == 0 && len(b.front[0]) > 0 && len(b.front[1]) > 0 {
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
			b.path = append(b.path, w)
		}
		// Back to s through the forward tree, forward to t through the
		// backward tree, choosing each step with probability σ/σ.
		b.walk(0, g.inStart, g.inAdj, g.outStart, g.outAdj, w, rnd)
		b.walk(1, g.outStart, g.outAdj, g.inStart, g.inAdj, w, rnd)
	}
	b.base += int32(max(len(b.level[0]), len(b.level[1])))
}

// expand grows one side by a whole level over adj (with start), the edges
// in that side's direction. New nodes already reached by the other side
// are the meeting nodes. It returns the number of edges the new frontier
// would scan next.
func (b *biBFS) expand(side int, start []int64, adj []int32) int64 {
	front := b.front[side]
	b.next = b.next[:0]
	nodes := b.node
	d1 := nodes[front[0]].dist[side] + 1
	var cost int64
	bt := &b.batch
	k := 0
	rlo, rhi := b.lo[side], b.hi[side]
	var lo [64]int64
	var sink int32
	for len(front) > 0 {
		blk := front[:min(len(front), len(lo))]
		front = front[len(blk):]
		sink |= rowBounds(blk, start, adj, &lo)
		for i, x := range blk {
			sx := nodes[x].sig[side]
			for _, w := range clip(adj[lo[i]:start[x+1]], rlo, rhi, side) {
				bt.w[k], bt.sig[k] = w, sx
				k++
				if k == len(bt.w) {
					cost += b.visit(side, d1, k)
					k = 0
				}
			}
		}
	}
	b.sink |= sink
	cost += b.visit(side, d1, k)
	next := b.next
	b.touch[side] = append(b.touch[side], next...)
	b.level[side] = append(b.level[side], len(b.touch[side]))
	// The old frontier's buffer becomes the next scratch buffer.
	b.next = b.front[side][:0]
	b.front[side] = next
	return cost
}

// visit handles the first k edges x→w of the batch (w and σ(x)) of an
// expansion of side to level d1: new nodes join the next level, nodes
// already on it add σ(x). It first reads every w's record without
// branching, so that the cache misses overlap instead of waiting one by
// one behind unpredictable branches, then does the work on cached
// records. It returns the degree sum of the new nodes.
func (b *biBFS) visit(side int, d1 int32, k int) int64 {
	other := 1 - side
	nodes := b.node
	bt := &b.batch
	ws := bt.w[:k]
	var sink int32
	for _, w := range ws {
		sink |= nodes[w].dist[side]
	}
	b.sink |= sink
	var cost int64
	next := b.next
	base := b.base
	end := &nodes[b.end[side]]
	for i, w := range ws {
		p := &nodes[w]
		dw := p.dist[side]
		if dw < base {
			meet := p.dist[other] >= base
			if !meet && p.stage == end.stage && end.stage != math.MaxUint16 && !mayShare(p, end) {
				continue // on no s→t path
			}
			p.dist[side] = d1
			p.sig[side] = bt.sig[i]
			next = append(next, w)
			cost += int64(p.deg[side])
			if meet {
				b.meet = append(b.meet, w)
			}
		} else if dw == d1 {
			p.sig[side] += bt.sig[i]
		}
	}
	b.next = next
	return cost
}

// rowBounds puts the row starts of a block of nodes into lo, then reads
// each row's first entry, without dependencies between the reads, so that
// their cache misses overlap; the caller keeps the value read (sink) only
// so that the reads are not optimised away.
func rowBounds(blk []int32, start []int64, adj []int32, lo *[64]int64) (sink int32) {
	for i, x := range blk {
		lo[i] = start[x]
	}
	if len(adj) > 0 {
		for i := range blk {
			sink |= adj[min(lo[i], int64(len(adj)-1))]
		}
	}
	return sink
}

// clip returns the part of the sorted row within lo ≤ w < hi. One of the
// bounds never cuts in a search (biBFS.samplePath): the forward search's
// lo is 0, and the backward search's hi is the number of inner nodes,
// above every entry of the search copy's rows; its side is skipped.
func clip(row []int32, lo, hi int32, side int) []int32 {
	if len(row) > 16 {
		if side == 0 {
			j, _ := slices.BinarySearch(row, hi)
			return row[:j]
		}
		i, _ := slices.BinarySearch(row, lo)
		return row[i:]
	}
	i, j := 0, len(row)
	if side == 0 {
		for j > 0 && row[j-1] >= hi {
			j--
		}
		return row[:j]
	}
	for i < j && row[i] < lo {
		i++
	}
	return row[i:]
}

// walk goes from w to the root of one side's search tree, choosing each
// previous node p (one level nearer the root, with an edge towards the
// current node) with probability σ(p)/σ(current), and appends the nodes
// passed before the root to b.path. back (backStart) are the rows leading
// back to the root: the candidates are the current node's row there, or
// the previous level's nodes whose row in fwd (fwdStart) holds it
// (binary search), whichever list is shorter: a hub's long row is then
// never scanned when the level before it is small. Either way every
// candidate is weighed, so the choice has the same distribution.
func (b *biBFS) walk(side int, backStart []int64, back []int32, fwdStart []int64, fwd []int32, w int32, rnd *rand.Rand) {
	for cur := w; ; {
		d := b.node[cur].dist[side] - b.base
		if d <= 1 {
			return // the previous node is the root (rows may omit it)
		}
		target := rnd.Float64() * b.node[cur].sig[side]
		lvl := b.touch[side][b.level[side][d-1]:b.level[side][d]]
		row := back[backStart[cur]:backStart[cur+1]]
		pick := int32(-1)
		if len(lvl)*8 < len(row) {
			pick = b.pickFromLevel(side, lvl, fwdStart, fwd, cur, target)
		} else {
			want, acc := b.base+d-1, 0.0
			for _, p := range row {
				if b.node[p].dist[side] == want {
					acc += b.node[p].sig[side]
					pick = p
					if acc >= target {
						break
					}
				}
			}
		}
		if pick < 0 { // cannot happen on a consistent search tree
			return
		}
		b.path = append(b.path, pick)
		cur = pick
	}
}

// pickFromLevel weighs the nodes p of lvl with an edge to cur (cur in p's
// row of fwd) by σ(p) and returns the one where the running sum reaches
// target.
func (b *biBFS) pickFromLevel(side int, lvl []int32, fwdStart []int64, fwd []int32, cur int32, target float64) int32 {
	acc, pick := 0.0, int32(-1)
	for _, p := range lvl {
		if _, ok := slices.BinarySearch(fwd[fwdStart[p]:fwdStart[p+1]], cur); ok {
			acc += b.node[p].sig[side]
			pick = p
			if acc >= target {
				break
			}
		}
	}
	return pick
}
