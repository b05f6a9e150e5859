package server

import (
	"net/http"
	"sort"
	"strings"

	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

// clusterEntry is a registry entry with what the documents say of it: the
// figures and status of a foreign or planned cluster of the reference data.
type clusterEntry struct {
	gm.Cluster
	Status    string             `json:"status,omitempty"`
	Figures   []gm.ClusterFigure `json:"figures,omitempty"`
	Reference bool               `json:"reference"` // from the source documents, not stored in the database
}

// eurasianListing reports whether a registry query asks for the Eurasian
// scope (?scope=eurasia|all, or ?kind=foreign|planned), which the reference
// data joins; an unknown scope is invalid.
func (s *Server) eurasianListing(f gm.ClusterFilter) (bool, error) {
	switch f.Scope {
	case "", gm.ScopeRegistry:
		return gm.IsEurasian(gm.ClusterKind(f.Kind)), nil
	case gm.ScopeEurasia, gm.ScopeAll:
		return true, nil
	}
	return false, gm.Invalid("invalid scope", []gm.Problem{{Column: "scope", Value: f.Scope,
		Message: "one of registry (the default: the Russian registry), eurasia (foreign and planned clusters) or all", MessageRU: "одно из registry (по умолчанию: реестр России), eurasia (зарубежные и планируемые кластеры) или all"}})
}

func (s *Server) referenceEntries() []clusterEntry {
	if s.ref == nil {
		return nil
	}
	figs := map[string][]gm.ClusterFigure{}
	for _, f := range s.ref.Figures {
		figs[f.ClusterID] = append(figs[f.ClusterID], f)
	}
	out := make([]clusterEntry, 0, len(s.ref.Clusters))
	for _, c := range s.ref.Clusters {
		out = append(out, clusterEntry{Cluster: c, Status: s.ref.ClusterNotes[c.ID], Figures: figs[c.ID], Reference: true})
	}
	// Foreign before planned, then by country and id.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind == gm.ClusterForeign
		}
		if out[i].Country != out[j].Country {
			return out[i].Country < out[j].Country
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// eurasiaEntry finds a reference entry by id.
func (s *Server) eurasiaEntry(id string) (clusterEntry, bool) {
	for _, e := range s.referenceEntries() {
		if e.ID == id {
			return e, true
		}
	}
	return clusterEntry{}, false
}

func containsFold(v, q string) bool {
	return q == "" || strings.Contains(strings.ToLower(v), strings.ToLower(q))
}

// listEurasia answers a registry query of the Eurasian scope: the stored
// clusters of the scope followed by the reference entries that match the
// filters, paged together. Nothing here counts towards the registry's
// total.
func (s *Server) listEurasia(c echo.Context, f gm.ClusterFilter) error {
	limit, offset := f.Limit, f.Offset
	f.Limit, f.Offset = 0, 0
	stored, _, err := s.store.ListClusters(c.Request().Context(), f)
	if err != nil {
		return err
	}
	var all []clusterEntry
	for _, e := range s.referenceEntries() {
		if !f.InScope(e.Kind) || f.Kind != "" && string(e.Kind) != f.Kind || !containsFold(e.Name, f.Query) || !containsFold(e.Specialization, f.Specialization) {
			continue
		}
		if f.Region != "" {
			ok := false
			for _, r := range e.Regions {
				ok = ok || containsFold(r, f.Region)
			}
			if !ok {
				continue
			}
		}
		all = append(all, e)
	}
	if f.Scope == gm.ScopeAll {
		var st []clusterEntry
		for _, x := range stored {
			st = append(st, clusterEntry{Cluster: x})
		}
		all = append(st, all...)
	} else {
		for _, x := range stored {
			all = append(all, clusterEntry{Cluster: x})
		}
	}
	total := len(all)
	offset = min(offset, total)
	items := all[offset:min(offset+limit, total)]
	if items == nil {
		items = []clusterEntry{}
	}
	return c.JSON(http.StatusOK, page[clusterEntry]{Items: items, Total: total, Limit: limit, Offset: offset})
}

// handlePublishedLQ lists the location quotients the documents publish
// (filters: country, region, industry).
func (s *Server) handlePublishedLQ() echo.HandlerFunc {
	return func(c echo.Context) error {
		var out []gm.PublishedLQ
		if s.ref != nil {
			for _, l := range s.ref.PublishedLQ {
				if (c.QueryParam("country") == "" || strings.EqualFold(l.Country, c.QueryParam("country"))) && containsFold(l.Region, c.QueryParam("region")) &&
					containsFold(l.Industry, c.QueryParam("industry")) {
					out = append(out, l)
				}
			}
		}
		return pageOf(s, c, out)
	}
}
