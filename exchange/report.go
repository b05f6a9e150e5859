package exchange

import (
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/tabular"
)

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func nump(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

// ReportSheets returns the analysis report as workbook sheets: metrics, import_gaps,
// niches and compliance (for XLSX exports and session reports).
func ReportSheets(r *analysis.Report) []tabular.Table {
	numeric := func(cols ...int) map[int]bool {
		m := map[int]bool{}
		for _, c := range cols {
			m[c] = true
		}
		return m
	}
	metrics := tabular.Table{Name: "metrics", Header: []string{"id", "name", "kind", "final_producer", "stage", "in_degree", "out_degree", "in_value", "out_value",
		"pagerank", "supplier_rank", "betweenness", "upstream_count", "downstream_count", "single_source_inputs", "removal_impact", "import_share_direct",
		"import_content_total", "import_content_status"}, Text: map[int]bool{1: true}, Numeric: numeric(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)}
	for _, p := range r.Participants {
		metrics.Rows = append(metrics.Rows, []string{p.ID, p.Name, p.Kind, strconv.FormatBool(p.FinalProducer), strconv.Itoa(p.Stage), strconv.Itoa(p.InDegree),
			strconv.Itoa(p.OutDegree), num(p.InValue), num(p.OutValue), num(p.PageRank), num(p.SupplierRank), num(p.Betweenness), strconv.Itoa(p.UpstreamCount),
			strconv.Itoa(p.DownstreamCount), strconv.Itoa(p.SingleSourceInputs), num(p.RemovalImpact), nump(p.ImportShareDirect), nump(p.ImportContentTotal), p.ImportContentStatus})
	}
	gaps := tabular.Table{Name: "import_gaps", Header: []string{"product_code", "product_name", "imported_rub", "importers", "capacity_rub", "producers", "gap_rub", "countries", "illustrative"},
		Text: map[int]bool{1: true}, Numeric: numeric(2, 3, 4, 5, 6)}
	for _, g := range r.ImportGaps {
		gaps.Rows = append(gaps.Rows, []string{g.ProductCode, g.ProductName, num(g.ImportedRUB), strconv.Itoa(g.Importers), num(g.CapacityRUB), strconv.Itoa(g.Producers),
			num(g.GapRUB), strings.Join(g.Countries, ";"), strconv.FormatBool(g.Illustrative)})
	}
	niches := tabular.Table{Name: "niches", Header: []string{"rank", "product_code", "product_name", "score", "gap_rub", "buyers", "import_substitution", "adjacent", "lq", "explanation_ru", "explanation", "illustrative"},
		Text: map[int]bool{2: true, 9: true, 10: true}, Numeric: numeric(0, 3, 4, 5, 7, 8)}
	for _, n := range r.Niches {
		var ru, en []string
		for _, f := range n.Factors {
			ru = append(ru, f.ExplanationRU)
			en = append(en, f.Explanation)
		}
		niches.Rows = append(niches.Rows, []string{strconv.Itoa(n.Rank), n.ProductCode, n.ProductName, strconv.FormatFloat(n.Score, 'f', 1, 64), num(n.GapRUB), strconv.Itoa(n.Buyers),
			strconv.FormatBool(n.ImportSubstitution), strconv.Itoa(len(n.Adjacent)), nump(n.LQ), strings.Join(ru, "; "), strings.Join(en, "; "), strconv.FormatBool(n.Illustrative)})
	}
	comp := tabular.Table{Name: "compliance", Header: []string{"rule", "title_ru", "title", "status", "evidence_ru", "evidence"}, Text: map[int]bool{1: true, 2: true, 4: true, 5: true}}
	for _, x := range r.Compliance.Rules {
		comp.Rows = append(comp.Rows, []string{x.ID, x.TitleRU, x.Title, x.Status, x.EvidenceRU, x.Evidence})
	}
	comp.Rows = append(comp.Rows, []string{"overall", "Итог", "Overall", r.Compliance.Status, "", ""})
	return []tabular.Table{metrics, gaps, niches, comp}
}
