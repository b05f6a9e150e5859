package server

import (
	"net/http"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/coopchain/coopchain/server/i18n"
	"github.com/labstack/echo/v4"
)

// nationalRoutes are the national view's routes: the statutory indicators
// summed over the clusters (admin and analyst) and the niches that recur
// across clusters (signed in).
func (s *Server) nationalRoutes() []route {
	return []route{
		{http.MethodGet, v1 + "/indicators", app.National, "national", "Statutory indicators of a year summed per cluster, region or federal district and in total (year, by=cluster|region|district); aggregates of fewer than the threshold participants suppressed, with complementary suppression", s.handleNationalIndicators()},
		{http.MethodGet, v1 + "/indicators.xlsx", app.National, "national", "The national indicators as a workbook (year, by, lang)", s.handleNationalIndicatorsXLSX()},
		{http.MethodGet, v1 + "/national-niches", app.SignedIn, "national", "Products that are a niche in several clusters: clusters, regions, importers, summed demand (null when confidential), national analogues, measures", s.handleNationalNiches()},
	}
}

// handleNationalIndicators answers GET /api/v1/indicators: {"year", "by",
// "items": [{"key", "name", "clusters", "participants_reported",
// "suppressed", "totals", "withheld", "change"}], "total", "years",
// "threshold"}.
func (s *Server) handleNationalIndicators() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.nationalIndicators(c)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

// nationalIndicators answers the request's year and by.
func (s *Server) nationalIndicators(c echo.Context) (*app.NationalIndicatorsView, error) {
	y, err := httpx.Year(c)
	if err != nil {
		return nil, err
	}
	return s.app.NationalIndicators(c.Request().Context(), who(c), y, c.QueryParam("by"))
}

func (s *Server) handleNationalIndicatorsXLSX() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.nationalIndicators(c)
		if err != nil {
			return err
		}
		d, err := app.NationalWorkbook(v, httpx.Lang(c), i18n.T)
		if err != nil {
			return err
		}
		return download(c, d)
	}
}

// handleNationalNiches answers GET /api/v1/national-niches: {"items":
// [{"product_code", "product_name", "clusters", "regions", "importers",
// "demand_rub", "confidential", "analogues", "measures"}], "threshold"}.
func (s *Server) handleNationalNiches() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.NationalNiches(c.Request().Context(), who(c))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}
