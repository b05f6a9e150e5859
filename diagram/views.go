package diagram

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// Views.
const (
	ViewCluster     = "cluster"
	ViewParticipant = "participant"
	ViewProduct     = "product"
	ViewNiches      = "niches"
	ViewScenario    = "scenario"
)

// Views lists the views a diagram request may ask for.
var Views = []string{ViewCluster, ViewParticipant, ViewProduct, ViewNiches, ViewScenario}

// ViewOptions select what a view shows.
type ViewOptions struct {
	ClusterID   string
	Lang        string // ru or en
	Participant string // for the participant view
	Product     string // for the product view
	Hops        int    // participant view: steps up and down the chain (default 2)
	MaxNiches   int    // niches view: how many niches (default 10)
}

// URL returns the web UI page of a participant.
func URL(clusterID, participantID string) string {
	return "/clusters/" + url.PathEscape(clusterID) + "/participants/" + url.PathEscape(participantID)
}

type builder struct {
	rep     *analysis.Report
	ds      *gm.Dataset
	o       ViewOptions
	metrics map[string]*analysis.ParticipantMetrics
	names   map[string]string
	cycle   map[string]int
	single  map[[2]string][]string // supplier→buyer: single-source products
}

func newBuilder(rep *analysis.Report, ds *gm.Dataset, o ViewOptions) *builder {
	b := &builder{rep: rep, ds: ds, o: o, metrics: map[string]*analysis.ParticipantMetrics{}, names: map[string]string{}, cycle: map[string]int{}, single: map[[2]string][]string{}}
	for i := range rep.Participants {
		b.metrics[rep.Participants[i].ID] = &rep.Participants[i]
	}
	for _, p := range ds.Participants {
		b.names[p.ID] = p.Name
	}
	for i, c := range rep.Cycles {
		for _, id := range c {
			b.cycle[id] = i + 1
		}
	}
	for _, s := range rep.SingleSourceInputs {
		k := [2]string{s.SupplierID, s.BuyerID}
		b.single[k] = append(b.single[k], s.ProductCode)
	}
	return b
}

func (b *builder) lang() string {
	if b.o.Lang == "en" {
		return "en"
	}
	return "ru"
}

func (b *builder) node(id string) Node {
	m := b.metrics[id]
	n := Node{ID: id, Label: b.names[id], URL: URL(b.o.ClusterID, id)}
	if n.Label == "" {
		n.Label = id
	}
	if m != nil {
		n.Kind, n.Stage, n.Final, n.InCycle = m.Kind, m.Stage, m.FinalProducer, m.InCycle
		l := b.lang()
		pct := func(v float64) string { return gm.FormatPercent(l, v) }
		// Stages are counted from 1 for people (the metric starts at 0).
		if l == "en" {
			n.Tooltip = fmt.Sprintf("%s: stage %d, %s; weight as a buyer %s, as a supplier %s; removal impact %s", n.Label, m.Stage+1, strings.ToLower(texts("en").kind[m.Kind]), pct(m.PageRank), pct(m.SupplierRank), pct(m.RemovalImpact))
		} else {
			n.Tooltip = fmt.Sprintf("%s: передел %d, %s; значимость как покупателя %s, как поставщика %s; ущерб от выбытия %s", n.Label, m.Stage+1, strings.ToLower(texts("ru").kind[m.Kind]), pct(m.PageRank), pct(m.SupplierRank), pct(m.RemovalImpact))
		}
	}
	return n
}

func money(v float64, lang string) string {
	unitBn, unitMln, cur := "млрд", "млн", "руб."
	if lang == "en" {
		unitBn, unitMln, cur = "bn", "mln", "RUB"
	}
	var s string
	switch {
	case v >= 1e9:
		s = fmt.Sprintf("%.1f %s %s", v/1e9, unitBn, cur)
	case v >= 1e6:
		s = fmt.Sprintf("%.0f %s %s", v/1e6, unitMln, cur)
	default:
		s = fmt.Sprintf("%.0f %s", v, cur)
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
		s = strings.Replace(s, "руб,", "руб.", 1)
	}
	return s
}

// edges returns the aggregated supply edges among the given participants.
func (b *builder) edges(in map[string]bool) []Edge {
	var out []Edge
	for _, e := range b.ds.Edges() {
		if !in[e.From] || !in[e.To] {
			continue
		}
		ed := Edge{From: e.From, To: e.To, ValueRUB: e.ValueRUB, Valued: e.Valued > 0}
		ed.SingleSource = len(b.single[[2]string{e.From, e.To}]) > 0
		ed.InCycle = b.cycle[e.From] != 0 && b.cycle[e.From] == b.cycle[e.To]
		prods := strings.Join(dedupe(e.Products), ", ")
		ed.Tooltip = fmt.Sprintf("%s → %s", b.names[e.From], b.names[e.To])
		if prods != "" {
			ed.Tooltip += ": " + prods
		}
		if ed.Valued {
			ed.Tooltip += "; " + money(e.ValueRUB, b.lang())
		}
		if ed.SingleSource {
			what := strings.Join(dedupe(b.single[[2]string{e.From, e.To}]), ", ")
			if b.lang() == "en" {
				ed.Tooltip += "; single supplier"
			} else {
				ed.Tooltip += "; единственный поставщик"
			}
			if what != "" {
				ed.Tooltip += ": " + what
			}
		}
		out = append(out, ed)
	}
	return out
}

func dedupe(a []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range a {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func (b *builder) model(view string, ids []string) *Model {
	in := map[string]bool{}
	m := &Model{Lang: b.lang()}
	for _, id := range ids {
		if in[id] {
			continue
		}
		in[id] = true
		m.Nodes = append(m.Nodes, b.node(id))
	}
	m.Edges = b.edges(in)
	m.Title = texts(b.lang()).titles[view]
	if b.rep.ClusterName != "" {
		m.Title += ": " + b.rep.ClusterName
	}
	if b.rep.Summary.Illustrative {
		if b.lang() == "en" {
			m.Title += " (illustrative figures)"
		} else {
			m.Title += " (иллюстративные данные)"
		}
	}
	return m
}

// ClusterView is the whole cluster's cooperation chain.
func ClusterView(rep *analysis.Report, ds *gm.Dataset, o ViewOptions) (*Model, error) {
	b := newBuilder(rep, ds, o)
	var ids []string
	for _, p := range rep.Participants {
		ids = append(ids, p.ID)
	}
	return b.model(ViewCluster, ids), nil
}

// ParticipantView is one participant with everything within Hops steps
// upstream (its suppliers, theirs, …) and downstream.
func ParticipantView(rep *analysis.Report, ds *gm.Dataset, o ViewOptions) (*Model, error) {
	b := newBuilder(rep, ds, o)
	if _, ok := b.metrics[o.Participant]; !ok {
		return nil, gm.Errorf(gm.ENOTFOUND, "participant %q not found in this cluster", o.Participant)
	}
	hops := o.Hops
	if hops <= 0 {
		hops = 2
	}
	out, in := map[string][]string{}, map[string][]string{}
	for _, e := range ds.Edges() {
		out[e.From] = append(out[e.From], e.To)
		in[e.To] = append(in[e.To], e.From)
	}
	ids := []string{o.Participant}
	for _, adj := range []map[string][]string{in, out} {
		frontier := []string{o.Participant}
		seen := map[string]bool{o.Participant: true}
		for h := 0; h < hops; h++ {
			var next []string
			for _, v := range frontier {
				for _, w := range adj[v] {
					if !seen[w] {
						seen[w] = true
						next = append(next, w)
						ids = append(ids, w)
					}
				}
			}
			frontier = next
		}
	}
	m := b.model(ViewParticipant, ids)
	m.Title = texts(b.lang()).titles[ViewParticipant] + ": " + b.names[o.Participant]
	for i := range m.Nodes {
		m.Nodes[i].Focus = m.Nodes[i].ID == o.Participant
	}
	return m, nil
}

// ProductView is the chain of one product: its suppliers and buyers and
// everything upstream of the suppliers and downstream of the buyers.
func ProductView(rep *analysis.Report, ds *gm.Dataset, o ViewOptions) (*Model, error) {
	b := newBuilder(rep, ds, o)
	ch, err := analysis.ChainOfProduct(ds, o.Product)
	if err != nil {
		return nil, err
	}
	m := b.model(ViewProduct, ch.Participants)
	m.Title = texts(b.lang()).titles[ViewProduct] + ": " + productName(ds, o.Product)
	return m, nil
}

func productName(ds *gm.Dataset, code string) string {
	for _, p := range ds.Products {
		if p.Code == code {
			return p.Name + " (" + code + ")"
		}
	}
	return code
}

// NichesView draws the imported inputs: a foreign-supply node, one node per
// niche product (shaded by its gap) and the participants importing it.
func NichesView(rep *analysis.Report, ds *gm.Dataset, o ViewOptions) (*Model, error) {
	b := newBuilder(rep, ds, o)
	t := texts(b.lang())
	max := o.MaxNiches
	if max <= 0 {
		max = 10
	}
	niches := rep.Niches
	if len(niches) > max {
		niches = niches[:max]
	}
	m := b.model(ViewNiches, nil)
	if len(niches) == 0 {
		return nil, gm.Errorf(gm.ENOTFOUND, "the cluster has no investment niches (no imported product exceeds the capacity inside the cluster)")
	}
	maxGap := 0.0
	for _, n := range niches {
		maxGap = math.Max(maxGap, n.GapRUB)
	}
	m.Nodes = append(m.Nodes, Node{ID: "foreign", Label: t.foreign, Kind: "foreign", Stage: 0})
	seen := map[string]bool{}
	for _, n := range niches {
		pid := "import:" + n.ProductCode
		// The product's whole name, never cut: it is what the niche is.
		label := n.ProductName
		if label == "" {
			label = n.ProductCode
		}
		m.Nodes = append(m.Nodes, Node{ID: pid, Label: label, Sublabel: n.ProductCode + ", " + t.gap + " " + money(n.GapRUB, b.lang()), Kind: "import", Stage: 1, Highlight: n.GapRUB / maxGap,
			Full: true, Tooltip: map[bool]string{true: n.Summary, false: n.SummaryRU}[b.lang() == "en"]})
		m.Edges = append(m.Edges, Edge{From: "foreign", To: pid, ValueRUB: n.ImportedRUB, Valued: true, Import: true, Tooltip: t.importOf + ": " + label})
		for _, imp := range n.Importers {
			if !seen[imp.ParticipantID] {
				seen[imp.ParticipantID] = true
				nd := b.node(imp.ParticipantID)
				nd.Stage = 2
				m.Nodes = append(m.Nodes, nd)
			}
			m.Edges = append(m.Edges, Edge{From: pid, To: imp.ParticipantID, ValueRUB: imp.ValueRUB, Valued: true, Import: true,
				Tooltip: fmt.Sprintf("%s → %s: %s", n.ProductName, b.names[imp.ParticipantID], money(imp.ValueRUB, b.lang()))})
		}
	}
	return m, nil
}

// ScenarioView sets a scenario beside the base: participants and links the
// scenario adds are green, those it removes grey and dashed.
func ScenarioView(base, scen *analysis.Report, baseDS, scenDS *gm.Dataset, o ViewOptions) (*Model, error) {
	bb := newBuilder(base, baseDS, o)
	sb := newBuilder(scen, scenDS, o)
	inBase, inScen := map[string]bool{}, map[string]bool{}
	for _, p := range base.Participants {
		inBase[p.ID] = true
	}
	for _, p := range scen.Participants {
		inScen[p.ID] = true
	}
	m := sb.model(ViewScenario, nil)
	m.Nodes, m.Edges = nil, nil
	for _, p := range scen.Participants {
		n := sb.node(p.ID)
		if !inBase[p.ID] {
			n.Status = Added
		}
		m.Nodes = append(m.Nodes, n)
	}
	for _, p := range base.Participants {
		if !inScen[p.ID] {
			n := bb.node(p.ID)
			n.Status = Removed
			m.Nodes = append(m.Nodes, n)
		}
	}
	all := map[string]bool{}
	for id := range inBase {
		all[id] = true
	}
	for id := range inScen {
		all[id] = true
	}
	baseEdges := map[[2]string]Edge{}
	for _, e := range bb.edges(all) {
		baseEdges[[2]string{e.From, e.To}] = e
	}
	replaced := map[[2]string]bool{}
	for _, l := range scenDS.Links {
		if l.Source == analysis.ReplacementSource {
			replaced[[2]string{l.SupplierID, l.BuyerID}] = true
		}
	}
	scenEdges := map[[2]string]bool{}
	for _, e := range sb.edges(all) {
		k := [2]string{e.From, e.To}
		scenEdges[k] = true
		if be, ok := baseEdges[k]; !ok {
			e.Status = Added
		} else if be.ValueRUB != e.ValueRUB {
			e.Status = Changed
		}
		if replaced[k] {
			e.Replaces = true
			e.Tooltip += " " + texts(sb.lang()).replaces
		}
		m.Edges = append(m.Edges, e)
	}
	for k, e := range baseEdges {
		if !scenEdges[k] {
			e.Status = Removed
			m.Edges = append(m.Edges, e)
		}
	}
	sort.SliceStable(m.Edges, func(i, j int) bool {
		if m.Edges[i].From != m.Edges[j].From {
			return m.Edges[i].From < m.Edges[j].From
		}
		return m.Edges[i].To < m.Edges[j].To
	})
	return m, nil
}

// Build makes the model of a view (all but the scenario view).
func Build(view string, rep *analysis.Report, ds *gm.Dataset, o ViewOptions) (*Model, error) {
	switch view {
	case ViewCluster, "":
		return ClusterView(rep, ds, o)
	case ViewParticipant:
		if o.Participant == "" {
			return nil, gm.Errorf(gm.EINVALID, "view=participant needs participant=ID")
		}
		return ParticipantView(rep, ds, o)
	case ViewProduct:
		if o.Product == "" {
			return nil, gm.Errorf(gm.EINVALID, "view=product needs product=CODE")
		}
		return ProductView(rep, ds, o)
	case ViewNiches:
		return NichesView(rep, ds, o)
	case ViewScenario:
		return nil, gm.Errorf(gm.EINVALID, "the scenario view compares a saved scenario with the base: use /clusters/{id}/scenarios/{sid}/diagram.svg")
	}
	return nil, gm.Errorf(gm.EINVALID, "unknown view %q: use %s", view, strings.Join(Views, ", "))
}
