package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// CoopEdge is the summed cooperation from one cluster to another as the
// caller may see it: the counts always; a sum only when the caller is a
// member of both clusters or at least the threshold number of companies
// make it up (else null, confidential).
type CoopEdge struct {
	From        string   `json:"from"`
	FromName    string   `json:"from_name"`
	To          string   `json:"to"`
	ToName      string   `json:"to_name"`
	Links       int      `json:"links"`
	Matches     int      `json:"matches"`
	ValueRUB    *float64 `json:"value_rub"`
	ImportedRUB *float64 `json:"matched_imports_rub"`
	// ValueWithheld and ImportsWithheld say the sum exists but is not
	// disclosed to the caller; Confidential is either.
	ValueWithheld   bool `json:"value_withheld"`
	ImportsWithheld bool `json:"imports_withheld"`
	Confidential    bool `json:"confidential"`
}

// CoopView is cooperation between the clusters with data on one national
// diagram: clusters, summed edges and, for members of both clusters of an
// edge, the company-level flows behind it.
type CoopView struct {
	Year        int                         `json:"year"`
	Clusters    []analysis.InterClusterNode `json:"clusters"`
	Edges       []CoopEdge                  `json:"edges"`
	Flows       []analysis.InterClusterFlow `json:"flows"`
	HiddenFlows int                         `json:"hidden_flows"` // flows the caller may not see
}

// SeesCompanyFlows is the policy for company-level flows between two
// clusters: they name companies of both, so the caller must be a member of
// both (an admin, or a viewer or editor not bound to one cluster).
func SeesCompanyFlows(me Principal, from, to string) bool {
	return me.Member(from) && me.Member(to)
}

// Cooperation returns cooperation between the clusters with data (signed
// in; participant tokens are refused, as for every cross-cluster view).
func (a *App) Cooperation(ctx context.Context, me Principal) (*CoopView, error) {
	if err := SignedIn.Check(me, ""); err != nil {
		return nil, err
	}
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	var cs []analysis.ClusterDataset
	names := map[string]string{}
	for _, c := range b.clusters {
		names[c.ID] = c.Name
		if ds := b.data[c.ID]; ds != nil {
			cs = append(cs, analysis.ClusterDataset{ID: c.ID, Name: c.Name, Data: ds})
		}
	}
	ic := analysis.InterClusterCooperation(cs)
	v := &CoopView{Year: ic.Year, Clusters: ic.Clusters, Edges: []CoopEdge{}, Flows: []analysis.InterClusterFlow{}}
	type side struct{ suppliers, buyers map[string]bool }
	sides := map[[2]string]*side{}
	for _, f := range ic.Flows {
		k := [2]string{f.FromCluster, f.ToCluster}
		if sides[k] == nil {
			sides[k] = &side{map[string]bool{}, map[string]bool{}}
		}
		if f.Kind == "link" {
			sides[k].suppliers[f.SupplierID] = true
		} else {
			sides[k].buyers[f.BuyerID] = true
		}
		if SeesCompanyFlows(me, f.FromCluster, f.ToCluster) {
			v.Flows = append(v.Flows, f)
		} else {
			v.HiddenFlows++
		}
	}
	th := a.cfg.AggregationThreshold
	for _, e := range ic.Edges {
		ce := CoopEdge{From: e.From, FromName: names[e.From], To: e.To, ToName: names[e.To], Links: e.Links, Matches: e.Matches}
		s := sides[[2]string{e.From, e.To}]
		member := SeesCompanyFlows(me, e.From, e.To)
		if e.Valued > 0 {
			if member || len(s.suppliers) >= th {
				ce.ValueRUB = gm.Ptr(e.ValueRUB)
			} else {
				ce.ValueWithheld = true
			}
		}
		if e.Matches > 0 {
			if member || len(s.buyers) >= th {
				ce.ImportedRUB = gm.Ptr(e.ImportedRUB)
			} else {
				ce.ImportsWithheld = true
			}
		}
		ce.Confidential = ce.ValueWithheld || ce.ImportsWithheld
		v.Edges = append(v.Edges, ce)
	}
	return v, nil
}

// CooperationDiagram draws the clusters with data as nodes and their summed
// cooperation as edges (solid: supply links; dashed: only matches), as the
// caller may see it.
func (a *App) CooperationDiagram(ctx context.Context, me Principal, lang, format string) ([]byte, error) {
	v, err := a.Cooperation(ctx, me)
	if err != nil {
		return nil, err
	}
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	// Each cluster its own stage: the layout ranks them by their edges.
	m := &diagram.Model{Lang: lang, NoLegend: true, Title: map[bool]string{true: "Cooperation between clusters", false: "Кооперация между кластерами"}[lang == "en"]}
	for i, c := range v.Clusters {
		sub := strconv.Itoa(c.Participants) + map[bool]string{true: " participants", false: " участн. с данными"}[lang == "en"]
		m.Nodes = append(m.Nodes, diagram.Node{ID: c.ID, Label: c.Name, Sublabel: sub, Kind: "sopc", Full: true, Stage: i, URL: "/clusters/" + c.ID, Tooltip: c.Name})
	}
	for _, e := range v.Edges {
		de := diagram.Edge{From: e.From, To: e.To, SingleSource: e.Links == 0, Tooltip: coopTooltip(lang, e)}
		if e.ValueRUB != nil {
			de.ValueRUB, de.Valued = *e.ValueRUB, true
		}
		m.Edges = append(m.Edges, de)
	}
	key := fmt.Sprintf("cooperation|v%d|%s|%s|%s", b.version, lang, me.Role, me.ClusterID)
	return a.render(ctx, key, m, format)
}

func coopTooltip(lang string, e CoopEdge) string {
	money := func(v *float64) string {
		if v == nil {
			return map[bool]string{true: "confidential", false: "конфиденциально"}[lang == "en"]
		}
		return gm.FormatMoney(lang, *v)
	}
	if lang == "en" {
		return fmt.Sprintf("%s → %s: %d links (%s), %d matches (imports %s)", e.FromName, e.ToName, e.Links, money(e.ValueRUB), e.Matches, money(e.ImportedRUB))
	}
	return fmt.Sprintf("%s → %s: связей %d (%s), совпадений %d (импорт %s)", e.FromName, e.ToName, e.Links, money(e.ValueRUB), e.Matches, money(e.ImportedRUB))
}

// sortedRegions lists every region of the estimate by name (for forms).
func (a *App) sortedRegions(ctx context.Context) ([]string, error) {
	b, err := a.regionBase(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(b.facts))
	for _, f := range b.facts {
		out = append(out, f.Region)
	}
	sort.Strings(out)
	return out, nil
}

// RegionNames lists every region the rating estimate covers, by name (public).
func (a *App) RegionNames(ctx context.Context) ([]string, error) { return a.sortedRegions(ctx) }
