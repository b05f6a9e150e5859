package graphmodel

import "context"

// ClusterFilter selects clusters from the registry.
type ClusterFilter struct {
	Region         string // substring of one of the regions, case-insensitive
	Specialization string // substring, case-insensitive
	Kind           string
	Query          string // substring of the name, case-insensitive
	Limit, Offset  int
}

// ImportOptions control Store.Import.
type ImportOptions struct {
	DryRun      bool // validate only, store nothing
	ReplaceYear int  // when set, the cluster's links, imports and capacities of that year are replaced
	// Progress, when set, is told how many of the dataset's rows were written.
	Progress func(done, total int)
}

// ImportResult tells what an import did (or would do, in a dry run).
type ImportResult struct {
	ClusterID      string         `json:"cluster_id"`
	DryRun         bool           `json:"dry_run"`
	CreatedCluster bool           `json:"created_cluster"`
	Rows           map[string]int `json:"rows"`    // rows read per sheet
	Deleted        int            `json:"deleted"` // rows removed by ReplaceYear
	Version        int64          `json:"version"` // the cluster's data version after the import
	Warnings       []Problem      `json:"warnings,omitempty"`
}

// Seed is the built-in dataset loaded into an empty database.
type Seed struct {
	Clusters []Cluster
	Rating   []RegionRating
	// Data holds the detailed datasets of some clusters, by cluster ID.
	Data map[string]*Dataset
}

// Store keeps clusters and their data. Implementations: sqlstore (SQLite and
// PostgreSQL). Every write is one transaction: it stores everything or
// nothing.
type Store interface {
	// ListClusters returns the clusters matching f and the total number of matches.
	ListClusters(ctx context.Context, f ClusterFilter) ([]Cluster, int, error)
	// GetCluster returns one cluster or an ENOTFOUND error.
	GetCluster(ctx context.Context, id string) (*Cluster, error)
	// RegionRating returns the national rating of regions, best first.
	RegionRating(ctx context.Context) ([]RegionRating, error)
	// ClusterData returns all data of a cluster: its participants, the links
	// between them, their imports, capacities and projects, the products
	// referred to, and the cluster row itself.
	ClusterData(ctx context.Context, clusterID string) (*Dataset, error)
	// Import validates ds and stores it into the cluster (created if missing),
	// all or nothing. Validation failures are EINVALID errors listing every problem.
	Import(ctx context.Context, clusterID string, ds *Dataset, opt ImportOptions) (*ImportResult, error)
	// LoadSeed loads the seed once into an empty database; it reports whether it did.
	LoadSeed(ctx context.Context, s *Seed) (bool, error)
	// Employment returns the stored employment table.
	Employment(ctx context.Context) ([]Employment, error)
	// DataVersion is a counter bumped by every change; caches key on it.
	DataVersion(ctx context.Context) (int64, error)
	Close() error
}
