package server

import (
	"net/http"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// publishedNeeds returns a cluster's identified needs as a source document
// publishes them (the Atlas prints the Omsk SOPC's): public figures, one
// per printed figure; an empty list, never nil.
func (s *Server) publishedNeeds(clusterID string) []gm.PublishedNeed {
	out := []gm.PublishedNeed{}
	if s.ref == nil {
		return out
	}
	for _, n := range s.ref.PublishedNeeds {
		if n.ClusterID == clusterID {
			out = append(out, n)
		}
	}
	return out
}

// handlePublishedNeeds answers GET /api/v1/clusters/{id}/published-needs:
// {"cluster_id", "items": [{"cluster_id", "cluster_name", "value_rub",
// "quantity", "unit", "text", "source"}], "total"}. They are published, so
// the route is public; a cluster that publishes none has no items.
func (s *Server) handlePublishedNeeds() echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if _, err := s.store.GetCluster(c.Request().Context(), id); err != nil {
			if _, ok := s.eurasiaEntry(id); !ok || gm.ErrorCode(err) != gm.ENOTFOUND {
				return err
			}
		}
		items := s.publishedNeeds(id)
		return c.JSON(http.StatusOK, map[string]any{"cluster_id": id, "items": items, "total": len(items)})
	}
}
