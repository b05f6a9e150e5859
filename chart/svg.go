package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Font is the font family of chart texts (the web pages' font; the
// report's print styles use the same).
const Font = "DejaVu Sans, Verdana, sans-serif"

// Sizes of texts, in SVG units (pixels when the chart is shown at its
// natural width).
const (
	textSize  = 16.0
	smallSize = 14.0
)

// Colours: the Okabe–Ito colour-blind safe hues, dark enough on white for
// bars (contrast above 3:1) except where noted.
const (
	ink      = "#1b1f24"
	muted    = "#4a535c"
	gridLine = "#d5dadf"
	barBlue  = "#0b5394"
	barGrey  = "#6b7785"
)

// Series colours for stacked and grouped bars and lines.
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"}

// esc escapes text for SVG (XML) content and attribute values.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case r < 0x20 || r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// n writes a coordinate with at most one decimal, so output is stable.
func n(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// textWidth estimates the width of s at the given size in the chart font
// (DejaVu Sans is wide: letters about 0.62 em). It errs on the wide side so
// that texts never overrun what is laid out for them.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ':
			w += 0.32
		case unicode.IsDigit(r):
			w += 0.64
		case unicode.IsUpper(r) || r == 'ш' || r == 'щ' || r == 'ж' || r == 'ю' || r == 'м' || r == 'ы' || r == 'w' || r == 'm':
			w += 0.8
		case unicode.IsLetter(r):
			w += 0.62
		default:
			w += 0.42
		}
	}
	return w * size
}

// wrapText breaks s into at most maxLines lines no wider than width; the
// last line keeps the rest of the text (never cut: the chart grows).
func wrapText(s string, width, size float64, maxLines int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		next := strings.TrimSpace(cur + " " + w)
		if cur != "" && textWidth(next, size) > width && len(lines) < maxLines-1 {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur = next
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// doc builds one chart's SVG.
type doc struct {
	b    strings.Builder
	id   string
	w, h float64
}

// open writes the root element: data-chart, the accessible name from the
// title and the description (which lists the data in words), the size.
func (d *doc) open(kind, role, title, desc string) {
	fmt.Fprintf(&d.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="%s" role="%s" aria-labelledby="%s-title %s-desc" viewBox="0 0 %s %s" width="%s" height="%s" font-family="%s" font-size="%s" fill="%s">`,
		esc(kind), role, esc(d.id), esc(d.id), n(d.w), n(d.h), n(d.w), n(d.h), Font, n(textSize), ink)
	fmt.Fprintf(&d.b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(d.id), esc(title), esc(d.id), esc(desc))
}

func (d *doc) close() string {
	d.b.WriteString("</svg>")
	return d.b.String()
}

// text writes one line of text; anchor is start, middle or end.
func (d *doc) text(x, y float64, s, anchor string, size float64, attrs string) {
	if anchor == "" {
		anchor = "start"
	}
	sz := ""
	if size != textSize {
		sz = ` font-size="` + n(size) + `"`
	}
	fmt.Fprintf(&d.b, `<text x="%s" y="%s" text-anchor="%s"%s%s>%s</text>`, n(x), n(y), anchor, sz, attrs, esc(s))
}

func (d *doc) rect(x, y, w, h float64, fill, attrs string) {
	fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>`, n(x), n(y), n(math.Max(w, 0)), n(math.Max(h, 0)), fill, attrs)
}

func (d *doc) line(x1, y1, x2, y2 float64, stroke, attrs string) {
	fmt.Fprintf(&d.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"%s/>`, n(x1), n(y1), n(x2), n(y2), stroke, attrs)
}

// legend writes colour swatches with their names in rows from (x, y)
// within width; it returns the height used.
func (d *doc) legend(x, y, width float64, names, colors []string) float64 {
	cx, cy := x, y
	for i, name := range names {
		w := 22 + textWidth(name, smallSize) + 18
		if cx > x && cx+w > x+width {
			cx, cy = x, cy+24
		}
		d.b.WriteString(`<g class="legend-item">`)
		d.rect(cx, cy, 16, 16, colors[i%len(colors)], "")
		d.text(cx+22, cy+13, name, "", smallSize, "")
		d.b.WriteString(`</g>`)
		cx += w
	}
	return cy - y + 24
}

// Format writes a value for people (the caller's number format).
type Format func(float64) string

func orDefault(f Format) Format {
	if f != nil {
		return f
	}
	return func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
}
