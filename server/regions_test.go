package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Two clusters sharing e1: x1 (ru-053 only) supplies e1 and can make what
// e1 and e2 import.
func regionsSeed(t *testing.T) (http.Handler, func(role, cluster string) string) {
	t.Helper()
	s, db := newRefServer(t, registrySeed())
	ctx := context.Background()
	p := func(id, region string) gm.Participant {
		return gm.Participant{ID: id, Name: "Завод " + id, Kind: gm.KindEnterprise, Region: region}
	}
	if _, err := db.Import(ctx, "ru-001", &gm.Dataset{Participants: []gm.Participant{p("e1", "Белгородская область"), p("e2", "Белгородская область"), p("e3", "Белгородская область")},
		Imports: []gm.Import{{ParticipantID: "e1", ProductCode: "21.20", ValueRUB: 70, Year: 2024}, {ParticipantID: "e2", ProductCode: "21.20", ValueRUB: 30, Year: 2024}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, "ru-053", &gm.Dataset{Participants: []gm.Participant{p("x1", "Омская область"), p("e1", "Белгородская область")},
		Links:      []gm.SupplyLink{{SupplierID: "x1", BuyerID: "e1", ProductCode: "21.20", ValueRUB: gm.Ptr(900.0), Year: 2024}},
		Capacities: []gm.Capacity{{ParticipantID: "x1", ProductCode: "21.20", ValueRUB: 500, Year: 2024}}}, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return s, func(role, cluster string) string { return token(t, db, role, cluster) }
}

func regionJSON(t *testing.T, h http.Handler, target, tok string, status int) map[string]any {
	t.Helper()
	rec := call(h, http.MethodGet, target, tok, "")
	if rec.Code != status {
		t.Fatalf("GET %s: %d, want %d: %s", target, rec.Code, status, rec.Body)
	}
	var b map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return b
}

func TestRatingListHasBlockNames(t *testing.T) {
	s, _ := regionsSeed(t)
	b := regionJSON(t, s, "/api/v1/regions/rating", "", 200)
	blocks := b["blocks"].([]any)
	if len(blocks) != 5 || blocks[0].(map[string]any)["name"] != "Количественные показатели" || blocks[4].(map[string]any)["code"] != "S5" || b["unit"] != "%" {
		t.Errorf("blocks %v unit %v", blocks, b["unit"])
	}
	if items := b["items"].([]any); len(items) != 1 || items[0].(map[string]any)["total"].(float64) != 73.3 || b["total"].(float64) != 1 {
		t.Errorf("the existing fields changed: %v", b)
	}
}

func TestRegionRoutes(t *testing.T) {
	s, _ := regionsSeed(t)
	est := regionJSON(t, s, "/api/v1/regions/estimate", "", 200)
	if est["label"] != "оценка coopchain" {
		t.Errorf("label %v", est["label"])
	}
	notComputed := 0
	for _, in := range est["indicators"].([]any) {
		if !in.(map[string]any)["computed"].(bool) {
			notComputed++
		}
	}
	if notComputed != 13 {
		t.Errorf("%d indicators not computed, want 13", notComputed)
	}
	regions := est["regions"].([]any)
	var bash map[string]any
	for _, r := range regions {
		if r.(map[string]any)["region"] == "Республика Башкортостан" {
			bash = r.(map[string]any)
		}
	}
	// Bashkortostan has no cluster here, only its regional support measures
	// (S2 presence: 7.5 points): 65.8 below the published 73.3.
	if bash == nil || bash["total"].(float64) != 7.5 || math.Abs(bash["difference"].(float64)+65.8) > 1e-9 {
		t.Errorf("Bashkortostan: %v", bash)
	}
	omsk := "/api/v1/regions/" + url.PathEscape("Омская область")
	r := regionJSON(t, s, omsk, "", 200)
	if r["region"] != "Омская область" || len(r["clusters"].([]any)) != 1 || r["district"] != "СФО" {
		t.Errorf("region %v", r)
	}
	before := r["estimate"].(map[string]any)["total"].(float64)
	w := regionJSON(t, s, omsk+"/what-if?clusters=+1&measures=%2B1&participants=3", "", 200)
	after := w["after"].(map[string]any)["total"].(float64)
	if w["before"].(map[string]any)["total"].(float64) != before || after <= before || w["levers"].(map[string]any)["clusters"].(float64) != 1 {
		t.Errorf("what-if: %v → %v", before, after)
	}
	bad := regionJSON(t, s, omsk+"/what-if?clusters=two", "", 400)
	if !strings.Contains(call(s, http.MethodGet, omsk+"/what-if?clusters=two", "", "").Body.String(), `"clusters"`) {
		t.Errorf("the error does not name the field: %v", bad)
	}
	regionJSON(t, s, "/api/v1/regions/"+url.PathEscape("Нарния"), "", 404)
}

func TestCompareRoute(t *testing.T) {
	s, tok := regionsSeed(t)
	q := "?r=" + url.QueryEscape("Омская область") + "&r=" + url.QueryEscape("Белгородская область")
	b := regionJSON(t, s, "/api/v1/regions/compare"+q, "", 200)
	rs := b["regions"].([]any)
	if len(rs) != 2 || rs[0].(map[string]any)["region"] != "Омская область" || rs[0].(map[string]any)["niches"] != nil {
		t.Errorf("public compare: %v", rs)
	}
	b = regionJSON(t, s, "/api/v1/regions/compare"+q, tok("investor", ""), 200)
	if n := b["regions"].([]any)[1].(map[string]any)["niches"]; n == nil {
		t.Error("a signed-in caller gets no niches")
	}
	many := ""
	for i := 0; i < 11; i++ {
		many += "&r=" + url.QueryEscape([]string{"Омская область", "Белгородская область", "Республика Башкортостан"}[i%3])
	}
	regionJSON(t, s, "/api/v1/regions/compare?"+many[1:], "", 200) // duplicates count once
	// Eleven known regions (the estimate lists every known one).
	over := ""
	est := regionJSON(t, s, "/api/v1/regions/estimate", "", 200)["regions"].([]any)
	if len(est) < 11 {
		t.Fatalf("%d regions known", len(est))
	}
	for _, r := range est[:11] {
		over += "&r=" + url.QueryEscape(r.(map[string]any)["region"].(string))
	}
	over = over[1:]
	rec := call(s, http.MethodGet, "/api/v1/regions/compare?"+over, "", "")
	if rec.Code != 400 {
		t.Errorf("11 regions: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "сравниваются не более 10") {
		t.Errorf("11 regions: %s", rec.Body)
	}
	rec = call(s, http.MethodGet, "/api/v1/regions/compare?r=%D0%9C%D0%B0%D1%80%D1%81", "", "")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Марс") {
		t.Errorf("unknown region: %d %s", rec.Code, rec.Body)
	}
	// The page keeps its form and says, in Russian, what is wrong.
	for target, want := range map[string]string{
		"/regions/compare?r=%D0%9C%D0%B0%D1%80%D1%81":                   "«Марс»: нет такого субъекта РФ",
		"/regions/compare?" + over:                                      "выбрано субъектов РФ: 11; сравниваются не более 10",
		"/regions/" + url.PathEscape("Омская область") + "?clusters=-1": "Ещё кластеров (с СОПК в регионе) «-1»: целое число от 0 до 1000",
	} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept", "text/html")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if body := rec.Body.String(); rec.Code != 400 || !strings.Contains(body, want) || !strings.Contains(body, "<form") {
			t.Errorf("%s: %d, want 400 with %q and the form", target, rec.Code, want)
		}
	}
}

func TestCooperationRoute(t *testing.T) {
	s, tok := regionsSeed(t)
	regionJSON(t, s, "/api/v1/cooperation", "", 401)
	admin := regionJSON(t, s, "/api/v1/cooperation", tok("admin", ""), 200)
	if len(admin["edges"].([]any)) != 1 || len(admin["flows"].([]any)) != 3 {
		t.Fatalf("admin: %v", admin)
	}
	e := admin["edges"].([]any)[0].(map[string]any)
	if e["from"] != "ru-053" || e["to"] != "ru-001" || e["value_rub"].(float64) != 900 || e["matched_imports_rub"].(float64) != 100 {
		t.Errorf("edge %v", e)
	}
	for _, who := range []string{tok("investor", ""), tok("viewer", "ru-001"), tok("editor", "ru-053")} {
		rec := call(s, http.MethodGet, "/api/v1/cooperation", who, "")
		body := rec.Body.String()
		if rec.Code != 200 || strings.Contains(body, "Завод") || strings.Contains(body, "900") || !strings.Contains(body, `"flows":[]`) {
			t.Errorf("a non-member of both sees company flows: %d %s", rec.Code, body)
		}
	}
}

// The statutory indicators of a region's participants: suppressed while
// fewer than 3 reported, summed from the third on; a region where nobody
// reported has none.
func TestCompareIndicators(t *testing.T) {
	s, tok := regionsSeed(t)
	ed := tok("admin", "") // e1 is also in ru-053: only an editor of both may accept its figures
	var c struct{ ID string }
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/ru-001/campaigns", ed, `{"year":2025,"deadline":"2026-03-31"}`, 201, &c)
	base := "/api/v1/clusters/ru-001/campaigns/" + c.ID + "/submissions/"
	q := "/api/v1/regions/compare?r=" + url.QueryEscape("Белгородская область") + "&r=" + url.QueryEscape("Омская область")
	for i, pid := range []string{"e1", "e2", "e3"} {
		jsonCall(t, s, http.MethodPost, base+pid+"/submit", ed, fmt.Sprintf(`{"indicators":{"shipped_rub":%d,"employees":10}}`, (i+1)*1000), 200, nil)
		jsonCall(t, s, http.MethodPost, base+pid+"/accept", ed, "", 200, nil)
		cols := regionJSON(t, s, q, "", 200)["regions"].([]any)
		bel, _ := cols[0].(map[string]any)["indicators"].(map[string]any)
		if bel == nil || bel["year"].(float64) != 2025 || bel["participants_reported"].(float64) != float64(i+1) {
			t.Fatalf("after %d accepted: %v", i+1, bel)
		}
		totals, _ := bel["totals"].(map[string]any)
		switch {
		case i < 2 && (bel["suppressed"] != true || totals != nil):
			t.Errorf("%d reported, shown: %v", i+1, bel)
		case i == 2 && (bel["suppressed"] != false || totals["shipped_rub"].(float64) != 6000 || totals["employees"].(float64) != 30):
			t.Errorf("three reported: %v", bel)
		}
		if cols[1].(map[string]any)["indicators"] != nil {
			t.Errorf("Omsk has indicators: %v", cols[1])
		}
	}
}
