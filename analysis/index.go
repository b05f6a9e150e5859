package analysis

import (
	"sort"

	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// index is the dataset turned into dense integer ids and aggregated edges,
// shared by every computation of one analysis run.
type index struct {
	ds    *gm.Dataset
	ids   []string       // node → participant id
	pos   map[string]int // participant id → node
	parts []*gm.Participant
	// Aggregated edges u→v (one per pair), in the order of the dataset.
	src, dst []int32
	val      []float64 // summed value of the links with a value
	weighted bool      // at least one link carries a value
	g        *kernel.Graph
	inValue  []float64
	outValue []float64
	imports  []float64 // imported value per node
	products map[string]*gm.Product
}

func newIndex(ds *gm.Dataset) *index {
	ix := &index{ds: ds, pos: make(map[string]int, len(ds.Participants)), products: map[string]*gm.Product{}}
	for i := range ds.Participants {
		p := &ds.Participants[i]
		if _, dup := ix.pos[p.ID]; dup {
			continue
		}
		ix.pos[p.ID] = len(ix.ids)
		ix.ids = append(ix.ids, p.ID)
		ix.parts = append(ix.parts, p)
	}
	for i := range ds.Products {
		ix.products[ds.Products[i].Code] = &ds.Products[i]
	}
	n := len(ix.ids)
	pair := map[[2]int32]int{}
	for _, l := range ds.Links {
		u, ok1 := ix.pos[l.SupplierID]
		v, ok2 := ix.pos[l.BuyerID]
		if !ok1 || !ok2 || u == v {
			continue
		}
		k := [2]int32{int32(u), int32(v)}
		e, ok := pair[k]
		if !ok {
			e = len(ix.src)
			pair[k] = e
			ix.src = append(ix.src, int32(u))
			ix.dst = append(ix.dst, int32(v))
			ix.val = append(ix.val, 0)
		}
		if l.ValueRUB != nil {
			ix.val[e] += *l.ValueRUB
			ix.weighted = true
		}
	}
	ix.inValue = make([]float64, n)
	ix.outValue = make([]float64, n)
	for e := range ix.src {
		ix.outValue[ix.src[e]] += ix.val[e]
		ix.inValue[ix.dst[e]] += ix.val[e]
	}
	ix.imports = make([]float64, n)
	for _, m := range ds.Imports {
		if j, ok := ix.pos[m.ParticipantID]; ok {
			ix.imports[j] += m.ValueRUB
		}
	}
	// Edge weights for weighted metrics: the summed value when the data has
	// values, else 1 per edge (as networkx does for edges without a weight).
	w := ix.val
	if !ix.weighted {
		w = nil
	}
	ix.g = kernel.Build(n, ix.src, ix.dst, w)
	return ix
}

func (ix *index) n() int { return len(ix.ids) }

// sortedIDs returns the participant ids of nodes, sorted.
func (ix *index) sortedIDs(nodes []int32) []string {
	out := make([]string, len(nodes))
	for i, v := range nodes {
		out[i] = ix.ids[v]
	}
	sort.Strings(out)
	return out
}
