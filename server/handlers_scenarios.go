package server

import (
	"net/http"

	"github.com/coopchain/coopchain/analysis"
	"github.com/coopchain/coopchain/server/httpx"
	"github.com/labstack/echo/v4"
)

type scenarioInput struct {
	Name    string            `json:"name"`
	Changes []analysis.Change `json:"changes"`
}

func (s *Server) handleScenarios() echo.HandlerFunc {
	return func(c echo.Context) error {
		list, err := s.app.Scenarios(c.Request().Context(), who(c), c.Param("id"))
		if err != nil {
			return err
		}
		return pageOf(s, c, list)
	}
}

func (s *Server) handleEvaluateScenario() echo.HandlerFunc {
	return func(c echo.Context) error {
		var in scenarioInput
		if err := httpx.BindJSON(c, &in); err != nil {
			return err
		}
		ev, err := s.app.Evaluate(c.Request().Context(), who(c), c.Param("id"), in.Changes)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ev.Body(nil))
	}
}

func (s *Server) handleSaveScenario(replace bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in scenarioInput
		if err := httpx.BindJSON(c, &in); err != nil {
			return err
		}
		var ver int64
		id := ""
		status := http.StatusCreated
		if replace {
			var err error
			if ver, err = httpx.IfMatch(c); err != nil {
				return err
			}
			id, status = c.Param("sid"), http.StatusOK
		}
		out, ev, err := s.app.SaveScenario(c.Request().Context(), who(c), c.Param("id"), id, in.Name, in.Changes, ver)
		if err != nil {
			return err
		}
		setVersion(c, out.Version)
		return c.JSON(status, ev.Body(map[string]any{"scenario": out}))
	}
}

func (s *Server) handleScenario() echo.HandlerFunc {
	return func(c echo.Context) error {
		out, ev, err := s.app.Scenario(c.Request().Context(), who(c), c.Param("id"), c.Param("sid"))
		if err != nil {
			return err
		}
		setVersion(c, out.Version)
		return c.JSON(http.StatusOK, ev.Body(map[string]any{"scenario": out}))
	}
}

func (s *Server) handleDeleteScenario() echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.app.DeleteScenario(c.Request().Context(), who(c), c.Param("id"), c.Param("sid")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) handleScenarioDiagram(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := c.QueryParam("lang")
		if lang != "en" {
			lang = "ru"
		}
		st, ev, err := s.app.Scenario(c.Request().Context(), who(c), c.Param("id"), c.Param("sid"))
		if err != nil {
			return err
		}
		out, err := s.app.ScenarioDiagram(c.Request().Context(), st, ev, lang, format, true)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, diagramTypes[format], out)
	}
}
