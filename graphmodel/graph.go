package graphmodel

import (
	"errors"
	"fmt"

	"github.com/dominikbraun/graph"
)

// Edge is the aggregated supply relation between two participants: all
// links from supplier to buyer summed over products.
type Edge struct {
	From, To   string
	ValueRUB   float64 // summed value of the links that have one
	Links      int     // number of links (products) behind the edge
	Valued     int     // how many of them carry a value
	Documented bool    // at least one link is documented
	Products   []string
}

// Graph builds the cooperation graph of the dataset with
// github.com/dominikbraun/graph: vertices are participants keyed by ID,
// edges go from supplier to buyer with the summed value (rounded to whole
// roubles) as weight. Use it for the domain-sized graph (a cluster); the
// analysis package keeps its own compact representation for large networks.
func (d *Dataset) Graph() (graph.Graph[string, Participant], error) {
	g := graph.New(func(p Participant) string { return p.ID }, graph.Directed(), graph.Weighted())
	for _, p := range d.Participants {
		if err := g.AddVertex(p); err != nil {
			return nil, Errorf(EINVALID, "participant %s: %v", p.ID, err)
		}
	}
	for _, e := range d.Edges() {
		err := g.AddEdge(e.From, e.To, graph.EdgeWeight(int(e.ValueRUB+0.5)), graph.EdgeData(e))
		switch {
		case errors.Is(err, graph.ErrVertexNotFound):
			return nil, Errorf(EINVALID, "link %s→%s refers to an unknown participant", e.From, e.To)
		case err != nil:
			return nil, Errorf(EINVALID, "link %s→%s: %v", e.From, e.To, err)
		}
	}
	return g, nil
}

// Edges aggregates the links into one edge per (supplier, buyer) pair, in
// the order the pairs first appear.
func (d *Dataset) Edges() []Edge {
	idx := map[[2]string]int{}
	var out []Edge
	for _, l := range d.Links {
		k := [2]string{l.SupplierID, l.BuyerID}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Edge{From: l.SupplierID, To: l.BuyerID})
		}
		e := &out[i]
		e.Links++
		if l.ValueRUB != nil {
			e.ValueRUB += *l.ValueRUB
			e.Valued++
		}
		if l.Documented {
			e.Documented = true
		}
		if l.ProductCode != "" {
			e.Products = append(e.Products, l.ProductCode)
		}
	}
	return out
}

// String implements fmt.Stringer for debugging.
func (e Edge) String() string { return fmt.Sprintf("%s→%s %.0f RUB", e.From, e.To, e.ValueRUB) }
