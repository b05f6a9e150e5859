package server

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

type loginRequest struct {
	Token string `json:"token"`
}

type whoAmI struct {
	SignedIn  bool   `json:"signed_in"`
	Role      string `json:"role,omitempty"`
	ClusterID string `json:"cluster_id,omitempty"`
	TokenID   string `json:"token_id,omitempty"`
	CSRF      string `json:"csrf,omitempty"`
}

// handleLogin exchanges a token for a session cookie (HttpOnly,
// SameSite=Strict) and returns the CSRF token to send with changes.
func (s *Server) handleLogin() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := sameOrigin(c); err != nil {
			return err
		}
		var req loginRequest
		if err := s.bindJSON(c, &req); err != nil {
			return err
		}
		t, err := s.checkToken(c, req.Token)
		if err != nil {
			return err
		}
		if err := s.startSession(c, t); err != nil {
			return err
		}
		me := who(c)
		return c.JSON(http.StatusOK, whoAmI{SignedIn: true, Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID, CSRF: me.CSRF})
	}
}

// sameOrigin refuses a sign-in posted from another site (login CSRF: being
// signed in, unknowingly, with someone else's token): a browser names the
// page's origin in Origin, and Sec-Fetch-Site says whether it is this site.
// Requests without either (non-browser clients) pass.
func sameOrigin(c echo.Context) error {
	r := c.Request()
	refused := gm.Errorf(gm.EFORBIDDEN, "sign-in refused: the form was sent from another site")
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return refused
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
		return refused
	}
	return nil
}

// startSession creates a session for the token and sets its cookies
// (HttpOnly, SameSite=Strict; Secure over TLS); the caller becomes signed in
// for the rest of the request.
func (s *Server) startSession(c echo.Context, t *gm.Token) error {
	id := randomString(32)
	csrf := randomString(24)
	exp := time.Now().Add(s.cfg.SessionTTL)
	hash := gm.HashSecret(id)
	if err := s.store.CreateSession(c.Request().Context(), gm.Session{IDHash: hash, TokenID: t.ID, CSRF: csrf, ExpiresAt: exp.UTC().Format(time.RFC3339)}); err != nil {
		return err
	}
	secure := c.IsTLS() || c.Request().Header.Get("X-Forwarded-Proto") == "https" && s.cfg.TrustedProxies != nil
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: id, Path: "/", Expires: exp, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: csrf, Path: "/", Expires: exp, HttpOnly: false, Secure: secure, SameSite: http.SameSiteStrictMode})
	setPrincipal(c, principal{Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID, Session: hash, CSRF: csrf})
	return nil
}

func (s *Server) handleWhoAmI() echo.HandlerFunc {
	return func(c echo.Context) error {
		me := who(c)
		return c.JSON(http.StatusOK, whoAmI{SignedIn: me.signedIn(), Role: me.Role, ClusterID: me.ClusterID, TokenID: me.TokenID, CSRF: me.CSRF})
	}
}

func (s *Server) handleLogout() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.endSession(c); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// endSession deletes the caller's session, if any, and clears its cookies.
func (s *Server) endSession(c echo.Context) error {
	if me := who(c); me.Session != "" {
		if err := s.store.DeleteSession(c.Request().Context(), me.Session); err != nil {
			return err
		}
	}
	for _, name := range []string{sessionCookie, csrfCookie} {
		c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: name == sessionCookie, SameSite: http.SameSiteStrictMode})
	}
	return nil
}

func (s *Server) handleTokens() echo.HandlerFunc {
	return func(c echo.Context) error {
		ts, err := s.store.ListTokens(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page[gm.Token]{Items: ts, Total: len(ts), Limit: len(ts)})
	}
}

type tokenRequest struct {
	Role      string `json:"role"`
	ClusterID string `json:"cluster_id"`
	Name      string `json:"name"`
}

func (s *Server) handleCreateToken() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req tokenRequest
		if err := s.bindJSON(c, &req); err != nil {
			return err
		}
		t, full, err := createToken(c.Request().Context(), s.store, req.Role, req.ClusterID, req.Name)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]any{"token": full, "id": t.ID, "role": t.Role, "cluster_id": t.ClusterID, "name": t.Name,
			"note": "the token is shown once; store it safely"})
	}
}

func (s *Server) handleRevokeToken() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.store.RevokeToken(c.Request().Context(), c.Param("tid")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}
