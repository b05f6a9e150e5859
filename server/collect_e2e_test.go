package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
)

// tab drives one browser tab (a separate browser context: its own cookies)
// for one person of the scenario.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	out  string
}

func (b *tab) do(name string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		b.t.Fatalf("%s: %v\n%.3000s", name, err, html)
	}
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func (b *tab) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

func (b *tab) shot(name string, full bool) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if full {
		buf, err = chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	}
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.out, name+".png"), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// fill sets the values of inputs and selects by id.
func (b *tab) fill(name string, values [][2]string) {
	b.t.Helper()
	for _, kv := range values {
		b.do(name+": "+kv[0], chromedp.SetValue(chromedp.CSS("#"+kv[0]), kv[1]))
	}
}

// newTab opens a tab in a browser context of its own.
func newTab(t *testing.T, parent context.Context, base, out string) *tab {
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return &tab{t: t, ctx: ctx, base: base, out: out}
}

// getFile downloads a file with a token.
func getFile(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}

// TestCollectionInBrowser is the yearly cycle in Chromium on the demo
// cluster: the editor opens the 2025 campaign and invites three
// participants; two fill in the web form, one uploads its workbook; a pair
// disagrees and shows in the reconciliation; the editor returns a
// submission, it is corrected and every one is accepted; the indicators
// page, the niches and the indicators workbook show the new data.
func TestCollectionInBrowser(t *testing.T) {
	ctx := browser(t, 1280, 720, 5*time.Minute)
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
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	cluster := ts.URL + "/clusters/" + seeds.DemoCluster

	// The editor signs in and opens the 2025 campaign.
	ed := &tab{t: t, ctx: ctx, base: ts.URL, out: out}
	ed.do("login", chromedp.Navigate(ts.URL+"/login?next=/clusters/"+seeds.DemoCluster+"/campaigns"), chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), editor), chromedp.Click(css("form.card button[type=submit]")), chromedp.WaitVisible(css("#campaign-form")))
	ed.fill("campaign form", [][2]string{{"c-year", "2025"}, {"c-deadline", "2026-03-31"}, {"c-title", "Ежегодный сбор 2025"}})
	ed.do("open campaign", chromedp.Click(css("#campaign-form button[type=submit]")), chromedp.WaitVisible(css("#participants")))
	dashboard, _ := chromedp.Run(ctx, chromedp.Location())
	auditPage(t, ctx, "dashboard")

	// Three invitations; each link and token is shown once.
	invites := map[string]string{}
	tokens := map[string]string{}
	for _, pid := range []string{"alu-riak", "alu-zas-rial", "alu-revaluks"} {
		ed.do("invite "+pid, chromedp.Navigate(dashboard), chromedp.WaitVisible(css("#participants")),
			chromedp.Click(css(`tr[data-pid="`+pid+`"] form button`)), chromedp.WaitVisible(css("#invite")))
		invites[pid], tokens[pid] = ed.value("#inv-url"), ed.value("#inv-token")
		if pid == "alu-riak" {
			ed.do("invitation", chromedp.ScrollIntoView(css("#invite")))
			ed.shot("15-invitation", false)
		}
		if !strings.Contains(invites[pid], "/login?invite=") || !strings.HasPrefix(tokens[pid], "cc_") {
			t.Fatalf("invitation of %s: %q %q", pid, invites[pid], tokens[pid])
		}
	}
	auditPage(t, ctx, "dashboard with an invitation")

	riak := collectRiak(t, ctx, ts.URL, out, invites["alu-riak"])
	collectZasRial(t, ctx, ts.URL, out, invites["alu-zas-rial"])
	collectRevaluksWorkbook(t, ctx, ts.URL, out, invites["alu-revaluks"], tokens["alu-revaluks"])

	// The dashboard: three submitted, one pair disagrees.
	ed.do("dashboard", chromedp.Navigate(dashboard), chromedp.WaitVisible(css("#reconciliation")))
	if row := ed.text("#reconciliation tbody"); !strings.Contains(row, "ЗАС РИАЛ") || !strings.Contains(row, "РИАК") || !strings.Contains(row, "100,0 млн") ||
		!strings.Contains(row, "Слитки алюминиевые цилиндрические (24.42.11)") {
		t.Errorf("reconciliation (suppliers, buyers, the product by name, the difference): %q", row)
	}
	// РИАК's line flags the disagreement, naming the other side and the product.
	if f := ed.text(`tr[data-pid="alu-riak"]`); !strings.Contains(f, "ЗАС РИАЛ» указывает другую сумму по позиции «Слитки алюминиевые цилиндрические (24.42.11)»") {
		t.Errorf("riak's flags: %q", f)
	}
	if n := ed.text("#counts"); !strings.Contains(n, "3") {
		t.Errorf("counts: %q", n)
	}
	ed.shot("15-dashboard", true)
	ed.do("wide", chromedp.EmulateViewport(1920, 1080), chromedp.ScrollIntoView(css("#reconciliation")))
	ed.shot("15-reconciliation-1920", false)
	ed.do("projector", chromedp.EmulateViewport(1280, 720), chromedp.ScrollIntoView(css("#reconciliation")))
	ed.shot("15-reconciliation-1280", false)

	// The editor returns РИАК's submission; РИАК corrects and sends it again.
	ed.do("riak's submission", chromedp.Click(css(`tr[data-pid="alu-riak"] a`)), chromedp.WaitVisible(css("#review")))
	ed.fill("comment", [][2]string{{"comment", "Закупка слитков у ЗАС РИАЛ расходится с данными поставщика (900 млн). Сверьте по договору."}})
	ed.do("return", chromedp.Click(css("#return")), chromedp.WaitVisible(css(".statusbox.returned")))
	riak.do("reload", chromedp.Navigate(ts.URL+"/my"), chromedp.WaitVisible(css(".comment")))
	if c := riak.text(".comment"); !strings.Contains(c, "Сверьте по договору") {
		t.Errorf("the participant does not see the comment: %q", c)
	}
	riak.fill("correct", [][2]string{{"f-purchases-0-value_rub", "905 000 000"}})
	riak.do("submit again", chromedp.Click(css("#submit")), chromedp.WaitVisible(css(".statusbox.submitted")))

	// Accept all three.
	for _, pid := range []string{"alu-riak", "alu-zas-rial", "alu-revaluks"} {
		ed.do("accept "+pid, chromedp.Navigate(dashboard+"/submissions/"+pid), chromedp.WaitVisible(css("#accept")), chromedp.Click(css("#accept")),
			chromedp.WaitVisible(css("#provenance")))
	}
	ed.do("dashboard after", chromedp.Navigate(dashboard), chromedp.WaitVisible(css("#reconciliation-none")))

	checkResults(t, ed, cluster, editor)
	checkParticipantFenced(t, riak, cluster)
	checkClosing(t, ed, riak, dashboard)
}

// checkClosing: the editor closes the collection — the dashboard says so and
// offers no invitations; РИАК's form is read only and says why; reopening
// brings the invitations back.
func checkClosing(t *testing.T, ed, riak *tab, dashboard string) {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	ed.do("open dashboard", chromedp.Navigate(dashboard), chromedp.WaitVisible(css("#close-campaign")))
	ed.shot("15-open", false)
	ed.do("close", chromedp.Click(css("#close-campaign")),
		chromedp.WaitVisible(css("#closed-note")))
	if st := ed.text("#camp-status"); st != "закрыт" {
		t.Errorf("status after closing: %q", st)
	}
	if n := ed.text("#participants"); strings.Contains(n, "Пригласить") {
		t.Errorf("invitations offered in a closed campaign: %.200q", n)
	}
	auditPage(t, ed.ctx, "closed campaign")
	ed.shot("15-closed", false)
	ed.do("wide", chromedp.EmulateViewport(1920, 1080))
	ed.shot("15-closed-1920", false)
	ed.do("projector", chromedp.EmulateViewport(1280, 720))
	riak.do("closed form", chromedp.Navigate(riak.base+"/my"), chromedp.WaitVisible(css("#closed-note")))
	riak.shot("15-form-closed", false)
	if w := riak.text("#warnings"); strings.Contains(w, "отправить можно") {
		t.Errorf("a closed form still says it can be sent: %q", w)
	}
	disabled, err := chromedp.Run(riak.ctx, chromedp.Evaluate[bool](`document.querySelector("#sec-indicators").disabled && !document.querySelector("#submit")`))
	if err != nil || !disabled {
		t.Errorf("the form of a closed campaign can still be edited or submitted")
	}
	ed.do("reopen", chromedp.Click(css("#reopen-campaign")), chromedp.WaitVisible(css("#close-campaign")))
	if n := ed.text("#participants"); !strings.Contains(n, "Пригласить") {
		t.Errorf("no invitations after reopening: %.200q", n)
	}
}

// collectRiak: РИАК signs in with its link, tries a figure in millions
// (refused beside the field, nothing stored), then fills in the form — its
// purchase from ЗАС РИАЛ disagrees with the supplier's sale — and submits.
func collectRiak(t *testing.T, parent context.Context, base, out, link string) *tab {
	b := newTab(t, parent, base, out)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	b.do("invite link", chromedp.Navigate(link), chromedp.WaitVisible(css("#invite-form")))
	auditPage(t, b.ctx, "invitation")
	b.do("open the form", chromedp.Click(css("#invite-form button")), chromedp.WaitVisible(css("#sub-form")))
	if !strings.Contains(b.text("#prefilled"), "2024") || b.value("#f-purchases-0-supplier_id") != "alu-zas-rial" {
		t.Errorf("the form is not prefilled from 2024")
	}
	b.shot("15-form-new", false)
	auditPage(t, b.ctx, "form")
	// The phone: the same form at 390×844, its top and its rows.
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(css("#sub-form")))
	b.shot("15-form-phone", false)
	b.do("phone rows", chromedp.ScrollIntoView(css("#sec-purchases")))
	b.shot("15-form-phone-rows", false)
	auditPage(t, b.ctx, "form on a phone")
	b.do("desktop", chromedp.EmulateViewport(1280, 720))
	// Product codes are found by name; rows are added.
	b.do("search a product", chromedp.SendKeys(css("#f-imports-3-product_code"), "ручки"),
		chromedp.WaitReady(css(`#products option[value="25.72.14"]`)))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("f-imports-3-product_code").value = ""`)); err != nil {
		t.Fatal(err)
	}
	rows := func() int {
		n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('.rows[data-section="imports"] .row').length`))
		return n
	}
	before := rows()
	b.do("add a row", chromedp.Click(css(`button[data-add="imports"]`)), chromedp.WaitReady(css("#f-imports-"+strconv.Itoa(before)+"-product_code")))
	if rows() != before+1 {
		t.Errorf("add a row: %d rows, want %d", rows(), before+1)
	}
	// The same link does not sign in twice.
	other := newTab(t, parent, base, out)
	other.do("link again", chromedp.Navigate(link), chromedp.WaitVisible(css("#invite-form")), chromedp.Click(css("#invite-form button")), chromedp.WaitVisible(css("#invite-failed")))

	// A hurried accountant: a figure in millions and a pasted range.
	b.fill("hurried", [][2]string{{"f-indicators-shipped_rub", "12,5 млн"}, {"f-indicators-taxes_rub", "100\t200"}})
	b.do("save hurried", chromedp.Click(css("#save")), chromedp.WaitVisible(css("#errors")), chromedp.ScrollIntoView(css("#errors")))
	if e := b.text("#f-indicators-shipped_rub-msg"); !strings.Contains(e, "12 500 000") {
		t.Errorf("the message beside the field: %q", e)
	}
	if e := b.text("#f-indicators-taxes_rub-msg"); !strings.Contains(e, "несколько ячеек") {
		t.Errorf("pasted range: %q", e)
	}
	b.shot("15-form-errors", false)

	b.fill("indicators", [][2]string{{"f-indicators-shipped_rub", "1 850 000 000"}, {"f-indicators-shipped_to_participants_rub", "1 100 000 000"},
		{"f-indicators-value_added_rub", "420 000 000"}, {"f-indicators-materials_rub", "1 300 000 000"},
		{"f-indicators-investment_rub", "95 000 000"}, {"f-indicators-taxes_rub", "160 500 000,50"}, {"f-indicators-export_rub", "0"}, {"f-indicators-employees", "310"},
		{"f-purchases-0-value_rub", "1 000 000 000"}, {"f-imports-0-value_rub", "150 000 000"},
		{"f-problems-0-category", "import_dependence"}, {"f-problems-0-text", "Термовставки нужного качества в России не производят"},
		{"f-problems-0-support_needed", "Субсидия на стартовую партию отечественного производителя"}})
	b.do("scroll to the figures", chromedp.ScrollIntoView(css("#sec-indicators")))
	b.shot("15-form", false)
	b.do("scroll to the purchases", chromedp.ScrollIntoView(css("#sec-purchases")))
	b.shot("15-form-rows", false)
	b.do("submit", chromedp.Click(css("#submit")), chromedp.WaitVisible(css(".statusbox.submitted")))
	if s := b.text("#status"); !strings.Contains(s, "отправлена") {
		errs, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(css("#errors")))
		t.Fatalf("status after submit: %q; %s", s, errs)
	}
	return b
}

// collectZasRial: ЗАС РИАЛ fills in the web form (its sales are
// prefilled) and submits.
func collectZasRial(t *testing.T, parent context.Context, base, out, link string) {
	b := newTab(t, parent, base, out)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	b.do("invite link", chromedp.Navigate(link), chromedp.Click(css("#invite-form button")), chromedp.WaitVisible(css("#sub-form")))
	if b.value("#f-sales-0-buyer_id") == "" {
		t.Errorf("sales not prefilled")
	}
	b.fill("indicators", [][2]string{{"f-indicators-shipped_rub", "1 650 000 000"}, {"f-indicators-shipped_to_participants_rub", "1 550 000 000"},
		{"f-indicators-value_added_rub", "300000000"}, {"f-indicators-materials_rub", "1 200 000 000"}, {"f-indicators-investment_rub", "40 000 000"},
		{"f-indicators-taxes_rub", "120 000 000"}, {"f-indicators-export_rub", "50 000 000"}, {"f-indicators-employees", "240"}})
	b.do("submit", chromedp.Click(css("#submit")), chromedp.WaitVisible(css(".statusbox.submitted")))
}

// collectRevaluksWorkbook: Ревалюкс downloads its prefilled workbook,
// fills it in "Excel" and uploads it on its form, then submits.
func collectRevaluksWorkbook(t *testing.T, parent context.Context, base, out, link, token string) {
	b := newTab(t, parent, base, out)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	b.do("invite link", chromedp.Navigate(link), chromedp.Click(css("#invite-form button")), chromedp.WaitVisible(css("#wb-download")))
	href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(css("#wb-download"), "href"))
	if err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(strings.NewReader(string(getFile(t, base+href.Value, token))))
	if err != nil {
		t.Fatalf("the submission workbook: %v", err)
	}
	for key, v := range map[int]float64{2: 720e6, 3: 60e6, 5: 150e6, 6: 560e6, 7: 30e6, 8: 52e6, 10: 185} {
		wb.SetCellFloat("Показатели", "D"+strconv.Itoa(key), v, -1, 64)
	}
	rows, _ := wb.GetRows("Импорт")
	for i, r := range rows {
		if len(r) > 0 && r[0] == "22.21.10" {
			wb.SetCellFloat("Импорт", "C"+strconv.Itoa(i+1), 60e6, -1, 64)
		}
	}
	path := filepath.Join(t.TempDir(), "revaluks.xlsx")
	if err := wb.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	b.do("upload", chromedp.SetUploadFiles(css("#wb-file"), []string{path}), chromedp.Click(css("#wb-send")), chromedp.WaitVisible(css(".statusbox.draft")))
	if n := b.text("#notice"); !strings.Contains(n, "загружена") {
		t.Errorf("upload notice: %q", n)
	}
	if v := b.value("#f-indicators-shipped_rub"); v != "720 000 000" {
		t.Errorf("the workbook's figure in the form: %q", v)
	}
	b.do("submit", chromedp.Click(css("#submit")), chromedp.WaitVisible(css(".statusbox.submitted")))
}

// checkResults: the indicators page and workbook, and the niches of 2025.
func checkResults(t *testing.T, ed *tab, cluster, editor string) {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	ed.do("indicators", chromedp.Navigate(cluster+"/indicators?year=2025"), chromedp.WaitVisible(css("#indicators")))
	if r := ed.text("#reported"); !strings.Contains(r, "3") {
		t.Errorf("participants reported: %q", r)
	}
	// Shipped: 1 850 + 1 650 + 720 mln = 4,22 bn; SME shipped: nobody.
	if tb := ed.text("#indicators tbody"); !strings.Contains(tb, "4,22 млрд") || !strings.Contains(tb, "нет данных") || !strings.Contains(tb, "735") {
		t.Errorf("indicators: %q", tb)
	}
	ed.shot("15-indicators", true)
	auditPage(t, ed.ctx, "indicators")
	x, err := excelize.OpenReader(strings.NewReader(string(getFile(t, cluster[:strings.Index(cluster, "/clusters")]+"/api/v1/clusters/"+seeds.DemoCluster+"/indicators.xlsx?year=2025", editor))))
	if err != nil {
		t.Fatalf("indicators.xlsx: %v", err)
	}
	if v, _ := x.GetCellValue("Показатели", "C5", excelize.Options{RawCellValue: true}); v != "4220" {
		t.Errorf("indicators.xlsx shipped 2025 (mln): %q", v)
	}
	if v, _ := x.GetCellValue("Показатели", "D5"); v != "нет данных" {
		t.Errorf("indicators.xlsx shipped 2024: %q", v)
	}
	// The niches now come from 2025: thermal strips imported 150 + 60 mln.
	ed.do("niches", chromedp.Navigate(cluster+"/niches"), chromedp.WaitVisible(css("details.niche")))
	all, _ := chromedp.Run(ed.ctx, chromedp.OuterHTML(css("main")))
	if !strings.Contains(all, "Термовставки") || !strings.Contains(all, "210,0 млн") {
		t.Errorf("niches of 2025: %.3000s", all)
	}
	ed.do("problems", chromedp.Navigate(cluster+"/problems"), chromedp.WaitVisible(css("#problems")))
	if p := ed.text("#problems"); !strings.Contains(p, "Термовставки") || !strings.Contains(p, "стартов") {
		t.Errorf("problems register: %q", p)
	}
	auditPage(t, ed.ctx, "problems")
}

// checkParticipantFenced: the participant's session opens its form and
// nothing else of the cluster.
func checkParticipantFenced(t *testing.T, b *tab, cluster string) {
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	for _, p := range []string{cluster, cluster + "/gaps", cluster + "/indicators", cluster + "/participants/alu-zas-rial", b.base + "/"} {
		b.do("fenced "+p, chromedp.Navigate(p), chromedp.WaitVisible(css("h1")))
		if h := b.text("main"); !strings.Contains(h, "недоступна") || strings.Contains(h, "ЗАС РИАЛ") {
			t.Errorf("%s as a participant: %.300s", p, h)
		}
	}
}
