package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// runWaves runs the wave queue until the test ends, leading while lead is
// true, and waits until its watch has loaded the bucket.
func (e *env) runWaves(lead *atomic.Bool) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.svc.RunWaves(ctx, lead.Load)
	}()
	e.t.Cleanup(func() {
		cancel()
		<-done
	})
	select {
	case <-e.svc.waves.loaded:
	case <-time.After(patience):
		e.t.Fatal("the wave queue never loaded its bucket")
	}
}

// step waits until the wave poll waits on the fake clock, then moves it.
func (e *env) step(d time.Duration) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := e.clock.BlockUntilContext(ctx, 1); err != nil {
		e.t.Fatal("the wave poll never waited on the clock")
	}
	e.clock.Advance(d)
}

func (e *env) waitPending(n int) []PendingWave {
	e.t.Helper()
	testutil.WaitFor(e.t, patience, func() error {
		if w := e.svc.PendingWaves(); len(w) != n {
			return fmt.Errorf("%d pending waves, want %d: %+v", len(w), n, w)
		}
		return nil
	})
	return e.svc.PendingWaves()
}

// Later waves wait in the bucket, due at the exec's time plus their delay
// on the service's clock, and fire once when due, only while this console
// leads; a fired wave leaves the bucket.
func TestDelayedWavesFireWhenDueOnlyWhileLeading(t *testing.T) {
	e := newEnv(t)
	var lead atomic.Bool
	e.runWaves(&lead)
	m := e.putJob(manifestJSON)
	start := e.clock.Now()
	resp, err := e.svc.Exec(context.Background(), m.ID, plan(t, `{"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"10s"},{"group":"wave2","delay":"20s"}]}}`), Operator)
	if err != nil {
		t.Fatal(err)
	}
	if msgs := e.agent.wait(t, 1); msgs[0].subject != "commands.group.canary" {
		t.Fatalf("wave 0 went to %s", msgs[0].subject)
	}
	pending := e.waitPending(2)
	if pending[0].Index != 1 || !pending[0].DueAt.Equal(start.Add(10*time.Second)) || pending[1].Index != 2 || !pending[1].DueAt.Equal(start.Add(20*time.Second)) {
		t.Fatalf("pending %+v", pending)
	}
	// Due, but this console does not lead: nothing fires.
	e.step(15 * time.Second)
	e.step(time.Second)
	if n := len(e.agent.all()); n != 1 {
		t.Fatalf("%d messages while not leading", n)
	}
	lead.Store(true)
	e.step(time.Second)
	msgs := e.agent.wait(t, 2)
	if msgs[1].subject != "commands.group.wave1" || *msgs[1].cmd.ExecID != resp.ExecID || msgs[1].cmd.RequestID == msgs[0].cmd.RequestID {
		t.Fatalf("wave 1 = %+v", msgs[1])
	}
	e.waitPending(1)
	e.step(4 * time.Second) // 21 s: wave 2 due
	e.agent.wait(t, 3)
	e.waitPending(0)
	kv, err := e.js.KeyValue(context.Background(), BucketWaves)
	if err != nil {
		t.Fatal(err)
	}
	if keys, _ := kv.Keys(context.Background()); len(keys) != 0 {
		t.Fatalf("fired waves left in the bucket: %v", keys)
	}
	e.step(time.Minute)
	e.step(time.Second)
	if n := len(e.agent.all()); n != 3 {
		t.Fatalf("%d messages: a wave fired twice", n)
	}
}

// A wave value nobody can read is dropped from the bucket, not retried.
func TestUnreadableWaveIsDropped(t *testing.T) {
	e := newEnv(t)
	var lead atomic.Bool
	lead.Store(true)
	e.runWaves(&lead)
	e.kvPut(BucketWaves, "x.1", "not json")
	kv, _ := e.js.KeyValue(context.Background(), BucketWaves)
	testutil.WaitFor(t, patience, func() error {
		if _, err := kv.Get(context.Background(), "x.1"); err == nil {
			return errors.New("the unreadable wave is still in the bucket")
		}
		return nil
	})
	if w := e.svc.PendingWaves(); len(w) != 0 {
		t.Fatalf("pending %+v", w)
	}
}

// insertExecution adds an executions row as another console's exec would.
func (e *env) insertExecution(execID, jobID string) {
	e.t.Helper()
	err := e.st.Project(context.Background(), func(tx *store.Tx) error {
		return tx.UpsertExecution(context.Background(), store.Execution{ExecID: execID, JobID: jobID, Version: "1", InitiatedBy: "operator", InitiatedAt: e.clock.Now(), TargetCount: 1})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// Kill publishes an empty kill.<exec_id> (agents listen on the exec id) and
// cancels that exec's pending waves; killing a job reaches each of its
// pending or running execs.
func TestKillExecAndKillJob(t *testing.T) {
	e := newEnv(t)
	var lead atomic.Bool
	e.runWaves(&lead)
	m := e.putJob(manifestJSON)
	waves := plan(t, `{"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"1h"}]}}`)
	first, err := e.svc.Exec(context.Background(), m.ID, waves, Operator)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.Exec(context.Background(), m.ID, waves, Operator)
	if err != nil {
		t.Fatal(err)
	}
	e.agent.wait(t, 2)
	e.waitPending(2)

	if err := e.svc.KillExec(context.Background(), first.ExecID, Operator); err != nil {
		t.Fatal(err)
	}
	msgs := e.agent.wait(t, 3)
	if k := msgs[2]; k.subject != "kill."+first.ExecID || !k.empty {
		t.Fatalf("kill = %+v", k)
	}
	if w := e.waitPending(1); w[0].ExecID != second.ExecID {
		t.Fatalf("the other exec's wave went: %+v", w)
	}
	if err := e.svc.KillExec(context.Background(), "bad.id", Operator); KindOf(err) != KindInvalid {
		t.Fatalf("kill of a bad exec id: %v", err)
	}

	e.insertExecution("other-console-exec", m.ID)
	ids, err := e.svc.KillJob(context.Background(), m.ID, Operator)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{first.ExecID, second.ExecID, "other-console-exec"}
	if !sameSet(ids, want) {
		t.Fatalf("KillJob reached %v, want %v", ids, want)
	}
	var kills []string
	for _, s := range e.agent.wait(t, 6)[3:] {
		kills = append(kills, strings.TrimPrefix(s.subject, "kill."))
	}
	if !sameSet(kills, want) {
		t.Fatalf("kill subjects %v", kills)
	}
	e.waitPending(0)
	if got := e.auditActions(); !slices.Equal(got, []string{"job_upsert", "exec", "exec", "exec_kill", "job_kill"}) {
		t.Fatalf("audit %v", got)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Revoke writes REVOKED and drops the job's pending waves (not other
// jobs'); unrevoke writes ACTIVE.
func TestRevokeCancelsTheJobsWaves(t *testing.T) {
	e := newEnv(t)
	var lead atomic.Bool
	e.runWaves(&lead)
	m := e.putJob(manifestJSON)
	other := e.putJob(strings.Replace(manifestJSON, `"inventory-hw"`, `"other"`, 1))
	waves := plan(t, `{"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"1h"}]}}`)
	for _, id := range []string{m.ID, other.ID} {
		if _, err := e.svc.Exec(context.Background(), id, waves, Operator); err != nil {
			t.Fatal(err)
		}
	}
	e.waitPending(2)
	if err := e.svc.SetScriptStatus(context.Background(), m.ID, true, Operator); err != nil {
		t.Fatal(err)
	}
	if w := e.waitPending(1); w[0].JobID != other.ID {
		t.Fatalf("pending after revoke %+v", w)
	}
	status, err := e.svc.ScriptStatus(context.Background())
	if err != nil || status[m.ID] != wire.ScriptStatusRevoked {
		t.Fatalf("status %v, %v", status, err)
	}
	if err := e.svc.SetScriptStatus(context.Background(), m.ID, false, Operator); err != nil {
		t.Fatal(err)
	}
	if status, _ := e.svc.ScriptStatus(context.Background()); status[m.ID] != wire.ScriptStatusActive {
		t.Fatalf("status after unrevoke %v", status)
	}
}

// The job catalog: validation with kinds, keys a newer kanade stored kept on
// re-save, unreadable values listed (never dropped), delete refused while a
// schedule references the job and otherwise revoked first.
func TestJobCatalog(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bad := []struct {
		name, raw string
		kind      Kind
		want      string
	}{
		{"empty version", strings.Replace(manifestJSON, `"version":"1.2.0"`, `"version":""`, 1), KindInvalid, "version"},
		{"id with a space", strings.Replace(manifestJSON, `"inventory-hw"`, `"inventory hw"`, 1), KindInvalid, "KV key"},
		{"id with a leading dot", strings.Replace(manifestJSON, `"inventory-hw"`, `".hw"`, 1), KindInvalid, "KV key"},
		{"unknown key", strings.TrimSuffix(manifestJSON, "}") + `,"owner":"me"}`, KindUnprocessable, "owner"},
	}
	for _, tc := range bad {
		var m wire.Manifest
		if err := json.Unmarshal([]byte(tc.raw), &m); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if _, err := e.svc.UpsertJob(ctx, m, Operator); KindOf(err) != tc.kind || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (kind %d), want kind %d mentioning %q", tc.name, err, KindOf(err), tc.kind, tc.want)
		}
	}

	// A newer kanade's keys survive this console's re-save.
	e.kvPut(wire.BucketJobs, "inventory-hw", strings.TrimSuffix(manifestJSON, "}")+`,"tags":["hw"]}`)
	resp, err := e.svc.UpsertJob(ctx, manifest(t), Operator)
	if err != nil || resp.ID != "inventory-hw" || resp.Version != "1.2.0" || resp.Inventory {
		t.Fatalf("re-save: %+v, %v", resp, err)
	}
	if v := e.kvGet(wire.BucketJobs, "inventory-hw"); !strings.Contains(v, `"tags":["hw"]`) {
		t.Fatalf("re-save dropped the newer key: %s", v)
	}

	e.kvPut(wire.BucketJobs, "broken", "<html>")
	jobs, err := e.svc.ListJobs(ctx)
	if err != nil || len(jobs) != 2 || jobs[0].Key != "broken" || jobs[0].Supported || !jobs[1].Supported {
		t.Fatalf("ListJobs = %+v, %v", jobs, err)
	}
	if b, _ := json.Marshal(jobs[0]); !strings.Contains(string(b), `"id":"broken"`) || !strings.Contains(string(b), `"supported":false`) {
		t.Fatalf("unreadable job listed as %s", b)
	}

	err = e.svc.DeleteJob(ctx, "inventory-hw", []string{"nightly"}, Operator)
	var inUse *JobInUseError
	if KindOf(err) != KindConflict || !errors.As(err, &inUse) || !slices.Equal(inUse.Schedules, []string{"nightly"}) {
		t.Fatalf("delete of a scheduled job: %v", err)
	}
	if v := e.kvGet(wire.BucketJobs, "inventory-hw"); v == "" {
		t.Fatal("a refused delete removed the job")
	}
	if err := e.svc.DeleteJob(ctx, "inventory-hw", nil, Operator); err != nil {
		t.Fatal(err)
	}
	if v := e.kvGet(wire.BucketJobs, "inventory-hw"); v != "" {
		t.Fatalf("deleted job still stored: %s", v)
	}
	if s := e.kvGet(wire.BucketScriptStatus, "inventory-hw"); s != wire.ScriptStatusRevoked {
		t.Fatalf("deleted job's status %q, want REVOKED (agents refuse it)", s)
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"job_upsert", "job_delete"}) {
		t.Fatalf("audit %v", got)
	}
}
