package app

import (
	"bytes"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
)

// ProposalWorkbook lays the proposal out as an XLSX workbook in language l;
// t translates the message catalogue's keys. It returns the workbook and a
// file name for it.
func ProposalWorkbook(v ProposalView, l string, t func(key string) string) ([]byte, string, error) {
	var buf bytes.Buffer
	if err := tabular.WriteXLSXLang(&buf, proposalSheets(v, l, t), nil, l); err != nil {
		return nil, "", gm.Internal(err, "write the proposal workbook")
	}
	name := v.ClusterID + "-" + strings.NewReplacer(".", "_", "/", "_").Replace(v.ProductCode) + "-proposal.xlsx"
	return buf.Bytes(), name, nil
}

func score1(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
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
func proposalSheets(v ProposalView, l string, t func(key string) string) []tabular.Table {
	yesno := func(b bool) string { return map[bool]string{true: t("yes"), false: t("no")}[b] }
	idHeader := "id"
	if l != "en" {
		idHeader = "Код"
	}
	sum := v.SummaryRU
	if l == "en" {
		sum = v.Summary
	}
	demand := optNum(v.DemandRUB)
	if v.Confidential {
		demand = t("niches.confidential")
	}
	head := tabular.Table{Name: "proposal", TitleRU: "Предложение", Header: []string{t("prop.field"), t("prop.value")}, Text: map[int]bool{0: true, 1: true}, Numeric: map[int]bool{1: true}}
	head.Rows = [][]string{
		{t("prop.cluster"), v.ClusterName + " (" + v.ClusterID + ")"},
		{t("col.regions"), strings.Join(v.Regions, "; ")},
		{t("col.product"), v.ProductName + " (" + v.ProductCode + ")"},
		{t("col.year"), strconv.Itoa(v.Year)},
		{t("prop.demand"), demand},
		{t("gaps.gap"), optNum(v.GapRUB)},
		{t("niches.buyers"), strconv.Itoa(v.Buyers)},
		{t("niches.score"), score1(v.Score)},
		{t("factor.import_substitution"), yesno(v.ImportSubstitution)},
		{t("gaps.countries"), strings.Join(v.Countries, ", ")},
		{t("prop.type"), t("type." + v.ClusterType)},
		{t("prop.summary"), sum},
		{t("prop.illustrative"), yesno(v.Illustrative)},
	}
	markets := tabular.Table{Name: "markets", TitleRU: "Рынки сбыта", Header: []string{t("prop.region"), t("prop.district"), t("niches.buyers"), t("prop.clusters"), t("prop.own"), t("prop.demand")},
		Text: map[int]bool{0: true}, Numeric: map[int]bool{2: true, 3: true, 5: true}, Format: map[int]string{2: tabular.FormatInt, 3: tabular.FormatInt, 5: tabular.FormatRUB}}
	for _, m := range v.Markets {
		markets.Rows = append(markets.Rows, []string{m.Region, m.District, strconv.Itoa(m.Buyers), strconv.Itoa(m.Clusters), yesno(m.Own), optNum(m.DemandRUB)})
	}
	meas := tabular.Table{Name: "measures", TitleRU: "Меры поддержки", Header: []string{idHeader, t("measures.level"), t("measures.kind"), t("prop.region"), t("measures.name"), t("measures.terms"), t("prop.why"), t("measures.legal"), t("measures.source")},
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
	adj := tabular.Table{Name: "adjacent", TitleRU: "Смежные производства", Header: []string{t("col.product"), t("prop.relation"), t("col.participants"), t("col.name")}, Text: map[int]bool{0: true, 3: true}, Numeric: map[int]bool{2: true}}
	for _, a := range v.Adjacent {
		adj.Rows = append(adj.Rows, []string{strings.TrimSpace(a.ProductName + " " + a.ProductCode), t("rel." + a.Relation), strconv.Itoa(a.Participants), a.Name})
	}
	out := []tabular.Table{head, markets, meas, adj}
	if !v.Aggregated {
		imp := tabular.Table{Name: "importers", TitleRU: "Импортёры", Header: []string{idHeader, t("col.name"), t("prop.region"), t("col.value")}, Text: map[int]bool{1: true}, Numeric: map[int]bool{3: true},
			Format: map[int]string{3: tabular.FormatRUB}}
		for _, x := range v.Importers {
			imp.Rows = append(imp.Rows, []string{x.ParticipantID, x.Name, x.Region, strconv.FormatFloat(x.ValueRUB, 'f', -1, 64)})
		}
		fac := tabular.Table{Name: "factors", TitleRU: "Факторы оценки", Header: []string{t("niches.factor"), t("niches.weight"), t("niches.points"), t("niches.why")}, Text: map[int]bool{3: true}, Numeric: map[int]bool{1: true, 2: true}}
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
