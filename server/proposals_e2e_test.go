package server_test

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
)

// TestProposalPagesInBrowser opens the support measures, the EAEU check,
// the Eurasian registry and the printable investment proposal (as an
// investor, then as a member) in headless Chromium: axe on each page,
// screenshots and the proposal printed to PDF in the artifacts folder.
func TestProposalPagesInBrowser(t *testing.T) {
	ctx := browser(t, 1240, 1754, 3*time.Minute)
	db := seededStore(t)
	ref, err := seeds.Reference()
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Deps{Store: db, Reference: ref, Config: server.Config{RatePerIP: -1, RatePerToken: -1, PageWait: 20 * time.Second}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	investor := token(t, db, "investor", "")
	editor := token(t, db, "editor", seeds.DemoCluster)
	out := artifacts(t)
	t.Logf("screenshots in %s", out)

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	shot := func(name string) {
		t.Helper()
		if full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil { // 100: PNG
			os.WriteFile(filepath.Join(out, name+".png"), full, 0o644)
		}
	}
	signIn := func(tok string) {
		t.Helper()
		do("login", chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(css("#token")))
		do("sign in", chromedp.SendKeys(css("#token"), tok), chromedp.Click(css("form.card button[type=submit]")), chromedp.WaitVisible(css("header form button")))
	}

	do("measures", chromedp.Navigate(ts.URL+"/support-measures?region="+url.QueryEscape("Омская область")), chromedp.WaitVisible(css("#found")))
	if n := text("#found"); n != "8" {
		t.Errorf("Omsk measures: %s", n)
	}
	shot("11-measures")
	auditPage(t, ctx, "measures")

	do("eaeu", chromedp.Navigate(ts.URL+"/eaeu?check=1&country1=RU&country2=KZ&country3=BY&type=production&production_cost=2000&cooperation=120&duration=4&loan=1000&loan_rate=20&key_rate=16&lender=yes"),
		chromedp.WaitVisible(css("#result")))
	if r := text("#result h2"); !strings.Contains(r, "соответствует условиям") || strings.Contains(r, "не соответствует") {
		t.Errorf("EAEU result: %q", r)
	}
	shot("12-eaeu")
	auditPage(t, ctx, "eaeu")

	do("eurasia", chromedp.Navigate(ts.URL+"/eurasia"), chromedp.WaitVisible(css("#lq")))
	shot("13-eurasia")
	auditPage(t, ctx, "eurasia")

	// An investor: aggregated demand, no company.
	const proposal = "/clusters/" + seeds.DemoCluster + "/niches/22.21.10/proposal"
	signIn(investor)
	do("proposal", chromedp.Navigate(ts.URL+proposal), chromedp.WaitVisible(css("article.proposal")))
	if a := text("article.proposal"); !strings.Contains(a, "223,0 млн") || strings.Contains(a, "РИАК") || strings.Contains(a, "Ревалюкс") {
		t.Errorf("investor's proposal: %.500s", a)
	}
	shot("14-proposal-investor")
	auditPage(t, ctx, "proposal-investor")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("print to PDF: %d bytes, %v", len(pdf), err)
	}
	os.WriteFile(filepath.Join(out, "14-proposal.pdf"), pdf, 0o644)
	do("sign out", chromedp.Click(css("header form button")), chromedp.WaitVisible(css("#found")))

	// A member reaches it from the niches page and sees the importers.
	signIn(editor)
	do("niches", chromedp.Navigate(ts.URL+"/clusters/"+seeds.DemoCluster+"/niches"), chromedp.WaitVisible(css("details.niche[open] a.button")),
		chromedp.Click(css("details.niche[open] a.button")), chromedp.WaitVisible(css("article.proposal")))
	if a := text("article.proposal"); !strings.Contains(a, "ООО «РИАК»") || !strings.Contains(a, "Рабочий кластер") && !strings.Contains(a, "рабочий кластер") {
		t.Errorf("member's proposal: %.500s", a)
	}
	shot("15-proposal-member")
	auditPage(t, ctx, "proposal-member")
	do("english", chromedp.Navigate(ts.URL+proposal+"?lang=en"), chromedp.WaitVisible(css("article.proposal")))
	if h := text(".prop-kicker"); h != "Investment proposal" && h != "INVESTMENT PROPOSAL" {
		t.Errorf("English proposal: %q", h)
	}
	shot("16-proposal-en")
}
