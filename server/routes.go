package server

import (
	"net/http"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/diagram"
	"github.com/labstack/echo/v4"
)

// route is one entry of the API: the one list of every route, its
// permission and its summary (the OpenAPI document is made from it).
type route struct {
	method, path string
	perm         perm
	tag          string
	summary      string
	handler      echo.HandlerFunc
}

const v1 = "/api/v1"

func (s *Server) routeTable() []route {
	report := func(fn func(*analysis.Report, *gm.Dataset, echo.Context) (any, error)) echo.HandlerFunc {
		return s.handleReport(fn)
	}
	return []route{
		{http.MethodGet, "/healthz", permPublic, "system", "Liveness and database check", s.handleHealth()},
		{http.MethodGet, "/metrics", permPublic, "system", "Prometheus metrics", s.handleMetrics()},
		{http.MethodGet, v1 + "/openapi.json", permPublic, "system", "This API's OpenAPI 3 document", s.handleOpenAPI()},

		{http.MethodPost, v1 + "/session", permPublic, "auth", "Sign in with a token: sets the session cookie, returns the CSRF token", s.handleLogin()},
		{http.MethodGet, v1 + "/session", permPublic, "auth", "Who is signed in", s.handleWhoAmI()},
		{http.MethodDelete, v1 + "/session", permPublic, "auth", "Sign out", s.handleLogout()},
		{http.MethodGet, v1 + "/tokens", permAdmin, "auth", "List API tokens (never their secrets)", s.handleTokens()},
		{http.MethodPost, v1 + "/tokens", permAdmin, "auth", "Create an API token; the secret is shown once", s.handleCreateToken()},
		{http.MethodDelete, v1 + "/tokens/:tid", permAdmin, "auth", "Revoke an API token", s.handleRevokeToken()},

		{http.MethodGet, v1 + "/clusters", permPublic, "registry", "The registry of clusters (filters: region, specialization, kind, q; scope: registry (default), eurasia, all)", s.handleClusters()},
		{http.MethodGet, v1 + "/clusters/:id", permPublic, "registry", "One cluster's registry entry", s.handleCluster()},
		{http.MethodGet, v1 + "/clusters/:id/published-needs", permPublic, "registry", "The cluster's identified needs as published (the Atlas prints the Omsk clusters'): value_rub or quantity and unit a year, with the source", s.handlePublishedNeeds()},
		{http.MethodGet, v1 + "/regions/rating", permPublic, "registry", "The I National rating of regions", s.handleRating()},
		{http.MethodGet, v1 + "/niches", permSignedIn, "registry", "Published investment niches of every cluster, demand aggregated", s.handlePublishedNiches()},
		{http.MethodGet, v1 + "/products", permPublic, "registry", "The product catalogue (filter: q)", s.handleProducts()},
		{http.MethodGet, v1 + "/published-lq", permPublic, "registry", "Location quotients as documents publish them, e.g. the Kyrgyz regions' of 2018 (filters: country, region, industry)", s.handlePublishedLQ()},
		{http.MethodGet, v1 + "/support-measures", permPublic, "proposals", "Support measures of the Atlas: federal, regional, EAEU (filters: region, kind, level)", s.handleSupportMeasures()},
		{http.MethodGet, v1 + "/eaeu/rules", permPublic, "proposals", "The EAEU cooperation-project mechanism's conditions, with their sources", s.handleEAEURules()},
		{http.MethodPost, v1 + "/eaeu/check", permPublic, "proposals", "Check a proposed EAEU cooperation project: eligibility, reasons, maximum compensation", s.handleEAEUCheck()},
		{http.MethodGet, v1 + "/templates/dataset.xlsx", permPublic, "data", "Dataset template workbook", s.handleTemplate("xlsx")},
		{http.MethodGet, v1 + "/templates/dataset.zip", permPublic, "data", "Dataset template as CSV files", s.handleTemplate("zip")},

		{http.MethodGet, v1 + "/clusters/:id/participants", permRead, "data", "Participants (filters: kind, region, q; paged)", s.handleParticipants()},
		{http.MethodPost, v1 + "/clusters/:id/participants", permWrite, "data", "Add a participant", s.handleSaveParticipant(false)},
		{http.MethodGet, v1 + "/clusters/:id/participants/:pid", permRead, "data", "One participant with its version (ETag)", s.handleParticipant()},
		{http.MethodPut, v1 + "/clusters/:id/participants/:pid", permWrite, "data", "Replace a participant (If-Match: its version)", s.handleSaveParticipant(true)},
		{http.MethodDelete, v1 + "/clusters/:id/participants/:pid", permWrite, "data", "Remove a participant from the cluster (If-Match optional)", s.handleDeleteRecord("participant")},
		{http.MethodGet, v1 + "/clusters/:id/links", permRead, "data", "Supply links (filters: supplier, buyer, product, year; paged)", s.handleLinks()},
		{http.MethodPost, v1 + "/clusters/:id/links", permWrite, "data", "Add or replace a supply link", s.handleSaveRecord("link")},
		{http.MethodDelete, v1 + "/clusters/:id/links", permWrite, "data", "Delete a supply link (supplier, buyer, product, year)", s.handleDeleteRecord("link")},
		{http.MethodGet, v1 + "/clusters/:id/imports", permRead, "data", "Imported inputs (filters: participant, product, year; paged)", s.handleImports()},
		{http.MethodPost, v1 + "/clusters/:id/imports", permWrite, "data", "Add or replace an import row", s.handleSaveRecord("import")},
		{http.MethodDelete, v1 + "/clusters/:id/imports", permWrite, "data", "Delete an import row (participant, product, year, country)", s.handleDeleteRecord("import")},
		{http.MethodGet, v1 + "/clusters/:id/capacities", permRead, "data", "Capacities (filters: participant, product, year; paged)", s.handleCapacities()},
		{http.MethodPost, v1 + "/clusters/:id/capacities", permWrite, "data", "Add or replace a capacity row", s.handleSaveRecord("capacity")},
		{http.MethodDelete, v1 + "/clusters/:id/capacities", permWrite, "data", "Delete a capacity row (participant, product, year)", s.handleDeleteRecord("capacity")},
		{http.MethodPost, v1 + "/clusters/:id/import", permWrite, "data", "Import a workbook, a zip of CSV files or CSV files (all or nothing)", s.handleImport()},
		{http.MethodGet, v1 + "/clusters/:id/export", permRead, "data", "Export the cluster (format: csv, xlsx, json, graphml, gexf, dot)", s.handleExport()},

		{http.MethodGet, v1 + "/clusters/:id/analysis", permRead, "analysis", "The whole analysis report", report(viewAll)},
		{http.MethodGet, v1 + "/clusters/:id/metrics", permRead, "analysis", "Per-participant metrics, cycles, stages", report(viewMetrics)},
		{http.MethodGet, v1 + "/clusters/:id/import-gaps", permRead, "analysis", "Import gaps per product", report(viewGaps)},
		{http.MethodGet, v1 + "/clusters/:id/niches", permSignedIn, "analysis", "Investment niches (members: full; others: aggregated, threshold applied)", report(s.viewNiches)},
		{http.MethodGet, v1 + "/clusters/:id/niches/:product/proposal", permSignedIn, "proposals", "Investment proposal for a niche: demand, buyers, adjacent capabilities, markets, support measures (members: full; others: aggregated, threshold applied)", s.handleProposal()},
		{http.MethodGet, v1 + "/clusters/:id/niches/:product/proposal.xlsx", permSignedIn, "proposals", "The investment proposal as a workbook (same rule; lang)", s.handleProposalXLSX()},
		{http.MethodGet, v1 + "/clusters/:id/typology", permRead, "proposals", "The cluster's type after Enright with the reasons and thresholds", s.handleTypology()},
		{http.MethodGet, v1 + "/clusters/:id/eaeu-chains", permRead, "proposals", "Cooperation chains that already span 3 or more EAEU member states", s.handleEAEUChains()},
		{http.MethodGet, v1 + "/clusters/:id/compliance", permRead, "analysis", "PP-779 compliance checklist", report(viewCompliance)},
		{http.MethodGet, v1 + "/clusters/:id/matches", permRead, "analysis", "Cooperation matches for imported inputs", report(viewMatches)},
		{http.MethodGet, v1 + "/clusters/:id/chain", permRead, "analysis", "Upstream and downstream chain (participant or product)", report(viewChain)},
		{http.MethodPost, v1 + "/clusters/:id/jobs", permRead, "analysis", "Start (or join) the analysis of the cluster's current data as a background job (year)", s.handleStartJob()},
		{http.MethodGet, v1 + "/clusters/:id/jobs/:jid", permRead, "analysis", "An analysis job's state, progress (0..1) and step", s.handleJob()},
		{http.MethodDelete, v1 + "/clusters/:id/jobs/:jid", permWrite, "analysis", "Cancel a running analysis job", s.handleCancelJob()},
		{http.MethodPost, v1 + "/lq", permPublic, "analysis", "Location quotients from an employment table", s.handleLQ()},
		{http.MethodGet, v1 + "/clusters/:id/diagram.svg", permRead, "diagrams", "Diagram as SVG (view, participant, product, hops, lang, year)", s.handleDiagram(diagram.SVG)},
		{http.MethodGet, v1 + "/clusters/:id/diagram.png", permRead, "diagrams", "Diagram as PNG", s.handleDiagram(diagram.PNG)},
		{http.MethodGet, v1 + "/clusters/:id/diagram.dot", permRead, "diagrams", "Diagram as Graphviz DOT", s.handleDiagram(diagram.DOT)},

		{http.MethodGet, v1 + "/clusters/:id/scenarios", permRead, "scenarios", "Saved scenarios", s.handleScenarios()},
		{http.MethodPost, v1 + "/clusters/:id/scenarios", permWrite, "scenarios", "Save a new scenario", s.handleSaveScenario(false)},
		{http.MethodPost, v1 + "/clusters/:id/scenarios/evaluate", permRead, "scenarios", "Evaluate changes without saving them", s.handleEvaluateScenario()},
		{http.MethodGet, v1 + "/clusters/:id/scenarios/:sid", permRead, "scenarios", "One scenario with its comparison to the base", s.handleScenario()},
		{http.MethodPut, v1 + "/clusters/:id/scenarios/:sid", permWrite, "scenarios", "Replace a scenario (If-Match: its version)", s.handleSaveScenario(true)},
		{http.MethodDelete, v1 + "/clusters/:id/scenarios/:sid", permWrite, "scenarios", "Delete a scenario", s.handleDeleteScenario()},
		{http.MethodGet, v1 + "/clusters/:id/scenarios/:sid/diagram.svg", permRead, "scenarios", "The scenario compared with the base, as SVG", s.handleScenarioDiagram(diagram.SVG)},
		{http.MethodGet, v1 + "/clusters/:id/scenarios/:sid/diagram.png", permRead, "scenarios", "The scenario compared with the base, as PNG", s.handleScenarioDiagram(diagram.PNG)},
	}
}

// routes registers every route of routeTable with its permission check.
func (s *Server) routes() {
	for _, r := range s.routeTable() {
		s.echo.Add(r.method, r.path, r.handler, s.require(r.perm))
	}
}

// RouteInfo describes a route for tests and documentation.
type RouteInfo struct {
	Method, Path, Permission string
}

// Routes lists every route with its permission: public, signed-in, member,
// editor or admin.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range s.routeTable() {
		out = append(out, RouteInfo{r.method, r.path, []string{"public", "signed-in", "member", "editor", "admin"}[r.perm]})
	}
	return out
}
