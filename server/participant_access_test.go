package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/server/web"
)

// campaignIn opens a 2025 campaign in a cluster and returns its id.
func campaignIn(t *testing.T, s *server.Server, cluster, editor string) string {
	t.Helper()
	var c struct{ ID string }
	jsonCall(t, s, http.MethodPost, "/api/v1/clusters/"+cluster+"/campaigns", editor, `{"year":2025,"deadline":"2026-03-31"}`, 201, &c)
	return c.ID
}

// TestParticipantReachesOnlyItsOwnSubmission calls every route of the API
// and every page of the web UI as a participant token of cluster alu
// (participant ingots), with the path naming another participant of its
// cluster, a participant of another cluster, and itself: only its own
// submission's routes answer, besides what is public and its cluster's
// aggregated views; everything else is 401, 403 or 404, never a 2xx.
func TestParticipantReachesOnlyItsOwnSubmission(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	alu := campaignIn(t, s, "alu", token(t, db, "editor", "alu"))
	beta := campaignIn(t, s, "beta", token(t, db, "editor", "beta"))
	me := participantToken(t, db, "alu", "ingots")
	// The others' figures the participant must never see.
	secrets := []string{"profile", "win1", "win2", "win3", "b1", "b2", `"value_rub":50`, `"value_rub":30`}

	type target struct {
		name, cluster, campaign, pid string
		own                          bool
	}
	targets := []target{
		{"another participant of its cluster", "alu", alu, "profile", false},
		{"a participant of another cluster", "beta", beta, "b1", false},
		{"itself through another cluster", "beta", beta, "ingots", false},
		{"itself", "alu", alu, "ingots", true},
	}
	path := func(p string, tg target) string {
		return strings.NewReplacer(":id", tg.cluster, ":cid", tg.campaign, ":pid", tg.pid, ":sid", "s-none", ":tid", "000000000000",
			":jid", "j-none", ":product", "22.21.10").Replace(p)
	}
	checked := 0
	for _, r := range s.Routes() {
		for _, tg := range targets {
			if r.Permission == "public" {
				continue // open to anyone (the registry, products, templates …)
			}
			body := ""
			if r.Method == http.MethodPost || r.Method == http.MethodPut {
				body = `{}`
			}
			rec := call(s, r.Method, path(r.Path, tg), me, body)
			checked++
			switch {
			case r.Permission == "editor-or-participant" && tg.own:
				if rec.Code == 401 || rec.Code == 403 {
					t.Errorf("%s %s (%s): %d, want its own submission", r.Method, r.Path, tg.name, rec.Code)
				}
			case r.Permission == "signed-in" && tg.cluster == "alu" && strings.Contains(r.Path, ":id"):
				// Its own cluster's aggregated views (niches, proposals).
				for _, sec := range secrets[:4] {
					if rec.Code < 300 && strings.Contains(rec.Body.String(), sec) {
						t.Errorf("%s %s: the aggregated view shows %q", r.Method, r.Path, sec)
					}
				}
			default:
				if rec.Code != 401 && rec.Code != 403 && rec.Code != 404 {
					t.Errorf("%s %s (%s): %d, want 401, 403 or 404: %.200s", r.Method, path(r.Path, tg), tg.name, rec.Code, rec.Body)
				}
			}
		}
	}

	// Every page of the web UI.
	ui := web.New(s.App(), nil, web.Options{})
	for _, r := range ui.Routes() {
		for _, tg := range targets {
			p := path(r.Path, tg)
			rec := call(s, r.Method, p, me, "")
			checked++
			open := r.Path == "/my" || r.Path == "/login" || r.Path == "/login/invite" || r.Path == "/logout" || r.Perm == app.Own && tg.own
			if open {
				// Signing in with no token or code is 401; never refused as forbidden.
				if rec.Code == 403 || rec.Code == 401 && r.Perm == app.Own {
					t.Errorf("page %s %s (%s): %d, want it open to the participant", r.Method, p, tg.name, rec.Code)
				}
				continue
			}
			if rec.Code != 401 && rec.Code != 403 && rec.Code != 404 {
				t.Errorf("page %s %s (%s): %d, want 401, 403 or 404", r.Method, p, tg.name, rec.Code)
			}
			for _, sec := range secrets[:5] {
				if strings.Contains(rec.Body.String(), ">"+sec) || strings.Contains(rec.Body.String(), "Профиль") {
					t.Errorf("page %s %s: the refusal shows %q", r.Method, p, sec)
				}
			}
		}
	}
	if checked < 300 {
		t.Errorf("only %d calls checked", checked)
	}

	// Its own submission answers, and carries no other company's figure.
	rec := call(s, http.MethodGet, "/api/v1/clusters/alu/campaigns/"+alu+"/submissions/ingots", me, "")
	if rec.Code != 200 {
		t.Fatalf("own submission: %d %s", rec.Code, rec.Body)
	}
	for _, sec := range []string{`"value_rub":50`, `"value_rub":30`, "win1", "Окна"} {
		if strings.Contains(rec.Body.String(), sec) {
			t.Errorf("its own submission shows %q: %s", sec, rec.Body)
		}
	}
	rec = call(s, http.MethodGet, "/clusters/alu/campaigns/"+alu+"/submissions/ingots", me, "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="sub-form"`) {
		t.Errorf("own form page: %d", rec.Code)
	}
}
