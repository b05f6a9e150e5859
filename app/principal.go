package app

import (
	"context"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Principal is who is calling: the role of the token (or of the session's
// token) and the cluster it is bound to. The zero Principal is the public.
type Principal struct {
	Role      string // "" for the public
	ClusterID string // the cluster a viewer or editor token is limited to ("" = all)
	TokenID   string
}

// SignedIn reports whether the caller presented a valid token or session.
func (p Principal) SignedIn() bool { return p.Role != "" }

// Admin reports whether the caller may do everything.
func (p Principal) Admin() bool { return p.Role == gm.RoleAdmin }

// Member reports whether p may see the cluster's own data (per-company
// figures, analysis detail, exports).
func (p Principal) Member(cluster string) bool {
	switch p.Role {
	case gm.RoleAdmin:
		return true
	case gm.RoleEditor, gm.RoleViewer:
		return p.ClusterID == "" || p.ClusterID == cluster
	}
	return false
}

// CanWrite reports whether p may change the cluster's data.
func (p Principal) CanWrite(cluster string) bool {
	switch p.Role {
	case gm.RoleAdmin:
		return true
	case gm.RoleEditor:
		return p.ClusterID == "" || p.ClusterID == cluster
	}
	return false
}

// Perm is what an operation requires of the caller. Routes declare one
// (the route table, the OpenAPI document and the role matrix test read it);
// Check is the one place that decides.
type Perm int

// Permissions, from the weakest.
const (
	Public   Perm = iota // anyone, signed in or not
	SignedIn             // any valid token or session (investor and up)
	Read                 // a member of the cluster (viewer, editor of it, admin)
	Write                // an editor of the cluster, or admin
	Admin                // admin only
)

var permNames = [...]string{"public", "signed-in", "member", "editor", "admin"}

// String names the permission as the route list and the OpenAPI document
// show it.
func (p Perm) String() string {
	if int(p) < len(permNames) {
		return permNames[p]
	}
	return "unknown"
}

// Allows reports whether the caller has permission p on the cluster
// ("" for operations outside any cluster).
func (p Perm) Allows(me Principal, cluster string) bool {
	switch p {
	case Public:
		return true
	case SignedIn:
		return me.SignedIn()
	case Read:
		return me.Member(cluster)
	case Write:
		return me.CanWrite(cluster)
	case Admin:
		return me.Admin()
	}
	return false
}

// Check is Allows as an error: EUNAUTHORIZED for the public, EFORBIDDEN for
// a caller whose token does not allow it.
func (p Perm) Check(me Principal, cluster string) error {
	if p.Allows(me, cluster) {
		return nil
	}
	if !me.SignedIn() {
		return gm.Errorf(gm.EUNAUTHORIZED, "sign in: send Authorization: Bearer <token>")
	}
	return gm.Errorf(gm.EFORBIDDEN, "your token does not allow this")
}

// Writer is what p may change, as the store's write path sees it: the
// store decides ownership record by record (gm.Writer); the use cases only
// say who writes.
func (p Principal) Writer() gm.Writer {
	switch p.Role {
	case gm.RoleAdmin:
		return gm.AdminWriter
	case gm.RoleEditor:
		return gm.Writer{Cluster: p.ClusterID, AllClusters: p.ClusterID == ""}
	}
	return gm.Writer{}
}

// as is the context of a write made for p: every store write of a use case
// goes through it, so the store knows who writes.
func as(ctx context.Context, p Principal) context.Context {
	return gm.WithWriter(ctx, p.Writer())
}
