package web

import (
	"html/template"
	"math"
	"slices"
	"strconv"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/chart"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// This file draws the charts of the indicators page and of the report:
// the statutory indicators over the years, each saved scenario's gaps and
// the rating of the cluster's regions.

// indicatorCharts are the cluster's statutory indicators over the years:
// the money ones in mln RUB on one chart, employees on another. A year
// nobody reported is «no data» on the axis, never zero; an indicator no
// year has is left out of the chart (the table says «нет данных»).
func indicatorCharts(lang string, v *app.IndicatorsView) []template.HTML {
	if len(v.History) == 0 {
		return nil
	}
	var axis []int
	for _, h := range v.History {
		axis = append(axis, h.Year)
	}
	money := chart.Years{ID: "chart-indicators", Kind: "indicators", Title: i18n.T(lang, "chart.ind.title"), Desc: i18n.T(lang, "chart.ind.desc"),
		Unit: i18n.T(lang, "chart.ind.unit"), NoData: i18n.T(lang, "chart.nodata"), Axis: axis, Colors: append(slices.Clone(chart.Palette), "#1b1f24"),
		Format: func(x float64) string { return mlnText(lang, x) }}
	people := chart.Years{ID: "chart-employees", Kind: "employees", Title: i18n.T(lang, "chart.ind.people"), Desc: i18n.T(lang, "chart.ind.desc"),
		Unit: i18n.T(lang, "chart.ind.persons"), NoData: i18n.T(lang, "chart.nodata"), Axis: axis,
		Format: func(x float64) string { return gm.GroupDigits(gm.FormatNumber(lang, x, 0)) }}
	for _, d := range gm.IndicatorDefs {
		s := chart.Series{Name: i18n.T(lang, "ind.short."+d.Key)}
		for _, h := range v.History {
			if x := h.Totals[d.Key]; x != nil {
				val := *x
				if d.Money {
					val /= 1e6
				}
				s.Points = append(s.Points, chart.Point{Year: h.Year, Value: val})
			}
		}
		switch {
		case len(s.Points) == 0:
		case d.Money:
			money.Series = append(money.Series, s)
		default:
			people.Series = append(people.Series, s)
		}
	}
	var out []template.HTML
	for _, c := range []chart.Years{money, people} {
		if len(c.Series) > 0 {
			out = append(out, template.HTML(c.SVG()))
		}
	}
	return out
}

// namedChart is a chart under a heading of its own (a scenario's name).
type namedChart struct {
	Name  string
	Chart template.HTML
}

// reportCharts are the report's charts beyond the niches: each saved
// scenario's gaps before and after, the indicators over the years and the
// cluster's regions in the rating.
func reportCharts(lang string, cl *gm.Cluster, sums []app.ScenarioSummary, ind *app.IndicatorsView, rating []gm.RegionRating) (scen []namedChart, inds []template.HTML, rate template.HTML) {
	for i, s := range sums {
		if s.Cmp != nil && len(s.Cmp.Niches) > 0 {
			scen = append(scen, namedChart{s.Name, scenarioChart(lang, "-"+strconv.Itoa(i+1), s.Name, s.Cmp)})
		}
	}
	if ind != nil {
		inds = indicatorCharts(lang, ind)
	}
	in := map[string]bool{}
	for _, r := range cl.Regions {
		in[r] = true
	}
	var mine []gm.RegionRating
	for _, r := range rating {
		if in[r.Region] {
			mine = append(mine, r)
		}
	}
	if len(mine) > 0 {
		rate = ratingChart(lang, mine)
	}
	return scen, inds, rate
}

// reportMore adds to the report page its charts beyond the niches.
func (u *UI) reportMore(c echo.Context, cp *clusterPage) error {
	ctx := c.Request().Context()
	ind, err := u.app.Indicators(ctx, cp.Me.Principal, cp.Cluster.ID, 0)
	if err != nil {
		return err
	}
	rating, err := u.app.RegionRating(ctx)
	if err != nil {
		return err
	}
	cp.ScenarioCharts, cp.IndicatorCharts, cp.RatingChart = reportCharts(cp.Lang, cp.Cluster, cp.Scenarios, ind, rating)
	return nil
}

// mlnText writes millions of roubles: «2 400», «380», «60,5».
func mlnText(lang string, x float64) string {
	if x >= 100 || x == math.Trunc(x) {
		return gm.GroupDigits(gm.FormatNumber(lang, math.Round(x), 0))
	}
	return gm.FormatNumber(lang, x, 1)
}
