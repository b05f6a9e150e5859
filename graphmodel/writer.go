package graphmodel

import "context"

// Writer is who makes a change, as the store's write path sees it. The store
// decides, inside the transaction that writes, whether every record a change
// touches belongs to what the writer may edit (the ownership model below);
// callers only say who writes, once, by putting a Writer into the context
// (WithWriter). The application layer (app) does it for every write it
// makes for a caller; command-line tools act as the process (admin).
//
// Ownership, for a change sent to cluster C by a writer that is not Admin:
//
//   - The writer must be allowed to edit C (Cluster == C, or AllClusters).
//   - Registry entries (the clusters sheet) and the shared tables — the product
//     catalogue and the employment table — are admin data. A row identical
//     to the stored one is accepted and changes nothing (so a cluster's own
//     export can be imported back); any other row is refused, except that
//     new product codes may be added (a products row or a code used by a
//     link, import, capacity or project) unless a stored product already
//     names the code as an input. Creating a cluster is admin-only.
//   - A participant is owned by the writer when it is a member of C and every
//     cluster it belongs to (after the change) is one the writer may edit. An
//     owned participant may be created or changed freely. A participant that
//     also belongs to a cluster the writer cannot edit (shared) keeps its
//     details: only a row identical to the stored one is accepted; the
//     writer may still remove it from C (that changes only C's membership).
//     An id that exists outside the clusters the writer may edit is refused
//     with ECONFLICT, without saying where it is used.
//   - The participants column "clusters" may add only clusters the writer
//     may edit.
//   - Links, imports, capacities and projects may be written or deleted only
//     when every participant they name is owned; a project id that exists
//     must also belong to an owned participant. Rows naming a shared
//     participant are accepted only when identical to the stored ones.
//     Participants outside the clusters the writer may edit are unknown to
//     it: a reference to one is "unknown participant", as for an id that
//     does not exist.
//   - ReplaceYear removes the year's rows of owned participants only.
//   - Participant, when set, narrows all of the above to that one
//     participant's own records (its row, its imports and capacities,
//     links where it is supplier or buyer, its projects); it may not remove
//     participants or replace years.
//   - Scenarios: saved and deleted only in clusters the writer may edit, and
//     not by a writer limited to a participant.
//
// Violations are EFORBIDDEN (ECONFLICT for an id used elsewhere) listing each
// offending row, and nothing is stored. No message names another cluster's
// records.
type Writer struct {
	// Admin may change everything: any cluster's data, the registry, the
	// product catalogue, the employment table.
	Admin bool
	// Cluster is the one cluster whose data the writer may change.
	Cluster string
	// AllClusters lets the writer change every cluster's data (an editor token
	// without a cluster), but not the registry or the shared tables.
	AllClusters bool
	// Participant, when set, limits the writer to this participant's own
	// records inside Cluster (a participant company answering the yearly
	// data request).
	Participant string
}

// AdminWriter is the writer with every right: command-line tools, seeding,
// maintenance.
var AdminWriter = Writer{Admin: true}

// CanEditCluster reports whether w may change the data of the cluster.
func (w Writer) CanEditCluster(id string) bool {
	switch {
	case w.Admin:
		return true
	case id == "":
		return false
	case w.AllClusters:
		return true
	}
	return w.Cluster == id
}

// Nobody reports whether w may change nothing at all.
func (w Writer) Nobody() bool { return !w.Admin && !w.AllClusters && w.Cluster == "" }

type writerKey struct{}

// WithWriter returns a context whose store writes are made as w.
func WithWriter(ctx context.Context, w Writer) context.Context {
	return context.WithValue(ctx, writerKey{}, w)
}

// WriterFrom returns the writer of ctx; ok is false when none was set.
func WriterFrom(ctx context.Context) (w Writer, ok bool) {
	w, ok = ctx.Value(writerKey{}).(Writer)
	return w, ok
}

// CreateOnly, as the ifVersion of EditStore.ImportIfVersion, makes the write
// fail with ECONFLICT when the record already exists (create, never replace).
const CreateOnly int64 = -1
