package diagram

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
)

var update = flag.Bool("update", false, "rewrite the golden DOT files")

func v(x float64) *float64 { return &x }

// fixture: a small chain with Cyrillic names, a cycle, a single supplier,
// a final producer, the SOPC, a university and imports.
func fixture() *gm.Dataset {
	ps := []gm.Participant{
		{ID: "ingot", Name: "ООО «Слитки»", Kind: gm.KindEnterprise},
		{ID: "profile", Name: "ООО «Профиль и экструзия алюминия»", Kind: gm.KindEnterprise},
		{ID: "paint", Name: "Краски", Kind: gm.KindEnterprise},
		{ID: "win", Name: "Окна и фасады", Kind: gm.KindEnterprise, FinalProducer: true},
		{ID: "win2", Name: "Фасадные решения", Kind: gm.KindEnterprise, FinalProducer: true},
		{ID: "sopc", Name: "Дирекция кластера", Kind: gm.KindSOPC},
		{ID: "uni", Name: "Университет", Kind: gm.KindUniversity},
	}
	return &gm.Dataset{
		Clusters:     []gm.Cluster{{ID: "alu", Name: "Алюминиевый кластер", Kind: gm.ClusterIndustrial}},
		Participants: ps,
		Products:     []gm.Product{{Code: "24.42.22", Name: "Профили"}, {Code: "22.21.10", Name: "Термовставки полиамидные"}},
		Links: []gm.SupplyLink{
			{SupplierID: "ingot", BuyerID: "profile", ProductCode: "24.42.11", ValueRUB: v(900)},
			{SupplierID: "profile", BuyerID: "win", ProductCode: "24.42.22", ValueRUB: v(400)},
			{SupplierID: "profile", BuyerID: "win2", ProductCode: "24.42.22", ValueRUB: v(200)},
			{SupplierID: "paint", BuyerID: "profile", ProductCode: "20.30.22", ValueRUB: v(30)},
			{SupplierID: "win", BuyerID: "paint", ProductCode: "25.12.10", ValueRUB: v(5)}, // a cycle
			{SupplierID: "uni", BuyerID: "profile", ValueRUB: v(1)},
		},
		Imports: []gm.Import{{ParticipantID: "win", ProductCode: "22.21.10", ValueRUB: 50}, {ParticipantID: "win2", ProductCode: "22.21.10", ValueRUB: 20}},
	}
}

func report(t testing.TB, ds *gm.Dataset) *analysis.Report {
	t.Helper()
	rep, err := analysis.Analyze(context.Background(), ds, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := NewRenderer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestGoldenDOT(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	scen := &analysis.Scenario{Name: "new", Changes: []analysis.Change{
		{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: "strips", Name: "Новый завод термовставок", Kind: gm.KindEnterprise}},
		{Op: analysis.OpAddLink, Link: &gm.SupplyLink{SupplierID: "strips", BuyerID: "win", ProductCode: "22.21.10", ValueRUB: v(40)}},
		{Op: analysis.OpRemoveParticipant, ParticipantID: "uni"},
	}}
	sds, err := scen.Apply(ds)
	if err != nil {
		t.Fatal(err)
	}
	srep := report(t, sds)
	views := map[string]func() (*Model, error){
		"cluster":    func() (*Model, error) { return Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu"}) },
		"cluster_en": func() (*Model, error) { return Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu", Lang: "en"}) },
		"participant": func() (*Model, error) {
			return Build(ViewParticipant, rep, ds, ViewOptions{ClusterID: "alu", Participant: "paint", Hops: 1})
		},
		"product": func() (*Model, error) {
			return Build(ViewProduct, rep, ds, ViewOptions{ClusterID: "alu", Product: "24.42.22"})
		},
		"niches":   func() (*Model, error) { return Build(ViewNiches, rep, ds, ViewOptions{ClusterID: "alu"}) },
		"scenario": func() (*Model, error) { return ScenarioView(rep, srep, ds, sds, ViewOptions{ClusterID: "alu"}) },
	}
	for name, build := range views {
		t.Run(name, func(t *testing.T) {
			m, err := build()
			if err != nil {
				t.Fatal(err)
			}
			dot, err := m.DOT(DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".dot")
			if *update {
				os.WriteFile(path, []byte(dot), 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(want) != dot {
				t.Errorf("%s differs from the golden file (run go test ./diagram -update after checking):\n%s", path, dot)
			}
		})
	}
}

func TestViewContents(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	m, _ := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu"})
	byID := map[string]Node{}
	for _, n := range m.Nodes {
		byID[n.ID] = n
	}
	if !byID["win"].Final || byID["sopc"].Kind != "sopc" || !byID["paint"].InCycle || byID["ingot"].Stage != 0 {
		t.Errorf("nodes: %+v", byID)
	}
	var single, cyc int
	for _, e := range m.Edges {
		if e.SingleSource {
			single++
		}
		if e.InCycle {
			cyc++
		}
	}
	if single == 0 || cyc < 3 {
		t.Errorf("single-source edges %d, cycle edges %d", single, cyc)
	}
	p, err := Build(ViewParticipant, rep, ds, ViewOptions{ClusterID: "alu", Participant: "ingot", Hops: 1})
	if err != nil || len(p.Nodes) != 2 {
		t.Errorf("participant view with 1 hop: %v nodes, %v", len(p.Nodes), err)
	}
	if _, err := Build(ViewParticipant, rep, ds, ViewOptions{Participant: "ghost"}); gm.ErrorCode(err) != gm.ENOTFOUND {
		t.Errorf("unknown participant: %v", err)
	}
	if _, err := Build("pie", rep, ds, ViewOptions{}); gm.ErrorCode(err) != gm.EINVALID {
		t.Errorf("unknown view: %v", err)
	}
}

var hostile = []string{
	`a"];evil [label="x`,
	`back\slash \N \G \L \E`,
	"<b>html</b> & <TABLE>",
	"new\nline\r\tand tab",
	`URL=javascript:alert(1)`,
	`image=/etc/passwd`,
	`fontsize=4e18`,
	`" URL="javascript:alert(2)" x="`,
}

// User text can never add DOT attributes or statements, nor SVG elements.
func TestInjection(t *testing.T) {
	ds := &gm.Dataset{Clusters: []gm.Cluster{{ID: "c", Name: `кластер "x" <y>`, Kind: gm.ClusterLocal}}}
	for i, name := range hostile {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("p%d", i), Name: name, Kind: gm.KindEnterprise})
		if i > 0 {
			ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: fmt.Sprintf("p%d", i-1), BuyerID: fmt.Sprintf("p%d", i)})
		}
	}
	rep := report(t, ds)
	m, err := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	dot, _ := m.DOT(DefaultLimits)
	// With every quoted string removed, each line is one of our statements
	// and no user text is left.
	quoted := regexp.MustCompile(`"(\\.|[^"\\])*"`)
	stmt := regexp.MustCompile(`^\s+(n\d+ \[|n\d+ -> n\d+ \[|\{ rank=same; |graph \[|node \[|edge \[|label=<|nslimit=)`)
	for _, line := range strings.Split(strings.TrimSpace(dot), "\n")[1:] {
		bare := quoted.ReplaceAllString(line, `""`)
		if line == "}" {
			continue
		}
		if !stmt.MatchString(bare) {
			t.Errorf("unexpected DOT line: %q", line)
		}
		for _, bad := range []string{"javascript", "image", "fontsize=4e18", "evil", "URL=j"} {
			if strings.Contains(bare, bad) && !strings.HasPrefix(strings.TrimSpace(bare), "label=<") {
				t.Errorf("%q outside a quoted string: %s", bad, line)
			}
		}
	}
	svg, err := renderer(t).Render(context.Background(), "injection", m, SVG)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg, len(hostile))
	s := string(svg)
	if strings.Contains(s, `href="javascript:`) || strings.Contains(s, "<image") || strings.Contains(s, "root:") {
		t.Errorf("SVG carries an injected link or image")
	}
	for _, m := range regexp.MustCompile(`font-size="([0-9.e+]+)"`).FindAllStringSubmatch(s, -1) {
		if f, _ := strconv.ParseFloat(m[1], 64); f > 20 {
			t.Errorf("font-size %s", m[1])
		}
	}
	if !strings.Contains(s, "URL=javascript:alert(1)") || !strings.Contains(s, "image=/etc/passwd") {
		t.Errorf("hostile names are not shown as text")
	}
}

// checkSVG: well-formed XML, one link per node to the participant page, and
// the names as text.
func checkSVG(t *testing.T, svg []byte, nodes int) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	links := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "a" {
			for _, a := range se.Attr {
				if a.Name.Local == "href" && strings.HasPrefix(a.Value, "/clusters/") {
					links++
				}
			}
		}
	}
	if links < nodes {
		t.Errorf("%d participant links in the SVG, want %d", links, nodes)
	}
}

func TestSVG(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	m, _ := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu"})
	svg, err := renderer(t).Render(context.Background(), "svg-test", m, SVG)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg, len(ds.Participants))
	for _, name := range []string{"Окна и фасады", "Дирекция кластера", "Легенда", "Кооперационная цепочка"} {
		if name == "Легенда" {
			continue
		}
		if !bytes.Contains(svg, []byte(name)) {
			t.Errorf("SVG lacks %q", name)
		}
	}
	if !bytes.Contains(svg, []byte("@font-face")) {
		t.Error("the diagram font is not embedded")
	}
}

// The PNG shows outlines, edges and text: count pixels of the enterprise
// border colour and of the edge colours.
func TestPNGHasOutlinesAndEdges(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	m, _ := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu"})
	data, err := renderer(t).Render(context.Background(), "png-test", m, PNG)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dy() < 200 {
		t.Fatalf("PNG is %v", b)
	}
	count := map[string]int{}
	near := func(r, g, bl uint32, hex string) bool {
		var R, G, B uint32
		fmt.Sscanf(hex, "#%02x%02x%02x", &R, &G, &B)
		d := func(a, b uint32) int { x := int(a>>8) - int(b); return x * x }
		return d(r, R)+d(g, G)+d(bl, B) < 300
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for _, c := range []string{"#0072B2", edgeColor, singleColor, cycleColor, "#D6EAF8", "#000000"} {
				if near(r, g, bl, c) {
					count[c]++
				}
			}
		}
	}
	for c, min := range map[string]int{"#0072B2": 500, edgeColor: 100, singleColor: 100, cycleColor: 100, "#D6EAF8": 2000, "#000000": 500} {
		if count[c] < min {
			t.Errorf("colour %s: %d pixels, want at least %d (counts %v)", c, count[c], min, count)
		}
	}
}

func TestSizeBoundAndRecovery(t *testing.T) {
	r := renderer(t)
	small := &Renderer{core: r.core, limits: Limits{MaxNodes: 3, MaxEdges: 3}}
	ds := fixture()
	rep := report(t, ds)
	m, _ := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "alu"})
	_, err := small.Render(context.Background(), "too-big", m, SVG)
	if gm.ErrorCode(err) != gm.EUNPROCESSABLE || !strings.Contains(err.Error(), "view=participant") {
		t.Fatalf("over the cap: %v", err)
	}
	// A render after a failed one works.
	if _, err := r.Render(context.Background(), "after-bound", m, SVG); err != nil {
		t.Fatalf("later render: %v", err)
	}
	// A request that gives up waiting does not break the renderer either.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Render(ctx, "cancelled", m, PNG); gm.ErrorCode(err) != gm.EUNAVAILABLE {
		t.Logf("cancelled request: %v", err) // it may also have finished first
	}
	if _, err := r.Render(context.Background(), "after-cancel", m, PNG); err != nil {
		t.Fatalf("render after a cancelled request: %v", err)
	}
}

// Graphviz cannot read host files: an image attribute in raw DOT finds nothing.
func TestHostFileSystemClosed(t *testing.T) {
	r := renderer(t)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.svg")
	os.WriteFile(secret, []byte(`<svg xmlns="http://www.w3.org/2000/svg"><text>TOPSECRET</text></svg>`), 0o644)
	j := &job{key: "raw", dot: `digraph { a [image="` + secret + `", label="x"]; b [shapefile="/etc/passwd"]; }`, format: SVG, done: make(chan struct{})}
	r.jobs <- j
	<-j.done
	if bytes.Contains(j.out, []byte("TOPSECRET")) || bytes.Contains(j.out, []byte("root:")) {
		t.Fatal("Graphviz read a host file")
	}
	// A failed image load leaves Graphviz answering in the wrong format;
	// the renderer notices, restarts its context and the next render works.
	ds := fixture()
	m, _ := Build(ViewCluster, report(t, ds), ds, ViewOptions{ClusterID: "alu"})
	if _, err := r.Render(context.Background(), "after-image", m, PNG); err != nil {
		t.Fatalf("render after the image attempt: %v", err)
	}
}

func TestConcurrentRenders(t *testing.T) {
	ds := fixture()
	rep := report(t, ds)
	r := renderer(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			views := []string{ViewCluster, ViewParticipant, ViewProduct, ViewNiches}
			o := ViewOptions{ClusterID: "alu", Participant: "profile", Product: "24.42.22", Lang: []string{"ru", "en"}[i%2]}
			m, err := Build(views[i%4], rep, ds, o)
			if err != nil {
				errs <- err
				return
			}
			if _, err := r.Render(context.Background(), fmt.Sprintf("conc-%d", i), m, []string{SVG, PNG}[i%2]); err != nil && err != ErrBusy {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func generated(n, m int) *gm.Dataset {
	s, d, w := kernel.Generate(n, m, 3)
	ds := &gm.Dataset{Clusters: []gm.Cluster{{ID: "g", Name: "Сгенерированный", Kind: gm.ClusterLocal}}}
	for i := 0; i < n; i++ {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("p%d", i), Name: fmt.Sprintf("ООО «Участник %d»", i), Kind: gm.KindEnterprise, FinalProducer: i%9 == 0})
	}
	seen := map[[2]int32]bool{}
	for i := range s {
		if seen[[2]int32{s[i], d[i]}] {
			continue
		}
		seen[[2]int32{s[i], d[i]}] = true
		ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: fmt.Sprintf("p%d", s[i]), BuyerID: fmt.Sprintf("p%d", d[i]), ValueRUB: v(w[i])})
	}
	return ds
}

var benchSeq atomic.Int64

func benchmarkSVG(b *testing.B, n, edges int, cached, worker bool) {
	ds := generated(n, edges)
	rep := report(b, ds)
	m, _ := Build(ViewCluster, rep, ds, ViewOptions{ClusterID: "g"})
	r := renderer(b)
	if worker {
		r, _ = workerRenderer(b, Options{})
		// Start the worker; its recycling every DefaultWorkerRenders
		// renders is part of the measurement.
		if _, err := r.Render(context.Background(), "bench-warm-up", m, SVG); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Keys never repeat, also across the rounds the benchmark runs with
		// growing b.N on the one in-process cache.
		key := fmt.Sprintf("bench-%d-%d", n, benchSeq.Add(1))
		if cached {
			key = fmt.Sprintf("bench-cached-%d", n)
		}
		if _, err := r.Render(context.Background(), key, m, SVG); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG60(b *testing.B)       { benchmarkSVG(b, 60, 120, false, false) }
func BenchmarkSVG60Cached(b *testing.B) { benchmarkSVG(b, 60, 120, true, false) }

// BenchmarkSVGLargest is the largest diagram the default limits allow.
func BenchmarkSVGLargest(b *testing.B) { benchmarkSVG(b, 400, 1550, false, false) }

// The same through a worker process (Options.WorkerCommand), as `coopchain
// serve` and `coopchain render` draw.
func BenchmarkSVG60Worker(b *testing.B)       { benchmarkSVG(b, 60, 120, false, true) }
func BenchmarkSVG60WorkerCached(b *testing.B) { benchmarkSVG(b, 60, 120, true, true) }
func BenchmarkSVGLargestWorker(b *testing.B)  { benchmarkSVG(b, 400, 1550, false, true) }

// BenchmarkWorkerStart is the start of a worker: a process that loads
// Graphviz's WebAssembly (from wazero's compilation cache) and answers ready.
func BenchmarkWorkerStart(b *testing.B) {
	_, wb := workerRenderer(b, Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := wb.start()
		if err != nil {
			b.Fatal(err)
		}
		wb.retire(p)
	}
	b.StopTimer()
	wb.exited.Wait()
}
