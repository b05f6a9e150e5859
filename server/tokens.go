package server

import (
	"context"
	"strings"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// createToken checks the role and cluster and stores a new token.
func createToken(ctx context.Context, st gm.Store, role, cluster, name string) (*gm.Token, string, error) {
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

// NewToken creates a token for the CLI (`coopchain token create`).
func NewToken(ctx context.Context, st gm.Store, role, cluster, name string) (*gm.Token, string, error) {
	return createToken(ctx, st, role, cluster, name)
}
