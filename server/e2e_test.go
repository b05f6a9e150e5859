package server_test

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// axe-core 4.14.1 (MPL-2.0, from the npm registry; testdata/axe-LICENSE.txt)
// checks each page's accessibility basics.
//
//go:embed testdata/axe.min.js
var axeSource string

func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := exec.LookPath(p); err == nil {
				return p
			}
		}
	}
	if os.Getenv("COOPCHAIN_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium, and COOPCHAIN_REQUIRE_BROWSER is set: install Debian's chromium package")
	}
	t.Skip("no chromium: install Debian's chromium package (.ci/run does) to run the browser tests")
	return ""
}

// artifacts is where screenshots go: $COOPCHAIN_ARTIFACTS, else a temp folder.
func artifacts(t *testing.T) string {
	dir := os.Getenv("COOPCHAIN_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "coopchain-e2e")
	}
	os.MkdirAll(dir, 0o755)
	return dir
}

type axeResult struct {
	Violations []struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// seededStore opens a new SQLite database holding the built-in dataset.
func seededStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "ui.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	seed, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadSeed(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	return db
}

// browser starts headless Chromium with a window of w×h pixels and returns
// a context for its first tab whose steps must end within limit. Browser
// tests skip in -short mode and without Chromium.
func browser(t *testing.T, w, h int, limit time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(w, h), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// Start the browser on the context without a timeout, then bound the steps.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancel(); cancelTab(); cancelAlloc() })
	return ctx
}

// webServer serves db with the built-in reference data and no rate limits
// for a browser test (cfg's limits are overridden), closed at the end.
func webServer(t *testing.T, db *sqlstore.DB, cfg server.Config) *httptest.Server {
	t.Helper()
	ref, err := seeds.Reference()
	if err != nil {
		t.Fatal(err)
	}
	cfg.RatePerIP, cfg.RatePerToken = -1, -1
	ts := httptest.NewServer(server.New(server.Deps{Store: db, Reference: ref, Config: cfg}))
	t.Cleanup(ts.Close)
	return ts
}

// signIn signs in through the login form with token, going on to next,
// and waits until wait (a CSS selector) is visible there.
func signIn(ctx context.Context, base, token, next, wait string) error {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	return chromedp.Do(ctx, chromedp.Navigate(base+"/login?next="+next), chromedp.WaitVisible(css("#token")), chromedp.SendKeys(css("#token"), token),
		chromedp.Click(css("form.card button[type=submit]")), chromedp.WaitVisible(css(wait)))
}

// saveScreenshot writes the viewport as name-WxH.png into the artifacts
// folder and, with full, the whole page as name-WxH-full.png.
func saveScreenshot(t *testing.T, ctx context.Context, name string, w, h int, full bool) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	os.WriteFile(filepath.Join(artifacts(t), fmt.Sprintf("%s-%dx%d.png", name, w, h)), buf, 0o644)
	if full {
		if page, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil { // 100: PNG
			os.WriteFile(filepath.Join(artifacts(t), fmt.Sprintf("%s-%dx%d-full.png", name, w, h)), page, 0o644)
		}
	}
}

// auditPage runs axe-core's WCAG 2 A/AA rules on the current page and
// reports every violation.
func auditPage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe %s: %v", name, err)
	}
	for _, v := range res.Violations {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				break
			}
			where = append(where, fmt.Sprint(n.Target...))
		}
		t.Errorf("%s: accessibility: %s — %s (%d nodes: %s)", name, v.ID, v.Help, len(v.Nodes), strings.Join(where, "; "))
	}
}

// TestWebUI walks a planning session in headless Chromium: registry, sign
// in, the demo cluster with its diagram, a niche, a scenario that closes the
// gap, the report — checking each page with axe and saving screenshots.
func TestWebUI(t *testing.T) {
	ctx := browser(t, 1920, 1080, 3*time.Minute)
	db := seededStore(t)
	srv := server.New(server.Deps{Store: db, Config: server.Config{RatePerIP: -1, RatePerToken: -1, PageWait: 20 * time.Second}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	_, editor, err := server.NewToken(context.Background(), db, "editor", seeds.DemoCluster, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	out := artifacts(t)
	t.Logf("screenshots in %s", out)

	do := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	attr := func(sel, name string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
		if err != nil {
			t.Fatalf("%s[%s]: %v", sel, name, err)
		}
		return v.Value
	}
	shot := func(name string) {
		t.Helper()
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
		// The whole page too, for looking at everything below the fold.
		if full, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
			os.WriteFile(filepath.Join(out, name+"-full.jpg"), full, 0o644)
		}
	}
	audit := func(name string) {
		t.Helper()
		auditPage(t, ctx, name)
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// The registry is the landing page, in Russian.
	do("registry", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(css("#found")))
	if n := text("#found"); n != "104" {
		t.Errorf("registry lists %s clusters", n)
	}
	if l := attr("html", "lang"); l != "ru" {
		t.Errorf("lang = %q", l)
	}
	shot("01-registry")
	audit("registry")

	// Sign in and land on the demo cluster.
	do("login", chromedp.Navigate(ts.URL+"/login?next=/clusters/"+seeds.DemoCluster), chromedp.WaitVisible(css("#token")))
	audit("login")
	do("sign in", chromedp.SendKeys(css("#token"), editor), chromedp.Click(css("form.card button[type=submit]")), chromedp.WaitVisible(css(".tabs")))
	if os.Getenv("E2E_DEBUG") != "" {
		shot("debug-after-login")
		h, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
		t.Logf("after login: %.2000s", h)
	}
	do("diagram", chromedp.WaitVisible(css(".diagram svg")))
	if h := text("h1"); h != "Алюминиевый кластер" {
		t.Errorf("cluster page h1 = %q", h)
	}
	nodes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".diagram svg g.node").length`))
	if err != nil || nodes != 15 {
		t.Errorf("the diagram shows %d participants, want 15 (%v)", nodes, err)
	}
	shot("02-cluster")
	audit("cluster")

	// Zoom with the keyboard changes the view box.
	before := attr(".diagram svg", "viewBox")
	do("zoom", chromedp.Focus(css(".diagram")), chromedp.KeyEvent("+"))
	if after := attr(".diagram svg", "viewBox"); before == after {
		t.Errorf("keyboard zoom did nothing (%s)", before)
	}

	// The niches: the top one is open with its factors.
	do("niches", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/niches"), chromedp.WaitVisible(css("details.niche[open] table")))
	if top := text("details.niche[open] summary"); !strings.Contains(top, "Термовставки") || !strings.Contains(top, "223") {
		t.Errorf("top niche: %q", top)
	}
	shot("03-niches")
	audit("niches")

	// The other tabs of the cluster.
	for _, tab := range []struct{ path, sel string }{{"gaps", "main table"}, {"matches", "main table"}, {"compliance", "main table"}} {
		do(tab.path, chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/"+tab.path), chromedp.WaitVisible(css(tab.sel)))
		shot("03-" + tab.path)
		audit(tab.path)
	}

	// A participant page.
	do("participant", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/participants/alu-riak"), chromedp.WaitVisible(css("h2")))
	shot("04-participant")
	audit("participant")

	// A scenario: a planned producer of thermal strips with 200 mln capacity.
	do("scenario form", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/scenarios"), chromedp.WaitVisible(css("#scenario-form")))
	audit("scenarios")
	do("scenario", chromedp.SendKeys(css("#s-name"), "Завод термовставок"), chromedp.SendKeys(css("#s-pid"), "alu-strips"),
		chromedp.SendKeys(css("#s-pname"), "Новый завод термовставок"), chromedp.SetValue(css("#s-cowner"), "_new"),
		chromedp.SendKeys(css("#s-cproduct"), "22.21.10"), chromedp.SendKeys(css("#s-cvalue"), "200000000"),
		chromedp.Click(css("#scenario-form button[type=submit]")), chromedp.WaitVisible(css("#niche-compare")))
	if row := text(`#niche-compare tr[data-product="22.21.10"]`); !strings.Contains(row, "223,0 млн") || !strings.Contains(row, "23,0 млн") {
		t.Errorf("the niche did not shrink from 223 to 23 mln: %q", row)
	}
	shot("05-scenario")
	audit("scenario")
	// The saved scenarios are compared with each other on the scenarios page.
	do("scenario list", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/scenarios"), chromedp.WaitVisible(css("#scenario-compare")))
	// Issue #17: gaps are measured against spare capacity and the demo's capacities cover
	// their shipments, so the demo's total gap is 523 mln and the scenario's 323 (was 229).
	if row := text("#scenario-compare tbody"); !strings.Contains(row, "Завод термовставок") || !strings.Contains(row, "323,0 млн") {
		t.Errorf("scenario comparison: %q", row)
	}
	shot("05-scenarios")

	// The report: printable HTML, PDF and XLSX.
	do("report", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/report"), chromedp.WaitVisible(css("article.report")))
	if r := text("article.report"); !strings.Contains(r, "Завод термовставок") || !strings.Contains(r, "Термовставки") {
		t.Errorf("report lacks the scenario or niches")
	}
	shot("06-report")
	audit("report")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("print to PDF: %d bytes, %v", len(pdf), err)
	}
	os.WriteFile(filepath.Join(out, "06-report.pdf"), pdf, 0o644)
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/clusters/"+seeds.DemoCluster+"/report.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+editor)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatalf("report.xlsx: %v", err)
	}
	if sheets := strings.Join(x.GetSheetList(), ","); !strings.Contains(sheets, "Ниши") || !strings.Contains(sheets, "Сценарии") {
		t.Errorf("report.xlsx sheets: %s", sheets)
	}

	// English.
	do("english", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"?lang=en"), chromedp.WaitVisible(css(".tabs")))
	if tabs := text(".tabs"); !strings.Contains(tabs, "Investment niches") {
		t.Errorf("English tabs: %q", tabs)
	}
	shot("07-cluster-en")
	audit("cluster-en")

	// A visitor without a token sees no cluster data.
	do("logout", chromedp.Click(css("header form button")), chromedp.WaitVisible(css("#found")))
	do("anonymous", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster), chromedp.WaitVisible(css("h1")))
	if html, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main"))); strings.Contains(html, "<svg") || strings.Contains(html, "РИАК") {
		t.Error("an anonymous visitor sees cluster data")
	}
	audit("cluster-public")
	do("not found", chromedp.Navigate(ts.URL+"/clusters/no-such-cluster"), chromedp.WaitVisible(css("h1")))
	audit("error")
}

// TestWebUIBackgroundJob opens a cluster whose analysis takes longer than
// the page waits: the page shows the job's progress, then reloads itself
// into the cluster page when the analysis is done.
func TestWebUIBackgroundJob(t *testing.T) {
	ctx := browser(t, 1366, 768, 2*time.Minute)
	ctx0 := context.Background()
	db, err := sqlstore.Open(ctx0, filepath.Join(t.TempDir(), "big.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A generated network of 6,000 firms: its analysis takes about a second.
	const n = 6000
	src, dst, w := kernel.Generate(n, 24000, 7)
	ds := &gm.Dataset{Clusters: []gm.Cluster{{ID: "big", Name: "Сгенерированная сеть", Kind: "industrial"}}}
	for i := 0; i < n; i++ {
		ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("f%d", i), Name: fmt.Sprintf("Фирма %d", i), Kind: gm.KindEnterprise})
	}
	seen := map[[2]int32]bool{}
	for i := range src {
		if seen[[2]int32{src[i], dst[i]}] {
			continue
		}
		seen[[2]int32{src[i], dst[i]}] = true
		v := w[i] * 1e5
		ds.Links = append(ds.Links, gm.SupplyLink{SupplierID: fmt.Sprintf("f%d", src[i]), BuyerID: fmt.Sprintf("f%d", dst[i]), Year: 2024, ValueRUB: &v})
	}
	if _, err := db.Import(ctx0, "big", ds, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Deps{Store: db, Config: server.Config{RatePerIP: -1, RatePerToken: -1, PageWait: time.Millisecond}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	_, viewer, err := server.NewToken(ctx0, db, "viewer", "big", "e2e")
	if err != nil {
		t.Fatal(err)
	}
	// Signing in leads to the token's cluster, whose analysis starts then.
	err = chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), viewer), chromedp.Click(chromedp.CSS("form.card button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#job-progress")))
	if err != nil {
		t.Fatalf("sign in and see the progress page: %v", err)
	}
	if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		os.WriteFile(filepath.Join(artifacts(t), "08-job.png"), shot, 0o644)
	}
	auditPage(t, ctx, "job")
	// The page reloads itself into the cluster page when the job is done.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("dl.figures"))); err != nil {
		t.Fatalf("the job page did not turn into the cluster page: %v", err)
	}
	fig, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("dl.figures")))
	if err != nil || !strings.Contains(fig, "6") {
		t.Errorf("figures after the job: %q %v", fig, err)
	}
}
