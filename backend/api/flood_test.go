package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/store"
)

// warnCounter counts WARN records (and drops everything).
type warnCounter struct{ n atomic.Int64 }

func (w *warnCounter) Enabled(context.Context, slog.Level) bool { return true }
func (w *warnCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level == slog.LevelWarn {
		w.n.Add(1)
	}
	return nil
}
func (w *warnCounter) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *warnCounter) WithGroup(string) slog.Handler      { return w }

// Issue 16 item 7: 20,000 undecodable heartbeats gave 20,000 WARN lines and
// 20,000 dead-letter rows. Now the log is rate-limited, the rows are
// bounded per source, and what was dropped is counted in /api/status and
// /metrics.
func TestBadHeartbeatFloodIsBounded(t *testing.T) {
	warns := &warnCounter{}
	log := slog.New(warns)
	c := startReadyConsole(t, "127.0.0.1:0", log, 60*time.Second)
	e := &env{t: t, c: c, srv: httptest.NewServer(New(c, builtSPA, quiet))}
	t.Cleanup(func() {
		e.srv.Close()
		c.Stop(context.Background())
	})
	nc, err := nats.Connect(c.Broker().ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	before := warns.n.Load()
	const flood = 20_000
	for i := range flood {
		if err := nc.Publish(fmt.Sprintf("heartbeat.PC%d", i), []byte(`{"pc_id":`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	var rows int
	var dropped uint64
	e.waitFor("every bad heartbeat stored or counted", func() bool {
		c.Store().Reader().QueryRow("SELECT count(*) FROM dead_letters").Scan(&rows)
		dropped = c.Store().DeadLettersDropped()
		return uint64(rows)+dropped >= flood
	})
	if rows > store.DeadLettersPerSource {
		t.Errorf("%d dead-letter rows from one source, want at most %d", rows, store.DeadLettersPerSource)
	}
	if got := warns.n.Load() - before; got > 50 {
		t.Errorf("%d WARN lines for %d bad heartbeats, want a handful", got, flood)
	}
	e.expect(e.get("/api/status"), 200, fmt.Sprintf(`"dead_letters_dropped":%d`, dropped))
	if m := e.get("/metrics").body; !strings.Contains(m, fmt.Sprintf("kanade_dead_letters_dropped_total %d", dropped)) {
		t.Errorf("/metrics has no kanade_dead_letters_dropped_total %d", dropped)
	}
	// A good heartbeat still gets through.
	nc.Publish("heartbeat.GOOD", []byte(`{"pc_id":"GOOD","at":"`+time.Now().UTC().Format(time.RFC3339Nano)+`","agent_version":"0.29.0"}`))
	e.waitFor("good heartbeat", func() bool { return e.get("/api/agents/GOOD").status == 200 })
}
