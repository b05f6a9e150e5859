package diagram

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// legendOf returns the legend lines the DOT of a model carries.
func legendOf(t *testing.T, m *Model) string {
	t.Helper()
	dot, err := m.DOT(DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, legend, _ := strings.Cut(dot, "label=<")
	return legend
}

// The legend lists only the styles the view draws: no imports on the
// cluster view, imports and gap shading on the niches view, the scenario's
// colours only on the scenario view.
func TestLegendListsOnlyUsedStyles(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	ru := texts("ru").legend
	cluster, _ := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu"})
	niches, _ := Build(ViewNiches, rep, ds, ViewOptions{ClusterID: "alu"})
	part, _ := Build(ViewParticipant, rep, ds, ViewOptions{ClusterID: "alu", Participant: "ingot", Hops: 1})
	scen := &analysis.Scenario{Changes: []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "strips", Name: "Новый завод", Kind: gm.KindEnterprise}},
		{Op: analysis.OpAddLink, Link: &gm.SupplyLink{SupplierID: "strips", BuyerID: "win", ProductCode: "22.21.10", ValueRUB: v(40)}},
		{Op: analysis.OpRemoveParticipant, ParticipantID: "uni"},
	}}
	sds, err := scen.Apply(ds)
	if err != nil {
		t.Fatal(err)
	}
	scenario, _ := ScenarioView(rep, report(t, sds), ds, sds, ViewOptions{ClusterID: "alu"})
	for _, tc := range []struct {
		name      string
		m         *Model
		has, lack []string
	}{
		{"cluster", cluster, []string{"final", "width", "single", "cycle"}, []string{"import", "highlight", "added", "removed", "focus"}},
		{"niches", niches, []string{"import", "highlight", "final"}, []string{"single", "added", "removed", "focus"}},
		{"participant", part, []string{"focus", "single"}, []string{"import", "final", "added", "highlight"}},
		{"scenario", scenario, []string{"added", "removed", "final"}, []string{"import", "highlight", "focus"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			legend := legendOf(t, tc.m)
			for _, k := range tc.has {
				if !strings.Contains(legend, ru[k]) {
					t.Errorf("the legend lacks %q although the view uses it", ru[k])
				}
			}
			for _, k := range tc.lack {
				if strings.Contains(legend, ru[k]) {
					t.Errorf("the legend promises %q, which the view does not draw", ru[k])
				}
			}
		})
	}
}

// A niche's product is never cut: its whole name and its code are on the
// node, with no ellipsis.
func TestNicheLabelsWhole(t *testing.T) {
	ds := fixture()
	long := "Термовставки полиамидные (профили фасонные из пластмасс для алюминиевых оконных систем, ГОСТ 12345-2020)"
	ds.Products[1].Name = long
	rep := report(t, ds)
	m, err := Build(ViewNiches, rep, ds, ViewOptions{ClusterID: "alu"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range m.Nodes {
		if n.Kind != "import" {
			continue
		}
		lines := nodeAttrs(n)
		joined := strings.Join(lines, " ")
		if strings.Contains(joined, "…") {
			t.Errorf("niche label cut: %s", joined)
		}
		for _, word := range strings.Fields(long) {
			if !strings.Contains(joined, word) {
				t.Errorf("niche label lacks %q: %s", word, joined)
			}
		}
		if !strings.Contains(joined, "22.21.10") {
			t.Errorf("niche label lacks the product code: %s", joined)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		max   int
		want  []string
	}{
		{"ООО «Профиль и экструзия алюминия»", 24, 3, []string{"ООО «Профиль и экструзия", "алюминия»"}},
		{"один два три четыре пять шесть", 8, 2, []string{"один два", "три…"}},
		{"один два три четыре пять шесть", 8, 0, []string{"один два", "три", "четыре", "пять", "шесть"}},
		{"Оченьдлинноесловобезпробеловвовсе", 10, 0, []string{"Оченьдлинн", "оесловобез", "пробеловвовсе"}},
	} {
		got := wrap(tc.s, tc.width, tc.max)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d, %d) = %q, want %q", tc.s, tc.width, tc.max, got, tc.want)
		}
	}
}

// twoNodes is a chain of two participants whose one link is single-source
// (red, dashed) or in a cycle (purple, solid).
func twoNodes(single bool) *Model {
	return &Model{Lang: "ru", NoLegend: true, Nodes: []Node{{ID: "a", Label: "Поставщик", Kind: "enterprise"}, {ID: "b", Label: "Покупатель", Kind: "enterprise", Stage: 1}},
		Edges: []Edge{{From: "a", To: "b", SingleSource: single, InCycle: !single}}}
}

// runs counts the runs of pixels near colour c along the middle row of
// those pixels' bounding box.
func runs(img image.Image, c string) (int, image.Rectangle) {
	var R, G, B int
	fmt.Sscanf(c, "#%02x%02x%02x", &R, &G, &B)
	near := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		d := func(a uint32, b int) int { x := int(a>>8) - b; return x * x }
		return d(r, R)+d(g, G)+d(b, B) < 400
	}
	box := image.Rectangle{}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if near(x, y) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	n, in := 0, false
	y := (box.Min.Y + box.Max.Y) / 2
	for x := box.Min.X; x < box.Max.X; x++ {
		if near(x, y) != in {
			in = !in
			if in {
				n++
			}
		}
	}
	return n, box
}

// The PNG means what the SVG means: a single-source link is dashed in both
// (with the same pattern, visible on a thick arrow), any other link solid,
// and nothing touches the image's edge.
func TestPNGMatchesSVG(t *testing.T) {
	r := renderer(t)
	for _, single := range []bool{true, false} {
		m := twoNodes(single)
		m.Edges[0].Valued, m.Edges[0].ValueRUB = true, 1
		data, err := r.Render(context.Background(), fmt.Sprintf("dash-%v", single), m, PNG)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		color := map[bool]string{true: singleColor, false: cycleColor}[single]
		n, box := runs(img, color)
		if single && n < 3 || !single && n != 1 {
			t.Errorf("single=%v: the link is drawn in %d pieces along its middle (box %v)", single, n, box)
		}
		margin := int(math.Floor(pngMargin*PNGScale)) - 4
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if x >= margin && x < b.Max.X-margin && y >= margin && y < b.Max.Y-margin {
					continue
				}
				if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 < 250 || g>>8 < 250 || bl>>8 < 250 {
					t.Fatalf("single=%v: pixel (%d,%d) inside the white margin is drawn", single, x, y)
				}
			}
		}
		svg, err := r.Render(context.Background(), fmt.Sprintf("dash-svg-%v", single), m, SVG)
		if err != nil {
			t.Fatal(err)
		}
		dashes := regexp.MustCompile(`stroke-width="([0-9.]+)" stroke-dasharray="([0-9.]+),([0-9.]+)"`).FindAllStringSubmatch(string(svg), -1)
		if single != (len(dashes) == 1) {
			t.Fatalf("single=%v: SVG dashes %q", single, dashes)
		}
		if bytes.Contains(svg, []byte(`stroke-dasharray="5,2"`)) {
			t.Error("SVG keeps Graphviz's 5,2 dashes")
		}
		for _, d := range dashes {
			w, _ := strconv.ParseFloat(d[1], 64)
			on, _ := strconv.ParseFloat(d[2], 64)
			off, _ := strconv.ParseFloat(d[3], 64)
			won, woff := dashPattern(w)
			if math.Abs(on-won) > 0.06 || math.Abs(off-woff) > 0.06 {
				t.Errorf("SVG dash %v,%v for width %v, want %v,%v as in the PNG", on, off, w, won, woff)
			}
		}
	}
}

// A planned producer is linked to the importers whose imports it replaces:
// one green dotted edge per importer, its tooltip saying so, and the
// legend's line for it; a scenario without planned capacity has neither.
func TestScenarioLinksPlannedProducerToImporters(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	scen := &analysis.Scenario{Changes: []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "strips", Name: "Новый завод термовставок", Kind: gm.KindEnterprise}},
		{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: "strips", ProductCode: "22.21.10", ValueRUB: 35}},
	}}
	sds, err := scen.Apply(ds)
	if err != nil {
		t.Fatal(err)
	}
	yds, repl := analysis.ReplaceImports(ds, sds, 0)
	m, err := ScenarioView(rep, report(t, yds), ds, yds, ViewOptions{ClusterID: "alu"})
	if err != nil {
		t.Fatal(err)
	}
	to := map[string]bool{}
	for _, e := range m.Edges {
		if e.Replaces {
			if e.From != "strips" || !strings.Contains(e.Tooltip, texts("ru").replaces) {
				t.Errorf("replacement edge %+v", e)
			}
			to[e.To] = true
		}
	}
	if len(repl) != 2 || !to["win"] || !to["win2"] || len(to) != 2 {
		t.Errorf("the planned producer is linked to %v, want win and win2 (replacements %+v)", to, repl)
	}
	dot, _ := m.DOT(DefaultLimits)
	if strings.Count(dot, `style="dotted"`) != 2 {
		t.Errorf("%d dotted edges in the DOT, want 2", strings.Count(dot, `style="dotted"`))
	}
	if legend := legendOf(t, m); !strings.Contains(legend, texts("ru").legend["replaces"]) {
		t.Errorf("the legend lacks the replacement style: %s", legend)
	}
	plain, _ := ScenarioView(rep, report(t, sds), ds, sds, ViewOptions{ClusterID: "alu"})
	if legend := legendOf(t, plain); strings.Contains(legend, texts("ru").legend["replaces"]) {
		t.Error("the legend promises replacement edges the view does not draw")
	}
}
