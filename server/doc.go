// Package server serves coopchain over HTTP with echo: the JSON API under
// /api/v1, diagrams, health and metrics endpoints, and the web UI.
package server
