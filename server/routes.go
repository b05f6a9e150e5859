package server

import (
	"net/http"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/diagram"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/labstack/echo/v4"
)

// route is one entry of the API: the one list of every route, its
// permission and its summary (the OpenAPI document is made from it).
type route struct {
	method, path string
	perm         app.Perm
	tag          string
	summary      string
	handler      echo.HandlerFunc
}

const v1 = "/api/v1"

func (s *Server) routeTable() []route {
	return append([]route{
		{http.MethodGet, "/healthz", app.Public, "system", "Liveness and database check", s.handleHealth()},
		{http.MethodGet, "/metrics", app.Public, "system", "Prometheus metrics", s.handleMetrics()},
		{http.MethodGet, v1 + "/openapi.json", app.Public, "system", "This API's OpenAPI 3 document", s.handleOpenAPI()},

		{http.MethodPost, v1 + "/session", app.Public, "auth", "Sign in with a token: sets the session cookie, returns the CSRF token", s.handleLogin()},
		{http.MethodGet, v1 + "/session", app.Public, "auth", "Who is signed in", s.handleWhoAmI()},
		{http.MethodDelete, v1 + "/session", app.Public, "auth", "Sign out", s.handleLogout()},
		{http.MethodGet, v1 + "/tokens", app.Admin, "auth", "List API tokens (never their secrets)", s.handleTokens()},
		{http.MethodPost, v1 + "/tokens", app.Admin, "auth", "Create an API token; the secret is shown once", s.handleCreateToken()},
		{http.MethodDelete, v1 + "/tokens/:tid", app.Admin, "auth", "Revoke an API token", s.handleRevokeToken()},

		{http.MethodGet, v1 + "/clusters", app.Public, "registry", "The registry of clusters (filters: region, specialization, kind, q; scope: registry (default), eurasia, all)", s.handleClusters()},
		{http.MethodGet, v1 + "/clusters/:id", app.Public, "registry", "One cluster's registry entry", s.handleCluster()},
		{http.MethodGet, v1 + "/clusters/:id/published-needs", app.Public, "registry", "The cluster's identified needs as published (the Atlas prints the Omsk clusters'): value_rub or quantity and unit a year, with the source", s.handlePublishedNeeds()},
		{http.MethodGet, v1 + "/regions/rating", app.Public, "registry", "The I National rating of regions", s.handleRating()},
		{http.MethodGet, v1 + "/niches", app.SignedIn, "registry", "Published investment niches of every cluster, demand aggregated", s.handlePublishedNiches()},
		{http.MethodGet, v1 + "/products", app.Public, "registry", "The product catalogue (filter: q)", s.handleProducts()},
		{http.MethodGet, v1 + "/published-lq", app.Public, "registry", "Location quotients as documents publish them, e.g. the Kyrgyz regions' of 2018 (filters: country, region, industry)", s.handlePublishedLQ()},
		{http.MethodGet, v1 + "/support-measures", app.Public, "proposals", "Support measures of the Atlas: federal, regional, EAEU (filters: region, kind, level)", s.handleSupportMeasures()},
		{http.MethodGet, v1 + "/eaeu/rules", app.Public, "proposals", "The EAEU cooperation-project mechanism's conditions, with their sources", s.handleEAEURules()},
		{http.MethodPost, v1 + "/eaeu/check", app.Public, "proposals", "Check a proposed EAEU cooperation project: eligibility, reasons, maximum compensation", s.handleEAEUCheck()},
		{http.MethodGet, v1 + "/templates/dataset.xlsx", app.Public, "data", "Dataset template workbook", s.handleTemplate("xlsx")},
		{http.MethodGet, v1 + "/templates/dataset.zip", app.Public, "data", "Dataset template as CSV files", s.handleTemplate("zip")},

		{http.MethodGet, v1 + "/clusters/:id/participants", app.Read, "data", "Participants (filters: kind, region, q; paged)", s.handleParticipants()},
		{http.MethodPost, v1 + "/clusters/:id/participants", app.Write, "data", "Add a participant", s.handleSaveParticipant(false)},
		{http.MethodGet, v1 + "/clusters/:id/participants/:pid", app.Read, "data", "One participant with its version (ETag)", s.handleParticipant()},
		{http.MethodPut, v1 + "/clusters/:id/participants/:pid", app.Write, "data", "Replace a participant (If-Match: its version)", s.handleSaveParticipant(true)},
		{http.MethodDelete, v1 + "/clusters/:id/participants/:pid", app.Write, "data", "Remove a participant from the cluster (If-Match optional)", s.handleDeleteRecord("participant")},
		{http.MethodGet, v1 + "/clusters/:id/links", app.Read, "data", "Supply links (filters: supplier, buyer, product, year; paged)", s.handleLinks()},
		{http.MethodPost, v1 + "/clusters/:id/links", app.Write, "data", "Add or replace a supply link", s.handleSaveRecord("link")},
		{http.MethodDelete, v1 + "/clusters/:id/links", app.Write, "data", "Delete a supply link (supplier, buyer, product, year)", s.handleDeleteRecord("link")},
		{http.MethodGet, v1 + "/clusters/:id/imports", app.Read, "data", "Imported inputs (filters: participant, product, year; paged)", s.handleImports()},
		{http.MethodPost, v1 + "/clusters/:id/imports", app.Write, "data", "Add or replace an import row", s.handleSaveRecord("import")},
		{http.MethodDelete, v1 + "/clusters/:id/imports", app.Write, "data", "Delete an import row (participant, product, year, country)", s.handleDeleteRecord("import")},
		{http.MethodGet, v1 + "/clusters/:id/capacities", app.Read, "data", "Capacities (filters: participant, product, year; paged)", s.handleCapacities()},
		{http.MethodPost, v1 + "/clusters/:id/capacities", app.Write, "data", "Add or replace a capacity row", s.handleSaveRecord("capacity")},
		{http.MethodDelete, v1 + "/clusters/:id/capacities", app.Write, "data", "Delete a capacity row (participant, product, year)", s.handleDeleteRecord("capacity")},
		{http.MethodPost, v1 + "/clusters/:id/import", app.Write, "data", "Import a workbook, a zip of CSV files or CSV files (all or nothing)", s.handleImport()},
		{http.MethodGet, v1 + "/clusters/:id/export", app.Read, "data", "Export the cluster (format: csv, xlsx, json, graphml, gexf, dot; dialect: rfc4180 or excel-ru for csv; lang: ru or en for xlsx)", s.handleExport()},

		{http.MethodGet, v1 + "/clusters/:id/analysis", app.Read, "analysis", "The whole analysis report", s.handleReport(viewAll)},
		{http.MethodGet, v1 + "/clusters/:id/metrics", app.Read, "analysis", "Per-participant metrics, cycles, stages", s.handleReport(viewMetrics)},
		{http.MethodGet, v1 + "/clusters/:id/import-gaps", app.Read, "analysis", "Import gaps per product", s.handleReport(viewGaps)},
		{http.MethodGet, v1 + "/clusters/:id/niches", app.SignedIn, "analysis", "Investment niches (members: full; others: aggregated, threshold applied)", s.handleReport(s.viewNiches)},
		{http.MethodGet, v1 + "/clusters/:id/niches/:product/proposal", app.SignedIn, "proposals", "Investment proposal for a niche: demand, buyers, adjacent capabilities, markets, support measures (members: full; others: aggregated, threshold applied)", s.handleProposal()},
		{http.MethodGet, v1 + "/clusters/:id/niches/:product/proposal.xlsx", app.SignedIn, "proposals", "The investment proposal as a workbook (same rule; lang)", s.handleProposalXLSX()},
		{http.MethodGet, v1 + "/clusters/:id/typology", app.Read, "proposals", "The cluster's type after Enright with the reasons and thresholds", s.handleTypology()},
		{http.MethodGet, v1 + "/clusters/:id/eaeu-chains", app.Read, "proposals", "Cooperation chains that already span 3 or more EAEU member states", s.handleEAEUChains()},
		{http.MethodGet, v1 + "/clusters/:id/compliance", app.Read, "analysis", "PP-779 compliance checklist", s.handleReport(viewCompliance)},
		{http.MethodGet, v1 + "/clusters/:id/matches", app.Read, "analysis", "Cooperation matches for imported inputs", s.handleReport(s.viewMatches)},
		{http.MethodGet, v1 + "/clusters/:id/chain", app.Read, "analysis", "Upstream and downstream chain (participant or product)", s.handleReport(s.viewChain)},
		{http.MethodPost, v1 + "/clusters/:id/jobs", app.Read, "analysis", "Start (or join) the analysis of the cluster's current data as a background job (year)", s.handleStartJob()},
		{http.MethodGet, v1 + "/clusters/:id/jobs/:jid", app.Read, "analysis", "An analysis job's state, progress (0..1) and step", s.handleJob()},
		{http.MethodDelete, v1 + "/clusters/:id/jobs/:jid", app.Write, "analysis", "Cancel a running analysis job", s.handleCancelJob()},
		{http.MethodPost, v1 + "/lq", app.Public, "analysis", "Location quotients from an employment table", s.handleLQ()},
		{http.MethodGet, v1 + "/clusters/:id/diagram.svg", app.Read, "diagrams", "Diagram as SVG (view, participant, product, hops, lang, year)", s.handleDiagram(diagram.SVG)},
		{http.MethodGet, v1 + "/clusters/:id/diagram.png", app.Read, "diagrams", "Diagram as PNG", s.handleDiagram(diagram.PNG)},
		{http.MethodGet, v1 + "/clusters/:id/diagram.dot", app.Read, "diagrams", "Diagram as Graphviz DOT", s.handleDiagram(diagram.DOT)},

		{http.MethodGet, v1 + "/clusters/:id/scenarios", app.Read, "scenarios", "Saved scenarios", s.handleScenarios()},
		{http.MethodPost, v1 + "/clusters/:id/scenarios", app.Write, "scenarios", "Save a new scenario", s.handleSaveScenario(false)},
		{http.MethodPost, v1 + "/clusters/:id/scenarios/evaluate", app.Read, "scenarios", "Evaluate changes without saving them", s.handleEvaluateScenario()},
		{http.MethodGet, v1 + "/clusters/:id/scenarios/:sid", app.Read, "scenarios", "One scenario with its comparison to the base", s.handleScenario()},
		{http.MethodPut, v1 + "/clusters/:id/scenarios/:sid", app.Write, "scenarios", "Replace a scenario (If-Match: its version)", s.handleSaveScenario(true)},
		{http.MethodDelete, v1 + "/clusters/:id/scenarios/:sid", app.Write, "scenarios", "Delete a scenario", s.handleDeleteScenario()},
		{http.MethodGet, v1 + "/clusters/:id/scenarios/:sid/diagram.svg", app.Read, "scenarios", "The scenario compared with the base, as SVG", s.handleScenarioDiagram(diagram.SVG)},
		{http.MethodGet, v1 + "/clusters/:id/scenarios/:sid/diagram.png", app.Read, "scenarios", "The scenario compared with the base, as PNG", s.handleScenarioDiagram(diagram.PNG)},
	}, append(append(s.campaignRoutes(), s.nationalRoutes()...), s.regionRoutes()...)...)
}

// routes registers every route of routeTable with its permission check.
func (s *Server) routes() {
	for _, r := range s.routeTable() {
		s.echo.Add(r.method, r.path, r.handler, httpx.Require(r.perm))
	}
}

// RouteInfo describes a route for tests and documentation.
type RouteInfo struct {
	Method, Path, Permission string
}

// Routes lists every route with its permission: public, signed-in, member,
// editor, admin, editor-or-participant or national (admin and analyst).
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range s.routeTable() {
		out = append(out, RouteInfo{r.method, r.path, r.perm.String()})
	}
	return out
}
