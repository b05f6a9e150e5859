// Package diagram draws cooperation chains: it builds diagram models from
// analysis results, writes them as Graphviz DOT (escaping every piece of
// user text), lays them out with the one go-graphviz instance of the process
// and produces SVG, PNG (drawn from the layout coordinates) and DOT.
package diagram

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/coopchain/coopchain/exchange"
)

// Status marks nodes and edges in a scenario compared with the base.
type Status string

// Scenario statuses.
const (
	Same    Status = ""
	Added   Status = "added"
	Removed Status = "removed"
	Changed Status = "changed"
)

// Node is one box of a diagram.
type Node struct {
	ID        string // participant id or a synthetic id (import:…); never written into DOT
	Label     string
	Sublabel  string // an extra line always shown (e.g. a niche's gap)
	Kind      string // participant kind, or "import" / "foreign"
	Stage     int
	Final     bool
	InCycle   bool
	Focus     bool    // the participant or product a view is about
	Full      bool    // the label is never cut (a niche's product name)
	Highlight float64 // 0..1, e.g. a niche's gap relative to the largest
	URL       string
	Tooltip   string
	Status    Status
}

// Edge is one arrow (goods flow from From to To).
type Edge struct {
	From, To     string
	ValueRUB     float64
	Valued       bool
	SingleSource bool
	InCycle      bool
	Import       bool
	// Replaces: planned capacity supplying an importer in place of its
	// imports (a scenario's analysis.ReplaceImports).
	Replaces bool
	Tooltip  string
	Status   Status
}

// Model is a diagram before layout.
type Model struct {
	Title string
	Lang  string // ru (default) or en
	Nodes []Node
	Edges []Edge
	// NoLegend leaves the legend out.
	NoLegend bool
}

// Limits bound the size of a diagram before layout.
type Limits struct {
	MaxNodes, MaxEdges int
}

// DefaultLimits keep layouts under a few seconds.
var DefaultLimits = Limits{MaxNodes: 400, MaxEdges: 1500}

// palette gives fill and border colours by kind: the Okabe–Ito colour-blind
// safe hues as borders, light tints as fills so that black text keeps a
// contrast ratio above 7:1 on a projector.
var palette = map[string][2]string{
	"enterprise":       {"#D6EAF8", "#0072B2"},
	"sopc":             {"#FDEBD0", "#E69F00"},
	"university":       {"#D5F5E3", "#009E73"},
	"research":         {"#D5F5E3", "#009E73"},
	"infrastructure":   {"#EAECEE", "#6C7A89"},
	"finance":          {"#F5E1EE", "#CC79A7"},
	"foreign_supplier": {"#FADBD8", "#D55E00"},
	"foreign":          {"#FADBD8", "#D55E00"},
	"import":           {"#FDEBD0", "#D55E00"},
}

const (
	fontSize     = 14.0
	legendSize   = 14.0
	legendWidth  = 720.0
	lineHeight   = 17.0
	labelChars   = 24
	maxLines     = 3
	cycleColor   = "#7B3294"
	singleColor  = "#C0392B"
	edgeColor    = "#4D5656"
	addedColor   = "#1E8449"
	removedColor = "#A6ACAF"
)

// DOT writes the model as Graphviz DOT. Node names in DOT are synthetic
// (n0, n1, …); every label, tooltip and URL is quoted with
// exchange.DOTString, so no user text can add attributes, statements or
// Graphviz escapes, and no label is an HTML label.
func (m *Model) DOT(lim Limits) (string, error) {
	if lim.MaxNodes > 0 && len(m.Nodes) > lim.MaxNodes || lim.MaxEdges > 0 && len(m.Edges) > lim.MaxEdges {
		return "", tooLarge(len(m.Nodes), len(m.Edges), lim)
	}
	q := exchange.DOTString
	name := map[string]string{}
	for i, n := range m.Nodes {
		name[n.ID] = fmt.Sprintf("n%d", i)
	}
	var b strings.Builder
	b.WriteString("digraph coopchain {\n")
	b.WriteString("  graph [rankdir=LR, newrank=true, nodesep=0.22, ranksep=0.85, splines=true, pad=0.3, bgcolor=\"#FFFFFF\", outputorder=edgesfirst,\n")
	b.WriteString("         nslimit=4, nslimit1=4, mclimit=0.5, searchsize=30, fontname=" + q(FontName) + ", fontsize=13, labelloc=b, labeljust=l];\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=" + q(FontName) + ", fontsize=14, penwidth=1.6, margin=\"0.1,0.05\"];\n")
	b.WriteString("  edge [color=\"" + edgeColor + "\", arrowsize=0.9, fontname=" + q(FontName) + "];\n")
	kinds := map[string]bool{}
	for _, n := range m.Nodes {
		kinds[n.Kind] = true
		fmt.Fprintf(&b, "  %s [%s];\n", name[n.ID], strings.Join(nodeAttrs(n), ", "))
	}
	m.writeRanks(&b, name)
	width := m.edgeWidth()
	drawn := m.Edges[:0:0]
	for _, e := range m.Edges {
		from, ok1 := name[e.From]
		to, ok2 := name[e.To]
		if !ok1 || !ok2 {
			continue
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", from, to, strings.Join(edgeAttrs(e, width(e)), ", "))
		drawn = append(drawn, e)
	}
	if !m.NoLegend {
		b.WriteString("  label=<" + legendHTML(m, kinds, m.features(drawn)) + ">;\n")
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// features are the legend lines the drawn model needs: a style is
// explained only when some node or edge of the view uses it.
func (m *Model) features(drawn []Edge) map[string]bool {
	f := map[string]bool{}
	for _, n := range m.Nodes {
		f["final"] = f["final"] || n.Final
		f["focus"] = f["focus"] || n.Focus
		f["highlight"] = f["highlight"] || n.Highlight > 0
		f["cycle"] = f["cycle"] || n.InCycle
		f[string(n.Status)] = true
	}
	lo, hi := math.Inf(1), 0.0
	for _, e := range drawn {
		switch {
		case e.Replaces:
			f["replaces"] = true
		case e.Status == Removed || e.Status == Added:
			f[string(e.Status)] = true
		case e.Import:
			f["import"] = true
		case e.SingleSource:
			f["single"] = true
		case e.InCycle:
			f["cycle"] = true
		}
		if e.Valued && e.ValueRUB > 0 {
			lo, hi = math.Min(lo, e.ValueRUB), math.Max(hi, e.ValueRUB)
		}
	}
	f["width"] = hi > lo
	delete(f, string(Same))
	delete(f, string(Changed))
	return f
}

// edgeWidth returns the width of an edge: a log scale of its value between
// 1.2 and 6 points over the model's edges.
func (m *Model) edgeWidth() func(Edge) float64 {
	lo, hi := math.Inf(1), 0.0
	for _, e := range m.Edges {
		if e.Valued && e.ValueRUB > 0 {
			lo, hi = math.Min(lo, e.ValueRUB), math.Max(hi, e.ValueRUB)
		}
	}
	return func(e Edge) float64 {
		if !e.Valued || e.ValueRUB <= 0 || hi <= lo {
			return 1.6
		}
		return 1.2 + 4.8*(math.Log(e.ValueRUB)-math.Log(lo))/(math.Log(hi)-math.Log(lo))
	}
}

// nodeAttrs are a node's DOT attributes: its label wrapped, its size from
// the measured text (so Cyrillic fits), colours and styles by kind and
// status.
func nodeAttrs(n Node) []string {
	q := exchange.DOTString
	limit := maxLines
	if n.Full {
		limit = 0 // never cut
	} else if n.Sublabel != "" {
		limit--
	}
	lines := wrap(n.Label, labelChars, limit)
	if n.Sublabel != "" {
		lines = append(lines, n.Sublabel)
	}
	w := 0.0
	for _, l := range lines {
		w = math.Max(w, textWidth(l, fontSize, false))
	}
	fill, border := colors(n.Kind)
	if n.Highlight > 0 {
		fill = blend("#FDEBD0", "#E67E22", n.Highlight)
	}
	style := "rounded,filled"
	pen := 1.6
	attrs := []string{}
	switch n.Status {
	case Added:
		border, pen = addedColor, 3
		style += ",bold"
	case Removed:
		fill, border = "#F4F6F6", removedColor
		style += ",dashed"
	case Changed:
		pen = 3
	}
	if n.Kind == "sopc" {
		style += ",bold"
	}
	if n.Focus {
		pen = 3.5
	}
	extra := 0.0
	if n.Final {
		attrs = append(attrs, "peripheries=2")
		extra = 8
	}
	if n.InCycle {
		border = cycleColor
	}
	// Width and height in inches from the measured text, so Cyrillic fits.
	wIn := (w + 24 + extra) / 72
	hIn := (float64(len(lines))*lineHeight + 14 + extra) / 72
	shape := "box"
	if n.Kind == "import" || n.Kind == "foreign" {
		shape = "box3d"
	}
	attrs = append(attrs, "shape="+shape, "label="+q(strings.Join(lines, "\n")), fmt.Sprintf("width=%.3f", wIn), fmt.Sprintf("height=%.3f", hIn),
		"fillcolor="+q(fill), "color="+q(border), "style="+q(style), fmt.Sprintf("penwidth=%.1f", pen))
	if n.URL != "" {
		attrs = append(attrs, "URL="+q(n.URL), "target=\"_top\"")
	}
	if n.Tooltip != "" {
		attrs = append(attrs, "tooltip="+q(n.Tooltip))
	} else {
		attrs = append(attrs, "tooltip="+q(n.Label))
	}
	return attrs
}

// writeRanks puts the nodes of each stage on one rank, left to right.
func (m *Model) writeRanks(b *strings.Builder, name map[string]string) {
	stages := map[int][]string{}
	for _, n := range m.Nodes {
		stages[n.Stage] = append(stages[n.Stage], name[n.ID])
	}
	var ks []int
	for k := range stages {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	for _, k := range ks {
		fmt.Fprintf(b, "  { rank=same; %s; }\n", strings.Join(stages[k], "; "))
	}
}

// edgeAttrs are an edge's DOT attributes: width, colour and style by status.
func edgeAttrs(e Edge, width float64) []string {
	q := exchange.DOTString
	color, style := edgeColor, "solid"
	switch {
	case e.Replaces:
		color, style = addedColor, "dotted"
	case e.Status == Removed:
		color, style = removedColor, "dashed"
	case e.Status == Added:
		color = addedColor
	case e.Import:
		color, style = "#D55E00", "dashed"
	case e.SingleSource:
		color, style = singleColor, "dashed"
	case e.InCycle:
		color = cycleColor
	}
	if e.Replaces { // dots of a thin line are hard to see on a projector
		width = math.Max(width, 3)
	}
	attrs := []string{fmt.Sprintf("penwidth=%.2f", width), "color=" + q(color), "style=" + q(style)}
	if e.Tooltip != "" {
		attrs = append(attrs, "tooltip="+q(e.Tooltip))
	}
	return attrs
}

func colors(kind string) (string, string) {
	if c, ok := palette[kind]; ok {
		return c[0], c[1]
	}
	return palette["enterprise"][0], palette["enterprise"][1]
}

// blend mixes two #rrggbb colours: t=0 gives a, t=1 gives b.
func blend(a, b string, t float64) string {
	t = math.Max(0, math.Min(1, t))
	var ar, ag, ab, br, bg, bb int
	fmt.Sscanf(a, "#%02x%02x%02x", &ar, &ag, &ab)
	fmt.Sscanf(b, "#%02x%02x%02x", &br, &bg, &bb)
	mix := func(x, y int) int { return int(math.Round(float64(x) + t*float64(y-x))) }
	return fmt.Sprintf("#%02X%02X%02X", mix(ar, br), mix(ag, bg), mix(ab, bb))
}

// htmlText escapes our own legend strings for a Graphviz HTML label.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;").Replace(s)
}

// legendHTML is the legend as a Graphviz HTML table. It holds only our own
// texts (the title is escaped like any text). Cell widths come from the
// measured text, since Graphviz cannot measure the embedded font.
func legendHTML(m *Model, kinds, used map[string]bool) string {
	t := texts(m.Lang)
	// A cell is its markup and its width; a row is a table of its own, of
	// fixed width, so that neither the columns nor the width of one row
	// stretch another.
	type td struct {
		html string
		w    float64
	}
	cell := func(text string, size float64) td {
		w := math.Ceil(textWidth(text, size, false) + 12)
		return td{fmt.Sprintf(`<TD ALIGN="LEFT" WIDTH="%.0f"><FONT POINT-SIZE="%.0f">%s</FONT></TD>`, w, size, htmlText(text)), w + 2}
	}
	var rows []string
	row := func(cells []td) string {
		var b strings.Builder
		w := 4.0
		for _, c := range cells {
			b.WriteString(c.html)
			w += c.w + 4
		}
		return fmt.Sprintf(`<TR><TD ALIGN="LEFT"><TABLE ALIGN="LEFT" FIXEDSIZE="TRUE" WIDTH="%.0f" BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="1"><TR>`, w) + b.String() + `</TR></TABLE></TD></TR>`
	}
	if m.Title != "" {
		rows = append(rows, row([]td{cell(m.Title, 18)}))
	}
	order := []string{"enterprise", "sopc", "university", "research", "infrastructure", "finance", "foreign_supplier", "import", "foreign"}
	var swatches []td
	for _, k := range order {
		if kinds[k] {
			fill, border := colors(k)
			swatches = append(swatches, td{fmt.Sprintf(`<TD BGCOLOR="%s" COLOR="%s" BORDER="1" FIXEDSIZE="TRUE" WIDTH="24" HEIGHT="16"></TD>`, fill, border), 24}, cell(t.kind[k], legendSize))
		}
	}
	var lines []td
	for _, k := range legendOrder {
		if used[k] {
			lines = append(lines, cell(t.legend[k], legendSize))
		}
	}
	// Rows are filled up to legendWidth points, so that the legend does not
	// make a narrow diagram wide (and small on the screen).
	for _, items := range [][]td{swatches, lines} {
		var cur []td
		w := 0.0
		for i, c := range items {
			if c.w == 24 && i+1 < len(items) { // a swatch stays with its label
				c.w += items[i+1].w
			}
			if w > 0 && w+c.w > legendWidth && (i == 0 || items[i-1].w != 24) {
				rows = append(rows, row(cur))
				cur, w = nil, 0
			}
			cur = append(cur, items[i])
			w += items[i].w + 4
		}
		if len(cur) > 0 {
			rows = append(rows, row(cur))
		}
	}
	return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">` + strings.Join(rows, "") + `</TABLE>`
}

// tooLarge is the error for a view above the size limits.
func tooLarge(nodes, edges int, lim Limits) error {
	return &SizeError{Nodes: nodes, Edges: edges, Limits: lim}
}

// SizeError says a view has too many nodes or edges to lay out.
type SizeError struct {
	Nodes, Edges int
	Limits       Limits
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("the view has %d participants and %d links, more than the %d and %d a diagram can show; choose a narrower view: view=participant&participant=ID (with hops=1 or 2) or view=product&product=CODE",
		e.Nodes, e.Edges, e.Limits.MaxNodes, e.Limits.MaxEdges)
}
