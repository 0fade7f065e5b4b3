// Package metrics is a small Prometheus text-format registry: counters,
// gauges read through callbacks, and histograms. It avoids a client library
// because the console exports a few dozen series and nothing else.
package metrics

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Labels are rendered in key order.
type Labels map[string]string

func (l Labels) render() string {
	if len(l) == 0 {
		return ""
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(l[k])
		parts[i] = fmt.Sprintf(`%s="%s"`, k, v)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// Counter only goes up.
type Counter struct{ v atomic.Uint64 }

// Add adds n.
func (c *Counter) Add(n uint64) { c.v.Add(n) }

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Value reads the counter.
func (c *Counter) Value() uint64 { return c.v.Load() }

// Histogram counts observations into cumulative buckets.
type Histogram struct {
	mu      sync.Mutex
	bounds  []float64
	counts  []uint64
	sum     float64
	samples uint64
}

// NewHistogram uses the given upper bounds (ascending).
func NewHistogram(bounds ...float64) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]uint64, len(bounds))}
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
		}
	}
	h.sum += v
	h.samples++
}

type series struct {
	name, help, kind string
	labels           Labels
	counter          *Counter
	gauge            func() float64
	hist             *Histogram
}

// Registry holds every series of the process.
type Registry struct {
	mu     sync.Mutex
	series []*series
}

// Counter registers (or returns the existing) counter name+labels.
func (r *Registry) Counter(name, help string, labels Labels) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := labels.render()
	for _, s := range r.series {
		if s.name == name && s.labels.render() == key && s.counter != nil {
			return s.counter
		}
	}
	c := &Counter{}
	r.series = append(r.series, &series{name: name, help: help, kind: "counter", labels: labels, counter: c})
	return c
}

// Gauge registers a value read at scrape time.
func (r *Registry) Gauge(name, help string, labels Labels, read func() float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.series = append(r.series, &series{name: name, help: help, kind: "gauge", labels: labels, gauge: read})
}

// Histogram registers a histogram.
func (r *Registry) Histogram(name, help string, labels Labels, h *Histogram) *Histogram {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.series = append(r.series, &series{name: name, help: help, kind: "histogram", labels: labels, hist: h})
	return h
}

// WritePrometheus renders every series in the text exposition format.
func (r *Registry) WritePrometheus(w io.Writer) error {
	r.mu.Lock()
	all := append([]*series(nil), r.series...)
	r.mu.Unlock()
	sort.SliceStable(all, func(i, j int) bool { return all[i].name < all[j].name })
	var b strings.Builder
	last := ""
	for _, s := range all {
		if s.name != last {
			fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", s.name, s.help, s.name, s.kind)
			last = s.name
		}
		switch {
		case s.counter != nil:
			fmt.Fprintf(&b, "%s%s %d\n", s.name, s.labels.render(), s.counter.Value())
		case s.gauge != nil:
			fmt.Fprintf(&b, "%s%s %s\n", s.name, s.labels.render(), formatFloat(s.gauge()))
		case s.hist != nil:
			s.hist.mu.Lock()
			for i, bound := range s.hist.bounds {
				fmt.Fprintf(&b, "%s_bucket%s %d\n", s.name, withLE(s.labels, formatFloat(bound)), s.hist.counts[i])
			}
			fmt.Fprintf(&b, "%s_bucket%s %d\n", s.name, withLE(s.labels, "+Inf"), s.hist.samples)
			fmt.Fprintf(&b, "%s_sum%s %s\n", s.name, s.labels.render(), formatFloat(s.hist.sum))
			fmt.Fprintf(&b, "%s_count%s %d\n", s.name, s.labels.render(), s.hist.samples)
			s.hist.mu.Unlock()
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func withLE(l Labels, le string) string {
	m := Labels{"le": le}
	for k, v := range l {
		m[k] = v
	}
	return m.render()
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return fmt.Sprintf("%g", v)
}
