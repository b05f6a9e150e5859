package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// perm is what a route requires of the caller.
type perm int

const (
	permPublic   perm = iota // anyone, signed in or not
	permSignedIn             // any valid token or session (investor and up)
	permRead                 // a member of the cluster in the path (viewer, editor of it, admin)
	permWrite                // an editor of the cluster in the path, or admin
	permAdmin                // admin only
)

// principal is who is calling.
type principal struct {
	Role      string // "" for the public
	ClusterID string // the cluster a viewer or editor token is limited to ("" = all)
	TokenID   string
	Session   string // hash of the session id when signed in by cookie
	CSRF      string
}

func (p principal) signedIn() bool { return p.Role != "" }

// member reports whether p may see the cluster's own data.
func (p principal) member(cluster string) bool {
	switch p.Role {
	case gm.RoleAdmin:
		return true
	case gm.RoleEditor, gm.RoleViewer:
		return p.ClusterID == "" || p.ClusterID == cluster
	}
	return false
}

// canWrite reports whether p may change the cluster's data.
func (p principal) canWrite(cluster string) bool {
	switch p.Role {
	case gm.RoleAdmin:
		return true
	case gm.RoleEditor:
		return p.ClusterID == "" || p.ClusterID == cluster
	}
	return false
}

// writer is what p may change, as the store's write path sees it: the store
// decides ownership record by record (gm.Writer); routes only check the role.
func (p principal) writer() gm.Writer {
	switch p.Role {
	case gm.RoleAdmin:
		return gm.AdminWriter
	case gm.RoleEditor:
		return gm.Writer{Cluster: p.ClusterID, AllClusters: p.ClusterID == ""}
	}
	return gm.Writer{}
}

// setPrincipal makes p the caller for the rest of the request: handlers read
// it with who, and every store write made with the request's context is made
// as p's writer.
func setPrincipal(c echo.Context, p principal) {
	c.Set(ctxPrincipal, p)
	r := c.Request()
	c.SetRequest(r.WithContext(gm.WithWriter(r.Context(), p.writer())))
}

const (
	sessionCookie = "cc_session"
	csrfCookie    = "cc_csrf"
	csrfHeader    = "X-CSRF-Token"
	ctxPrincipal  = "principal"
)

func who(c echo.Context) principal {
	p, _ := c.Get(ctxPrincipal).(principal)
	return p
}

// authenticate finds the caller from a Bearer token or a session cookie. A
// bad or revoked token is 401 even on public routes, so that clients notice.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if h := c.Request().Header.Get("Authorization"); h != "" {
			full, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return gm.Errorf(gm.EUNAUTHORIZED, "use Authorization: Bearer <token>")
			}
			t, err := s.checkToken(c, strings.TrimSpace(full))
			if err != nil {
				// Failed attempts spend the client IP's allowance, so that
				// guessing tokens is rate-limited like anonymous calls.
				if gm.ErrorCode(err) == gm.EUNAUTHORIZED && !s.ipLimit.allow(c.RealIP()) {
					c.Response().Header().Set("Retry-After", "1")
					return gm.Errorf(gm.ERATELIMIT, "too many requests; slow down")
				}
				return err
			}
			setPrincipal(c, principal{Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID})
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			hash := gm.HashSecret(ck.Value)
			ss, err := s.store.Session(ctx, hash)
			if err == nil {
				exp, _ := time.Parse(time.RFC3339, ss.ExpiresAt)
				if time.Now().Before(exp) {
					t, err := s.store.Token(ctx, ss.TokenID)
					if err == nil && t.RevokedAt == "" {
						setPrincipal(c, principal{Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID, Session: hash, CSRF: ss.CSRF})
						return next(c)
					}
				}
			} else if gm.ErrorCode(err) != gm.ENOTFOUND {
				return err
			}
			// An expired or unknown session is simply not signed in.
		}
		setPrincipal(c, principal{})
		return next(c)
	}
}

func (s *Server) checkToken(c echo.Context, full string) (*gm.Token, error) {
	id, secret, ok := gm.ParseToken(full)
	if !ok {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "invalid token")
	}
	t, err := s.store.Token(c.Request().Context(), id)
	if gm.ErrorCode(err) == gm.ENOTFOUND {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "invalid token")
	}
	if err != nil {
		return nil, err
	}
	if !gm.SecretMatches(secret, t.SecretHash) {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "invalid token")
	}
	if t.RevokedAt != "" {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "the token was revoked")
	}
	return t, nil
}

// require checks the route's permission against the caller and, for
// requests signed in by cookie that change something, the CSRF token.
func (s *Server) require(p perm) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			me := who(c)
			if me.Session != "" && unsafeMethod(c.Request().Method) {
				// The CSRF token comes in the header or, from the web UI's
				// forms, in a urlencoded body; never in the URL, which
				// leaks into logs and Referer headers.
				got := c.Request().Header.Get(csrfHeader)
				if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); got == "" && mt == echo.MIMEApplicationForm {
					got = c.Request().PostFormValue("csrf")
				}
				if got == "" || got != me.CSRF {
					return gm.Errorf(gm.EFORBIDDEN, "missing or wrong CSRF token (send the X-CSRF-Token header)")
				}
			}
			cluster := c.Param("id")
			switch p {
			case permPublic:
				return next(c)
			case permSignedIn:
				if me.signedIn() {
					return next(c)
				}
			case permRead:
				if me.member(cluster) {
					return next(c)
				}
			case permWrite:
				if me.canWrite(cluster) {
					return next(c)
				}
			case permAdmin:
				if me.Role == gm.RoleAdmin {
					return next(c)
				}
			}
			if !me.signedIn() {
				return gm.Errorf(gm.EUNAUTHORIZED, "sign in: send Authorization: Bearer <token>")
			}
			return gm.Errorf(gm.EFORBIDDEN, "your token does not allow this")
		}
	}
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// limiter keeps one token bucket per key (token id or client IP).
type limiter struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	buckets map[string]*bucket
	last    time.Time
}

type bucket struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	if perSecond <= 0 {
		return nil
	}
	return &limiter{rate: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}, last: time.Now()}
}

func (l *limiter) allow(key string) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	// Forget idle buckets once a minute so the map stays small.
	if now.Sub(l.last) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 5*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.last = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{l: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.l.Allow()
}

// rateLimit applies the per-token limit to signed-in callers and the per-IP
// limit to the others (client IP from the connection unless a trusted proxy
// is configured).
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		me := who(c)
		ok := true
		if me.TokenID != "" {
			ok = s.tokenLimit.allow(me.TokenID)
		} else {
			ok = s.ipLimit.allow(c.RealIP())
		}
		if !ok {
			c.Response().Header().Set("Retry-After", "1")
			return gm.Errorf(gm.ERATELIMIT, "too many requests; slow down")
		}
		return next(c)
	}
}

// writersOnly is the store as the server uses it: a write whose context
// carries no writer (one not made from a request's context, which always
// has the caller's) is refused rather than made as the process itself, which
// the store would allow everything.
type writersOnly struct{ gm.Store }

var errNoWriter = errors.New("a store write without a writer in its context")

func needWriter(ctx context.Context) error {
	if _, ok := gm.WriterFrom(ctx); !ok {
		return gm.Internal(errNoWriter, "write refused")
	}
	return nil
}

func (w writersOnly) Import(ctx context.Context, clusterID string, ds *gm.Dataset, opt gm.ImportOptions) (*gm.ImportResult, error) {
	if err := needWriter(ctx); err != nil {
		return nil, err
	}
	return w.Store.Import(ctx, clusterID, ds, opt)
}

func (w writersOnly) ImportIfVersion(ctx context.Context, clusterID string, ds *gm.Dataset, k gm.RecordKey, ifVersion int64) (*gm.ImportResult, error) {
	if err := needWriter(ctx); err != nil {
		return nil, err
	}
	return w.Store.ImportIfVersion(ctx, clusterID, ds, k, ifVersion)
}

func (w writersOnly) Delete(ctx context.Context, clusterID string, k gm.RecordKey, ifVersion int64) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.Delete(ctx, clusterID, k, ifVersion)
}

func (w writersOnly) SaveScenario(ctx context.Context, sc *gm.StoredScenario) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.SaveScenario(ctx, sc)
}

func (w writersOnly) DeleteScenario(ctx context.Context, clusterID, id string) error {
	if err := needWriter(ctx); err != nil {
		return err
	}
	return w.Store.DeleteScenario(ctx, clusterID, id)
}

func (w writersOnly) LoadSeed(ctx context.Context, seed *gm.Seed) (bool, error) {
	if err := needWriter(ctx); err != nil {
		return false, err
	}
	return w.Store.LoadSeed(ctx, seed)
}
