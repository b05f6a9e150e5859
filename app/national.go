package app

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// NationalIndicatorsView is GET /api/v1/indicators: the statutory
// indicators of a year summed per cluster, region or federal district (By)
// and in total, the threshold rule and complementary suppression applied
// (analysis.NationalIndicators), with the change from last year.
type NationalIndicatorsView struct {
	Year      int                          `json:"year"`
	By        string                       `json:"by"`
	Items     []analysis.NationalAggregate `json:"items"`
	Total     analysis.NationalAggregate   `json:"total"`
	Years     []int                        `json:"years"` // years with accepted figures, newest first
	Threshold int                          `json:"threshold"`
}

// nationalCache keeps, for one global data version, every cluster's
// accepted indicator records by year, the computed tables and the national
// niches: the national views read the database once per change.
type nationalCache struct {
	mu       sync.Mutex
	version  int64
	loaded   bool
	clusters []gm.Cluster
	records  map[int][]gm.IndicatorRecord
	years    []int
	tables   map[int]*analysis.NationalTables
	niches   []analysis.NationalNiche
}

// russian reports whether a cluster is one of Russia's (the national view
// leaves the Eurasian-scope foreign clusters out).
func russian(c *gm.Cluster) bool { return c.Country == "" || c.Country == "RU" }

// nationalData returns the cache, filled for the current data version;
// the caller holds its lock until done with it.
func (a *App) nationalData(ctx context.Context) (*nationalCache, error) {
	v, err := a.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &a.national
	c.mu.Lock()
	if c.loaded && c.version == v {
		return c, nil
	}
	c.version, c.loaded, c.clusters, c.years, c.niches = v, false, nil, nil, nil
	c.records, c.tables = map[int][]gm.IndicatorRecord{}, map[int]*analysis.NationalTables{}
	cls, _, err := a.store.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll})
	if err != nil {
		c.mu.Unlock()
		return nil, err
	}
	for i := range cls {
		if !russian(&cls[i]) {
			continue
		}
		c.clusters = append(c.clusters, cls[i])
		rs, err := a.store.ReportedIndicators(ctx, cls[i].ID, 0)
		if err != nil {
			c.mu.Unlock()
			return nil, err
		}
		for _, r := range rs {
			if len(c.records[r.Year]) == 0 {
				c.years = append(c.years, r.Year)
			}
			c.records[r.Year] = append(c.records[r.Year], r)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(c.years)))
	c.loaded = true
	return c, nil
}

// table is the year's tables, computed once per data version (lock held).
func (c *nationalCache) table(year, threshold int) *analysis.NationalTables {
	if t, ok := c.tables[year]; ok {
		return t
	}
	t := analysis.NationalIndicators(year, c.clusters, c.records[year], threshold)
	c.tables[year] = t
	return t
}

// CheckNationalBy checks the by= of the national indicators ("" is cluster).
func CheckNationalBy(by string) (string, error) {
	if by == "" {
		return analysis.LevelCluster, nil
	}
	for _, l := range analysis.NationalLevels {
		if l == by {
			return by, nil
		}
	}
	return "", gm.Invalid("invalid by", []gm.Problem{{Column: "by", Value: by, Message: "use cluster, region or district", MessageRU: "допустимо cluster, region или district"}})
}

// NationalIndicators returns the national indicators of a year (admin and
// analyst); year 0 is the latest year with accepted figures (else last
// year). The items are copies: the caller may change them.
func (a *App) NationalIndicators(ctx context.Context, me Principal, year int, by string) (*NationalIndicatorsView, error) {
	if err := National.Check(me, ""); err != nil {
		return nil, err
	}
	by, err := CheckNationalBy(by)
	if err != nil {
		return nil, err
	}
	c, err := a.nationalData(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	if year == 0 {
		year = time.Now().Year() - 1
		if len(c.years) > 0 {
			year = c.years[0]
		}
	}
	cur := *c.table(year, a.cfg.AggregationThreshold)
	cur.By = map[string][]analysis.NationalAggregate{by: append([]analysis.NationalAggregate(nil), cur.By[by]...)}
	analysis.ChangeBetween(&cur, c.table(year-1, a.cfg.AggregationThreshold))
	return &NationalIndicatorsView{Year: year, By: by, Items: cur.By[by], Total: cur.Total, Years: append([]int{}, c.years...),
		Threshold: a.cfg.AggregationThreshold}, nil
}

// NationalSeries is the national total of every year with accepted
// figures, oldest first (admin and analyst): the page's lines.
func (a *App) NationalSeries(ctx context.Context, me Principal) ([]analysis.NationalAggregate, []int, error) {
	if err := National.Check(me, ""); err != nil {
		return nil, nil, err
	}
	c, err := a.nationalData(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer c.mu.Unlock()
	var out []analysis.NationalAggregate
	var years []int
	for i := len(c.years) - 1; i >= 0; i-- {
		out = append(out, c.table(c.years[i], a.cfg.AggregationThreshold).Total)
		years = append(years, c.years[i])
	}
	return out, years, nil
}

// NationalNichesView is GET /api/v1/national-niches.
type NationalNichesView struct {
	Items     []analysis.NationalNiche `json:"items"`
	Threshold int                      `json:"threshold"`
}

// NationalNiches lists the products that are a niche in several clusters
// (any signed-in caller but a participant company): demand summed under
// analysis.NicheDemandPublished, never a cluster's or a company's figure.
func (a *App) NationalNiches(ctx context.Context, me Principal) (*NationalNichesView, error) {
	if err := SignedIn.Check(me, ""); err != nil {
		return nil, err
	}
	c, err := a.nationalData(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	if c.niches == nil {
		// A cluster's cached report lists the analogues other clusters had
		// when it was computed; the national view is of the current data, so
		// they are read again here (each cluster's data is cached per version).
		national, err := a.analyzer.nationalProducers(ctx, "")
		if err != nil {
			return nil, err
		}
		var in []analysis.ClusterNiches
		for i := range c.clusters {
			rep, _, err := a.analyzer.report(ctx, &c.clusters[i], 0)
			if err != nil {
				return nil, err
			}
			if len(rep.Niches) == 0 {
				continue
			}
			niches := slices.Clone(rep.Niches) // the cached report is shared: not changed
			for j := range niches {
				niches[j].Analogues = analysis.Analogues(national, &c.clusters[i], niches[j].ProductCode)
			}
			in = append(in, analysis.ClusterNiches{Cluster: &c.clusters[i], Niches: niches})
		}
		c.niches = analysis.NationalNiches(in, a.ref.Measures, a.cfg.AggregationThreshold)
	}
	return &NationalNichesView{Items: c.niches, Threshold: a.cfg.AggregationThreshold}, nil
}
