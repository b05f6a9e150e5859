package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// nationalStore is the built-in dataset with figures of 2024 and 2025
// accepted in every third registered cluster (except the demo cluster):
// 2 to 6 reporting participants each, so that some clusters are
// suppressed, and imports of three products in several clusters (national
// niches).
func nationalStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	db := seededStore(t)
	ctx := gm.WithWriter(context.Background(), gm.AdminWriter)
	seed, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, c := range seed.Clusters {
		if c.RegistryNo == 0 || c.ID == seeds.DemoCluster || i%3 != 0 {
			continue
		}
		n++
		k := 2 + n%5
		ds := &gm.Dataset{}
		for j := 0; j < k; j++ {
			ds.Participants = append(ds.Participants, gm.Participant{ID: fmt.Sprintf("%s-p%d", c.ID, j), Name: fmt.Sprintf("Предприятие %d", j+1), Kind: gm.KindEnterprise})
		}
		if _, err := db.Import(ctx, c.ID, ds, gm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, year := range []int{2024, 2025} {
			acceptFigures(t, db, c.ID, n, year, ds.Participants)
		}
	}
	return db
}

// acceptFigures accepts each participant's figures of the year.
func acceptFigures(t *testing.T, db *sqlstore.DB, cluster string, n, year int, parts []gm.Participant) {
	t.Helper()
	ctx := gm.WithWriter(context.Background(), gm.AdminWriter)
	camp := gm.Campaign{ID: fmt.Sprintf("%d-%s", year, cluster), ClusterID: cluster, Year: year, Deadline: fmt.Sprintf("%d-03-31", year+1), Status: gm.CampaignOpen, CreatedAt: "2026-01-10T09:00:00Z"}
	if err := db.CreateCampaign(ctx, camp); err != nil {
		t.Fatal(err)
	}
	grow := 1.0 + 0.08*float64(year-2024)*float64(n%4)
	for j, p := range parts {
		base := float64((n*37+j*13)%50+5) * 1e8 * grow
		in := gm.Indicators{ShippedRUB: gm.Ptr(base), ValueAddedRUB: gm.Ptr(base * 0.3), MaterialsRUB: gm.Ptr(base * 0.45), TaxesRUB: gm.Ptr(base * 0.08),
			InvestmentRUB: gm.Ptr(base * 0.1), Employees: gm.Ptr(float64(100 + (n*17+j*29)%400))}
		if j%2 == 0 {
			in.ExportRUB = gm.Ptr(base * 0.12)
		}
		body := gm.Submission{Indicators: in}
		for q, code := range []string{"22.21.10", "25.73.40", "28.41.11"} {
			if (n+q)%3 == 0 && j < 3 {
				body.Imports = append(body.Imports, gm.SubmittedImport{ProductCode: code, Country: "CN", ValueRUB: gm.Ptr(float64(2e7 * (j + 1) * (q + 1)))})
			}
		}
		st := &gm.StoredSubmission{CampaignID: camp.ID, ClusterID: cluster, ParticipantID: p.ID, Status: gm.StatusSubmitted, Body: body,
			UpdatedAt: "2026-02-01T10:00:00Z", UpdatedBy: "admin:e2e", SubmittedAt: "2026-02-01T10:00:00Z", SubmittedBy: "admin:e2e"}
		if err := db.SaveSubmission(ctx, st, []string{gm.StatusNotStarted}); err != nil {
			t.Fatal(err)
		}
		if err := db.AcceptSubmission(ctx, gm.Acceptance{ClusterID: cluster, CampaignID: camp.ID, ParticipantID: p.ID, AcceptedBy: "admin:e2e", AcceptedAt: "2026-02-02T10:00:00Z"}); err != nil {
			t.Fatal(err)
		}
	}
}

// latin finds words in Latin letters in a page's visible text.
var latin = regexp.MustCompile(`[A-Za-z]{2,}`)

// The national page as the analyst and as an investor: the analyst gets
// the table, the map, the charts and the niches, in Russian; an investor
// only the niches and a note; a participant is refused.
func TestNationalPage(t *testing.T) {
	db := nationalStore(t)
	ref, err := seeds.Reference()
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Deps{Store: db, Reference: ref, Config: server.Config{RatePerIP: -1, RatePerToken: -1}})
	analyst := token(t, db, "analyst", "")
	rec := call(s, http.MethodGet, "/national?year=2025&by=district&indicator=export_rub", analyst, "")
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, body)
	}
	for _, want := range []string{`id="national-table"`, `data-chart="national-map"`, `data-chart="national-bars"`, `data-chart="national-years"`, `id="national-niches-table"`,
		"Сибирский федеральный округ", "Всего по стране", "Кластерная инвестиционная платформа", "/api/v1/indicators.xlsx?by=district&amp;year=2025"} {
		if !strings.Contains(body, want) {
			t.Errorf("the analyst's page has no %s", want)
		}
	}
	text := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`).ReplaceAllString(body, " ")
	for _, w := range latin.FindAllString(text, -1) {
		if w != "coopchain" && w != "English" { // the brand; the language switch
			t.Errorf("a Latin word on the Russian page: %q", w)
		}
	}
	rec = call(s, http.MethodGet, "/national", token(t, db, "investor", ""), "")
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `id="national-table"`) || !strings.Contains(rec.Body.String(), `id="national-niches"`) {
		t.Errorf("investor: %d, table shown: %v", rec.Code, strings.Contains(rec.Body.String(), `id="national-table"`))
	}
	if rec := call(s, http.MethodGet, "/national", "", ""); rec.Code != http.StatusSeeOther {
		t.Errorf("anonymous: %d", rec.Code)
	}
}

// TestNationalScreenshots opens /national as the analyst in Chromium at
// 1280×720 and 1920×1080, checks it with axe and saves 18-national-*.png.
func TestNationalScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	db := nationalStore(t)
	ts := webServer(t, db, server.Config{PageWait: 20 * time.Second})
	analyst := token(t, db, "analyst", "")
	for _, size := range [][2]int{{1280, 720}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			ctx := browser(t, size[0], size[1], 3*time.Minute)
			css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(size[0]), int64(size[1]))); err != nil {
				t.Fatal(err)
			}
			if err := signIn(ctx, ts.URL, analyst, "/national", "#national-table"); err != nil {
				t.Fatal(err)
			}
			auditPage(t, ctx, "national")
			for _, shot := range []struct{ name, url, wait string }{
				{"national", "/national?year=2025&by=district", ""},
				{"national-map", "/national?year=2025&by=region&indicator=export_rub", "#national-indicators figure.chart-box"},
				{"national-charts", "/national?year=2025&by=region&indicator=export_rub", "#national-indicators figure.chart-box:last-of-type"},
				{"national-niches", "/national", "#national-niches"},
			} {
				steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(ts.URL + shot.url), chromedp.WaitVisible(css("#national-niches"))}
				if shot.wait != "" {
					steps = append(steps, chromedp.ScrollIntoView(css(shot.wait)))
				}
				if err := chromedp.Do(ctx, steps...); err != nil {
					t.Fatal(err)
				}
				saveScreenshot(t, ctx, "18-"+shot.name, size[0], size[1], false)
			}
		})
	}
}
