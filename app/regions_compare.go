package app

import (
	"context"
	"sort"
	"strconv"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// MaxCompared is how many regions a comparison shows side by side.
const MaxCompared = 10

// RegionNiche is a published niche of a cluster of the region: no
// company's figure (the public form's rule applies).
type RegionNiche struct {
	ClusterID    string   `json:"cluster_id"`
	ClusterName  string   `json:"cluster_name"`
	ProductCode  string   `json:"product_code"`
	ProductName  string   `json:"product_name"`
	GapRUB       *float64 `json:"gap_rub"` // null when confidential
	Confidential bool     `json:"confidential"`
}

// RegionColumn is one region of a comparison.
type RegionColumn struct {
	Region   string       `json:"region"`
	District string       `json:"district,omitempty"`
	Clusters []gm.Cluster `json:"clusters"`
	// Participants is the registry's participants of the region's clusters
	// (an interregional cluster's whole count: the registry does not split it).
	Participants    int           `json:"participants"`
	Specialisations []string      `json:"specialisations"`
	LQ              []analysis.LQ `json:"lq"` // null: no employment data for the region
	Estimate        EstimateRow   `json:"estimate"`
	// Indicators are the statutory indicators of the participants located
	// in the region (null: nobody there reported).
	Indicators *RegionIndicators `json:"indicators"`
	Niches     []RegionNiche     `json:"niches"` // null for callers not signed in
}

// RegionIndicators are the accepted statutory indicators of a region's
// participants (by their own region, whatever their cluster) of the latest
// year any of them reported; below the threshold of reporting participants
// the sums are suppressed.
type RegionIndicators struct {
	Year                 int                 `json:"year"`
	ParticipantsReported int                 `json:"participants_reported"`
	Suppressed           bool                `json:"suppressed"`
	Totals               map[string]*float64 `json:"totals,omitempty"` // absent when suppressed
}

// regionIndicators sums the accepted indicators of the participants of
// every cluster with data by their region (a participant reporting in
// several clusters counts once a year).
func (a *App) regionIndicators(ctx context.Context, b *regionBase) (map[string]*RegionIndicators, error) {
	byRegion := map[string]map[int][]gm.IndicatorRecord{}
	seen := map[string]bool{}
	ids := make([]string, 0, len(b.data))
	for id := range b.data {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		region := map[string]string{}
		for _, p := range b.data[id].Participants {
			if r := b.canonical(p.Region); r != "" {
				region[p.ID] = r
			}
		}
		rs, err := a.store.ReportedIndicators(ctx, id, 0)
		if err != nil {
			return nil, err
		}
		for _, rec := range rs {
			r := region[rec.ParticipantID]
			k := rec.ParticipantID + "|" + strconv.Itoa(rec.Year)
			if r == "" || seen[k] {
				continue
			}
			seen[k] = true
			if byRegion[r] == nil {
				byRegion[r] = map[int][]gm.IndicatorRecord{}
			}
			byRegion[r][rec.Year] = append(byRegion[r][rec.Year], rec)
		}
	}
	out := map[string]*RegionIndicators{}
	for r, years := range byRegion {
		latest := 0
		for y := range years {
			latest = max(latest, y)
		}
		ri := &RegionIndicators{Year: latest, ParticipantsReported: reporting(years[latest])}
		if ri.ParticipantsReported < a.cfg.AggregationThreshold {
			ri.Suppressed = true
		} else {
			ri.Totals, _ = totals(years[latest])
		}
		out[r] = ri
	}
	return out, nil
}

// RegionComparison is up to MaxCompared regions side by side.
type RegionComparison struct {
	Label   string         `json:"label"`
	Blocks  []RatingBlock  `json:"blocks"`
	Regions []RegionColumn `json:"regions"`
}

// ParseRegions checks a comparison's list: 1 to MaxCompared names, each a
// known region (duplicates dropped).
func (b *regionBase) parseRegions(names []string) ([]string, error) {
	var out []string
	var bad []gm.Problem
	seen := map[string]bool{}
	for _, n := range names {
		r := b.canonical(n)
		if r == "" {
			bad = append(bad, gm.Problem{Column: "r", Value: n, Message: "unknown region", MessageRU: "нет такого субъекта РФ в реестре, рейтинге или мерах поддержки"})
			continue
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	switch {
	case len(bad) > 0:
		return nil, gm.Invalid("unknown regions", bad)
	case len(out) == 0:
		return nil, gm.Invalid("no regions", []gm.Problem{{Column: "r", Message: "name 1 to " + strconv.Itoa(MaxCompared) + " regions: ?r=…&r=…", MessageRU: "укажите от 1 до " + strconv.Itoa(MaxCompared) + " субъектов РФ"}})
	case len(out) > MaxCompared:
		n := strconv.Itoa(len(out))
		return nil, gm.Invalid("too many regions", []gm.Problem{{Column: "r",
			Message: n + " regions given; at most " + strconv.Itoa(MaxCompared) + " are compared", MessageRU: "выбрано субъектов РФ: " + n + "; сравниваются не более " + strconv.Itoa(MaxCompared)}})
	}
	return out, nil
}

// CompareRegions puts regions side by side: clusters, participants,
// specialisations, location quotients (where the employment table has the
// region), the rating estimate and, for signed-in callers, the published
// niches of the region's clusters (public).
func (a *App) CompareRegions(ctx context.Context, me Principal, names []string) (*RegionComparison, error) {
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	regions, err := b.parseRegions(names)
	if err != nil {
		return nil, err
	}
	est, err := a.RatingEstimate(ctx)
	if err != nil {
		return nil, err
	}
	emp, err := a.store.Employment(ctx)
	if err != nil {
		return nil, err
	}
	lqs := analysis.LocationQuotients(emp)
	inds, err := a.regionIndicators(ctx, b)
	if err != nil {
		return nil, err
	}
	var niches []PublicNiche
	if SignedIn.Allows(me, "") {
		if niches, err = a.allPublishedNiches(ctx); err != nil {
			return nil, err
		}
	}
	out := &RegionComparison{Label: est.Label, Blocks: est.Blocks, Regions: make([]RegionColumn, 0, len(regions))}
	for _, r := range regions {
		col := RegionColumn{Region: r, District: analysis.FederalDistrict(r), Clusters: append([]gm.Cluster{}, b.byRegion[r]...), Specialisations: []string{}}
		sort.Slice(col.Clusters, func(i, j int) bool { return col.Clusters[i].RegistryNo < col.Clusters[j].RegistryNo })
		inRegion, seenSpec := map[string]bool{}, map[string]bool{}
		for _, c := range col.Clusters {
			col.Participants += c.ParticipantsCount
			inRegion[c.ID] = true
			if c.Specialization != "" && !seenSpec[c.Specialization] {
				seenSpec[c.Specialization] = true
				col.Specialisations = append(col.Specialisations, c.Specialization)
			}
		}
		for _, l := range lqs {
			if b.canonical(l.Region) == r {
				col.LQ = append(col.LQ, l)
			}
		}
		sort.SliceStable(col.LQ, func(i, j int) bool { return lqValue(col.LQ[i]) > lqValue(col.LQ[j]) })
		col.Estimate, _ = est.Row(r)
		col.Indicators = inds[r]
		if niches != nil {
			col.Niches = []RegionNiche{}
			for _, n := range niches {
				if inRegion[n.ClusterID] {
					col.Niches = append(col.Niches, RegionNiche{ClusterID: n.ClusterID, ClusterName: n.ClusterName, ProductCode: n.ProductCode,
						ProductName: n.ProductName, GapRUB: n.GapRUB, Confidential: n.Confidential})
				}
			}
		}
		out.Regions = append(out.Regions, col)
	}
	return out, nil
}

func lqValue(l analysis.LQ) float64 {
	if l.LQ == nil {
		return -1
	}
	return *l.LQ
}
