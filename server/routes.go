package server

// routes registers every route of the application. Keep this the one list.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.handleHealth())

	api := e.Group("/api/v1")
	api.GET("/clusters", s.handleClusters())
	api.GET("/clusters/:id", s.handleCluster())
	api.GET("/regions/rating", s.handleRating())
}
