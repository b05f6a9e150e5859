package server

import (
	"crypto/rand"
	"encoding/base64"
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
				return err
			}
			c.Set(ctxPrincipal, principal{Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID})
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
						c.Set(ctxPrincipal, principal{Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID, Session: hash, CSRF: ss.CSRF})
						return next(c)
					}
				}
			} else if gm.ErrorCode(err) != gm.ENOTFOUND {
				return err
			}
			// An expired or unknown session is simply not signed in.
		}
		c.Set(ctxPrincipal, principal{})
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
				got := c.Request().Header.Get(csrfHeader)
				if got == "" {
					got = c.FormValue("csrf")
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
