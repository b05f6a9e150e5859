package server

// routes registers every route of the application.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.handleHealth())

	api := e.Group("/api/v1")
	api.GET("/clusters", s.handleClusters())
	api.GET("/clusters/:id", s.handleCluster())
	api.GET("/regions/rating", s.handleRating())

	s.exchangeRoutes(api)
	s.analysisRoutes(api)
	s.diagramRoutes(api)
}
