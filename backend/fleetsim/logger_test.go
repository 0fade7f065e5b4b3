package fleetsim

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// The demo fleet's lines carried "component=demo-fleet component=fleetsim":
// the fleet added its own component to the caller's logger.
func TestLogLinesCarryTheCallersComponentOnce(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil)).With("component", "demo-fleet")
	f, err := New(Config{Agents: 2, OfflineFraction: 1, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(context.Background(), "nats://127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	f.Stop()
	out := buf.String()
	if out == "" {
		t.Fatal("no log line")
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if n := strings.Count(line, "component="); n != 1 || !strings.Contains(line, "component=demo-fleet") {
			t.Errorf("line has component= %d times: %s", n, line)
		}
	}
}
