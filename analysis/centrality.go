package analysis

import (
	"context"
	"fmt"

	"github.com/coopchain/coopchain/analysis/kernel"
)

// PageRank conventions (DESIGN.md): damping 0.85, uniform teleport, dangling
// mass spread uniformly, tolerance 1e-10 — networkx's pagerank.
const (
	Damping       = 0.85
	PageRankTol   = 1e-10
	PageRankIters = 10_000
)

// centrality fills pagerank, supplier_rank and betweenness.
func centrality(ctx context.Context, ix *index, rep *Report, opt Options) error {
	n := ix.n()
	if n == 0 {
		rep.Summary.Betweenness = "exact"
		return nil
	}
	pr, _, err := kernel.PageRank(ix.g, Damping, PageRankTol, PageRankIters, ix.weighted)
	if err != nil {
		return fmt.Errorf("pagerank: %w", err)
	}
	sr, _, err := kernel.PageRank(ix.g.Reverse(), Damping, PageRankTol, PageRankIters, ix.weighted)
	if err != nil {
		return fmt.Errorf("supplier rank: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var bc []float64
	progress := func(f float64) { opt.Progress(0.05+0.45*f, "betweenness") }
	switch {
	case opt.SkipBetweenness:
		bc = make([]float64, n)
		rep.Summary.Betweenness = "not computed"
	case n <= opt.ExactBetweennessLimit:
		if bc, err = kernel.BetweennessContext(ctx, ix.g, 0, progress); err != nil {
			return err
		}
		rep.Summary.Betweenness = "exact"
	default:
		a, err := kernel.ApproxBetweennessContext(ctx, ix.g, opt.ApproxEpsilon, opt.ApproxDelta, 1, 0, progress)
		if err != nil {
			return err
		}
		bc = a.Values
		rep.Summary.Betweenness = a.Method()
	}
	for i := range rep.Participants {
		rep.Participants[i].PageRank = pr[i]
		rep.Participants[i].SupplierRank = sr[i]
		rep.Participants[i].Betweenness = bc[i]
	}
	return nil
}
