package app

import (
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/analysis/kernel"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// analyzer computes cluster reports and caches them by (cluster, data
// version, year): a report is recomputed only after the cluster's data
// changed. Concurrent requests for the same key share one computation.
//
// Every computation is a job with an id, progress and a cancel function
// (the jobs API). The latest finished report of each cluster is published
// in a kernel.Current, so that readers of "the latest result" never wait
// for a recomputation after the data changed.
type analyzer struct {
	store   reportSource
	data    *dataCache
	timeout time.Duration
	max     int

	mu       sync.Mutex
	entries  map[reportKey]*reportEntry
	order    *list.List // of reportKey, most recently used first, for eviction
	jobs     map[string]*reportEntry
	jobOrder []string // oldest first; at most maxJobs are remembered
	computed int      // how many reports were computed (for tests and metrics)

	latest sync.Map // cluster id → *kernel.Current[finishedReport]
}

const maxJobs = 256

// reportSource is what the analyzer reads.
type reportSource interface {
	ClusterData(ctx context.Context, clusterID string) (*gm.Dataset, error)
	Employment(ctx context.Context) ([]gm.Employment, error)
	ListClusters(ctx context.Context, f gm.ClusterFilter) ([]gm.Cluster, int, error)
}

type reportKey struct {
	cluster string
	version int64
	year    int
}

// finishedReport is a cluster's report with the data it was computed from.
type finishedReport struct {
	year int
	rep  *analysis.Report
	ds   *gm.Dataset
	at   time.Time
}

type reportEntry struct {
	id     string
	key    reportKey
	elem   *list.Element // its place in analyzer.order
	done   chan struct{}
	rep    *analysis.Report
	ds     *gm.Dataset
	err    error
	cancel context.CancelFunc

	mu        sync.Mutex
	frac      float64
	step      string
	cancelled bool
	started   time.Time
	finished  time.Time
}

func (e *reportEntry) progress(frac float64, step string) {
	e.mu.Lock()
	e.frac, e.step = frac, step
	e.mu.Unlock()
}

// newAnalyzer keeps up to max reports, least recently used evicted first
// (max must exceed the number of clusters that cross-cluster views walk,
// or every such view recomputes them all).
func newAnalyzer(st reportSource, timeout time.Duration, max int) *analyzer {
	if max <= 0 {
		max = 1024
	}
	return &analyzer{store: st, data: newDataCache(st, max), timeout: timeout, max: max, entries: map[reportKey]*reportEntry{}, order: list.New(), jobs: map[string]*reportEntry{}}
}

func newJobID() string {
	var b [6]byte
	rand.Read(b[:])
	return "j" + hex.EncodeToString(b[:])
}

// start begins computing the cluster's report in the background, unless
// it is cached or already being computed, and returns its entry.
func (a *analyzer) start(cl *gm.Cluster, year int) *reportEntry {
	k := reportKey{cl.ID, cl.Version, year}
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.entries[k]; ok {
		a.order.MoveToFront(e.elem)
		return e
	}
	// The computation is shared by every waiting request, so it runs on its
	// own deadline rather than the first request's context.
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	e := &reportEntry{id: newJobID(), key: k, done: make(chan struct{}), cancel: cancel, started: time.Now()}
	a.entries[k] = e
	e.elem = a.order.PushFront(k)
	a.jobs[e.id] = e
	a.jobOrder = append(a.jobOrder, e.id)
	a.evictLocked()
	go func() {
		defer cancel()
		rep, ds, err := a.compute(ctx, cl, year, e.progress)
		e.mu.Lock()
		if e.cancelled {
			rep, ds, err = nil, nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: fmt.Sprintf("the analysis of cluster %s was cancelled", cl.ID), Err: context.Canceled}
		}
		e.finished = time.Now()
		e.mu.Unlock()
		e.rep, e.ds, e.err = rep, ds, err
		a.mu.Lock()
		a.computed++
		if e.err != nil && a.entries[k] == e {
			a.forgetLocked(e) // do not cache failures
		}
		a.mu.Unlock()
		if err == nil {
			a.current(cl.ID).Publish(&finishedReport{year: year, rep: rep, ds: ds, at: e.finished}, cl.Version)
		}
		close(e.done)
	}()
	return e
}

// current returns the cluster's holder of its latest finished report.
func (a *analyzer) current(cluster string) *kernel.Current[finishedReport] {
	c, _ := a.latest.LoadOrStore(cluster, &kernel.Current[finishedReport]{})
	return c.(*kernel.Current[finishedReport])
}

// latestReport returns the cluster's most recently finished report (of any
// data version) and that version, without waiting: nil before the first.
func (a *analyzer) latestReport(cluster string) (*finishedReport, int64) {
	c, ok := a.latest.Load(cluster)
	if !ok {
		return nil, 0
	}
	return c.(*kernel.Current[finishedReport]).Load()
}

// jobState is a job's state, progress (0..1) and step.
func (e *reportEntry) state() (state string, frac float64, step string) {
	select {
	case <-e.done:
		e.mu.Lock()
		cancelled := e.cancelled
		e.mu.Unlock()
		switch {
		case cancelled:
			return "cancelled", 1, "cancelled"
		case e.err != nil:
			return "failed", 1, e.err.Error()
		}
		return "done", 1, "done"
	default:
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancelled {
		return "cancelling", e.frac, e.step
	}
	return "running", e.frac, e.step
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
	return e.state()
}

// job returns the job with the id if it belongs to the cluster.
func (a *analyzer) job(cluster, id string) (*reportEntry, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.jobs[id]
	if !ok || e.key.cluster != cluster {
		return nil, false
	}
	return e, true
}

// errJobFinished is returned when cancelling a job that already ended.
var errJobFinished = errors.New("the job has already finished")

// cancelJob stops a running job: its computation ends at the next check
// of its context, waiting requests get an "unavailable" error and the
// failure is not cached (the next request starts afresh).
func (a *analyzer) cancelJob(e *reportEntry) error {
	select {
	case <-e.done:
		return errJobFinished
	default:
	}
	e.mu.Lock()
	e.cancelled = true
	e.mu.Unlock()
	a.mu.Lock()
	if a.entries[e.key] == e {
		a.forgetLocked(e) // new requests start a new computation
	}
	a.mu.Unlock()
	e.cancel()
	return nil
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

func (a *analyzer) compute(ctx context.Context, cl *gm.Cluster, year int, progress func(float64, string)) (*analysis.Report, *gm.Dataset, error) {
	progress(0, "load")
	ds, err := a.data.get(ctx, cl)
	if err != nil {
		return nil, nil, err
	}
	emp, err := a.store.Employment(ctx)
	if err != nil {
		return nil, nil, err
	}
	national, err := a.nationalProducers(ctx, cl.ID)
	if err != nil {
		return nil, nil, err
	}
	rep, err := analysis.Analyze(ctx, ds, analysis.Options{Year: year, ClusterID: cl.ID, Employment: emp, National: national, Progress: progress})
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, nil, &gm.Error{Code: gm.EUNAVAILABLE, Message: fmt.Sprintf("the analysis of cluster %s took longer than %s", cl.ID, a.timeout), Err: err}
		}
		return nil, nil, err
	}
	return rep, ds, nil
}

// nationalProducers lists the producers of every other cluster with data,
// for marking niches whose product another cluster makes (national
// analogues). They are read when the report is computed: a change in
// another cluster shows at this cluster's next computation.
func (a *analyzer) nationalProducers(ctx context.Context, own string) ([]analysis.NationalProducer, error) {
	cls, _, err := a.store.ListClusters(ctx, gm.ClusterFilter{Scope: gm.ScopeAll})
	if err != nil {
		return nil, err
	}
	var out []analysis.NationalProducer
	for _, c := range cls {
		if c.ID == own {
			continue
		}
		ds, err := a.data.get(ctx, &c) // read once per data version
		if err != nil {
			return nil, err
		}
		out = append(out, analysis.NationalProducers(c.ID, c.Name, ds)...)
	}
	return out, nil
}

// forgetLocked drops a cached report.
func (a *analyzer) forgetLocked(e *reportEntry) {
	delete(a.entries, e.key)
	a.order.Remove(e.elem)
}

// evictLocked drops the least recently used finished reports beyond max
// (running ones stay) and the oldest finished jobs beyond maxJobs.
func (a *analyzer) evictLocked() {
	for el := a.order.Back(); el != nil && a.order.Len() > a.max; {
		prev := el.Prev()
		e := a.entries[el.Value.(reportKey)]
		select {
		case <-e.done:
			a.forgetLocked(e)
		default: // still computing; keep it
		}
		el = prev
	}
	for len(a.jobOrder) > maxJobs {
		id := a.jobOrder[0]
		e := a.jobs[id]
		select {
		case <-e.done:
		default:
			return // the oldest job still runs; keep it
		}
		a.jobOrder = a.jobOrder[1:]
		delete(a.jobs, id)
	}
}

// Computed reports how many reports were computed (not served from cache).
func (a *analyzer) Computed() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.computed
}
