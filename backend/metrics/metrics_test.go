package metrics

import (
	"strings"
	"testing"
)

func TestWritePrometheus(t *testing.T) {
	var r Registry
	c := r.Counter("kanade_projector_messages_total", "Messages projected.", Labels{"projector": "results"})
	c.Add(3)
	if r.Counter("kanade_projector_messages_total", "Messages projected.", Labels{"projector": "results"}) != c {
		t.Fatal("same name and labels gave a second counter")
	}
	r.Counter("kanade_projector_messages_total", "Messages projected.", Labels{"projector": "audit"}).Inc()
	r.Gauge("kanade_agents_online", "Agents with a heartbeat in the last 2 minutes.", nil, func() float64 { return 42 })
	h := r.Histogram("kanade_http_request_seconds", "HTTP latency.", Labels{"route": `GET /api/x"y`}, NewHistogram(0.01, 0.1))
	h.Observe(0.005)
	h.Observe(0.05)
	h.Observe(3)
	var b strings.Builder
	if err := r.WritePrometheus(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP kanade_agents_online Agents with a heartbeat in the last 2 minutes.
# TYPE kanade_agents_online gauge
kanade_agents_online 42
# HELP kanade_http_request_seconds HTTP latency.
# TYPE kanade_http_request_seconds histogram
kanade_http_request_seconds_bucket{le="0.01",route="GET /api/x\"y"} 1
kanade_http_request_seconds_bucket{le="0.1",route="GET /api/x\"y"} 2
kanade_http_request_seconds_bucket{le="+Inf",route="GET /api/x\"y"} 3
kanade_http_request_seconds_sum{route="GET /api/x\"y"} 3.055
kanade_http_request_seconds_count{route="GET /api/x\"y"} 3
# HELP kanade_projector_messages_total Messages projected.
# TYPE kanade_projector_messages_total counter
kanade_projector_messages_total{projector="results"} 3
kanade_projector_messages_total{projector="audit"} 1
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}
