package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestDiagramRoutes(t *testing.T) {
	s, _ := newTestServer(t, demoSeed())
	tests := []struct {
		target string
		status int
		ctype  string
	}{
		{"/api/v1/clusters/alu/diagram.svg", 200, "image/svg+xml"},
		{"/api/v1/clusters/alu/diagram.png", 200, "image/png"},
		{"/api/v1/clusters/alu/diagram.dot", 200, "text/vnd.graphviz"},
		{"/api/v1/clusters/alu/diagram.svg?view=participant&participant=profile&hops=1&lang=en", 200, "image/svg+xml"},
		{"/api/v1/clusters/alu/diagram.svg?view=product&product=24.42.22", 200, "image/svg+xml"},
		{"/api/v1/clusters/alu/diagram.png?view=niches", 200, "image/png"},
		{"/api/v1/clusters/alu/diagram.svg?view=pie", 400, "application/json"},
		{"/api/v1/clusters/alu/diagram.svg?view=participant", 400, "application/json"},
		{"/api/v1/clusters/alu/diagram.svg?view=participant&participant=ghost", 404, "application/json"},
		{"/api/v1/clusters/alu/diagram.svg?hops=99", 400, "application/json"},
		{"/api/v1/clusters/alu/diagram.svg?lang=de", 400, "application/json"},
		{"/api/v1/clusters/alu/diagram.svg?color=red", 400, "application/json"},
		{"/api/v1/clusters/nope/diagram.svg", 404, "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.target, nil))
			if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) {
				t.Fatalf("%d %s: %.200s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}

// 20 concurrent requests for different views all succeed (or are told to
// retry with 503), and the server keeps working.
func TestDiagramConcurrent(t *testing.T) {
	s, _ := newTestServer(t, demoSeed())
	views := []string{"view=cluster", "view=participant&participant=profile", "view=product&product=24.42.22", "view=niches",
		"view=participant&participant=win1&hops=1", "view=cluster&lang=en", "view=niches&lang=en", "view=participant&participant=ingots"}
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			format := []string{"svg", "png"}[i%2]
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/clusters/alu/diagram.%s?%s", format, views[i%len(views)]), nil))
			codes[i] = rec.Code
			if rec.Code == 503 && rec.Header().Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 200 {
			ok++
		} else if c != 503 {
			t.Errorf("status %d", c)
		}
	}
	if ok < 10 {
		t.Errorf("only %d of 20 succeeded: %v", ok, codes)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/clusters/alu/diagram.svg", nil))
	if rec.Code != 200 {
		t.Errorf("after the burst: %d", rec.Code)
	}
}
