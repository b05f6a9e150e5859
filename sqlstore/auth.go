package sqlstore

import (
	"context"
	"database/sql"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

var (
	_ gm.AuthStore     = (*DB)(nil)
	_ gm.ScenarioStore = (*DB)(nil)
)

// CreateToken stores a new token (its secret hashed by the caller).
func (s *DB) CreateToken(ctx context.Context, t gm.Token) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO tokens (id, secret_hash, role, cluster_id, participant_id, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		t.ID, t.SecretHash, t.Role, t.ClusterID, t.ParticipantID, t.Name, t.CreatedAt)
	return s.mapErr(err, "create token")
}

// Token returns a token by id.
func (s *DB) Token(ctx context.Context, id string) (*gm.Token, error) {
	var t gm.Token
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT id, secret_hash, role, cluster_id, participant_id, name, created_at, revoked_at FROM tokens WHERE id = ?`), id).
		Scan(&t.ID, &t.SecretHash, &t.Role, &t.ClusterID, &t.ParticipantID, &t.Name, &t.CreatedAt, &t.RevokedAt)
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "token %q not found", id)
	}
	if err != nil {
		return nil, s.mapErr(err, "token")
	}
	return &t, nil
}

// ListTokens returns every token, newest first.
func (s *DB) ListTokens(ctx context.Context) ([]gm.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, role, cluster_id, participant_id, name, created_at, revoked_at FROM tokens ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, s.mapErr(err, "tokens")
	}
	defer rows.Close()
	out := []gm.Token{}
	for rows.Next() {
		var t gm.Token
		if err := rows.Scan(&t.ID, &t.Role, &t.ClusterID, &t.ParticipantID, &t.Name, &t.CreatedAt, &t.RevokedAt); err != nil {
			return nil, s.mapErr(err, "tokens")
		}
		out = append(out, t)
	}
	return out, s.mapErr(rows.Err(), "tokens")
}

// RevokeToken revokes a token and ends its sessions.
func (s *DB) RevokeToken(ctx context.Context, id string) error {
	return s.mapErr(s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, s.rebind(`UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''`), time.Now().UTC().Format(time.RFC3339), id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			if _, err := s.Token(ctx, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.rebind(`DELETE FROM sessions WHERE token_id = ?`), id)
		return err
	}), "revoke token")
}

// CreateSession stores a web session.
func (s *DB) CreateSession(ctx context.Context, ss gm.Session) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO sessions (id_hash, token_id, csrf, expires_at) VALUES (?, ?, ?, ?)`), ss.IDHash, ss.TokenID, ss.CSRF, ss.ExpiresAt)
	return s.mapErr(err, "create session")
}

// Session returns a session by the hash of its id.
func (s *DB) Session(ctx context.Context, idHash string) (*gm.Session, error) {
	var ss gm.Session
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT id_hash, token_id, csrf, expires_at FROM sessions WHERE id_hash = ?`), idHash).Scan(&ss.IDHash, &ss.TokenID, &ss.CSRF, &ss.ExpiresAt)
	if err == sql.ErrNoRows {
		return nil, gm.Errorf(gm.ENOTFOUND, "session not found")
	}
	if err != nil {
		return nil, s.mapErr(err, "session")
	}
	return &ss, nil
}

// DeleteSession ends a session.
func (s *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`DELETE FROM sessions WHERE id_hash = ?`), idHash)
	return s.mapErr(err, "delete session")
}
