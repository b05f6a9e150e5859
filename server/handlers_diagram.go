package server

import "github.com/labstack/echo/v4"

// diagramRoutes registers the diagram routes.
func (s *Server) diagramRoutes(api *echo.Group) {}
