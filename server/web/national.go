package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/chart"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// nationalPage is /national: the national indicators (admin and analyst),
// their map and charts, and the national niches (anyone signed in).
type nationalPage struct {
	*Page
	Allowed   bool // the caller may see the national indicators
	V         *app.NationalIndicatorsView
	By        string
	Indicator string
	Levels    []string
	Defs      []gm.IndicatorDef
	Rows      []nationalRow
	TotalRow  nationalRow
	XLSX      string
	Map       template.HTML
	Bars      template.HTML
	Lines     template.HTML
	// MapTitle, BarsTitle and LinesTitle head the charts.
	MapTitle, BarsTitle, LinesTitle string
	Niches                          []nationalNiche
	Threshold                       int
}

// nationalNiche is a national niche with its analogues and measures in
// words (the first three of each, and how many more).
type nationalNiche struct {
	N                           analysis.NationalNiche
	Clusters                    []analysis.ClusterRef // the first five
	MoreClusters, RegionsText   string
	AnaloguesText, MeasuresText string
}

// nationalRow is a row of the indicators table as people read it.
type nationalRow struct {
	Name                   string
	Clusters, Participants int
	Suppressed             bool
	Why                    string   // why a suppressed row is withheld
	Cells                  []string // one per indicator: the amount, «скрыто» or «нет данных»
	Change                 string   // of the chosen indicator
}

func (u *UI) nationalRoutes() []Route {
	return []Route{{http.MethodGet, "/national", app.SignedIn, u.national()}}
}

func (u *UI) national() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx := c.Request().Context()
		l := httpx.Lang(c)
		p := &nationalPage{Page: u.newPage(c, i18n.T(l, "nat.title")), Levels: analysis.NationalLevels, Defs: gm.IndicatorDefs, Threshold: u.app.Config().AggregationThreshold}
		p.Indicator = c.QueryParam("indicator")
		if gm.Ptr(gm.Indicators{}).Ref(p.Indicator) == nil {
			p.Indicator = "shipped_rub"
		}
		p.Allowed = app.National.Allows(p.Me.Principal, "")
		if p.Allowed {
			if err := u.nationalIndicators(c, p); err != nil {
				return err
			}
		}
		nn, err := u.app.NationalNiches(ctx, p.Me.Principal)
		if err != nil {
			return err
		}
		for _, n := range nn.Items {
			p.Niches = append(p.Niches, nicheWords(l, n))
		}
		return u.render(c, http.StatusOK, "national.html", p)
	})
}

// nationalIndicators fills the table, the map and the charts.
func (u *UI) nationalIndicators(c echo.Context, p *nationalPage) error {
	ctx := c.Request().Context()
	y, err := httpx.Year(c)
	if err != nil {
		return err
	}
	if p.V, err = u.app.NationalIndicators(ctx, p.Me.Principal, y, c.QueryParam("by")); err != nil {
		return err
	}
	p.By = p.V.By
	q := url.Values{"year": {strconv.Itoa(p.V.Year)}, "by": {p.By}}
	if p.Lang == "en" {
		q.Set("lang", "en")
	}
	p.XLSX = "/api/v1/indicators.xlsx?" + q.Encode()
	t := func(k string) string { return i18n.T(p.Lang, k) }
	for _, a := range p.V.Items {
		p.Rows = append(p.Rows, p.row(a, app.NationalItemName(p.By, a, t)))
	}
	p.TotalRow = p.row(p.V.Total, t("nat.total"))
	regions := p.V
	if p.By != analysis.LevelRegion {
		if regions, err = u.app.NationalIndicators(ctx, p.Me.Principal, p.V.Year, analysis.LevelRegion); err != nil {
			return err
		}
	}
	p.Map = nationalMap(p, regions.Items)
	p.Bars = nationalBars(p)
	series, years, err := u.app.NationalSeries(ctx, p.Me.Principal)
	if err != nil {
		return err
	}
	p.Lines = nationalLines(p, series, years)
	return nil
}

// amount writes an indicator's figure: money in млн/млрд руб., people in
// whole numbers.
func amount(lang string, d gm.IndicatorDef, v float64) string {
	if d.Money {
		return rubles(lang, v)
	}
	return gm.GroupDigits(strconv.FormatFloat(v, 'f', 0, 64))
}

// cellAmount is amount without the unit, for the table (the unit is said
// above it).
func cellAmount(lang string, d gm.IndicatorDef, v float64) string {
	if d.Money {
		return gm.FormatMoney(lang, v)
	}
	return amount(lang, d, v)
}

func (p *nationalPage) def() gm.IndicatorDef {
	for _, d := range gm.IndicatorDefs {
		if d.Key == p.Indicator {
			return d
		}
	}
	return gm.IndicatorDefs[0]
}

func (p *nationalPage) row(a analysis.NationalAggregate, name string) nationalRow {
	r := nationalRow{Name: name, Clusters: a.Clusters, Participants: a.ParticipantsReported, Suppressed: a.Suppressed}
	if a.Suppressed {
		r.Why = fmt.Sprintf(i18n.T(p.Lang, "nat.suppressed.few"), p.Threshold)
		if a.ParticipantsReported >= p.Threshold {
			r.Why = i18n.T(p.Lang, "nat.suppressed.complement")
		}
		return r
	}
	for _, d := range gm.IndicatorDefs {
		switch v := a.Totals[d.Key]; {
		case contains(a.Withheld, d.Key):
			r.Cells = append(r.Cells, i18n.T(p.Lang, "nat.hidden"))
		case v == nil:
			r.Cells = append(r.Cells, i18n.T(p.Lang, "nodata"))
		default:
			r.Cells = append(r.Cells, cellAmount(p.Lang, d, *v))
		}
	}
	r.Change = i18n.T(p.Lang, "nodata")
	if ch := a.Change[p.Indicator]; ch != nil {
		r.Change = signedPercent(p.Lang, *ch)
	}
	return r
}

func signedPercent(lang string, v float64) string {
	s := gm.FormatPercent(lang, v)
	if v > 0 {
		s = "+" + s
	}
	return s
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// shortName is the indicator's short name for the map and the charts.
func (p *nationalPage) shortName() string { return i18n.T(p.Lang, "nat.sh."+p.Indicator) }

// nationalMap colours the regions by the chosen indicator: grey for no
// data or a withheld figure, then four classes by the published values'
// quartiles.
func nationalMap(p *nationalPage, regions []analysis.NationalAggregate) template.HTML {
	d := p.def()
	values := map[string]float64{}
	for _, r := range chart.RegionNames() {
		values[r] = -1
	}
	var pub []float64
	for _, a := range regions {
		if v := a.Totals[p.Indicator]; !a.Suppressed && v != nil && a.Key != "" {
			values[a.Key] = *v
			pub = append(pub, *v)
		}
	}
	sort.Float64s(pub)
	classes := []chart.Class{{Min: -1, Label: i18n.T(p.Lang, "nat.map.none"), Fill: "#E3E5E8"}}
	if len(pub) > 0 {
		var mins []float64
		for q := 0; q < 4; q++ {
			m := pub[q*len(pub)/4]
			if len(mins) == 0 || m > mins[len(mins)-1] {
				mins = append(mins, m)
			}
		}
		mins[0] = min(mins[0], 0)
		for i, m := range mins {
			label := "≥ " + amount(p.Lang, d, m)
			if i+1 < len(mins) {
				label = amount(p.Lang, d, m) + " – " + amount(p.Lang, d, mins[i+1])
			}
			classes = append(classes, chart.Class{Min: m, Label: label, Fill: chart.Blues[i+1]})
		}
	}
	p.MapTitle = fmt.Sprintf(i18n.T(p.Lang, "nat.map.title"), p.shortName(), p.V.Year)
	c := chart.Map{ID: "chart-national-map", Kind: "national-map", Title: fmt.Sprintf(i18n.T(p.Lang, "nat.map.title"), p.shortName(), p.V.Year),
		Desc: i18n.T(p.Lang, "nat.map.desc"), LegendTitle: i18n.T(p.Lang, "nat.map.legend"), Values: values, Classes: classes,
		Format: func(float64) string { return "" },
		Label: func(region string, v float64) string {
			if v < 0 {
				return region + ": " + i18n.T(p.Lang, "nat.map.none")
			}
			return region + ": " + amount(p.Lang, d, v)
		}}
	return template.HTML(c.SVG())
}

// nationalBars ranks the table's published rows by the chosen indicator,
// the change beside each bar.
func nationalBars(p *nationalPage) template.HTML {
	d := p.def()
	c := chart.Bars{ID: "chart-national-bars", Kind: "national-bars", Title: fmt.Sprintf(i18n.T(p.Lang, "nat.bars.title"), p.shortName(), i18n.T(p.Lang, "nat.by."+p.By)),
		Desc: i18n.T(p.Lang, "nat.bars.desc"), ValueTitle: p.shortName(), SideTitle: i18n.T(p.Lang, "nat.col.change"),
		Format: func(v float64) string { return amount(p.Lang, d, v) }}
	for i, a := range p.V.Items {
		v := a.Totals[p.Indicator]
		if a.Suppressed || v == nil {
			continue
		}
		c.Bars = append(c.Bars, chart.Bar{Key: a.Key, Label: p.Rows[i].Name, Value: *v, Side: p.Rows[i].Change})
	}
	if len(c.Bars) == 0 {
		return ""
	}
	p.BarsTitle = c.Title
	sort.SliceStable(c.Bars, func(i, j int) bool { return c.Bars[i].Value > c.Bars[j].Value })
	if len(c.Bars) > 15 {
		c.Bars = c.Bars[:15]
	}
	return template.HTML(c.SVG())
}

// nationalLines is the national total of the chosen indicator by year.
func nationalLines(p *nationalPage, totals []analysis.NationalAggregate, years []int) template.HTML {
	d := p.def()
	s := chart.Series{Name: i18n.T(p.Lang, "nat.total")}
	for i, a := range totals {
		if v := a.Totals[p.Indicator]; !a.Suppressed && v != nil {
			s.Points = append(s.Points, chart.Point{Year: years[i], Value: *v})
		}
	}
	if len(s.Points) == 0 {
		return ""
	}
	c := chart.Years{ID: "chart-national-years", Kind: "national-years", Title: fmt.Sprintf(i18n.T(p.Lang, "nat.lines.title"), p.shortName()),
		Desc: i18n.T(p.Lang, "nat.lines.desc"), Series: []chart.Series{s}, NoData: i18n.T(p.Lang, "chart.nodata"),
		Format: func(v float64) string { return cellAmount(p.Lang, d, v) }}
	c.Unit = i18n.T(p.Lang, "ind.unit.persons")
	if d.Money {
		c.Unit = i18n.T(p.Lang, "rub")
	}
	p.LinesTitle = c.Title
	return template.HTML(c.SVG())
}

// nicheWords writes a national niche's analogues and measures: the first
// three of each, then how many more.
func nicheWords(lang string, n analysis.NationalNiche) nationalNiche {
	out := nationalNiche{N: n, AnaloguesText: i18n.T(lang, "nat.no.analogues"), MeasuresText: i18n.T(lang, "nodata")}
	list := func(items []string) string {
		s := ""
		for i, it := range items {
			if i == 3 {
				return s + " " + fmt.Sprintf(i18n.T(lang, "nat.more"), len(items)-3)
			}
			if i > 0 {
				s += "; "
			}
			s += it
		}
		return s
	}
	var as, ms []string
	for _, a := range n.Analogues {
		s := a.Name + " (" + a.ClusterName
		if a.HasCapacity {
			s += ", " + i18n.T(lang, "nat.capacity")
		}
		as = append(as, s+")")
	}
	for _, m := range n.Measures {
		ms = append(ms, map[bool]string{true: m.NameEN, false: m.Name}[lang == "en"])
	}
	if len(as) > 0 {
		out.AnaloguesText = list(as)
	}
	out.Clusters = n.Clusters[:min(5, len(n.Clusters))]
	if len(n.Clusters) > 5 {
		out.MoreClusters = fmt.Sprintf(i18n.T(lang, "nat.more"), len(n.Clusters)-5)
	}
	out.RegionsText = list(n.Regions)
	if len(ms) > 0 {
		out.MeasuresText = list(ms)
	}
	return out
}
