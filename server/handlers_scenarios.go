package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

type scenarioInput struct {
	Name    string            `json:"name"`
	Changes []analysis.Change `json:"changes"`
}

type scenarioOut struct {
	ID        string            `json:"id"`
	ClusterID string            `json:"cluster_id"`
	Name      string            `json:"name"`
	Version   int64             `json:"version"`
	CreatedAt string            `json:"created_at"`
	UpdatedAt string            `json:"updated_at"`
	Changes   []analysis.Change `json:"changes"`
}

func toScenarioOut(s *gm.StoredScenario) (scenarioOut, error) {
	out := scenarioOut{ID: s.ID, ClusterID: s.ClusterID, Name: s.Name, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if err := json.Unmarshal(s.Changes, &out.Changes); err != nil {
		return out, gm.Internal(err, "read scenario")
	}
	return out, nil
}

// evaluated is a scenario applied to the cluster's data and analysed.
type evaluated struct {
	base, scen     *analysis.Report
	baseDS, scenDS *gm.Dataset
	cluster        *gm.Cluster
}

// evaluate applies changes to the cluster's current data (nothing is
// stored) and analyses the result.
func (s *Server) evaluate(ctx context.Context, clusterID string, changes []analysis.Change) (*evaluated, error) {
	cl, err := s.store.GetCluster(ctx, clusterID)
	if err != nil {
		return nil, err
	}
	base, ds, err := s.analyzer.report(ctx, cl, 0)
	if err != nil {
		return nil, err
	}
	sc := &analysis.Scenario{Changes: changes}
	sds, err := sc.Apply(ds)
	if err != nil {
		return nil, err
	}
	emp, err := s.store.Employment(ctx)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, s.cfg.AnalysisTimeout)
	defer cancel()
	rep, err := analysis.Analyze(actx, sds, analysis.Options{Year: base.Year, ClusterID: cl.ID, Employment: emp})
	if err != nil {
		return nil, err
	}
	return &evaluated{base: base, scen: rep, baseDS: ds.ForYear(base.Year), scenDS: sds.ForYear(base.Year), cluster: cl}, nil
}

func (e *evaluated) body(extra map[string]any) map[string]any {
	out := map[string]any{"comparison": analysis.Compare(e.base, e.scen), "niches": e.scen.Niches, "import_gaps": e.scen.ImportGaps,
		"compliance": e.scen.Compliance, "summary": e.scen.Summary}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func (s *Server) handleScenarios() echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.store.GetCluster(c.Request().Context(), c.Param("id")); err != nil {
			return err
		}
		list, err := s.store.Scenarios(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		out := []scenarioOut{}
		for i := range list {
			o, err := toScenarioOut(&list[i])
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		return pageOf(s, c, out)
	}
}

func (s *Server) handleEvaluateScenario() echo.HandlerFunc {
	return func(c echo.Context) error {
		var in scenarioInput
		if err := s.bindJSON(c, &in); err != nil {
			return err
		}
		ev, err := s.evaluate(c.Request().Context(), c.Param("id"), in.Changes)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ev.body(nil))
	}
}

func (s *Server) handleSaveScenario(replace bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in scenarioInput
		if err := s.bindJSON(c, &in); err != nil {
			return err
		}
		if strings.TrimSpace(in.Name) == "" {
			return gm.Invalid("the scenario needs a name", []gm.Problem{{Column: "name", Message: "required", MessageRU: "укажите название"}})
		}
		ctx := c.Request().Context()
		cid := c.Param("id")
		// A scenario that cannot be applied is refused when saved.
		ev, err := s.evaluate(ctx, cid, in.Changes)
		if err != nil {
			return err
		}
		changes, _ := json.Marshal(in.Changes)
		st := &gm.StoredScenario{ClusterID: cid, Name: strings.TrimSpace(in.Name), Changes: changes}
		status := http.StatusCreated
		if replace {
			ver, err := ifMatch(c)
			if err != nil {
				return err
			}
			cur, err := s.store.Scenario(ctx, cid, c.Param("sid"))
			if err != nil {
				return err
			}
			if ver == 0 {
				ver = cur.Version
			}
			st.ID, st.Version, status = cur.ID, ver, http.StatusOK
		} else {
			st.ID = "s-" + strings.ToLower(randomString(6))
		}
		if err := s.store.SaveScenario(ctx, st); err != nil {
			return err
		}
		out, err := toScenarioOut(st)
		if err != nil {
			return err
		}
		setVersion(c, st.Version)
		return c.JSON(status, ev.body(map[string]any{"scenario": out}))
	}
}

func (s *Server) loadScenario(c echo.Context) (*gm.StoredScenario, *evaluated, error) {
	ctx := c.Request().Context()
	st, err := s.store.Scenario(ctx, c.Param("id"), c.Param("sid"))
	if err != nil {
		return nil, nil, err
	}
	var changes []analysis.Change
	if err := json.Unmarshal(st.Changes, &changes); err != nil {
		return nil, nil, gm.Internal(err, "read scenario")
	}
	ev, err := s.evaluate(ctx, c.Param("id"), changes)
	if err != nil {
		// The data changed since the scenario was saved and it no longer applies.
		return st, nil, err
	}
	return st, ev, nil
}

func (s *Server) handleScenario() echo.HandlerFunc {
	return func(c echo.Context) error {
		st, ev, err := s.loadScenario(c)
		if err != nil {
			return err
		}
		out, err := toScenarioOut(st)
		if err != nil {
			return err
		}
		setVersion(c, st.Version)
		return c.JSON(http.StatusOK, ev.body(map[string]any{"scenario": out}))
	}
}

func (s *Server) handleDeleteScenario() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.store.DeleteScenario(c.Request().Context(), c.Param("id"), c.Param("sid")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) handleScenarioDiagram(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.renderer == nil {
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "diagrams are not available: the Graphviz renderer did not start"}
		}
		lang := c.QueryParam("lang")
		if lang != "en" {
			lang = "ru"
		}
		st, ev, err := s.loadScenario(c)
		if err != nil {
			return err
		}
		m, err := diagram.ScenarioView(ev.base, ev.scen, ev.baseDS, ev.scenDS, diagram.ViewOptions{ClusterID: ev.cluster.ID, Lang: lang})
		if err != nil {
			return err
		}
		m.Title += ": " + st.Name
		key := fmt.Sprintf("%s|v%d|scenario|%s|v%d|%s", ev.cluster.ID, ev.cluster.Version, st.ID, st.Version, lang)
		out, err := s.renderer.Render(c.Request().Context(), key, m, format)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, diagramTypes[format], out)
	}
}
