package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Issue 11 item 1: the kanade 0.29 CLI (kanade job list, schedule list) and
// scripts call the catalog and fleet lists without limit and get every row;
// with limit they page; X-Total-Count is always there. The paged-by-0.29
// lists keep their default of 50.
func TestListsWithoutLimitReturnEveryRowLike029(t *testing.T) {
	e := newEnv(t, 0)
	const n = 60
	ctx := context.Background()
	for i := range n {
		id := fmt.Sprintf("job-%02d", i)
		e.expect(e.postJSON("/api/jobs", fmt.Sprintf(`{"id":%q,"version":"1","execute":{"shell":"powershell","script":"echo 1","timeout":"1m"},"inventory":{"display":[{"field":"a","label":"A"}]}}`, id)), 200)
		e.expect(e.postJSON("/api/schedules", fmt.Sprintf(`{"id":"sch-%02d","cron":"0 0 3 * * *","job_id":%q,"target":{"all":true}}`, i, id)), 200)
		hb := fmt.Sprintf(`{"pc_id":"PC-%02d","at":%q,"agent_version":"0.29.0"}`, i, time.Now().UTC().Format(time.RFC3339Nano))
		if err := e.nc.Publish(wire.SubjectHeartbeat(fmt.Sprintf("PC-%02d", i)), []byte(hb)); err != nil {
			t.Fatal(err)
		}
	}
	obs, err := e.js.ObjectStore(ctx, wire.ObjectStoreAgentReleases)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := obs.PutBytes(ctx, fmt.Sprintf("0.%d.0", 100+i), []byte("MZ fake agent")); err != nil {
			t.Fatal(err)
		}
	}
	err = e.c.Store().Project(ctx, func(tx *store.Tx) error {
		for i := range n {
			f := store.InventoryFact{PCID: fmt.Sprintf("PC-%02d", i), JobID: "job-00", FactsJSON: `{"a":1}`, DisplayJSON: `[{"field":"a","label":"A"}]`, CollectedAt: time.Now()}
			if err := tx.UpsertInventory(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.waitFor("60 agents", func() bool { return e.get("/api/agents?limit=0").header.Get("X-Total-Count") == strconv.Itoa(n) })

	count := func(path string) int {
		r := e.get(path)
		e.expect(r, 200)
		var rows []json.RawMessage
		r.json(t, &rows)
		if r.header.Get("X-Total-Count") == "" {
			t.Errorf("GET %s: no X-Total-Count", path)
		}
		return len(rows)
	}
	for _, path := range []string{"/api/jobs", "/api/schedules", "/api/agents", "/api/agents/releases", "/api/inventory/jobs"} {
		if got := count(path); got != n {
			t.Errorf("GET %s without limit: %d rows, want %d", path, got, n)
		}
		if got := count(path + "?limit=7&offset=55"); got != 5 {
			t.Errorf("GET %s?limit=7&offset=55: %d rows, want 5", path, got)
		}
		if got := count(path + "?offset=50"); got != 10 {
			t.Errorf("GET %s?offset=50: %d rows, want 10", path, got)
		}
		if r := e.get(path); r.header.Get("X-Total-Count") != strconv.Itoa(n) {
			t.Errorf("GET %s: X-Total-Count %s", path, r.header.Get("X-Total-Count"))
		}
	}
	var inv struct {
		ManifestID string            `json:"manifest_id"`
		Display    json.RawMessage   `json:"display"`
		Rows       []json.RawMessage `json:"rows"`
	}
	r := e.get("/api/inventory/by-job/job-00")
	r.json(t, &inv)
	if len(inv.Rows) != n || inv.ManifestID != "job-00" || string(inv.Display) != `[{"field":"a","label":"A"}]` || r.header.Get("X-Total-Count") != strconv.Itoa(n) {
		t.Errorf("by-job without limit: %d rows, %s, display %s, total %s", len(inv.Rows), inv.ManifestID, inv.Display, r.header.Get("X-Total-Count"))
	}
	e.get("/api/inventory/by-job/job-00?limit=10").json(t, &inv)
	if len(inv.Rows) != 10 {
		t.Errorf("by-job?limit=10: %d rows", len(inv.Rows))
	}
	e.get("/api/inventory/by-job/nothing").json(t, &inv)
	if inv.Rows == nil || len(inv.Rows) != 0 || string(inv.Display) != "null" {
		t.Errorf("by-job of an unknown probe: %+v", inv)
	}

	// 0.29 paged these: 50 by default.
	for i := range n {
		e.expect(e.postJSON("/api/exec/"+fmt.Sprintf("job-%02d", i), `{"target":{"pcs":["PC-00"]}}`), 200)
	}
	e.waitFor("60 executions", func() bool { return e.get("/api/executions?limit=0").header.Get("X-Total-Count") == strconv.Itoa(n) })
	if got := count("/api/executions"); got != 50 {
		t.Errorf("GET /api/executions: %d rows, want 0.29's default 50", got)
	}
	if got := count("/api/audit"); got != 50 {
		t.Errorf("GET /api/audit: %d rows, want 0.29's default 50", got)
	}
}
