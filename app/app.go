// Package app holds coopchain's use cases: what the JSON API and the web
// pages do, written once. Both HTTP packages parse a request, call App and
// encode the answer; who may see or change what is decided here (and, for
// writes, again in the store's write path), never in a handler.
package app

import (
	"context"
	"time"

	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// Config holds the use cases' settings.
type Config struct {
	// AggregationThreshold is the number of participants a niche's demand
	// must aggregate before non-members see it (default 3).
	AggregationThreshold int
	// AnalysisTimeout bounds one analysis computation (default 60 s).
	AnalysisTimeout time.Duration
	// ReportCache is how many analysis reports are kept, least recently used
	// evicted first (default 1024: above the registry's cluster count, so
	// cross-cluster views do not recompute every cluster each time).
	ReportCache int
	// UploadLimit is the largest dataset upload, in bytes (default 32 MiB).
	UploadLimit int64
	// UploadMaxRows is the most rows an upload may hold, over all its
	// sheets (default 100,000); a workbook's empty rows count too.
	UploadMaxRows int
	// UploadUnzipLimit is the most an uploaded zip or workbook may unpack
	// to, over the entries read (default 256 MiB).
	UploadUnzipLimit int64
	// SessionTTL is how long a web session lasts (default 12 h).
	SessionTTL time.Duration
}

func (c Config) withDefaults() Config {
	if c.AggregationThreshold <= 0 {
		c.AggregationThreshold = 3
	}
	if c.AnalysisTimeout <= 0 {
		c.AnalysisTimeout = 60 * time.Second
	}
	if c.UploadLimit <= 0 {
		c.UploadLimit = 32 << 20
	}
	if c.UploadMaxRows <= 0 {
		c.UploadMaxRows = 100_000
	}
	if c.UploadUnzipLimit <= 0 {
		c.UploadUnzipLimit = 256 << 20
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	return c
}

// Renderer draws a diagram model (diagram.Renderer).
type Renderer interface {
	Render(ctx context.Context, key string, m *diagram.Model, format string) ([]byte, error)
	Renders() int
}

// Deps are what the use cases need.
type Deps struct {
	Store gm.Store
	// Reference is the read-only reference data (support measures, EAEU
	// rules, Eurasian-scope clusters); nil: none.
	Reference *gm.Reference
	// Renderer draws diagrams; nil: diagrams answer "unavailable".
	Renderer Renderer
	Config   Config
}

// App is the application: every use case of the API and the web UI.
type App struct {
	store    gm.Store
	ref      *gm.Reference
	renderer Renderer
	cfg      Config
	analyzer *analyzer
	// published is the cross-cluster niche list of the current data version.
	published publishedCache
	// national holds the national views' data of the current data version.
	national nationalCache
}

// New builds the application.
func New(d Deps) *App {
	cfg := d.Config.withDefaults()
	ref := d.Reference
	if ref == nil {
		ref = &gm.Reference{}
	}
	return &App{store: writersOnly{d.Store}, ref: ref, renderer: d.Renderer, cfg: cfg, analyzer: newAnalyzer(d.Store, cfg.AnalysisTimeout, cfg.ReportCache)}
}

// Config returns the settings in force (defaults filled in).
func (a *App) Config() Config { return a.cfg }

// Computed is how many analysis reports were computed (cache misses).
func (a *App) Computed() int { return a.analyzer.Computed() }

// Rendered is how many diagrams were laid out (cache misses).
func (a *App) Rendered() int {
	if a.renderer == nil {
		return 0
	}
	return a.renderer.Renders()
}

// Health checks the database and returns the global data version.
func (a *App) Health(ctx context.Context) (int64, error) { return a.store.DataVersion(ctx) }
