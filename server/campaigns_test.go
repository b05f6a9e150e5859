package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/coopchain/coopchain/server"
)

// jsonCall calls the API and decodes the answer into out (when not nil).
func jsonCall(t *testing.T, h http.Handler, method, target, token, body string, want int, out any) *httptest.ResponseRecorder {
	t.Helper()
	rec := call(h, method, target, token, body)
	if rec.Code != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, target, rec.Code, want, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, target, err, rec.Body)
		}
	}
	return rec
}

type subView struct {
	Status     string  `json:"status"`
	Prefilled  bool    `json:"prefilled"`
	Comment    string  `json:"comment"`
	Completion float64 `json:"completion"`
	Purchases  []struct {
		SupplierID  string   `json:"supplier_id"`
		ProductCode string   `json:"product_code"`
		ValueRUB    *float64 `json:"value_rub"`
	} `json:"purchases"`
	Imports []struct {
		ProductCode string  `json:"product_code"`
		ValueRUB    float64 `json:"value_rub"`
	} `json:"imports"`
	Flags      []struct{ Code, Field string } `json:"flags"`
	Indicators map[string]*float64            `json:"indicators"`
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Details []struct {
			Column    string `json:"column"`
			MessageRU string `json:"message_ru"`
		} `json:"details"`
	} `json:"error"`
}

// TestCampaignAPI walks the yearly cycle through the API on cluster alu:
// open a campaign, invite, fill in (prefilled from 2024), refuse bad input,
// reconcile, return, correct, accept, and read the indicators, problems
// and provenance.
func TestCampaignAPI(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	viewer := token(t, db, "viewer", "alu")
	var c struct{ ID, Deadline, Status string }
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns", ed, `{"year":2025,"deadline":"2026-03-31","title":"Сбор 2025"}`, 201, &c)
	if c.ID == "" || c.Status != "open" || c.Deadline != "2026-03-31" {
		t.Fatalf("campaign: %+v", c)
	}
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns", ed, `{"year":2025,"deadline":"2026-03-31"}`, 409, nil)
	var bad apiError
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns", ed, `{"year":25,"deadline":"31.03.2026"}`, 400, &bad)
	if len(bad.Error.Details) != 2 || bad.Error.Details[1].Column != "deadline" || bad.Error.Details[1].MessageRU == "" {
		t.Errorf("bad campaign: %+v", bad)
	}
	base := "/api/v1/clusters/alu/campaigns/" + c.ID
	var dash struct {
		Counts       map[string]int `json:"counts"`
		Participants []struct {
			ParticipantID string `json:"participant_id"`
			Status        string `json:"status"`
			Flags         []any  `json:"flags"`
		} `json:"participants"`
	}
	jsonCall(t, s, http.MethodGet, base, viewer, "", 200, &dash)
	if dash.Counts["not_started"] != 6 || len(dash.Participants) != 6 {
		t.Errorf("dashboard: %+v", dash)
	}

	// Invitations: the second revokes the first.
	var inv struct {
		ParticipantID string `json:"participant_id"`
		Token, URL    string
	}
	jsonCall(t, s, http.MethodPost, base+"/invitations", ed, `{"participant_id":"win1"}`, 201, &inv)
	first := inv.Token
	jsonCall(t, s, http.MethodPost, base+"/invitations", ed, `{"participant_id":"win1"}`, 201, &inv)
	if inv.ParticipantID != "win1" || !strings.HasPrefix(inv.URL, "/login?invite=") || inv.Token == first {
		t.Fatalf("invitation: %+v", inv)
	}
	jsonCall(t, s, http.MethodGet, base+"/submissions/win1", first, "", 401, nil)
	win1 := inv.Token
	jsonCall(t, s, http.MethodPost, base+"/invitations", ed, `{"participant_id":"nobody"}`, 404, nil)

	// The participant's new submission starts from its 2024 data.
	var sv subView
	jsonCall(t, s, http.MethodGet, base+"/submissions/win1", win1, "", 200, &sv)
	if !sv.Prefilled || sv.Status != "not_started" || len(sv.Purchases) != 1 || sv.Purchases[0].SupplierID != "profile" || *sv.Purchases[0].ValueRUB != 50 ||
		len(sv.Imports) != 1 || sv.Imports[0].ValueRUB != 10 {
		t.Fatalf("prefilled: %+v", sv)
	}
	jsonCall(t, s, http.MethodGet, base+"/submissions/win2", win1, "", 403, nil)
	jsonCall(t, s, http.MethodPut, base+"/submissions/win2", win1, `{}`, 403, nil)

	// A draft; then a submit with bad figures is refused with every problem
	// and nothing changes.
	good := `{"indicators":{"shipped_rub":900000,"shipped_to_participants_rub":0,"materials_rub":400000,"employees":12},
		"purchases":[{"supplier_id":"profile","product_code":"24.42.22","value_rub":56,"documented":true}],
		"imports":[{"product_code":"22.21.10","country":"Китай","value_rub":12}],
		"problems":[{"category":"finance","text":"Дорогие кредиты","support_needed":"льготный заём"}]}`
	jsonCall(t, s, http.MethodPut, base+"/submissions/win1", win1, good, 200, &sv)
	if sv.Status != "draft" {
		t.Errorf("draft: %+v", sv)
	}
	wrong := `{"indicators":{"shipped_rub":-5},"purchases":[{"supplier_id":"b1","product_code":"24,42","value_rub":1}]}`
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/submit", win1, wrong, 400, &bad)
	var cols []string
	for _, d := range bad.Error.Details {
		cols = append(cols, d.Column)
	}
	if strings.Join(cols, ",") != "indicators.shipped_rub,purchases[0].supplier_id,purchases[0].product_code" {
		t.Errorf("problems: %v", cols)
	}
	jsonCall(t, s, http.MethodGet, base+"/submissions/win1", win1, "", 200, &sv)
	if sv.Status != "draft" || *sv.Purchases[0].ValueRUB != 56 {
		t.Errorf("a refused submit changed the draft: %+v", sv)
	}
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/submit", win1, "", 200, &sv)
	if sv.Status != "submitted" {
		t.Fatalf("submit: %+v", sv)
	}
	jsonCall(t, s, http.MethodPut, base+"/submissions/win1", win1, good, 409, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/accept", win1, "", 403, nil)

	// The editor answers for profile: it sold 50 to win1, who says 56.
	prof := `{"indicators":{"shipped_rub":1000},"sales":[{"buyer_id":"win1","product_code":"24.42.22","value_rub":50}]}`
	jsonCall(t, s, http.MethodPost, base+"/submissions/profile/submit", ed, prof, 200, nil)
	var rec struct {
		Items []struct {
			SupplierID    string  `json:"supplier_id"`
			ProductName   string  `json:"product_name"`
			BuyerRUB      float64 `json:"buyer_rub"`
			DifferenceRUB float64 `json:"difference_rub"`
		} `json:"items"`
	}
	jsonCall(t, s, http.MethodGet, base+"/reconciliation", ed, "", 200, &rec)
	// The catalogue of this store names 24.42.22 by its code alone: no name.
	if len(rec.Items) != 1 || rec.Items[0].SupplierID != "profile" || rec.Items[0].BuyerRUB != 56 || rec.Items[0].DifferenceRUB != -6 ||
		rec.Items[0].ProductName != "" {
		t.Errorf("reconciliation: %+v", rec)
	}
	jsonCall(t, s, http.MethodGet, base+"/reconciliation", viewer, "", 403, nil)

	// Returned with a comment, corrected, accepted.
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/return", ed, `{"comment":""}`, 400, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/return", ed, `{"comment":"Сверьте закупку профиля с поставщиком"}`, 200, &sv)
	jsonCall(t, s, http.MethodGet, base+"/submissions/win1", win1, "", 200, &sv)
	if sv.Status != "returned" || !strings.Contains(sv.Comment, "Сверьте") {
		t.Fatalf("returned: %+v", sv)
	}
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/submit", win1, strings.Replace(good, `"value_rub":56`, `"value_rub":51`, 1), 200, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/accept", ed, "", 200, &sv)
	if sv.Status != "accepted" {
		t.Fatalf("accept: %+v", sv)
	}
	jsonCall(t, s, http.MethodPost, base+"/submissions/profile/accept", ed, "", 200, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/profile/accept", ed, "", 409, nil)

	// The 2025 data: the buyer's figure.
	var links struct {
		Items []struct {
			Source   string  `json:"source"`
			ValueRUB float64 `json:"value_rub"`
		} `json:"items"`
	}
	jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/links?year=2025", ed, "", 200, &links)
	if len(links.Items) != 1 || links.Items[0].ValueRUB != 51 || !strings.Contains(links.Items[0].Source, "buyer's figure") {
		t.Errorf("2025 links: %+v", links)
	}

	// Indicators: sums over the two accepted submissions; 2024 has none.
	var ind struct {
		Year                 int                 `json:"year"`
		ParticipantsReported int                 `json:"participants_reported"`
		Totals               map[string]*float64 `json:"totals"`
		Previous             map[string]*float64 `json:"previous"`
	}
	jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/indicators?year=2025", viewer, "", 200, &ind)
	if ind.ParticipantsReported != 2 || *ind.Totals["shipped_rub"] != 901000 || *ind.Totals["employees"] != 12 || ind.Totals["export_rub"] != nil || ind.Previous["shipped_rub"] != nil {
		t.Errorf("indicators: %+v", ind)
	}
	x := jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/indicators.xlsx?year=2025", viewer, "", 200, nil)
	wb, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := wb.GetCellValue("Показатели", "D5"); v != "нет данных" {
		t.Errorf("indicators.xlsx 2024 shipped: %q", v)
	}
	if v, _ := wb.GetCellValue("Показатели", "C5", excelize.Options{RawCellValue: true}); v != "0.901" {
		t.Errorf("indicators.xlsx 2025 shipped (mln): %q", v)
	}

	// Problems with measures; provenance of the figures.
	var probs struct {
		Items []struct {
			ParticipantName string `json:"participant_name"`
			Measures        []struct{ ID, Kind string }
		} `json:"items"`
	}
	jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/problems?year=2025", viewer, "", 200, &probs)
	if len(probs.Items) != 1 || probs.Items[0].ParticipantName != "Окна 1" {
		t.Errorf("problems: %+v", probs)
	}
	var prov struct {
		Items []struct {
			AcceptedBy string `json:"accepted_by"`
		} `json:"items"`
	}
	jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/provenance?year=2025", viewer, "", 200, &prov)
	if len(prov.Items) < 4 || !strings.HasPrefix(prov.Items[0].AcceptedBy, "editor:") {
		t.Errorf("provenance: %+v", prov)
	}
	// A figure the SOPC removes afterwards is no longer listed.
	linkProv := func() int {
		var p struct {
			Items []struct{ Kind string } `json:"items"`
		}
		jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/provenance?year=2025", viewer, "", 200, &p)
		n := 0
		for _, x := range p.Items {
			if x.Kind == "link" {
				n++
			}
		}
		return n
	}
	if linkProv() != 1 {
		t.Errorf("link provenance before the deletion: %d", linkProv())
	}
	jsonCall(t, s, http.MethodDelete, "/api/v1/clusters/alu/links?supplier=profile&buyer=win1&product=24.42.22&year=2025", ed, "", 204, nil)
	if linkProv() != 0 {
		t.Errorf("provenance of a deleted link is still listed")
	}
	// The participant reads its own submission and the cluster's
	// aggregated niches, nothing else.
	jsonCall(t, s, http.MethodGet, base+"/submissions/win1", win1, "", 200, nil)
	jsonCall(t, s, http.MethodGet, "/api/v1/clusters/alu/niches", win1, "", 200, nil)
	for _, p := range []string{"/api/v1/clusters/alu/links", "/api/v1/clusters/alu/indicators", "/api/v1/niches", base, "/api/v1/clusters/beta/niches"} {
		jsonCall(t, s, http.MethodGet, p, win1, "", 403, nil)
	}
}

// TestCampaignClose: closing a campaign stops every change of the forms
// (the participant's and the editor's), invitations and returns, but not
// accepting what was submitted; only the cluster's editor may close or
// reopen, and a campaign reopens only if no other is open for its year.
func TestCampaignClose(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed, viewer, other := token(t, db, "editor", "alu"), token(t, db, "viewer", "alu"), token(t, db, "editor", "beta")
	var c struct{ ID, Status string }
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns", ed, `{"year":2025,"deadline":"2026-03-31"}`, 201, &c)
	base := "/api/v1/clusters/alu/campaigns/" + c.ID
	var inv struct{ Token string }
	jsonCall(t, s, http.MethodPost, base+"/invitations", ed, `{"participant_id":"win1"}`, 201, &inv)
	win1 := inv.Token
	draft := `{"indicators":{"shipped_rub":900}}`
	jsonCall(t, s, http.MethodPut, base+"/submissions/win1", win1, draft, 200, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/profile/submit", ed, `{"indicators":{"shipped_rub":1000}}`, 200, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/ingots/submit", ed, `{"indicators":{"shipped_rub":10}}`, 200, nil)

	for _, tok := range []string{viewer, other, win1} {
		jsonCall(t, s, http.MethodPost, base+"/close", tok, "", 403, nil)
	}
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns/2025-none/close", ed, "", 404, nil)
	jsonCall(t, s, http.MethodPost, base+"/close", ed, "", 200, &c)
	if c.Status != "closed" {
		t.Fatalf("closed: %+v", c)
	}
	jsonCall(t, s, http.MethodPost, base+"/close", ed, "", 409, nil)

	// Nothing changes any more, except accepting what was submitted.
	jsonCall(t, s, http.MethodPut, base+"/submissions/win1", win1, `{"indicators":{"shipped_rub":1}}`, 409, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/win1/submit", win1, "", 409, nil)
	jsonCall(t, s, http.MethodPut, base+"/submissions/win2", ed, draft, 409, nil)
	jsonCall(t, s, http.MethodPost, base+"/invitations", ed, `{"participant_id":"win2"}`, 409, nil)
	jsonCall(t, s, http.MethodPost, base+"/submissions/ingots/return", ed, `{"comment":"Уточните"}`, 409, nil)
	var sv subView
	jsonCall(t, s, http.MethodGet, base+"/submissions/win1", win1, "", 200, &sv)
	if sv.Status != "draft" {
		t.Errorf("the participant's draft after closing: %+v", sv)
	}
	jsonCall(t, s, http.MethodPost, base+"/submissions/profile/accept", ed, "", 200, &sv)
	if sv.Status != "accepted" {
		t.Errorf("accepted after closing: %+v", sv)
	}

	// Another campaign for 2025 may open now; then the first cannot.
	var c2 struct{ ID string }
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns", ed, `{"year":2025,"deadline":"2026-05-31"}`, 201, &c2)
	jsonCall(t, s, http.MethodPost, base+"/reopen", ed, "", 409, nil)
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/alu/campaigns/"+c2.ID+"/close", ed, "", 200, nil)
	jsonCall(t, s, http.MethodPost, base+"/reopen", viewer, "", 403, nil)
	jsonCall(t, s, http.MethodPost, base+"/reopen", ed, "", 200, &c)
	if c.Status != "open" {
		t.Fatalf("reopened: %+v", c)
	}
	jsonCall(t, s, http.MethodPut, base+"/submissions/win1", win1, `{"indicators":{"shipped_rub":950}}`, 200, &sv)
	if v := sv.Indicators["shipped_rub"]; v == nil || *v != 950 {
		t.Errorf("saved after reopening: %+v", sv)
	}
}
