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
	scale := PNGScale
	w, h := (x1-x0)*scale, (y1-y0)*scale
	if w*h > maxPNGPixels {
		scale *= math.Sqrt(maxPNGPixels / (w * h))
		w, h = (x1-x0)*scale, (y1-y0)*scale
	}
	d := &drawer{dc: gg.NewContext(int(math.Ceil(w))+2, int(math.Ceil(h))+2), scale: scale, x0: x0, top: y1}
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
	dash      []float64
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
		d.pen, d.fill, d.width, d.dash, d.fontSize, d.bold = color.Black, color.White, 1, nil, 14, false
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
			d.dash = []float64{6, 4}
		case op.Style == "dotted":
			d.dash = []float64{1.5, 3}
		case op.Style == "solid":
			d.dash = nil
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
		dc.NewSubPath()
		x, y := d.xy(op.Points[0])
		dc.MoveTo(x, y)
		if op.Op == "B" || op.Op == "b" { // cubic Bézier pieces
			for i := 1; i+2 < len(op.Points); i += 3 {
				ax, ay := d.xy(op.Points[i])
				bx, by := d.xy(op.Points[i+1])
				cx, cy := d.xy(op.Points[i+2])
				dc.CubicTo(ax, ay, bx, by, cx, cy)
			}
		} else {
			for _, p := range op.Points[1:] {
				x, y := d.xy(p)
				dc.LineTo(x, y)
			}
		}
		if op.Op != "L" {
			dc.ClosePath()
		}
		d.paint(filled, pass)
	case "E", "e":
		if len(op.Rect) < 4 {
			return
		}
		filled := op.Op == "E"
		if pass == 2 || (pass == 0 && !filled) {
			return
		}
		x, y := d.xy([2]float64{op.Rect[0], op.Rect[1]})
		dc.NewSubPath()
		dc.DrawEllipse(x, y, op.Rect[2]*d.scale, op.Rect[3]*d.scale)
		d.paint(filled, pass)
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

func (d *drawer) paint(filled bool, pass int) {
	dc := d.dc
	if pass == 0 {
		if filled && !transparent(d.fill) {
			dc.SetColor(d.fill)
			dc.Fill()
		} else {
			dc.ClearPath()
		}
		return
	}
	if transparent(d.pen) {
		dc.ClearPath()
		return
	}
	dc.SetColor(d.pen)
	dc.SetLineWidth(math.Max(d.width, 0.5) * d.scale)
	if d.dash != nil {
		dc.SetDash(d.dash[0]*d.scale, d.dash[1]*d.scale)
	} else {
		dc.SetDash()
	}
	dc.SetLineCapRound()
	dc.Stroke()
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
