package chart

import (
	"math"
	"strings"
)

// Bar is one bar of a ranked bar chart.
type Bar struct {
	Key   string  // a stable key written as data-item (e.g. a product code)
	Label string  // what the bar is, shown whole (wrapped, never cut)
	Value float64 // the bar's length
	Side  string  // the figure shown beside the bar in its own column (e.g. a score)
}

// Bars is a ranked horizontal bar chart: one row per item, largest first
// as given, the value at the end of the bar and a second figure beside it.
type Bars struct {
	ID, Kind     string // element id prefix; data-chart value
	Title, Desc  string
	ValueTitle   string // heading over the bars (the value and its unit)
	SideTitle    string // heading of the column beside the bars
	Bars         []Bar
	Format       Format // the value's text
	Width        float64
	LabelColumnW float64
}

// rowLayout is the lines of a row's label and the row's height.
func rowLines(label string, width float64) ([]string, float64) {
	lines := wrapText(label, width, textSize, 3)
	return lines, math.Max(34, float64(len(lines))*20+12)
}

// SVG draws the chart.
func (c Bars) SVG() string {
	f := orDefault(c.Format)
	w := c.Width
	if w == 0 {
		w = 960
	}
	lw := c.LabelColumnW
	if lw == 0 {
		lw = 320
	}
	sideW := 0.0
	if c.SideTitle != "" {
		sideW = math.Max(90, textWidth(c.SideTitle, smallSize)+20)
	}
	valueW := 130.0
	barX, barMax := lw+12, w-lw-12-valueW-sideW
	max := 0.0
	for _, b := range c.Bars {
		max = math.Max(max, b.Value)
	}
	h := 36.0
	heights := make([]float64, len(c.Bars))
	lines := make([][]string, len(c.Bars))
	for i, b := range c.Bars {
		lines[i], heights[i] = rowLines(b.Label, lw)
		h += heights[i]
	}
	d := &doc{id: c.ID, w: w, h: h + 8}
	var words []string
	for _, b := range c.Bars {
		word := b.Label + ": " + f(b.Value)
		if c.SideTitle != "" {
			word += ", " + strings.ToLower(c.SideTitle) + " " + b.Side
		}
		words = append(words, word)
	}
	d.open(c.Kind, "img", c.Title, strings.TrimSpace(c.Desc+" "+strings.Join(words, "; ")))
	d.text(barX, 22, c.ValueTitle, "", smallSize, ` fill="`+muted+`"`)
	if c.SideTitle != "" {
		d.text(w-sideW/2, 22, c.SideTitle, "middle", smallSize, ` fill="`+muted+`"`)
	}
	y := 36.0
	for i, b := range c.Bars {
		d.b.WriteString(`<g class="row" data-item="` + esc(b.Key) + `"><title>` + esc(words[i]) + `</title>`)
		for j, l := range lines[i] {
			d.text(0, y+20+float64(j)*20, l, "", textSize, "")
		}
		bw := 0.0
		if max > 0 {
			bw = barMax * b.Value / max
		}
		d.rect(barX, y+8, bw, 20, barBlue, ` class="bar"`)
		d.text(barX+bw+8, y+23, f(b.Value), "", textSize, ` class="value"`)
		if c.SideTitle != "" {
			d.text(w-sideW/2, y+23, b.Side, "middle", textSize, ` class="side" font-weight="bold"`)
		}
		d.line(0, y+heights[i], w, y+heights[i], gridLine, "")
		d.b.WriteString(`</g>`)
		y += heights[i]
	}
	return d.close()
}

// Group is one item of a grouped bar chart: a value per series; NaN means
// no data (written as such, never drawn as zero).
type Group struct {
	Key, Label string
	Values     []float64
	Note       string // shown after the group's last value (e.g. "закрыта")
}

// Grouped is a horizontal grouped bar chart: per item one bar per series
// (e.g. the gap before and after a scenario).
type Grouped struct {
	ID, Kind    string
	Title, Desc string
	ValueTitle  string
	Series      []string
	Colors      []string // default: grey, then the palette
	Groups      []Group
	Format      Format
	NoData      string // the words for a missing value
	Width       float64
}

// SVG draws the chart.
func (c Grouped) SVG() string {
	f := orDefault(c.Format)
	w := c.Width
	if w == 0 {
		w = 960
	}
	colors := c.Colors
	if len(colors) == 0 {
		colors = append([]string{barGrey}, Palette...)
	}
	lw, valueW := 320.0, 190.0
	barX, barMax := lw+12, w-lw-12-valueW
	max := 0.0
	for _, g := range c.Groups {
		for _, v := range g.Values {
			if !math.IsNaN(v) {
				max = math.Max(max, v)
			}
		}
	}
	d := &doc{id: c.ID, w: w}
	legendH := (&doc{}).legend(0, 0, w, c.Series, colors)
	top := 8 + legendH + 28
	barH, gap := 18.0, 4.0
	h := top
	type row struct {
		lines []string
		h     float64
	}
	rows := make([]row, len(c.Groups))
	for i, g := range c.Groups {
		lines, lh := rowLines(g.Label, lw)
		rows[i] = row{lines, math.Max(lh, float64(len(c.Series))*(barH+gap)+14)}
		h += rows[i].h
	}
	d.h = h + 8
	var words []string
	for _, g := range c.Groups {
		var vs []string
		for i, v := range g.Values {
			vs = append(vs, c.Series[i%len(c.Series)]+" "+valueText(v, f, c.NoData))
		}
		words = append(words, g.Label+": "+strings.Join(vs, ", ")+" "+g.Note)
	}
	d.open(c.Kind, "img", c.Title, strings.TrimSpace(c.Desc+" "+strings.Join(words, "; ")))
	d.legend(0, 8, w, c.Series, colors)
	d.text(barX, top-8, c.ValueTitle, "", smallSize, ` fill="`+muted+`"`)
	y := top
	for i, g := range c.Groups {
		d.b.WriteString(`<g class="group" data-item="` + esc(g.Key) + `"><title>` + esc(strings.TrimSpace(words[i])) + `</title>`)
		for j, l := range rows[i].lines {
			d.text(0, y+20+float64(j)*20, l, "", textSize, "")
		}
		for s, v := range g.Values {
			by := y + 7 + float64(s)*(barH+gap)
			text := valueText(v, f, c.NoData)
			bw := 0.0
			if !math.IsNaN(v) && max > 0 {
				bw = barMax * v / max
			}
			if !math.IsNaN(v) {
				d.rect(barX, by, bw, barH, colors[s%len(colors)], ` class="bar" data-series="`+esc(c.Series[s%len(c.Series)])+`"`)
			}
			if s == len(g.Values)-1 && g.Note != "" {
				text += " — " + g.Note
			}
			d.text(barX+bw+8, by+14, text, "", smallSize, ` class="value"`)
		}
		d.line(0, y+rows[i].h, w, y+rows[i].h, gridLine, "")
		d.b.WriteString(`</g>`)
		y += rows[i].h
	}
	return d.close()
}

func valueText(v float64, f Format, noData string) string {
	if math.IsNaN(v) {
		if noData == "" {
			return "—"
		}
		return noData
	}
	return f(v)
}
