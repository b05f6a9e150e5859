package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/graphmodel/tabular"
	"github.com/labstack/echo/v4"
)

// measureFilter selects support measures: a region (its own measures plus
// the federal and EAEU ones, which apply everywhere), a kind and a level.
type measureFilter struct {
	Region, Kind, Level string
}

func parseMeasureFilter(c echo.Context) (measureFilter, error) {
	f := measureFilter{Region: strings.TrimSpace(c.QueryParam("region")), Kind: c.QueryParam("kind"), Level: c.QueryParam("level")}
	var bad []gm.Problem
	if f.Kind != "" && !isOneOf(f.Kind, gm.MeasureKinds) {
		bad = append(bad, gm.Problem{Column: "kind", Value: f.Kind, Message: "one of " + strings.Join(gm.MeasureKinds, ", "), MessageRU: "одно из " + strings.Join(gm.MeasureKinds, ", ")})
	}
	if f.Level != "" && !isOneOf(f.Level, gm.MeasureLevels) {
		bad = append(bad, gm.Problem{Column: "level", Value: f.Level, Message: "one of " + strings.Join(gm.MeasureLevels, ", "), MessageRU: "одно из " + strings.Join(gm.MeasureLevels, ", ")})
	}
	if len(bad) > 0 {
		return f, gm.Invalid("invalid filter", bad)
	}
	return f, nil
}

func isOneOf(v string, valid []string) bool {
	for _, x := range valid {
		if x == v {
			return true
		}
	}
	return false
}

// measures returns the reference measures matching f, federal first.
func (s *Server) measures(f measureFilter) []gm.SupportMeasure {
	out := []gm.SupportMeasure{}
	if s.ref == nil {
		return out
	}
	for _, m := range s.ref.Measures {
		if f.Kind != "" && m.Kind != f.Kind || f.Level != "" && m.Level != f.Level {
			continue
		}
		if f.Region != "" && m.Level == gm.LevelRegional && !analysis.SameRegion(m.Region, f.Region) && !containsFold(m.Region, f.Region) {
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
	return out
}

// handleSupportMeasures lists the support measures of the Atlas (filters:
// region, kind, level).
func (s *Server) handleSupportMeasures() echo.HandlerFunc {
	return func(c echo.Context) error {
		f, err := parseMeasureFilter(c)
		if err != nil {
			return err
		}
		return pageOf(s, c, s.measures(f))
	}
}

func (s *Server) eaeuRules() (gm.EAEURules, error) {
	if s.ref == nil || s.ref.EAEU.MinStates == 0 {
		return gm.EAEURules{}, gm.Errorf(gm.EUNAVAILABLE, "the EAEU rules are not loaded")
	}
	return s.ref.EAEU, nil
}

// handleEAEURules answers the EAEU mechanism's conditions as the Atlas gives them.
func (s *Server) handleEAEURules() echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := s.eaeuRules()
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, r)
	}
}

// handleEAEUCheck checks a proposed cooperation project (JSON body, see
// analysis.EAEUProject) against the EAEU mechanism's conditions.
func (s *Server) handleEAEUCheck() echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := s.eaeuRules()
		if err != nil {
			return err
		}
		if ct := c.Request().Header.Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
			return gm.Errorf(gm.EUNSUPPORTED, "send application/json, not %q", ct)
		}
		var p analysis.EAEUProject
		if err := decodeJSON(http.MaxBytesReader(c.Response(), c.Request().Body, 1<<20), &p); err != nil {
			return err
		}
		if len(p.Participants) == 0 {
			return gm.Invalid("invalid project", []gm.Problem{{Column: "participants", Message: "list the project's participants with their countries", MessageRU: "перечислите участников проекта и их страны"}})
		}
		res, err := analysis.CheckEAEU(r, p)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	}
}

// handleEAEUChains lists the cluster's cooperation chains that already span
// enough EAEU member states for the mechanism.
func (s *Server) handleEAEUChains() echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := s.eaeuRules()
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		cl, err := s.store.GetCluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		ds, err := s.store.ClusterData(ctx, cl.ID)
		if err != nil {
			return err
		}
		chains := analysis.EAEUChains(ds, r)
		return c.JSON(http.StatusOK, map[string]any{"cluster_id": cl.ID, "min_states": r.MinStates, "member_states": r.MemberStates, "items": chains, "total": len(chains)})
	}
}

// typologyOf classifies a cluster after Enright from its report.
func (s *Server) typologyOf(ctx context.Context, cl *gm.Cluster, rep *analysis.Report, ds *gm.Dataset) (analysis.Typology, error) {
	var uses []gm.MeasureUse
	if s.ref != nil {
		uses = s.ref.MeasureUses
	}
	emp, err := s.store.Employment(ctx)
	if err != nil {
		return analysis.Typology{}, err
	}
	in := analysis.TypologyInputOf(rep, cl, uses).WithSpecialisation(ds, cl, emp)
	return analysis.ClassifyCluster(in), nil
}

// typologyThresholds are the thresholds of the typology, for the API.
var typologyThresholds = map[string]float64{"mass_participants": analysis.MassParticipants, "mass_enterprises": analysis.MassEnterprises,
	"some_participants": analysis.SomeParticipants, "specialisation_lq": analysis.SpecialisationLQ, "strong_share": analysis.StrongShare, "strong_density": analysis.StrongDensity}

func (s *Server) handleTypology() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cl, err := s.store.GetCluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		rep, ds, err := s.analyzer.report(ctx, cl, 0)
		if err != nil {
			return err
		}
		ty, err := s.typologyOf(ctx, cl, rep, ds)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"cluster_id": cl.ID, "typology": ty, "thresholds": typologyThresholds})
	}
}

// Views of a proposal. A member of the cluster sees every figure; anyone
// else sees the niche as publicNiches gives it (demand only when it
// aggregates at least the threshold of participants), the adjacent
// capabilities by product, the markets by region without amounts, and no
// participant's name.

type importerView struct {
	ParticipantID string  `json:"participant_id"`
	Name          string  `json:"name"`
	Region        string  `json:"region,omitempty"`
	ValueRUB      float64 `json:"value_rub"`
}

type adjacentView struct {
	ProductCode   string `json:"product_code"`
	ProductName   string `json:"product_name,omitempty"`
	Relation      string `json:"relation"`
	Participants  int    `json:"participants"`
	ParticipantID string `json:"participant_id,omitempty"` // members only
	Name          string `json:"name,omitempty"`           // members only
}

type marketView struct {
	Region    string   `json:"region"`
	District  string   `json:"district,omitempty"`
	Buyers    int      `json:"buyers"`
	Clusters  int      `json:"clusters"`
	Own       bool     `json:"own"`
	DemandRUB *float64 `json:"demand_rub,omitempty"` // members, for their own cluster's buyers only
}

type proposalView struct {
	ClusterID          string                  `json:"cluster_id"`
	ClusterName        string                  `json:"cluster_name"`
	Regions            []string                `json:"regions"`
	Year               int                     `json:"year,omitempty"`
	ProductCode        string                  `json:"product_code"`
	ProductName        string                  `json:"product_name"`
	Unit               string                  `json:"unit,omitempty"`
	Rank               int                     `json:"rank"`
	Score              float64                 `json:"score"`
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
	Importers          []importerView          `json:"importers,omitempty"` // members only
	Adjacent           []adjacentView          `json:"adjacent"`
	Markets            []marketView            `json:"markets"`
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
func (s *Server) buildProposal(ctx context.Context, cl *gm.Cluster, product string, year int) (*analysis.Proposal, *analysis.Report, *gm.Dataset, error) {
	rep, ds, err := s.analyzer.report(ctx, cl, year)
	if err != nil {
		return nil, nil, nil, err
	}
	buyers := analysis.Buyers(ds.ForYear(rep.Year), cl.ID, product)
	others, _, err := s.store.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, o := range others {
		if o.ID == cl.ID {
			continue
		}
		ods, err := s.store.ClusterData(ctx, o.ID)
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
	ty, err := s.typologyOf(ctx, cl, rep, ds)
	if err != nil {
		return nil, nil, nil, err
	}
	var ms []gm.SupportMeasure
	if s.ref != nil {
		ms = s.ref.Measures
	}
	p, err := analysis.BuildProposal(analysis.ProposalInput{Report: rep, Cluster: cl, Product: product, Measures: ms, Buyers: buyers, Typology: &ty})
	if err != nil {
		return nil, nil, nil, err
	}
	return p, rep, ds, nil
}

// viewProposal applies the confidentiality rule to a proposal.
func (s *Server) viewProposal(p *analysis.Proposal, ds *gm.Dataset, rep *analysis.Report, member bool) proposalView {
	n := p.Niche
	v := proposalView{ClusterID: p.ClusterID, ClusterName: p.ClusterName, Regions: p.Regions, Year: p.Year, ProductCode: n.ProductCode, ProductName: n.ProductName,
		Unit: n.Unit, Rank: n.Rank, Score: n.Score, Threshold: s.cfg.AggregationThreshold, Buyers: n.Buyers, ImportSubstitution: n.ImportSubstitution,
		Countries: n.Countries, Adjacent: []adjacentView{}, Markets: []marketView{}, Candidates: p.Candidates, Measures: p.Measures, NotApplicable: p.NotApplicable, Uncovered: p.Uncovered,
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
			v.Importers = append(v.Importers, importerView{ParticipantID: im.ParticipantID, Name: names[im.ParticipantID], Region: regions[im.ParticipantID], ValueRUB: im.ValueRUB})
		}
		for _, a := range n.Adjacent {
			v.Adjacent = append(v.Adjacent, adjacentView{ProductCode: a.ProductCode, ProductName: products[a.ProductCode], Relation: a.Relation, Participants: 1, ParticipantID: a.ParticipantID, Name: a.Name})
		}
		v.Summary, v.SummaryRU = p.Summary, p.SummaryRU
	} else {
		v.Aggregated = true
		// The same rule as the niche list: publicNiches decides.
		for _, pn := range publicNiches(rep, s.cfg.AggregationThreshold) {
			if pn.ProductCode == n.ProductCode {
				v.Confidential, v.DemandRUB, v.GapRUB, v.GapQuantity = pn.Confidential, pn.ImportedRUB, pn.GapRUB, pn.GapQuantity
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
			v.Adjacent = append(v.Adjacent, adjacentView{ProductCode: k.code, ProductName: products[k.code], Relation: k.rel, Participants: count[k]})
		}
		v.Summary, v.SummaryRU = publicProposalSummary(v)
	}
	for _, m := range p.Markets {
		mv := marketView{Region: m.Region, District: m.District, Buyers: m.Buyers, Clusters: len(m.ClusterIDs), Own: m.Own}
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

func publicProposalSummary(v proposalView) (string, string) {
	en := fmt.Sprintf("Investment proposal: %s (%s), %s. %d participant(s) import it", v.ProductName, v.ProductCode, v.ClusterName, v.Buyers)
	ru := fmt.Sprintf("Инвестиционное предложение: %s (%s), %s. Импортируют %d участник(а)", v.ProductName, v.ProductCode, v.ClusterName, v.Buyers)
	if v.Confidential || v.DemandRUB == nil {
		en += fmt.Sprintf("; the demand is withheld (fewer than %d buyers).", v.Threshold)
		ru += fmt.Sprintf("; объём спроса скрыт (менее %d покупателей).", v.Threshold)
	} else {
		en += fmt.Sprintf(" for %s RUB a year; gap %s RUB.", formatMoney("en", *v.DemandRUB), formatMoney("en", *v.GapRUB))
		ru += fmt.Sprintf(" на %s руб. в год; разрыв %s руб.", formatMoney("ru", *v.DemandRUB), formatMoney("ru", *v.GapRUB))
	}
	if v.Illustrative {
		en += " Figures are illustrative."
		ru += " Данные иллюстративные."
	}
	return en, ru
}

// proposalFor loads the cluster and its proposal for the caller.
func (s *Server) proposalFor(c echo.Context) (*gm.Cluster, proposalView, error) {
	ctx := c.Request().Context()
	cl, err := s.store.GetCluster(ctx, c.Param("id"))
	if err != nil {
		return nil, proposalView{}, err
	}
	year := 0
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 2100 {
			return nil, proposalView{}, gm.Invalid("invalid year", []gm.Problem{{Column: "year", Value: y, Message: "must be a year between 1900 and 2100", MessageRU: "должно быть годом от 1900 до 2100"}})
		}
		year = n
	}
	actx, cancel := context.WithTimeout(ctx, s.cfg.AnalysisTimeout)
	defer cancel()
	p, rep, ds, err := s.buildProposal(actx, cl, c.Param("product"), year)
	if err != nil {
		return nil, proposalView{}, err
	}
	return cl, s.viewProposal(p, ds, rep, who(c).member(cl.ID)), nil
}

// handleProposal answers the investment proposal for a niche as JSON.
func (s *Server) handleProposal() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, v, err := s.proposalFor(c)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "private, no-cache")
		return c.JSON(http.StatusOK, v)
	}
}

// handleProposalXLSX answers the proposal as a workbook (the same
// confidentiality rule).
func (s *Server) handleProposalXLSX() echo.HandlerFunc {
	return func(c echo.Context) error {
		_, v, err := s.proposalFor(c)
		if err != nil {
			return err
		}
		return writeProposalXLSX(c, v)
	}
}

// writeProposalXLSX sends the proposal as a workbook download.
func writeProposalXLSX(c echo.Context, v proposalView) error {
	var buf bytes.Buffer
	if err := tabular.WriteXLSX(&buf, proposalSheets(v, lang(c)), nil); err != nil {
		return gm.Internal(err, "write the proposal workbook")
	}
	name := fmt.Sprintf("%s-%s-proposal.xlsx", v.ClusterID, strings.NewReplacer(".", "_", "/", "_").Replace(v.ProductCode))
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, mimeXLSX, buf.Bytes())
}

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// proposalSheets lays the proposal out as workbook sheets: the proposal
// (field, value), markets, measures, and for members the importers and the
// score factors. Headers are the message catalogue's.
func proposalSheets(v proposalView, l string) []tabular.Table {
	t := func(k string) string { return msg(l, k) }
	yesno := func(b bool) string { return map[bool]string{true: t("yes"), false: t("no")}[b] }
	sum := v.SummaryRU
	if l == "en" {
		sum = v.Summary
	}
	demand := optNum(v.DemandRUB)
	if v.Confidential {
		demand = t("niches.confidential")
	}
	head := tabular.Table{Name: "proposal", Header: []string{t("prop.field"), t("prop.value")}, Text: map[int]bool{0: true, 1: true}, Numeric: map[int]bool{1: true}}
	head.Rows = [][]string{
		{t("prop.cluster"), v.ClusterName + " (" + v.ClusterID + ")"},
		{t("col.regions"), strings.Join(v.Regions, "; ")},
		{t("col.product"), v.ProductName + " (" + v.ProductCode + ")"},
		{t("col.year"), strconv.Itoa(v.Year)},
		{t("prop.demand"), demand},
		{t("gaps.gap"), optNum(v.GapRUB)},
		{t("niches.buyers"), strconv.Itoa(v.Buyers)},
		{t("niches.score"), strconv.FormatFloat(v.Score, 'f', 1, 64)},
		{t("factor.import_substitution"), yesno(v.ImportSubstitution)},
		{t("gaps.countries"), strings.Join(v.Countries, ", ")},
		{t("prop.type"), t("type." + v.ClusterType)},
		{t("prop.summary"), sum},
		{t("prop.illustrative"), yesno(v.Illustrative)},
	}
	markets := tabular.Table{Name: "markets", Header: []string{t("prop.region"), t("prop.district"), t("niches.buyers"), t("prop.clusters"), t("prop.own"), t("prop.demand")},
		Text: map[int]bool{0: true}, Numeric: map[int]bool{2: true, 3: true, 5: true}}
	for _, m := range v.Markets {
		markets.Rows = append(markets.Rows, []string{m.Region, m.District, strconv.Itoa(m.Buyers), strconv.Itoa(m.Clusters), yesno(m.Own), optNum(m.DemandRUB)})
	}
	meas := tabular.Table{Name: "measures", Header: []string{"id", t("measures.level"), t("measures.kind"), t("prop.region"), t("measures.name"), t("measures.terms"), t("prop.why"), t("measures.legal"), t("measures.source")},
		Text: map[int]bool{3: true, 4: true, 5: true, 6: true, 7: true}}
	for _, m := range v.Measures {
		name, terms, why := m.Measure.Name, m.Measure.Terms, m.WhyRU
		if l == "en" {
			name, terms, why = m.Measure.NameEN, m.Measure.TermsEN, m.Why
		}
		region := m.Region
		if region == "" {
			region = m.Measure.Region
		}
		meas.Rows = append(meas.Rows, []string{m.Measure.ID, t("level." + m.Measure.Level), t("mkind." + m.Measure.Kind), region, name, terms, why, m.Measure.LegalRef, m.Measure.Source})
	}
	adj := tabular.Table{Name: "adjacent", Header: []string{t("col.product"), t("prop.relation"), t("col.participants"), t("col.name")}, Text: map[int]bool{0: true, 3: true}, Numeric: map[int]bool{2: true}}
	for _, a := range v.Adjacent {
		adj.Rows = append(adj.Rows, []string{strings.TrimSpace(a.ProductName + " " + a.ProductCode), t("rel." + a.Relation), strconv.Itoa(a.Participants), a.Name})
	}
	out := []tabular.Table{head, markets, meas, adj}
	if !v.Aggregated {
		imp := tabular.Table{Name: "importers", Header: []string{"id", t("col.name"), t("prop.region"), t("col.value")}, Text: map[int]bool{1: true}, Numeric: map[int]bool{3: true}}
		for _, x := range v.Importers {
			imp.Rows = append(imp.Rows, []string{x.ParticipantID, x.Name, x.Region, strconv.FormatFloat(x.ValueRUB, 'f', -1, 64)})
		}
		fac := tabular.Table{Name: "factors", Header: []string{t("niches.factor"), t("niches.weight"), t("niches.points"), t("niches.why")}, Text: map[int]bool{3: true}, Numeric: map[int]bool{1: true, 2: true}}
		for _, x := range v.Factors {
			why := x.ExplanationRU
			if l == "en" {
				why = x.Explanation
			}
			fac.Rows = append(fac.Rows, []string{t("factor." + x.Name), strconv.FormatFloat(x.Weight, 'f', -1, 64), strconv.FormatFloat(x.Contribution, 'f', 2, 64), why})
		}
		out = append(out, imp, fac)
	}
	return out
}
