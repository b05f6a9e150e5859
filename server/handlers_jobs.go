package server

import (
	"net/http"
	"strconv"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// jobView is a job as the API shows it.
type jobView struct {
	ID        string  `json:"id"`
	ClusterID string  `json:"cluster_id"`
	Version   int64   `json:"version"` // the data version analysed
	Year      int     `json:"year"`    // 0: the latest year in the data
	State     string  `json:"state"`   // running, cancelling, done, failed, cancelled
	Progress  float64 `json:"progress"`
	Step      string  `json:"step"`
	Error     string  `json:"error,omitempty"`
	Started   string  `json:"started_at"`
	Finished  string  `json:"finished_at,omitempty"`
	// Result is where the finished report is served.
	Result string `json:"result,omitempty"`
	// LatestVersion is the data version of the cluster's most recent
	// finished report (readable while a newer one is computed); 0: none.
	LatestVersion int64 `json:"latest_version"`
}

func (s *Server) jobView(e *reportEntry) jobView {
	state, frac, step := e.state()
	v := jobView{ID: e.id, ClusterID: e.key.cluster, Version: e.key.version, Year: e.key.year, State: state, Progress: frac, Step: step}
	e.mu.Lock()
	v.Started = e.started.UTC().Format(time.RFC3339Nano)
	if !e.finished.IsZero() {
		v.Finished = e.finished.UTC().Format(time.RFC3339Nano)
	}
	e.mu.Unlock()
	switch state {
	case "failed":
		v.Error, v.Step = step, "failed"
	case "done":
		v.Result = v1 + "/clusters/" + e.key.cluster + "/analysis"
		if e.key.year != 0 {
			v.Result += "?year=" + strconv.Itoa(e.key.year)
		}
	}
	_, v.LatestVersion = s.analyzer.latestReport(e.key.cluster)
	return v
}

// jobRequest is the optional JSON body of POST …/jobs.
type jobRequest struct {
	Year int `json:"year"`
}

// handleStartJob starts the analysis of the cluster's current data (or
// joins the one running, or returns the cached one): 202 with the job while
// it runs, 200 when the report is already there; Location names the job.
func (s *Server) handleStartJob() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req jobRequest
		if c.Request().ContentLength != 0 {
			if err := s.bindJSON(c, &req); err != nil {
				return err
			}
		}
		if y := c.QueryParam("year"); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil {
				req.Year = -1
			} else {
				req.Year = n
			}
		}
		if req.Year != 0 && (req.Year < 1900 || req.Year > 2100) {
			return gm.Invalid("invalid year", []gm.Problem{{Column: "year", Value: strconv.Itoa(req.Year), Message: "must be a year between 1900 and 2100", MessageRU: "должно быть годом от 1900 до 2100"}})
		}
		cl, err := s.store.GetCluster(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		e := s.analyzer.start(cl, req.Year)
		v := s.jobView(e)
		c.Response().Header().Set("Location", v1+"/clusters/"+cl.ID+"/jobs/"+e.id)
		if v.State == "done" {
			return c.JSON(http.StatusOK, v)
		}
		return c.JSON(http.StatusAccepted, v)
	}
}

// handleJob reports a job's state and progress.
func (s *Server) handleJob() echo.HandlerFunc {
	return func(c echo.Context) error {
		e, ok := s.analyzer.job(c.Param("id"), c.Param("jid"))
		if !ok {
			return gm.Errorf(gm.ENOTFOUND, "no job %q in cluster %q (jobs are kept while the server runs, the last %d)", c.Param("jid"), c.Param("id"), maxJobs)
		}
		return c.JSON(http.StatusOK, s.jobView(e))
	}
}

// handleCancelJob cancels a running job: 202 with the job (state
// cancelling, then cancelled); 409 when it has already finished.
func (s *Server) handleCancelJob() echo.HandlerFunc {
	return func(c echo.Context) error {
		e, ok := s.analyzer.job(c.Param("id"), c.Param("jid"))
		if !ok {
			return gm.Errorf(gm.ENOTFOUND, "no job %q in cluster %q", c.Param("jid"), c.Param("id"))
		}
		if err := s.analyzer.cancelJob(e); err != nil {
			return gm.Errorf(gm.ECONFLICT, "job %s: %v", e.id, err)
		}
		return c.JSON(http.StatusAccepted, s.jobView(e))
	}
}
