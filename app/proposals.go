package app

import (
	"context"
	"fmt"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// Views of a proposal. A member of the cluster sees every figure; anyone
// else sees the niche as publicNiches gives it (demand only when it
// aggregates at least the threshold of participants), the adjacent
// capabilities by product, the markets by region without amounts, and no
// participant's name.

type ImporterView struct {
	ParticipantID string  `json:"participant_id"`
	Name          string  `json:"name"`
	Region        string  `json:"region,omitempty"`
	ValueRUB      float64 `json:"value_rub"`
}

type AdjacentView struct {
	ProductCode   string `json:"product_code"`
	ProductName   string `json:"product_name,omitempty"`
	Relation      string `json:"relation"`
	Participants  int    `json:"participants"`
	ParticipantID string `json:"participant_id,omitempty"` // members only
	Name          string `json:"name,omitempty"`           // members only
}

type MarketView struct {
	Region    string   `json:"region"`
	District  string   `json:"district,omitempty"`
	Buyers    int      `json:"buyers"`
	Clusters  int      `json:"clusters"`
	Own       bool     `json:"own"`
	DemandRUB *float64 `json:"demand_rub,omitempty"` // members, for their own cluster's buyers only
}

type ProposalView struct {
	ClusterID          string                  `json:"cluster_id"`
	ClusterName        string                  `json:"cluster_name"`
	Regions            []string                `json:"regions"`
	Year               int                     `json:"year,omitempty"`
	ProductCode        string                  `json:"product_code"`
	ProductName        string                  `json:"product_name"`
	Unit               string                  `json:"unit,omitempty"`
	Rank               int                     `json:"rank"`
	Score              *float64                `json:"score"`      // null for a non-member when the demand is withheld
	Aggregated         bool                    `json:"aggregated"` // the non-member view
	Threshold          int                     `json:"threshold"`
	Confidential       bool                    `json:"confidential"` // demand withheld: fewer buyers than the threshold
	DemandRUB          *float64                `json:"demand_rub"`   // imported value a year, aggregated over the buyers
	GapRUB             *float64                `json:"gap_rub"`
	GapQuantity        *float64                `json:"gap_quantity"`
	CapacityRUB        *float64                `json:"capacity_rub,omitempty"` // members only
	Buyers             int                     `json:"buyers"`
	ImportSubstitution bool                    `json:"import_substitution"`
	Countries          []string                `json:"countries"`
	Factors            []analysis.Factor       `json:"factors,omitempty"`   // members only
	Importers          []ImporterView          `json:"importers,omitempty"` // members only
	Adjacent           []AdjacentView          `json:"adjacent"`
	Markets            []MarketView            `json:"markets"`
	Candidates         []analysis.Candidate    `json:"candidates"`
	Measures           []analysis.MeasureMatch `json:"measures"`
	NotApplicable      []analysis.MeasureMatch `json:"not_applicable"` // measures one of whose conditions fails
	Uncovered          []string                `json:"uncovered_regions"`
	ClusterType        string                  `json:"cluster_type"`
	Typology           *analysis.Typology      `json:"typology,omitempty"` // members only (its explanation quotes cluster-wide figures)
	Illustrative       bool                    `json:"illustrative"`
	Summary            string                  `json:"summary"`
	SummaryRU          string                  `json:"summary_ru"`
}

// buildProposal makes the proposal for a niche of a cluster with the
// demand for the product in the other clusters with data.
func (a *App) buildProposal(ctx context.Context, cl *gm.Cluster, product string, year int) (*analysis.Proposal, *analysis.Report, *gm.Dataset, error) {
	rep, ds, err := a.analyzer.report(ctx, cl, year)
	if err != nil {
		return nil, nil, nil, err
	}
	buyers := analysis.Buyers(ds.ForYear(rep.Year), cl.ID, product)
	others, _, err := a.store.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll})
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range others {
		o := &others[i]
		if o.ID == cl.ID {
			continue
		}
		// Each cluster's data is read once per data version (dataCache).
		ods, err := a.analyzer.data.get(ctx, o)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(ods.Imports) > 0 {
			ys := ods.Years()
			y := 0
			if len(ys) > 0 {
				y = ys[len(ys)-1]
			}
			buyers = append(buyers, analysis.Buyers(ods.ForYear(y), o.ID, product)...)
		}
	}
	ty, err := a.Typology(ctx, &Analysed{Cluster: cl, Report: rep, Data: ds})
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := analysis.BuildProposal(analysis.ProposalInput{Report: rep, Cluster: cl, Product: product, Measures: a.ref.Measures, Buyers: buyers, Typology: &ty})
	if err != nil {
		return nil, nil, nil, err
	}
	return p, rep, ds, nil
}

// viewProposal applies the confidentiality rule to a proposal.
func (a *App) viewProposal(p *analysis.Proposal, ds *gm.Dataset, rep *analysis.Report, member bool) ProposalView {
	n := p.Niche
	score := n.Score
	v := ProposalView{ClusterID: p.ClusterID, ClusterName: p.ClusterName, Regions: p.Regions, Year: p.Year, ProductCode: n.ProductCode, ProductName: n.ProductName,
		Unit: n.Unit, Rank: n.Rank, Score: &score, Threshold: a.cfg.AggregationThreshold, Buyers: n.Buyers, ImportSubstitution: n.ImportSubstitution,
		Countries: n.Countries, Adjacent: []AdjacentView{}, Markets: []MarketView{}, Candidates: p.Candidates, Measures: p.Measures, NotApplicable: p.NotApplicable, Uncovered: p.Uncovered,
		Illustrative: p.Illustrative}
	if v.Countries == nil {
		v.Countries = []string{}
	}
	if p.Typology != nil {
		v.ClusterType = p.Typology.Type
	}
	names, regions, products := map[string]string{}, map[string]string{}, map[string]string{}
	for _, x := range ds.Participants {
		names[x.ID], regions[x.ID] = x.Name, x.Region
	}
	for _, x := range ds.Products {
		products[x.Code] = x.Name
	}
	if member {
		d, g, c := n.ImportedRUB, n.GapRUB, n.CapacityRUB
		v.DemandRUB, v.GapRUB, v.GapQuantity, v.CapacityRUB = &d, &g, n.GapQuantity, &c
		v.Factors, v.Typology = n.Factors, p.Typology
		for _, im := range n.Importers {
			v.Importers = append(v.Importers, ImporterView{ParticipantID: im.ParticipantID, Name: names[im.ParticipantID], Region: regions[im.ParticipantID], ValueRUB: im.ValueRUB})
		}
		for _, a := range n.Adjacent {
			v.Adjacent = append(v.Adjacent, AdjacentView{ProductCode: a.ProductCode, ProductName: products[a.ProductCode], Relation: a.Relation, Participants: 1, ParticipantID: a.ParticipantID, Name: a.Name})
		}
		v.Summary, v.SummaryRU = p.Summary, p.SummaryRU
	} else {
		v.Aggregated = true
		// The same rule as the niche list: PublicNiches decides, score and
		// rank included.
		v.Score = nil
		for _, pn := range a.PublicNiches(rep) {
			if pn.ProductCode == n.ProductCode {
				v.Confidential, v.DemandRUB, v.GapRUB, v.GapQuantity, v.Score, v.Rank = pn.Confidential, pn.ImportedRUB, pn.GapRUB, pn.GapQuantity, pn.Score, pn.Rank
			}
		}
		type key struct{ code, rel string }
		count := map[key]int{}
		var order []key
		for _, a := range n.Adjacent {
			k := key{a.ProductCode, a.Relation}
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
		for _, k := range order {
			v.Adjacent = append(v.Adjacent, AdjacentView{ProductCode: k.code, ProductName: products[k.code], Relation: k.rel, Participants: count[k]})
		}
		v.Summary, v.SummaryRU = PublicProposalSummary(v)
	}
	for _, m := range p.Markets {
		mv := MarketView{Region: m.Region, District: m.District, Buyers: m.Buyers, Clusters: len(m.ClusterIDs), Own: m.Own}
		// Amounts of a region only for members, and only for their own
		// cluster's buyers: a region's figure beside a total would give away
		// the rest by difference.
		if member && m.Own && len(m.ClusterIDs) == 1 {
			d := m.DemandRUB
			mv.DemandRUB = &d
		}
		v.Markets = append(v.Markets, mv)
	}
	return v
}

// PublicProposalSummary writes the aggregated view's summary.
func PublicProposalSummary(v ProposalView) (string, string) {
	en := fmt.Sprintf("Investment proposal: %s (%s), %s. %d participant(s) import it", v.ProductName, v.ProductCode, v.ClusterName, v.Buyers)
	ru := fmt.Sprintf("Инвестиционное предложение: %s (%s), %s. %s %d %s", v.ProductName, v.ProductCode, v.ClusterName,
		gm.PluralRU(v.Buyers, "Импортирует", "Импортируют", "Импортируют"), v.Buyers, gm.PluralRU(v.Buyers, "участник", "участника", "участников"))
	if v.Confidential || v.DemandRUB == nil {
		en += fmt.Sprintf("; the demand is withheld (fewer than %d buyers).", v.Threshold)
		ru += fmt.Sprintf("; объём спроса скрыт (менее %d покупателей).", v.Threshold)
	} else {
		en += fmt.Sprintf(" for %s RUB a year; gap %s RUB.", gm.FormatMoney("en", *v.DemandRUB), gm.FormatMoney("en", *v.GapRUB))
		ru += fmt.Sprintf(" на %s руб. в год; разрыв %s руб.", gm.FormatMoney("ru", *v.DemandRUB), gm.FormatMoney("ru", *v.GapRUB))
	}
	if v.Illustrative {
		en += " Figures are illustrative."
		ru += " Данные иллюстративные."
	}
	return en, ru
}

// Proposal returns the investment proposal for a niche of the cluster as
// the caller may see it: a member every figure, anyone signed in the
// aggregated view.
func (a *App) Proposal(ctx context.Context, me Principal, cl *gm.Cluster, product string, year int) (ProposalView, error) {
	if err := SignedIn.Check(me, cl.ID); err != nil {
		return ProposalView{}, err
	}
	actx, cancel := context.WithTimeout(ctx, a.cfg.AnalysisTimeout)
	defer cancel()
	p, rep, ds, err := a.buildProposal(actx, cl, product, year)
	if err != nil {
		return ProposalView{}, err
	}
	return a.viewProposal(p, ds, rep, me.Member(cl.ID)), nil
}
