package app

import (
	"context"

	gm "github.com/coopchain/coopchain/graphmodel"
)

// Principal is who is calling: the role of the token (or of the session's
// token) and the cluster it is bound to. The zero Principal is the public.
type Principal struct {
	Role      string // "" for the public
	ClusterID string // the cluster a viewer or editor token is limited to ("" = all); a participant's cluster
	// ParticipantID is the participant a participant token answers for.
	ParticipantID string
	TokenID       string
}

// Participant reports whether the caller is a participant company (role
// participant): it never counts as a member or an editor.
func (p Principal) Participant() bool { return p.Role == gm.RoleParticipant }

// IsParticipant reports whether the caller answers for participant pid of
// the cluster.
func (p Principal) IsParticipant(cluster, pid string) bool {
	return p.Participant() && pid != "" && p.ClusterID == cluster && p.ParticipantID == pid
}

// Who names the caller for the records it leaves (who submitted, who
// accepted): its role and token id.
func (p Principal) Who() string {
	if p.Role == "" {
		return ""
	}
	return p.Role + ":" + p.TokenID
}

// SignedIn reports whether the caller presented a valid token or session.
func (p Principal) SignedIn() bool { return p.Role != "" }

// Admin reports whether the caller may do everything.
func (p Principal) Admin() bool { return p.Role == gm.RoleAdmin }

// Analyst reports whether the caller is an analyst (national aggregates
// only: it is never a member of a cluster).
func (p Principal) Analyst() bool { return p.Role == gm.RoleAnalyst }

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
	// Own is an editor of the cluster (or admin) or the participant named
	// by the target (the path's :pid): a participant's own submission.
	Own
	// National is admin or analyst: national aggregates of the clusters'
	// collected figures (threshold rule applied), never a company's figure.
	National
)

var permNames = [...]string{"public", "signed-in", "member", "editor", "admin", "editor-or-participant", "national"}

// String names the permission as the route list and the OpenAPI document
// show it.
func (p Perm) String() string {
	if int(p) < len(permNames) {
		return permNames[p]
	}
	return "unknown"
}

// Target is what an operation is on: a cluster ("" for operations outside
// any cluster) and, for a participant's own submission, the participant.
type Target struct {
	Cluster, Participant string
}

// Allows reports whether the caller has permission p on the cluster
// ("" for operations outside any cluster).
func (p Perm) Allows(me Principal, cluster string) bool {
	return p.AllowsOn(me, Target{Cluster: cluster})
}

// AllowsOn reports whether the caller has permission p on the target. A
// participant token is signed in only for its own cluster (its aggregated
// views); cross-cluster views are refused to it.
func (p Perm) AllowsOn(me Principal, t Target) bool {
	switch p {
	case Public:
		return true
	case SignedIn:
		return me.SignedIn() && (!me.Participant() || t.Cluster != "" && t.Cluster == me.ClusterID)
	case Read:
		return me.Member(t.Cluster)
	case Write:
		return me.CanWrite(t.Cluster)
	case Admin:
		return me.Admin()
	case Own:
		return me.CanWrite(t.Cluster) || me.IsParticipant(t.Cluster, t.Participant)
	case National:
		return me.Admin() || me.Analyst()
	}
	return false
}

// Check is Allows as an error: EUNAUTHORIZED for the public, EFORBIDDEN for
// a caller whose token does not allow it.
func (p Perm) Check(me Principal, cluster string) error {
	return p.CheckOn(me, Target{Cluster: cluster})
}

// CheckOn is AllowsOn as an error (see Check).
func (p Perm) CheckOn(me Principal, t Target) error {
	if p.AllowsOn(me, t) {
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
	case gm.RoleParticipant:
		return gm.Writer{Cluster: p.ClusterID, Participant: p.ParticipantID}
	}
	return gm.Writer{}
}

// as is the context of a write made for p: every store write of a use case
// goes through it, so the store knows who writes.
func as(ctx context.Context, p Principal) context.Context {
	return gm.WithWriter(ctx, p.Writer())
}
