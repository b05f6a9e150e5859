package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server"
	"github.com/coopchain/coopchain/sqlstore"
)

// twoClusters: "alu" with data (demoSeed) and "beta" with one participant.
func twoClusters() *gm.Seed {
	s := demoSeed()
	v := 7.0
	s.Clusters = append(s.Clusters, gm.Cluster{ID: "beta", Name: "Бета", Kind: gm.ClusterIndustrial, Regions: []string{"Омская область"}})
	s.Data["beta"] = &gm.Dataset{Participants: []gm.Participant{{ID: "b1", Name: "Б1", Kind: gm.KindEnterprise}, {ID: "b2", Name: "Б2", Kind: gm.KindEnterprise}},
		Links: []gm.SupplyLink{{SupplierID: "b1", BuyerID: "b2", ProductCode: "25.11", Year: 2024, ValueRUB: &v}}}
	return s
}

type caller struct {
	name, token string
}

func call(s http.Handler, method, target, token, body string) *httptest.ResponseRecorder {
	var rd *bytes.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// participantToken is a participant token of cluster for participant pid.
func participantToken(t *testing.T, db *sqlstore.DB, cluster, pid string) string {
	t.Helper()
	_, full, err := server.NewParticipantToken(context.Background(), db, cluster, pid, "test")
	if err != nil {
		t.Fatal(err)
	}
	return full
}

// TestRoleMatrix calls every route as every role, for cluster "alu":
// allowed calls never get 401/403, denied ones get 401 (anonymous) or 403.
// A participant token (of alu, for ingots) is signed in only for routes of
// its own cluster and may reach its own submission.
func TestRoleMatrix(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	callers := []caller{
		{"participant-alu", participantToken(t, db, "alu", "ingots")},
		{"participant-alu-other", participantToken(t, db, "alu", "profile")},
		{"participant-beta", participantToken(t, db, "beta", "b1")},
		{"public", ""},
		{"investor", token(t, db, "investor", "")},
		{"analyst", token(t, db, "analyst", "")},
		{"viewer-alu", token(t, db, "viewer", "alu")},
		{"viewer-beta", token(t, db, "viewer", "beta")},
		{"editor-alu", token(t, db, "editor", "alu")},
		{"editor-beta", token(t, db, "editor", "beta")},
		{"admin", token(t, db, "admin", "")},
	}
	allowed := map[string]map[string]bool{
		"public":                {"public": true},
		"signed-in":             {"investor": true, "analyst": true, "viewer-alu": true, "viewer-beta": true, "editor-alu": true, "editor-beta": true, "admin": true},
		"member":                {"viewer-alu": true, "editor-alu": true, "admin": true},
		"editor":                {"editor-alu": true, "admin": true},
		"admin":                 {"admin": true},
		"editor-or-participant": {"editor-alu": true, "admin": true, "participant-alu": true},
		"national":              {"admin": true, "analyst": true},
	}
	replacer := strings.NewReplacer(":id", "alu", ":pid", "ingots", ":sid", "s-none", ":tid", "000000000000", ":jid", "j-none", ":product", "22.21.10", ":cid", "c-none")
	nAllowed, nDenied := 0, 0
	defer func() {
		if nAllowed < 100 || nDenied < 100 {
			t.Errorf("only %d allowed and %d denied calls checked", nAllowed, nDenied)
		}
	}()
	for _, r := range s.Routes() {
		if r.Path == "/api/v1/session" && r.Method == http.MethodPost {
			continue // signing in is tested on its own
		}
		for _, c := range callers {
			target := replacer.Replace(r.Path)
			body := ""
			if r.Method == http.MethodPost || r.Method == http.MethodPut {
				body = `{}`
			}
			rec := call(s, r.Method, target, c.token, body)
			ok := allowed[r.Permission][c.name] || r.Permission == "public"
			if r.Permission == "signed-in" && (c.name == "participant-alu" || c.name == "participant-alu-other") {
				ok = strings.Contains(r.Path, ":id") // only its own cluster's aggregated views
			}
			if ok {
				nAllowed++
			} else {
				nDenied++
			}
			switch {
			case ok && (rec.Code == 401 || rec.Code == 403):
				t.Errorf("%s %s as %s: %d, want allowed: %s", r.Method, r.Path, c.name, rec.Code, rec.Body)
			case !ok && c.token == "" && rec.Code != 401:
				t.Errorf("%s %s anonymously: %d, want 401", r.Method, r.Path, rec.Code)
			case !ok && c.token != "" && rec.Code != 403:
				t.Errorf("%s %s as %s: %d, want 403", r.Method, r.Path, c.name, rec.Code)
			}
			if rec.Code >= 400 {
				var e struct {
					Error struct {
						Code    string `json:"code"`
						Message string `json:"message"`
					} `json:"error"`
				}
				if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" {
					t.Errorf("%s %s as %s: error body is not the error shape: %s", r.Method, r.Path, c.name, rec.Body)
				}
			}
		}
	}
}

// A token for cluster beta gets nothing of cluster alu.
func TestObjectLevelAccess(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	beta := token(t, db, "editor", "beta")
	for _, target := range []string{"/api/v1/clusters/alu/links", "/api/v1/clusters/alu/participants", "/api/v1/clusters/alu/metrics",
		"/api/v1/clusters/alu/export?format=json", "/api/v1/clusters/alu/diagram.svg", "/api/v1/clusters/alu/imports"} {
		rec := call(s, http.MethodGet, target, beta, "")
		if rec.Code != 403 || strings.Contains(rec.Body.String(), "ingots") {
			t.Errorf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	if rec := call(s, http.MethodPost, "/api/v1/clusters/alu/links", beta, `{"supplier_id":"ingots","buyer_id":"win1","product_code":"24.42.22","year":2024,"value_rub":1}`); rec.Code != 403 {
		t.Errorf("write to another cluster: %d", rec.Code)
	}
	if rec := call(s, http.MethodGet, "/api/v1/clusters/beta/links", beta, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "b1") {
		t.Errorf("own cluster: %d %s", rec.Code, rec.Body)
	}
}

// Non-members see niches only aggregated: no importer, and no demand when
// fewer than the threshold participants import the product.
func TestNicheConfidentiality(t *testing.T) {
	seed := twoClusters()
	// alu: 22.21.10 is imported by 3 participants; add a product only one imports.
	seed.Data["alu"].Imports = append(seed.Data["alu"].Imports, gm.Import{ParticipantID: "win1", ProductCode: "25.72.14", Year: 2024, ValueRUB: 999})
	s, db := newRawServer(t, seed, server.Config{})
	for _, tc := range []struct {
		name, token string
		full        bool
	}{
		{"investor", token(t, db, "investor", ""), false},
		{"viewer of another cluster", token(t, db, "viewer", "beta"), false},
		{"member", token(t, db, "viewer", "alu"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(s, http.MethodGet, "/api/v1/clusters/alu/niches", tc.token, "")
			if rec.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			body := rec.Body.String()
			if tc.full {
				if !strings.Contains(body, `"importers"`) || !strings.Contains(body, "win1") {
					t.Errorf("member does not see importers: %s", body)
				}
				return
			}
			for _, secret := range []string{"win1", "win2", "win3", `"importers"`, "999"} {
				if strings.Contains(body, secret) {
					t.Errorf("non-member sees %q: %s", secret, body)
				}
			}
			var out struct {
				Items []server.PublicNiche `json:"items"`
			}
			json.Unmarshal(rec.Body.Bytes(), &out)
			seen := map[string]server.PublicNiche{}
			for _, n := range out.Items {
				seen[n.ProductCode] = n
			}
			if n := seen["22.21.10"]; n.Confidential || n.GapRUB == nil || *n.GapRUB != 23 || n.Buyers != 3 {
				t.Errorf("3 buyers: %+v", n)
			}
			if n := seen["25.72.14"]; !n.Confidential || n.GapRUB != nil || n.ImportedRUB != nil {
				t.Errorf("1 buyer must be confidential: %+v", n)
			}
		})
	}
	// The threshold is configurable.
	s2, db2 := newRawServer(t, seed, server.Config{AggregationThreshold: 4})
	rec := call(s2, http.MethodGet, "/api/v1/clusters/alu/niches", token(t, db2, "investor", ""), "")
	if strings.Contains(rec.Body.String(), `"gap_rub":23`) {
		t.Errorf("threshold 4 still shows a 3-buyer demand: %s", rec.Body)
	}
	// Published niches across clusters, for investors.
	rec = call(s, http.MethodGet, "/api/v1/niches", token(t, db, "investor", ""), "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "22.21.10") || strings.Contains(rec.Body.String(), "win1") {
		t.Errorf("published niches: %d %s", rec.Code, rec.Body)
	}
}

func TestTokensAndRevocation(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	admin := token(t, db, "admin", "")
	rec := call(s, http.MethodPost, "/api/v1/tokens", admin, `{"role":"viewer","cluster_id":"alu","name":"analyst"}`)
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var created struct{ Token, ID string }
	json.Unmarshal(rec.Body.Bytes(), &created)
	if !strings.HasPrefix(created.Token, "cc_") {
		t.Fatalf("token %q", created.Token)
	}
	if rec := call(s, http.MethodGet, "/api/v1/clusters/alu/metrics", created.Token, ""); rec.Code != 200 {
		t.Fatalf("new token: %d", rec.Code)
	}
	// The list never shows secrets.
	list := call(s, http.MethodGet, "/api/v1/tokens", admin, "").Body.String()
	if strings.Contains(list, created.Token[16:]) || !strings.Contains(list, created.ID) {
		t.Errorf("token list: %s", list)
	}
	// The secret is stored hashed.
	stored, _ := db.Token(t.Context(), created.ID)
	if strings.Contains(stored.SecretHash, created.Token[16:]) || len(stored.SecretHash) != 64 {
		t.Errorf("stored secret %q", stored.SecretHash)
	}
	if rec := call(s, http.MethodDelete, "/api/v1/tokens/"+created.ID, admin, ""); rec.Code != 204 {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if rec := call(s, http.MethodGet, "/api/v1/clusters/alu/metrics", created.Token, ""); rec.Code != 401 {
		t.Errorf("revoked token: %d", rec.Code)
	}
	if rec := call(s, http.MethodGet, "/api/v1/clusters", "cc_000000000000_forgedforgedforgedforged", ""); rec.Code != 401 {
		t.Errorf("forged token on a public route: %d", rec.Code)
	}
	for _, body := range []string{`{"role":"root"}`, `{"role":"admin","cluster_id":"alu"}`, `{"role":"viewer","cluster_id":"nope"}`} {
		if rec := call(s, http.MethodPost, "/api/v1/tokens", admin, body); rec.Code != 400 && rec.Code != 404 {
			t.Errorf("%s: %d", body, rec.Code)
		}
	}
}

// Setting id, role or cluster_id in a body is refused.
func TestMassAssignment(t *testing.T) {
	s, db := newRawServer(t, twoClusters(), server.Config{})
	ed := token(t, db, "editor", "alu")
	tests := []struct{ method, target, body string }{
		{http.MethodPost, "/api/v1/clusters/alu/participants", `{"id":"x1","name":"X","cluster_id":"beta"}`},
		{http.MethodPost, "/api/v1/clusters/alu/participants", `{"id":"x1","name":"X","clusters":["beta"]}`},
		{http.MethodPost, "/api/v1/clusters/alu/participants", `{"id":"x1","name":"X","role":"admin"}`},
		{http.MethodPost, "/api/v1/clusters/alu/participants", `{"id":"x1","name":"X","version":99}`},
		{http.MethodPut, "/api/v1/clusters/alu/participants/ingots", `{"id":"renamed","name":"X"}`},
		{http.MethodPost, "/api/v1/clusters/alu/links", `{"supplier_id":"ingots","buyer_id":"win1","cluster_id":"beta"}`},
		{http.MethodPost, "/api/v1/session", `{"token":"x","role":"admin"}`},
	}
	for _, tc := range tests {
		rec := call(s, tc.method, tc.target, ed, tc.body)
		if rec.Code != 400 {
			t.Errorf("%s %s %s: %d %s", tc.method, tc.target, tc.body, rec.Code, rec.Body)
		}
	}
	ds, _ := db.ClusterData(t.Context(), "beta")
	for _, p := range ds.Participants {
		if p.ID == "x1" {
			t.Error("x1 landed in beta")
		}
	}
	if _, err := db.Version(t.Context(), "alu", gm.RecordKey{Kind: "participant", ParticipantID: "renamed"}); gm.ErrorCode(err) != gm.ENOTFOUND {
		t.Error("participant renamed through the body")
	}
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	s, _ := newRawServer(t, nil, server.Config{})
	var registered []string
	for _, r := range s.Echo().Routes() {
		if r.Method == "echo_route_not_found" || strings.HasSuffix(r.Name, "glob..func1") {
			continue
		}
		// The web UI's pages are not part of the API.
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/metrics" {
			continue
		}
		registered = append(registered, r.Method+" "+strings.NewReplacer(":id", "{id}", ":pid", "{pid}", ":sid", "{sid}", ":tid", "{tid}", ":jid", "{jid}", ":product", "{product}", ":cid", "{cid}", ":name", "{name}").Replace(r.Path))
	}
	sort.Strings(registered)
	doc := s.OpenAPIPaths()
	if strings.Join(registered, "\n") != strings.Join(doc, "\n") {
		t.Errorf("routes and OpenAPI differ:\nregistered:\n%s\n\nopenapi:\n%s", strings.Join(registered, "\n"), strings.Join(doc, "\n"))
	}
	rec := call(s, http.MethodGet, "/api/v1/openapi.json", "", "")
	var d map[string]any
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &d) != nil || d["openapi"] != "3.0.3" {
		t.Errorf("openapi.json: %d", rec.Code)
	}
}
