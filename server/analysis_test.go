package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
)

func demoSeed() *gm.Seed {
	v := func(f float64) *float64 { return &f }
	s := registrySeed()
	s.Clusters = append(s.Clusters, gm.Cluster{ID: "alu", Name: "Алюминиевый", Kind: gm.ClusterIndustrial, Regions: []string{"Республика Ингушетия"}})
	s.Data = map[string]*gm.Dataset{"alu": {
		Participants: []gm.Participant{
			{ID: "ingots", Name: "Слитки", Kind: gm.KindEnterprise}, {ID: "profile", Name: "Профиль", Kind: gm.KindEnterprise},
			{ID: "win1", Name: "Окна 1", Kind: gm.KindEnterprise, FinalProducer: true}, {ID: "win2", Name: "Окна 2", Kind: gm.KindEnterprise, FinalProducer: true},
			{ID: "win3", Name: "Окна 3", Kind: gm.KindEnterprise, FinalProducer: true}, {ID: "sopc", Name: "СОПК", Kind: gm.KindSOPC},
		},
		Links: []gm.SupplyLink{{SupplierID: "ingots", BuyerID: "profile", ProductCode: "24.42.11", Year: 2024, ValueRUB: v(100)},
			{SupplierID: "profile", BuyerID: "win1", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(50)},
			{SupplierID: "profile", BuyerID: "win2", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(30)},
			{SupplierID: "profile", BuyerID: "win3", ProductCode: "24.42.22", Year: 2024, ValueRUB: v(20)}},
		Imports: []gm.Import{{ParticipantID: "win1", ProductCode: "22.21.10", Year: 2024, ValueRUB: 10}, {ParticipantID: "win2", ProductCode: "22.21.10", Year: 2024, ValueRUB: 8},
			{ParticipantID: "win3", ProductCode: "22.21.10", Year: 2024, ValueRUB: 5}},
	}}
	return s
}

func TestAnalysisRoutes(t *testing.T) {
	s, _ := newTestServer(t, demoSeed())
	tests := []struct {
		target string
		status int
		check  func(t *testing.T, b map[string]any)
	}{
		{"/api/v1/clusters/alu/metrics", 200, func(t *testing.T, b map[string]any) {
			ps := b["participants"].([]any)
			if len(ps) != 6 {
				t.Fatalf("%d participants", len(ps))
			}
			for _, name := range []string{"id", "in_degree", "out_degree", "in_value", "out_value", "pagerank", "supplier_rank", "betweenness", "stage",
				"upstream_count", "downstream_count", "single_source_inputs", "removal_impact", "import_share_direct", "import_content_total"} {
				if _, ok := ps[0].(map[string]any)[name]; !ok {
					t.Errorf("metric %s missing", name)
				}
			}
		}},
		{"/api/v1/clusters/alu/niches", 200, func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["buyers"].(float64) != 3 {
				t.Errorf("niches = %v", items)
			}
		}},
		{"/api/v1/clusters/alu/import-gaps", 200, func(t *testing.T, b map[string]any) {
			if b["total"].(float64) != 1 {
				t.Errorf("gaps = %v", b)
			}
		}},
		{"/api/v1/clusters/alu/compliance", 200, func(t *testing.T, b map[string]any) {
			if len(b["compliance"].(map[string]any)["rules"].([]any)) != 7 {
				t.Errorf("compliance = %v", b)
			}
		}},
		{"/api/v1/clusters/alu/chain?participant=profile", 200, func(t *testing.T, b map[string]any) {
			if len(b["upstream"].([]any)) != 1 || len(b["downstream"].([]any)) != 3 {
				t.Errorf("chain = %v", b)
			}
		}},
		{"/api/v1/clusters/alu/chain?product=24.42.22", 200, func(t *testing.T, b map[string]any) {
			if len(b["participants"].([]any)) != 5 {
				t.Errorf("chain = %v", b)
			}
		}},
		{"/api/v1/clusters/alu/chain", 400, nil},
		{"/api/v1/clusters/alu/chain?participant=ghost", 404, nil},
		{"/api/v1/clusters/alu/metrics?year=abc", 400, nil},
		{"/api/v1/clusters/nope/metrics", 404, nil},
		{"/api/v1/clusters/alu/matches", 200, nil},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			rec, body := do(t, s, http.MethodGet, tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status >= 400 {
				if _, ok := body["error"]; !ok {
					t.Errorf("no error object: %s", rec.Body)
				}
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}

// Analysis results carry an ETag; a matching If-None-Match gets 304, and the
// tag changes once the cluster's data changes.
func TestAnalysisETag(t *testing.T) {
	s, db := newTestServer(t, demoSeed())
	rec, _ := do(t, s, http.MethodGet, "/api/v1/clusters/alu/niches")
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/clusters/alu/niches", nil)
	req.Header.Set("If-None-Match", etag)
	rec2 := httptest.NewRecorder()
	s.ServeHTTP(rec2, req)
	if rec2.Code != http.StatusNotModified || rec2.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d %q", rec2.Code, rec2.Body)
	}
	// Change the data: a new importer of the niche product.
	ds := &gm.Dataset{Participants: []gm.Participant{{ID: "win4", Name: "Окна 4", Kind: gm.KindEnterprise}},
		Imports: []gm.Import{{ParticipantID: "win4", ProductCode: "22.21.10", Year: 2024, ValueRUB: 7}}}
	if _, err := db.Import(context.Background(), "alu", ds, gm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rec3, body := do(t, s, http.MethodGet, "/api/v1/clusters/alu/niches")
	if rec3.Code != 200 || rec3.Header().Get("ETag") == etag {
		t.Fatalf("after a change: %d, ETag %s (was %s)", rec3.Code, rec3.Header().Get("ETag"), etag)
	}
	if b := body["items"].([]any)[0].(map[string]any)["buyers"].(float64); b != 4 {
		t.Errorf("buyers after the change = %v, want 4", b)
	}
}

func TestLQEndpoint(t *testing.T) {
	s, _ := newTestServer(t, nil)
	post := func(ct, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/lq?group=group", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	rec := post("application/json", `{"employment":[{"region":"R1","industry":"A","employees":30},{"region":"R1","industry":"B","employees":70},{"region":"R2","industry":"A","employees":10},{"region":"R2","industry":"B","employees":90}]}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"lq":1.5`) {
		t.Errorf("json: %d %s", rec.Code, rec.Body)
	}
	rec = post("text/csv", "region;industry;group;employees\nR1;A;t;30\nR1;B;t;70\nR2;A;t;10\nR2;B;t;90\n")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"lq":1.5`) {
		t.Errorf("csv: %d %s", rec.Code, rec.Body)
	}
	if rec := post("application/json", `{"employment":[],"extra":1}`); rec.Code != 400 {
		t.Errorf("unknown field: %d", rec.Code)
	}
	if rec := post("application/xml", `<x/>`); rec.Code != 415 {
		t.Errorf("xml: %d", rec.Code)
	}
	if rec := post("application/json", `{"employment":[{"region":"R1","industry":"A","employees":-3}]}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), "negative") {
		t.Errorf("negative: %d %s", rec.Code, rec.Body)
	}
}
