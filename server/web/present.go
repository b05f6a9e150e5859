package web

import (
	"html/template"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/chart"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/i18n"
)

// This file lays out what the planning session reads: the charts and the
// map (package chart) and the participant's metrics in plain words.

// rubles writes an amount with its unit: "223,0 млн руб.".
func rubles(lang string, v float64) string {
	return gm.FormatMoney(lang, v) + " " + i18n.T(lang, "rub")
}

// nicheChart is the niches as a bar chart ranked by their gaps, with each
// niche's score beside its bar.
func nicheChart(lang string, niches []analysis.Niche) template.HTML {
	c := chart.Bars{ID: "chart-niches", Kind: "niche-gaps", Title: i18n.T(lang, "chart.niches.title"), Desc: i18n.T(lang, "chart.niches.desc"),
		ValueTitle: i18n.T(lang, "chart.gap"), SideTitle: i18n.T(lang, "chart.score"), Format: func(v float64) string { return rubles(lang, v) }}
	ranked := slices.Clone(niches)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].GapRUB > ranked[j].GapRUB })
	for _, n := range ranked {
		c.Bars = append(c.Bars, chart.Bar{Key: n.ProductCode, Label: n.ProductName + " (" + n.ProductCode + ")", Value: n.GapRUB, Side: gm.FormatNumber(lang, n.Score, 1)})
	}
	return template.HTML(c.SVG())
}

// scenarioChart is every product's gap in the base and in the scenario;
// id tells apart several charts of one page, name is the scenario's.
func scenarioChart(lang, id, name string, cmp *analysis.Comparison) template.HTML {
	title := i18n.T(lang, "chart.scen.title")
	if name != "" {
		title += " «" + name + "»"
	}
	c := chart.Grouped{ID: "chart-scenario" + id, Kind: "scenario-gaps", Title: title, Desc: i18n.T(lang, "chart.scen.desc"),
		ValueTitle: i18n.T(lang, "chart.gap"), Series: []string{i18n.T(lang, "scen.base"), i18n.T(lang, "scen.scenario")},
		Format: func(v float64) string { return rubles(lang, v) }, NoData: i18n.T(lang, "chart.nodata")}
	for _, n := range cmp.Niches {
		g := chart.Group{Key: n.ProductCode, Label: n.ProductName + " (" + n.ProductCode + ")", Values: []float64{n.BaseGapRUB, n.GapRUB}}
		if n.Closed {
			g.Note = i18n.T(lang, "scen.closed")
		}
		c.Groups = append(c.Groups, g)
	}
	return template.HTML(c.SVG())
}

// ratingChart is the regions' rating as stacked S1–S5 bars.
func ratingChart(lang string, rating []gm.RegionRating) template.HTML {
	c := chart.Stacked{ID: "chart-rating", Kind: "rating", Title: i18n.T(lang, "chart.rating.title"), Desc: i18n.T(lang, "chart.rating.desc"),
		Unit: i18n.T(lang, "chart.rating.unit"), Short: []string{"S1", "S2", "S3", "S4", "S5"},
		Format: func(v float64) string { return gm.FormatNumber(lang, v, 1) }}
	for _, s := range []string{"rating.block.s1", "rating.block.s2", "rating.block.s3", "rating.block.s4", "rating.block.s5"} {
		c.Segments = append(c.Segments, i18n.T(lang, s))
	}
	for _, r := range rating {
		c.Rows = append(c.Rows, chart.Stack{Key: r.Region, Label: strconv.Itoa(r.Rank) + ". " + r.Region, Parts: []float64{r.S1, r.S2, r.S3, r.S4, r.S5}, Total: r.Total})
	}
	return template.HTML(c.SVG())
}

// regionCounts counts the clusters working in each region.
func regionCounts(clusters []gm.Cluster) map[string]float64 {
	out := map[string]float64{}
	for _, c := range clusters {
		seen := map[string]bool{}
		for _, r := range c.Regions {
			if r = strings.TrimSpace(r); r != "" && !seen[r] {
				seen[r] = true
				out[r]++
			}
		}
	}
	return out
}

// regionMap is the tile-grid map of the regions coloured by their number of
// clusters; a tile links to the registry filtered by its region (keeping
// the other filters).
func regionMap(lang string, clusters []gm.Cluster, f gm.ClusterFilter) template.HTML {
	counts := regionCounts(clusters)
	c := chart.Map{ID: "chart-map", Kind: "region-map", Title: i18n.T(lang, "map.title"), Desc: i18n.T(lang, "map.desc"), LegendTitle: i18n.T(lang, "map.legend"),
		Values: counts, Selected: f.Region,
		Classes: []chart.Class{{Min: 0, Label: i18n.T(lang, "map.none"), Fill: chart.Blues[0]}, {Min: 1, Label: "1", Fill: chart.Blues[1]},
			{Min: 2, Label: "2–3", Fill: chart.Blues[2]}, {Min: 4, Label: "4–9", Fill: chart.Blues[3]}, {Min: 10, Label: i18n.T(lang, "map.more"), Fill: chart.Blues[4]}},
		Format: func(v float64) string {
			if v == 0 {
				return ""
			}
			return strconv.Itoa(int(v))
		},
		Label: func(region string, v float64) string { return region + ": " + i18n.N(lang, int(v), "n.cluster") },
		Href: func(region string) string {
			q := url.Values{"region": {region}}
			if f.Query != "" {
				q.Set("q", f.Query)
			}
			if f.Specialization != "" {
				q.Set("specialization", f.Specialization)
			}
			if lang == "en" {
				q.Set("lang", "en")
			}
			return "/?" + q.Encode()
		}}
	return template.HTML(c.SVG())
}

// metricRow is one of the participant's metrics, named and explained.
type metricRow struct {
	Key, Name, Value, Meaning string
}

// metricRows are the participant's metrics for people: plain names, stages
// counted from 1, shares as percentages; the direct import share reads «нет
// данных» unless shareKnown (some import or some valued purchase is known).
func metricRows(lang string, m *analysis.ParticipantMetrics, stages int, shareKnown bool) []metricRow {
	pct := func(v float64) string { return gm.FormatPercent(lang, v) }
	pctp := func(v *float64, missing string) string {
		if v == nil {
			return i18n.T(lang, missing)
		}
		return pct(*v)
	}
	stage := strconv.Itoa(m.Stage + 1)
	if stages > 0 {
		stage += " " + i18n.T(lang, "m.stage.of") + " " + strconv.Itoa(stages)
	}
	rows := []metricRow{
		{"stage", "mn.stage", stage, "m.stage"},
		{"pagerank", "mn.pagerank", pct(m.PageRank), "m.pagerank"},
		{"supplier_rank", "mn.supplier_rank", pct(m.SupplierRank), "m.supplier_rank"},
		{"betweenness", "mn.betweenness", pct(m.Betweenness), "m.betweenness"},
		{"reach", "mn.reach", strconv.Itoa(m.UpstreamCount) + " / " + strconv.Itoa(m.DownstreamCount), "m.reach"},
		{"removal_impact", "mn.removal", pct(m.RemovalImpact), "m.removal"},
		{"import_share_direct", "mn.import_direct", pctp(m.ImportShareDirect, "participant.none"), "m.import_direct"},
		{"import_content_total", "mn.import_total", pctp(m.ImportContentTotal, "m.insufficient"), "m.import_total"},
	}
	if !shareKnown {
		rows[6].Value = i18n.T(lang, "nodata")
	}
	for i := range rows {
		rows[i].Name, rows[i].Meaning = i18n.T(lang, rows[i].Name), i18n.T(lang, rows[i].Meaning)
	}
	return rows
}

// productNames are the dataset's product names by code.
func productNames(ds *gm.Dataset) map[string]string {
	out := map[string]string{}
	for _, p := range ds.Products {
		if p.Name != "" {
			out[p.Code] = p.Name
		}
	}
	return out
}

// productsText names the products of a flow: "Профили алюминиевые
// экструзионные (24.42.22)", a code alone when the product has no name.
func productsText(codes []string, names map[string]string) string {
	sort.Strings(codes)
	var out []string
	for _, c := range codes {
		if n := names[c]; n != "" {
			out = append(out, n+" ("+c+")")
		} else {
			out = append(out, c)
		}
	}
	return strings.Join(out, "; ")
}

// countriesText writes ISO country codes as names.
func countriesText(lang string, codes []string) string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, i18n.CountryName(lang, c))
	}
	return strings.Join(out, ", ")
}

// errorText is what an error page says: in English the error's own
// message; in Russian the translated message of its code and the
// problems' Russian wording.
func errorText(lang, code, message string, details []gm.Problem) (string, []string) {
	var lines []string
	for _, p := range details {
		if lang != "en" && p.MessageRU != "" {
			q := p
			q.Message = p.MessageRU
			lines = append(lines, q.String())
		} else {
			lines = append(lines, p.String())
		}
	}
	if lang == "en" || !i18n.Has("err.code."+code) {
		return message, lines
	}
	return i18n.T(lang, "err.code."+code), lines
}
