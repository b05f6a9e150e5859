package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handlePublishedNeeds answers GET /api/v1/clusters/{id}/published-needs:
// {"cluster_id", "items": [{"cluster_id", "cluster_name", "value_rub",
// "quantity", "unit", "text", "source"}], "total"}. They are published, so
// the route is public; a cluster that publishes none has no items.
func (s *Server) handlePublishedNeeds() echo.HandlerFunc {
	return func(c echo.Context) error {
		items, err := s.app.PublishedNeeds(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"cluster_id": c.Param("id"), "items": items, "total": len(items)})
	}
}
