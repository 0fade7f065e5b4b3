package console

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// Issue 16 (gap): a staleness policy with a key this console does not know
// (a newer kanade's) is listed with it, survives a re-save of the listed
// job, and reaches agents in the command, as stored.
func TestStalenessUnknownKeySurvivesResave(t *testing.T) {
	ns := natsServer(t)
	c := startConsole(t, ns.ClientURL(), t.TempDir())
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	const policy = `"staleness":{"mode":"strict","max_cache_age":"5m","grace":"1h"}`
	stored := strings.Replace(manifestJSON, `"staleness":{"mode":"cached"}`, policy, 1)
	if stored == manifestJSON {
		t.Fatal("test did not modify the manifest")
	}
	kvPut(t, js, wire.BucketJobs, "inventory-hw", stored)

	var jobs []execution.Job
	testutil.WaitFor(t, patience, testutil.Cond("job listed", func() bool {
		jobs, _ = c.ListJobs(context.Background())
		return len(jobs) == 1
	}))
	listed, err := json.Marshal(jobs[0])
	if err != nil || !strings.Contains(string(listed), policy) {
		t.Fatalf("listed job %s, %v; want %s", listed, err, policy)
	}
	// The listed item sent back, as the SPA's editor does.
	var m wire.Manifest
	if err := json.Unmarshal(listed, &m); err != nil {
		t.Fatal(err)
	}
	m.Version = "1.2.1"
	if _, err := c.UpsertJob(context.Background(), m, execution.Operator); err != nil {
		t.Fatal(err)
	}
	if v := kvValue(t, js, wire.BucketJobs, "inventory-hw"); !strings.Contains(v, policy) || !strings.Contains(v, `"version":"1.2.1"`) {
		t.Fatalf("re-saved job %s; want %s", v, policy)
	}
	testutil.WaitFor(t, patience, testutil.Cond("re-save projected", func() bool {
		j, ok := c.jobs.Job("inventory-hw")
		return ok && j.Version == "1.2.1"
	}))
	if _, err := c.Exec(context.Background(), "inventory-hw", wire.FanoutPlan{Target: wire.Target{All: true}}, execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("command", func() bool { return rec.count() == 1 }))
	if raw := rec.all()[0].raw; !strings.Contains(raw, policy) {
		t.Fatalf("command %s; want %s", raw, policy)
	}
}
