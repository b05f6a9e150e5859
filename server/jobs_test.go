package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/coopchain/coopchain/server"
)

type jobBody struct {
	ID            string  `json:"id"`
	ClusterID     string  `json:"cluster_id"`
	State         string  `json:"state"`
	Progress      float64 `json:"progress"`
	Step          string  `json:"step"`
	Result        string  `json:"result"`
	LatestVersion int64   `json:"latest_version"`
}

// A job started over the API runs to done with progress 1, its result is
// the report, and a finished job cannot be cancelled.
func TestAnalysisJobLifecycle(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	viewer, editor := token(t, db, "viewer", "alu"), token(t, db, "editor", "alu")
	rec := call(s, http.MethodPost, "/api/v1/clusters/alu/jobs", viewer, "")
	if rec.Code != http.StatusAccepted && rec.Code != http.StatusOK {
		t.Fatalf("start: %d %s", rec.Code, rec.Body)
	}
	var j jobBody
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil || j.ID == "" || j.ClusterID != "alu" {
		t.Fatalf("start body: %s", rec.Body)
	}
	if loc := rec.Header().Get("Location"); loc != "/api/v1/clusters/alu/jobs/"+j.ID {
		t.Errorf("Location %q", loc)
	}
	deadline := time.Now().Add(30 * time.Second)
	for j.State != "done" {
		if time.Now().After(deadline) || j.State == "failed" || j.State == "cancelled" {
			t.Fatalf("job: %+v", j)
		}
		time.Sleep(20 * time.Millisecond)
		rec = call(s, http.MethodGet, "/api/v1/clusters/alu/jobs/"+j.ID, viewer, "")
		if rec.Code != 200 {
			t.Fatalf("status: %d %s", rec.Code, rec.Body)
		}
		json.Unmarshal(rec.Body.Bytes(), &j)
	}
	if j.Progress != 1 || j.Result != "/api/v1/clusters/alu/analysis" || j.LatestVersion == 0 {
		t.Errorf("done job: %+v", j)
	}
	if rec := call(s, http.MethodGet, j.Result, viewer, ""); rec.Code != 200 {
		t.Errorf("result: %d", rec.Code)
	}
	// Starting again returns the cached report's job at once.
	rec = call(s, http.MethodPost, "/api/v1/clusters/alu/jobs", viewer, `{"year": 2024}`)
	if rec.Code != http.StatusAccepted && rec.Code != http.StatusOK {
		t.Errorf("start with year: %d %s", rec.Code, rec.Body)
	}
	if rec := call(s, http.MethodDelete, "/api/v1/clusters/alu/jobs/"+j.ID, editor, ""); rec.Code != http.StatusConflict {
		t.Errorf("cancel a finished job: %d %s", rec.Code, rec.Body)
	}
	// Jobs of one cluster are not reachable through another.
	if rec := call(s, http.MethodGet, "/api/v1/clusters/beta/jobs/"+j.ID, token(t, db, "viewer", "beta"), ""); rec.Code != http.StatusNotFound {
		t.Errorf("job through another cluster: %d", rec.Code)
	}
	for _, body := range []string{`{"year": 1200}`, `{"cluster_id": "beta"}`} {
		if rec := call(s, http.MethodPost, "/api/v1/clusters/alu/jobs", viewer, body); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", body, rec.Code)
		}
	}
	if rec := call(s, http.MethodDelete, "/api/v1/clusters/alu/jobs/"+j.ID, viewer, ""); rec.Code != http.StatusForbidden {
		t.Errorf("viewer cancels: %d", rec.Code)
	}
}
