package app

import (
	"context"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// CreateToken checks the role and cluster and stores a new token; the full
// token is returned once and never stored.
func (a *App) CreateToken(ctx context.Context, me Principal, role, cluster, name string) (*gm.Token, string, error) {
	if err := Admin.Check(me, ""); err != nil {
		return nil, "", err
	}
	return NewToken(ctx, a.store, role, cluster, name)
}

// tokenStore is what NewToken needs: the cluster to bind to and where to
// keep the token.
type tokenStore interface {
	GetCluster(ctx context.Context, id string) (*gm.Cluster, error)
	CreateToken(ctx context.Context, t gm.Token) error
}

// NewToken creates a token without a caller (the CLI, `coopchain token create`).
func NewToken(ctx context.Context, st tokenStore, role, cluster, name string) (*gm.Token, string, error) {
	valid := false
	for _, r := range gm.Roles {
		valid = valid || r == role
	}
	if !valid {
		return nil, "", gm.Invalid("invalid role", []gm.Problem{{Column: "role", Value: role, Message: "use " + strings.Join(gm.Roles, ", "), MessageRU: "допустимы " + strings.Join(gm.Roles, ", ")}})
	}
	if cluster != "" {
		if role == gm.RoleAdmin || role == gm.RoleInvestor {
			return nil, "", gm.Invalid("a cluster only applies to viewer and editor tokens", []gm.Problem{{Column: "cluster_id", Value: cluster, Message: "leave it empty for admin and investor tokens", MessageRU: "для admin и investor кластер не указывается"}})
		}
		if _, err := st.GetCluster(ctx, cluster); err != nil {
			return nil, "", err
		}
	}
	id, secret, full := gm.NewToken()
	t := gm.Token{ID: id, SecretHash: gm.HashSecret(secret), Role: role, ClusterID: cluster, Name: strings.TrimSpace(name), CreatedAt: time.Now().UTC().Format(time.RFC3339)}
	if err := st.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return &t, full, nil
}

// Tokens lists the API tokens, never their secrets (admin).
func (a *App) Tokens(ctx context.Context, me Principal) ([]gm.Token, error) {
	if err := Admin.Check(me, ""); err != nil {
		return nil, err
	}
	return a.store.ListTokens(ctx)
}

// RevokeToken revokes a token (admin).
func (a *App) RevokeToken(ctx context.Context, me Principal, id string) error {
	if err := Admin.Check(me, ""); err != nil {
		return err
	}
	return a.store.RevokeToken(ctx, id)
}

// PrincipalOf is the caller a token makes.
func PrincipalOf(t *gm.Token) Principal {
	return Principal{Role: t.Role, ClusterID: t.ClusterID, TokenID: t.ID}
}

// Authenticate checks a full token (cc_<id>_<secret>): EUNAUTHORIZED when it
// is malformed, unknown, wrong or revoked.
func (a *App) Authenticate(ctx context.Context, full string) (*gm.Token, error) {
	id, secret, ok := gm.ParseToken(full)
	if !ok {
		return nil, gm.Errorf(gm.EUNAUTHORIZED, "invalid token")
	}
	t, err := a.store.Token(ctx, id)
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

// NewSession is a web session just created: the cookie values to set.
type NewSession struct {
	ID, CSRF, Hash string
	Expires        time.Time
}

// StartSession creates a web session for a token.
func (a *App) StartSession(ctx context.Context, t *gm.Token) (NewSession, error) {
	s := NewSession{ID: RandomString(32), CSRF: RandomString(24), Expires: time.Now().Add(a.cfg.SessionTTL)}
	s.Hash = gm.HashSecret(s.ID)
	err := a.store.CreateSession(ctx, gm.Session{IDHash: s.Hash, TokenID: t.ID, CSRF: s.CSRF, ExpiresAt: s.Expires.UTC().Format(time.RFC3339)})
	return s, err
}

// Session finds the caller of a session cookie: ok = false when the session
// is unknown, expired or its token revoked (the caller is then simply not
// signed in).
func (a *App) Session(ctx context.Context, cookie string) (me Principal, csrf, hash string, ok bool, err error) {
	hash = gm.HashSecret(cookie)
	ss, err := a.store.Session(ctx, hash)
	if gm.ErrorCode(err) == gm.ENOTFOUND {
		return Principal{}, "", "", false, nil
	}
	if err != nil {
		return Principal{}, "", "", false, err
	}
	exp, _ := time.Parse(time.RFC3339, ss.ExpiresAt)
	if !time.Now().Before(exp) {
		return Principal{}, "", "", false, nil
	}
	t, err := a.store.Token(ctx, ss.TokenID)
	if err != nil || t.RevokedAt != "" {
		return Principal{}, "", "", false, nil
	}
	return PrincipalOf(t), ss.CSRF, hash, true, nil
}

// EndSession deletes a session by its hash.
func (a *App) EndSession(ctx context.Context, hash string) error {
	return a.store.DeleteSession(ctx, hash)
}
