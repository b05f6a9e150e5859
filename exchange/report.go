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

func boolStr(b bool) string { return strconv.FormatBool(b) }

// col is a column of a report sheet: its name (the English header), its
// Russian header and its kind: text (free text), code, int, rub, share,
// number, bool.
type col struct{ name, ru, kind string }

// newTable lays out a report sheet from its columns: headers in both
// languages, which columns are text and numbers, and their formats.
func newTable(name, titleRU string, cols []col) tabular.Table {
	t := tabular.Table{Name: name, TitleRU: titleRU, Text: map[int]bool{}, Numeric: map[int]bool{}, Format: map[int]string{}}
	for i, c := range cols {
		t.Header = append(t.Header, c.name)
		t.HeaderRU = append(t.HeaderRU, c.ru)
		switch c.kind {
		case "text":
			t.Text[i] = true
		case "int":
			t.Numeric[i], t.Format[i] = true, tabular.FormatInt
		case "rub":
			t.Numeric[i], t.Format[i] = true, tabular.FormatRUB
		case "share":
			t.Numeric[i], t.Format[i] = true, tabular.FormatShare
		case "number":
			t.Numeric[i] = true
		case "bool":
			t.Format[i] = tabular.FormatBool
		}
	}
	return t
}

// The Russian words of the report sheets' coded values.
var (
	// StatusRU names the compliance statuses in Russian.
	StatusRU = map[string]string{
		analysis.Pass: "выполнено", analysis.Fail: "не выполнено", analysis.Unknown: "нет данных",
		"not_applicable": "не применимо", "na": "не применимо", "n/a": "не применимо",
	}
	importStatusRU = map[string]string{"ok": "рассчитано", "insufficient_data": "недостаточно данных", "not_converged": "расчёт не сошёлся"}
)

// ReportSheets returns the analysis report as workbook sheets: metrics,
// import_gaps, niches and compliance (for XLSX exports and session
// reports), with their Russian names, headers and values for a Russian
// workbook (tabular.WriteXLSXLang).
func ReportSheets(r *analysis.Report) []tabular.Table {
	return []tabular.Table{metricsSheet(r), gapsSheet(r), nichesSheet(r), complianceSheet(r)}
}

func metricsSheet(r *analysis.Report) tabular.Table {
	t := newTable("metrics", "Показатели участников", []col{
		{"id", "Идентификатор", "code"}, {"name", "Наименование", "text"}, {"kind", "Тип", "code"}, {"final_producer", "Конечный производитель", "bool"},
		{"stage", "Звено цепочки (0 — сырьё)", "int"}, {"in_degree", "Число поставщиков", "int"}, {"out_degree", "Число покупателей", "int"},
		{"in_value", "Закупки в кластере, руб.", "rub"}, {"out_value", "Поставки в кластере, руб.", "rub"}, {"pagerank", "Значимость как покупателя (PageRank)", "number"},
		{"supplier_rank", "Значимость как поставщика", "number"}, {"betweenness", "Посредничество (betweenness)", "number"},
		{"upstream_count", "Участников выше по цепочке", "int"}, {"downstream_count", "Участников ниже по цепочке", "int"},
		{"single_source_inputs", "Закупок из единственного источника", "int"}, {"removal_impact", "Ущерб при выбытии", "share"},
		{"import_share_direct", "Доля импорта в закупках", "share"}, {"import_content_total", "Полная импортоёмкость", "share"},
		{"import_content_status", "Расчёт импортоёмкости", "code"},
	})
	t.ValuesRU = map[int]map[string]string{2: tabular.ParticipantKindsRU, 18: importStatusRU}
	for _, p := range r.Participants {
		t.Rows = append(t.Rows, []string{p.ID, p.Name, p.Kind, boolStr(p.FinalProducer), strconv.Itoa(p.Stage), strconv.Itoa(p.InDegree),
			strconv.Itoa(p.OutDegree), num(p.InValue), num(p.OutValue), num(p.PageRank), num(p.SupplierRank), num(p.Betweenness), strconv.Itoa(p.UpstreamCount),
			strconv.Itoa(p.DownstreamCount), strconv.Itoa(p.SingleSourceInputs), num(p.RemovalImpact), nump(p.ImportShareDirect), nump(p.ImportContentTotal), p.ImportContentStatus})
	}
	return t
}

// gapsSheet lists the import gaps with the producers' capacity, what they
// already ship and the spare (Σ max(0, capacity − shipped)), of which the
// gap is what imports exceed.
func gapsSheet(r *analysis.Report) tabular.Table {
	t := newTable("import_gaps", "Импортные разрывы", []col{
		{"product_code", "Код продукции", "code"}, {"product_name", "Продукция", "text"}, {"imported_rub", "Импорт, руб.", "rub"},
		{"importers", "Импортёров", "int"}, {"capacity_rub", "Мощность производителей, руб.", "rub"}, {"shipped_rub", "Уже поставляется, руб.", "rub"},
		{"spare_rub", "Свободная мощность, руб.", "rub"}, {"producers", "Производителей", "int"}, {"gap_rub", "Разрыв, руб.", "rub"},
		{"countries", "Страны", "code"}, {"illustrative", "Иллюстративные данные", "bool"},
	})
	for _, g := range r.ImportGaps {
		t.Rows = append(t.Rows, []string{g.ProductCode, g.ProductName, num(g.ImportedRUB), strconv.Itoa(g.Importers), num(g.CapacityRUB), num(g.ShippedRUB),
			num(g.SpareRUB), strconv.Itoa(g.Producers), num(g.GapRUB), strings.Join(g.Countries, ";"), boolStr(g.Illustrative)})
	}
	return t
}

func nichesSheet(r *analysis.Report) tabular.Table {
	t := newTable("niches", "Ниши", []col{
		{"rank", "Место", "int"}, {"product_code", "Код продукции", "code"}, {"product_name", "Продукция", "text"}, {"score", "Оценка (0–100)", "number"},
		{"gap_rub", "Разрыв, руб.", "rub"}, {"buyers", "Покупателей", "int"}, {"import_substitution", "В перечне импортозамещения", "bool"},
		{"adjacent", "Смежных производств", "int"}, {"lq", "Коэффициент локализации", "number"}, {"explanation_ru", "Пояснение", "text"},
		{"explanation", "Пояснение (англ.)", "text"}, {"illustrative", "Иллюстративные данные", "bool"},
	})
	for _, n := range r.Niches {
		var ru, en []string
		for _, f := range n.Factors {
			ru = append(ru, f.ExplanationRU)
			en = append(en, f.Explanation)
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(n.Rank), n.ProductCode, n.ProductName, strconv.FormatFloat(n.Score, 'f', 1, 64), num(n.GapRUB), strconv.Itoa(n.Buyers),
			boolStr(n.ImportSubstitution), strconv.Itoa(len(n.Adjacent)), nump(n.LQ), strings.Join(ru, "; "), strings.Join(en, "; "), boolStr(n.Illustrative)})
	}
	return t
}

// complianceSheet lists the PP-779 rules with their status (выполнено, не
// выполнено, нет данных, не применимо in Russian) and the evidence.
func complianceSheet(r *analysis.Report) tabular.Table {
	t := newTable("compliance", "Соответствие ПП-779", []col{
		{"rule", "Требование (код)", "code"}, {"title_ru", "Требование", "text"}, {"title", "Требование (англ.)", "text"},
		{"status", "Статус", "code"}, {"evidence_ru", "Обоснование", "text"}, {"evidence", "Обоснование (англ.)", "text"},
	})
	t.ValuesRU = map[int]map[string]string{0: {"overall": "итог"}, 3: StatusRU}
	for _, x := range r.Compliance.Rules {
		t.Rows = append(t.Rows, []string{x.ID, x.TitleRU, x.Title, x.Status, x.EvidenceRU, x.Evidence})
	}
	t.Rows = append(t.Rows, []string{"overall", "Итог", "Overall", r.Compliance.Status, "", ""})
	return t
}
