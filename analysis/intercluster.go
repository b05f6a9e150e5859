package analysis

import (
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// ClusterDataset is one cluster's data for cross-cluster views.
type ClusterDataset struct {
	ID, Name string
	Data     *gm.Dataset
}

// InterClusterNode is a cluster on the national cooperation diagram.
type InterClusterNode struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Participants int    `json:"participants"`
}

// InterClusterEdge is the summed cooperation from one cluster to another:
// supply links from participants of From to participants of To that are
// not members of To themselves, and matches (a participant of To imports
// what a participant of From can make).
type InterClusterEdge struct {
	From        string  `json:"from"`
	To          string  `json:"to"`
	Links       int     `json:"links"`
	ValueRUB    float64 `json:"value_rub"`    // summed value of the links that have one
	Valued      int     `json:"valued_links"` // links with a value
	Matches     int     `json:"matches"`
	ImportedRUB float64 `json:"matched_imports_rub"` // imports the matches could replace, each buyer's product once
}

// InterClusterFlow is one company-level flow behind an edge: a link or a
// match. It names companies and carries their figures: members only.
type InterClusterFlow struct {
	Kind         string   `json:"kind"` // link or match
	FromCluster  string   `json:"from_cluster"`
	ToCluster    string   `json:"to_cluster"`
	SupplierID   string   `json:"supplier_id"`
	SupplierName string   `json:"supplier_name"`
	BuyerID      string   `json:"buyer_id"`
	BuyerName    string   `json:"buyer_name"`
	ProductCode  string   `json:"product_code"`
	ValueRUB     *float64 `json:"value_rub"` // the link's value, or the buyer's import of the product
}

// InterCluster is cooperation between clusters: nodes, summed edges and
// the company-level flows behind them.
type InterCluster struct {
	Year     int                `json:"year"`
	Clusters []InterClusterNode `json:"clusters"`
	Edges    []InterClusterEdge `json:"edges"`
	Flows    []InterClusterFlow `json:"flows"`
}

type flowKey struct{ from, to string }

// InterClusterCooperation finds the cooperation between clusters in the
// data of the latest year (rows without a year count in every year). A
// participant belongs to every cluster whose data lists it. A link x→y is
// counted between clusters X and Y (X ≠ Y) when the supplier is a member
// of X and not of Y and the buyer a member of Y; a match likewise, from the
// capable participant's clusters to the importer's.
func InterClusterCooperation(cs []ClusterDataset) InterCluster {
	members := map[string]map[string]bool{}
	union := &gm.Dataset{}
	seenP, seenRow := map[string]bool{}, map[[4]any]bool{}
	out := InterCluster{Clusters: []InterClusterNode{}, Edges: []InterClusterEdge{}, Flows: []InterClusterFlow{}}
	for _, c := range cs {
		if c.Data == nil || len(c.Data.Participants) == 0 {
			continue
		}
		out.Clusters = append(out.Clusters, InterClusterNode{ID: c.ID, Name: c.Name, Participants: len(c.Data.Participants)})
		for _, p := range c.Data.Participants {
			if members[p.ID] == nil {
				members[p.ID] = map[string]bool{}
			}
			members[p.ID][c.ID] = true
			if !seenP[p.ID] {
				seenP[p.ID] = true
				union.Participants = append(union.Participants, p)
			}
		}
		union.Links = append(union.Links, c.Data.Links...)
		for _, m := range c.Data.Imports { // a shared participant's rows come with every cluster's data
			if k := [4]any{m.ParticipantID, m.ProductCode, m.Year, m.Country}; !seenRow[k] {
				seenRow[k] = true
				union.Imports = append(union.Imports, m)
			}
		}
		for _, m := range c.Data.Capacities {
			if k := [4]any{"capacity", m.ParticipantID, m.ProductCode, m.Year}; !seenRow[k] {
				seenRow[k] = true
				union.Capacities = append(union.Capacities, m)
			}
		}
	}
	if ys := union.Years(); len(ys) > 0 {
		out.Year = ys[len(ys)-1]
		union = union.ForYear(out.Year)
	}
	names := map[string]string{}
	for _, p := range union.Participants {
		names[p.ID] = p.Name
	}
	edges := map[flowKey]*InterClusterEdge{}
	edge := func(from, to string) *InterClusterEdge {
		k := flowKey{from, to}
		if edges[k] == nil {
			edges[k] = &InterClusterEdge{From: from, To: to}
		}
		return edges[k]
	}
	seenL := map[[4]any]bool{}
	for _, l := range union.Links {
		k := [4]any{l.SupplierID, l.BuyerID, l.ProductCode, l.Year}
		if seenL[k] { // the same link in two clusters' data
			continue
		}
		seenL[k] = true
		for _, pair := range crossPairs(members[l.SupplierID], members[l.BuyerID]) {
			e := edge(pair.from, pair.to)
			e.Links++
			if l.ValueRUB != nil {
				e.ValueRUB += *l.ValueRUB
				e.Valued++
			}
			out.Flows = append(out.Flows, InterClusterFlow{Kind: "link", FromCluster: pair.from, ToCluster: pair.to, SupplierID: l.SupplierID,
				SupplierName: names[l.SupplierID], BuyerID: l.BuyerID, BuyerName: names[l.BuyerID], ProductCode: l.ProductCode, ValueRUB: l.ValueRUB})
		}
	}
	counted := map[[4]string]bool{}
	for _, m := range Matches(union) {
		for _, pair := range crossPairs(members[m.SupplierID], members[m.BuyerID]) {
			e := edge(pair.from, pair.to)
			e.Matches++
			if k := [4]string{pair.from, pair.to, m.BuyerID, m.ProductCode}; !counted[k] {
				counted[k] = true
				e.ImportedRUB += m.ImportedRUB
			}
			out.Flows = append(out.Flows, InterClusterFlow{Kind: "match", FromCluster: pair.from, ToCluster: pair.to, SupplierID: m.SupplierID,
				SupplierName: m.SupplierName, BuyerID: m.BuyerID, BuyerName: names[m.BuyerID], ProductCode: m.ProductCode, ValueRUB: gm.Ptr(m.ImportedRUB)})
		}
	}
	for _, e := range edges {
		out.Edges = append(out.Edges, *e)
	}
	sort.Slice(out.Edges, func(i, j int) bool {
		a, b := out.Edges[i], out.Edges[j]
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	return out
}

// crossPairs are the (from, to) cluster pairs of a flow from a participant
// of the clusters s to one of the clusters b: from ∈ s, to ∈ b, from ≠ to,
// and the supplier not itself a member of to.
func crossPairs(s, b map[string]bool) []flowKey {
	var out []flowKey
	for from := range s {
		for to := range b {
			if from != to && !s[to] {
				out = append(out, flowKey{from, to})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].from != out[j].from {
			return out[i].from < out[j].from
		}
		return out[i].to < out[j].to
	})
	return out
}
