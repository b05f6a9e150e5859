package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/app"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/labstack/echo/v4"
)

// paging reads limit and offset with the server's page sizes.
func (s *Server) paging(c echo.Context) (limit, offset int, err error) {
	return httpx.Paging(c, s.cfg.DefaultPageSize, s.cfg.MaxPageSize)
}

// pageOf answers one page of a whole list.
func pageOf[T any](s *Server, c echo.Context, all []T) error {
	limit, offset, err := s.paging(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, app.PageOf(all, limit, offset))
}

// list answers one page of a list a use case returns.
func list[T any](s *Server, c echo.Context, all []T, err error) error {
	if err != nil {
		return err
	}
	return pageOf(s, c, all)
}

func (s *Server) handleHealth() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.Health(c.Request().Context())
		if err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": "error"})
		}
		return c.JSON(http.StatusOK, map[string]any{"status": "ok", "database": "ok", "data_version": v, "uptime_seconds": int(time.Since(s.start).Seconds())})
	}
}

func (s *Server) handleClusters() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, offset, err := s.paging(c)
		if err != nil {
			return err
		}
		f := gm.ClusterFilter{Region: c.QueryParam("region"), Specialization: c.QueryParam("specialization"),
			Kind: c.QueryParam("kind"), Query: c.QueryParam("q"), Scope: c.QueryParam("scope"), Limit: limit, Offset: offset}
		return s.cachedJSON(c, func() (any, error) { return s.app.Clusters(c.Request().Context(), f) })
	}
}

func (s *Server) handleCluster() echo.HandlerFunc {
	return func(c echo.Context) error {
		e, err := s.app.ClusterEntry(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		if e.Reference {
			return c.JSON(http.StatusOK, e)
		}
		return c.JSON(http.StatusOK, e.Cluster)
	}
}

func (s *Server) handleRating() echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.cachedJSON(c, func() (any, error) {
			return s.app.RatingListing(c.Request().Context())
		})
	}
}

func (s *Server) handleProducts() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, offset, err := s.paging(c)
		if err != nil {
			return err
		}
		p, err := s.app.Products(c.Request().Context(), c.QueryParam("q"), limit, offset)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, p)
	}
}

// handlePublishedLQ lists the location quotients the documents publish
// (filters: country, region, industry).
func (s *Server) handlePublishedLQ() echo.HandlerFunc {
	return func(c echo.Context) error {
		return pageOf(s, c, s.app.PublishedLQ(c.QueryParam("country"), c.QueryParam("region"), c.QueryParam("industry")))
	}
}

// handleSupportMeasures lists the support measures of the Atlas (filters:
// region, kind, level).
func (s *Server) handleSupportMeasures() echo.HandlerFunc {
	return func(c echo.Context) error {
		f := app.MeasureFilter{Region: strings.TrimSpace(c.QueryParam("region")), Kind: c.QueryParam("kind"), Level: c.QueryParam("level")}
		ms, err := s.app.Measures(f)
		return list(s, c, ms, err)
	}
}

// handleEAEURules answers the EAEU mechanism's conditions as the Atlas gives them.
func (s *Server) handleEAEURules() echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := s.app.EAEURules()
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, r)
	}
}

// handleEAEUCheck checks a proposed cooperation project (JSON body, see
// analysis.EAEUProject) against the EAEU mechanism's conditions.
func (s *Server) handleEAEUCheck() echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.app.EAEURules(); err != nil {
			return err
		}
		var p analysis.EAEUProject
		if err := httpx.BindJSON(c, &p); err != nil {
			return err
		}
		res, err := s.app.CheckEAEU(p)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	}
}

func (s *Server) handleTemplate(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, err := s.app.Template(format)
		if err != nil {
			return err
		}
		return download(c, d)
	}
}

// download sends a file as an attachment.
func download(c echo.Context, d *app.Download) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+strings.ReplaceAll(d.FileName, `"`, "")+`"`)
	return c.Blob(http.StatusOK, d.ContentType, d.Data)
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
		var lqs []analysis.LQ
		var err error
		switch {
		case strings.HasPrefix(ct, echo.MIMEApplicationJSON):
			var req lqRequest
			if err := httpx.DecodeJSON(c.Request().Body, &req); err != nil {
				return err
			}
			lqs, err = s.app.LocationQuotients(req.Employment, nil, "")
		case strings.HasPrefix(ct, "text/csv"):
			lqs, err = s.app.LocationQuotients(nil, c.Request().Body, c.QueryParam("group"))
		default:
			return gm.Errorf(gm.EUNSUPPORTED, "send application/json or text/csv, not %q", ct)
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"items": lqs, "total": len(lqs)})
	}
}
