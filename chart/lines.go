package chart

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Point is a value in a year.
type Point struct {
	Year  int
	Value float64
}

// Series is one indicator over the years.
type Series struct {
	Name   string
	Points []Point // years without data are simply absent
}

// Years is a chart of values over years: one line per series, a marker per
// year with data, and the words for "no data" where a year is missing —
// never a zero.
type Years struct {
	ID, Kind    string
	Title, Desc string
	Unit        string
	Series      []Series
	Colors      []string
	Format      Format
	NoData      string
	Width       float64
	// Axis is the years along the axis, oldest first: a year in it that no
	// series has is written as "no data" in every series. Default: from
	// the first to the last year with data.
	Axis []int
}

// span returns the years from the first to the last with data, and the
// largest value.
func (c Years) span() (years []int, top float64) {
	lo, hi := math.MaxInt, math.MinInt
	for _, s := range c.Series {
		for _, p := range s.Points {
			lo, hi = min(lo, p.Year), max(hi, p.Year)
			top = math.Max(top, p.Value)
		}
	}
	if len(c.Axis) > 0 {
		return c.Axis, top
	}
	for y := lo; y <= hi && hi-lo < 60; y++ {
		years = append(years, y)
	}
	return years, top
}

// SVG draws the chart.
func (c Years) SVG() string {
	f := orDefault(c.Format)
	w := c.Width
	if w == 0 {
		w = 960
	}
	colors := c.Colors
	if len(colors) == 0 {
		colors = Palette
	}
	noData := c.NoData
	if noData == "" {
		noData = "—"
	}
	years, top := c.span()
	top = niceCeil(top)
	names := make([]string, len(c.Series))
	for i, s := range c.Series {
		names[i] = s.Name
	}
	legendH := (&doc{}).legend(0, 0, w, names, colors)
	plotX, plotY, plotH := 110.0, 8+legendH+34, 280.0
	for _, name := range names { // room for the names of the "no data" rows
		plotX = math.Max(plotX, math.Min(320, textWidth(name, smallSize)+70))
	}
	plotW := w - plotX - 30
	d := &doc{id: c.ID, w: w, h: plotY + plotH + 40 + 20*float64(len(c.Series))}
	d.open(c.Kind, "img", c.Title, strings.TrimSpace(c.Desc+" "+c.Unit+". "+c.words(years, f, noData)))
	d.legend(0, 8, w, names, colors)
	d.text(0, plotY-14, c.Unit, "", smallSize, ` fill="`+muted+`"`)
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		y := plotY + plotH - plotH*float64(i)/4
		d.line(plotX, y, plotX+plotW, y, gridLine, "")
		d.text(plotX-8, y+5, f(v), "end", smallSize, ` fill="`+muted+`"`)
	}
	x := func(i int) float64 {
		if len(years) < 2 {
			return plotX + plotW/2
		}
		return plotX + 20 + (plotW-40)*float64(i)/float64(len(years)-1)
	}
	yOf := func(v float64) float64 {
		if top <= 0 {
			return plotY + plotH
		}
		return plotY + plotH - plotH*v/top
	}
	for i, yr := range years {
		d.text(x(i), plotY+plotH+22, strconv.Itoa(yr), "middle", smallSize, "")
	}
	// Per year, the heights of the value labels drawn and of every marker:
	// a label that would overlap either is left out.
	occupied := &occupancy{labels: map[int][]float64{}, markers: map[int][]float64{}}
	for _, s := range c.Series {
		for _, p := range s.Points {
			occupied.markers[p.Year] = append(occupied.markers[p.Year], yOf(p.Value))
		}
	}
	for si, s := range c.Series {
		c.drawSeries(d, s, years, colors[si%len(colors)], x, yOf, plotY+plotH+44+20*float64(si), f, noData, occupied)
	}
	return d.close()
}

// drawSeries draws one series: lines between consecutive years with data,
// markers, and "no data" under each missing year.
// A value whose label would overlap one already written at that year is
// left to the marker's tooltip and the chart's description.
func (c Years) drawSeries(d *doc, s Series, years []int, color string, x func(int) float64, y func(float64) float64, missingY float64, f Format, noData string, occupied *occupancy) {
	at := map[int]float64{}
	for _, p := range s.Points {
		at[p.Year] = p.Value
	}
	fmt.Fprintf(&d.b, `<g class="series" data-series="%s">`, esc(s.Name))
	var run []string
	flush := func() {
		if len(run) > 1 {
			fmt.Fprintf(&d.b, `<polyline fill="none" stroke="%s" stroke-width="3" points="%s"/>`, color, strings.Join(run, " "))
		}
		run = nil
	}
	for i, yr := range years {
		v, ok := at[yr]
		if !ok {
			flush()
			continue
		}
		run = append(run, n(x(i))+","+n(y(v)))
	}
	flush()
	if len(at) < len(years) { // the row of this series' missing years says whose they are
		d.rect(0, missingY-12, 14, 14, color, "")
		d.text(20, missingY, s.Name, "", smallSize, ` fill="`+muted+`"`)
	}
	for i, yr := range years {
		v, ok := at[yr]
		if !ok {
			d.text(x(i), missingY, noData, "middle", smallSize, ` class="nodata" data-year="`+strconv.Itoa(yr)+`" fill="`+muted+`"`)
			continue
		}
		fmt.Fprintf(&d.b, `<circle class="point" data-year="%d" cx="%s" cy="%s" r="5" fill="%s"><title>%s</title></circle>`, yr, n(x(i)), n(y(v)), color, esc(fmt.Sprintf("%s, %d: %s", s.Name, yr, f(v))))
		if ly := y(v) - 10; occupied.free(yr, ly, y(v)) {
			occupied.labels[yr] = append(occupied.labels[yr], ly)
			d.text(x(i), ly, f(v), "middle", smallSize, ` class="value"`)
		}
	}
	d.b.WriteString(`</g>`)
}

// words lists the data for the description: each series' values by year.
func (c Years) words(years []int, f Format, noData string) string {
	var out []string
	for _, s := range c.Series {
		at := map[int]float64{}
		for _, p := range s.Points {
			at[p.Year] = p.Value
		}
		var vs []string
		for _, yr := range years {
			if v, ok := at[yr]; ok {
				vs = append(vs, fmt.Sprintf("%d: %s", yr, f(v)))
			} else {
				vs = append(vs, fmt.Sprintf("%d: %s", yr, noData))
			}
		}
		out = append(out, s.Name+" — "+strings.Join(vs, ", "))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// occupancy is what is drawn at each year: value labels (by baseline) and
// markers (by centre).
type occupancy struct {
	labels, markers map[int][]float64
}

// free says whether a label with baseline ly at the year overlaps no other
// label and no marker but its own (at own).
func (o *occupancy) free(year int, ly, own float64) bool {
	for _, other := range o.labels[year] {
		if math.Abs(other-ly) < smallSize+2 {
			return false
		}
	}
	for _, m := range o.markers[year] {
		if m != own && ly-smallSize+2 < m+5 && ly+2 > m-5 {
			return false
		}
	}
	return true
}
