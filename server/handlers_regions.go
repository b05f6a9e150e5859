package server

import (
	"net/http"
	"net/url"

	"github.com/coopchain/coopchain/app"
	"github.com/coopchain/coopchain/diagram"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/labstack/echo/v4"
)

// regionRoutes are the rating estimate, a region's page and what-if, the
// region comparison and cooperation between clusters.
func (s *Server) regionRoutes() []route {
	return []route{
		{http.MethodGet, v1 + "/regions/estimate", app.Public, "registry", "coopchain's estimate of the I National rating computed the Atlas's way from the data it has (label «оценка coopchain»), which indicators it cannot compute, and the difference from the published rating", s.handleRatingEstimate()},
		{http.MethodGet, v1 + "/regions/compare", app.Public, "registry", "Up to 10 regions side by side (r=…&r=…): clusters, participants, specialisations, location quotients, the rating estimate, published niches (signed in)", s.handleCompareRegions()},
		{http.MethodGet, v1 + "/regions/:name", app.Public, "registry", "A region: its clusters, its estimated blocks against the leaders, the published row", s.handleRegion()},
		{http.MethodGet, v1 + "/regions/:name/what-if", app.Public, "registry", "The region's estimated score and rank after a change: clusters, measures, participants, projects (+N each)", s.handleRegionWhatIf()},
		{http.MethodGet, v1 + "/cooperation", app.SignedIn, "registry", "Cooperation between clusters with data: clusters, summed links and matches; company-level flows for members of both clusters", s.handleCooperation()},
		{http.MethodGet, v1 + "/cooperation/diagram.svg", app.SignedIn, "diagrams", "Cooperation between clusters as one national diagram (lang)", s.handleCooperationDiagram()},
	}
}

// regionParam is the path's region name, unescaped.
func regionParam(c echo.Context) string {
	n := c.Param("name")
	if u, err := url.PathUnescape(n); err == nil {
		return u
	}
	return n
}

func (s *Server) handleRatingEstimate() echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.cachedJSON(c, func() (any, error) { return s.app.RatingEstimate(c.Request().Context()) })
	}
}

func (s *Server) handleRegion() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.Region(c.Request().Context(), regionParam(c))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleRegionWhatIf() echo.HandlerFunc {
	return func(c echo.Context) error {
		levers, err := app.ParseWhatIf(c.QueryParam)
		if err != nil {
			return err
		}
		v, err := s.app.RegionWhatIf(c.Request().Context(), regionParam(c), levers)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleCompareRegions() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.CompareRegions(c.Request().Context(), who(c), c.QueryParams()["r"])
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleCooperation() echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := s.app.Cooperation(c.Request().Context(), who(c))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

func (s *Server) handleCooperationDiagram() echo.HandlerFunc {
	return func(c echo.Context) error {
		out, err := s.app.CooperationDiagram(c.Request().Context(), who(c), httpx.Lang(c), diagram.SVG)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, diagramTypes[diagram.SVG], out)
	}
}
