package analysis

import (
	"fmt"
	"sort"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Rating blocks of the I National rating of regions (Atlas 2025, 001:968-1045).
const (
	BlockS1 = "S1" // quantitative indicators
	BlockS2 = "S2" // support measures
	BlockS3 = "S3" // investment niches
	BlockS4 = "S4" // cluster infrastructure
	BlockS5 = "S5" // competence building
)

// RatingBlocks lists the blocks in the Atlas's order of the results table.
var RatingBlocks = []string{BlockS1, BlockS2, BlockS3, BlockS4, BlockS5}

// RatingIndicator is one private indicator (частный индикатор) of the
// rating: a region's value is divided by the largest value among the regions
// and multiplied by the weight, in percentage points of the total.
type RatingIndicator struct {
	Key    string  `json:"key"`
	Block  string  `json:"block"`
	Weight float64 `json:"weight"`
	// Presence marks a «наличие» (is there…) indicator: any positive value
	// counts as 1.
	Presence bool `json:"presence"`
	// Computed says whether coopchain has the data for it; Basis says from
	// what (or why not), in English.
	Computed bool   `json:"computed"`
	Basis    string `json:"basis"`
}

// RatingMethod is the list of indicators with their weights.
type RatingMethod struct {
	Indicators []RatingIndicator `json:"indicators"`
}

// BlockMax is the most points a block can give (the sum of its weights).
func (m RatingMethod) BlockMax(block string) float64 {
	s := 0.0
	for _, in := range m.Indicators {
		if in.Block == block {
			s += in.Weight
		}
	}
	return s
}

// ComputedMax is the most points the indicators coopchain computes can
// give, per block.
func (m RatingMethod) ComputedMax(block string) float64 {
	s := 0.0
	for _, in := range m.Indicators {
		if in.Block == block && in.Computed {
			s += in.Weight
		}
	}
	return s
}

// Indicator returns the indicator of that key.
func (m RatingMethod) Indicator(key string) (RatingIndicator, bool) {
	for _, in := range m.Indicators {
		if in.Key == key {
			return in, true
		}
	}
	return RatingIndicator{}, false
}

// Keys of the indicators coopchain computes (the what-if levers change them).
const (
	IndClusters       = "s1_clusters"
	IndSOPCClusters   = "s1_sopc_clusters"
	IndParticipants   = "s1_participants"
	IndHistorical     = "s1_historical_regions"
	IndImportProjects = "s1_import_projects"
	IndRegionMeasures = "s2_regional_measures"
	IndNicheVolume    = "s3_niche_volume"
	IndNicheProducts  = "s3_niche_products"
	IndUniversity     = "s4_university"
	IndParks          = "s4_parks"
)

// DefaultRatingMethod is the Atlas's structure of the rating (001:968-1045)
// with coopchain's weights. The Atlas publishes the structure and the
// normalisation (each indicator divided by the maximum among the regions,
// 001:865) but no weights. Assumed here: S1 55 points (5 per indicator), S2
// 30 (7.5 each), S3 5 (2.5 each); S4 and S5 5 each, split 2/2/1 and 3/1/1,
// a split that yields every published S4 value (0, 1, 2, 3, 5) and S5
// values 0, 3, 4, 5 (001:1056-1075). The totals add up to 100.
func DefaultRatingMethod() RatingMethod {
	no := func(key, block string, w float64, presence bool, why string) RatingIndicator {
		return RatingIndicator{Key: key, Block: block, Weight: w, Presence: presence, Basis: why}
	}
	yes := func(key, block string, w float64, presence bool, basis string) RatingIndicator {
		return RatingIndicator{Key: key, Block: block, Weight: w, Presence: presence, Computed: true, Basis: basis}
	}
	return RatingMethod{Indicators: []RatingIndicator{
		yes(IndClusters, BlockS1, 5, false, "registry: clusters listing the region"),
		yes(IndSOPCClusters, BlockS1, 5, false, "the region of the cluster's SOPC participant, else the only region of a one-region cluster"),
		no("s1_new_clusters", BlockS1, 5, false, "the registry keeps no date of inclusion"),
		no("s1_new_sopc_clusters", BlockS1, 5, false, "the registry keeps no date of inclusion"),
		yes(IndParticipants, BlockS1, 5, false, "industrial enterprises of clusters with data by their region; the registry's count for one-region clusters without data"),
		no("s1_new_participants", BlockS1, 5, false, "no date of joining is kept"),
		yes(IndHistorical, BlockS1, 5, false, "registry: clusters of the region that also list a historical region (DPR, LPR, Zaporozhye, Kherson)"),
		no("s1_made_in_russia", BlockS1, 5, true, "the «Made in Russia» status is not kept"),
		yes(IndImportProjects, BlockS1, 5, false, "import-substitution projects of participants in the region (clusters with data)"),
		no("s1_industrial_tourism", BlockS1, 5, true, "industrial tourism is not kept"),
		no("s1_strategy", BlockS1, 5, true, "regional strategy documents are not kept"),
		no("s2_federal_cluster_measures", BlockS2, 7.5, true, "which measures participants received is not kept"),
		yes(IndRegionMeasures, BlockS2, 7.5, true, "regional support measures of the Atlas for the region"),
		no("s2_regional_applied", BlockS2, 7.5, true, "which measures participants received is not kept"),
		no("s2_federal_general_applied", BlockS2, 7.5, true, "which measures participants received is not kept"),
		yes(IndNicheVolume, BlockS3, 2.5, false, "imports of participants in the region, RUB (withheld under the threshold of importers)"),
		yes(IndNicheProducts, BlockS3, 2.5, false, "distinct imported products of participants in the region"),
		yes(IndUniversity, BlockS4, 2, true, "a university or research participant in the region's clusters with data (for the SOPC's agreement)"),
		yes(IndParks, BlockS4, 2, true, "an infrastructure participant (park, technopark, SEZ) in the region's clusters with data"),
		no("s4_site", BlockS4, 1, true, "clusters' web sites are not kept"),
		no("s5_proclusters", BlockS5, 3, true, "«PROКластеры» participation is not kept"),
		no("s5_proclusters_prize", BlockS5, 1, true, "«PROКластеры» prizes are not kept"),
		no("s5_specialists", BlockS5, 1, true, "SOPC staff qualifications are not kept"),
	}}
}

// RegionFacts is what is known of a region, per indicator key: a value
// (nil or absent: no data) and whether it is a lower bound (some of the
// region's clusters have no data to count from).
type RegionFacts struct {
	Region  string
	Values  map[string]*float64
	Partial map[string]bool
}

// IndicatorScore is one indicator of a region in the estimate.
type IndicatorScore struct {
	Key     string   `json:"key"`
	Block   string   `json:"block"`
	Value   *float64 `json:"value"`   // null: no data
	Max     *float64 `json:"max"`     // the largest value among the regions (the divisor)
	Points  *float64 `json:"points"`  // weight × value / max; null: no data
	Partial bool     `json:"partial"` // the value is a lower bound
}

// BlockScore is one block of a region's estimate.
type BlockScore struct {
	Block  string  `json:"block"`
	Points float64 `json:"points"`
}

// RegionEstimate is a region's estimated rating.
type RegionEstimate struct {
	Rank       int              `json:"rank"`
	Region     string           `json:"region"`
	Blocks     []BlockScore     `json:"blocks"`
	Total      float64          `json:"total"`
	Indicators []IndicatorScore `json:"indicators"`
}

// Block returns the points of a block.
func (e RegionEstimate) Block(b string) float64 {
	for _, s := range e.Blocks {
		if s.Block == b {
			return s.Points
		}
	}
	return 0
}

// level is the value an indicator compares: 0/1 for a presence one.
func (in RatingIndicator) level(v float64) float64 {
	if in.Presence {
		if v > 0 {
			return 1
		}
		return 0
	}
	return v
}

// EstimateRating computes the rating the Atlas's way: each indicator of a
// region divided by its largest value among the regions (regions without
// data for it left out), times its weight; blocks and the total are sums.
// Indicators without data give no points and are marked. Regions are ranked
// by total (ties share a rank), then by name.
func EstimateRating(m RatingMethod, facts []RegionFacts) []RegionEstimate {
	maxOf := map[string]*float64{}
	for _, in := range m.Indicators {
		for _, f := range facts {
			if v := f.Values[in.Key]; v != nil {
				l := in.level(*v)
				if maxOf[in.Key] == nil || l > *maxOf[in.Key] {
					maxOf[in.Key] = gm.Ptr(l)
				}
			}
		}
	}
	out := make([]RegionEstimate, 0, len(facts))
	for _, f := range facts {
		e := RegionEstimate{Region: f.Region, Indicators: []IndicatorScore{}}
		points := map[string]float64{}
		for _, in := range m.Indicators {
			s := IndicatorScore{Key: in.Key, Block: in.Block, Max: maxOf[in.Key], Partial: f.Partial[in.Key]}
			if v := f.Values[in.Key]; v != nil {
				s.Value = gm.Ptr(*v)
				p := 0.0
				if mx := maxOf[in.Key]; mx != nil && *mx > 0 {
					p = in.Weight * in.level(*v) / *mx
				}
				s.Points = &p
				points[in.Block] += p
			}
			e.Indicators = append(e.Indicators, s)
		}
		for _, b := range RatingBlocks {
			e.Blocks = append(e.Blocks, BlockScore{Block: b, Points: points[b]})
			e.Total += points[b]
		}
		out = append(out, e)
	}
	rankEstimates(out)
	return out
}

// rankEstimates sorts by total, best first, then by region; equal totals
// (to 1e-9) share a rank.
func rankEstimates(es []RegionEstimate) {
	sort.SliceStable(es, func(i, j int) bool {
		if d := es[i].Total - es[j].Total; d > 1e-9 || d < -1e-9 {
			return d > 0
		}
		return es[i].Region < es[j].Region
	})
	for i := range es {
		es[i].Rank = i + 1
		if i > 0 && es[i-1].Total-es[i].Total <= 1e-9 {
			es[i].Rank = es[i-1].Rank
		}
	}
}

// WhatIf is a change to a region's facts: amounts added to indicators.
type WhatIf map[string]float64

// WhatIfResult is a region's estimate before and after a change, with the
// whole rating after it (other regions' points change too: the maxima may).
type WhatIfResult struct {
	Region string           `json:"region"`
	Change WhatIf           `json:"change"`
	Before RegionEstimate   `json:"before"`
	After  RegionEstimate   `json:"after"`
	Rating []RegionEstimate `json:"-"`
}

// ApplyWhatIf estimates the rating with the change applied to the region:
// each amount is added to the region's value (an indicator without data
// stays without data). The region must be among the facts.
func ApplyWhatIf(m RatingMethod, facts []RegionFacts, region string, w WhatIf) (*WhatIfResult, error) {
	idx := -1
	for i, f := range facts {
		if f.Region == region {
			idx = i
		}
	}
	if idx < 0 {
		return nil, gm.Errorf(gm.ENOTFOUND, "region %q is not in the rating", region)
	}
	for k := range w {
		if in, ok := m.Indicator(k); !ok || !in.Computed {
			return nil, gm.Invalid("invalid change", []gm.Problem{{Column: k, Message: fmt.Sprintf("%s is not an indicator coopchain computes", k),
				MessageRU: fmt.Sprintf("%s — не показатель, который рассчитывает coopchain", k)}})
		}
	}
	before := EstimateRating(m, facts)
	changed := make([]RegionFacts, len(facts))
	copy(changed, facts)
	vals := map[string]*float64{}
	for k, v := range facts[idx].Values {
		vals[k] = v
	}
	for k, d := range w {
		if v := vals[k]; v != nil {
			vals[k] = gm.Ptr(*v + d)
		}
	}
	changed[idx].Values = vals
	after := EstimateRating(m, changed)
	res := &WhatIfResult{Region: region, Change: w, Rating: after}
	for _, e := range before {
		if e.Region == region {
			res.Before = e
		}
	}
	for _, e := range after {
		if e.Region == region {
			res.After = e
		}
	}
	return res, nil
}
