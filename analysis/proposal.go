package analysis

import (
	"fmt"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Buyer is one participant's import of a product: the demand a new
// producer would meet.
type Buyer struct {
	ParticipantID string  `json:"participant_id"`
	ClusterID     string  `json:"cluster_id"`
	Region        string  `json:"region"`
	ValueRUB      float64 `json:"value_rub"`
}

// Buyers lists the participants of a dataset that import a product (the
// exact code), with their region and summed value.
func Buyers(d *gm.Dataset, clusterID, product string) []Buyer {
	region := map[string]string{}
	for _, p := range d.Participants {
		region[p.ID] = p.Region
	}
	sum := map[string]float64{}
	for _, m := range d.Imports {
		if m.ProductCode == product {
			sum[m.ParticipantID] += m.ValueRUB
		}
	}
	var out []Buyer
	for _, id := range keys(boolKeys(sum)) {
		out = append(out, Buyer{ParticipantID: id, ClusterID: clusterID, Region: region[id], ValueRUB: sum[id]})
	}
	return out
}

// Market is the demand for a product in one region: how many participants
// import it there and for how much.
type Market struct {
	Region     string   `json:"region"` // "" when the buyers' region is not given
	District   string   `json:"district,omitempty"`
	Buyers     int      `json:"buyers"`
	DemandRUB  float64  `json:"demand_rub"`
	ClusterIDs []string `json:"cluster_ids"`
	Own        bool     `json:"own"` // buyers of the proposal's own cluster are among them
}

// Markets groups buyers by region (a participant counted once, in the
// first cluster it appears with), largest demand first.
func Markets(buyers []Buyer, ownCluster string) []Market {
	seen := map[string]bool{}
	by := map[string]*Market{}
	clusters := map[string]map[string]bool{}
	var order []string
	for _, b := range buyers {
		if seen[b.ParticipantID] {
			continue
		}
		seen[b.ParticipantID] = true
		k := regionKey(b.Region)
		m, ok := by[k]
		if !ok {
			m = &Market{Region: b.Region, District: FederalDistrict(b.Region)}
			by[k] = m
			clusters[k] = map[string]bool{}
			order = append(order, k)
		}
		m.Buyers++
		m.DemandRUB += b.ValueRUB
		clusters[k][b.ClusterID] = true
		m.Own = m.Own || b.ClusterID == ownCluster
	}
	out := make([]Market, 0, len(order))
	for _, k := range order {
		m := *by[k]
		m.ClusterIDs = keys(clusters[k])
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Own != out[j].Own {
			return out[i].Own
		}
		return out[i].DemandRUB > out[j].DemandRUB
	})
	return out
}

// regionKey folds a region's name for comparisons: the stem of a subject of
// the RF when it is known (so that «Республика Чувашия» and «Чувашская
// Республика» are one), else the lower-case name.
func regionKey(r string) string {
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(r), "ё", "е"))
	if strings.Contains(l, "ямало") { // before «ненецк»
		return "ямало"
	}
	for _, s := range districtStems {
		if strings.Contains(l, s.stem) {
			return s.stem
		}
	}
	return l
}

// SameRegion reports whether two names denote the same subject of the RF.
func SameRegion(a, b string) bool { return a != "" && b != "" && regionKey(a) == regionKey(b) }

// Reasons a region is a candidate for the new production, in order of
// preference.
const (
	ReasonClusterRegion = "cluster_region" // one of the cluster's regions
	ReasonBuyersRegion  = "buyers_region"  // where the cluster's importers are
	ReasonMarketRegion  = "market_region"  // where other clusters' participants import the product
	ReasonSameDistrict  = "same_district"  // a region of the same federal district that offers a regional measure
)

// Candidate is a region where the new production could be placed.
type Candidate struct {
	Region   string   `json:"region"`
	District string   `json:"district,omitempty"`
	Reasons  []string `json:"reasons"`
}

// MeasureMatch is a support measure checked against the proposal: its
// conditions (from the Atlas) one by one, the one that decided, and why.
type MeasureMatch struct {
	Measure    gm.SupportMeasure `json:"measure"`
	Region     string            `json:"region,omitempty"` // the candidate region a regional measure belongs to
	Reason     string            `json:"reason"`           // federal, eaeu, or the candidate's reason
	Conditions []Condition       `json:"conditions"`
	// DecidedBy is the condition that decided: the failing one of a measure
	// that does not apply, else the first that holds ("" when none can be
	// checked).
	DecidedBy string `json:"decided_by"`
	Why       string `json:"why"`
	WhyRU     string `json:"why_ru"`
}

// Proposal is an investment proposal (инвестиционное предложение) for a
// niche: step 3 of the Atlas's method. It holds per-company figures (the
// niche's importers, the markets' demand): the server shows them to cluster
// members only.
type Proposal struct {
	ClusterID   string         `json:"cluster_id"`
	ClusterName string         `json:"cluster_name"`
	Regions     []string       `json:"regions"`
	Year        int            `json:"year,omitempty"`
	Niche       Niche          `json:"niche"`
	Markets     []Market       `json:"markets"`
	Candidates  []Candidate    `json:"candidates"`
	Measures    []MeasureMatch `json:"measures"`
	// NotApplicable are the measures one of whose conditions fails (e.g. the
	// starting-batch subsidy for a product on no import-substitution list).
	NotApplicable []MeasureMatch `json:"not_applicable"`
	// Uncovered are the cluster's and buyers' regions for which the Atlas
	// lists no regional measure.
	Uncovered    []string  `json:"uncovered_regions"`
	Typology     *Typology `json:"typology,omitempty"`
	Illustrative bool      `json:"illustrative"`
	Summary      string    `json:"summary"`
	SummaryRU    string    `json:"summary_ru"`
}

// ProposalInput is what a proposal is made of.
type ProposalInput struct {
	Report   *Report
	Cluster  *gm.Cluster
	Product  string
	Measures []gm.SupportMeasure
	// Buyers of the product: the cluster's own first, then other clusters'
	// (nil: the report's dataset is not consulted, no markets).
	Buyers   []Buyer
	Typology *Typology
}

// BuildProposal makes the investment proposal for one of the report's
// niches; a product that is not a niche is an ENOTFOUND error.
func BuildProposal(in ProposalInput) (*Proposal, error) {
	var n *Niche
	for i := range in.Report.Niches {
		if in.Report.Niches[i].ProductCode == in.Product {
			n = &in.Report.Niches[i]
		}
	}
	if n == nil {
		return nil, gm.Errorf(gm.ENOTFOUND, "%s is not an investment niche of cluster %s", in.Product, in.Report.ClusterID)
	}
	p := &Proposal{ClusterID: in.Report.ClusterID, ClusterName: in.Report.ClusterName, Year: in.Report.Year, Niche: *n, Regions: []string{},
		Markets: Markets(in.Buyers, in.Report.ClusterID), Candidates: []Candidate{}, Measures: []MeasureMatch{}, NotApplicable: []MeasureMatch{}, Uncovered: []string{},
		Typology: in.Typology, Illustrative: n.Illustrative}
	if in.Cluster != nil {
		p.Regions = append(p.Regions, in.Cluster.Regions...)
		if p.ClusterName == "" {
			p.ClusterName = in.Cluster.Name
		}
	}
	// Candidate regions.
	idx := map[string]int{}
	add := func(region, reason string) {
		if region == "" {
			return
		}
		k := regionKey(region)
		if i, ok := idx[k]; ok {
			for _, r := range p.Candidates[i].Reasons {
				if r == reason {
					return
				}
			}
			p.Candidates[i].Reasons = append(p.Candidates[i].Reasons, reason)
			return
		}
		idx[k] = len(p.Candidates)
		p.Candidates = append(p.Candidates, Candidate{Region: region, District: FederalDistrict(region), Reasons: []string{reason}})
	}
	for _, r := range p.Regions {
		add(r, ReasonClusterRegion)
	}
	for _, m := range p.Markets {
		add(m.Region, map[bool]string{true: ReasonBuyersRegion, false: ReasonMarketRegion}[m.Own])
	}
	districts := map[string]bool{}
	for _, c := range p.Candidates {
		if c.District != "" && (c.Reasons[0] == ReasonClusterRegion || c.Reasons[0] == ReasonBuyersRegion) {
			districts[c.District] = true
		}
	}
	for _, m := range in.Measures {
		if m.Level == gm.LevelRegional && districts[FederalDistrict(m.Region)] {
			if _, ok := idx[regionKey(m.Region)]; !ok {
				add(m.Region, ReasonSameDistrict)
			}
		}
	}
	// Measures: each federal and EAEU one, and the regional ones of the
	// candidate regions, by their conditions.
	keep := func(mm MeasureMatch, ok bool) {
		if ok {
			p.Measures = append(p.Measures, mm)
		} else {
			p.NotApplicable = append(p.NotApplicable, mm)
		}
	}
	cc := conditionCtx{niche: &p.Niche, cluster: in.Cluster, candidates: p.Candidates, year: p.Year}
	for _, m := range in.Measures {
		if m.Level == gm.LevelFederal || m.Level == gm.LevelEAEU {
			cc.m = m
			keep(matchMeasure(cc, m.Level))
		}
	}
	covered := map[string]bool{}
	for i := range p.Candidates {
		c := &p.Candidates[i]
		for _, m := range in.Measures {
			if m.Level != gm.LevelRegional || !SameRegion(m.Region, c.Region) {
				continue
			}
			covered[regionKey(c.Region)] = true
			cc.m, cc.candidate = m, c
			keep(matchMeasure(cc, c.Reasons[0]))
		}
	}
	cc.candidate = nil
	for _, c := range p.Candidates {
		if (c.Reasons[0] == ReasonClusterRegion || c.Reasons[0] == ReasonBuyersRegion) && !covered[regionKey(c.Region)] {
			p.Uncovered = append(p.Uncovered, c.Region)
		}
	}
	p.Summary, p.SummaryRU = proposalSummary(p)
	return p, nil
}

func whyRegional(c Candidate) (string, string) {
	switch c.Reasons[0] {
	case ReasonClusterRegion:
		return "regional measure of " + c.Region + ", a region of the cluster", "региональная мера: " + c.Region + " — регион кластера"
	case ReasonBuyersRegion:
		return "regional measure of " + c.Region + ", where the buyers are", "региональная мера: " + c.Region + " — регион покупателей"
	case ReasonMarketRegion:
		return "regional measure of " + c.Region + ", where other clusters import the product", "региональная мера: " + c.Region + " — продукцию импортируют участники других кластеров"
	}
	return "regional measure of " + c.Region + ", in the same federal district (" + c.District + ") as the cluster",
		"региональная мера: " + c.Region + " — тот же федеральный округ (" + c.District + "), что и у кластера"
}

func proposalSummary(p *Proposal) (string, string) {
	n := p.Niche
	var fed, reg int
	for _, m := range p.Measures {
		if m.Measure.Level == gm.LevelRegional {
			reg++
		} else {
			fed++
		}
	}
	en := fmt.Sprintf("Investment proposal: %s (%s) for %s. %d participant(s) import %s RUB a year; capacity inside %s RUB; gap %s RUB. %d market region(s); %d federal/EAEU and %d regional support measure(s) apply.",
		n.ProductName, n.ProductCode, p.ClusterName, n.Buyers, money(n.ImportedRUB), money(n.CapacityRUB), money(n.GapRUB), len(p.Markets), fed, reg)
	ru := fmt.Sprintf("Инвестиционное предложение: %s (%s), %s. %s %d %s на %s руб. в год; мощности в кластере %s руб.; разрыв %s руб. Регионов сбыта: %d; применимых мер поддержки: федеральных и ЕАЭС — %d, региональных — %d.",
		n.ProductName, n.ProductCode, p.ClusterName, gm.PluralRU(n.Buyers, "Импортирует", "Импортируют", "Импортируют"), n.Buyers, participantsRU(n.Buyers), moneyRU(n.ImportedRUB), moneyRU(n.CapacityRUB), moneyRU(n.GapRUB), len(p.Markets), fed, reg)
	if p.Illustrative {
		en += " Figures are illustrative."
		ru += " Данные иллюстративные."
	}
	return en, ru
}
