package server_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// crossClusterData makes the built-in clusters cooperate: the Kolomna plant
// (ru-006) also joins the aluminium cluster (ru-031) and buys profiles from
// «ЗАС РИАЛ»; «ЦРГТ» of ru-035 can make the plastic plates three aluminium
// participants import; «БМЗ» of ru-006 the paints one of them imports.
func crossClusterData(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	kolomna := gm.Participant{ID: "kol-kz", Name: "Коломенский завод", Kind: gm.KindEnterprise, FinalProducer: true, Region: "Московская область", Country: "RU", OKVED: "28.11", Year: 2024}
	if _, err := db.Import(ctx, "ru-031", &gm.Dataset{Participants: []gm.Participant{kolomna},
		Links: []gm.SupplyLink{{SupplierID: "alu-zas-rial", BuyerID: "kol-kz", ProductCode: "24.42.22", Year: 2024, ValueRUB: gm.Ptr(120e6), Documented: true}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "ru-035", &gm.Dataset{Capacities: []gm.Capacity{{ParticipantID: "ncg-crgt", ProductCode: "22.21.10", Year: 2024, ValueRUB: 300e6}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "ru-006", &gm.Dataset{Capacities: []gm.Capacity{{ParticipantID: "kol-bmz", ProductCode: "20.30.22", Year: 2024, ValueRUB: 50e6}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

// latinWords finds a Latin word (an identifier, an ISO code, English) in a
// Russian page's visible text; «PROКластеры» is the programme's own name,
// coopchain the product's («оценка coopchain» labels the estimate).
var latinWords = regexp.MustCompile(`[A-Za-z]{2,}`)

// TestRegionPagesInBrowser opens a region's page with a what-if, the
// comparison of regions and cooperation between clusters in Chromium at
// 1280×720 and 1920×1080: what they show, no Latin words on the Russian
// pages, axe's WCAG rules, and screenshots 18-*.png.
func TestRegionPagesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	db := seededStore(t)
	crossClusterData(t, db)
	ts := webServer(t, db, server.Config{})
	admin := token(t, db, "admin", "")
	omsk := "/regions/" + url.PathEscape("Омская область")
	cmp := "/regions/compare?r=" + url.QueryEscape("Омская область") + "&r=" + url.QueryEscape("Республика Башкортостан") + "&r=" +
		url.QueryEscape("Республика Ингушетия") + "&r=" + url.QueryEscape("Московская область")
	for _, size := range [][2]int{{1280, 720}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			ctx := browser(t, size[0], size[1], 3*time.Minute)
			shot := func(name string) { t.Helper(); saveScreenshot(t, ctx, "18-"+name, size[0], size[1], true) }
			visit := func(name, path, wait string) string {
				t.Helper()
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(size[0]), int64(size[1])), chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS(wait))); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
				if err != nil {
					t.Fatal(err)
				}
				if w := latinWords.FindAllString(strings.NewReplacer("PROКластеры", "", "coopchain", "").Replace(text), 5); len(w) > 0 {
					t.Errorf("%s: Latin words on the Russian page: %v", name, w)
				}
				return text
			}
			text := visit("region", omsk, "#blocks")
			shot("region")
			text += visit("region", omsk+"?clusters=1&participants=5#whatif", "#whatif-result")
			for _, want := range []string{"оценка coopchain", "S1 — количественные показатели", "нет данных", "Что если", "После изменений", "Лидер Атласа"} {
				if !strings.Contains(text, want) {
					t.Errorf("region page lacks %q", want)
				}
			}
			shot("region-whatif")
			auditPage(t, ctx, "region")

			text = visit("compare", cmp, "#compare")
			for _, want := range []string{"Омская область", "Республика Башкортостан", "Алюминиевый кластер", "нет данных о занятости", "войдите, чтобы увидеть ниши"} {
				if !strings.Contains(text, want) {
					t.Errorf("compare lacks %q", want)
				}
			}
			shot("compare")
			auditPage(t, ctx, "compare")

			if err := signIn(ctx, ts.URL, admin, "/cooperation", "#coop-edges"); err != nil {
				t.Fatalf("sign in: %v", err)
			}
			text = visit("cooperation", "/cooperation", "#coop-edges")
			for _, want := range []string{"Алюминиевый кластер", "Коломенский машиностроительный кластер", "ООО «ЗАС РИАЛ»", "совпадение", "нет данных"} {
				if !strings.Contains(text, want) {
					t.Errorf("cooperation lacks %q", want)
				}
			}
			shot("cooperation")
			auditPage(t, ctx, "cooperation")
		})
	}
}
