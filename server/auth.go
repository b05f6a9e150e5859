package server

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

const (
	sessionCookie = "cc_session"
	csrfCookie    = "cc_csrf"
)

func who(c echo.Context) app.Principal { return httpx.Who(c).Principal }

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
			t, err := s.app.Authenticate(ctx, strings.TrimSpace(full))
			if err != nil {
				// Failed attempts spend the client IP's allowance, so that
				// guessing tokens is rate-limited like anonymous calls.
				if gm.ErrorCode(err) == gm.EUNAUTHORIZED && !s.ipLimit.allow(c.RealIP()) {
					c.Response().Header().Set("Retry-After", "1")
					return gm.Errorf(gm.ERATELIMIT, "too many requests; slow down")
				}
				return err
			}
			httpx.SetWho(c, httpx.Caller{Principal: app.PrincipalOf(t)})
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			me, csrf, hash, ok, err := s.app.Session(ctx, ck.Value)
			if err != nil {
				return err
			}
			if ok {
				httpx.SetWho(c, httpx.Caller{Principal: me, Session: hash, CSRF: csrf})
				return next(c)
			}
			// An expired or unknown session is simply not signed in.
		}
		httpx.SetWho(c, httpx.Caller{})
		return next(c)
	}
}

// sessions starts and ends web sessions: the cookies (HttpOnly,
// SameSite=Strict; Secure over TLS) for the API's sign-in and the web UI's.
type sessions struct{ s *Server }

// Start creates a session for the token and sets its cookies; the caller
// becomes signed in for the rest of the request.
func (ss sessions) Start(c echo.Context, t *gm.Token) error {
	n, err := ss.s.app.StartSession(c.Request().Context(), t)
	if err != nil {
		return err
	}
	secure := c.IsTLS() || c.Request().Header.Get("X-Forwarded-Proto") == "https" && ss.s.cfg.TrustedProxies != nil
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: n.ID, Path: "/", Expires: n.Expires, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: n.CSRF, Path: "/", Expires: n.Expires, HttpOnly: false, Secure: secure, SameSite: http.SameSiteStrictMode})
	httpx.SetWho(c, httpx.Caller{Principal: app.PrincipalOf(t), Session: n.Hash, CSRF: n.CSRF})
	return nil
}

// End deletes the caller's session, if any, and clears its cookies.
func (ss sessions) End(c echo.Context) error {
	if me := httpx.Who(c); me.Session != "" {
		if err := ss.s.app.EndSession(c.Request().Context(), me.Session); err != nil {
			return err
		}
	}
	for _, name := range []string{sessionCookie, csrfCookie} {
		c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: name == sessionCookie, SameSite: http.SameSiteStrictMode})
	}
	return nil
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
