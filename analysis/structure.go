package analysis

import (
	"container/heap"
	"context"
	"math"
	"sort"

	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// ReachLimit is the largest graph for which exact upstream/downstream counts
// are computed (they cost more than linear time).
const ReachLimit = 50_000

// SingleSource is a buyer's input (product) with exactly one supplier in the
// data: a single point of failure of the chain.
type SingleSource struct {
	BuyerID     string  `json:"buyer_id"`
	ProductCode string  `json:"product_code"`
	SupplierID  string  `json:"supplier_id"`
	ValueRUB    float64 `json:"value_rub"`
}

// structure fills stage, cycles, reach, single-source inputs and removal impact.
func structure(ctx context.Context, ix *index, rep *Report, opt Options) error {
	n := ix.n()
	if n == 0 {
		return nil
	}
	stages := kernel.Stages(ix.g)
	comp, k := kernel.SCC(ix.g)
	size := make([]int, k)
	for _, c := range comp {
		size[c]++
	}
	members := map[int32][]int32{}
	for v, c := range comp {
		if size[c] > 1 {
			members[c] = append(members[c], int32(v))
		}
	}
	for _, vs := range members {
		rep.Cycles = append(rep.Cycles, ix.sortedIDs(vs))
	}
	sort.Slice(rep.Cycles, func(i, j int) bool {
		if len(rep.Cycles[i]) != len(rep.Cycles[j]) {
			return len(rep.Cycles[i]) > len(rep.Cycles[j])
		}
		return rep.Cycles[i][0] < rep.Cycles[j][0]
	})
	byStage := map[int][]string{}
	for i := range rep.Participants {
		rep.Participants[i].Stage = int(stages[i])
		rep.Participants[i].InCycle = size[comp[i]] > 1
		byStage[int(stages[i])] = append(byStage[int(stages[i])], ix.ids[i])
	}
	for s, ids := range byStage {
		sort.Strings(ids)
		rep.Stages = append(rep.Stages, StageGroup{Stage: s, Participants: ids})
	}
	sort.Slice(rep.Stages, func(i, j int) bool { return rep.Stages[i].Stage < rep.Stages[j].Stage })
	if err := ctx.Err(); err != nil {
		return err
	}
	if n <= ReachLimit {
		up, down := kernel.ReachCounts(ix.g)
		for i := range rep.Participants {
			rep.Participants[i].UpstreamCount, rep.Participants[i].DownstreamCount = up[i], down[i]
		}
	} else {
		rep.Notes = append(rep.Notes, Note{"reach_skipped", "upstream/downstream counts are not computed above 50,000 participants", "число участников выше/ниже по цепочке не считается для сетей более 50 000 участников"})
	}
	rep.SingleSourceInputs = singleSources(ix)
	for _, s := range rep.SingleSourceInputs {
		rep.Participants[ix.pos[s.BuyerID]].SingleSourceInputs++
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	impact := removalImpact(ctx, ix, stages, comp, opt.ExactRemovalLimit)
	for i := range rep.Participants {
		rep.Participants[i].RemovalImpact = impact[i]
	}
	return ctx.Err()
}

// singleSources lists the (buyer, product) pairs with exactly one supplier.
// Links without a product code count as one unnamed product.
func singleSources(ix *index) []SingleSource {
	type key struct{ buyer, product string }
	type agg struct {
		suppliers map[string]float64
	}
	m := map[key]*agg{}
	var order []key
	for _, l := range ix.ds.Links {
		if _, ok := ix.pos[l.SupplierID]; !ok || l.SupplierID == l.BuyerID {
			continue
		}
		if _, ok := ix.pos[l.BuyerID]; !ok {
			continue
		}
		k := key{l.BuyerID, l.ProductCode}
		a, ok := m[k]
		if !ok {
			a = &agg{suppliers: map[string]float64{}}
			m[k] = a
			order = append(order, k)
		}
		v := 0.0
		if l.ValueRUB != nil {
			v = *l.ValueRUB
		}
		a.suppliers[l.SupplierID] += v
	}
	out := []SingleSource{}
	for _, k := range order {
		a := m[k]
		if len(a.suppliers) != 1 {
			continue
		}
		for s, v := range a.suppliers {
			out = append(out, SingleSource{BuyerID: k.buyer, ProductCode: k.product, SupplierID: s, ValueRUB: v})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ValueRUB != out[j].ValueRUB {
			return out[i].ValueRUB > out[j].ValueRUB
		}
		if out[i].BuyerID != out[j].BuyerID {
			return out[i].BuyerID < out[j].BuyerID
		}
		return out[i].ProductCode < out[j].ProductCode
	})
	return out
}

// removalImpact returns, for every participant x, the share of all final
// producers' input value lost, directly or transitively, if x disappears.
//
// Each participant's output falls in proportion to the share of its inputs
// lost (fixed input proportions): with input(y) the value y buys from other
// participants plus its imports, the loss share is L(x) = 1 and
// L(y) = Σ_u value(u→y)·L(u) / input(y) for every other y. A final producer f
// loses Σ_u value(u→f)·L(u); if f is x itself it loses all its inputs. The
// impact is the sum over final producers divided by their total input value
// bought from participants. Imports are never lost.
//
// Up to exactLimit nodes the propagation runs from every x over its
// downstream part (exact also on cycles, removalImpactExact); above, one
// adjoint linear solve gives the same numbers on acyclic chains and counts
// feedback within cycles (removalImpactLinear).
func removalImpact(ctx context.Context, ix *index, stages []int32, comp []int32, exactLimit int) []float64 {
	n := ix.n()
	if n == 0 {
		return make([]float64, n)
	}
	rm := newRemovalModel(ix)
	if rm.total == 0 {
		return make([]float64, n)
	}
	if n > exactLimit {
		return rm.linear(stages, comp)
	}
	return rm.exact(ctx, comp)
}

// removalModel holds what both removal-impact algorithms share: every
// participant's input value, the final producers' total input bought from
// participants, and each participant's direct deliveries to final
// producers as a share of that total.
type removalModel struct {
	ix    *index
	input []float64 // purchases from participants plus imports (when weighted)
	total float64   // final producers' input bought from participants
	c     []float64 // c(u): value u ships to final producers / total
}

func newRemovalModel(ix *index) *removalModel {
	n := ix.n()
	rm := &removalModel{ix: ix, input: make([]float64, n), c: make([]float64, n)}
	for y := 0; y < n; y++ {
		_, w := ix.g.In(int32(y))
		for _, x := range w {
			rm.input[y] += x
		}
		if ix.weighted {
			rm.input[y] += ix.imports[y]
		}
		if ix.parts[y].FinalProducer {
			for _, x := range w {
				rm.total += x
			}
		}
	}
	if rm.total == 0 {
		return rm
	}
	for u := 0; u < n; u++ {
		adj, w := ix.g.Out(int32(u))
		for i, f := range adj {
			if ix.parts[f].FinalProducer {
				rm.c[u] += w[i] / rm.total
			}
		}
	}
	return rm
}

// own is the share of the total a final producer x loses by leaving
// itself: all its inputs bought from participants (0 for the others).
func (rm *removalModel) own(x int) float64 {
	if !rm.ix.parts[x].FinalProducer {
		return 0
	}
	_, w := rm.ix.g.In(int32(x))
	s := 0.0
	for _, v := range w {
		s += v
	}
	return s / rm.total
}

// linear solves r = c + Qᵀ r by Gauss–Seidel sweeps in reverse
// topological order; the impact of x is r(x) plus its own loss.
func (rm *removalModel) linear(stages, comp []int32) []float64 {
	ix, n := rm.ix, rm.ix.n()
	out := make([]float64, n)
	order := topoOrder(stages, comp)
	r := make([]float64, n)
	for it := 0; it < 500; it++ {
		delta := 0.0
		for k := n - 1; k >= 0; k-- {
			u := order[k]
			adj, w := ix.g.Out(u)
			s := rm.c[u]
			for i, y := range adj {
				if rm.input[y] > 0 {
					s += w[i] / rm.input[y] * r[y]
				}
			}
			delta = math.Max(delta, math.Abs(s-r[u]))
			r[u] = s
		}
		if delta < 1e-13 {
			break
		}
	}
	for x := 0; x < n; x++ {
		out[x] = clamp01(r[x] + rm.own(x))
	}
	return out
}

// exact propagates, for each x, loss shares component by component in
// topological order; inside a cycle, Gauss–Seidel sweeps to a fixed point.
func (rm *removalModel) exact(ctx context.Context, comp []int32) []float64 {
	ix, n := rm.ix, rm.ix.n()
	out := make([]float64, n)
	cs := newComponents(comp, n)
	p := &propagation{rm: rm, cs: cs, L: make([]float64, n), stamp: make([]int32, n), queued: make([]int32, cs.k)}
	for x := 0; x < n; x++ {
		if x%256 == 0 && ctx.Err() != nil {
			return out
		}
		p.run(int32(x))
		lost := rm.own(x) * rm.total
		// What final producers lose: the lost share of every affected
		// supplier's deliveries to them.
		for _, u := range p.touched {
			adj, w := ix.g.Out(u)
			for i, f := range adj {
				if int(f) != x && ix.parts[f].FinalProducer {
					lost += w[i] * p.L[u]
				}
			}
		}
		out[x] = clamp01(lost / rm.total)
	}
	return out
}

// components lists the members of each strongly connected component:
// members[start[c]:start[c+1]] are component c's nodes.
type components struct {
	k       int
	start   []int32
	members []int32
	comp    []int32
}

func newComponents(comp []int32, n int) *components {
	k := 0
	for _, c := range comp {
		k = max(k, int(c)+1)
	}
	start := make([]int32, k+1)
	for _, c := range comp {
		start[c+1]++
	}
	for c := 0; c < k; c++ {
		start[c+1] += start[c]
	}
	members := make([]int32, n)
	fill := append([]int32(nil), start[:k]...)
	for v, c := range comp {
		members[fill[c]] = int32(v)
		fill[c]++
	}
	return &components{k: k, start: start, members: members, comp: comp}
}

// propagation is the state of one removal's loss propagation, reused from
// one removed participant to the next (epochs instead of clearing).
type propagation struct {
	rm      *removalModel
	cs      *components
	L       []float64 // loss share, valid where stamp == epoch
	stamp   []int32
	queued  []int32 // component queued in this epoch
	h       compHeap
	touched []int32
}

// run propagates the loss of participant x: L(x) = 1, then every component
// downstream in topological order.
func (p *propagation) run(x int32) {
	g, cs := p.rm.ix.g, p.cs
	epoch := x + 1
	p.stamp[x], p.L[x] = epoch, 1
	p.touched = append(p.touched[:0], x)
	p.h = p.h[:0]
	cx := cs.comp[x]
	p.queued[cx] = epoch
	heap.Push(&p.h, cx)
	for p.h.Len() > 0 {
		c := heap.Pop(&p.h).(int32)
		nodes := cs.members[cs.start[c]:cs.start[c+1]]
		p.settle(x, epoch, nodes)
		for _, y := range nodes {
			if p.stamp[y] != epoch || p.L[y] == 0 {
				continue
			}
			adj, _ := g.Out(y)
			for _, z := range adj {
				if d := cs.comp[z]; d != c && p.queued[d] != epoch {
					p.queued[d] = epoch
					heap.Push(&p.h, d)
				}
			}
		}
	}
}

// settle computes the loss shares of one component's nodes from their
// suppliers' (one pass, or sweeps to a fixed point inside a cycle).
func (p *propagation) settle(x, epoch int32, nodes []int32) {
	g := p.rm.ix.g
	sweeps := 1
	if len(nodes) > 1 {
		sweeps = 1000
	}
	for it := 0; it < sweeps; it++ {
		change := 0.0
		for _, y := range nodes {
			if y == x {
				continue
			}
			sup, w := g.In(y)
			sum := 0.0
			for i, u := range sup {
				if p.stamp[u] == epoch {
					sum += w[i] * p.L[u]
				}
			}
			nl := 0.0
			if p.rm.input[y] > 0 {
				nl = sum / p.rm.input[y]
			}
			if p.stamp[y] != epoch {
				p.stamp[y], p.L[y] = epoch, 0
				p.touched = append(p.touched, y)
			}
			change = math.Max(change, math.Abs(nl-p.L[y]))
			p.L[y] = nl
		}
		if change < 1e-13 {
			break
		}
	}
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// topoOrder orders nodes so that every edge between different strongly
// connected components goes forward: by stage, then component.
func topoOrder(stages, comp []int32) []int32 {
	order := make([]int32, len(stages))
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if stages[x] != stages[y] {
			return stages[x] < stages[y]
		}
		return comp[x] < comp[y]
	})
	return order
}

// compHeap pops components in topological order: kernel.SCC numbers them
// in reverse topological order, so the highest number comes first.
type compHeap []int32

func (h compHeap) Len() int           { return len(h) }
func (h compHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h compHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *compHeap) Push(x any)        { *h = append(*h, x.(int32)) }
func (h *compHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// Chain is the cooperation chain around a participant or a product: the
// participants upstream and downstream and the links among them.
type Chain struct {
	Focus        string          `json:"focus"`
	Kind         string          `json:"kind"` // participant or product
	Upstream     []string        `json:"upstream"`
	Downstream   []string        `json:"downstream"`
	Participants []string        `json:"participants"`
	Links        []gm.SupplyLink `json:"links"`
}

// ChainOfParticipant returns everything upstream of the participant (its
// suppliers, their suppliers, …) and downstream of it.
func ChainOfParticipant(ds *gm.Dataset, id string) (*Chain, error) {
	ix := newIndex(ds)
	v, ok := ix.pos[id]
	if !ok {
		return nil, gm.Errorf(gm.ENOTFOUND, "participant %q not found", id)
	}
	up := kernel.ReachFrom(ix.g.Reverse(), int32(v))
	down := kernel.ReachFrom(ix.g, int32(v))
	return ix.chain(id, "participant", up, down, []int32{int32(v)}), nil
}

// ChainOfProduct returns the participants that supply or buy the product,
// everything upstream of its suppliers and downstream of its buyers.
func ChainOfProduct(ds *gm.Dataset, code string) (*Chain, error) {
	ix := newIndex(ds)
	var sup, buy []int32
	seenS, seenB := map[int]bool{}, map[int]bool{}
	for _, l := range ds.Links {
		if l.ProductCode != code {
			continue
		}
		if s, ok := ix.pos[l.SupplierID]; ok && !seenS[s] {
			seenS[s] = true
			sup = append(sup, int32(s))
		}
		if b, ok := ix.pos[l.BuyerID]; ok && !seenB[b] {
			seenB[b] = true
			buy = append(buy, int32(b))
		}
	}
	for _, m := range ds.Imports {
		if b, ok := ix.pos[m.ParticipantID]; ok && m.ProductCode == code && !seenB[b] {
			seenB[b] = true
			buy = append(buy, int32(b))
		}
	}
	for _, m := range ds.Capacities {
		if s, ok := ix.pos[m.ParticipantID]; ok && m.ProductCode == code && !seenS[s] {
			seenS[s] = true
			sup = append(sup, int32(s))
		}
	}
	if len(sup)+len(buy) == 0 {
		return nil, gm.Errorf(gm.ENOTFOUND, "product %q is not supplied, bought, imported or produced in the data", code)
	}
	rev := ix.g.Reverse()
	upSet, downSet := map[int32]bool{}, map[int32]bool{}
	for _, s := range sup {
		for _, u := range kernel.ReachFrom(rev, s) {
			upSet[u] = true
		}
	}
	for _, b := range buy {
		for _, d := range kernel.ReachFrom(ix.g, b) {
			downSet[d] = true
		}
	}
	var up, down []int32
	for v := range upSet {
		up = append(up, v)
	}
	for v := range downSet {
		down = append(down, v)
	}
	return ix.chain(code, "product", up, down, append(sup, buy...)), nil
}

func (ix *index) chain(focus, kind string, up, down, core []int32) *Chain {
	in := map[int32]bool{}
	for _, s := range [][]int32{up, down, core} {
		for _, v := range s {
			in[v] = true
		}
	}
	var all []int32
	for v := range in {
		all = append(all, v)
	}
	ch := &Chain{Focus: focus, Kind: kind, Upstream: ix.sortedIDs(up), Downstream: ix.sortedIDs(down), Participants: ix.sortedIDs(all), Links: []gm.SupplyLink{}}
	for _, l := range ix.ds.Links {
		s, ok1 := ix.pos[l.SupplierID]
		b, ok2 := ix.pos[l.BuyerID]
		if ok1 && ok2 && in[int32(s)] && in[int32(b)] {
			ch.Links = append(ch.Links, l)
		}
	}
	return ch
}
