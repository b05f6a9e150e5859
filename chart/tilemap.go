package chart

import (
	"fmt"
	"strings"
)

// Class is a colour class of the map: regions whose value is at least Min
// (and below the next class's Min) get Fill; Label names it in the legend.
type Class struct {
	Min   float64
	Label string
	Fill  string
}

// Blues are the fills of sequential classes, light to dark; texts on the
// last two are white.
var Blues = []string{"#EEF1F4", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B"}

// Map is a tile-grid map of Russia's federal subjects (Regions): one square
// per subject, coloured by its value, each a link (e.g. a filter of the
// page by that region).
type Map struct {
	ID, Kind    string
	Title, Desc string
	LegendTitle string
	Values      map[string]float64 // by region name; absent means 0
	Classes     []Class            // ascending Min; the first is the lowest
	Href        func(region string) string
	Label       func(region string, v float64) string // the tile's accessible name
	Format      Format                                // the value on the tile
	Selected    string                                // a region drawn with a thick border
}

const (
	tile    = 54.0
	tileGap = 4.0
)

func (c Map) class(v float64) (int, Class) {
	k := 0
	for i, cl := range c.Classes {
		if v >= cl.Min {
			k = i
		}
	}
	if len(c.Classes) == 0 {
		return 0, Class{Fill: Blues[0]}
	}
	return k, c.Classes[k]
}

// SVG draws the map. Its root has role figure (its tiles are links, which an
// image could not hold); each tile carries data-region with the region's
// name.
func (c Map) SVG() string {
	f := c.Format
	if f == nil {
		f = func(v float64) string {
			if v == 0 {
				return ""
			}
			return fmt.Sprintf("%g", v)
		}
	}
	cols, rows := 0, 0
	for _, r := range Regions {
		cols, rows = max(cols, r.Col+1), max(rows, r.Row+1)
	}
	w := float64(cols) * (tile + tileGap)
	var names []string
	var fills []string
	for _, cl := range c.Classes {
		names, fills = append(names, cl.Label), append(fills, cl.Fill)
	}
	legendH := (&doc{}).legend(0, 0, w, names, fills)
	top := 8 + legendH + 26
	d := &doc{id: c.ID, w: w, h: top + float64(rows)*(tile+tileGap) + 4}
	d.open(c.Kind, "figure", c.Title, c.Desc)
	d.text(0, 20, c.LegendTitle, "", smallSize, ` fill="`+muted+`"`)
	d.legend(0, 30, w, names, fills)
	for _, r := range Regions {
		v := c.Values[r.Name]
		k, cl := c.class(v)
		textFill := ink
		if len(c.Classes) > 2 && k >= len(c.Classes)-2 {
			textFill = "#FFFFFF"
		}
		label := r.Name
		if c.Label != nil {
			label = c.Label(r.Name, v)
		}
		href := ""
		if c.Href != nil {
			href = c.Href(r.Name)
		}
		x, y := float64(r.Col)*(tile+tileGap), top+float64(r.Row)*(tile+tileGap)
		stroke := `stroke="#FFFFFF" stroke-width="1"`
		if r.Name == c.Selected {
			stroke = `stroke="#E69F00" stroke-width="4"`
		}
		fmt.Fprintf(&d.b, `<a class="tile" href="%s" data-region="%s" aria-label="%s"><title>%s</title>`, esc(href), esc(r.Name), esc(label), esc(label))
		fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" %s/>`, n(x), n(y), n(tile), n(tile), cl.Fill, stroke)
		d.text(x+tile/2, y+21, r.Short, "middle", 13, ` fill="`+textFill+`"`)
		if s := f(v); s != "" {
			d.text(x+tile/2, y+43, s, "middle", 17, ` font-weight="bold" fill="`+textFill+`"`)
		}
		d.b.WriteString(`</a>`)
	}
	return d.close()
}

// RegionNames are the names of all tiles, in the table's order.
func RegionNames() []string {
	out := make([]string, len(Regions))
	for i, r := range Regions {
		out[i] = r.Name
	}
	return out
}

// HasRegion reports whether a region of that name has a tile.
func HasRegion(name string) bool {
	for _, r := range Regions {
		if strings.EqualFold(r.Name, name) {
			return true
		}
	}
	return false
}
