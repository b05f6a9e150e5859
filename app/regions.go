package app

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// RatingBlock names a block of the I National rating as the Atlas heads it
// (001:968-1045), with the most points it gives in coopchain's estimate and
// the most the indicators coopchain can compute give.
type RatingBlock struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`    // Russian, as the Atlas heads the block
	NameEN      string  `json:"name_en"` // English
	Max         float64 `json:"max"`
	ComputedMax float64 `json:"computed_max"`
}

// RatingUnit is the unit of the rating's values: percentage points, as the
// Atlas prints them (001:1055-1075).
const RatingUnit = "%"

// RatingBlocks are the rating's five blocks.
func RatingBlocks() []RatingBlock {
	m := analysis.DefaultRatingMethod()
	names := map[string][2]string{
		analysis.BlockS1: {"Количественные показатели", "Quantitative indicators"},
		analysis.BlockS2: {"Меры поддержки", "Support measures"},
		analysis.BlockS3: {"Инвестиционные ниши", "Investment niches"},
		analysis.BlockS4: {"Инфраструктура промышленного кластера", "Cluster infrastructure"},
		analysis.BlockS5: {"Повышение компетенций", "Competence building"},
	}
	out := make([]RatingBlock, 0, len(analysis.RatingBlocks))
	for _, b := range analysis.RatingBlocks {
		out = append(out, RatingBlock{Code: b, Name: names[b][0], NameEN: names[b][1], Max: m.BlockMax(b), ComputedMax: m.ComputedMax(b)})
	}
	return out
}

// RatingList is the published rating as the API answers it: the list, the
// blocks' names and the unit.
type RatingList struct {
	Page[gm.RegionRating]
	Blocks []RatingBlock `json:"blocks"`
	Unit   string        `json:"unit"`
}

// RatingListing is the published rating with its blocks' names (public).
func (a *App) RatingListing(ctx context.Context) (RatingList, error) {
	r, err := a.RegionRating(ctx)
	if r == nil {
		r = []gm.RegionRating{}
	}
	return RatingList{Page: Page[gm.RegionRating]{Items: r, Total: len(r), Limit: len(r)}, Blocks: RatingBlocks(), Unit: RatingUnit}, err
}

// EstimateLabel is how the computed rating is labelled everywhere.
const EstimateLabel = "оценка coopchain"

// EstimateRow is a region's estimated rating beside the published one.
type EstimateRow struct {
	analysis.RegionEstimate
	Published *gm.RegionRating `json:"published"` // null: not among the published regions
	// Difference is the estimate's total minus the published total; null
	// without a published row.
	Difference *float64 `json:"difference"`
}

// RatingEstimate is coopchain's estimate of the I National rating.
type RatingEstimate struct {
	Label      string                     `json:"label"`
	Unit       string                     `json:"unit"`
	Blocks     []RatingBlock              `json:"blocks"`
	Indicators []analysis.RatingIndicator `json:"indicators"`
	Regions    []EstimateRow              `json:"regions"`
}

// regionBase is what the estimate is computed from, once per data version.
type regionBase struct {
	version  int64
	clusters []gm.Cluster            // registered clusters (industrial, interregional)
	data     map[string]*gm.Dataset  // clusters with data, by id
	byRegion map[string][]gm.Cluster // clusters listing a region (canonical name)
	facts    []analysis.RegionFacts
	names    map[string]string // normalised name → canonical name
}

// regionBases keeps each App's regionBase (its reference measures and
// threshold enter the facts, so the key is the App, not the store).
var regionBases struct {
	sync.Mutex
	byApp map[*App]*regionBase
}

// historicalRegions are the historical subjects of the RF (001:977).
var historicalRegions = []string{"Донецкая Народная Республика", "Луганская Народная Республика", "Запорожская область", "Херсонская область"}

// regionAliases map other spellings of a region to the registry's.
var regionAliases = map[string]string{"республика чувашия": "Чувашская Республика", "чувашия": "Чувашская Республика"}

func normRegion(r string) string {
	return strings.ToLower(strings.ReplaceAll(strings.Join(strings.Fields(r), " "), "ё", "е"))
}

// canonical returns the registry's spelling of a region, or "" when the
// region is not known.
func (b *regionBase) canonical(r string) string {
	n := normRegion(r)
	if c, ok := regionAliases[n]; ok && b.names[normRegion(c)] != "" {
		return b.names[normRegion(c)]
	}
	return b.names[n]
}

func (b *regionBase) addName(r string) string {
	if c := b.canonical(r); c != "" {
		return c
	}
	r = strings.Join(strings.Fields(r), " ")
	b.names[normRegion(r)] = r
	return r
}

// regionBase returns the registry, the clusters' data and the facts per
// region of the current data version.
func (a *App) regionBase(ctx context.Context) (*regionBase, error) {
	v, err := a.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	regionBases.Lock()
	if b, ok := regionBases.byApp[a]; ok && b.version == v {
		regionBases.Unlock()
		return b, nil
	}
	regionBases.Unlock()
	b, err := a.buildRegionBase(ctx, v)
	if err != nil {
		return nil, err
	}
	regionBases.Lock()
	defer regionBases.Unlock()
	if regionBases.byApp == nil || len(regionBases.byApp) > 64 { // tests make many
		regionBases.byApp = map[*App]*regionBase{}
	}
	regionBases.byApp[a] = b
	return b, nil
}

func (a *App) buildRegionBase(ctx context.Context, v int64) (*regionBase, error) {
	cs, _, err := a.store.ListClusters(ctx, gm.ClusterFilter{})
	if err != nil {
		return nil, err
	}
	b := &regionBase{version: v, data: map[string]*gm.Dataset{}, byRegion: map[string][]gm.Cluster{}, names: map[string]string{}}
	for i := range cs {
		c := cs[i]
		if c.Kind != gm.ClusterIndustrial && c.Kind != gm.ClusterInterregional {
			continue
		}
		b.clusters = append(b.clusters, c)
		for j, r := range c.Regions {
			c.Regions[j] = b.addName(r)
		}
		for _, r := range c.Regions {
			b.byRegion[r] = append(b.byRegion[r], c)
		}
		ds, err := a.analyzer.data.get(ctx, &c)
		if err != nil {
			return nil, err
		}
		if len(ds.Participants) > 0 {
			b.data[c.ID] = ds
		}
	}
	rating, err := a.store.RegionRating(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rating {
		b.addName(r.Region)
	}
	measures := map[string]float64{}
	for _, m := range a.ref.Measures {
		if m.Level == gm.LevelRegional && m.Region != "" {
			measures[b.addName(m.Region)]++
		}
	}
	b.facts = b.computeFacts(measures, a.cfg.AggregationThreshold)
	return b, nil
}

// tally is what is counted for one region.
type tally struct {
	clusters, sopc, participants, historical, projects float64
	volume                                             float64
	importers, products, universities, parks           map[string]bool
	partial                                            map[string]bool
}

func newTally() *tally {
	return &tally{importers: map[string]bool{}, products: map[string]bool{}, universities: map[string]bool{}, parks: map[string]bool{}, partial: map[string]bool{}}
}

// computeFacts counts every region's facts from the registry and the
// clusters' data (see analysis.DefaultRatingMethod for what each is).
func (b *regionBase) computeFacts(measures map[string]float64, threshold int) []analysis.RegionFacts {
	t := map[string]*tally{}
	get := func(r string) *tally {
		r = b.addName(r)
		if t[r] == nil {
			t[r] = newTally()
		}
		return t[r]
	}
	for _, n := range b.names {
		get(n)
	}
	seenPart, seenProj := map[string]bool{}, map[string]bool{}
	for _, c := range b.clusters {
		historical := false
		for _, r := range c.Regions {
			for _, h := range historicalRegions {
				historical = historical || b.canonical(h) == r
			}
		}
		for _, r := range c.Regions {
			x := get(r)
			x.clusters++
			if historical {
				x.historical++
			}
		}
		ds := b.data[c.ID]
		if sopc := b.sopcRegion(c, ds); sopc != "" {
			get(sopc).sopc++
		} else {
			for _, r := range c.Regions {
				get(r).partial[analysis.IndSOPCClusters] = true
			}
		}
		if ds == nil {
			for _, r := range c.Regions {
				x := get(r)
				for _, k := range []string{analysis.IndImportProjects, analysis.IndNicheVolume, analysis.IndNicheProducts, analysis.IndUniversity, analysis.IndParks} {
					x.partial[k] = true
				}
				if len(c.Regions) != 1 {
					x.partial[analysis.IndParticipants] = true
				}
			}
			if len(c.Regions) == 1 {
				get(c.Regions[0]).participants += float64(c.ParticipantsCount)
			}
			continue
		}
		b.countData(ds, get, seenPart, seenProj)
	}
	out := make([]analysis.RegionFacts, 0, len(t))
	for r, x := range t {
		f := analysis.RegionFacts{Region: r, Partial: x.partial, Values: map[string]*float64{
			analysis.IndClusters: gm.Ptr(x.clusters), analysis.IndSOPCClusters: gm.Ptr(x.sopc), analysis.IndParticipants: gm.Ptr(x.participants),
			analysis.IndHistorical: gm.Ptr(x.historical), analysis.IndImportProjects: gm.Ptr(x.projects), analysis.IndRegionMeasures: gm.Ptr(measures[r]),
			analysis.IndNicheProducts: gm.Ptr(float64(len(x.products))), analysis.IndUniversity: gm.Ptr(float64(len(x.universities))),
			analysis.IndParks: gm.Ptr(float64(len(x.parks))),
		}}
		// The imports' sum is a company's figure under the threshold: withheld.
		if n := len(x.importers); n == 0 || n >= threshold {
			f.Values[analysis.IndNicheVolume] = gm.Ptr(x.volume)
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Region < out[j].Region })
	return out
}

// sopcRegion is where the cluster's SOPC is: its SOPC participant's region,
// else the only region of a one-region cluster; "" when not known.
func (b *regionBase) sopcRegion(c gm.Cluster, ds *gm.Dataset) string {
	if ds != nil {
		for _, p := range ds.Participants {
			if p.Kind == gm.KindSOPC && p.Region != "" {
				return b.addName(p.Region)
			}
		}
	}
	if len(c.Regions) == 1 {
		return c.Regions[0]
	}
	return ""
}

// countData counts a cluster's participants, projects, imports (of the
// latest year) and infrastructure by the participants' regions; a
// participant or project shared by clusters counts once.
func (b *regionBase) countData(ds *gm.Dataset, get func(string) *tally, seenPart, seenProj map[string]bool) {
	region := map[string]string{}
	for _, p := range ds.Participants {
		if p.Region == "" || p.Country != "" && p.Country != "RU" {
			continue
		}
		region[p.ID] = p.Region
		x := get(p.Region)
		switch {
		case p.IsIndustrial() && !seenPart[p.ID]:
			seenPart[p.ID] = true
			x.participants++
		case p.Kind == gm.KindUniversity || p.Kind == gm.KindResearch:
			x.universities[p.ID] = true
		case p.Kind == gm.KindInfrastructure:
			x.parks[p.ID] = true
		}
	}
	for _, pr := range ds.Projects {
		if r := region[pr.ParticipantID]; r != "" && pr.ImportSubstitution && !seenProj[pr.ID] {
			seenProj[pr.ID] = true
			get(r).projects++
		}
	}
	yd := ds
	if ys := ds.Years(); len(ys) > 0 {
		yd = ds.ForYear(ys[len(ys)-1])
	}
	for _, m := range yd.Imports {
		if r := region[m.ParticipantID]; r != "" {
			x := get(r)
			x.volume += m.ValueRUB
			x.importers[m.ParticipantID] = true
			x.products[m.ProductCode] = true
		}
	}
}

// RatingEstimate computes coopchain's estimate of the rating from the data
// it has, beside the published rating (public: it shows no company's
// figure; the imports' sum of a region with fewer importers than the
// threshold is withheld).
func (a *App) RatingEstimate(ctx context.Context) (*RatingEstimate, error) {
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	m := analysis.DefaultRatingMethod()
	return a.estimateOf(ctx, m, analysis.EstimateRating(m, b.facts))
}

func (a *App) estimateOf(ctx context.Context, m analysis.RatingMethod, es []analysis.RegionEstimate) (*RatingEstimate, error) {
	pub, err := a.store.RegionRating(ctx)
	if err != nil {
		return nil, err
	}
	byRegion := map[string]*gm.RegionRating{}
	for i := range pub {
		byRegion[normRegion(pub[i].Region)] = &pub[i]
	}
	out := &RatingEstimate{Label: EstimateLabel, Unit: RatingUnit, Blocks: RatingBlocks(), Indicators: m.Indicators, Regions: make([]EstimateRow, 0, len(es))}
	for _, e := range es {
		row := EstimateRow{RegionEstimate: e}
		if p := byRegion[normRegion(e.Region)]; p != nil {
			row.Published, row.Difference = p, gm.Ptr(e.Total-p.Total)
		}
		out.Regions = append(out.Regions, row)
	}
	return out, nil
}

// Row returns a region's row of the estimate.
func (e *RatingEstimate) Row(region string) (EstimateRow, bool) {
	for _, r := range e.Regions {
		if r.Region == region {
			return r, true
		}
	}
	return EstimateRow{}, false
}

// RegionView is a region's page: its clusters, its estimated blocks against
// the leaders, the published rating's row.
type RegionView struct {
	Region           string                     `json:"region"`
	District         string                     `json:"district,omitempty"`
	Clusters         []gm.Cluster               `json:"clusters"`
	Estimate         EstimateRow                `json:"estimate"`
	Leaders          []EstimateRow              `json:"leaders"` // the estimate's first three
	PublishedLeaders []gm.RegionRating          `json:"published_leaders"`
	Regions          int                        `json:"regions"` // regions in the estimate
	Label            string                     `json:"label"`
	Blocks           []RatingBlock              `json:"blocks"`
	Indicators       []analysis.RatingIndicator `json:"indicators"`
}

// regionName resolves a region's name as the registry spells it; unknown
// names are ENOTFOUND.
func (b *regionBase) regionName(name string) (string, error) {
	if r := b.canonical(name); r != "" {
		return r, nil
	}
	return "", &gm.Error{Code: gm.ENOTFOUND, Message: "unknown region " + strconv.Quote(name),
		Details: []gm.Problem{{Column: "region", Value: name, Message: "not a region of the registry, the rating or the support measures", MessageRU: "нет такого субъекта РФ в реестре, рейтинге или мерах поддержки"}}}
}

// Region returns a region's page (public).
func (a *App) Region(ctx context.Context, name string) (*RegionView, error) {
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	r, err := b.regionName(name)
	if err != nil {
		return nil, err
	}
	est, err := a.RatingEstimate(ctx)
	if err != nil {
		return nil, err
	}
	v := &RegionView{Region: r, District: analysis.FederalDistrict(r), Clusters: append([]gm.Cluster{}, b.byRegion[r]...), Regions: len(est.Regions),
		Label: est.Label, Blocks: est.Blocks, Indicators: est.Indicators}
	v.Estimate, _ = est.Row(r)
	v.Leaders = est.Regions[:min(3, len(est.Regions))]
	pub, err := a.store.RegionRating(ctx)
	if err != nil {
		return nil, err
	}
	v.PublishedLeaders = pub[:min(3, len(pub))]
	sort.Slice(v.Clusters, func(i, j int) bool { return v.Clusters[i].RegistryNo < v.Clusters[j].RegistryNo })
	return v, nil
}

// WhatIfLevers are the changes a region's what-if offers: more clusters
// (each with its SOPC in the region), regional support measures,
// industrial participants, import-substitution projects.
var WhatIfLevers = []string{"clusters", "measures", "participants", "projects"}

// leverIndicators say which indicators a lever adds to.
var leverIndicators = map[string][]string{
	"clusters":     {analysis.IndClusters, analysis.IndSOPCClusters},
	"measures":     {analysis.IndRegionMeasures},
	"participants": {analysis.IndParticipants},
	"projects":     {analysis.IndImportProjects},
}

// ParseWhatIf reads the levers from query values ("+1", "1", "0"); each is
// a whole number from 0 to 1000.
func ParseWhatIf(get func(string) string) (map[string]int, error) {
	out := map[string]int{}
	var bad []gm.Problem
	for _, l := range WhatIfLevers {
		s := strings.TrimLeft(strings.TrimSpace(get(l)), "+ ") // "+1" arrives as " 1" when not escaped
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			bad = append(bad, gm.Problem{Column: l, Value: get(l), Message: "a whole number from 0 to 1000 (e.g. +1)", MessageRU: "целое число от 0 до 1000 (например, +1)"})
			continue
		}
		if n > 0 {
			out[l] = n
		}
	}
	if len(bad) > 0 {
		return nil, gm.Invalid("invalid what-if", bad)
	}
	return out, nil
}

// WhatIfView is a region's estimate before and after a change, with the
// rating after it.
type WhatIfView struct {
	Region string         `json:"region"`
	Levers map[string]int `json:"levers"`
	Label  string         `json:"label"`
	Before EstimateRow    `json:"before"`
	After  EstimateRow    `json:"after"`
	// RankChange is how many places the region moves up (negative: down).
	RankChange int `json:"rank_change"`
	Regions    int `json:"regions"`
}

// RegionWhatIf estimates the region's score and rank after the change
// (public; computed on the server).
func (a *App) RegionWhatIf(ctx context.Context, name string, levers map[string]int) (*WhatIfView, error) {
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	r, err := b.regionName(name)
	if err != nil {
		return nil, err
	}
	w := analysis.WhatIf{}
	for l, n := range levers {
		for _, k := range leverIndicators[l] {
			w[k] += float64(n)
		}
	}
	m := analysis.DefaultRatingMethod()
	res, err := analysis.ApplyWhatIf(m, b.facts, r, w)
	if err != nil {
		return nil, err
	}
	before, err := a.estimateOf(ctx, m, []analysis.RegionEstimate{res.Before})
	if err != nil {
		return nil, err
	}
	after, err := a.estimateOf(ctx, m, []analysis.RegionEstimate{res.After})
	if err != nil {
		return nil, err
	}
	if levers == nil {
		levers = map[string]int{}
	}
	return &WhatIfView{Region: r, Levers: levers, Label: EstimateLabel, Before: before.Regions[0], After: after.Regions[0],
		RankChange: res.Before.Rank - res.After.Rank, Regions: len(res.Rating)}, nil
}
