package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/web"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Config holds the server's settings.
type Config struct {
	// MaxPageSize caps the limit parameter of list endpoints.
	MaxPageSize int
	// DefaultPageSize is the limit when none is given.
	DefaultPageSize int
	// BodyLimit is the largest request body accepted, e.g. "64M".
	BodyLimit string
	// AnalysisTimeout bounds one analysis computation.
	AnalysisTimeout time.Duration
	// UploadLimit is the largest dataset upload, in bytes (default 32 MiB).
	UploadLimit int64
	// UploadMaxRows is the most rows an upload may hold, over all its
	// sheets (default 100,000); a workbook's empty rows count too.
	UploadMaxRows int
	// UploadUnzipLimit is the most an uploaded zip or workbook may unpack
	// to, over the entries read (default 256 MiB).
	UploadUnzipLimit int64
	// RatePerToken and RatePerIP are the sustained requests per second
	// allowed per API token and per client IP (anonymous callers); bursts of
	// twice as many (at least 20) pass. Negative disables the limit.
	RatePerToken, RatePerIP float64
	// TrustedProxies are the CIDR ranges of reverse proxies whose
	// X-Forwarded-For is believed; without any, the client IP is the
	// connection's.
	TrustedProxies []string
	// SessionTTL is how long a web session lasts (default 12 h).
	SessionTTL time.Duration
	// AggregationThreshold is the number of participants a niche's demand
	// must aggregate before non-members see it (default 3).
	AggregationThreshold int
	// PageWait is how long a web page waits for an analysis before it shows
	// a progress page instead (default 3 s).
	PageWait time.Duration
}

func (c Config) withDefaults() Config {
	if c.MaxPageSize <= 0 {
		c.MaxPageSize = 1000
	}
	if c.DefaultPageSize <= 0 {
		c.DefaultPageSize = 200
	}
	if c.BodyLimit == "" {
		c.BodyLimit = "64M"
	}
	if c.UploadLimit <= 0 {
		c.UploadLimit = 32 << 20
	}
	if c.UploadMaxRows <= 0 {
		c.UploadMaxRows = 100_000
	}
	if c.UploadUnzipLimit <= 0 {
		c.UploadUnzipLimit = 256 << 20
	}
	if c.RatePerToken == 0 {
		c.RatePerToken = 100
	}
	if c.RatePerIP == 0 {
		c.RatePerIP = 20
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.AggregationThreshold <= 0 {
		c.AggregationThreshold = 3
	}
	if c.PageWait <= 0 {
		c.PageWait = 3 * time.Second
	}
	if c.AnalysisTimeout <= 0 {
		c.AnalysisTimeout = 60 * time.Second
	}
	return c
}

// Deps are what the server needs from the rest of the program.
type Deps struct {
	Store  gm.Store
	Log    *slog.Logger
	Config Config
	// Renderer draws diagrams; nil: the server starts its own.
	Renderer *diagram.Renderer
	// Reference is the read-only reference data (support measures, EAEU
	// rules, Eurasian-scope clusters) served from memory; nil: none.
	Reference *gm.Reference
}

// Server is the HTTP application: the JSON API and the web UI over the
// use cases of app.
type Server struct {
	app   *app.App
	log   *slog.Logger
	cfg   Config
	echo  *echo.Echo
	start time.Time

	tokenLimit *limiter
	ipLimit    *limiter
	metrics    *metrics
	encoded    *encodedCache // public answers encoded once per data version
}

// New builds the echo application with every route registered.
func New(d Deps) *Server {
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{log: d.Log, cfg: d.Config.withDefaults(), start: time.Now(), encoded: newEncodedCache(256)}
	renderer := d.Renderer
	if renderer == nil {
		r, err := diagram.NewRenderer(diagram.Options{})
		if err != nil {
			s.log.Error("the diagram renderer did not start; diagrams answer 503", "err", err)
		}
		renderer = r
	}
	deps := app.Deps{Store: d.Store, Reference: d.Reference, Config: app.Config{AggregationThreshold: s.cfg.AggregationThreshold,
		AnalysisTimeout: s.cfg.AnalysisTimeout, UploadLimit: s.cfg.UploadLimit, UploadMaxRows: s.cfg.UploadMaxRows, UploadUnzipLimit: s.cfg.UploadUnzipLimit,
		SessionTTL: s.cfg.SessionTTL}}
	if renderer != nil {
		deps.Renderer = renderer
	}
	s.app = app.New(deps)
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = httpx.ErrorHandler(s.log)
	e.IPExtractor = echo.ExtractIPDirect()
	if len(s.cfg.TrustedProxies) > 0 {
		var opts []echo.TrustOption
		for _, cidr := range s.cfg.TrustedProxies {
			_, n, err := net.ParseCIDR(cidr)
			if err != nil {
				s.log.Error("ignoring an invalid trusted proxy range", "cidr", cidr, "err", err)
				continue
			}
			opts = append(opts, echo.TrustIPRange(n))
		}
		opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	burst := func(r float64) int { return max(20, int(2*r)) }
	s.tokenLimit = newLimiter(s.cfg.RatePerToken, burst(s.cfg.RatePerToken))
	s.ipLimit = newLimiter(s.cfg.RatePerIP, burst(s.cfg.RatePerIP))
	s.metrics = newMetrics(s.app)
	e.Use(middleware.RequestID())
	e.Use(s.observe) // logs, counts and recovers: every outcome, panics included
	e.Use(securityHeaders, noStaticListing)
	e.Use(middleware.BodyLimit(s.cfg.BodyLimit))
	e.Use(s.authenticate)
	e.Use(s.rateLimit)
	s.echo = e
	s.routes()
	web.New(s.app, s.log, web.Options{PageWait: s.cfg.PageWait, Sessions: sessions{s}}).Register(e)
	return s
}

// App returns the use cases the server serves.
func (s *Server) App() *app.App { return s.app }

// Echo returns the underlying echo instance (for tests: e.ServeHTTP).
func (s *Server) Echo() *echo.Echo { return s.echo }

// ServeHTTP implements http.Handler. HEAD is served as the GET of the same
// route with the body dropped (echo routes HEAD only where it is registered).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		g := r.Clone(context.WithValue(r.Context(), headKey{}, true))
		g.Method = http.MethodGet
		s.echo.ServeHTTP(headWriter{w}, g)
		return
	}
	s.echo.ServeHTTP(w, r)
}

type headKey struct{}

// headWriter sends the headers and status of a response, not its body.
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(b []byte) (int, error) { return len(b), nil }

// observe is the one deferred place of a request that recovers a panic,
// writes the error response, logs the access line and counts the request:
// whatever the handler does, panics included, is logged and counted.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		t := time.Now()
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r) // the client is gone; net/http handles it
				}
				perr, ok := r.(error)
				if !ok {
					perr = fmt.Errorf("%v", r)
				}
				s.metrics.panics.Inc()
				s.log.Error("panic", "err", perr, "method", method(c), "path", c.Path(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(debug.Stack()))
				err = gm.Internal(perr, "panic")
			}
			if err != nil {
				c.Error(err) // the HTTPErrorHandler writes the response (if none was committed)
				err = nil
			}
			status := c.Response().Status
			d := time.Since(t)
			s.log.Info("request", "method", method(c), "path", c.Request().URL.Path, "status", status,
				"bytes", c.Response().Size, "ms", d.Milliseconds(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "ip", c.RealIP())
			s.metrics.observe(method(c), c.Path(), status, d)
		}()
		return next(c)
	}
}

// method is the request's method as the client sent it (HEAD is served as GET).
func method(c echo.Context) string {
	if head, _ := c.Request().Context().Value(headKey{}).(bool); head {
		return http.MethodHead
	}
	return c.Request().Method
}

// noStaticListing answers 404 for folders of /static/ rather than listing
// their files.
func noStaticListing(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if p == "/static" || strings.HasPrefix(p, "/static/") && (strings.HasSuffix(p, "/") || path.Ext(p) == "") {
			return echo.ErrNotFound
		}
		return next(c)
	}
}

// securityHeaders sets the headers every response carries; handlers may
// replace the defaults (web pages set their own Content-Security-Policy,
// cacheable routes their Cache-Control). Responses depend on who asks, so
// shared caches must keep them apart (Vary) or not keep them (private).
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		// JSON, SVG and DOT are never documents to run: nothing loads, nothing runs.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; sandbox")
		h.Add("Vary", "Authorization, Cookie")
		h.Set("Cache-Control", "private")
		return next(c)
	}
}

// Serve listens on ln until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish within 10 seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      3 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
		return e
	}
	return err
}
