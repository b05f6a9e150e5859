package graphmodel

import (
	"context"
	"fmt"
)

// ClusterFilter selects clusters from the registry.
type ClusterFilter struct {
	Region         string // substring of one of the regions, case-insensitive
	Specialization string // substring, case-insensitive
	Kind           string
	Query          string // substring of the name, case-insensitive
	// Scope keeps the Eurasian-scope entries (kinds foreign and planned)
	// apart: "" or ScopeRegistry lists every other cluster (the Russian
	// registry and clusters made by imports) unless Kind names one of those
	// kinds; ScopeEurasia lists only them; ScopeAll lists everything.
	Scope         string
	Limit, Offset int
}

// Cluster list scopes (ClusterFilter.Scope).
const (
	ScopeRegistry = "registry"
	ScopeEurasia  = "eurasia"
	ScopeAll      = "all"
)

// InScope reports whether a cluster of kind k is listed under f's Scope
// (Kind, when set, is checked on its own and overrides the default). The
// Eurasian-scope kinds are foreign (clusters abroad), planned (announced,
// not registered) and unregistered (operating, outside the registry).
func (f ClusterFilter) InScope(k ClusterKind) bool {
	eurasian := IsEurasian(k)
	switch {
	case f.Kind != "" || f.Scope == ScopeAll:
		return true
	case f.Scope == ScopeEurasia:
		return eurasian
	}
	return !eurasian
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

// Registry reads the registry and the reference tables.
type Registry interface {
	// ListClusters returns the clusters matching f and the total number of matches.
	ListClusters(ctx context.Context, f ClusterFilter) ([]Cluster, int, error)
	// GetCluster returns one cluster or an ENOTFOUND error.
	GetCluster(ctx context.Context, id string) (*Cluster, error)
	// RegionRating returns the national rating of regions, best first.
	RegionRating(ctx context.Context) ([]RegionRating, error)
	// Products returns the product catalogue (filter: substring of code or
	// name) and the number of matches.
	Products(ctx context.Context, q string, limit, offset int) ([]Product, int, error)
	// Employment returns the stored employment table.
	Employment(ctx context.Context) ([]Employment, error)
	// DataVersion is a counter bumped by every change; caches key on it.
	DataVersion(ctx context.Context) (int64, error)
}

// DataReader reads a cluster's data.
type DataReader interface {
	// ClusterData returns all data of a cluster: its participants, the links
	// between them, their imports, capacities and projects, the products
	// referred to, and the cluster row itself.
	ClusterData(ctx context.Context, clusterID string) (*Dataset, error)
}

// DataWriter changes clusters' data: whole datasets or single records.
type DataWriter interface {
	// Import validates ds and stores it into the cluster (created if missing),
	// all or nothing. Validation failures are EINVALID errors listing every problem.
	Import(ctx context.Context, clusterID string, ds *Dataset, opt ImportOptions) (*ImportResult, error)
	// Version returns a record's version (optimistic locking); ENOTFOUND if absent.
	Version(ctx context.Context, clusterID string, k RecordKey) (int64, error)
	// Delete removes a record from a cluster; a participant leaves the
	// cluster (and is deleted with its links when it belongs to no other).
	// ifVersion > 0 makes it fail with ECONFLICT when the version differs.
	Delete(ctx context.Context, clusterID string, k RecordKey, ifVersion int64) error
	// ImportIfVersion is Import for one record, failing with ECONFLICT when
	// the stored version differs from ifVersion (0: no check) or, with
	// ifVersion CreateOnly, when the record already exists.
	ImportIfVersion(ctx context.Context, clusterID string, ds *Dataset, k RecordKey, ifVersion int64) (*ImportResult, error)
}

// Store keeps clusters and their data, tokens and scenarios.
// Implementations: sqlstore (SQLite and PostgreSQL). Every write is one
// transaction: it stores everything or nothing. Every write is made as the
// Writer of its context (WithWriter) and the store itself refuses, in that
// transaction, records the writer does not own (see Writer); a context
// without a writer is the process itself (command-line tools, seeding) and
// may change everything. Consumers that need less take one of the smaller
// interfaces it is made of.
type Store interface {
	Registry
	DataReader
	DataWriter
	ScenarioStore
	AuthStore
	CampaignStore
	// LoadSeed loads the seed once into an empty database; it reports whether it did.
	LoadSeed(ctx context.Context, s *Seed) (bool, error)
	Close() error
}

// Roles of API tokens.
const (
	RoleAdmin    = "admin"    // everything
	RoleEditor   = "editor"   // read and change one cluster (or all, without a cluster)
	RoleViewer   = "viewer"   // read one cluster (or all, without a cluster)
	RoleInvestor = "investor" // registry, rating and published niches with aggregated demand
	// RoleParticipant is a participant company answering the SOPC's yearly
	// data request: bound to one cluster and one participant, it reads and
	// writes only its own submission and sees the cluster's aggregated results.
	RoleParticipant = "participant"
	// RoleAnalyst is a federal or regional analyst: national aggregates
	// only (indicators summed over clusters, national niches), never a
	// company's figure nor a cluster's data.
	RoleAnalyst = "analyst"
)

// Roles lists the token roles.
var Roles = []string{RoleAdmin, RoleEditor, RoleViewer, RoleInvestor, RoleParticipant, RoleAnalyst}

// Token is an API token's stored part; the secret itself is never stored.
type Token struct {
	ID         string `json:"id"`
	SecretHash string `json:"-"`
	Role       string `json:"role"`
	ClusterID  string `json:"cluster_id,omitempty"`
	// ParticipantID binds a participant token to one participant of ClusterID.
	ParticipantID string `json:"participant_id,omitempty"`
	Name          string `json:"name,omitempty"`
	CreatedAt     string `json:"created_at"`
	RevokedAt     string `json:"revoked_at,omitempty"`
}

// Session is a web UI session bound to a token.
type Session struct {
	IDHash    string
	TokenID   string
	CSRF      string
	ExpiresAt string
}

// StoredScenario is a saved what-if scenario; Changes is its JSON.
type StoredScenario struct {
	ID        string `json:"id"`
	ClusterID string `json:"cluster_id"`
	Name      string `json:"name"`
	Changes   []byte `json:"-"`
	Version   int64  `json:"version"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// RecordKey names one record of a cluster for single-record changes.
type RecordKey struct {
	Kind          string // participant, link, import, capacity
	ParticipantID string // participant, import, capacity
	SupplierID    string // link
	BuyerID       string // link
	ProductCode   string
	Year          int
	Country       string // import
}

// AuthStore keeps tokens and sessions.
type AuthStore interface {
	CreateToken(ctx context.Context, t Token) error
	Token(ctx context.Context, id string) (*Token, error)
	ListTokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id string) error
	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, idHash string) (*Session, error)
	DeleteSession(ctx context.Context, idHash string) error
}

// ScenarioStore keeps saved scenarios.
type ScenarioStore interface {
	Scenarios(ctx context.Context, clusterID string) ([]StoredScenario, error)
	Scenario(ctx context.Context, clusterID, id string) (*StoredScenario, error)
	// SaveScenario creates (Version 0) or updates a scenario; an update whose
	// Version differs from the stored one fails with ECONFLICT.
	SaveScenario(ctx context.Context, s *StoredScenario) error
	DeleteScenario(ctx context.Context, clusterID, id string) error
}

// Label names the record for messages: its key fields joined.
func (k RecordKey) Label() string {
	switch k.Kind {
	case "participant":
		return k.ParticipantID
	case "link":
		return fmt.Sprintf("%s→%s %s %d", k.SupplierID, k.BuyerID, k.ProductCode, k.Year)
	case "import":
		return fmt.Sprintf("%s %s %d %s", k.ParticipantID, k.ProductCode, k.Year, k.Country)
	}
	return fmt.Sprintf("%s %s %d", k.ParticipantID, k.ProductCode, k.Year)
}
