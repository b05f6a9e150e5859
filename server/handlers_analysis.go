package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/tabular"
	"github.com/labstack/echo/v4"
)

func viewAll(r *analysis.Report, _ *gm.Dataset, _ echo.Context) (any, error) { return r, nil }

func viewMetrics(r *analysis.Report, _ *gm.Dataset, _ echo.Context) (any, error) {
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "summary": r.Summary, "participants": r.Participants, "cycles": r.Cycles,
		"stages": r.Stages, "single_source_inputs": r.SingleSourceInputs, "cooperation": r.Cooperation}, nil
}

func viewGaps(r *analysis.Report, _ *gm.Dataset, _ echo.Context) (any, error) {
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "items": r.ImportGaps, "total": len(r.ImportGaps)}, nil
}

func viewCompliance(r *analysis.Report, _ *gm.Dataset, _ echo.Context) (any, error) {
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "compliance": r.Compliance, "cooperation": r.Cooperation}, nil
}

func viewMatches(r *analysis.Report, ds *gm.Dataset, _ echo.Context) (any, error) {
	m := analysis.Matches(ds.ForYear(r.Year))
	return map[string]any{"cluster_id": r.ClusterID, "year": r.Year, "items": m, "total": len(m)}, nil
}

func viewChain(r *analysis.Report, ds *gm.Dataset, c echo.Context) (any, error) {
	p, prod := c.QueryParam("participant"), c.QueryParam("product")
	d := ds.ForYear(r.Year)
	switch {
	case p != "" && prod != "":
		return nil, gm.Errorf(gm.EINVALID, "give either participant or product, not both")
	case p != "":
		return analysis.ChainOfParticipant(d, p)
	case prod != "":
		return analysis.ChainOfProduct(d, prod)
	}
	return nil, gm.Errorf(gm.EINVALID, "give ?participant=ID or ?product=CODE")
}

// handleReport serves a view of the cluster's cached report with an ETag
// derived from the data version, answering 304 to a matching If-None-Match.
func (s *Server) handleReport(view func(*analysis.Report, *gm.Dataset, echo.Context) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		year := 0
		if y := c.QueryParam("year"); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil || n < 1900 || n > 2100 {
				return gm.Invalid("invalid year", []gm.Problem{{Column: "year", Value: y, Message: "must be a year between 1900 and 2100", MessageRU: "должно быть годом от 1900 до 2100"}})
			}
			year = n
		}
		ctx := c.Request().Context()
		cl, err := s.store.GetCluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		// The body depends on who asks (members see full niches, others the
		// aggregated form), so the ETag names the audience and caches are
		// told to keep the audiences apart.
		aud := audience(c)
		etag := fmt.Sprintf(`"%s-%d-%d-%s-%s"`, cl.ID, cl.Version, year, strings.TrimPrefix(c.Path(), "/api/v1/clusters/:id/"), aud)
		if c.QueryString() != "" {
			etag = fmt.Sprintf(`"%s-%d-%x-%s"`, cl.ID, cl.Version, hashString(c.Path()+"?"+c.QueryString()), aud)
		}
		c.Response().Header().Set("ETag", etag)
		c.Response().Header().Set("Cache-Control", "private, no-cache")
		if match := c.Request().Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
			return c.NoContent(http.StatusNotModified)
		}
		actx, cancel := context.WithTimeout(ctx, s.cfg.AnalysisTimeout)
		defer cancel()
		rep, ds, err := s.analyzer.report(actx, cl, year)
		if err != nil {
			return err
		}
		body, err := view(rep, ds, c)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, body)
	}
}

// audience names the form of a cluster's report the caller gets: "member"
// (the cluster's own data) or "public" (aggregated, threshold applied).
func audience(c echo.Context) string {
	if who(c).member(c.Param("id")) {
		return "member"
	}
	return "public"
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func hashString(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// lqRequest is the JSON body of POST /api/v1/lq.
type lqRequest struct {
	Employment []gm.Employment `json:"employment"`
}

// handleLQ computes location quotients from a JSON body
// {"employment": [{"region","industry","group","employees","year"}]} or a
// CSV body (text/csv; ?group=COLUMN names the group column).
func (s *Server) handleLQ() echo.HandlerFunc {
	return func(c echo.Context) error {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		var rows []gm.Employment
		switch {
		case strings.HasPrefix(ct, echo.MIMEApplicationJSON):
			var req lqRequest
			if err := decodeJSON(c.Request().Body, &req); err != nil {
				return err
			}
			rows = req.Employment
			ds := &gm.Dataset{Employment: rows}
			for i := range ds.Employment {
				ds.Employment[i].Pos = gm.Pos{File: "employment", Row: i + 1}
			}
			if p := ds.Validate(gm.ValidationOptions{}); len(p) > 0 {
				return gm.Invalid("invalid employment rows", p)
			}
		case strings.HasPrefix(ct, "text/csv"):
			cols := tabular.DefaultEmploymentColumns
			cols.Group = c.QueryParam("group")
			var err error
			rows, err = tabular.ReadEmployment(c.Request().Body, "employment.csv", cols, tabular.Limits{MaxFileBytes: 32 << 20})
			if err != nil {
				return err
			}
		default:
			return gm.Errorf(gm.EUNSUPPORTED, "send application/json or text/csv, not %q", ct)
		}
		if len(rows) == 0 {
			return gm.Errorf(gm.EINVALID, "no employment rows")
		}
		lqs := analysis.LocationQuotients(rows)
		return c.JSON(http.StatusOK, map[string]any{"items": lqs, "total": len(lqs)})
	}
}

// decodeJSON decodes one JSON value, rejecting unknown fields and trailing data.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return gm.Errorf(gm.ETOOLARGE, "request body too large")
		}
		return gm.Errorf(gm.EINVALID, "invalid JSON body: %v", err)
	}
	if dec.More() {
		return gm.Errorf(gm.EINVALID, "invalid JSON body: more than one value")
	}
	return nil
}
