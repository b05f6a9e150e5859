package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
)

// layoutFacts are what a projector needs of a page, measured in the browser.
type layoutFacts struct {
	InnerW, InnerH  float64
	HeaderH         float64 // height of the site header
	HeaderSpread    float64 // top of its lowest item minus top of its highest: 0 on one row
	TabRows         int     // distinct rows of the cluster's tabs
	TabsHidden      float64 // how far the last tab reaches past the tab bar (0: every tab shows)
	FiguresBottom   float64 // bottom of the key figures
	DiagramTop      float64 // top of the first diagram's box
	DiagramH        float64
	MinLabelPx      float64 // smallest node label of the first diagram, in screen pixels
	Present         bool    // presentation mode is on
	HeaderDisplayed bool
}

const measureJS = `(() => {
  const q = s => document.querySelector(s);
  const rect = e => e ? e.getBoundingClientRect() : {top: 0, bottom: 0, height: 0};
  const header = q("header.top");
  const kids = header ? [...header.children].map(k => k.getBoundingClientRect().top) : [0];
  const tabs = [...document.querySelectorAll(".tabs a")].map(a => Math.round(a.getBoundingClientRect().top));
  const svg = q(".diagram svg");
  let min = 0;
  if (svg) {
    const sizes = [...svg.querySelectorAll("g.node text")].map(t => parseFloat(t.getAttribute("font-size")) * t.getScreenCTM().a);
    min = sizes.length ? Math.min(...sizes) : 0;
  }
  return {InnerW: innerWidth, InnerH: innerHeight, HeaderH: rect(header).height, HeaderSpread: Math.max(...kids) - Math.min(...kids),
    TabRows: new Set(tabs).size, TabsHidden: tabs.length ? Math.max(0, q(".tabs a:last-child").getBoundingClientRect().right - q(".tabs").getBoundingClientRect().right) : 0,
    FiguresBottom: rect(q("dl.figures")).bottom, DiagramTop: rect(q(".diagram")).top, DiagramH: rect(q(".diagram")).height,
    MinLabelPx: min, Present: document.documentElement.classList.contains("present"),
    HeaderDisplayed: !!header && getComputedStyle(header).display !== "none"};
})()`

// TestProjectorLayout opens the planning-session pages at a projector's
// 1280×720 and at 1920×1080: one-row header and tabs, key figures and the
// diagram on the first screen, diagram labels of at least 14 px, the
// presentation mode and its keys, the charts and the map, the participant
// page in plain Russian, the Russian 404 page; axe on the new parts and
// screenshots (16-*.png) in the artifacts folder.
func TestProjectorLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	db := seededStore(t)
	srv := server.New(server.Deps{Store: db, Config: server.Config{RatePerIP: -1, RatePerToken: -1, PageWait: 20 * time.Second}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	editor := token(t, db, "editor", seeds.DemoCluster)
	sid := saveScenario(t, ts.URL, editor)
	reportIndicators(t, ts.URL, editor)
	for _, size := range [][2]int{{1280, 720}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			p := &projector{t: t, base: ts.URL, w: size[0], h: size[1], out: artifacts(t)}
			p.ctx = browser(t, size[0], size[1], 3*time.Minute)
			p.do("viewport", chromedp.EmulateViewport(int64(size[0]), int64(size[1])))
			p.registry()
			p.signIn(editor)
			p.overview()
			p.presentation()
			p.niches()
			p.participant()
			p.scenario(sid, editor)
			p.indicators(editor)
			p.report(editor)
			p.notFound()
		})
	}
}

// saveScenario saves, through the API, a planned producer of thermal strips
// with 200 mln RUB of capacity and returns its id.
func saveScenario(t *testing.T, base, tok string) string {
	t.Helper()
	body := `{"name":"Завод термовставок","changes":[{"op":"add_participant","participant":{"id":"alu-strips","name":"Новый завод термовставок","kind":"enterprise"}},
	  {"op":"add_capacity","capacity":{"participant_id":"alu-strips","product_code":"22.21.10","value_rub":200000000}}]}`
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/clusters/"+seeds.DemoCluster+"/scenarios", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Scenario struct{ ID string } `json:"scenario"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("save scenario: %s %v", resp.Status, err)
	}
	return out.Scenario.ID
}

type projector struct {
	t    *testing.T
	ctx  context.Context
	base string
	w, h int
	out  string
}

func (p *projector) css(s string) chromedp.CSS { return chromedp.CSS(s) }

func (p *projector) do(name string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", name, err)
	}
}

func (p *projector) eval(js string, v any) {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](js))
	if err != nil {
		p.t.Fatalf("evaluate %.60s: %v", js, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		p.t.Fatalf("evaluate %.60s: %v", js, err)
	}
}

func (p *projector) text(sel string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Text(p.css(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func (p *projector) measure() layoutFacts {
	p.t.Helper()
	var f layoutFacts
	p.eval(measureJS, &f)
	return f
}

// shot saves the first screen as 16-NAME-WxH.png.
func (p *projector) shot(name string) {
	p.t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	os.WriteFile(filepath.Join(p.out, fmt.Sprintf("16-%s-%dx%d.png", name, p.w, p.h)), buf, 0o644)
	// The whole page too, for looking at what is below the first screen.
	if full, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100)); err == nil { // quality 100: PNG
		os.WriteFile(filepath.Join(p.out, fmt.Sprintf("16-%s-%dx%d-full.png", name, p.w, p.h)), full, 0o644)
	}
}

// header checks the site header is one row.
func (p *projector) header(f layoutFacts, page string) {
	p.t.Helper()
	if f.HeaderH > 56 || f.HeaderSpread > 8 {
		p.t.Errorf("%s: the header is %.0f px high, its items %.0f px apart: not one row", page, f.HeaderH, f.HeaderSpread)
	}
}

func (p *projector) registry() {
	p.do("registry", chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(p.css("#found")))
	f := p.measure()
	p.header(f, "registry")
	var m struct {
		Tiles, Rows, WithData, RatingRows int
		Moscow, Legend                    string
	}
	p.eval(`({Tiles: document.querySelectorAll('svg[data-chart="region-map"] [data-region]').length,
	  Rows: document.querySelectorAll("main table.list tbody tr").length,
	  WithData: document.querySelectorAll("[data-has-data]").length,
	  RatingRows: document.querySelectorAll('svg[data-chart="rating"] g.row').length,
	  Moscow: document.querySelector('[data-region="Москва"]').textContent,
	  Legend: document.querySelector('svg[data-chart="rating"]').textContent})`, &m)
	var rating struct{ Items []json.RawMessage }
	apiGet(p.t, p.base+"/api/v1/regions/rating", "", &rating)
	if m.Tiles != 89 || m.WithData != 4 || m.RatingRows != len(rating.Items) || len(rating.Items) == 0 || !strings.Contains(m.Moscow, "12") || !strings.Contains(m.Legend, "S1 — количественные показатели") {
		p.t.Errorf("registry: %+v", m)
	}
	p.shot("registry")
	auditPage(p.t, p.ctx, "registry with map")
	// A tile filters the registry by its region.
	p.do("tile", chromedp.Click(p.css(`[data-region="Омская область"]`)), chromedp.WaitVisible(p.css("#found")))
	loc, _ := chromedp.Run(p.ctx, chromedp.Location())
	if u, _ := url.Parse(loc); u == nil || u.Query().Get("region") != "Омская область" || p.text("#found") != "13" {
		p.t.Errorf("clicking Omsk: %s, %s clusters", loc, p.text("#found"))
	}
}

func (p *projector) signIn(tok string) {
	p.do("login", chromedp.Navigate(p.base+"/login?next=/clusters/"+seeds.DemoCluster), chromedp.WaitVisible(p.css("#token")),
		chromedp.SendKeys(p.css("#token"), tok), chromedp.Click(p.css("form.card button[type=submit]")), chromedp.WaitVisible(p.css(".diagram svg")))
}

// overview: one-row header and tabs, the key figures and the diagram's top
// on the first screen, labels of 14 px or more.
func (p *projector) overview() {
	f := p.measure()
	// On a busy machine the script may not have fitted the diagram yet:
	// wait (bounded) until its labels have a size.
	for i := 0; i < 40 && f.MinLabelPx == 0; i++ {
		p.do("wait for the diagram", chromedp.Sleep(250*time.Millisecond))
		f = p.measure()
	}
	p.header(f, "cluster")
	if f.TabRows != 1 || f.TabsHidden > 1 {
		p.t.Errorf("the tabs take %d rows, the last one is %.0f px out of sight", f.TabRows, f.TabsHidden)
	}
	if f.FiguresBottom <= 0 || f.FiguresBottom > f.InnerH {
		p.t.Errorf("key figures end at %.0f px, below the first screen (%.0f)", f.FiguresBottom, f.InnerH)
	}
	if f.DiagramTop <= 0 || f.DiagramTop > f.InnerH*0.6 {
		p.t.Errorf("the diagram starts at %.0f px of a %.0f px screen", f.DiagramTop, f.InnerH)
	}
	if f.MinLabelPx < 14 {
		p.t.Errorf("diagram labels are %.1f px, want at least 14", f.MinLabelPx)
	}
	// At 1920×1080 the whole demo chain fits the first screen.
	if p.w >= 1920 && f.DiagramTop+f.DiagramH > f.InnerH {
		p.t.Errorf("the diagram ends at %.0f px, below the first screen (%.0f)", f.DiagramTop+f.DiagramH, f.InnerH)
	}
	p.t.Logf("cluster page: %+v", f)
	p.shot("cluster")
}

// presentation: the button turns the mode on (no site header, the diagram
// fills the screen, larger type), → opens the next tab in the same mode,
// ← goes back, Esc leaves.
func (p *projector) presentation() {
	p.do("present", chromedp.Click(p.css("[data-present]")), chromedp.WaitVisible(p.css(".present-help")))
	f := p.measure()
	if !f.Present || f.HeaderDisplayed || f.DiagramH < 0.8*f.InnerH || f.MinLabelPx < 14 || f.TabRows != 1 || f.TabsHidden > 1 {
		p.t.Errorf("presentation mode: %+v", f)
	}
	p.shot("present")
	p.do("next tab", chromedp.KeyEvent(kb.ArrowRight), chromedp.WaitVisible(p.css(`.tabs a[aria-current="page"][href$="/gaps"]`)))
	if f := p.measure(); !f.Present {
		p.t.Error("the presentation mode did not survive moving to the next tab")
	}
	p.do("previous tab", chromedp.KeyEvent(kb.ArrowLeft), chromedp.WaitVisible(p.css(".diagram svg")))
	p.do("leave", chromedp.KeyEvent(kb.Escape))
	if f := p.measure(); f.Present || !f.HeaderDisplayed {
		p.t.Errorf("Esc did not leave the presentation: %+v", f)
	}
}

func (p *projector) niches() {
	p.do("niches", chromedp.Navigate(p.base+"/clusters/"+seeds.DemoCluster+"/niches"), chromedp.WaitVisible(p.css(`svg[data-chart="niche-gaps"]`)))
	var n struct {
		Rows, Niches int
		First, Side  string
	}
	// One bar per niche of the page, the largest gap first.
	p.eval(`({Rows: document.querySelectorAll('svg[data-chart="niche-gaps"] g.row').length,
	  Niches: document.querySelectorAll('details.niche').length,
	  First: document.querySelector('svg[data-chart="niche-gaps"] g.row').getAttribute("data-item"),
	  Side: document.querySelector('svg[data-chart="niche-gaps"] g.row .side').textContent})`, &n)
	if n.Rows == 0 || n.Rows != n.Niches || n.First != "22.21.10" || n.Side == "" {
		p.t.Errorf("niche chart: %+v", n)
	}
	if f := p.measure(); f.TabRows != 1 {
		p.t.Errorf("niches: the tabs take %d rows", f.TabRows)
	}
	// Weights are written exactly, so that the score can be recomputed.
	if w := p.text("details.niche[open] table.list tbody tr:first-child td:nth-child(2)"); w != "0,35" {
		p.t.Errorf("the gap factor's weight reads %q, want 0,35", w)
	}
	p.shot("niches")
	auditPage(p.t, p.ctx, "niches with chart")
}

// participant: the metrics in plain Russian, no identifiers of the API,
// stages from 1, products named, countries named.
func (p *projector) participant() {
	p.do("participant", chromedp.Navigate(p.base+"/clusters/"+seeds.DemoCluster+"/participants/alu-riak"), chromedp.WaitVisible(p.css(`tr[data-metric="stage"]`)))
	main := p.text("main")
	for _, raw := range []string{"pagerank", "supplier_rank", "removal_impact", "import_content_total", "import_share_direct", "betweenness", "upstream"} {
		if strings.Contains(main, raw) {
			p.t.Errorf("the participant page shows the identifier %q", raw)
		}
	}
	for _, want := range []string{"Значимость как покупателя", "2 из 3", "Профили алюминиевые экструзионные (24.42.22)", "Китай", "Термовставки полиамидные"} {
		if !strings.Contains(main, want) {
			p.t.Errorf("the participant page lacks %q", want)
		}
	}
	var countries []string
	p.eval(`[...document.querySelectorAll("main table.list")].filter(t => t.querySelector("th") && [...t.querySelectorAll("th")].some(h => h.textContent === "Страна")).flatMap(t => [...t.querySelectorAll("tbody tr td:nth-child(2)")].map(td => td.textContent))`, &countries)
	for _, c := range countries {
		if len(c) == 2 && strings.ToUpper(c) == c {
			p.t.Errorf("a country is shown as its code: %q", c)
		}
	}
	if len(countries) == 0 {
		p.t.Error("no imports with countries on the participant page")
	}
	p.shot("participant")
}

func (p *projector) scenario(sid, tok string) {
	p.do("scenario", chromedp.Navigate(p.base+"/clusters/"+seeds.DemoCluster+"/scenarios/"+sid), chromedp.WaitVisible(p.css(`svg[data-chart="scenario-gaps"]`)))
	var g string
	p.eval(`document.querySelector('svg[data-chart="scenario-gaps"] g[data-item="22.21.10"]').textContent`, &g)
	if !strings.Contains(g, "223,0 млн") || !strings.Contains(g, "23,0 млн") {
		p.t.Errorf("scenario chart, thermal strips: %q", g)
	}
	f := p.measure()
	p.header(f, "scenario")
	if f.TabRows != 1 || f.TabsHidden > 1 {
		p.t.Errorf("scenario: the tabs take %d rows, the last one is %.0f px out of sight", f.TabRows, f.TabsHidden)
	}
	// Base and scenario are one under the other; at 1920×1080 their labels
	// are 14 px or more, at 1280×720 the whole diagram may be shown at
	// slightly less (app.js: FIT_SLACK 0.92), never below 12.8 px.
	if min := map[bool]float64{true: 14, false: 12.8}[p.w >= 1920]; f.MinLabelPx < min {
		p.t.Errorf("scenario diagram labels are %.1f px, want at least %.1f", f.MinLabelPx, min)
	}
	p.scenarioFacts(sid, tok)
	p.shot("scenario")
	auditPage(p.t, p.ctx, "scenario explained")
}

// scenarioFacts compares the scenario page with the API's comparison: a
// group of two bars per niche, one row per replaced import and per
// participant whose import content changed, the planned producer linked to
// each importer by a dotted edge named in the legend, and the scores'
// fixed scale said.
func (p *projector) scenarioFacts(sid, tok string) {
	var api struct {
		Comparison struct {
			Niches []struct {
				BaseScore *float64 `json:"base_score"`
			} `json:"niches"`
			Participants []struct {
				Changed bool `json:"import_content_changed"`
			} `json:"participants"`
			Replacements []struct {
				ImporterID string `json:"importer_id"`
			} `json:"replacements"`
		} `json:"comparison"`
	}
	apiGet(p.t, p.base+"/api/v1/clusters/"+seeds.DemoCluster+"/scenarios/"+sid, tok, &api)
	bars, changed := 0, 0
	for _, n := range api.Comparison.Niches {
		bars += map[bool]int{true: 2, false: 1}[n.BaseScore != nil]
	}
	for _, x := range api.Comparison.Participants {
		if x.Changed {
			changed++
		}
	}
	var m struct {
		Groups, Bars, Replacements, ImportContent, Dotted int
		Scale, Legend, Changes                            string
	}
	p.eval(`({Groups: document.querySelectorAll('svg[data-chart="scenario-gaps"] g.group').length,
	  Bars: document.querySelectorAll('svg[data-chart="scenario-gaps"] rect.bar').length,
	  Replacements: document.querySelectorAll('#replacements tbody tr').length,
	  ImportContent: document.querySelectorAll('#import-content tbody tr').length,
	  Dotted: [...document.querySelectorAll('.side-by-side section:last-child .diagram g.edge path')].filter(e => (e.getAttribute("stroke-dasharray") || "").startsWith("1,")).length,
	  Scale: document.querySelector('#score-scale').textContent,
	  Legend: document.querySelector('.side-by-side section:last-child .diagram svg').textContent,
	  Changes: [...document.querySelectorAll('#import-content td.change')].map(td => td.textContent).join(" ")})`, &m)
	if m.Groups != len(api.Comparison.Niches) || m.Bars != bars {
		p.t.Errorf("scenario chart: %d groups and %d bars, the API has %d niches (%d bars)", m.Groups, m.Bars, len(api.Comparison.Niches), bars)
	}
	if len(api.Comparison.Replacements) < 2 || m.Replacements != len(api.Comparison.Replacements) || m.Dotted != len(api.Comparison.Replacements) {
		p.t.Errorf("replaced imports: %d rows, %d dotted edges; the API has %d", m.Replacements, m.Dotted, len(api.Comparison.Replacements))
	}
	if changed == 0 || m.ImportContent != changed || !strings.Contains(m.Changes, "−") {
		p.t.Errorf("import content: %d rows (%q), the API changes %d", m.ImportContent, m.Changes, changed)
	}
	if !strings.Contains(m.Scale, "1 млн руб.") || !strings.Contains(m.Scale, "1 млрд руб.") {
		p.t.Errorf("the page does not say which scale the scores share: %q", m.Scale)
	}
	if !strings.Contains(m.Legend, "взамен импорта") {
		p.t.Errorf("the scenario diagram's legend lacks the replacement edges: %q", m.Legend)
	}
}

func (p *projector) notFound() {
	p.do("404", chromedp.Navigate(p.base+"/no/such/page"), chromedp.WaitVisible(p.css("h1")))
	if h := p.text("h1"); !strings.Contains(h, "Страница не найдена") {
		p.t.Errorf("404 page: %q", h)
	}
	if m := p.text("main"); strings.Contains(m, "Not Found") || strings.Contains(m, "not found") {
		p.t.Errorf("404 page in English: %q", m)
	}
	p.shot("404")
}

// apiGet decodes a GET of the API into out (tok "" for public routes).
func apiGet(t *testing.T, url, tok string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// apiPost sends a JSON body and fails unless the answer is want.
func apiPost(t *testing.T, url, tok, body string, want int) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %s %s", url, resp.Status, b)
	}
	return b
}

// reportIndicators has the editor accept the statutory indicators of two
// participants for 2021 and 2023 (years before the demo's data, so its
// analysis stays that of 2024); 2022 has none.
func reportIndicators(t *testing.T, base, tok string) {
	t.Helper()
	cl := base + "/api/v1/clusters/" + seeds.DemoCluster
	figures := map[int][2]string{
		2021: {`{"indicators":{"shipped_rub":1500000000,"value_added_rub":300000000,"investment_rub":60000000,"employees":280}}`,
			`{"indicators":{"shipped_rub":900000000,"taxes_rub":70000000,"employees":150}}`},
		2023: {`{"indicators":{"shipped_rub":1750000000,"value_added_rub":380000000,"investment_rub":90000000,"export_rub":40000000,"employees":300}}`,
			`{"indicators":{"shipped_rub":1100000000,"taxes_rub":95000000,"employees":170}}`},
	}
	for _, year := range []int{2021, 2023} {
		var c struct{ ID string }
		if err := json.Unmarshal(apiPost(t, cl+"/campaigns", tok, fmt.Sprintf(`{"year":%d,"deadline":"%d-03-31","title":"Сбор %d"}`, year, year+1, year), http.StatusCreated), &c); err != nil {
			t.Fatal(err)
		}
		for i, pid := range []string{"alu-riak", "alu-zas-rial"} {
			sub := cl + "/campaigns/" + c.ID + "/submissions/" + pid
			apiPost(t, sub+"/submit", tok, figures[year][i], http.StatusOK)
			apiPost(t, sub+"/accept", tok, "", http.StatusOK)
		}
	}
}

// indicators: the indicators over the years as lines, one series per
// indicator with data in the API's history, a point per reported year and
// «нет данных» — never a zero — in the year nobody reported.
func (p *projector) indicators(tok string) {
	p.do("indicators", chromedp.Navigate(p.base+"/clusters/"+seeds.DemoCluster+"/indicators"), chromedp.WaitVisible(p.css(`svg[data-chart="indicators"]`)))
	var api struct {
		History []struct {
			Year   int                 `json:"year"`
			Totals map[string]*float64 `json:"totals"`
		} `json:"history"`
	}
	apiGet(p.t, p.base+"/api/v1/clusters/"+seeds.DemoCluster+"/indicators", tok, &api)
	series, points, missing := map[string]bool{}, 0, 0
	for _, h := range api.History {
		empty := true
		for k, v := range h.Totals {
			if v != nil && k != "employees" {
				series[k] = true
				points++
				empty = false
			}
		}
		if empty {
			missing++
		}
	}
	var m struct {
		Series, Points, NoData2022 int
		Years                      string
	}
	p.eval(`({Series: document.querySelectorAll('svg[data-chart="indicators"] g.series').length,
	  Points: document.querySelectorAll('svg[data-chart="indicators"] circle.point').length,
	  NoData2022: [...document.querySelectorAll('svg[data-chart="indicators"] .nodata[data-year="2022"]')].filter(e => e.textContent === "нет данных").length,
	  Years: document.querySelector('svg[data-chart="indicators"] desc').textContent})`, &m)
	if len(api.History) != 3 || missing != 1 || m.Series != len(series) || m.Points != points || m.NoData2022 != len(series) {
		p.t.Errorf("indicators chart: %+v; the API has %d years, %d series, %d points", m, len(api.History), len(series), points)
	}
	if !strings.Contains(m.Years, "2022: нет данных") || strings.Contains(m.Years, "2022: 0") {
		p.t.Errorf("the chart's description of 2022: %q", m.Years)
	}
	if f := p.measure(); f.TabRows != 1 {
		p.t.Errorf("indicators: the tabs take %d rows", f.TabRows)
	}
	p.shot("indicators")
	auditPage(p.t, p.ctx, "indicators with chart")
}

// report: the print page carries the niches, each saved scenario's gaps,
// the indicators over the years and the rating of the cluster's regions.
func (p *projector) report(tok string) {
	p.do("report", chromedp.Navigate(p.base+"/clusters/"+seeds.DemoCluster+"/report"), chromedp.WaitVisible(p.css("article.report")))
	var rating struct {
		Items []struct {
			Region string `json:"region"`
		}
	}
	apiGet(p.t, p.base+"/api/v1/regions/rating", "", &rating)
	var cl struct {
		Regions []string `json:"regions"`
	}
	apiGet(p.t, p.base+"/api/v1/clusters/"+seeds.DemoCluster, tok, &cl)
	mine := 0
	for _, r := range rating.Items {
		for _, x := range cl.Regions {
			if r.Region == x {
				mine++
			}
		}
	}
	var m struct{ Niches, Scenarios, Indicators, RatingRows int }
	p.eval(`({Niches: document.querySelectorAll('article.report svg[data-chart="niche-gaps"]').length,
	  Scenarios: document.querySelectorAll('article.report svg[data-chart="scenario-gaps"]').length,
	  Indicators: document.querySelectorAll('article.report svg[data-chart="indicators"]').length,
	  RatingRows: document.querySelectorAll('article.report svg[data-chart="rating"] g.row').length})`, &m)
	if m.Niches != 1 || m.Scenarios != 1 || m.Indicators != 1 || mine == 0 || m.RatingRows != mine {
		p.t.Errorf("report charts: %+v; the cluster's regions have %d rating rows", m, mine)
	}
	p.shot("report")
}

// fromJS hides everything of the page before the element, so that a full
// screenshot starts at it (a section of a long page).
const fromJS = `(sel => { const [css, text] = sel.split("|");
  const el = [...document.querySelectorAll(css)].find(e => !text || e.textContent.trim() === text); if (!el) return false;
  for (let n = el; n && n !== document.body; n = n.parentElement)
    for (let s = n.previousElementSibling; s; s = s.previousElementSibling) s.style.display = "none";
  scrollTo(0, 0); return true; })`

// TestPageScreenshots opens, as an administrator at 1280 px, the pages of
// the demo cluster, of NCG (ru-035, the Atlas's data) and of a cluster
// without data (ru-060), and the rating, and writes them whole (17-*.png);
// on each the Russian text carries no raw identifier, no «NaN» and no
// English status word, and the missing figures read «нет данных».
func TestPageScreenshots(t *testing.T) {
	db := seededStore(t)
	ref, err := seeds.Reference()
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Deps{Store: db, Reference: ref, Config: server.Config{RatePerIP: -1, RatePerToken: -1, PageWait: 20 * time.Second}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	admin := token(t, db, "admin", "")
	p := &projector{t: t, base: ts.URL, w: 1280, h: 720, out: artifacts(t)}
	p.ctx = browser(t, 1280, 720, 4*time.Minute)
	p.do("login", chromedp.Navigate(ts.URL+"/login?next=/"), chromedp.WaitVisible(p.css("#token")),
		chromedp.SendKeys(p.css("#token"), admin), chromedp.Click(p.css("form.card button[type=submit]")), chromedp.WaitVisible(p.css("#found")))
	pages := []struct{ name, path, from string }{
		{"demo-compliance", "/clusters/ru-031/compliance", ""},
		{"demo-gaps", "/clusters/ru-031/gaps", ""},
		{"demo-niches", "/clusters/ru-031/niches", ""},
		{"demo-typology", "/clusters/ru-031/typology", ""},
		{"demo-proposal-measures", "/clusters/ru-031/niches/22.21.10/proposal", "main h2|Меры господдержки"},
		{"ncg-compliance", "/clusters/ru-035/compliance", ""},
		{"ncg-niches", "/clusters/ru-035/niches", ""},
		{"ncg-typology", "/clusters/ru-035/typology", ""},
		{"nodata-compliance", "/clusters/ru-060/compliance", ""},
		{"nodata-needs", "/clusters/ru-060", ""},
		{"nodata-niches", "/clusters/ru-060/niches", ""},
		{"nodata-typology", "/clusters/ru-060/typology", ""},
		{"rating", "/", `svg[data-chart="rating"]`},
	}
	for _, pg := range pages {
		p.do(pg.name, chromedp.Navigate(ts.URL+pg.path), chromedp.WaitVisible(p.css("main h1, main h2")))
		main := p.text("main")
		for _, raw := range []string{"NaN", "undefined", "insufficient_data", "not_met", "unknown", "null", "Infinity"} {
			if strings.Contains(main, raw) {
				t.Errorf("%s shows %q", pg.name, raw)
			}
		}
		if pg.name == "demo-proposal-measures" {
			var rows int
			p.eval(`document.querySelectorAll("table.prop-federal tbody tr").length`, &rows)
			if rows == 0 {
				t.Error("the proposal lists no federal measure")
			}
		}
		if pg.from != "" {
			var ok bool
			p.eval(fromJS+"("+strconvQuote(pg.from)+")", &ok)
			if !ok {
				t.Errorf("%s: no %s", pg.name, pg.from)
			}
			if pg.name == "rating" { // from the rating's heading
				p.eval(`(() => { const h = document.querySelector('svg[data-chart="rating"]').closest("figure").previousElementSibling; h.style.display = ""; return true; })()`, &ok)
			}
		}
		full, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
		if pg.from != "" {
			// A section: the page's height is that before the hiding, so
			// the screen is made as tall as what is left (no diagram here
			// sizes itself by the screen).
			var h int
			p.eval(`document.documentElement.scrollHeight`, &h)
			p.do("viewport "+pg.name, chromedp.EmulateViewport(1280, int64(h)))
			full, err = chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
			p.do("viewport back", chromedp.EmulateViewport(1280, 720))
		}
		if err != nil {
			t.Fatalf("screenshot %s: %v", pg.name, err)
		}
		os.WriteFile(filepath.Join(p.out, "17-"+pg.name+".png"), full, 0o644)
	}
	// The EAEU check names the member states and counts years in Russian.
	p.do("eaeu", chromedp.Navigate(ts.URL+"/eaeu?check=1&country1=RU&country2=KZ&country3=BY&type=production&production_cost=2000&cooperation=120&duration=4&loan=1000&loan_rate=20&key_rate=16&lender=yes"),
		chromedp.WaitVisible(p.css("#result")))
	if r := p.text("#result"); !strings.Contains(r, "Беларусь, Казахстан, Россия") || !strings.Contains(r, "4 года") || strings.Contains(r, "BY") || strings.Contains(r, "KZ") {
		t.Errorf("EAEU result: %q", r)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
