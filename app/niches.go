package app

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// PublicNiche is a niche as non-members see it: demand only as an
// aggregate, and only when at least the threshold number of participants
// import the product; never a per-company figure or name. A confidential
// niche carries nothing computed from the amounts it hides: no score, and a
// rank after every published niche (by published facts only).
type PublicNiche struct {
	ClusterID          string   `json:"cluster_id"`
	ClusterName        string   `json:"cluster_name,omitempty"`
	Rank               int      `json:"rank"`
	ProductCode        string   `json:"product_code"`
	ProductName        string   `json:"product_name"`
	Score              *float64 `json:"score"` // null when confidential
	Buyers             int      `json:"buyers"`
	ImportSubstitution bool     `json:"import_substitution"`
	AdjacentCount      int      `json:"adjacent_count"`
	Countries          []string `json:"countries"`
	GapRUB             *float64 `json:"gap_rub"`
	ImportedRUB        *float64 `json:"imported_rub"`
	GapQuantity        *float64 `json:"gap_quantity"`
	Unit               string   `json:"unit,omitempty"`
	Confidential       bool     `json:"confidential"` // demand withheld: fewer participants than the threshold
	Illustrative       bool     `json:"illustrative"`
}

// Published reports whether the niche's demand may be shown to someone who
// is not a member of its cluster.
func (a *App) Published(n analysis.Niche) bool { return n.Buyers >= a.cfg.AggregationThreshold }

// PublicNiches is the confidentiality rule applied to a report's niches:
// published ones first, in the report's order (their scores depend on their
// own published facts only), then the confidential ones by number of
// buyers and product code, numbered again from 1.
func (a *App) PublicNiches(r *analysis.Report) []PublicNiche {
	var pub, conf []PublicNiche
	for _, n := range r.Niches {
		p := PublicNiche{ClusterID: r.ClusterID, ClusterName: r.ClusterName, ProductCode: n.ProductCode, ProductName: n.ProductName,
			Buyers: n.Buyers, ImportSubstitution: n.ImportSubstitution, AdjacentCount: len(n.Adjacent), Countries: n.Countries, Unit: n.Unit, Illustrative: n.Illustrative}
		if p.Countries == nil {
			p.Countries = []string{}
		}
		if a.Published(n) {
			g, i, s := n.GapRUB, n.ImportedRUB, n.Score
			p.GapRUB, p.ImportedRUB, p.GapQuantity, p.Score = &g, &i, n.GapQuantity, &s
			pub = append(pub, p)
		} else {
			p.Confidential = true
			conf = append(conf, p)
		}
	}
	sort.SliceStable(conf, func(i, j int) bool {
		if conf[i].Buyers != conf[j].Buyers {
			return conf[i].Buyers > conf[j].Buyers
		}
		return conf[i].ProductCode < conf[j].ProductCode
	})
	out := append(pub, conf...)
	if out == nil {
		out = []PublicNiche{}
	}
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// NicheList is a cluster's niches as the caller may see them: a member gets
// the full niches and the weights, anyone else the public form.
type NicheList struct {
	ClusterID  string                 `json:"cluster_id"`
	Year       int                    `json:"year"`
	Items      any                    `json:"items"`
	Total      int                    `json:"total"`
	Weights    *analysis.NicheWeights `json:"weights,omitempty"`
	Aggregated bool                   `json:"aggregated"`
	Threshold  int                    `json:"threshold,omitempty"`
}

// NichesFor applies the confidentiality rule for the caller to a report.
func (a *App) NichesFor(me Principal, r *analysis.Report) NicheList {
	if me.Member(r.ClusterID) {
		w := analysis.DefaultWeights
		return NicheList{ClusterID: r.ClusterID, Year: r.Year, Items: r.Niches, Total: len(r.Niches), Weights: &w}
	}
	items := a.PublicNiches(r)
	return NicheList{ClusterID: r.ClusterID, Year: r.Year, Items: items, Total: len(items), Aggregated: true, Threshold: a.cfg.AggregationThreshold}
}

// PublishedNiches lists the niches of every cluster with data in the public
// form (members of a cluster see the same here), product codes starting
// with product when it is given; published niches by score, then the
// confidential ones.
func (a *App) PublishedNiches(ctx context.Context, me Principal, product string) ([]PublicNiche, error) {
	if err := SignedIn.Check(me, ""); err != nil {
		return nil, err
	}
	all, err := a.allPublishedNiches(ctx)
	if err != nil {
		return nil, err
	}
	out := []PublicNiche{}
	for _, n := range all {
		if product == "" || strings.HasPrefix(n.ProductCode, product) {
			out = append(out, n)
		}
	}
	return out, nil
}

// publishedCache is the cross-cluster niche list of one global data
// version: computed once per version, not once per request.
type publishedCache struct {
	mu      sync.Mutex
	version int64
	items   []PublicNiche
}

// allPublishedNiches is the public niche list of every cluster with data,
// published niches by score first, then the confidential ones.
func (a *App) allPublishedNiches(ctx context.Context) ([]PublicNiche, error) {
	v, err := a.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	a.published.mu.Lock()
	defer a.published.mu.Unlock()
	if a.published.items != nil && a.published.version == v {
		return a.published.items, nil
	}
	cls, _, err := a.store.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll}) // stored foreign and planned clusters publish niches too
	if err != nil {
		return nil, err
	}
	all := []PublicNiche{}
	for i := range cls {
		rep, _, err := a.analyzer.report(ctx, &cls[i], 0)
		if err != nil {
			return nil, err
		}
		if len(rep.Participants) == 0 { // a registry entry without data
			continue
		}
		all = append(all, a.PublicNiches(rep)...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		si, sj := all[i].Score, all[j].Score
		if si == nil || sj == nil {
			return si != nil && sj == nil
		}
		return *si > *sj
	})
	a.published.version, a.published.items = v, all
	return all, nil
}
