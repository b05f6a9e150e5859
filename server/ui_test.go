package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coopchain/coopchain/server"
)

// TestPagesAccess checks the web pages' answers per visitor: members get
// the page, visitors who are not signed in are sent to sign in, others get
// an error page (HTML, never the API's JSON) without the cluster's data.
func TestPagesAccess(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{RatePerIP: -1, RatePerToken: -1})
	viewerAlu := token(t, db, "viewer", "alu")
	viewerBeta := token(t, db, "viewer", "beta")
	pages := []string{"/clusters/alu/gaps", "/clusters/alu/matches", "/clusters/alu/compliance", "/clusters/alu/typology", "/clusters/alu/scenarios",
		"/clusters/alu/report", "/clusters/alu/participants/profile"}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			rec := call(s, http.MethodGet, p, "", "")
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
				t.Errorf("anonymous: %d %q, want a redirect to sign in", rec.Code, rec.Header().Get("Location"))
			}
			rec = call(s, http.MethodGet, p, viewerBeta, "")
			if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Errorf("other cluster's viewer: %d %s, want a 403 page", rec.Code, rec.Header().Get("Content-Type"))
			}
			if strings.Contains(rec.Body.String(), "Профиль") {
				t.Errorf("the 403 page shows the cluster's data")
			}
			rec = call(s, http.MethodGet, p, viewerAlu, "")
			if rec.Code != http.StatusOK {
				t.Errorf("member: %d", rec.Code)
			}
		})
	}
	// A viewer may not change anything: the scenario form is refused.
	rec := call(s, http.MethodPost, "/clusters/alu/scenarios", viewerAlu, "")
	if rec.Code != http.StatusForbidden {
		t.Errorf("viewer posting a scenario: %d", rec.Code)
	}
}
