package app

import (
	"context"
	"time"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
)

// Cluster returns a cluster's registry entry (public).
func (a *App) Cluster(ctx context.Context, id string) (*gm.Cluster, error) {
	return a.store.GetCluster(ctx, id)
}

// Analysed is a cluster's report with the data it was computed from.
type Analysed struct {
	Cluster *gm.Cluster
	Report  *analysis.Report
	Data    *gm.Dataset // every year; Report.Year says which one was analysed
}

// YearData is the data of the analysed year.
func (x *Analysed) YearData() *gm.Dataset { return x.Data.ForYear(x.Report.Year) }

// Analysis returns the cluster's report for the year (0: the latest year
// in the data), waiting at most for ctx and the analysis timeout. perm is
// what the caller must have on the cluster: Read for the report itself,
// SignedIn for views that the caller filters through the confidentiality
// rule (niches, proposals).
func (a *App) Analysis(ctx context.Context, me Principal, perm Perm, cl *gm.Cluster, year int) (*Analysed, error) {
	if err := perm.Check(me, cl.ID); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, a.cfg.AnalysisTimeout)
	defer cancel()
	rep, ds, err := a.analyzer.report(actx, cl, year)
	if err != nil {
		return nil, err
	}
	return &Analysed{Cluster: cl, Report: rep, Data: ds}, nil
}

// AnalysisWithin is Analysis for pages: it waits at most wait, then
// reports running = true (the page shows progress instead).
func (a *App) AnalysisWithin(ctx context.Context, me Principal, perm Perm, cl *gm.Cluster, year int, wait time.Duration) (x *Analysed, running bool, err error) {
	if err := perm.Check(me, cl.ID); err != nil {
		return nil, false, err
	}
	e := a.analyzer.start(cl, year)
	select {
	case <-e.done:
	case <-time.After(wait):
		return nil, true, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	if e.err != nil {
		return nil, false, e.err
	}
	return &Analysed{Cluster: cl, Report: e.rep, Data: e.ds}, false, nil
}

// Job is an analysis job as callers see it.
type Job struct {
	ID        string
	ClusterID string
	Version   int64 // the data version analysed
	Year      int   // 0: the latest year in the data
	State     string
	Progress  float64
	Step      string
	Error     string
	Started   time.Time
	Finished  time.Time // zero while running
	// LatestVersion is the data version of the cluster's most recent
	// finished report (readable while a newer one is computed); 0: none.
	LatestVersion int64
}

func (a *App) jobOf(e *reportEntry) Job {
	state, frac, step := e.state()
	j := Job{ID: e.id, ClusterID: e.key.cluster, Version: e.key.version, Year: e.key.year, State: state, Progress: frac, Step: step}
	e.mu.Lock()
	j.Started, j.Finished = e.started, e.finished
	e.mu.Unlock()
	if state == "failed" {
		j.Error, j.Step = step, "failed"
	}
	_, j.LatestVersion = a.analyzer.latestReport(e.key.cluster)
	return j
}

// StartAnalysis starts (or joins, or finds cached) the analysis of the
// cluster's current data as a background job.
func (a *App) StartAnalysis(me Principal, cl *gm.Cluster, year int) (Job, error) {
	if err := Read.Check(me, cl.ID); err != nil {
		return Job{}, err
	}
	return a.jobOf(a.analyzer.start(cl, year)), nil
}

// Job returns a job of the cluster.
func (a *App) Job(me Principal, cluster, id string) (Job, error) {
	if err := Read.Check(me, cluster); err != nil {
		return Job{}, err
	}
	e, ok := a.analyzer.job(cluster, id)
	if !ok {
		return Job{}, gm.Errorf(gm.ENOTFOUND, "no job %q in cluster %q (jobs are kept while the server runs, the last %d)", id, cluster, maxJobs)
	}
	return a.jobOf(e), nil
}

// CancelJob stops a running job; ECONFLICT when it has already finished.
func (a *App) CancelJob(me Principal, cluster, id string) (Job, error) {
	if err := Write.Check(me, cluster); err != nil {
		return Job{}, err
	}
	e, ok := a.analyzer.job(cluster, id)
	if !ok {
		return Job{}, gm.Errorf(gm.ENOTFOUND, "no job %q in cluster %q", id, cluster)
	}
	if err := a.analyzer.cancelJob(e); err != nil {
		return Job{}, gm.Errorf(gm.ECONFLICT, "job %s: %v", e.id, err)
	}
	return a.jobOf(e), nil
}

// AnalysisStatus tells whether the cluster's current report is ready,
// being computed (with progress) or not started.
func (a *App) AnalysisStatus(me Principal, cl *gm.Cluster) (state string, frac float64, step string, err error) {
	if err := Read.Check(me, cl.ID); err != nil {
		return "", 0, "", err
	}
	state, frac, step = a.analyzer.status(cl, 0)
	return state, frac, step, nil
}

// Typology classifies the cluster after Enright from its report.
func (a *App) Typology(ctx context.Context, x *Analysed) (analysis.Typology, error) {
	emp, err := a.store.Employment(ctx)
	if err != nil {
		return analysis.Typology{}, err
	}
	in := analysis.TypologyInputOf(x.Report, x.Cluster, a.ref.MeasureUses).WithSpecialisation(x.Data, x.Cluster, emp)
	return analysis.ClassifyCluster(in), nil
}

// TypologyThresholds are the thresholds of the typology (coopchain's own
// settings), for the API.
var TypologyThresholds = map[string]float64{"mass_participants": analysis.MassParticipants, "mass_enterprises": analysis.MassEnterprises,
	"some_participants": analysis.SomeParticipants, "specialisation_lq": analysis.SpecialisationLQ, "strong_share": analysis.StrongShare, "strong_density": analysis.StrongDensity}

// Chain is the upstream and downstream chain of a participant or a product.
func (a *App) Chain(x *Analysed, participant, product string) (any, error) {
	d := x.YearData()
	switch {
	case participant != "" && product != "":
		return nil, gm.Errorf(gm.EINVALID, "give either participant or product, not both")
	case participant != "":
		return analysis.ChainOfParticipant(d, participant)
	case product != "":
		return analysis.ChainOfProduct(d, product)
	}
	return nil, gm.Errorf(gm.EINVALID, "give ?participant=ID or ?product=CODE")
}

// Matches are the cooperation matches for the analysed year's imports.
func (a *App) Matches(x *Analysed) []analysis.Match { return analysis.Matches(x.YearData()) }
