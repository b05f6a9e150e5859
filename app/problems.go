package app

import (
	"context"
	"sort"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// MeasureRef names a support measure matched to a problem.
type MeasureRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Level  string `json:"level"`
	Kind   string `json:"kind"`
	Region string `json:"region,omitempty"`
}

// ProblemItem is one accepted problem of a participant with the support
// measures that fit it. The company is shown to members only.
type ProblemItem struct {
	ParticipantID   string       `json:"participant_id,omitempty"`
	ParticipantName string       `json:"participant_name,omitempty"`
	Category        string       `json:"category"`
	Text            string       `json:"text"`
	SupportNeeded   string       `json:"support_needed"`
	Measures        []MeasureRef `json:"measures"`
}

// CategoryCount is how many problems (and participants) a category has,
// and the measures that fit it. Non-members see a category's numbers only
// when at least the aggregation threshold of participants reported it.
type CategoryCount struct {
	Category     string       `json:"category"`
	Problems     int          `json:"problems"`
	Participants int          `json:"participants"`
	Confidential bool         `json:"confidential"`
	Measures     []MeasureRef `json:"measures"`
}

// ProblemsView is the problems register of a cluster's year.
type ProblemsView struct {
	ClusterID  string          `json:"cluster_id"`
	Year       int             `json:"year"`
	Items      []ProblemItem   `json:"items"` // members only
	Counts     []CategoryCount `json:"counts"`
	Aggregated bool            `json:"aggregated"` // the caller is not a member: counts only
}

// measureKinds is the documented mapping of problem categories to the
// kinds of support measures that address them (the Atlas's measures carry
// a kind and a level, not conditions per problem):
//
//	finance            subsidies and preferential loans
//	import_dependence  subsidies (the starting-batch subsidy is for import substitution), loans, cooperation (EAEU)
//	technology         subsidies and loans for equipment and development
//	resources          loans and cooperation
//	personnel          tax (reduced insurance contributions)
//	administrative     tax (tax monitoring)
//	other              none by category; the words of support_needed decide
var measureKinds = map[string][]string{
	gm.CategoryFinance:          {gm.MeasureSubsidy, gm.MeasureLoan},
	gm.CategoryImportDependence: {gm.MeasureSubsidy, gm.MeasureLoan, gm.MeasureCooperation},
	gm.CategoryTechnology:       {gm.MeasureSubsidy, gm.MeasureLoan},
	gm.CategoryResources:        {gm.MeasureLoan, gm.MeasureCooperation},
	gm.CategoryPersonnel:        {gm.MeasureTax},
	gm.CategoryAdministrative:   {gm.MeasureTax},
}

// supportWords are stems in what a participant asks for that name a kind
// of measure.
var supportWords = map[string][]string{
	gm.MeasureLoan:        {"займ", "заём", "заем", "кредит", "loan"},
	gm.MeasureSubsidy:     {"субсид", "грант", "компенсац", "subsid", "grant"},
	gm.MeasureTax:         {"налог", "tax"},
	gm.MeasureExport:      {"экспорт", "export"},
	gm.MeasureCooperation: {"еаэс", "кооперац", "eaeu", "cooperat"},
}

// MatchMeasures returns the support measures that fit a problem in the
// cluster's regions: the kinds its category maps to, and those its
// support_needed names; federal and EAEU measures everywhere, regional ones
// only of the cluster's regions. (The conditions of the measures are being
// encoded in analysis; this is where that check will be called.)
func MatchMeasures(ms []gm.SupportMeasure, category, supportNeeded string, regions []string) []MeasureRef {
	kinds := map[string]bool{}
	for _, k := range measureKinds[category] {
		kinds[k] = true
	}
	need := strings.ToLower(supportNeeded)
	for k, words := range supportWords {
		for _, w := range words {
			if strings.Contains(need, w) {
				kinds[k] = true
			}
		}
	}
	out := []MeasureRef{}
	for _, m := range ms {
		if !kinds[m.Kind] {
			continue
		}
		if m.Level == gm.LevelRegional {
			in := false
			for _, r := range regions {
				in = in || analysis.SameRegion(m.Region, r)
			}
			if !in {
				continue
			}
		}
		out = append(out, MeasureRef{ID: m.ID, Name: m.Name, NameEN: m.NameEN, Level: m.Level, Kind: m.Kind, Region: m.Region})
	}
	order := map[string]int{gm.LevelFederal: 0, gm.LevelEAEU: 1, gm.LevelRegional: 2}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Level] < order[out[j].Level] })
	return out
}

// Problems is the problems register of the cluster's year (0: the latest
// year with accepted problems): every problem with its category, company
// and fitting measures, and the counts by category. Anyone signed in for
// the cluster sees the counts (a category's only when enough participants
// reported it) and the measures; members see the problems and companies.
func (a *App) Problems(ctx context.Context, me Principal, clusterID string, year int) (*ProblemsView, error) {
	if err := SignedIn.Check(me, clusterID); err != nil {
		return nil, err
	}
	cl, err := a.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	all, err := a.store.ReportedProblems(ctx, clusterID, year)
	if err != nil {
		return nil, err
	}
	if year == 0 {
		for _, p := range all {
			year = max(year, p.Year)
		}
	}
	member := me.Member(clusterID)
	names := map[string]string{}
	if member {
		_, ds, err := a.ClusterData(ctx, me, clusterID)
		if err != nil {
			return nil, err
		}
		names = names0(ds)
	}
	v := &ProblemsView{ClusterID: clusterID, Year: year, Items: []ProblemItem{}, Aggregated: !member}
	counts := map[string]*CategoryCount{}
	who := map[string]map[string]bool{}
	for _, c := range gm.ProblemCategories {
		counts[c] = &CategoryCount{Category: c, Measures: MatchMeasures(a.ref.Measures, c, "", cl.Regions)}
		who[c] = map[string]bool{}
	}
	for _, p := range all {
		if p.Year != year || counts[p.Category] == nil {
			continue
		}
		counts[p.Category].Problems++
		who[p.Category][p.ParticipantID] = true
		if member {
			v.Items = append(v.Items, ProblemItem{ParticipantID: p.ParticipantID, ParticipantName: names[p.ParticipantID], Category: p.Category, Text: p.Text,
				SupportNeeded: p.SupportNeeded, Measures: MatchMeasures(a.ref.Measures, p.Category, p.SupportNeeded, cl.Regions)})
		}
	}
	for _, c := range gm.ProblemCategories {
		cc := counts[c]
		cc.Participants = len(who[c])
		if !member && cc.Participants > 0 && cc.Participants < a.cfg.AggregationThreshold {
			cc.Problems, cc.Participants, cc.Confidential = 0, 0, true
		}
		v.Counts = append(v.Counts, *cc)
	}
	return v, nil
}

func names0(ds *gm.Dataset) map[string]string {
	m := map[string]string{}
	for _, p := range ds.Participants {
		m[p.ID] = p.Name
	}
	return m
}
