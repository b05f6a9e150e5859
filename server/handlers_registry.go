package server

import (
	"net/http"
	"strconv"
	"time"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// page is the envelope of every list response.
type page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// paging reads limit and offset, rejecting bad values and capping the limit.
func (s *Server) paging(c echo.Context) (limit, offset int, err error) {
	limit, offset = s.cfg.DefaultPageSize, 0

	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, gm.Invalid("invalid limit", []gm.Problem{{Column: "limit", Value: v, Message: "must be a whole number of at least 1", MessageRU: "должно быть целым числом не меньше 1"}})
		}
		limit = min(n, s.cfg.MaxPageSize)
	}
	if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, gm.Invalid("invalid offset", []gm.Problem{{Column: "offset", Value: v, Message: "must be a whole number of at least 0", MessageRU: "должно быть целым неотрицательным числом"}})
		}
		offset = n
	}
	return limit, offset, nil
}

func (s *Server) handleHealth() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		v, err := s.store.DataVersion(ctx)
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
		if eurasian, err := s.eurasianListing(f); err != nil || eurasian {
			if err != nil {
				return err
			}
			return s.listEurasia(c, f) // handlers_eurasia.go
		}
		cs, total, err := s.store.ListClusters(c.Request().Context(), f)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page[gm.Cluster]{Items: cs, Total: total, Limit: limit, Offset: offset})
	}
}

func (s *Server) handleCluster() echo.HandlerFunc {
	return func(c echo.Context) error {
		cl, err := s.store.GetCluster(c.Request().Context(), c.Param("id"))
		if gm.ErrorCode(err) == gm.ENOTFOUND {
			if e, ok := s.eurasiaEntry(c.Param("id")); ok { // a reference entry (foreign, planned)
				return c.JSON(http.StatusOK, e)
			}
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, cl)
	}
}

func (s *Server) handleRating() echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := s.store.RegionRating(c.Request().Context())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page[gm.RegionRating]{Items: r, Total: len(r), Limit: len(r)})
	}
}
