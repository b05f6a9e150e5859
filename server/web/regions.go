package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/chart"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// regionRoutes are a region's page, the region comparison and cooperation
// between clusters.
func (u *UI) regionRoutes() []Route {
	return []Route{
		{http.MethodGet, "/regions/compare", app.Public, u.regionCompare()},
		{http.MethodGet, "/regions/:name", app.Public, u.region()},
		{http.MethodGet, "/cooperation", app.SignedIn, u.cooperation()},
	}
}

// ratingIndRow is one indicator of a region's estimate, written out.
type ratingIndRow struct {
	Block, Name, Weight, Value, Max, Points, Note string
	NoData                                        bool
}

// blockRow is one block of a region against the leaders.
type blockRow struct {
	Name                                 string
	Region, Leader, Published, PubLeader string
}

type regionPage struct {
	*Page
	V          *app.RegionView
	Chart      template.HTML
	Blocks     []blockRow
	Indicators []ratingIndRow
	Computed   string
	Levers     []leverField
	WhatIf     *app.WhatIfView
	Moves      string
	Difference string
	Errors     []string // the what-if form's problems
}

// leverField is one input of the what-if form.
type leverField struct {
	Name, Label string
	Value       int
}

// problemLines writes an invalid request's problems for the page: the
// field's label (not its query name), the value and the message in the
// page's language. ok is false for any other error.
func problemLines(l string, err error, labels map[string]string) (lines []string, ok bool) {
	var e *gm.Error
	if !errors.As(err, &e) || e.Code != gm.EINVALID {
		return nil, false
	}
	for _, p := range e.Details {
		msg := p.Message
		if l != "en" && p.MessageRU != "" {
			msg = p.MessageRU
		}
		line := strings.TrimSpace(labels[p.Column] + " «" + p.Value + "»")
		if p.Value == "" {
			line = labels[p.Column]
		}
		lines = append(lines, strings.TrimSpace(line+": "+msg))
	}
	return lines, true
}

func blockName(lang, code string) string {
	return i18n.T(lang, "rating.block."+strings.ToLower(code))
}

func num1(lang string, v float64) string { return gm.FormatNumber(lang, v, 1) }

// estimateChart is the rows' blocks as stacked bars.
func estimateChart(lang, id, title, desc string, rows []app.EstimateRow) template.HTML {
	c := chart.Stacked{ID: id, Kind: "rating-estimate", Title: title, Desc: desc, Unit: i18n.T(lang, "chart.rating.unit"),
		Short: analysis.RatingBlocks, Format: func(v float64) string { return num1(lang, v) }}
	for _, b := range analysis.RatingBlocks {
		c.Segments = append(c.Segments, blockName(lang, b))
	}
	for _, r := range rows {
		var parts []float64
		for _, b := range analysis.RatingBlocks {
			parts = append(parts, r.Block(b))
		}
		c.Rows = append(c.Rows, chart.Stack{Key: r.Region, Label: strconv.Itoa(r.Rank) + ". " + r.Region, Parts: parts, Total: r.Total})
	}
	return template.HTML(c.SVG())
}

// indicatorRows writes the region's indicators for people: a value, the
// largest value, the points, or why there is no data.
func indicatorRows(lang string, inds []analysis.RatingIndicator, e app.EstimateRow) []ratingIndRow {
	var out []ratingIndRow
	for i, in := range inds {
		s := e.Indicators[i]
		r := ratingIndRow{Block: in.Block, Name: i18n.T(lang, "rating.ind."+in.Key), Weight: num1(lang, in.Weight)}
		fmtv := func(v float64) string {
			switch {
			case in.Presence:
				return i18n.T(lang, map[bool]string{true: "region.ind.yes", false: "region.ind.no"}[v > 0])
			case in.Key == analysis.IndNicheVolume:
				return rubles(lang, v)
			}
			return gm.FormatNumber(lang, v, -1)
		}
		switch {
		case !in.Computed:
			r.NoData, r.Value, r.Note = true, i18n.T(lang, "nodata"), i18n.T(lang, "region.ind.notkept")
		case s.Value == nil:
			r.NoData, r.Value, r.Note = true, i18n.T(lang, "nodata"), i18n.T(lang, "region.ind.withheld")
		default:
			r.Value, r.Points = fmtv(*s.Value), num1(lang, *s.Points)
			if s.Partial {
				r.Note = i18n.T(lang, "region.ind.partial")
			}
		}
		if s.Max != nil {
			r.Max = fmtv(*s.Max)
		}
		out = append(out, r)
	}
	return out
}

func (u *UI) region() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx, l := c.Request().Context(), httpx.Lang(c)
		name := c.Param("name")
		if n, err := url.PathUnescape(name); err == nil {
			name = n
		}
		v, err := u.app.Region(ctx, name)
		if err != nil {
			return err
		}
		p := &regionPage{Page: u.newPage(c, v.Region), V: v}
		labels := map[string]string{}
		for _, name := range app.WhatIfLevers {
			labels[name] = i18n.T(l, "whatif."+name)
		}
		levers, err := app.ParseWhatIf(c.QueryParam)
		if err != nil {
			if p.Errors, _ = problemLines(l, err, labels); p.Errors == nil {
				return err
			}
			levers = map[string]int{}
		}
		rows := []app.EstimateRow{v.Estimate}
		for _, r := range v.Leaders {
			if r.Region != v.Region {
				rows = append(rows, r)
			}
		}
		p.Chart = estimateChart(l, "chart-region", i18n.T(l, "est.chart.title"), i18n.T(l, "est.chart.desc"), rows)
		p.Blocks = regionBlocks(l, v)
		p.Indicators = indicatorRows(l, v.Indicators, v.Estimate)
		p.Computed = computedText(l, v.Indicators)
		if v.Estimate.Difference != nil {
			p.Difference = num1(l, *v.Estimate.Difference)
		}
		for _, name := range app.WhatIfLevers {
			p.Levers = append(p.Levers, leverField{Name: name, Label: i18n.T(l, "whatif."+name), Value: levers[name]})
		}
		if len(levers) > 0 {
			if p.WhatIf, err = u.app.RegionWhatIf(ctx, v.Region, levers); err != nil {
				return err
			}
			p.Moves = i18n.T(l, "whatif.same")
			if p.WhatIf.RankChange > 0 {
				p.Moves = fmt.Sprintf(i18n.T(l, "whatif.up"), p.WhatIf.RankChange)
			}
		}
		return u.render(c, map[bool]int{true: http.StatusBadRequest, false: http.StatusOK}[len(p.Errors) > 0], "region.html", p)
	})
}

// regionBlocks are the region's blocks beside the estimate's leader and,
// where published, beside the Atlas's row and leader.
func regionBlocks(l string, v *app.RegionView) []blockRow {
	var out []blockRow
	for i, b := range analysis.RatingBlocks {
		r := blockRow{Name: blockName(l, b), Region: num1(l, v.Estimate.Block(b)), Published: i18n.T(l, "est.notpublished"), PubLeader: i18n.T(l, "nodata")}
		if len(v.Leaders) > 0 {
			r.Leader = num1(l, v.Leaders[0].Block(b))
		}
		if p := v.Estimate.Published; p != nil {
			r.Published = num1(l, []float64{p.S1, p.S2, p.S3, p.S4, p.S5}[i])
		}
		if len(v.PublishedLeaders) > 0 {
			p := v.PublishedLeaders[0]
			r.PubLeader = num1(l, []float64{p.S1, p.S2, p.S3, p.S4, p.S5}[i])
		}
		out = append(out, r)
	}
	return out
}

func computedText(l string, inds []analysis.RatingIndicator) string {
	n, pts := 0, 0.0
	for _, in := range inds {
		if in.Computed {
			n++
			pts += in.Weight
		}
	}
	return fmt.Sprintf(i18n.T(l, "est.computed"), n, len(inds), num1(l, pts))
}

// compareColumn is one region of the comparison, written out.
type compareColumn struct {
	C      app.RegionColumn
	Total  string
	Rank   string
	Pub    string
	Blocks []string
	LQ     []string
	Niches []string
	More   string
	Hidden bool // niches are for signed-in callers
	// Reported, Shipped and Employees are the statutory indicators of the
	// region's participants, written out («нет данных», or suppressed).
	Reported, Shipped, Employees string
}

type comparePage struct {
	*Page
	All      []string
	Picked   map[string]bool
	Columns  []compareColumn
	Chart    template.HTML
	Estimate *app.RatingEstimate
	Rows     []estimateListRow
	Max      int
	Errors   []string // the form's problems (unknown regions, too many)
}

// estimateListRow is a row of the whole estimate.
type estimateListRow struct {
	Rank, Region, Total, Published, Difference string
	Blocks                                     []string
}

func (u *UI) regionCompare() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx, l := c.Request().Context(), httpx.Lang(c)
		all, err := u.app.RegionNames(ctx)
		if err != nil {
			return err
		}
		p := &comparePage{Page: u.newPage(c, i18n.T(l, "cmp.title")), All: all, Picked: map[string]bool{}, Max: app.MaxCompared}
		names := c.QueryParams()["r"]
		if len(names) == 0 {
			if p.Estimate, err = u.app.RatingEstimate(ctx); err != nil {
				return err
			}
			p.Rows = estimateList(l, p.Estimate)
			return u.render(c, http.StatusOK, "region_compare.html", p)
		}
		cmp, err := u.app.CompareRegions(ctx, httpx.Who(c).Principal, names)
		if err != nil {
			if p.Errors, _ = problemLines(l, err, map[string]string{"r": ""}); p.Errors == nil {
				return err
			}
			return u.render(c, http.StatusBadRequest, "region_compare.html", p)
		}
		var rows []app.EstimateRow
		for _, col := range cmp.Regions {
			p.Picked[col.Region] = true
			p.Columns = append(p.Columns, compareColumnOf(l, col))
			rows = append(rows, col.Estimate)
		}
		p.Chart = estimateChart(l, "chart-compare", i18n.T(l, "est.chart.cmp"), i18n.T(l, "est.chart.desc"), rows)
		return u.render(c, http.StatusOK, "region_compare.html", p)
	})
}

func estimateList(l string, e *app.RatingEstimate) []estimateListRow {
	var out []estimateListRow
	for _, r := range e.Regions {
		row := estimateListRow{Rank: strconv.Itoa(r.Rank), Region: r.Region, Total: num1(l, r.Total), Published: i18n.T(l, "est.notpublished"), Difference: "—"}
		for _, b := range analysis.RatingBlocks {
			row.Blocks = append(row.Blocks, num1(l, r.Block(b)))
		}
		if r.Published != nil {
			row.Published, row.Difference = num1(l, r.Published.Total), num1(l, *r.Difference)
		}
		out = append(out, row)
	}
	return out
}

func compareColumnOf(l string, col app.RegionColumn) compareColumn {
	cc := compareColumn{C: col, Total: num1(l, col.Estimate.Total), Rank: strconv.Itoa(col.Estimate.Rank), Pub: i18n.T(l, "est.notpublished"), Hidden: col.Niches == nil}
	if p := col.Estimate.Published; p != nil {
		cc.Pub = num1(l, p.Total) + " (" + strconv.Itoa(p.Rank) + ")"
	}
	for _, b := range analysis.RatingBlocks {
		cc.Blocks = append(cc.Blocks, num1(l, col.Estimate.Block(b)))
	}
	cc.Reported, cc.Shipped, cc.Employees = i18n.T(l, "nodata"), i18n.T(l, "nodata"), i18n.T(l, "nodata")
	if in := col.Indicators; in != nil {
		cc.Reported = fmt.Sprintf(i18n.T(l, "cmp.ind.count"), in.Year, in.ParticipantsReported)
		if in.Suppressed {
			cc.Shipped, cc.Employees = i18n.T(l, "cmp.ind.suppressed"), i18n.T(l, "cmp.ind.suppressed")
		} else {
			if v := in.Totals["shipped_rub"]; v != nil {
				cc.Shipped = rubles(l, *v)
			}
			if v := in.Totals["employees"]; v != nil {
				cc.Employees = gm.FormatNumber(l, *v, 0)
			}
		}
	}
	for _, q := range col.LQ {
		if len(cc.LQ) == 3 {
			break
		}
		v := i18n.T(l, "nodata")
		if q.LQ != nil {
			v = gm.FormatNumber(l, *q.LQ, 2)
		}
		cc.LQ = append(cc.LQ, q.Industry+": "+v)
	}
	for i, n := range col.Niches {
		if i == 5 {
			cc.More = fmt.Sprintf(i18n.T(l, "cmp.more"), len(col.Niches)-5)
			break
		}
		s := n.ProductName + " — "
		if n.GapRUB != nil {
			s += rubles(l, *n.GapRUB)
		} else {
			s += i18n.T(l, "cmp.conf")
		}
		cc.Niches = append(cc.Niches, s)
	}
	return cc
}

type coopPage struct {
	*Page
	V       *app.CoopView
	Diagram *Diagram
	Edges   []coopEdgeRow
	Flows   []coopFlowRow
	Hidden  string
}

type coopEdgeRow struct {
	From, To, FromID, ToID, Links, Value, Matches, Imports string
}

type coopFlowRow struct {
	Kind, From, To, Supplier, Buyer, Product, Amount string
}

func (u *UI) cooperation() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		ctx, l := c.Request().Context(), httpx.Lang(c)
		me := httpx.Who(c).Principal
		v, err := u.app.Cooperation(ctx, me)
		if err != nil {
			return err
		}
		p := &coopPage{Page: u.newPage(c, i18n.T(l, "coop.title")), V: v}
		if len(v.Clusters) > 0 {
			p.Diagram = inline(u.app.CooperationDiagram(ctx, me, l, diagram.SVG))
		}
		money := func(x *float64, any, withheld bool) string {
			switch {
			case !any:
				return "—"
			case withheld:
				return i18n.T(l, "coop.conf")
			case x == nil:
				return i18n.T(l, "nodata")
			}
			return rubles(l, *x)
		}
		for _, e := range v.Edges {
			p.Edges = append(p.Edges, coopEdgeRow{From: e.FromName, To: e.ToName, FromID: e.From, ToID: e.To, Links: strconv.Itoa(e.Links),
				Value: money(e.ValueRUB, e.Links > 0, e.ValueWithheld), Matches: strconv.Itoa(e.Matches), Imports: money(e.ImportedRUB, e.Matches > 0, e.ImportsWithheld)})
		}
		names := map[string]string{}
		for _, n := range v.Clusters {
			names[n.ID] = n.Name
		}
		for _, f := range v.Flows {
			p.Flows = append(p.Flows, coopFlowRow{Kind: i18n.T(l, "coop.kind."+f.Kind), From: names[f.FromCluster], To: names[f.ToCluster],
				Supplier: f.SupplierName, Buyer: f.BuyerName, Product: f.ProductCode, Amount: money(f.ValueRUB, true, false)})
		}
		if v.HiddenFlows > 0 {
			p.Hidden = fmt.Sprintf(i18n.T(l, "coop.hidden"), v.HiddenFlows)
		}
		return u.render(c, http.StatusOK, "region_cooperation.html", p)
	})
}
