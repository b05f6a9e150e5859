package server

import (
	"context"
	"net/http"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/server/httpx"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

type loginRequest struct {
	Token string `json:"token"`
}

type whoAmI struct {
	SignedIn      bool   `json:"signed_in"`
	Role          string `json:"role,omitempty"`
	ClusterID     string `json:"cluster_id,omitempty"`
	ParticipantID string `json:"participant_id,omitempty"`
	TokenID       string `json:"token_id,omitempty"`
	CSRF          string `json:"csrf,omitempty"`
}

// handleLogin exchanges a token for a session cookie (HttpOnly,
// SameSite=Strict) and returns the CSRF token to send with changes.
func (s *Server) handleLogin() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := httpx.SameOrigin(c); err != nil {
			return err
		}
		var req loginRequest
		if err := httpx.BindJSON(c, &req); err != nil {
			return err
		}
		t, err := s.app.Authenticate(c.Request().Context(), req.Token)
		if err != nil {
			return err
		}
		if err := (sessions{s}).Start(c, t); err != nil {
			return err
		}
		me := httpx.Who(c)
		return c.JSON(http.StatusOK, whoAmI{SignedIn: true, Role: t.Role, ClusterID: t.ClusterID, ParticipantID: t.ParticipantID, TokenID: t.ID, CSRF: me.CSRF})
	}
}

func (s *Server) handleWhoAmI() echo.HandlerFunc {
	return func(c echo.Context) error {
		me := httpx.Who(c)
		return c.JSON(http.StatusOK, whoAmI{SignedIn: me.SignedIn(), Role: me.Role, ClusterID: me.ClusterID, ParticipantID: me.ParticipantID, TokenID: me.TokenID, CSRF: me.CSRF})
	}
}

func (s *Server) handleLogout() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := (sessions{s}).End(c); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) handleTokens() echo.HandlerFunc {
	return func(c echo.Context) error {
		ts, err := s.app.Tokens(c.Request().Context(), who(c))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, app.Page[gm.Token]{Items: ts, Total: len(ts), Limit: len(ts)})
	}
}

type tokenRequest struct {
	Role          string `json:"role"`
	ClusterID     string `json:"cluster_id"`
	ParticipantID string `json:"participant_id"`
	Name          string `json:"name"`
}

func (s *Server) handleCreateToken() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req tokenRequest
		if err := httpx.BindJSON(c, &req); err != nil {
			return err
		}
		t, full, err := s.app.CreateTokenFor(c.Request().Context(), who(c), app.TokenSpec{Role: req.Role, ClusterID: req.ClusterID, ParticipantID: req.ParticipantID, Name: req.Name})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]any{"token": full, "id": t.ID, "role": t.Role, "cluster_id": t.ClusterID, "participant_id": t.ParticipantID, "name": t.Name,
			"note": "the token is shown once; store it safely"})
	}
}

func (s *Server) handleRevokeToken() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.app.RevokeToken(c.Request().Context(), who(c), c.Param("tid")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// NewToken creates a token for the CLI (`coopchain token create`) and tests.
func NewToken(ctx context.Context, st gm.Store, role, cluster, name string) (*gm.Token, string, error) {
	return app.NewToken(ctx, st, role, cluster, name)
}

// NewParticipantToken creates a participant token bound to one participant
// of the cluster (`coopchain token create --role participant --participant ID`).
func NewParticipantToken(ctx context.Context, st gm.Store, cluster, participant, name string) (*gm.Token, string, error) {
	return app.NewTokenFor(ctx, st, app.TokenSpec{Role: gm.RoleParticipant, ClusterID: cluster, ParticipantID: participant, Name: name})
}
