package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/coopchain/coopchain/seeds"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// builtIn is a server on the built-in data (104 clusters, the demo cluster)
// with an editor token of the demo cluster.
func builtIn(b *testing.B) (*server.Server, string) {
	b.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	seed, err := seeds.Load()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.LoadSeed(ctx, seed); err != nil {
		b.Fatal(err)
	}
	ref, err := seeds.Reference()
	if err != nil {
		b.Fatal(err)
	}
	s := server.New(server.Deps{Store: db, Reference: ref, Config: server.Config{RatePerIP: -1, RatePerToken: -1}})
	_, tok, err := server.NewToken(ctx, db, "editor", seeds.DemoCluster, "bench")
	if err != nil {
		b.Fatal(err)
	}
	return s, tok
}

func benchGet(b *testing.B, s http.Handler, target, tok string) {
	b.Helper()
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	if rec := get(); rec.Code != 200 { // warm: analysis and diagram cached
		b.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rec := get(); rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkClusterPage renders the demo cluster's page (figures, chain
// diagram, stages, compliance) warm: analysis and diagram cached.
func BenchmarkClusterPage(b *testing.B) {
	s, tok := builtIn(b)
	benchGet(b, s, "/clusters/"+seeds.DemoCluster, tok)
}

// BenchmarkRegistryJSON serves the landing page's data, GET /api/v1/clusters.
func BenchmarkRegistryJSON(b *testing.B) {
	s, _ := builtIn(b)
	benchGet(b, s, "/api/v1/clusters", "")
}

// BenchmarkMetricsJSON serves a cluster's metrics (cached report), the
// reference for the registry's rate.
func BenchmarkMetricsJSON(b *testing.B) {
	s, tok := builtIn(b)
	benchGet(b, s, "/api/v1/clusters/"+seeds.DemoCluster+"/metrics", tok)
}
