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

// tokenStore is what making a token needs: the cluster (and its
// participants) to bind to and where to keep the token.
type tokenStore interface {
	GetCluster(ctx context.Context, id string) (*gm.Cluster, error)
	ClusterData(ctx context.Context, clusterID string) (*gm.Dataset, error)
	CreateToken(ctx context.Context, t gm.Token) error
}

// TokenSpec is what a new token is for: its role, the cluster it is
// limited to, the participant a participant token answers for, a note.
type TokenSpec struct {
	Role, ClusterID, ParticipantID, Name string
}

// CreateTokenFor is CreateToken for any spec, participant tokens included (admin).
func (a *App) CreateTokenFor(ctx context.Context, me Principal, spec TokenSpec) (*gm.Token, string, error) {
	if err := Admin.Check(me, ""); err != nil {
		return nil, "", err
	}
	return NewTokenFor(ctx, a.store, spec)
}

// NewToken creates a token without a caller (the CLI, `coopchain token create`).
func NewToken(ctx context.Context, st tokenStore, role, cluster, name string) (*gm.Token, string, error) {
	return NewTokenFor(ctx, st, TokenSpec{Role: role, ClusterID: cluster, Name: name})
}

// NewTokenFor creates a token of any spec without a caller. A participant
// token needs a cluster and one of its participants.
func NewTokenFor(ctx context.Context, st tokenStore, spec TokenSpec) (*gm.Token, string, error) {
	t, full, err := makeToken(ctx, st, spec)
	if err != nil {
		return nil, "", err
	}
	if err := st.CreateToken(ctx, *t); err != nil {
		return nil, "", err
	}
	return t, full, nil
}

// makeToken checks a spec and makes the token (not stored yet) and its
// full text.
func makeToken(ctx context.Context, st tokenStore, spec TokenSpec) (*gm.Token, string, error) {
	role, cluster, name := spec.Role, spec.ClusterID, spec.Name
	valid := false
	for _, r := range gm.Roles {
		valid = valid || r == role
	}
	if !valid {
		return nil, "", gm.Invalid("invalid role", []gm.Problem{{Column: "role", Value: role, Message: "use " + strings.Join(gm.Roles, ", "), MessageRU: "допустимы " + strings.Join(gm.Roles, ", ")}})
	}
	if err := checkParticipantSpec(ctx, st, spec); err != nil {
		return nil, "", err
	}
	if cluster != "" {
		if role == gm.RoleAdmin || role == gm.RoleInvestor || role == gm.RoleAnalyst {
			return nil, "", gm.Invalid("a cluster only applies to viewer, editor and participant tokens", []gm.Problem{{Column: "cluster_id", Value: cluster, Message: "leave it empty for admin, investor and analyst tokens", MessageRU: "для admin, investor и analyst кластер не указывается"}})
		}
		if _, err := st.GetCluster(ctx, cluster); err != nil {
			return nil, "", err
		}
	}
	id, secret, full := gm.NewToken()
	t := gm.Token{ID: id, SecretHash: gm.HashSecret(secret), Role: role, ClusterID: cluster, ParticipantID: spec.ParticipantID,
		Name: strings.TrimSpace(name), CreatedAt: time.Now().UTC().Format(time.RFC3339)}
	return &t, full, nil
}

// checkParticipantSpec checks that a participant token names a cluster and
// one of its participants, and that no other token names a participant.
func checkParticipantSpec(ctx context.Context, st tokenStore, spec TokenSpec) error {
	if spec.Role != gm.RoleParticipant {
		if spec.ParticipantID != "" {
			return gm.Invalid("a participant only applies to participant tokens", []gm.Problem{{Column: "participant_id", Value: spec.ParticipantID,
				Message: "leave it empty for " + spec.Role + " tokens", MessageRU: "участник указывается только для токенов participant"}})
		}
		return nil
	}
	if spec.ClusterID == "" || spec.ParticipantID == "" {
		return gm.Invalid("a participant token needs a cluster and a participant", []gm.Problem{{Column: "participant_id", Value: spec.ParticipantID,
			Message: "give the cluster and one of its participants", MessageRU: "укажите кластер и его участника"}})
	}
	ds, err := st.ClusterData(ctx, spec.ClusterID)
	if err != nil {
		return err
	}
	for _, p := range ds.Participants {
		if p.ID == spec.ParticipantID {
			return nil
		}
	}
	return gm.Errorf(gm.ENOTFOUND, "participant %q is not in cluster %s", spec.ParticipantID, spec.ClusterID)
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
	return Principal{Role: t.Role, ClusterID: t.ClusterID, ParticipantID: t.ParticipantID, TokenID: t.ID}
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
