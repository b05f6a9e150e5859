package server

import (
	"github.com/coopchain/coopchain/app"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

var pathParam = regexp.MustCompile(`:([a-z]+)`)

// openAPIPath turns an echo path (/clusters/:id) into an OpenAPI one
// (/clusters/{id}).
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

// openAPI builds the OpenAPI 3 document from the route table.
func (s *Server) openAPI() map[string]any {
	paths := map[string]map[string]any{}
	errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	for _, r := range s.routeTable() {
		p := openAPIPath(r.path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(r.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if r.method == http.MethodGet && strings.Contains(r.summary, "paged") || strings.HasSuffix(r.path, "/clusters") {
			params = append(params,
				map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": s.cfg.MaxPageSize}},
				map[string]any{"name": "offset", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 0}})
		}
		op := map[string]any{
			"summary":     r.summary,
			"tags":        []string{r.tag},
			"operationId": strings.ToLower(r.method) + strings.NewReplacer("/", "_", ":", "", ".", "_", "-", "_").Replace(r.path),
			"responses": map[string]any{
				"200": map[string]any{"description": "OK"},
				"400": errResp, "401": errResp, "403": errResp, "404": errResp, "429": errResp, "500": errResp, "503": errResp,
			},
			"x-permission": r.perm.String(),
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.perm != app.Public {
			op["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}}
		}
		if r.method == http.MethodPost || r.method == http.MethodPut {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		}
		paths[p][strings.ToLower(r.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "coopchain API", "version": "1.0.0",
			"description": "Cooperation chains of industrial clusters: registry, data, analysis, niches, PP-779 compliance, diagrams, scenarios."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "API token from `coopchain token create`"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "web session; changes need the X-CSRF-Token header"},
			},
			"schemas": map[string]any{
				"Error": map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{
					"error": map[string]any{"type": "object", "required": []string{"code", "message", "details"}, "properties": map[string]any{
						"code":    map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "forbidden", "unauthorized", "too_large", "unavailable", "internal", "unsupported", "rate_limited", "unprocessable", "method_not_allowed"}},
						"message": map[string]any{"type": "string"},
						"details": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
							"file": map[string]any{"type": "string"}, "row": map[string]any{"type": "integer"}, "column": map[string]any{"type": "string"},
							"value": map[string]any{"type": "string"}, "record": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}, "message_ru": map[string]any{"type": "string"}}}},
					}},
				}},
			},
		},
	}
}

func (s *Server) handleOpenAPI() echo.HandlerFunc {
	doc := sync.OnceValue(s.openAPI)
	return func(c echo.Context) error { return c.JSON(http.StatusOK, doc()) }
}

// OpenAPIPaths lists "METHOD path" of the OpenAPI document, sorted (for tests).
func (s *Server) OpenAPIPaths() []string {
	var out []string
	for p, ops := range s.openAPI()["paths"].(map[string]map[string]any) {
		for m := range ops {
			out = append(out, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(out)
	return out
}
