package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// analyzer computes cluster reports and caches them by (cluster, data
// version, year): a report is recomputed only after the cluster's data
// changed. Concurrent requests for the same key share one computation.
type analyzer struct {
	store   gm.Store
	timeout time.Duration
	max     int

	mu       sync.Mutex
	entries  map[reportKey]*reportEntry
	order    []reportKey // oldest first, for eviction
	computed int         // how many reports were computed (for tests and metrics)
}

type reportKey struct {
	cluster string
	version int64
	year    int
}

type reportEntry struct {
	done chan struct{}
	rep  *analysis.Report
	ds   *gm.Dataset
	err  error

	mu   sync.Mutex
	frac float64
	step string
}

func (e *reportEntry) progress(frac float64, step string) {
	e.mu.Lock()
	e.frac, e.step = frac, step
	e.mu.Unlock()
}

func newAnalyzer(st gm.Store, timeout time.Duration) *analyzer {
	return &analyzer{store: st, timeout: timeout, max: 64, entries: map[reportKey]*reportEntry{}}
}

// start begins computing the cluster's report in the background, unless
// it is cached or already being computed, and returns its entry.
func (a *analyzer) start(cl *gm.Cluster, year int) *reportEntry {
	k := reportKey{cl.ID, cl.Version, year}
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.entries[k]; ok {
		return e
	}
	e := &reportEntry{done: make(chan struct{})}
	a.entries[k] = e
	a.order = append(a.order, k)
	a.evictLocked()
	go func() {
		e.rep, e.ds, e.err = a.compute(cl, year, e.progress)
		a.mu.Lock()
		a.computed++
		if e.err != nil {
			delete(a.entries, k) // do not cache failures
		}
		a.mu.Unlock()
		close(e.done)
	}()
	return e
}

// status tells whether the report is ready, being computed (with progress)
// or not started.
func (a *analyzer) status(cl *gm.Cluster, year int) (state string, frac float64, step string) {
	a.mu.Lock()
	e, ok := a.entries[reportKey{cl.ID, cl.Version, year}]
	a.mu.Unlock()
	if !ok {
		return "none", 0, ""
	}
	select {
	case <-e.done:
		if e.err != nil {
			return "failed", 1, e.err.Error()
		}
		return "done", 1, "done"
	default:
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return "running", e.frac, e.step
}

// report returns the cluster's report for the year (0: latest) and the
// dataset it was computed from, waiting at most for ctx.
func (a *analyzer) report(ctx context.Context, cl *gm.Cluster, year int) (*analysis.Report, *gm.Dataset, error) {
	e := a.start(cl, year)
	select {
	case <-e.done:
		return e.rep, e.ds, e.err
	case <-ctx.Done():
		return nil, nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: "the analysis did not finish in time; try again", Err: ctx.Err()}
	}
}

func (a *analyzer) compute(cl *gm.Cluster, year int, progress func(float64, string)) (*analysis.Report, *gm.Dataset, error) {
	// The computation is shared by every waiting request, so it runs on its
	// own deadline rather than the first request's context.
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	ds, err := a.store.ClusterData(ctx, cl.ID)
	if err != nil {
		return nil, nil, err
	}
	emp, err := a.store.Employment(ctx)
	if err != nil {
		return nil, nil, err
	}
	rep, err := analysis.Analyze(ctx, ds, analysis.Options{Year: year, ClusterID: cl.ID, Employment: emp, Progress: progress})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: fmt.Sprintf("the analysis of cluster %s took longer than %s", cl.ID, a.timeout), Err: err}
		}
		return nil, nil, err
	}
	return rep, ds, nil
}

func (a *analyzer) evictLocked() {
	for len(a.order) > a.max {
		old := a.order[0]
		a.order = a.order[1:]
		if e, ok := a.entries[old]; ok {
			select {
			case <-e.done:
				delete(a.entries, old)
			default:
				a.order = append(a.order, old) // still computing; keep it
				return
			}
		}
	}
}

// Computed reports how many reports were computed (not served from cache).
func (a *analyzer) Computed() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.computed
}
