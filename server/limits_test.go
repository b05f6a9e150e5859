package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/server"
	"github.com/labstack/echo/v4"
)

func TestBodyLimitAndContentType(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	big := `{"id":"x","name":"` + strings.Repeat("я", 1<<20) + `"}`
	if rec := call(s, http.MethodPost, "/api/v1/clusters/alu/participants", ed, big); rec.Code != 413 {
		t.Errorf("2 MB JSON: %d %.200s", rec.Code, rec.Body)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/clusters/alu/participants", strings.NewReader(`id=x&name=y`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+ed)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 415 {
		t.Errorf("form body: %d", rec.Code)
	}
	for _, body := range []string{`{"id":"x","name":"y"} {"id":"z"}`, `{"id":"x","name":`, `[]`} {
		if rec := call(s, http.MethodPost, "/api/v1/clusters/alu/participants", ed, body); rec.Code != 400 {
			t.Errorf("%s: %d", body, rec.Code)
		}
	}
}

func TestRateLimits(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{RatePerIP: 1, RatePerToken: 1})
	// Anonymous callers are limited per IP (burst 20).
	codes := map[int]int{}
	for i := 0; i < 40; i++ {
		codes[call(s, http.MethodGet, "/api/v1/clusters", "", "").Code]++
	}
	if codes[429] == 0 || codes[200] < 15 {
		t.Errorf("per IP: %v", codes)
	}
	// X-Forwarded-For is not believed without a trusted proxy: still limited.
	req := httptest.NewRequest(http.MethodGet, "/api/v1/clusters", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("spoofed X-Forwarded-For: %d", rec.Code)
	}
	// A token has its own bucket, independent of the IP's.
	tok := token(t, db, "viewer", "alu")
	codes = map[int]int{}
	for i := 0; i < 40; i++ {
		codes[call(s, http.MethodGet, "/api/v1/clusters/alu/metrics", tok, "").Code]++
	}
	if codes[429] == 0 || codes[200] < 15 {
		t.Errorf("per token: %v", codes)
	}
	// Behind a trusted proxy, X-Forwarded-For picks the bucket.
	p, _ := newRawServer(t, twoClusters(), server.Config{RatePerIP: 1, TrustedProxies: []string{"192.0.2.0/24"}})
	for i, ip := range []string{"198.51.100.1", "198.51.100.2"} {
		n := 0
		for j := 0; j < 25; j++ {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/clusters", nil)
			req.RemoteAddr = "192.0.2.10:1234"
			req.Header.Set("X-Forwarded-For", ip)
			rec := httptest.NewRecorder()
			p.ServeHTTP(rec, req)
			if rec.Code == 200 {
				n++
			}
		}
		if n < 15 || n == 25 {
			t.Errorf("client %d behind the proxy: %d of 25 allowed", i, n)
		}
	}
}

// Concurrent edits of the same record: the second writer with a stale
// version gets 409 and nothing is lost.
func TestOptimisticLocking(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	rec := call(s, http.MethodGet, "/api/v1/clusters/alu/participants/ingots", ed, "")
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag == "" {
		t.Fatalf("%d %q", rec.Code, etag)
	}
	put := func(name string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPut, "/api/v1/clusters/alu/participants/ingots", strings.NewReader(`{"name":"`+name+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+ed)
		req.Header.Set("If-Match", etag)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	if rec := put("Первая правка"); rec.Code != 200 {
		t.Fatalf("first: %d %s", rec.Code, rec.Body)
	}
	if rec := put("Вторая правка"); rec.Code != 409 {
		t.Fatalf("second with the stale version: %d %s", rec.Code, rec.Body)
	}
	ds, _ := db.ClusterData(t.Context(), "alu")
	for _, p := range ds.Participants {
		if p.ID == "ingots" && p.Name != "Первая правка" {
			t.Errorf("name = %q", p.Name)
		}
	}
	// Deleting with a stale version fails too.
	req := httptest.NewRequest(http.MethodDelete, "/api/v1/clusters/alu/participants/ingots", nil)
	req.Header.Set("Authorization", "Bearer "+ed)
	req.Header.Set("If-Match", etag)
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 409 {
		t.Errorf("stale delete: %d", rec.Code)
	}
}

func TestSessionCookieAndCSRF(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	rec := call(s, http.MethodPost, "/api/v1/session", "", `{"token":"`+ed+`"}`)
	if rec.Code != 200 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	var who struct{ CSRF string }
	json.Unmarshal(rec.Body.Bytes(), &who)
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "cc_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || who.CSRF == "" {
		t.Fatalf("cookie %+v csrf %q", session, who.CSRF)
	}
	withCookie := func(method, target, body, csrf string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, bytes.NewReader([]byte(body)))
		req.AddCookie(session)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	if rec := withCookie(http.MethodGet, "/api/v1/clusters/alu/metrics", "", ""); rec.Code != 200 {
		t.Errorf("read with the cookie: %d", rec.Code)
	}
	body := `{"id":"new1","name":"Новый"}`
	if rec := withCookie(http.MethodPost, "/api/v1/clusters/alu/participants", body, ""); rec.Code != 403 {
		t.Errorf("change without CSRF: %d", rec.Code)
	}
	if rec := withCookie(http.MethodPost, "/api/v1/clusters/alu/participants", body, "wrong"); rec.Code != 403 {
		t.Errorf("change with a wrong CSRF token: %d", rec.Code)
	}
	if rec := withCookie(http.MethodPost, "/api/v1/clusters/alu/participants", body, who.CSRF); rec.Code != 201 {
		t.Errorf("change with CSRF: %d %s", rec.Code, rec.Body)
	}
	if rec := withCookie(http.MethodDelete, "/api/v1/session", "", who.CSRF); rec.Code != 204 {
		t.Errorf("logout: %d", rec.Code)
	}
	if rec := withCookie(http.MethodGet, "/api/v1/clusters/alu/metrics", "", ""); rec.Code != 401 {
		t.Errorf("after logout: %d", rec.Code)
	}
}

func TestScenarioAPI(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	// A planned producer of thermal strips with capacity closes most of the gap (23).
	body := `{"name":"Завод термовставок","changes":[
		{"op":"add_participant","participant":{"id":"strips","name":"Завод термовставок","kind":"enterprise"}},
		{"op":"add_capacity","capacity":{"participant_id":"strips","product_code":"22.21.10","year":2024,"value_rub":20}}]}`
	rec := call(s, http.MethodPost, "/api/v1/clusters/alu/scenarios", ed, body)
	if rec.Code != 201 {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	var out struct {
		Scenario struct {
			ID      string
			Version int64
		}
		Comparison struct {
			Niches []struct {
				ProductCode string  `json:"product_code"`
				BaseGap     float64 `json:"base_gap_rub"`
				Gap         float64 `json:"gap_rub"`
			}
		}
	}
	json.Unmarshal(rec.Body.Bytes(), &out)
	if len(out.Comparison.Niches) == 0 || out.Comparison.Niches[0].BaseGap != 23 || out.Comparison.Niches[0].Gap != 3 {
		t.Errorf("comparison: %+v", out.Comparison)
	}
	// The stored data is untouched.
	ds, _ := db.ClusterData(t.Context(), "alu")
	for _, p := range ds.Participants {
		if p.ID == "strips" {
			t.Fatal("the scenario touched the stored data")
		}
	}
	id := out.Scenario.ID
	if rec := call(s, http.MethodGet, "/api/v1/clusters/alu/scenarios/"+id, ed, ""); rec.Code != 200 {
		t.Errorf("get: %d", rec.Code)
	}
	for _, f := range []string{"svg", "png"} {
		if rec := call(s, http.MethodGet, "/api/v1/clusters/alu/scenarios/"+id+"/diagram."+f, ed, ""); rec.Code != 200 {
			t.Errorf("diagram %s: %d %s", f, rec.Code, rec.Body)
		}
	}
	// A stale update is refused.
	put := func(ver string) int {
		req := httptest.NewRequest(http.MethodPut, "/api/v1/clusters/alu/scenarios/"+id, strings.NewReader(`{"name":"v2","changes":[]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+ed)
		req.Header.Set("If-Match", ver)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code
	}
	if c := put(`"1"`); c != 200 {
		t.Errorf("update: %d", c)
	}
	if c := put(`"1"`); c != 409 {
		t.Errorf("stale update: %d", c)
	}
	// A scenario that cannot be applied is refused with the reason.
	rec = call(s, http.MethodPost, "/api/v1/clusters/alu/scenarios", ed, `{"name":"bad","changes":[{"op":"remove_participant","participant_id":"ghost"}]}`)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "no such participant") {
		t.Errorf("bad scenario: %d %s", rec.Code, rec.Body)
	}
	if rec := call(s, http.MethodDelete, "/api/v1/clusters/alu/scenarios/"+id, ed, ""); rec.Code != 204 {
		t.Errorf("delete: %d", rec.Code)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	s, _ := newTestServer(t, demoSeed())
	call(s, http.MethodGet, "/api/v1/clusters/alu/metrics", "", "")
	rec := call(s, http.MethodGet, "/metrics", "", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `coopchain_http_requests_total{method="GET",route="/api/v1/clusters/:id/metrics",status="200"}`) {
		t.Errorf("%d %.500s", rec.Code, rec.Body)
	}
}

// A panic becomes a 500 with the error shape and no internals.
func TestPanicRecovered(t *testing.T) {
	s, _ := newRawServer(t, nil, server.Config{})
	s.Echo().GET("/test-panic", func(c echo.Context) error { panic("secret stack detail: password=hunter2") })
	rec := call(s, http.MethodGet, "/test-panic", "", "")
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "hunter2") || !strings.Contains(rec.Body.String(), `"code":"internal"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	if rec := call(s, http.MethodGet, "/api/v1/clusters", "", ""); rec.Code != 200 {
		t.Errorf("after the panic: %d", rec.Code)
	}
}
