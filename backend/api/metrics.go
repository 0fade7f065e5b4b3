package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60}

// newMetrics is one Server's registry: request latency by route, the
// console's state read at scrape time (consoleCollector), and the Go
// runtime and process collectors.
func (s *Server) newMetrics() {
	s.metrics = prometheus.NewRegistry()
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "kanade_http_request_duration_seconds",
		Help:    "HTTP request latency by route.",
		Buckets: latencyBuckets,
	}, []string{"route"})
	s.metrics.MustRegister(
		s.latency,
		consoleCollector{s},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
}

// metricsHandler serves MetricsText.
func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", string(metricsFormat))
	s.writeMetrics(w)
}

// MetricsText is what /metrics serves, in the Prometheus text format: HTTP
// metrics, the console's counters and lag read now, and the Go runtime and
// process metrics (the desktop app shows it without an HTTP listener).
func (s *Server) MetricsText() (string, error) {
	var b strings.Builder
	if err := s.writeMetrics(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

var metricsFormat = expfmt.NewFormat(expfmt.TypeTextPlain)

func (s *Server) writeMetrics(w io.Writer) error {
	families, err := s.metrics.Gather()
	if err != nil {
		s.log.Warn("metrics", "err", err) // a collector's error: render what was gathered
	}
	enc := expfmt.NewEncoder(w, metricsFormat)
	for _, mf := range families {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

// consoleCollector reads the console's state at each scrape: agents online,
// the projectors' counters and lag, retention and dead-letter counts. It is
// unchecked (Describe sends nothing): the series depend on what is running.
type consoleCollector struct{ s *Server }

var (
	descAgentsOnline       = prometheus.NewDesc("kanade_agents_online", "Agents with a heartbeat in the last 2 minutes.", nil, nil)
	descProjMessages       = prometheus.NewDesc("kanade_projector_messages_total", "Messages projected.", []string{"projector"}, nil)
	descProjBatches        = prometheus.NewDesc("kanade_projector_batches_total", "Transactions committed.", []string{"projector"}, nil)
	descProjDeadLetters    = prometheus.NewDesc("kanade_projector_dead_letters_total", "Undecodable messages kept in dead_letters.", []string{"projector"}, nil)
	descProjErrors         = prometheus.NewDesc("kanade_projector_errors_total", "Failed batches (redelivered) and restarts.", []string{"projector"}, nil)
	descProjRestarts       = prometheus.NewDesc("kanade_projector_restarts_total", "Projector restarts.", []string{"projector"}, nil)
	descProjRate           = prometheus.NewDesc("kanade_projector_rate_per_second", "Messages per second over the last 10 s.", []string{"projector"}, nil)
	descProjLag            = prometheus.NewDesc("kanade_projector_lag_messages", "Messages not yet projected.", []string{"projector"}, nil)
	descRetentionDeleted   = prometheus.NewDesc("kanade_retention_deleted_rows_total", "Rows deleted by the retention sweep since start.", []string{"table"}, nil)
	descDeadLettersDropped = prometheus.NewDesc("kanade_dead_letters_dropped_total", "Dead letters dropped by the per-source and total bounds since start.", nil, nil)
	descInflightReaped     = prometheus.NewDesc("kanade_inflight_reaped_total", "In-flight runs the reaper ended (no result within the threshold) since start.", nil, nil)
)

func (consoleCollector) Describe(chan<- *prometheus.Desc) {}

func (cc consoleCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c := cc.s.console
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	gauge(descAgentsOnline, float64(c.Status(ctx).Agents.Active))
	for _, p := range c.Projectors(ctx) {
		counter(descProjMessages, p.Messages, p.Name)
		counter(descProjBatches, p.Batches, p.Name)
		counter(descProjDeadLetters, p.DeadLetters, p.Name)
		counter(descProjErrors, p.Errors, p.Name)
		counter(descProjRestarts, p.Restarts, p.Name)
		gauge(descProjRate, p.RatePerSec, p.Name)
		if p.Lag != nil {
			gauge(descProjLag, float64(*p.Lag), p.Name)
		}
	}
	for table, n := range c.RetentionDeleted() {
		counter(descRetentionDeleted, n, table)
	}
	counter(descDeadLettersDropped, c.Store().DeadLettersDropped())
	counter(descInflightReaped, c.Reaped())
}
