package app

import (
	"context"
	"sort"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// ClusterEntry is a registry entry with what the documents say of it: the
// figures and status of a foreign or planned cluster of the reference data.
type ClusterEntry struct {
	gm.Cluster
	Status    string             `json:"status,omitempty"`
	Figures   []gm.ClusterFigure `json:"figures,omitempty"`
	Reference bool               `json:"reference"` // from the source documents, not stored in the database
}

// Page is one page of a list and the number of all matches.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// PageOf cuts one page out of a whole list.
func PageOf[T any](all []T, limit, offset int) Page[T] {
	total := len(all)
	offset = min(max(offset, 0), total)
	end := min(offset+limit, total)
	items := all[offset:end]
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: total, Limit: limit, Offset: offset}
}

// Clusters lists the registry (public). The Eurasian scope (?scope=eurasia
// or all, or kind foreign/planned) joins the reference entries to the
// stored clusters; nothing of it counts towards the registry's total.
func (a *App) Clusters(ctx context.Context, f gm.ClusterFilter) (Page[ClusterEntry], error) {
	eurasian, err := eurasianListing(f)
	if err != nil {
		return Page[ClusterEntry]{}, err
	}
	if eurasian {
		return a.listEurasia(ctx, f)
	}
	cs, total, err := a.store.ListClusters(ctx, f)
	if err != nil {
		return Page[ClusterEntry]{}, err
	}
	items := make([]ClusterEntry, len(cs))
	for i, c := range cs {
		items[i] = ClusterEntry{Cluster: c}
	}
	return Page[ClusterEntry]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset}, nil
}

// RegistryClusters lists stored clusters of the registry scope as the
// store has them (for pages).
func (a *App) RegistryClusters(ctx context.Context, f gm.ClusterFilter) ([]gm.Cluster, int, error) {
	return a.store.ListClusters(ctx, f)
}

// ClusterEntry returns a stored cluster or, failing that, a reference
// entry (foreign, planned) of the same id.
func (a *App) ClusterEntry(ctx context.Context, id string) (ClusterEntry, error) {
	cl, err := a.store.GetCluster(ctx, id)
	if gm.ErrorCode(err) == gm.ENOTFOUND {
		if e, ok := a.eurasiaEntry(id); ok {
			return e, nil
		}
	}
	if err != nil {
		return ClusterEntry{}, err
	}
	return ClusterEntry{Cluster: *cl}, nil
}

// eurasianListing reports whether a registry query asks for the Eurasian
// scope, which the reference data joins; an unknown scope is invalid.
func eurasianListing(f gm.ClusterFilter) (bool, error) {
	switch f.Scope {
	case "", gm.ScopeRegistry:
		return gm.IsEurasian(gm.ClusterKind(f.Kind)), nil
	case gm.ScopeEurasia, gm.ScopeAll:
		return true, nil
	}
	return false, gm.Invalid("invalid scope", []gm.Problem{{Column: "scope", Value: f.Scope,
		Message: "one of registry (the default: the Russian registry), eurasia (foreign and planned clusters) or all", MessageRU: "одно из registry (по умолчанию: реестр России), eurasia (зарубежные и планируемые кластеры) или all"}})
}

// ReferenceEntries are the foreign and planned clusters of the source
// documents, foreign first, then by country and id.
func (a *App) ReferenceEntries() []ClusterEntry {
	figs := map[string][]gm.ClusterFigure{}
	for _, f := range a.ref.Figures {
		figs[f.ClusterID] = append(figs[f.ClusterID], f)
	}
	out := make([]ClusterEntry, 0, len(a.ref.Clusters))
	for _, c := range a.ref.Clusters {
		out = append(out, ClusterEntry{Cluster: c, Status: a.ref.ClusterNotes[c.ID], Figures: figs[c.ID], Reference: true})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind == gm.ClusterForeign
		}
		if out[i].Country != out[j].Country {
			return out[i].Country < out[j].Country
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (a *App) eurasiaEntry(id string) (ClusterEntry, bool) {
	for _, e := range a.ReferenceEntries() {
		if e.ID == id {
			return e, true
		}
	}
	return ClusterEntry{}, false
}

// ContainsFold reports whether v contains q, ignoring case ("" matches).
func ContainsFold(v, q string) bool {
	return q == "" || strings.Contains(strings.ToLower(v), strings.ToLower(q))
}

// matchEntry applies the registry filter to a reference entry, as the
// store applies it to stored clusters.
func matchEntry(f gm.ClusterFilter, e ClusterEntry) bool {
	if !f.InScope(e.Kind) || f.Kind != "" && string(e.Kind) != f.Kind || !ContainsFold(e.Name, f.Query) || !ContainsFold(e.Specialization, f.Specialization) {
		return false
	}
	if f.Region == "" {
		return true
	}
	for _, r := range e.Regions {
		if ContainsFold(r, f.Region) {
			return true
		}
	}
	return false
}

func (a *App) listEurasia(ctx context.Context, f gm.ClusterFilter) (Page[ClusterEntry], error) {
	limit, offset := f.Limit, f.Offset
	f.Limit, f.Offset = 0, 0
	stored, _, err := a.store.ListClusters(ctx, f)
	if err != nil {
		return Page[ClusterEntry]{}, err
	}
	var all []ClusterEntry
	for _, e := range a.ReferenceEntries() {
		if matchEntry(f, e) {
			all = append(all, e)
		}
	}
	st := make([]ClusterEntry, 0, len(stored))
	for _, x := range stored {
		st = append(st, ClusterEntry{Cluster: x})
	}
	if f.Scope == gm.ScopeAll {
		all = append(st, all...)
	} else {
		all = append(all, st...)
	}
	return PageOf(all, limit, offset), nil
}

// RegionRating is the I National rating of regions, best first (public).
func (a *App) RegionRating(ctx context.Context) ([]gm.RegionRating, error) {
	return a.store.RegionRating(ctx)
}

// Products searches the product catalogue by code or name (public).
func (a *App) Products(ctx context.Context, q string, limit, offset int) (Page[gm.Product], error) {
	ps, total, err := a.store.Products(ctx, q, limit, offset)
	if err != nil {
		return Page[gm.Product]{}, err
	}
	return Page[gm.Product]{Items: ps, Total: total, Limit: limit, Offset: offset}, nil
}

// PublishedLQ lists the location quotients the documents publish.
func (a *App) PublishedLQ(country, region, industry string) []gm.PublishedLQ {
	out := []gm.PublishedLQ{}
	for _, l := range a.ref.PublishedLQ {
		if (country == "" || strings.EqualFold(l.Country, country)) && ContainsFold(l.Region, region) && ContainsFold(l.Industry, industry) {
			out = append(out, l)
		}
	}
	return out
}

// Reference is the reference data (read-only).
func (a *App) Reference() *gm.Reference { return a.ref }

// MeasureFilter selects support measures: a region (its own measures plus
// the federal and EAEU ones, which apply everywhere), a kind and a level.
type MeasureFilter struct {
	Region, Kind, Level string
}

// Check validates the filter's kind and level.
func (f MeasureFilter) Check() error {
	var bad []gm.Problem
	if f.Kind != "" && !isOneOf(f.Kind, gm.MeasureKinds) {
		bad = append(bad, gm.Problem{Column: "kind", Value: f.Kind, Message: "one of " + strings.Join(gm.MeasureKinds, ", "), MessageRU: "одно из " + strings.Join(gm.MeasureKinds, ", ")})
	}
	if f.Level != "" && !isOneOf(f.Level, gm.MeasureLevels) {
		bad = append(bad, gm.Problem{Column: "level", Value: f.Level, Message: "one of " + strings.Join(gm.MeasureLevels, ", "), MessageRU: "одно из " + strings.Join(gm.MeasureLevels, ", ")})
	}
	if len(bad) > 0 {
		return gm.Invalid("invalid filter", bad)
	}
	return nil
}

func isOneOf(v string, valid []string) bool {
	for _, x := range valid {
		if x == v {
			return true
		}
	}
	return false
}

// Measures returns the reference measures matching f, federal first.
func (a *App) Measures(f MeasureFilter) ([]gm.SupportMeasure, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	out := []gm.SupportMeasure{}
	for _, m := range a.ref.Measures {
		if f.Kind != "" && m.Kind != f.Kind || f.Level != "" && m.Level != f.Level {
			continue
		}
		if f.Region != "" && m.Level == gm.LevelRegional && !analysis.SameRegion(m.Region, f.Region) && !ContainsFold(m.Region, f.Region) {
			continue
		}
		out = append(out, m)
	}
	order := map[string]int{gm.LevelFederal: 0, gm.LevelEAEU: 1, gm.LevelRegional: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if order[out[i].Level] != order[out[j].Level] {
			return order[out[i].Level] < order[out[j].Level]
		}
		return out[i].Region < out[j].Region
	})
	return out, nil
}

// MeasureRegions are the regions that have measures of their own, sorted.
func (a *App) MeasureRegions() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range a.ref.Measures {
		if m.Region != "" && !seen[m.Region] {
			seen[m.Region] = true
			out = append(out, m.Region)
		}
	}
	sort.Strings(out)
	return out
}

// EAEURules are the EAEU cooperation mechanism's conditions.
func (a *App) EAEURules() (gm.EAEURules, error) {
	if a.ref.EAEU.MinStates == 0 {
		return gm.EAEURules{}, gm.Errorf(gm.EUNAVAILABLE, "the EAEU rules are not loaded")
	}
	return a.ref.EAEU, nil
}

// CheckEAEU checks a proposed cooperation project against the EAEU rules.
func (a *App) CheckEAEU(p analysis.EAEUProject) (*analysis.EAEUCheck, error) {
	r, err := a.EAEURules()
	if err != nil {
		return nil, err
	}
	if len(p.Participants) == 0 {
		return nil, gm.Invalid("invalid project", []gm.Problem{{Column: "participants", Message: "list the project's participants with their countries", MessageRU: "перечислите участников проекта и их страны"}})
	}
	return analysis.CheckEAEU(r, p)
}

// EAEUChains lists the cluster's cooperation chains that already span
// enough EAEU member states for the mechanism (members).
func (a *App) EAEUChains(ctx context.Context, me Principal, cl *gm.Cluster) ([]analysis.EAEUChain, gm.EAEURules, error) {
	if err := Read.Check(me, cl.ID); err != nil {
		return nil, gm.EAEURules{}, err
	}
	r, err := a.EAEURules()
	if err != nil {
		return nil, r, err
	}
	ds, err := a.store.ClusterData(ctx, cl.ID)
	if err != nil {
		return nil, r, err
	}
	return analysis.EAEUChains(ds, r), r, nil
}

// PublishedNeeds are a cluster's identified needs as a source document
// publishes them (the Atlas prints the Omsk SOPC's): public figures, one per
// printed figure; an empty list, never nil. The cluster must exist (stored
// or a reference entry).
func (a *App) PublishedNeeds(ctx context.Context, clusterID string) ([]gm.PublishedNeed, error) {
	if _, err := a.ClusterEntry(ctx, clusterID); err != nil {
		return nil, err
	}
	out := []gm.PublishedNeed{}
	for _, n := range a.ref.PublishedNeeds {
		if n.ClusterID == clusterID {
			out = append(out, n)
		}
	}
	return out, nil
}
