package diagram

import (
	"image/color"
	"math"

	"github.com/fogleman/gg"
)

// A small stroker for the PNG drawer: lines become filled polygons with
// butt ends, like SVG strokes without stroke-linecap.

type pt struct{ x, y float64 }

func (a pt) sub(b pt) pt         { return pt{a.x - b.x, a.y - b.y} }
func (a pt) add(b pt) pt         { return pt{a.x + b.x, a.y + b.y} }
func (a pt) mul(k float64) pt    { return pt{a.x * k, a.y * k} }
func (a pt) dist(b pt) float64   { return math.Hypot(a.x-b.x, a.y-b.y) }
func lerp(a, b pt, t float64) pt { return a.add(b.sub(a).mul(t)) }
func (a pt) dot(b pt) float64    { return a.x*b.x + a.y*b.y }
func (a pt) normal() (pt, bool) { // the unit normal of a direction
	l := math.Hypot(a.x, a.y)
	if l == 0 {
		return pt{}, false
	}
	return pt{-a.y / l, a.x / l}, true
}

// flattenBezier turns Graphviz's B-spline (a start point and three points
// per cubic piece) into a polyline with points about 2 px apart.
func flattenBezier(p []pt) []pt {
	out := []pt{p[0]}
	for i := 1; i+2 < len(p); i += 3 {
		p0, p1, p2, p3 := p[i-1], p[i], p[i+1], p[i+2]
		n := int(math.Ceil((p0.dist(p1) + p1.dist(p2) + p2.dist(p3)) / 2))
		n = max(n, 4)
		for k := 1; k <= n; k++ {
			t := float64(k) / float64(n)
			u := 1 - t
			out = append(out, p0.mul(u*u*u).add(p1.mul(3*u*u*t)).add(p2.mul(3*u*t*t)).add(p3.mul(t*t*t)))
		}
	}
	return out
}

// dash cuts a polyline into dashes of length on separated by gaps of off.
func dash(line []pt, on, off float64) [][]pt {
	var out [][]pt
	var cur []pt
	drawing, left := true, on
	cur = append(cur, line[0])
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		seg := a.dist(b)
		for seg > left {
			p := lerp(a, b, left/seg)
			if drawing {
				out = append(out, append(cur, p))
				cur = nil
			} else {
				cur = []pt{p}
			}
			seg -= left
			a = p
			drawing = !drawing
			left = off
			if drawing {
				left = on
			}
		}
		left -= seg
		if drawing {
			cur = append(cur, b)
		}
	}
	if drawing && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

// strokePolygons is the outline of a polyline of width w: one polygon
// (left side forward, right side back), or for a closed line an outer and
// an inner ring of opposite orientation (a hole under the non-zero rule).
// Corners are mitred up to twice the half width.
func strokePolygons(line []pt, w float64, closed bool) [][]pt {
	// Drop repeated points, whose direction is undefined.
	pts := line[:1:1]
	for _, p := range line[1:] {
		if p.dist(pts[len(pts)-1]) > 1e-6 {
			pts = append(pts, p)
		}
	}
	if closed && len(pts) > 2 && pts[0].dist(pts[len(pts)-1]) < 1e-6 {
		pts = pts[:len(pts)-1]
	}
	n := len(pts)
	if n < 2 {
		return nil
	}
	seg := func(i int) pt { nv, _ := pts[(i+1)%n].sub(pts[i]).normal(); return nv }
	offset := func(i int) pt {
		var a, b pt
		switch {
		case closed:
			a, b = seg((i-1+n)%n), seg(i)
		case i == 0:
			a, b = seg(0), seg(0)
		case i == n-1:
			a, b = seg(n-2), seg(n-2)
		default:
			a, b = seg(i-1), seg(i)
		}
		m := a.add(b)
		l := math.Hypot(m.x, m.y)
		if l < 1e-9 {
			return a.mul(w / 2)
		}
		m = m.mul(1 / l)
		c := m.dot(a)
		if c < 0.5 {
			c = 0.5
		}
		return m.mul(w / 2 / c)
	}
	left, right := make([]pt, n), make([]pt, n)
	for i := range pts {
		o := offset(i)
		left[i], right[i] = pts[i].add(o), pts[i].sub(o)
	}
	for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
		right[i], right[j] = right[j], right[i]
	}
	if closed {
		return [][]pt{left, right}
	}
	return [][]pt{append(left, right...)}
}

// fillPolygons fills the polygons in one colour under the non-zero rule.
func fillPolygons(dc *gg.Context, polys [][]pt, c color.Color) {
	for _, p := range polys {
		if len(p) < 3 {
			continue
		}
		dc.MoveTo(p[0].x, p[0].y)
		for _, q := range p[1:] {
			dc.LineTo(q.x, q.y)
		}
		dc.ClosePath()
	}
	dc.SetFillRuleWinding()
	dc.SetColor(c)
	dc.Fill()
}
