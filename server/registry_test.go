package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// asAdmin sends every request with an admin token unless it carries its own
// Authorization header (the role-matrix tests use the raw server).
type asAdmin struct {
	h     http.Handler
	token string
}

func (a asAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	}
	a.h.ServeHTTP(w, r)
}

func newRawServer(t *testing.T, seed *gm.Seed, cfg server.Config) (*server.Server, *sqlstore.DB) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if seed != nil {
		if _, err := db.LoadSeed(context.Background(), seed); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.RatePerIP == 0 {
		cfg.RatePerIP = -1
	}
	if cfg.RatePerToken == 0 {
		cfg.RatePerToken = -1
	}
	return server.New(server.Deps{Store: db, Config: cfg}), db
}

func token(t *testing.T, db *sqlstore.DB, role, cluster string) string {
	t.Helper()
	_, full, err := server.NewToken(context.Background(), db, role, cluster, "test")
	if err != nil {
		t.Fatal(err)
	}
	return full
}

// newTestServer is a server whose requests are made as admin by default.
func newTestServer(t *testing.T, seed *gm.Seed) (http.Handler, *sqlstore.DB) {
	t.Helper()
	s, db := newRawServer(t, seed, server.Config{})
	return asAdmin{s, token(t, db, "admin", "")}, db
}

func do(t *testing.T, h http.Handler, method, target string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %s", method, target, rec.Body)
		}
	}
	return rec, body
}

func registrySeed() *gm.Seed {
	return &gm.Seed{
		Clusters: []gm.Cluster{
			{ID: "ru-001", Name: "Биотехнологический фармацевтический кластер", RegistryNo: 1, Kind: gm.ClusterIndustrial, Regions: []string{"Белгородская область"}, Specialization: "Фармацевтика"},
			{ID: "ru-053", Name: "Железнодорожный кластер", RegistryNo: 53, Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}, Specialization: "Производство машин"},
		},
		Rating: []gm.RegionRating{{Rank: 1, Region: "Республика Башкортостан", S1: 37.8, S2: 23.7, S3: 2.8, S4: 5, S5: 4, Total: 73.3}},
	}
}

func TestRegistryRoutes(t *testing.T) {
	s, _ := newTestServer(t, registrySeed())
	tests := []struct {
		name, target string
		status       int
		check        func(t *testing.T, b map[string]any)
	}{
		{"health", "/healthz", 200, func(t *testing.T, b map[string]any) {
			if b["status"] != "ok" {
				t.Errorf("status = %v", b["status"])
			}
		}},
		{"list", "/api/v1/clusters", 200, func(t *testing.T, b map[string]any) {
			if b["total"].(float64) != 2 || len(b["items"].([]any)) != 2 {
				t.Errorf("body = %v", b)
			}
		}},
		{"filter by region", "/api/v1/clusters?region=%D0%BE%D0%BC%D1%81%D0%BA%D0%B0%D1%8F", 200, func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["id"] != "ru-053" {
				t.Errorf("items = %v", items)
			}
		}},
		{"page", "/api/v1/clusters?limit=1&offset=1", 200, func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if b["total"].(float64) != 2 || len(items) != 1 || items[0].(map[string]any)["id"] != "ru-053" {
				t.Errorf("body = %v", b)
			}
		}},
		{"bad limit", "/api/v1/clusters?limit=-1", 400, func(t *testing.T, b map[string]any) {
			e := b["error"].(map[string]any)
			if e["code"] != "invalid" || len(e["details"].([]any)) != 1 {
				t.Errorf("error = %v", e)
			}
		}},
		{"one", "/api/v1/clusters/ru-001", 200, func(t *testing.T, b map[string]any) {
			if b["name"] != "Биотехнологический фармацевтический кластер" || b["registry_no"].(float64) != 1 {
				t.Errorf("body = %v", b)
			}
		}},
		{"missing", "/api/v1/clusters/ru-999", 404, func(t *testing.T, b map[string]any) {
			if b["error"].(map[string]any)["code"] != "not_found" {
				t.Errorf("body = %v", b)
			}
		}},
		{"rating", "/api/v1/regions/rating", 200, func(t *testing.T, b map[string]any) {
			items := b["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["total"].(float64) != 73.3 {
				t.Errorf("items = %v", items)
			}
		}},
		{"unknown route", "/api/v1/nothing", 404, func(t *testing.T, b map[string]any) {
			if b["error"].(map[string]any)["code"] != "not_found" {
				t.Errorf("body = %v", b)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, body := do(t, s, http.MethodGet, tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			tc.check(t, body)
		})
	}
}
