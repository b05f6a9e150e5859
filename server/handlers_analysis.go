package server

import "github.com/labstack/echo/v4"

// analysisRoutes registers the analysis routes.
func (s *Server) analysisRoutes(api *echo.Group) {}
