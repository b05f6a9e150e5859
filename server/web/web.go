// Package web is the web UI for planning sessions: server-rendered pages
// over the same use cases (app) as the JSON API, Russian by default,
// English with ?lang=en. Every page has a typed model (pages.go); every text
// comes from the message catalogue (server/i18n).
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/chart"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

//go:embed templates/*.html static/*
var webFS embed.FS

// Options are the web UI's settings.
type Options struct {
	// PageWait is how long a page waits for an analysis before it shows a
	// progress page instead (default 3 s).
	PageWait time.Duration
	// Sessions starts and ends the web sessions (the server's cookies).
	Sessions Sessions
}

// Sessions starts and ends web sessions: the server owns the cookies.
type Sessions interface {
	Start(c echo.Context, t *gm.Token) error
	End(c echo.Context) error
}

// UI serves the pages.
type UI struct {
	app       *app.App
	log       *slog.Logger
	opt       Options
	templates *template.Template
}

// New builds the web UI.
func New(a *app.App, log *slog.Logger, opt Options) *UI {
	if opt.PageWait <= 0 {
		opt.PageWait = 3 * time.Second
	}
	return &UI{app: a, log: log, opt: opt, templates: templates()}
}

// Route is one page: its method, path, what it requires, and its handler.
type Route struct {
	Method, Path string
	Perm         app.Perm
	Handler      echo.HandlerFunc
}

// Routes lists every page. A page whose permission the caller lacks sends a
// visitor who is not signed in to the sign-in page and shows anyone else an
// error page (not the API's JSON).
func (u *UI) Routes() []Route {
	routes := []Route{
		{http.MethodGet, "/", app.Public, u.registry()},
		{http.MethodGet, "/login", app.Public, u.login()},
		{http.MethodPost, "/login", app.Public, u.loginPost()},
		{http.MethodPost, "/logout", app.Public, u.logout()}, // anyone may end their session (participants too)
		{http.MethodGet, "/clusters/:id", app.Public, u.cluster("overview")},
		{http.MethodGet, "/clusters/:id/gaps", app.Read, u.cluster("gaps")},
		{http.MethodGet, "/clusters/:id/niches", app.Public, u.cluster("niches")},
		{http.MethodGet, "/clusters/:id/matches", app.Read, u.cluster("matches")},
		{http.MethodGet, "/clusters/:id/compliance", app.Read, u.cluster("compliance")},
		{http.MethodGet, "/clusters/:id/typology", app.Read, u.cluster("typology")},
		{http.MethodGet, "/clusters/:id/scenarios", app.Read, u.cluster("scenarios")},
		{http.MethodPost, "/clusters/:id/scenarios", app.Write, u.scenarioCreate()},
		{http.MethodGet, "/clusters/:id/scenarios/:sid", app.Read, u.scenario()},
		{http.MethodPost, "/clusters/:id/scenarios/:sid/delete", app.Write, u.scenarioDelete()},
		{http.MethodGet, "/clusters/:id/participants/:pid", app.Read, u.participant()},
		{http.MethodGet, "/clusters/:id/report", app.Read, u.report()},
		{http.MethodGet, "/clusters/:id/report.xlsx", app.Read, u.reportXLSX()},
		{http.MethodGet, "/support-measures", app.Public, u.measures()},
		{http.MethodGet, "/eaeu", app.Public, u.eaeu()},
		{http.MethodGet, "/eurasia", app.Public, u.eurasia()},
		{http.MethodGet, "/clusters/:id/niches/:product/proposal", app.Public, u.proposal()},
		{http.MethodGet, "/clusters/:id/niches/:product/proposal.xlsx", app.Public, u.proposalXLSX()},
	}
	return append(append(append(routes, u.collectRoutes()...), u.nationalRoutes()...), u.regionRoutes()...)
}

// Register adds the pages, the progress endpoint and the static files.
// Errors outside the pages (an unknown address, a refused request) answer a
// browser's page request with an error page in its language, not the API's
// JSON.
func (u *UI) Register(e *echo.Echo) {
	api := e.HTTPErrorHandler
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		if wantsPage(c.Request()) && !c.Response().Committed {
			if perr := u.fail(c, err); perr == nil {
				return
			}
		}
		api(err, c)
	}
	static, _ := fs.Sub(webFS, "static")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(static)))))
	for _, r := range u.Routes() {
		e.Add(r.Method, r.Path, r.Handler, u.page(r))
	}
	e.GET("/clusters/:id/status", u.status(), httpx.Require(app.Read)) // JSON for the progress script
}

// wantsPage tells a browser's request for a page (GET or HEAD that accepts
// HTML, outside the API and the files) from any other.
func wantsPage(r *http.Request) bool {
	p := r.URL.Path
	for _, prefix := range []string{"/api/", "/static/", "/healthz", "/metrics"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// exactRegion keeps, when the region filter names a region of the map (a
// tile was clicked), the clusters of exactly that region: the store's
// filter is a substring, and «Омская область» is inside «Томская область».
func exactRegion(cs []gm.Cluster, total int, region string) ([]gm.Cluster, int) {
	if region == "" || !chart.HasRegion(region) {
		return cs, total
	}
	var out []gm.Cluster
	for _, c := range cs {
		for _, r := range c.Regions {
			if strings.EqualFold(strings.TrimSpace(r), region) {
				out = append(out, c)
				break
			}
		}
	}
	return out, len(out)
}

// registryCharts adds the map of the regions (over the whole registry),
// the rating chart and the clusters that have data.
func (u *UI) registryCharts(c echo.Context, p *registryPage) error {
	ctx := c.Request().Context()
	all, _, err := u.app.RegistryClusters(ctx, gm.ClusterFilter{})
	if err != nil {
		return err
	}
	p.Map = regionMap(p.Lang, all, p.Filter)
	if len(p.Rating) > 0 {
		p.RatingChart = ratingChart(p.Lang, p.Rating)
	}
	p.WithData, err = u.app.ClustersWithData(ctx)
	return err
}

// page is httpx.Require for web pages: errors become pages. A participant
// reaches only its form, its landing page and signing in and out.
func (u *UI) page(r Route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if httpx.Who(c).Participant() && !participantMay(r) {
				return u.fail(c, &gm.Error{Code: gm.EFORBIDDEN, Message: i18n.T("en", "err.participant"),
					Details: []gm.Problem{{Message: i18n.T("en", "err.participant"), MessageRU: i18n.T("ru", "err.participant")}}})
			}
			if err := httpx.Check(c, r.Perm); err != nil {
				return u.fail(c, err)
			}
			return next(c)
		}
	}
}

func templates() *template.Template {
	funcs := template.FuncMap{
		"t":     i18n.T,
		"money": func(lang string, v float64) string { return gm.FormatMoney(lang, v) },
		"moneyp": func(lang string, v *float64) string {
			if v == nil {
				return i18n.T(lang, "nodata")
			}
			return gm.FormatMoney(lang, *v)
		},
		"pct": func(lang string, v float64) string { return gm.FormatPercent(lang, v) },
		"pctp": func(lang string, v *float64) string {
			if v == nil {
				return i18n.T(lang, "nodata")
			}
			return gm.FormatPercent(lang, *v)
		},
		"f3": func(lang string, v float64) string { return gm.FormatNumber(lang, v, 3) },
		"f1": func(lang string, v float64) string { return gm.FormatNumber(lang, v, 1) },
		// exact writes a number with every digit it has (a niche's weight: 0,35).
		"exact": func(lang string, v float64) string { return gm.FormatNumber(lang, v, -1) },
		"int":   func(v int) string { return gm.GroupDigits(strconv.Itoa(v)) },
		"kind":  func(lang, k string) string { return i18n.T(lang, "kind."+k) },
		"role":  func(lang, r string) string { return i18n.T(lang, "role."+r) },
		"stat":  func(lang, st string) string { return i18n.T(lang, "status."+st) },
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
		"country":   i18n.CountryName,
		"countries": countriesText,
		"count":     i18n.N,
		"date":      i18n.DateText,
		"deref": func(v *float64) float64 {
			if v == nil {
				return 0
			}
			return *v
		},
	}
	maps.Copy(funcs, collectFuncs())
	return template.Must(template.New("").Funcs(funcs).ParseFS(webFS, "templates/*.html"))
}

// newPage is the part every page has.
func (u *UI) newPage(c echo.Context, title string) *Page {
	l := httpx.Lang(c)
	p := &Page{Lang: l, Other: map[string]string{"ru": "en", "en": "ru"}[l], Me: httpx.Who(c), Title: title, Path: c.Request().URL.Path,
		Now: i18n.DateTime(l, time.Now())}
	if id := p.Me.ClusterID; id != "" {
		// The header names the caller's cluster, not its id.
		p.MyCluster = id
		if cl, err := u.app.Cluster(c.Request().Context(), id); err == nil {
			p.MyCluster = cl.Name
		}
	}
	return p
}

// render executes a page's template with its model.
func (u *UI) render(c echo.Context, status int, name string, model any) error {
	var buf bytes.Buffer
	if err := u.templates.ExecuteTemplate(&buf, name, model); err != nil {
		return gm.Internal(err, "render page "+name)
	}
	c.Response().Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; script-src 'self'; frame-ancestors 'none'")
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.HTMLBlob(status, buf.Bytes())
}

// fail renders an error page with the right status; a visitor who is not
// signed in is sent to the sign-in page instead.
func (u *UI) fail(c echo.Context, err error) error {
	status, body := httpx.ErrorResponse(err)
	if body.Error.Code == gm.EINTERNAL {
		u.log.Error("page error", "err", err, "path", c.Request().URL.Path)
	}
	if status == http.StatusUnauthorized {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
	l := httpx.Lang(c)
	title := i18n.T(l, "err.title")
	if status == http.StatusNotFound {
		title = i18n.T(l, "err.notfound.title")
	}
	p := &errorPage{Page: u.newPage(c, title), Status: status}
	p.Message, p.Details = errorText(l, body.Error.Code, body.Error.Message, body.Error.Details)
	return u.render(c, status, "error.html", p)
}

// handler turns a page function that returns an error into a handler that
// shows the error as a page.
func (u *UI) handler(fn func(c echo.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := fn(c); err != nil {
			return u.fail(c, err)
		}
		return nil
	}
}

func (u *UI) registry() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		p := &registryPage{Page: u.newPage(c, i18n.T(httpx.Lang(c), "registry.title"))}
		p.Filter = gm.ClusterFilter{Region: c.QueryParam("region"), Specialization: c.QueryParam("specialization"), Query: c.QueryParam("q")}
		var err error
		if p.Clusters, p.Total, err = u.app.RegistryClusters(c.Request().Context(), p.Filter); err != nil {
			return err
		}
		p.Clusters, p.Total = exactRegion(p.Clusters, p.Total, p.Filter.Region)
		if p.Rating, err = u.app.RegionRating(c.Request().Context()); err != nil {
			return err
		}
		if err := u.registryCharts(c, p); err != nil {
			return err
		}
		return u.render(c, http.StatusOK, "registry.html", p)
	})
}

func (u *UI) login() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		p := &loginPage{Page: u.newPage(c, i18n.T(httpx.Lang(c), "login.title")), Next: safeNext(c.QueryParam("next")), Invite: c.QueryParam("invite")}
		c.Response().Header().Set("Referrer-Policy", "no-referrer")
		return u.render(c, http.StatusOK, "login.html", p)
	})
}

// safeNext keeps redirects inside this site: n is resolved as a URL against
// this site and accepted only when it stays on it, as an absolute path; any
// control character, space, backslash or non-ASCII byte (which browsers
// strip or rewrite, e.g. "/\t/evil.example" → "//evil.example") refuses it.
// The path returned is the parsed one, re-encoded.
func safeNext(n string) string {
	const home = "/"
	if n == "" || len(n) > 2048 || !strings.HasPrefix(n, "/") {
		return home
	}
	for i := 0; i < len(n); i++ {
		if c := n[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return home
		}
	}
	u, err := url.Parse(n)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return home
	}
	site := &url.URL{Scheme: "https", Host: "coopchain.invalid"}
	r := site.ResolveReference(u)
	if r.Scheme != site.Scheme || r.Host != site.Host || r.User != nil {
		return home
	}
	out := r.EscapedPath() // dot segments resolved
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return home
	}
	if r.RawQuery != "" {
		out += "?" + r.RawQuery
	}
	return out
}

func (u *UI) loginPost() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		if err := httpx.SameOrigin(c); err != nil {
			return err
		}
		t, err := u.app.Authenticate(c.Request().Context(), strings.TrimSpace(c.FormValue("token")))
		if err != nil {
			if gm.ErrorCode(err) != gm.EUNAUTHORIZED {
				return err
			}
			p := &loginPage{Page: u.newPage(c, i18n.T(httpx.Lang(c), "login.title")), Failed: true, Next: safeNext(c.FormValue("next"))}
			return u.render(c, http.StatusUnauthorized, "login.html", p)
		}
		if err := u.opt.Sessions.Start(c, t); err != nil {
			return err
		}
		next := safeNext(c.FormValue("next"))
		if next == "/" && t.ClusterID != "" {
			next = "/clusters/" + url.PathEscape(t.ClusterID)
		}
		if t.Role == gm.RoleParticipant {
			next = "/my" // a participant lands on its form
		}
		return c.Redirect(http.StatusSeeOther, next)
	})
}

func (u *UI) logout() echo.HandlerFunc {
	return u.handler(func(c echo.Context) error {
		if err := u.opt.Sessions.End(c); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/")
	})
}

var svgProlog = regexp.MustCompile(`(?s)^.*?(<svg)`)

// inline makes a rendered SVG embeddable in a page (no XML prolog); an
// error is shown in its place.
func inline(svg []byte, err error) *Diagram {
	if err != nil {
		return &Diagram{Error: gm.ErrorMessage(err)}
	}
	return &Diagram{SVG: template.HTML(svgProlog.ReplaceAll(svg, []byte("$1")))}
}
