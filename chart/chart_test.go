package chart

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden structure files")

// structure writes an SVG's elements, one per line and indented, with the
// attributes that carry meaning (not coordinates) and their texts: what the
// golden files compare, so that a moved pixel changes nothing.
func structure(t *testing.T, svg string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	keep := map[string]bool{"data-chart": true, "data-item": true, "data-region": true, "data-series": true, "data-segment": true, "data-year": true,
		"role": true, "aria-labelledby": true, "aria-label": true, "class": true, "href": true, "id": true, "fill": true}
	var b strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			fmt.Fprintf(&b, "%s%s", strings.Repeat("  ", depth), v.Name.Local)
			for _, a := range v.Attr {
				if keep[a.Name.Local] && !(a.Name.Local == "fill" && v.Name.Local != "rect") {
					fmt.Fprintf(&b, " %s=%q", a.Name.Local, a.Value)
				}
			}
			b.WriteString("\n")
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(v)); s != "" {
				fmt.Fprintf(&b, "%s%q\n", strings.Repeat("  ", depth), s)
			}
		}
	}
	return b.String()
}

func golden(t *testing.T, name, svg string) {
	t.Helper()
	got := structure(t, svg)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run go test ./chart -update after checking):\n%s", path, got)
	}
}

func rub(v float64) string { return fmt.Sprintf("%.1f млн руб.", v/1e6) }

func samples() map[string]string {
	return map[string]string{
		"bars": Bars{ID: "ng", Kind: "niche-gaps", Title: "Разрыв по нишам", Desc: "Ниши по убыванию разрыва.", ValueTitle: "Разрыв, руб./год", SideTitle: "Балл",
			Format: rub, Bars: []Bar{
				{Key: "22.21.10", Label: "Термовставки полиамидные (профили фасонные из пластмасс) 22.21.10", Value: 223e6, Side: "78,5"},
				{Key: "20.30.22", Label: "Краски порошковые сухие 20.30.22", Value: 68e6, Side: "61,0"},
				{Key: "x", Label: `<script>"&'`, Value: 0, Side: "0"},
			}}.SVG(),
		"grouped": Grouped{ID: "sg", Kind: "scenario-gaps", Title: "Разрыв до и после сценария", ValueTitle: "Разрыв, руб./год",
			Series: []string{"База", "Сценарий"}, Format: rub, NoData: "нет данных", Groups: []Group{
				{Key: "22.21.10", Label: "Термовставки полиамидные", Values: []float64{223e6, 23e6}},
				{Key: "20.30.22", Label: "Краски порошковые сухие", Values: []float64{68e6, 0}, Note: "ниша закрыта"},
				{Key: "new", Label: "Новая продукция", Values: []float64{math.NaN(), 5e6}},
			}}.SVG(),
		"stacked": Stacked{ID: "rt", Kind: "rating", Title: "I Национальный рейтинг", Unit: "баллы (%)",
			Segments: []string{"S1 — количественные показатели", "S2 — меры поддержки", "S3 — инвестиционные ниши", "S4 — инфраструктура", "S5 — повышение компетенций"},
			Short:    []string{"S1", "S2", "S3", "S4", "S5"},
			Format:   func(v float64) string { return strings.Replace(fmt.Sprintf("%.1f", v), ".", ",", 1) },
			Rows: []Stack{{Key: "Республика Башкортостан", Label: "1. Республика Башкортостан", Parts: []float64{37.8, 23.7, 2.8, 5, 4}, Total: 73.3},
				{Key: "Омская область", Label: "2. Омская область", Parts: []float64{26.7, 13, 5, 5, 4}}}}.SVG(),
		"years": Years{ID: "ind", Kind: "indicators", Title: "Показатели по годам", Unit: "млн руб.", NoData: "нет данных",
			Series: []Series{{Name: "Отгружено", Points: []Point{{2022, 100}, {2023, 0}, {2025, 140}}}, {Name: "Инвестиции", Points: []Point{{2023, 20}, {2024, 25}}}}}.SVG(),
		"map": Map{ID: "map", Kind: "region-map", Title: "Кластеры по регионам", LegendTitle: "Число кластеров",
			Values:   map[string]float64{"Москва": 12, "Республика Башкортостан": 22, "Омская область": 3},
			Classes:  []Class{{0, "нет", Blues[0]}, {1, "1", Blues[1]}, {2, "2–3", Blues[2]}, {4, "4–9", Blues[3]}, {10, "10 и более", Blues[4]}},
			Href:     func(r string) string { return "/?region=" + r },
			Label:    func(r string, v float64) string { return fmt.Sprintf("%s: %g", r, v) },
			Selected: "Москва"}.SVG(),
	}
}

func TestGolden(t *testing.T) {
	for name, svg := range samples() {
		t.Run(name, func(t *testing.T) { golden(t, name, svg) })
	}
}

// Every chart is the same bytes for the same input, names its kind and is
// accessible: role, labelled by its title and description.
func TestDeterministicAndAccessible(t *testing.T) {
	a, b := samples(), samples()
	for name, svg := range a {
		if svg != b[name] {
			t.Errorf("%s: two drawings of the same data differ", name)
		}
		if !strings.Contains(svg, `data-chart="`) || !strings.Contains(svg, `aria-labelledby="`) || !strings.Contains(svg, "<title id=") || !strings.Contains(svg, "<desc id=") {
			t.Errorf("%s: root lacks data-chart, aria-labelledby, title or desc", name)
		}
		if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") || strings.Contains(svg, "<script") {
			t.Errorf("%s: NaN, Inf or unescaped markup in the output", name)
		}
	}
}

// A missing year is written as "no data", never drawn as zero; a zero that
// is in the data is drawn.
func TestYearsMissingIsNotZero(t *testing.T) {
	svg := samples()["years"]
	if !strings.Contains(svg, `class="nodata" data-year="2024"`) || !strings.Contains(svg, `class="nodata" data-year="2022"`) {
		t.Errorf("missing years not marked: %s", svg)
	}
	if !strings.Contains(svg, `class="point" data-year="2023"`) {
		t.Error("a real zero is not drawn")
	}
	if strings.Count(svg, `class="point"`) != 5 {
		t.Errorf("%d points, want 5", strings.Count(svg, `class="point"`))
	}
}

func readColumn(t *testing.T, path, col string, split bool) []string {
	t.Helper()
	f, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx := -1
	for i, h := range rows[0] {
		if h == col {
			idx = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		if split {
			for _, x := range strings.Split(r[idx], ";") {
				out = append(out, strings.TrimSpace(x))
			}
		} else {
			out = append(out, r[idx])
		}
	}
	return out
}

// Every region of the registry and of the rating has a tile, spelt as the
// data spells it; tiles are 89 federal subjects on distinct cells.
func TestEveryRegistryRegionHasATile(t *testing.T) {
	names := map[string]bool{}
	for _, r := range Regions {
		names[r.Name] = true
	}
	regions := append(readColumn(t, "../seeds/data/registry/clusters.csv", "regions", true), readColumn(t, "../seeds/data/rating.csv", "region", false)...)
	for _, r := range regions {
		if r != "" && !names[r] {
			t.Errorf("region %q of the data has no tile", r)
		}
	}
	if len(Regions) != 89 {
		t.Errorf("%d tiles, want 89 federal subjects", len(Regions))
	}
	cells, shorts := map[[2]int]string{}, map[string]string{}
	for _, r := range Regions {
		k := [2]int{r.Col, r.Row}
		if other, ok := cells[k]; ok {
			t.Errorf("%s and %s share a tile", r.Name, other)
		}
		cells[k] = r.Name
		if other, ok := shorts[r.Short]; ok {
			t.Errorf("%s and %s share the label %s", r.Name, other, r.Short)
		}
		shorts[r.Short] = r.Name
	}
	svg := samples()["map"]
	if got := strings.Count(svg, `data-region="`); got != len(Regions) {
		t.Errorf("%d tiles in the map, want %d", got, len(Regions))
	}
	if !strings.Contains(svg, `href="/?region=Москва" data-region="Москва"`) {
		t.Error("a tile is not a link to its filter")
	}
	// West to east, north to south, roughly: Kaliningrad is the westernmost,
	// Chukotka east of everything, Murmansk north of Dagestan.
	col := map[string]Region{}
	for _, r := range Regions {
		col[r.Name] = r
	}
	for _, r := range Regions {
		if r.Col < col["Калининградская область"].Col || r.Col > col["Чукотский автономный округ"].Col {
			t.Errorf("%s lies beyond Kaliningrad or Chukotka", r.Name)
		}
	}
	if col["Мурманская область"].Row >= col["Республика Дагестан"].Row || col["Москва"].Col >= col["Омская область"].Col {
		t.Error("the map is not laid out west to east, north to south")
	}
}

// An axis given with the chart shows a year that no series has, as "no
// data" in every series; the points stay those of the data.
func TestYearsAxisShowsMissingYears(t *testing.T) {
	c := Years{ID: "ind", Kind: "indicators", Title: "Показатели", Unit: "млн руб.", NoData: "нет данных", Axis: []int{2023, 2024, 2025},
		Series: []Series{{Name: "Отгружено", Points: []Point{{2023, 100}, {2025, 140}}}, {Name: "Инвестиции", Points: []Point{{2023, 20}, {2025, 0}}}}}
	svg := c.SVG()
	if got := strings.Count(svg, `class="nodata" data-year="2024"`); got != 2 {
		t.Errorf("2024 is marked as no data in %d series, want 2", got)
	}
	if got := strings.Count(svg, `class="point"`); got != 4 {
		t.Errorf("%d points, want 4", got)
	}
	if !strings.Contains(svg, ">2024</text>") {
		t.Error("the year without data is not on the axis")
	}
}

// Values too close to label both get one label; both keep their marker.
func TestYearsLabelsDoNotOverlap(t *testing.T) {
	svg := Years{ID: "ind", Kind: "indicators", Title: "Показатели", Series: []Series{
		{Name: "А", Points: []Point{{2023, 2400}, {2024, 60}}}, {Name: "Б", Points: []Point{{2023, 70}, {2024, 70}}}, {Name: "В", Points: []Point{{2023, 1200}}}}}.SVG()
	if got := strings.Count(svg, `class="value"`); got != 4 {
		t.Errorf("%d value labels, want 4 (60 and 70 of 2024 overlap)", got)
	}
	if got := strings.Count(svg, `class="point"`); got != 5 {
		t.Errorf("%d markers, want 5", got)
	}
}
