package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serve starts `coopchain serve` on port 0 and returns its base URL and a stop function.
func serve(t *testing.T, dbPath string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	var stderr bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdout: &bytes.Buffer{}, stderr: &stderr, ready: func(a string) { addrc <- a }}
	go func() { done <- runEnv(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath}, e) }()
	select {
	case a := <-addrc:
		return "http://" + a, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// The server seeds an empty database once; a restart keeps the data and does
// not load the seed again.
func TestServeSeedsOnceAndRestarts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "coopchain.db")
	var first struct {
		Items []struct{ ID, Name string } `json:"items"`
		Total int                         `json:"total"`
	}
	base, stop := serve(t, db)
	getJSON(t, base+"/api/v1/clusters", &first)
	var health struct {
		DataVersion int64 `json:"data_version"`
	}
	getJSON(t, base+"/healthz", &health)
	stop()
	if first.Total != 104 || len(first.Items) != 104 {
		t.Fatalf("%d clusters listed (total %d), want 104", len(first.Items), first.Total)
	}
	base, stop = serve(t, db)
	defer stop()
	var second struct {
		Total int `json:"total"`
	}
	getJSON(t, base+"/api/v1/clusters", &second)
	var health2 struct {
		DataVersion int64 `json:"data_version"`
	}
	getJSON(t, base+"/healthz", &health2)
	if second.Total != 104 || health2.DataVersion != health.DataVersion {
		t.Errorf("after restart: %d clusters, data version %d → %d", second.Total, health.DataVersion, health2.DataVersion)
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, &out, &out)
	if err == nil || exitCode(err) != 2 || !strings.Contains(out.String(), "usage:") {
		t.Errorf("err=%v out=%s", err, out.String())
	}
}
