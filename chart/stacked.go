package chart

import (
	"math"
	"strings"
)

// Stack is one row of a stacked bar chart: a part per segment.
type Stack struct {
	Key, Label string
	Parts      []float64
	Total      float64 // shown at the end; the sum of the parts when 0
}

// Stacked is a horizontal stacked bar chart, e.g. the regions' rating with
// its blocks S1–S5.
type Stacked struct {
	ID, Kind    string
	Title, Desc string
	Unit        string   // the values' unit, written under the legend
	Segments    []string // the segments' names, as the legend writes them
	Short       []string // short names used in tooltips (default: Segments)
	Colors      []string // default: Palette
	Rows        []Stack
	Format      Format
	Width       float64
}

// SVG draws the chart.
func (c Stacked) SVG() string {
	f := orDefault(c.Format)
	w := c.Width
	if w == 0 {
		w = 960
	}
	colors := c.Colors
	if len(colors) == 0 {
		colors = Palette
	}
	short := c.Short
	if len(short) < len(c.Segments) {
		short = c.Segments
	}
	lw, valueW := 280.0, 80.0
	barX, barMax := lw+12, w-lw-12-valueW
	totals := make([]float64, len(c.Rows))
	max := 0.0
	for i, r := range c.Rows {
		totals[i] = r.Total
		if totals[i] == 0 {
			for _, p := range r.Parts {
				totals[i] += p
			}
		}
		max = math.Max(max, totals[i])
	}
	legendH := (&doc{}).legend(0, 0, w, c.Segments, colors)
	top := 8 + legendH + 30
	rowH := 30.0
	d := &doc{id: c.ID, w: w, h: top + rowH*float64(len(c.Rows)) + 8}
	var words []string
	for i, r := range c.Rows {
		var ps []string
		for j, p := range r.Parts {
			ps = append(ps, short[j%len(short)]+" "+f(p))
		}
		words = append(words, r.Label+": "+f(totals[i])+" ("+strings.Join(ps, ", ")+")")
	}
	d.open(c.Kind, "img", c.Title, strings.TrimSpace(c.Desc+" "+c.Unit+". "+strings.Join(words, "; ")))
	d.legend(0, 8, w, c.Segments, colors)
	d.text(barX, top-10, c.Unit, "", smallSize, ` fill="`+muted+`"`)
	y := top
	for i, r := range c.Rows {
		d.b.WriteString(`<g class="row" data-item="` + esc(r.Key) + `"><title>` + esc(words[i]) + `</title>`)
		d.text(0, y+21, r.Label, "", textSize, "")
		x := barX
		for j, p := range r.Parts {
			pw := 0.0
			if max > 0 && p > 0 {
				pw = barMax * p / max
			}
			d.rect(x, y+5, pw, rowH-10, colors[j%len(colors)], ` class="part" data-segment="`+esc(short[j%len(short)])+`" stroke="#ffffff" stroke-width="1"`)
			x += pw
		}
		d.text(x+8, y+21, f(totals[i]), "", textSize, ` class="value" font-weight="bold"`)
		d.b.WriteString(`</g>`)
		y += rowH
	}
	return d.close()
}
