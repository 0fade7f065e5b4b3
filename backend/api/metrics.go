package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/metrics"
)

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60}

func (s *Server) histogram(pattern string) *metrics.Histogram {
	s.histMu.Lock()
	defer s.histMu.Unlock()
	h := s.hists[pattern]
	if h == nil {
		h = s.metrics.Histogram("kanade_http_request_duration_seconds", "HTTP request latency by route.", metrics.Labels{"route": pattern}, metrics.NewHistogram(latencyBuckets...))
		s.hists[pattern] = h
	}
	return h
}

func (s *Server) registerMetrics() {
	s.metrics.Gauge("kanade_agents_online", "Agents with a heartbeat in the last 2 minutes.", nil, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return float64(s.console.Status(ctx).Agents.Active)
	})
}

// metricsHandler serves MetricsText.
func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.writeMetrics(r.Context(), w)
}

// MetricsText is what /metrics serves, in the Prometheus text format: HTTP
// metrics plus, read now, the projectors' counters and lag (the desktop
// app shows it without an HTTP listener).
func (s *Server) MetricsText(ctx context.Context) (string, error) {
	var b strings.Builder
	if err := s.writeMetrics(ctx, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (s *Server) writeMetrics(ctx context.Context, w io.Writer) error {
	reg := &metrics.Registry{}
	for _, p := range s.console.Projectors(ctx) {
		l := metrics.Labels{"projector": p.Name}
		reg.Counter("kanade_projector_messages_total", "Messages projected.", l).Add(p.Messages)
		reg.Counter("kanade_projector_batches_total", "Transactions committed.", l).Add(p.Batches)
		reg.Counter("kanade_projector_dead_letters_total", "Undecodable messages kept in dead_letters.", l).Add(p.DeadLetters)
		reg.Counter("kanade_projector_errors_total", "Failed batches (redelivered) and restarts.", l).Add(p.Errors)
		reg.Counter("kanade_projector_restarts_total", "Projector restarts.", l).Add(p.Restarts)
		rate := p.RatePerSec
		reg.Gauge("kanade_projector_rate_per_second", "Messages per second over the last 10 s.", l, func() float64 { return rate })
		if p.Lag != nil {
			lag := float64(*p.Lag)
			reg.Gauge("kanade_projector_lag_messages", "Messages not yet projected.", l, func() float64 { return lag })
		}
	}
	for table, n := range s.console.RetentionDeleted() {
		reg.Counter("kanade_retention_deleted_rows_total", "Rows deleted by the retention sweep since start.", metrics.Labels{"table": table}).Add(n)
	}
	reg.Counter("kanade_dead_letters_dropped_total", "Dead letters dropped by the per-source and total bounds since start.", nil).Add(s.console.Store().DeadLettersDropped())
	if err := s.metrics.WritePrometheus(w); err != nil {
		return err
	}
	return reg.WritePrometheus(w)
}
