package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
)

// nationalServer is twoClusters and a third cluster, with 2025 figures
// accepted over the API: alu 4 participants (shipped 100 each), beta 2
// (10 each), gamma 3 (1 each).
func nationalServer(t *testing.T) (http.Handler, map[string]string) {
	seed := twoClusters()
	seed.Clusters = append(seed.Clusters, gm.Cluster{ID: "gamma", Name: "Гамма", Kind: gm.ClusterIndustrial, Regions: []string{"Новосибирская область"}})
	seed.Data["gamma"] = &gm.Dataset{Participants: []gm.Participant{{ID: "g1", Name: "Г1", Kind: gm.KindEnterprise}, {ID: "g2", Name: "Г2", Kind: gm.KindEnterprise},
		{ID: "g3", Name: "Г3", Kind: gm.KindEnterprise}}}
	s, db := newRawServer(t, seed, server.Config{})
	tok := map[string]string{}
	for _, r := range []string{"admin", "analyst", "investor"} {
		tok[r] = token(t, db, r, "")
	}
	tok["viewer-alu"] = token(t, db, "viewer", "alu")
	for cl, parts := range map[string][]string{"alu": {"ingots", "profile", "win1", "win2"}, "beta": {"b1", "b2"}, "gamma": {"g1", "g2", "g3"}} {
		rec := call(s, http.MethodPost, "/api/v1/clusters/"+cl+"/campaigns", tok["admin"], `{"year":2025,"deadline":"2026-03-31"}`)
		var c struct{ ID string }
		if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &c) != nil {
			t.Fatalf("campaign %s: %d %s", cl, rec.Code, rec.Body)
		}
		v := map[string]int{"alu": 100, "beta": 10, "gamma": 1}[cl]
		for _, p := range parts {
			sub := fmt.Sprintf("/api/v1/clusters/%s/campaigns/%s/submissions/%s", cl, c.ID, p)
			if rec := call(s, http.MethodPost, sub+"/submit", tok["admin"], fmt.Sprintf(`{"indicators":{"shipped_rub":%d,"employees":5}}`, v)); rec.Code != 200 {
				t.Fatalf("submit %s: %d %s", sub, rec.Code, rec.Body)
			}
			if rec := call(s, http.MethodPost, sub+"/accept", tok["admin"], ""); rec.Code != 200 {
				t.Fatalf("accept %s: %d %s", sub, rec.Code, rec.Body)
			}
		}
	}
	return s, tok
}

// The contract of GET /api/v1/indicators, as the analyst reads it: beta (2
// participants) is suppressed, and gamma with it (else the total minus alu
// and gamma would be beta); a suppressed item has no totals.
func TestNationalIndicatorsAPI(t *testing.T) {
	s, tok := nationalServer(t)
	rec := call(s, http.MethodGet, "/api/v1/indicators?year=2025&by=cluster", tok["analyst"], "")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var out map[string]json.RawMessage
	json.Unmarshal(rec.Body.Bytes(), &out)
	for _, k := range []string{"year", "by", "items", "total"} {
		if _, ok := out[k]; !ok {
			t.Errorf("no %q in %s", k, rec.Body)
		}
	}
	var items []map[string]any
	json.Unmarshal(out["items"], &items)
	got := map[string]string{}
	for _, it := range items {
		_, hasTotals := it["totals"]
		if it["suppressed"] == true && hasTotals {
			t.Errorf("a suppressed item has totals: %v", it)
		}
		desc := fmt.Sprintf("clusters=%v participants=%v suppressed=%v", it["clusters"], it["participants_reported"], it["suppressed"])
		if tt, ok := it["totals"].(map[string]any); ok {
			desc += fmt.Sprintf(" shipped=%v employees=%v", tt["shipped_rub"], tt["employees"])
		}
		got[it["key"].(string)] = desc
	}
	want := map[string]string{
		"alu":   "clusters=1 participants=4 suppressed=false shipped=400 employees=20",
		"beta":  "clusters=1 participants=2 suppressed=true",
		"gamma": "clusters=1 participants=3 suppressed=true",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	var total struct {
		Clusters             int                 `json:"clusters"`
		ParticipantsReported int                 `json:"participants_reported"`
		Totals               map[string]*float64 `json:"totals"`
	}
	json.Unmarshal(out["total"], &total)
	if total.Clusters != 3 || total.ParticipantsReported != 9 || total.Totals["shipped_rub"] == nil || *total.Totals["shipped_rub"] != 423 || len(total.Totals) != 9 {
		t.Errorf("total: %s", out["total"])
	}
	if rec := call(s, http.MethodGet, "/api/v1/indicators?by=okrug", tok["analyst"], ""); rec.Code != 400 || !strings.Contains(rec.Body.String(), "by") {
		t.Errorf("by=okrug: %d %s", rec.Code, rec.Body)
	}
	rec = call(s, http.MethodGet, "/api/v1/indicators.xlsx?year=2025&by=region", tok["admin"], "")
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheet") {
		t.Errorf("xlsx: %d %s", rec.Code, rec.Header())
	}
}

// The analyst sees national aggregates only: every cluster's own data and
// its indicators are refused, and so are the national indicators to anyone
// but the analyst and the admin.
func TestAnalystRefusedMemberData(t *testing.T) {
	s, tok := nationalServer(t)
	for _, target := range []string{"/api/v1/clusters/alu/indicators?year=2025", "/api/v1/clusters/alu/participants", "/api/v1/clusters/alu/links",
		"/api/v1/clusters/alu/metrics", "/api/v1/clusters/alu/export?format=json", "/api/v1/clusters/alu/provenance", "/api/v1/clusters/alu/campaigns"} {
		if rec := call(s, http.MethodGet, target, tok["analyst"], ""); rec.Code != 403 || strings.Contains(rec.Body.String(), "ingots") {
			t.Errorf("analyst %s: %d %s", target, rec.Code, rec.Body)
		}
	}
	for name, code := range map[string]int{"investor": 403, "viewer-alu": 403, "": 401} {
		if rec := call(s, http.MethodGet, "/api/v1/indicators", tok[name], ""); rec.Code != code {
			t.Errorf("%q: %d, want %d", name, rec.Code, code)
		}
	}
	for _, name := range []string{"analyst", "investor", "viewer-alu"} {
		rec := call(s, http.MethodGet, "/api/v1/national-niches", tok[name], "")
		if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), `{"items":[`) {
			t.Errorf("national niches as %s: %d %s", name, rec.Code, rec.Body)
		}
	}
	if rec := call(s, http.MethodGet, "/api/v1/national-niches", "", ""); rec.Code != 401 {
		t.Errorf("national niches anonymously: %d", rec.Code)
	}
}
