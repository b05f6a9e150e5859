package kernel

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// NetworkOptions tune AnalyzeNetwork.
type NetworkOptions struct {
	// Betweenness: "auto" (exact up to ExactLimit nodes, else approximate),
	// "exact", "approx" or "none".
	Betweenness string
	ExactLimit  int     // default 50,000
	Eps, Delta  float64 // of the approximation; default 0.01, 0.1
	Seed        int64   // of the approximation; default 1
	Workers     int     // ≤0: every core
	// Progress, when set, is told the fraction done (0..1) and the step.
	Progress func(frac float64, step string)
}

// NetworkMetrics are the per-node metrics of a large network, in node
// order (Snapshot.IDs), with the names and definitions of the analysis
// report (DESIGN.md, "Analysis definitions").
type NetworkMetrics struct {
	InDegree, OutDegree []int32
	InValue, OutValue   []float64
	PageRank            []float64
	SupplierRank        []float64
	Betweenness         []float64 // nil when not computed
	Stage               []int32
	InCycle             []bool
	Summary             NetworkSummary
	prepSeconds         float64 // of approximate betweenness (Summary.Seconds)
}

// NetworkSummary holds the key figures and how betweenness was computed.
type NetworkSummary struct {
	Participants int     `json:"participants"`
	Links        int     `json:"links"`     // supplier→buyer pairs
	LinkRows     int     `json:"link_rows"` // rows of the year used
	Year         int     `json:"year,omitempty"`
	ValueRUB     float64 `json:"value_rub"`
	Weighted     bool    `json:"weighted"`
	Stages       int     `json:"stages"`
	Cycles       int     `json:"cycles"`        // strongly connected components of 2 or more
	LargestCycle int     `json:"largest_cycle"` // nodes of the largest one
	Isolated     int     `json:"isolated"`
	Betweenness  string  `json:"betweenness_method"`
	// BetweennessBound is set for the approximation.
	BetweennessBound *ApproxBound `json:"betweenness_bound,omitempty"`
	// Seconds per step (load is filled in by the caller); for approximate
	// betweenness also betweenness_prep, its part before the first
	// sampled path (the search copy and the bound).
	Seconds map[string]float64 `json:"seconds"`
}

// ApproxBound states the guarantee of approximate betweenness.
type ApproxBound struct {
	Eps            float64 `json:"eps"`
	Delta          float64 `json:"delta"`
	Samples        int     `json:"samples"`     // paths the estimates average over (drawn before the adaptive stop)
	MaxSamples     int     `json:"max_samples"` // ω: the most that would have been drawn
	VertexDiameter int     `json:"vertex_diameter_bound"`
	Statement      string  `json:"statement"`
}

// Defaults of betweenness: exact up to DefaultExactLimit nodes, above it
// sampled so that with probability 1 − DefaultDelta every value is within
// DefaultEps of the exact one. The whole analysis (package analysis) uses
// the same.
const (
	DefaultExactLimit = 50_000
	DefaultEps        = 0.01
	DefaultDelta      = 0.1
)

// AnalyzeNetwork computes degrees, values, PageRank, supplier rank,
// processing stages, cycles and betweenness of a snapshot. It stops with
// ctx's error when ctx is cancelled.
//
// The strongly connected components are found once and shared, while the
// degrees are computed. Then PageRank and supplier rank run on their own
// goroutines while the stages and, as soon as they are known, betweenness
// (which needs them, and runs on every core) run on this one: every step
// starts when what it needs is ready, so that no core waits for the
// slowest step of a phase. Summary.Seconds has each step's own duration.
func AnalyzeNetwork(ctx context.Context, s *Snapshot, opt NetworkOptions) (*NetworkMetrics, error) {
	opt = opt.withDefaults()
	progress := opt.Progress
	if progress == nil {
		progress = func(float64, string) {}
	}
	var progressMu sync.Mutex // steps report from several goroutines
	report := func(frac float64, step string) {
		progressMu.Lock()
		defer progressMu.Unlock()
		progress(frac, step)
	}
	// A step that fails stops the others.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := s.Graph
	m := &NetworkMetrics{Summary: NetworkSummary{Participants: g.N(), Links: g.M(), LinkRows: s.RowsUsed, Year: s.Year, Weighted: s.Weighted, Seconds: map[string]float64{}}}
	steps := []networkStep{
		// degrees need no components: they run while those are found
		{name: "degrees", run: func() error { m.degrees(g, s.Weighted); return nil }},
		{name: "components", run: func() error { g.components(); return nil }},
		{name: "pagerank", run: func() (err error) {
			if m.PageRank, _, err = PageRank(g, 0.85, 1e-10, 10_000, s.Weighted); err != nil {
				return fmt.Errorf("pagerank: %w", err)
			}
			return nil
		}},
		{name: "supplier_rank", run: func() (err error) {
			if m.SupplierRank, _, err = PageRank(g.Reverse(), 0.85, 1e-10, 10_000, s.Weighted); err != nil {
				return fmt.Errorf("supplier rank: %w", err)
			}
			return nil
		}},
		{name: "stages", run: func() error { m.stages(g); return nil }},
		{name: "betweenness", run: func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			report(0.3, "betweenness")
			return m.betweenness(ctx, g, opt, func(f float64) { report(0.3+0.7*f, "betweenness") })
		}},
	}
	report(0, "components")
	runSteps(steps[0:1], steps[1:2], cancel)
	if err := firstError(steps[:2]); err != nil {
		return nil, err
	}
	report(0.05, "pagerank")
	// steps[2:4] need the components, betweenness the stages.
	runSteps(steps[2:4], steps[4:6], cancel)
	if err := firstError(steps); err != nil {
		return nil, err
	}
	for _, st := range steps {
		m.Summary.Seconds[st.name] = st.secs
	}
	if m.Summary.BetweennessBound != nil {
		// the part of betweenness before the first sampled path
		m.Summary.Seconds["betweenness_prep"] = m.prepSeconds
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	report(1, "done")
	return m, nil
}

// networkStep is one step of AnalyzeNetwork: how long it took and how it
// ended.
type networkStep struct {
	name string
	run  func() error
	secs float64
	err  error
}

// runSteps runs each of the side steps on its own goroutine and the chain
// on this one, one after the other, and waits for them all. The first
// error stops the chain and calls fail.
func runSteps(side, chain []networkStep, fail func()) {
	timed := func(st *networkStep) {
		t0 := time.Now()
		if st.err = st.run(); st.err != nil {
			fail()
		}
		st.secs = time.Since(t0).Seconds()
	}
	var wg sync.WaitGroup
	for i := range side {
		wg.Go(func() { timed(&side[i]) })
	}
	for i := range chain {
		if timed(&chain[i]); chain[i].err != nil {
			break
		}
	}
	wg.Wait()
}

func firstError(steps []networkStep) error {
	for _, st := range steps {
		if st.err != nil {
			return st.err
		}
	}
	return nil
}

// withDefaults fills in the defaults of the options left zero.
func (opt NetworkOptions) withDefaults() NetworkOptions {
	if opt.Betweenness == "" {
		opt.Betweenness = "auto"
	}
	if opt.ExactLimit <= 0 {
		opt.ExactLimit = DefaultExactLimit
	}
	if opt.Eps <= 0 {
		opt.Eps = DefaultEps
	}
	if opt.Delta <= 0 {
		opt.Delta = DefaultDelta
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	return opt
}

// degrees sets the degrees, the values (when weighted), the total value
// and the count of isolated nodes.
func (m *NetworkMetrics) degrees(g *Graph, weighted bool) {
	n := g.N()
	m.InDegree, m.OutDegree = make([]int32, n), make([]int32, n)
	m.InValue, m.OutValue = make([]float64, n), make([]float64, n)
	for v := int32(0); int(v) < n; v++ {
		adj, w := g.Out(v)
		m.OutDegree[v] = int32(len(adj))
		in, wi := g.In(v)
		m.InDegree[v] = int32(len(in))
		if len(adj)+len(in) == 0 {
			m.Summary.Isolated++
		}
		if weighted {
			for _, x := range w {
				m.OutValue[v] += x
			}
			for _, x := range wi {
				m.InValue[v] += x
			}
			m.Summary.ValueRUB += m.OutValue[v]
		}
	}
}

// stages sets the processing stages, the cycles (strongly connected
// components of 2 or more) and who is in one.
func (m *NetworkMetrics) stages(g *Graph) {
	comp, k := g.components()
	size := make([]int32, k)
	for _, c := range comp {
		size[c]++
	}
	for _, sz := range size {
		if sz > 1 {
			m.Summary.Cycles++
			m.Summary.LargestCycle = max(m.Summary.LargestCycle, int(sz))
		}
	}
	m.InCycle = make([]bool, g.N())
	for v, c := range comp {
		m.InCycle[v] = size[c] > 1
	}
	m.Stage = Stages(g)
	for _, st := range m.Stage {
		m.Summary.Stages = max(m.Summary.Stages, int(st)+1)
	}
}

// betweenness sets betweenness as opt.Betweenness asks and states how it
// was computed.
func (m *NetworkMetrics) betweenness(ctx context.Context, g *Graph, opt NetworkOptions, progress func(float64)) error {
	mode := opt.Betweenness
	if mode == "auto" {
		mode = "exact"
		if g.N() > opt.ExactLimit {
			mode = "approx"
		}
	}
	switch mode {
	case "exact":
		bc, err := BetweennessContext(ctx, g, opt.Workers, progress)
		if err != nil {
			return err
		}
		m.Betweenness, m.Summary.Betweenness = bc, "exact"
	case "approx":
		a, err := ApproxBetweennessContext(ctx, g, opt.Eps, opt.Delta, opt.Seed, opt.Workers, progress)
		if err != nil {
			return err
		}
		m.Betweenness = a.Values
		m.Summary.Betweenness = a.Method()
		m.prepSeconds = a.PrepSeconds
		m.Summary.BetweennessBound = &ApproxBound{Eps: a.Eps, Delta: a.Delta, Samples: a.Samples, MaxSamples: a.MaxSamples, VertexDiameter: a.VertexDiameter,
			Statement: fmt.Sprintf("with probability at least %g every betweenness value is within %g of the exact normalised value", 1-a.Delta, a.Eps)}
	case "none":
		m.Summary.Betweenness = "not computed"
	default:
		return fmt.Errorf("betweenness %q: use auto, exact, approx or none", opt.Betweenness)
	}
	return nil
}
