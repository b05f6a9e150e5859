package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// reportView turns an analysis into the body of one route.
type reportView func(c echo.Context, x *app.Analysed) (any, error)

func viewAll(_ echo.Context, x *app.Analysed) (any, error) { return x.Report, nil }

func viewMetrics(_ echo.Context, x *app.Analysed) (any, error) {
	r := x.Report
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "summary": r.Summary, "participants": r.Participants, "cycles": r.Cycles,
		"stages": r.Stages, "single_source_inputs": r.SingleSourceInputs, "cooperation": r.Cooperation}, nil
}

func viewGaps(_ echo.Context, x *app.Analysed) (any, error) {
	r := x.Report
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "items": r.ImportGaps, "total": len(r.ImportGaps)}, nil
}

func viewCompliance(_ echo.Context, x *app.Analysed) (any, error) {
	r := x.Report
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "compliance": r.Compliance, "cooperation": r.Cooperation}, nil
}

func (s *Server) viewMatches(_ echo.Context, x *app.Analysed) (any, error) {
	m := s.app.Matches(x)
	return map[string]any{"cluster_id": x.Report.ClusterID, "year": x.Report.Year, "items": m, "total": len(m)}, nil
}

func (s *Server) viewChain(c echo.Context, x *app.Analysed) (any, error) {
	return s.app.Chain(x, c.QueryParam("participant"), c.QueryParam("product"))
}

// viewNiches gives members the full niches and everyone else the aggregated
// public form.
func (s *Server) viewNiches(c echo.Context, x *app.Analysed) (any, error) {
	return s.app.NichesFor(who(c), x.Report), nil
}

// audience names what the caller sees of a cluster's analysis, so that a
// conditional request never matches a body made for another audience.
func audience(me app.Principal, cluster string) string {
	switch {
	case me.Member(cluster):
		return "member"
	case me.SignedIn():
		return "aggregated"
	}
	return "public"
}

// private marks a response as depending on who asks: no shared cache may
// keep it, and a private one must revalidate.
func private(c echo.Context) {
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Authorization, Cookie")
}

// notModified sets the ETag and reports whether the request's
// If-None-Match matches it (the caller then answers 304).
func notModified(c echo.Context, etag string) bool {
	c.Response().Header().Set("ETag", etag)
	private(c)
	m := c.Request().Header.Get("If-None-Match")
	return m != "" && etagMatches(m, etag)
}

// handleReport serves a view of the cluster's cached report with an ETag
// derived from the data version and the caller's audience, answering 304 to
// a matching If-None-Match. The route's permission says who may ask; the
// view applies the confidentiality rule.
func (s *Server) handleReport(view reportView) echo.HandlerFunc {
	return func(c echo.Context) error {
		year, err := httpx.Year(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		cl, err := s.app.Cluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		etag := fmt.Sprintf(`"%s-%d-%d-%s-%s"`, cl.ID, cl.Version, year, strings.TrimPrefix(c.Path(), "/api/v1/clusters/:id/"), audience(who(c), cl.ID))
		if c.QueryString() != "" {
			etag = fmt.Sprintf(`"%s-%d-%x"`, cl.ID, cl.Version, hashString(c.Path()+"?"+c.QueryString()+"|"+audience(who(c), cl.ID)))
		}
		if notModified(c, etag) {
			return c.NoContent(http.StatusNotModified)
		}
		x, err := s.app.Analysis(ctx, who(c), app.SignedIn, cl, year)
		if err != nil {
			return err
		}
		body, err := view(c, x)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, body)
	}
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func hashString(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// handlePublishedNiches lists the niches of every cluster with data, in the
// aggregated public form (members of a cluster see the same here).
func (s *Server) handlePublishedNiches() echo.HandlerFunc {
	return func(c echo.Context) error {
		ns, err := s.app.PublishedNiches(c.Request().Context(), who(c), c.QueryParam("product"))
		return list(s, c, ns, err)
	}
}

// analysed is the cluster of the path and its analysis for a member.
func (s *Server) analysed(c echo.Context) (*app.Analysed, error) {
	cl, err := s.app.Cluster(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	return s.app.Analysis(c.Request().Context(), who(c), app.Read, cl, 0)
}

func (s *Server) handleTypology() echo.HandlerFunc {
	return func(c echo.Context) error {
		x, err := s.analysed(c)
		if err != nil {
			return err
		}
		ty, err := s.app.Typology(c.Request().Context(), x)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"cluster_id": x.Cluster.ID, "typology": ty, "thresholds": app.TypologyThresholds})
	}
}

// handleEAEUChains lists the cluster's cooperation chains that already span
// enough EAEU member states for the mechanism.
func (s *Server) handleEAEUChains() echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.app.EAEURules(); err != nil {
			return err
		}
		cl, err := s.app.Cluster(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		chains, r, err := s.app.EAEUChains(c.Request().Context(), who(c), cl)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"cluster_id": cl.ID, "min_states": r.MinStates, "member_states": r.MemberStates, "items": chains, "total": len(chains)})
	}
}

// proposalFor loads the cluster and its proposal for the caller.
func (s *Server) proposalFor(c echo.Context) (app.ProposalView, error) {
	year, err := httpx.Year(c)
	if err != nil {
		return app.ProposalView{}, err
	}
	cl, err := s.app.Cluster(c.Request().Context(), c.Param("id"))
	if err != nil {
		return app.ProposalView{}, err
	}
	return s.app.Proposal(c.Request().Context(), who(c), cl, c.Param("product"), year)
}

// handleProposal answers the investment proposal for a niche as JSON.
func (s *Server) handleProposal() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.proposalFor(c)
		if err != nil {
			return err
		}
		private(c)
		return c.JSON(http.StatusOK, v)
	}
}

// handleProposalXLSX answers the proposal as a workbook (the same
// confidentiality rule), in ?lang= (Russian by default).
func (s *Server) handleProposalXLSX() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.proposalFor(c)
		if err != nil {
			return err
		}
		l := httpx.Lang(c)
		data, name, err := app.ProposalWorkbook(v, l, func(k string) string { return i18n.T(l, k) })
		if err != nil {
			return err
		}
		private(c)
		return download(c, &app.Download{Data: data, ContentType: app.MIMEXLSX, FileName: name})
	}
}

// jobView is a job as the API shows it.
type jobView struct {
	ID        string  `json:"id"`
	ClusterID string  `json:"cluster_id"`
	Version   int64   `json:"version"` // the data version analysed
	Year      int     `json:"year"`    // 0: the latest year in the data
	State     string  `json:"state"`   // running, cancelling, done, failed, cancelled
	Progress  float64 `json:"progress"`
	Step      string  `json:"step"`
	Error     string  `json:"error,omitempty"`
	Started   string  `json:"started_at"`
	Finished  string  `json:"finished_at,omitempty"`
	// Result is where the finished report is served.
	Result string `json:"result,omitempty"`
	// LatestVersion is the data version of the cluster's most recent
	// finished report (readable while a newer one is computed); 0: none.
	LatestVersion int64 `json:"latest_version"`
}

func viewJob(j app.Job) jobView {
	v := jobView{ID: j.ID, ClusterID: j.ClusterID, Version: j.Version, Year: j.Year, State: j.State, Progress: j.Progress, Step: j.Step, Error: j.Error,
		Started: j.Started.UTC().Format(time.RFC3339Nano), LatestVersion: j.LatestVersion}
	if !j.Finished.IsZero() {
		v.Finished = j.Finished.UTC().Format(time.RFC3339Nano)
	}
	if j.State == "done" {
		v.Result = v1 + "/clusters/" + j.ClusterID + "/analysis"
		if j.Year != 0 {
			v.Result += "?year=" + strconv.Itoa(j.Year)
		}
	}
	return v
}

// jobRequest is the optional JSON body of POST …/jobs.
type jobRequest struct {
	Year int `json:"year"`
}

// handleStartJob starts the analysis of the cluster's current data (or
// joins the one running, or returns the cached one): 202 with the job while
// it runs, 200 when the report is already there; Location names the job.
func (s *Server) handleStartJob() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req jobRequest
		if c.Request().ContentLength != 0 {
			if err := httpx.BindJSON(c, &req); err != nil {
				return err
			}
		}
		if y := c.QueryParam("year"); y != "" {
			n, err := httpx.ParseYear("year", y)
			if err != nil {
				return err
			}
			req.Year = n
		}
		if req.Year != 0 {
			if _, err := httpx.ParseYear("year", strconv.Itoa(req.Year)); err != nil {
				return err
			}
		}
		cl, err := s.app.Cluster(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		j, err := s.app.StartAnalysis(who(c), cl, req.Year)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Location", v1+"/clusters/"+cl.ID+"/jobs/"+j.ID)
		if j.State == "done" {
			return c.JSON(http.StatusOK, viewJob(j))
		}
		return c.JSON(http.StatusAccepted, viewJob(j))
	}
}

// handleJob reports a job's state and progress.
func (s *Server) handleJob() echo.HandlerFunc {
	return func(c echo.Context) error {
		j, err := s.app.Job(who(c), c.Param("id"), c.Param("jid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, viewJob(j))
	}
}

// handleCancelJob cancels a running job: 202 with the job (state
// cancelling, then cancelled); 409 when it has already finished.
func (s *Server) handleCancelJob() echo.HandlerFunc {
	return func(c echo.Context) error {
		j, err := s.app.CancelJob(who(c), c.Param("id"), c.Param("jid"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusAccepted, viewJob(j))
	}
}

var diagramTypes = map[string]string{
	diagram.SVG: "image/svg+xml",
	diagram.PNG: "image/png",
	diagram.DOT: "text/vnd.graphviz; charset=utf-8",
}

// diagramParams reads and checks the query of a diagram request.
func diagramParams(c echo.Context) (app.DiagramRequest, error) {
	var r app.DiagramRequest
	for k := range c.QueryParams() {
		switch k {
		case "view", "participant", "product", "hops", "lang", "year", "download":
		default:
			return r, gm.Invalid("unknown parameter "+k, []gm.Problem{{Column: k, Message: "unknown parameter; use view, participant, product, hops, lang, year", MessageRU: "неизвестный параметр"}})
		}
	}
	r.View = c.QueryParam("view")
	if r.View == "" {
		r.View = diagram.ViewCluster
	}
	known := false
	for _, v := range diagram.Views {
		known = known || v == r.View
	}
	if !known || r.View == diagram.ViewScenario {
		return r, gm.Invalid("invalid view", []gm.Problem{{Column: "view", Value: r.View, Message: "use cluster, participant, product or niches", MessageRU: "допустимы cluster, participant, product, niches"}})
	}
	o := diagram.ViewOptions{ClusterID: c.Param("id"), Lang: c.QueryParam("lang"), Participant: c.QueryParam("participant"), Product: c.QueryParam("product"), Hops: 2}
	if o.Lang == "" {
		o.Lang = "ru"
	}
	if o.Lang != "ru" && o.Lang != "en" {
		return r, gm.Invalid("invalid lang", []gm.Problem{{Column: "lang", Value: o.Lang, Message: "use ru or en", MessageRU: "допустимы ru или en"}})
	}
	if h := c.QueryParam("hops"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 1 || n > 6 {
			return r, gm.Invalid("invalid hops", []gm.Problem{{Column: "hops", Value: h, Message: "must be 1 to 6", MessageRU: "должно быть от 1 до 6"}})
		}
		o.Hops = n
	}
	r.Options = o
	var err error
	r.Year, err = httpx.Year(c)
	return r, err
}

func (s *Server) handleDiagram(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := diagramParams(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		cl, err := s.app.Cluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		if notModified(c, fmt.Sprintf(`"d-%x"`, hashString(format+r.Key(cl)))) {
			return c.NoContent(http.StatusNotModified)
		}
		out, err := s.app.Diagram(ctx, who(c), cl, r, format)
		if err != nil {
			return err
		}
		if format == diagram.DOT && c.QueryParam("download") != "" {
			c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+strings.ReplaceAll(cl.ID, `"`, "")+`.dot"`)
		}
		return c.Blob(http.StatusOK, diagramTypes[format], out)
	}
}

// PublicNiche is a niche as non-members see it (app.PublicNiche).
type PublicNiche = app.PublicNiche
