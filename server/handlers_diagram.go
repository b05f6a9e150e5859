package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopchain/coopchain/diagram"
	gm "github.com/coopchain/coopchain/graphmodel"
	"github.com/labstack/echo/v4"
)

var diagramTypes = map[string]string{
	diagram.SVG: "image/svg+xml",
	diagram.PNG: "image/png",
	diagram.DOT: "text/vnd.graphviz; charset=utf-8",
}

// diagramParams reads and checks the query of a diagram request.
func diagramParams(c echo.Context) (view string, o diagram.ViewOptions, year int, err error) {
	q := c.QueryParams()
	for k := range q {
		switch k {
		case "view", "participant", "product", "hops", "lang", "year":
		default:
			return "", o, 0, gm.Invalid("unknown parameter "+k, []gm.Problem{{Column: k, Message: "unknown parameter; use view, participant, product, hops, lang, year", MessageRU: "неизвестный параметр"}})
		}
	}
	view = c.QueryParam("view")
	if view == "" {
		view = diagram.ViewCluster
	}
	known := false
	for _, v := range diagram.Views {
		known = known || v == view
	}
	if !known || view == diagram.ViewScenario {
		return "", o, 0, gm.Invalid("invalid view", []gm.Problem{{Column: "view", Value: view, Message: "use cluster, participant, product or niches", MessageRU: "допустимы cluster, participant, product, niches"}})
	}
	o = diagram.ViewOptions{ClusterID: c.Param("id"), Lang: c.QueryParam("lang"), Participant: c.QueryParam("participant"), Product: c.QueryParam("product"), Hops: 2}
	if o.Lang == "" {
		o.Lang = "ru"
	}
	if o.Lang != "ru" && o.Lang != "en" {
		return "", o, 0, gm.Invalid("invalid lang", []gm.Problem{{Column: "lang", Value: o.Lang, Message: "use ru or en", MessageRU: "допустимы ru или en"}})
	}
	if h := c.QueryParam("hops"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 1 || n > 6 {
			return "", o, 0, gm.Invalid("invalid hops", []gm.Problem{{Column: "hops", Value: h, Message: "must be 1 to 6", MessageRU: "должно быть от 1 до 6"}})
		}
		o.Hops = n
	}
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 2100 {
			return "", o, 0, gm.Invalid("invalid year", []gm.Problem{{Column: "year", Value: y, Message: "must be a year between 1900 and 2100", MessageRU: "должно быть годом от 1900 до 2100"}})
		}
		year = n
	}
	return view, o, year, nil
}

func (s *Server) handleDiagram(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.renderer == nil {
			return &gm.Error{Code: gm.EUNAVAILABLE, Message: "diagrams are not available: the Graphviz renderer did not start"}
		}
		view, o, year, err := diagramParams(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		cl, err := s.store.GetCluster(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%s|v%d|%s|%s|%s|%s|%d|%d", cl.ID, cl.Version, view, o.Lang, o.Participant, o.Product, o.Hops, year)
		etag := fmt.Sprintf(`"d-%x"`, hashString(format+key))
		c.Response().Header().Set("ETag", etag)
		c.Response().Header().Set("Cache-Control", "private, no-cache")
		if m := c.Request().Header.Get("If-None-Match"); m != "" && etagMatches(m, etag) {
			return c.NoContent(http.StatusNotModified)
		}
		rep, ds, err := s.analyzer.report(ctx, cl, year)
		if err != nil {
			return err
		}
		m, err := diagram.Build(view, rep, ds.ForYear(rep.Year), o)
		if err != nil {
			return err
		}
		out, err := s.renderer.Render(ctx, key, m, format)
		if err != nil {
			return err
		}
		if format == diagram.DOT && c.QueryParam("download") != "" {
			c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+strings.ReplaceAll(cl.ID, `"`, "")+`.dot"`)
		}
		return c.Blob(http.StatusOK, diagramTypes[format], out)
	}
}
