package projector

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// The same audit stream sequence projected twice gives one row (bug #501).
func TestAuditIsIdempotentOnStreamSequence(t *testing.T) {
	st := newStore(t)
	msgs := []Message{
		{Subject: "audit.operator.exec.job", Seq: 7, Data: []byte(`{"actor":"operator","action":"exec","target":"job","payload":{"exec_id":"e"},"occurred_at":"2026-05-20T03:14:59.000123Z"}`)},
		{Subject: "audit.scheduler.exec", Seq: 8, Data: []byte(`{"actor":"scheduler","action":"exec","target":null,"payload":null,"occurred_at":"2026-05-20T03:15:00Z"}`)},
		{Subject: "audit.x", Seq: 9, Data: []byte(`{"actor":1}`)},
	}
	var batch []Decoded
	for _, m := range msgs {
		v, err := Audit{}.Decode(m)
		if m.Seq == 9 {
			if err == nil {
				t.Error("decoded a malformed audit event")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, Decoded{Message: m, Value: v})
	}
	for i := 0; i < 2; i++ {
		err := st.Project(context.Background(), func(tx *store.Tx) error {
			return Audit{}.Apply(context.Background(), tx, batch)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM audit_log"); n != 2 {
		t.Fatalf("audit rows = %d, want 2", n)
	}
	var payload, occurred string
	var target *string
	st.Reader().QueryRow("SELECT payload, target, occurred_at || '' FROM audit_log WHERE stream_seq = 7").Scan(&payload, &target, &occurred)
	if payload != `{"exec_id":"e"}` || target == nil || *target != "job" || occurred != "2026-05-20T03:14:59.000123000Z" {
		t.Fatalf("row = %s %v %s", payload, target, occurred)
	}
	st.Reader().QueryRow("SELECT payload, target FROM audit_log WHERE stream_seq = 8").Scan(&payload, &target)
	if payload != "null" || target != nil {
		t.Fatalf("null payload/target row = %s %v", payload, target)
	}
}

// events.started and the ExecResult may arrive in either order; the run is
// in flight until its result exists, and is counted once.
func TestStartedEventsEitherOrder(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	startConsole(t, n, st)
	rec := wire.ExecutionRecord{ExecID: "exec-s", JobID: "job", Version: "1", InitiatedBy: "operator", InitiatedAt: wire.Time{Time: t0}, TargetCount: 2, Subjects: []string{"commands.all"}}
	publish(t, n, wire.SubjectExecutionRecord("exec-s"), rec)
	started := func(pc string) wire.EventStarted {
		return wire.EventStarted{ExecID: "exec-s", PCID: pc, StartedAt: t0, ManifestID: "job", Version: "1"}
	}
	// PC-1: started, then result.  PC-2: result, then started.
	publish(t, n, wire.SubjectEventStarted("exec-s", "PC-1"), started("PC-1"))
	testutil.WaitFor(t, patience, testutil.Cond("in-flight PC-1", func() bool {
		return count(t, st.Reader(), "SELECT count(*) FROM inflight_runs WHERE exec_id='exec-s' AND pc_id='PC-1'") == 1
	}))
	if got := execution(t, st, "exec-s"); got != (execRow{0, 0, 2, "pending"}) {
		t.Fatalf("after start: %+v", got)
	}
	publish(t, n, "results.q1", result("r1", "q1", "PC-1", strp("exec-s"), 0))
	publish(t, n, "results.q2", result("r2", "q2", "PC-2", strp("exec-s"), 3))
	waitRows(t, st, "execution_results", 2)
	publish(t, n, wire.SubjectEventStarted("exec-s", "PC-2"), started("PC-2"))
	publish(t, n, "events.finished.exec-s.PC-2", `{"later":"kanade versions"}`) // unknown event: ignored
	publish(t, n, wire.SubjectEventStarted("exec-s", "PC-3"), `{"exec_id":"exec-s"}`)
	waitRows(t, st, "dead_letters", 1)
	if n := count(t, st.Reader(), "SELECT count(*) FROM inflight_runs"); n != 0 {
		t.Fatalf("in-flight rows = %d, want 0", n)
	}
	if got := execution(t, st, "exec-s"); got != (execRow{1, 1, 2, "completed"}) {
		t.Fatalf("execution = %+v", got)
	}
}

func TestExecutionRecordValidation(t *testing.T) {
	for _, bad := range []string{`{}`, `{"exec_id":"e","job_id":"j","version":"1","initiated_by":"o"}`, `{"exec_id":"e","job_id":"j","version":"1","initiated_by":"o","initiated_at":"2026-05-20T00:00:00Z","target_count":-1}`, `nope`} {
		if _, err := wire.DecodeExecutionRecord([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestHeartbeatsEveryFormCoalesced(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	h := NewHeartbeats(n.b.Conn(), st, quiet)
	h.flushEvery = 50 * time.Millisecond
	var flushed [][]store.Agent
	h.OnFlush = func(a []store.Agent) { flushed = append(flushed, a) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	testutil.WaitFor(t, patience, testutil.Cond("subscribed", func() bool { return h.Stats().Snapshot().Running }))
	nc := n.b.Conn()
	send := func(subject, body string) {
		if err := nc.Publish(subject, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	send("heartbeat.MINIPC-01", `{"pc_id":"MINIPC-01","at":"2026-05-20T03:14:15.926535800Z","agent_version":"0.29.0","hostname":"MINIPC-01","os_family":"windows"}`)
	send("heartbeat.x", `{"pc_id":"x","at":"2026-05-16T00:00:00Z","agent_version":"0.11.5"}`)
	send("heartbeat.NEW", `{"pc_id":"NEW","at":"2026-05-20T03:00:00Z","agent_version":"0.40.0","hostname":"new-host","os_family":"windows","agent_cpu_pct":1.5,"agent_rss_bytes":1234,"quarantined_versions":[],"last_logon_user":"bob"}`)
	send("heartbeat.bad", `{"pc_id":`)
	send("heartbeat.empty", `{"pc_id":"","at":"2026-05-20T03:00:00Z","agent_version":"1"}`)
	nc.Flush()
	waitRows(t, st, "agents", 3)
	waitRows(t, st, "dead_letters", 2)

	// A newer 0.29 beat without hostname keeps the known hostname; a new
	// non-empty hostname replaces it. Many beats in one flush coalesce.
	for i := 0; i < 20; i++ {
		send("heartbeat.x", `{"pc_id":"x","at":"2026-05-20T00:00:0`+string(rune('0'+i%10))+`Z","agent_version":"0.11.5"}`)
	}
	send("heartbeat.MINIPC-01", `{"pc_id":"MINIPC-01","at":"2026-05-20T04:00:00Z","agent_version":"0.29.1"}`)
	nc.Flush()
	testutil.WaitFor(t, patience, testutil.Cond("0.29.1", func() bool {
		return count(t, st.Reader(), "SELECT count(*) FROM agents WHERE agent_version = '0.29.1'") == 1
	}))
	var host, osf, version string
	var last time.Time
	st.Reader().QueryRow("SELECT hostname, os_family, agent_version, last_heartbeat FROM agents WHERE pc_id = 'MINIPC-01'").Scan(&host, &osf, &version, &last)
	if host != "MINIPC-01" || osf != "windows" || !last.Equal(time.Date(2026, 5, 20, 4, 0, 0, 0, time.UTC)) {
		t.Fatalf("MINIPC-01 = %s %s %s %v", host, osf, version, last)
	}
	send("heartbeat.MINIPC-01", `{"pc_id":"MINIPC-01","at":"2026-05-20T04:00:30Z","agent_version":"0.29.1","hostname":"renamed","os_family":"windows"}`)
	nc.Flush()
	testutil.WaitFor(t, patience, testutil.Cond("renamed", func() bool {
		return count(t, st.Reader(), "SELECT count(*) FROM agents WHERE hostname = 'renamed'") == 1
	}))
	var oldHost *string
	st.Reader().QueryRow("SELECT hostname FROM agents WHERE pc_id = 'x'").Scan(&oldHost)
	if oldHost != nil && *oldHost != "" {
		t.Fatalf("oldest form got hostname %q", *oldHost)
	}
	testutil.WaitFor(t, patience, testutil.Cond("x at :09", func() bool {
		return count(t, st.Reader(), "SELECT count(*) FROM agents WHERE pc_id='x' AND last_heartbeat = '2026-05-20T00:00:09.000000000Z'") == 1
	}))

	// Shutdown flushes what was received.
	send("heartbeat.LAST", `{"pc_id":"LAST","at":"2026-05-20T03:00:00Z","agent_version":"0.29.0"}`)
	nc.Flush()
	cancel()
	<-done
	if n := count(t, st.Reader(), "SELECT count(*) FROM agents WHERE pc_id = 'LAST'"); n != 1 {
		t.Fatal("heartbeat received before shutdown was not flushed")
	}
	if len(flushed) == 0 {
		t.Fatal("OnFlush never called")
	}
}

func TestGroupsMirrorBothFormsAndResync(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	ctx := context.Background()
	kv, _ := n.js.KeyValue(ctx, wire.BucketAgentGroups)
	kv.Put(ctx, "PC-1", []byte(`{"groups":["canary","dept-eng"]}`))
	kv.Put(ctx, "PC-2", []byte(`["wave1","canary","canary"]`)) // bare array (older writers)
	kv.Put(ctx, "PC-3", []byte(`{"groups":["gone-soon"]}`))
	kv.Put(ctx, "PC-4", []byte(`garbage`))
	c := startConsole(t, n, st)
	select {
	case <-c.groups.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("groups not ready")
	}
	if got := c.groups.Members("canary"); !reflect.DeepEqual(got, []string{"PC-1", "PC-2"}) {
		t.Fatalf("canary = %v", got)
	}
	if got := c.groups.GroupsOf("PC-2"); !reflect.DeepEqual(got, []string{"canary", "wave1"}) {
		t.Fatalf("PC-2 groups = %v", got)
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM agent_group_members WHERE group_name = 'canary'"); n != 2 {
		t.Fatalf("mirror canary rows = %d", n)
	}
	// A writer that waits for its revision reads its own write at once,
	// from memory and from the mirror table.
	rev, err := kv.Put(ctx, "PC-5", []byte(`{"groups":["canary"]}`))
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.groups.WaitApplied(wctx, rev); err != nil {
		t.Fatalf("WaitApplied(%d): %v", rev, err)
	}
	if got := c.groups.GroupsOf("PC-5"); !reflect.DeepEqual(got, []string{"canary"}) {
		t.Fatalf("right after WaitApplied PC-5 groups = %v", got)
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM agent_group_members WHERE pc_id = 'PC-5'"); n != 1 {
		t.Fatalf("right after WaitApplied the mirror table has %d rows for PC-5", n)
	}
	if err := c.groups.WaitApplied(wctx, rev-1); err != nil {
		t.Fatalf("an older revision: %v", err)
	}
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if err := c.groups.WaitApplied(short, rev+1000); err == nil {
		t.Fatal("WaitApplied returned for a revision nobody wrote")
	}
	kv.Delete(ctx, "PC-5")
	kv.Put(ctx, "PC-1", []byte(`{"groups":["dept-eng"]}`))
	kv.Delete(ctx, "PC-3")
	testutil.WaitFor(t, patience, testutil.Cond("live changes", func() bool {
		return reflect.DeepEqual(c.groups.Members("canary"), []string{"PC-2"}) && len(c.groups.Members("gone-soon")) == 0
	}))
	testutil.WaitFor(t, patience, testutil.Cond("mirror table", func() bool {
		return count(t, st.Reader(), "SELECT count(*) FROM agent_group_members WHERE pc_id IN ('PC-1','PC-3')") == 1
	}))

	// Deleted while no console watched: a restart drops it from the mirror.
	c.stop()
	kv.Delete(ctx, "PC-2")
	c2 := startConsole(t, n, st)
	<-c2.groups.Ready()
	if got := c2.groups.Members("canary"); len(got) != 0 {
		t.Fatalf("canary after restart = %v", got)
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM agent_group_members WHERE pc_id = 'PC-2'"); n != 0 {
		t.Fatal("PC-2 still mirrored after it was deleted")
	}
	if got := c2.groups.AllGroups(); !reflect.DeepEqual(got, []string{"dept-eng"}) {
		t.Fatalf("all groups = %v", got)
	}
}

func TestJobsMirror(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	ctx := context.Background()
	kv, _ := n.js.KeyValue(ctx, wire.BucketJobs)
	good := `{"id":"a","version":"1","description":null,"execute":{"shell":"cmd","script":"x","timeout":"1m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`
	kv.Put(ctx, "a", []byte(good))
	kv.Put(ctx, "bad", []byte(`{"id":"bad","target":"all"}`))
	c := startConsole(t, n, st)
	if _, ok := c.jobs.Job("a"); !ok {
		t.Fatal("job a not cached")
	}
	if _, ok := c.jobs.Job("bad"); ok {
		t.Fatal("invalid manifest cached")
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM dead_letters WHERE stream = 'KV_jobs'"); n != 1 {
		t.Fatalf("dead letters for the bad job = %d", n)
	}
	kv.Put(ctx, "b", []byte(strings.Replace(good, `"id":"a"`, `"id":"b"`, 1)))
	kv.Delete(ctx, "a")
	testutil.WaitFor(t, patience, testutil.Cond("jobs update", func() bool {
		_, a := c.jobs.Job("a")
		_, b := c.jobs.Job("b")
		return !a && b && count(t, st.Reader(), "SELECT count(*) FROM jobs") == 1
	}))
	if all := c.jobs.All(); len(all) != 1 || all[0].ID != "b" {
		t.Fatalf("All = %+v", all)
	}
}

func TestSuperviseRestartsWithBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stats := newStats("x")
	calls := 0
	done := make(chan struct{})
	go func() {
		supervise(ctx, quiet, stats, func(context.Context) error {
			calls++
			if calls == 2 {
				cancel()
			}
			return jetstream.ErrStreamNotFound
		})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("supervise did not return after cancel")
	}
	s := stats.Snapshot()
	if calls != 2 || s.Restarts != 1 || s.Errors != 1 || !strings.Contains(s.LastError, "stream not found") {
		t.Fatalf("calls=%d snapshot=%+v", calls, s)
	}
}
