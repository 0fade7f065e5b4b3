package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Issue 11 item 4: the oldest heartbeat form (no hostname, no os_family)
// is served with null there, as 0.29 serves its NULL columns, also for rows
// an earlier console stored as "".
func TestOldestHeartbeatServesNull(t *testing.T) {
	e := newEnv(t, 0)
	at := time.Now().UTC().Format(time.RFC3339Nano)
	if err := e.nc.Publish(wire.SubjectHeartbeat("OLD-1"), []byte(`{"pc_id":"OLD-1","at":"`+at+`","agent_version":"0.11.0"}`)); err != nil {
		t.Fatal(err)
	}
	e.waitFor("OLD-1 projected", func() bool { return e.get("/api/agents/OLD-1").status == 200 })
	e.expect(e.get("/api/agents/OLD-1"), 200, `"hostname":null`, `"os_family":null`, `"agent_version":"0.11.0"`)
	e.expect(e.get("/api/agents"), 200, `"hostname":null`, `"os_family":null`)

	// A later beat with the fields fills them; one without keeps them.
	e.nc.Publish(wire.SubjectHeartbeat("OLD-1"), []byte(`{"pc_id":"OLD-1","at":"`+at+`","agent_version":"0.12.0","hostname":"old-1","os_family":"windows"}`))
	e.waitFor("hostname filled", func() bool { return strings.Contains(e.get("/api/agents/OLD-1").body, `"hostname":"old-1"`) })
	e.nc.Publish(wire.SubjectHeartbeat("OLD-1"), []byte(`{"pc_id":"OLD-1","at":"`+at+`","agent_version":"0.12.1"}`))
	e.waitFor("0.12.1", func() bool { return strings.Contains(e.get("/api/agents/OLD-1").body, `"agent_version":"0.12.1"`) })
	e.expect(e.get("/api/agents/OLD-1"), 200, `"hostname":"old-1"`, `"os_family":"windows"`)

	// A row an earlier console wrote with "".
	if _, err := e.c.Store().Writer().ExecContext(context.Background(), `INSERT INTO agents (pc_id, hostname, os_family, agent_version, last_heartbeat) VALUES ('OLD-2', '', '', '0.11.0', ?)`, at); err != nil {
		t.Fatal(err)
	}
	e.expect(e.get("/api/agents/OLD-2"), 200, `"hostname":null`, `"os_family":null`)
}
