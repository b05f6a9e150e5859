package server

import "github.com/labstack/echo/v4"

// exchangeRoutes registers import, export and template routes.
func (s *Server) exchangeRoutes(api *echo.Group) {}
