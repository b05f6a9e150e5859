package diagram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/fogleman/gg"
)

// PNG output of go-graphviz v0.2.10 draws no node outlines and no edges, so
// PNGs are drawn here from Graphviz's layout: the "json" output carries every
// drawing operation (xdot 1.7) with coordinates, which we replay with gg and
// the Go fonts.

type xop struct {
	Op     string       `json:"op"`
	Color  string       `json:"color"`
	Grad   string       `json:"grad"`
	Stops  []xstop      `json:"stops"`
	Style  string       `json:"style"`
	Size   float64      `json:"size"`
	Face   string       `json:"face"`
	Points [][2]float64 `json:"points"`
	Rect   []float64    `json:"rect"`
	Pt     []float64    `json:"pt"`
	Align  string       `json:"align"`
	Width  float64      `json:"width"`
	Text   string       `json:"text"`
	Fontch int          `json:"fontchar"`
}

type xstop struct {
	Frac  float64 `json:"frac"`
	Color string  `json:"color"`
}

type xobj struct {
	Draw  []xop `json:"_draw_"`
	LDraw []xop `json:"_ldraw_"`
	HDraw []xop `json:"_hdraw_"`
	TDraw []xop `json:"_tdraw_"`
	HL    []xop `json:"_hldraw_"`
	TL    []xop `json:"_tldraw_"`
}

type xgraph struct {
	xobj
	BB      string `json:"bb"`
	Objects []xobj `json:"objects"`
	Edges   []xobj `json:"edges"`
}

// PNGScale is the pixels per point of drawn PNGs (2 gives crisp text on a
// projector).
const PNGScale = 2.0

// pngMargin is the white border around a PNG, in points: Graphviz's
// layout box has no padding, and the SVG has 0.3 in (graph pad).
const pngMargin = 21.6

// dashPattern is the dash and gap of a dashed line of the given width in
// points, the same in the PNG and the SVG (postProcessSVG): Graphviz's
// fixed 5,2 turns a thick dashed arrow into dots, and round caps would
// close its gaps.
func dashPattern(width float64) (on, off float64) {
	return math.Max(5, 3*width), math.Max(3, 1.6*width)
}

// maxPNGPixels bounds the canvas (about 8000×8000 at most).
const maxPNGPixels = 64_000_000

func drawPNG(layout []byte) ([]byte, error) {
	var g xgraph
	if err := json.Unmarshal(layout, &g); err != nil {
		return nil, gm.Internal(fmt.Errorf("%w: %.200q", err, layout), "read Graphviz layout")
	}
	var x0, y0, x1, y1 float64
	if _, err := fmt.Sscanf(g.BB, "%g,%g,%g,%g", &x0, &y0, &x1, &y1); err != nil {
		return nil, gm.Internal(fmt.Errorf("bounding box %q: %v", g.BB, err), "read Graphviz layout")
	}
	x0, y0, x1, y1 = x0-pngMargin, y0-pngMargin, x1+pngMargin, y1+pngMargin
	scale := PNGScale
	w, h := (x1-x0)*scale, (y1-y0)*scale
	if w*h > maxPNGPixels {
		scale *= math.Sqrt(maxPNGPixels / (w * h))
		w, h = (x1-x0)*scale, (y1-y0)*scale
	}
	d := &drawer{dc: gg.NewContext(int(math.Ceil(w)), int(math.Ceil(h))), scale: scale, x0: x0, top: y1}
	d.dc.SetColor(color.White)
	d.dc.Clear()
	d.run(g.Draw)
	for _, e := range g.Edges {
		d.run(e.Draw, e.HDraw, e.TDraw, e.LDraw, e.HL, e.TL)
	}
	for _, o := range g.Objects {
		d.run(o.Draw, o.LDraw)
	}
	d.run(g.LDraw)
	var buf bytes.Buffer
	if err := png.Encode(&buf, d.dc.Image()); err != nil {
		return nil, gm.Internal(err, "encode png")
	}
	return buf.Bytes(), nil
}

type drawer struct {
	dc        *gg.Context
	scale     float64
	x0, top   float64
	pen, fill color.Color
	width     float64
	dashed    bool
	dotted    bool
	fontSize  float64
	bold      bool
}

func (d *drawer) xy(p [2]float64) (float64, float64) {
	return (p[0] - d.x0) * d.scale, (d.top - p[1]) * d.scale
}

// run replays the operation lists of one object: first the fills, then the
// outlines, then the text, so that a later filled shape (an outer
// periphery) never hides an earlier outline.
func (d *drawer) run(lists ...[]xop) {
	for pass := 0; pass < 3; pass++ {
		d.pen, d.fill, d.width, d.dashed, d.dotted, d.fontSize, d.bold = color.Black, color.White, 1, false, false, 14, false
		for _, ops := range lists {
			for _, op := range ops {
				d.op(op, pass)
			}
		}
	}
}

func (d *drawer) op(op xop, pass int) {
	dc := d.dc
	switch op.Op {
	case "c":
		d.pen = parseColor(op)
	case "C":
		d.fill = parseColor(op)
	case "S":
		switch {
		case strings.HasPrefix(op.Style, "setlinewidth("):
			if v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(op.Style, "setlinewidth("), ")"), 64); err == nil {
				d.width = v
			}
		case op.Style == "dashed":
			d.dashed, d.dotted = true, false
		case op.Style == "dotted":
			d.dashed, d.dotted = false, true
		case op.Style == "solid":
			d.dashed, d.dotted = false, false
		case op.Style == "bold":
			d.width = 2
		}
	case "F":
		d.fontSize = op.Size
		d.bold = strings.Contains(strings.ToLower(op.Face), "bold")
	case "t":
		d.bold = op.Fontch&1 != 0
	case "P", "p", "L", "B", "b":
		if len(op.Points) == 0 {
			return
		}
		// Graphviz's json output swaps the case of B-splines relative to
		// xdot text: there "B" is the filled one and "b" the outline.
		filled := op.Op == "P" || op.Op == "B"
		if pass == 2 || (pass == 0 && !filled) {
			return
		}
		pts := make([]pt, len(op.Points))
		for i, p := range op.Points {
			pts[i].x, pts[i].y = d.xy(p)
		}
		// Polygons are closed; a B-spline only when it ends where it
		// starts (a rounded box), never an edge: closing an edge drew a
		// straight chord beside its curve (solid over dashes, doubled lines).
		closed := op.Op == "P" || op.Op == "p"
		if op.Op == "B" || op.Op == "b" {
			closed = pts[0].dist(pts[len(pts)-1]) < 0.01 || filled
			pts = flattenBezier(pts)
		}
		d.paint(pts, closed, filled, pass)
	case "E", "e":
		if len(op.Rect) < 4 {
			return
		}
		filled := op.Op == "E"
		if pass == 2 || (pass == 0 && !filled) {
			return
		}
		cx, cy := d.xy([2]float64{op.Rect[0], op.Rect[1]})
		pts := make([]pt, 72)
		for i := range pts {
			a := 2 * math.Pi * float64(i) / float64(len(pts))
			pts[i] = pt{cx + op.Rect[2]*d.scale*math.Cos(a), cy + op.Rect[3]*d.scale*math.Sin(a)}
		}
		d.paint(pts, true, filled, pass)
	case "T":
		if pass != 2 || len(op.Pt) < 2 || op.Text == "" {
			return
		}
		dc.SetFontFace(face(d.fontSize*d.scale, d.bold))
		dc.SetColor(d.pen)
		x, y := d.xy([2]float64{op.Pt[0], op.Pt[1]})
		w, _ := dc.MeasureString(op.Text)
		switch op.Align {
		case "c":
			x -= w / 2
		case "r":
			x -= w
		}
		dc.DrawString(op.Text, x, y)
	}
	// "I" (images) is never drawn: diagrams show no external files.
}

// paint fills the shape (pass 0) or draws its outline (pass 1) with the
// current pen: width, dashes and butt caps as in the SVG. Outlines are
// turned into polygons here (stroke.go) rather than by gg's stroker, which
// leaves thick curved lines hollow (two thin parallel lines).
func (d *drawer) paint(pts []pt, closed, filled bool, pass int) {
	dc := d.dc
	if pass == 0 {
		if filled && !transparent(d.fill) {
			fillPolygons(dc, [][]pt{pts}, d.fill)
		}
		return
	}
	if transparent(d.pen) {
		return
	}
	line := pts
	if closed {
		line = append(append([]pt{}, pts...), pts[0])
	}
	pieces := [][]pt{line}
	switch {
	case d.dashed:
		on, off := dashPattern(d.width)
		pieces = dash(line, on*d.scale, off*d.scale)
	case d.dotted:
		pieces = dash(line, 1*d.scale, 5*d.scale)
	}
	w := math.Max(d.width, 0.5) * d.scale
	var polys [][]pt
	for _, p := range pieces {
		polys = append(polys, strokePolygons(p, w, closed && !d.dashed && !d.dotted)...)
	}
	fillPolygons(dc, polys, d.pen)
}

func transparent(c color.Color) bool {
	_, _, _, a := c.RGBA()
	return a == 0
}

var named = map[string]color.Color{
	"black": color.Black, "white": color.White, "transparent": color.Transparent, "none": color.Transparent,
	"red": color.RGBA{255, 0, 0, 255}, "gray": color.RGBA{190, 190, 190, 255}, "grey": color.RGBA{190, 190, 190, 255},
	"lightgrey": color.RGBA{211, 211, 211, 255}, "blue": color.RGBA{0, 0, 255, 255}, "green": color.RGBA{0, 255, 0, 255},
}

func parseColor(op xop) color.Color {
	s := op.Color
	if s == "" && len(op.Stops) > 0 {
		s = op.Stops[0].Color
	}
	if c, ok := named[strings.ToLower(s)]; ok {
		return c
	}
	if strings.HasPrefix(s, "#") && (len(s) == 7 || len(s) == 9) {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			if len(s) == 7 {
				return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
			}
			return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
		}
	}
	return color.Black
}
