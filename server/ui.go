package server

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/graphmodel/tabular"
	"github.com/coopchain/coopchain/server/diagram"
	"github.com/labstack/echo/v4"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

// webPage is what every template gets.
type webPage struct {
	Lang, Other string
	Me          principal
	Title       string
	Path        string // the request path, for the language switch
	Cluster     *gm.Cluster
	Member      bool
	CanWrite    bool
	Tab         string
	Report      *analysis.Report
	Data        map[string]any
	Now         string
}

func (s *Server) uiTemplates() *template.Template {
	funcs := template.FuncMap{
		"t": msg,
		"money": func(lang string, v float64) string {
			return formatMoney(lang, v)
		},
		"moneyp": func(lang string, v *float64) string {
			if v == nil {
				return "—"
			}
			return formatMoney(lang, *v)
		},
		"pct": func(lang string, v float64) string { return formatPct(lang, v) },
		"pctp": func(lang string, v *float64) string {
			if v == nil {
				return "—"
			}
			return formatPct(lang, *v)
		},
		"f3":    func(lang string, v float64) string { return formatNum(lang, v, 3) },
		"f1":    func(lang string, v float64) string { return formatNum(lang, v, 1) },
		"int":   func(v int) string { return groupDigits(strconv.Itoa(v)) },
		"kind":  func(lang, k string) string { return msg(lang, "kind."+k) },
		"role":  func(lang, r string) string { return msg(lang, "role."+r) },
		"stat":  func(lang, st string) string { return msg(lang, "status."+st) },
		"pq":    url.PathEscape,
		"q":     url.QueryEscape,
		"join":  strings.Join,
		"pick":  func(lang, ru, en string) string { return map[bool]string{true: en, false: ru}[lang == "en"] },
		"inc":   func(i int) int { return i + 1 },
		"lower": strings.ToLower,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"deref": func(v *float64) float64 {
			if v == nil {
				return 0
			}
			return *v
		},
	}
	t := template.Must(template.New("").Funcs(funcs).ParseFS(webFS, "web/templates/*.html"))
	return t
}

func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatNum writes v with prec decimals: a decimal comma in Russian.
func formatNum(lang string, v float64, prec int) string {
	x := strconv.FormatFloat(v, 'f', prec, 64)
	if lang == "en" {
		return x
	}
	return strings.Replace(x, ".", ",", 1)
}

// formatPct writes a share as a percentage: "40,4 %" in Russian, "40.4%"
// in English.
func formatPct(lang string, v float64) string {
	if lang == "en" {
		return formatNum(lang, 100*v, 1) + "%"
	}
	return formatNum(lang, 100*v, 1) + "\u00a0%"
}

func formatMoney(lang string, v float64) string {
	switch {
	case math.Abs(v) >= 1e9:
		x := strconv.FormatFloat(v/1e9, 'f', 2, 64)
		if lang == "en" {
			return x + " bn"
		}
		return strings.Replace(x, ".", ",", 1) + " млрд"
	case math.Abs(v) >= 1e6:
		x := strconv.FormatFloat(v/1e6, 'f', 1, 64)
		if lang == "en" {
			return x + " mln"
		}
		return strings.Replace(x, ".", ",", 1) + " млн"
	}
	return groupDigits(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
}

// lang picks the page language: ?lang= (remembered in a cookie), the
// cookie, else Russian.
func lang(c echo.Context) string {
	if l := c.QueryParam("lang"); l == "en" || l == "ru" {
		c.SetCookie(&http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if ck, err := c.Cookie("lang"); err == nil && (ck.Value == "en" || ck.Value == "ru") {
		return ck.Value
	}
	return "ru"
}

func (s *Server) newPage(c echo.Context, title string) *webPage {
	l := lang(c)
	p := &webPage{Lang: l, Other: map[string]string{"ru": "en", "en": "ru"}[l], Me: who(c), Title: title, Path: c.Request().URL.Path, Data: map[string]any{},
		Now: time.Now().Format("2006-01-02 15:04")}
	return p
}

func (s *Server) render(c echo.Context, status int, name string, p *webPage) error {
	var buf bytes.Buffer
	if err := s.templates.ExecuteTemplate(&buf, name, p); err != nil {
		return gm.Internal(err, "render page "+name)
	}
	c.Response().Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; script-src 'self'; frame-ancestors 'none'")
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.HTMLBlob(status, buf.Bytes())
}

// uiRoutes registers the web UI.
func (s *Server) uiRoutes() {
	e := s.echo
	static, _ := fs.Sub(webFS, "web/static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(static)))))
	e.GET("/", s.uiRegistry())
	e.GET("/login", s.uiLogin())
	e.POST("/login", s.uiLoginPost())
	e.POST("/logout", s.uiLogout(), s.page(permSignedIn))
	e.GET("/clusters/:id", s.uiCluster("overview"))
	e.GET("/clusters/:id/gaps", s.uiCluster("gaps"), s.page(permRead))
	e.GET("/clusters/:id/niches", s.uiCluster("niches"))
	e.GET("/clusters/:id/matches", s.uiCluster("matches"), s.page(permRead))
	e.GET("/clusters/:id/compliance", s.uiCluster("compliance"), s.page(permRead))
	e.GET("/clusters/:id/typology", s.uiCluster("typology"), s.page(permRead))
	e.GET("/clusters/:id/scenarios", s.uiCluster("scenarios"), s.page(permRead))
	e.POST("/clusters/:id/scenarios", s.uiScenarioCreate(), s.page(permWrite))
	e.GET("/clusters/:id/scenarios/:sid", s.uiScenario(), s.page(permRead))
	e.POST("/clusters/:id/scenarios/:sid/delete", s.uiScenarioDelete(), s.page(permWrite))
	e.GET("/clusters/:id/participants/:pid", s.uiParticipant(), s.page(permRead))
	e.GET("/clusters/:id/report", s.uiReport(), s.page(permRead))
	e.GET("/clusters/:id/report.xlsx", s.uiReportXLSX(), s.page(permRead))
	e.GET("/clusters/:id/status", s.uiStatus(), s.require(permRead)) // JSON for the progress script
	s.uiProposalRoutes()                                             // ui_proposals.go
}

// page is require for web pages: a visitor who is not signed in is sent to
// the sign-in page and one who may not see the page gets an error page, not
// the API's JSON.
func (s *Server) page(p perm) echo.MiddlewareFunc {
	check := s.require(p)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok := false
			if err := check(func(echo.Context) error { ok = true; return nil })(c); err != nil {
				return s.uiError(c, err)
			}
			if !ok {
				return nil
			}
			return next(c)
		}
	}
}

// uiError renders an error page with the right status.
func (s *Server) uiError(c echo.Context, err error) error {
	status, body := errorResponse(err)
	if body.Error.Code == gm.EINTERNAL {
		s.log.Error("page error", "err", err, "path", c.Request().URL.Path)
	}
	p := s.newPage(c, msg(lang(c), "err.title"))
	p.Data["Status"] = status
	p.Data["Message"] = body.Error.Message
	if status == http.StatusUnauthorized {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
	return s.render(c, status, "error.html", p)
}

func (s *Server) uiRegistry() echo.HandlerFunc {
	return func(c echo.Context) error {
		p := s.newPage(c, msg(lang(c), "registry.title"))
		f := gm.ClusterFilter{Region: c.QueryParam("region"), Specialization: c.QueryParam("specialization"), Query: c.QueryParam("q")}
		cls, total, err := s.store.ListClusters(c.Request().Context(), f)
		if err != nil {
			return s.uiError(c, err)
		}
		rating, err := s.store.RegionRating(c.Request().Context())
		if err != nil {
			return s.uiError(c, err)
		}
		p.Data["Clusters"], p.Data["Total"], p.Data["Filter"], p.Data["Rating"] = cls, total, f, rating
		return s.render(c, http.StatusOK, "registry.html", p)
	}
}

func (s *Server) uiLogin() echo.HandlerFunc {
	return func(c echo.Context) error {
		p := s.newPage(c, msg(lang(c), "login.title"))
		p.Data["Next"] = safeNext(c.QueryParam("next"))
		return s.render(c, http.StatusOK, "login.html", p)
	}
}

// safeNext keeps redirects inside this site.
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.Contains(n, "\\") {
		return "/"
	}
	return n
}

func (s *Server) uiLoginPost() echo.HandlerFunc {
	return func(c echo.Context) error {
		t, err := s.checkToken(c, strings.TrimSpace(c.FormValue("token")))
		if err != nil {
			p := s.newPage(c, msg(lang(c), "login.title"))
			p.Data["Failed"] = true
			p.Data["Next"] = safeNext(c.FormValue("next"))
			return s.render(c, http.StatusUnauthorized, "login.html", p)
		}
		if err := s.startSession(c, t); err != nil {
			return s.uiError(c, err)
		}
		next := safeNext(c.FormValue("next"))
		if next == "/" && t.ClusterID != "" {
			next = "/clusters/" + url.PathEscape(t.ClusterID)
		}
		return c.Redirect(http.StatusSeeOther, next)
	}
}

func (s *Server) uiLogout() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.endSession(c); err != nil {
			return s.uiError(c, err)
		}
		return c.Redirect(http.StatusSeeOther, "/")
	}
}

// clusterView is a cluster page's handler: fn runs once the cluster and,
// for members, its report are there; while the analysis runs the visitor
// sees its progress, and errors become error pages.
func (s *Server) clusterView(tab string, fn func(c echo.Context, p *webPage, ds *gm.Dataset) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, ds, running, err := s.clusterPage(c, tab)
		if err != nil {
			return s.uiError(c, err)
		}
		if running {
			return s.render(c, http.StatusAccepted, "job.html", p)
		}
		if err := fn(c, p, ds); err != nil {
			return s.uiError(c, err)
		}
		return nil
	}
}

// clusterPage loads the cluster and, for members, its report (waiting a
// little; large networks get a progress page instead).
func (s *Server) clusterPage(c echo.Context, tab string) (*webPage, *gm.Dataset, bool, error) {
	ctx := c.Request().Context()
	cl, err := s.store.GetCluster(ctx, c.Param("id"))
	if err != nil {
		return nil, nil, false, err
	}
	p := s.newPage(c, cl.Name)
	p.Cluster, p.Tab = cl, tab
	p.Member, p.CanWrite = p.Me.member(cl.ID), p.Me.canWrite(cl.ID)
	if !p.Member && !p.Me.signedIn() {
		return p, nil, false, nil
	}
	e := s.analyzer.start(cl, 0)
	select {
	case <-e.done:
	case <-time.After(s.cfg.PageWait):
		return p, nil, true, nil // still computing: show progress
	case <-ctx.Done():
		return nil, nil, false, ctx.Err()
	}
	if e.err != nil {
		return nil, nil, false, e.err
	}
	p.Report = e.rep
	return p, e.ds, false, nil
}

func (s *Server) uiCluster(tab string) echo.HandlerFunc {
	return s.clusterView(tab, func(c echo.Context, p *webPage, ds *gm.Dataset) error {
		p.Data["Needs"] = s.publishedNeeds(p.Cluster.ID) // published: everyone sees them
		if p.Report == nil || !p.Member {
			if p.Report != nil {
				p.Data["Niches"] = publicNiches(p.Report, s.cfg.AggregationThreshold)
			}
			return s.render(c, http.StatusOK, "cluster_public.html", p)
		}
		rep := p.Report
		switch tab {
		case "overview":
			if len(rep.Participants) > 0 {
				p.Data["SVG"] = s.inlineDiagram(c.Request().Context(), p, ds, diagram.ViewCluster, diagram.ViewOptions{})
			}
			p.Data["Names"] = names(ds)
		case "typology":
			ty, err := s.typologyOf(c.Request().Context(), p.Cluster, rep, ds)
			if err != nil {
				return err
			}
			p.Data["Typology"] = ty
		case "matches":
			p.Data["Matches"] = analysis.Matches(ds.ForYear(rep.Year))
			p.Data["Names"] = names(ds)
		case "niches":
			p.Data["Names"] = names(ds)
			if len(rep.Niches) > 0 {
				p.Data["SVG"] = s.inlineDiagram(c.Request().Context(), p, ds, diagram.ViewNiches, diagram.ViewOptions{})
			}
		case "scenarios":
			sums, err := s.scenarioSummaries(c, p.Cluster.ID)
			if err != nil {
				return s.uiError(c, err)
			}
			p.Data["Scenarios"] = sums
			p.Data["Participants"] = ds.Participants
			var codes []gm.Product
			for _, n := range rep.Niches {
				codes = append(codes, gm.Product{Code: n.ProductCode, Name: n.ProductName})
			}
			p.Data["NicheProducts"] = codes
		}
		return s.render(c, http.StatusOK, "cluster_"+tab+".html", p)
	})
}

func names(ds *gm.Dataset) map[string]string {
	m := map[string]string{}
	for _, p := range ds.Participants {
		m[p.ID] = p.Name
	}
	return m
}

var svgProlog = regexp.MustCompile(`(?s)^.*?(<svg)`)

// inlineDiagram renders a view as SVG for embedding in a page; on failure it
// returns the message to show instead.
func (s *Server) inlineDiagram(ctx context.Context, p *webPage, ds *gm.Dataset, view string, o diagram.ViewOptions) map[string]any {
	if s.renderer == nil {
		return map[string]any{"Error": "diagrams are not available"}
	}
	o.ClusterID, o.Lang = p.Cluster.ID, p.Lang
	m, err := diagram.Build(view, p.Report, ds.ForYear(p.Report.Year), o)
	if err != nil {
		return map[string]any{"Error": gm.ErrorMessage(err)}
	}
	key := fmt.Sprintf("%s|v%d|%s|%s|%s|%s|%d|0", p.Cluster.ID, p.Cluster.Version, view, o.Lang, o.Participant, o.Product, o.Hops)
	svg, err := s.renderer.Render(ctx, key, m, diagram.SVG)
	if err != nil {
		return map[string]any{"Error": gm.ErrorMessage(err)}
	}
	svg = svgProlog.ReplaceAll(svg, []byte("$1"))
	return map[string]any{"SVG": template.HTML(svg)}
}

func (s *Server) uiStatus() echo.HandlerFunc {
	return func(c echo.Context) error {
		cl, err := s.store.GetCluster(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		state, frac, step := s.analyzer.status(cl, 0)
		return c.JSON(http.StatusOK, map[string]any{"state": state, "progress": frac, "step": step})
	}
}

type flow struct {
	Other string
	Value float64
	Prods string
}

func (s *Server) uiParticipant() echo.HandlerFunc {
	return s.clusterView("participant", func(c echo.Context, p *webPage, ds *gm.Dataset) error {
		pid := c.Param("pid")
		m, ok := p.Report.ParticipantByID(pid)
		if !ok {
			return s.uiError(c, gm.Errorf(gm.ENOTFOUND, "participant %q not found in this cluster", pid))
		}
		var part gm.Participant
		for _, x := range ds.Participants {
			if x.ID == pid {
				part = x
			}
		}
		d := ds.ForYear(p.Report.Year)
		nm := names(ds)
		var sup, buy []flow
		for _, e := range d.Edges() {
			prods := strings.Join(dedupeSorted(e.Products), ", ")
			if e.To == pid {
				sup = append(sup, flow{e.From, e.ValueRUB, prods})
			}
			if e.From == pid {
				buy = append(buy, flow{e.To, e.ValueRUB, prods})
			}
		}
		sort.Slice(sup, func(i, j int) bool { return sup[i].Value > sup[j].Value })
		sort.Slice(buy, func(i, j int) bool { return buy[i].Value > buy[j].Value })
		var imps []gm.Import
		for _, x := range d.Imports {
			if x.ParticipantID == pid {
				imps = append(imps, x)
			}
		}
		var caps []gm.Capacity
		for _, x := range d.Capacities {
			if x.ParticipantID == pid {
				caps = append(caps, x)
			}
		}
		p.Title = part.Name
		p.Data["P"], p.Data["M"], p.Data["Suppliers"], p.Data["Buyers"], p.Data["Imports"], p.Data["Capacities"], p.Data["Names"] = part, m, sup, buy, imps, caps, nm
		p.Data["SVG"] = s.inlineDiagram(c.Request().Context(), p, ds, diagram.ViewParticipant, diagram.ViewOptions{Participant: pid, Hops: 2})
		return s.render(c, http.StatusOK, "participant.html", p)
	})
}

func dedupeSorted(a []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range a {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// uiScenarioCreate builds a scenario from the form: a planned producer with
// capacity, a participant leaving, a new link.
func (s *Server) uiScenarioCreate() echo.HandlerFunc {
	return func(c echo.Context) error {
		l := lang(c)
		var changes []analysis.Change
		newID := strings.TrimSpace(c.FormValue("producer_id"))
		if newID != "" {
			changes = append(changes, analysis.Change{Op: analysis.OpAddParticipant, Participant: &gm.Participant{ID: newID, Name: strings.TrimSpace(c.FormValue("producer_name")), Kind: gm.KindEnterprise}})
		}
		if prod := strings.TrimSpace(c.FormValue("capacity_product")); prod != "" {
			owner := c.FormValue("capacity_owner")
			if owner == "_new" {
				owner = newID
			}
			v, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(c.FormValue("capacity_value"), " ", ""), ",", "."), 64)
			if err != nil {
				return s.uiError(c, gm.Invalid("capacity", []gm.Problem{{Column: msg(l, "scen.capacity.value"), Value: c.FormValue("capacity_value"), Message: "not a number", MessageRU: "не число"}}))
			}
			changes = append(changes, analysis.Change{Op: analysis.OpAddCapacity, Capacity: &gm.Capacity{ParticipantID: owner, ProductCode: prod, ValueRUB: v}})
		}
		if rm := c.FormValue("remove"); rm != "" {
			changes = append(changes, analysis.Change{Op: analysis.OpRemoveParticipant, ParticipantID: rm})
		}
		if sup, buy := c.FormValue("link_supplier"), c.FormValue("link_buyer"); sup != "" && buy != "" {
			if sup == "_new" {
				sup = newID
			}
			if buy == "_new" {
				buy = newID
			}
			var val *float64
			if v, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(c.FormValue("link_value"), " ", ""), ",", "."), 64); err == nil {
				val = &v
			}
			changes = append(changes, analysis.Change{Op: analysis.OpAddLink, Link: &gm.SupplyLink{SupplierID: sup, BuyerID: buy, ProductCode: strings.TrimSpace(c.FormValue("link_product")), ValueRUB: val}})
		}
		name := strings.TrimSpace(c.FormValue("name"))
		if name == "" {
			name = msg(l, "scen.new") + " " + time.Now().Format("15:04")
		}
		// A scenario that cannot be applied is refused with the reason.
		if _, err := s.evaluate(c.Request().Context(), c.Param("id"), changes); err != nil {
			return s.uiError(c, err)
		}
		body, _ := json.Marshal(changes)
		st := &gm.StoredScenario{ID: "s-" + strings.ToLower(randomString(6)), ClusterID: c.Param("id"), Name: name, Changes: body}
		if err := s.store.SaveScenario(c.Request().Context(), st); err != nil {
			return s.uiError(c, err)
		}
		return c.Redirect(http.StatusSeeOther, "/clusters/"+url.PathEscape(c.Param("id"))+"/scenarios/"+url.PathEscape(st.ID))
	}
}

func (s *Server) uiScenario() echo.HandlerFunc {
	return s.clusterView("scenarios", func(c echo.Context, p *webPage, _ *gm.Dataset) error {
		st, ev, err := s.loadScenario(c)
		if err != nil {
			return s.uiError(c, err)
		}
		p.Data["Scenario"] = st
		p.Data["Cmp"] = analysis.Compare(ev.base, ev.scen)
		p.Data["Names"] = names(ev.scenDS)
		p.Data["BaseSVG"] = s.inlineDiagram(c.Request().Context(), p, ev.baseDS, diagram.ViewCluster, diagram.ViewOptions{})
		m, err := diagram.ScenarioView(ev.base, ev.scen, ev.baseDS, ev.scenDS, diagram.ViewOptions{ClusterID: ev.cluster.ID, Lang: p.Lang})
		if err == nil && s.renderer != nil {
			key := fmt.Sprintf("%s|v%d|scenario|%s|v%d|%s", ev.cluster.ID, ev.cluster.Version, st.ID, st.Version, p.Lang)
			if svg, err := s.renderer.Render(c.Request().Context(), key, m, diagram.SVG); err == nil {
				p.Data["ScenSVG"] = map[string]any{"SVG": template.HTML(svgProlog.ReplaceAll(svg, []byte("$1")))}
			} else {
				p.Data["ScenSVG"] = map[string]any{"Error": gm.ErrorMessage(err)}
			}
		}
		p.Title = st.Name
		return s.render(c, http.StatusOK, "scenario.html", p)
	})
}

func (s *Server) uiScenarioDelete() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.store.DeleteScenario(c.Request().Context(), c.Param("id"), c.Param("sid")); err != nil {
			return s.uiError(c, err)
		}
		return c.Redirect(http.StatusSeeOther, "/clusters/"+url.PathEscape(c.Param("id"))+"/scenarios")
	}
}

// scenarioSummary is one saved scenario evaluated for the report.
type scenarioSummary struct {
	ID, Name, UpdatedAt string
	Cmp                 *analysis.Comparison
	Closed              int // niches the scenario closes
	Err                 string
}

func (s *Server) scenarioSummaries(c echo.Context, clusterID string) ([]scenarioSummary, error) {
	list, err := s.store.Scenarios(c.Request().Context(), clusterID)
	if err != nil {
		return nil, err
	}
	var out []scenarioSummary
	for _, st := range list {
		var changes []analysis.Change
		if err := json.Unmarshal(st.Changes, &changes); err != nil {
			return nil, err
		}
		sum := scenarioSummary{ID: st.ID, Name: st.Name, UpdatedAt: st.UpdatedAt}
		ev, err := s.evaluate(c.Request().Context(), clusterID, changes)
		if err != nil {
			sum.Err = gm.ErrorMessage(err)
			out = append(out, sum)
			continue
		}
		sum.Cmp = analysis.Compare(ev.base, ev.scen)
		for _, n := range sum.Cmp.Niches {
			if n.Closed {
				sum.Closed++
			}
		}
		out = append(out, sum)
	}
	return out, nil
}

func (s *Server) uiReport() echo.HandlerFunc {
	return s.clusterView("report", func(c echo.Context, p *webPage, ds *gm.Dataset) error {
		sums, err := s.scenarioSummaries(c, p.Cluster.ID)
		if err != nil {
			return s.uiError(c, err)
		}
		p.Data["Scenarios"] = sums
		if len(p.Report.Participants) > 0 {
			p.Data["SVG"] = s.inlineDiagram(c.Request().Context(), p, ds, diagram.ViewCluster, diagram.ViewOptions{})
		}
		return s.render(c, http.StatusOK, "report.html", p)
	})
}

func (s *Server) uiReportXLSX() echo.HandlerFunc {
	return s.clusterView("report", func(c echo.Context, p *webPage, ds *gm.Dataset) error {
		sums, err := s.scenarioSummaries(c, p.Cluster.ID)
		if err != nil {
			return s.uiError(c, err)
		}
		tables := p.Report.Sheets()
		sc := tabular.Table{Name: "scenarios", Header: []string{"scenario", "compliance_base", "compliance", "total_gap_base_rub", "total_gap_rub", "niches_closed"},
			Text: map[int]bool{0: true}, Numeric: map[int]bool{3: true, 4: true, 5: true}}
		for _, x := range sums {
			if x.Cmp == nil {
				sc.Rows = append(sc.Rows, []string{x.Name, "", "", "", "", ""})
				continue
			}
			closed := x.Closed
			sc.Rows = append(sc.Rows, []string{x.Name, x.Cmp.BaseCompliance, x.Cmp.Compliance, strconv.FormatFloat(x.Cmp.BaseTotalGapRUB, 'f', -1, 64),
				strconv.FormatFloat(x.Cmp.TotalGapRUB, 'f', -1, 64), strconv.Itoa(closed)})
		}
		var buf bytes.Buffer
		data := tabular.Tables(ds)
		if err := tabular.WriteXLSX(&buf, append(append(tables, sc), data...), nil); err != nil {
			return s.uiError(c, err)
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+p.Cluster.ID+`-report.xlsx"`)
		return c.Blob(http.StatusOK, mimeXLSX, buf.Bytes())
	})
}
