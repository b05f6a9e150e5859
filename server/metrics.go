package server

import (
	"strconv"

	"github.com/coopchain/coopchain/app"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus metrics of one server (own registry, so tests
// can build several servers).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	panics   prometheus.Counter
}

func newMetrics(a *app.App) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "coopchain_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "coopchain_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"method", "route"})
	m.panics = prometheus.NewCounter(prometheus.CounterOpts{Name: "coopchain_http_panics_total", Help: "Requests whose handler panicked (answered 500)."})
	m.reg.MustRegister(m.requests, m.duration, m.panics, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "coopchain_analyses_computed_total", Help: "Analysis reports computed (cache misses)."},
			func() float64 { return float64(a.Computed()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "coopchain_diagrams_rendered_total", Help: "Diagrams laid out by Graphviz (cache misses)."},
			func() float64 { return float64(a.Rendered()) }))
	return m
}

// observe counts one finished request (called by Server.observe).
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

func (s *Server) handleMetrics() echo.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return echo.WrapHandler(h)
}
