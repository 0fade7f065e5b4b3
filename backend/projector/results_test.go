package projector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func insert(t *testing.T, st *store.Store, r wire.ExecResult) bool {
	t.Helper()
	var inserted bool
	err := st.Project(context.Background(), func(tx *store.Tx) error {
		var err error
		inserted, err = tx.InsertResult(context.Background(), store.Result{
			ResultID: r.StableResultID(), RequestID: r.RequestID, ExecID: r.ExecID, PCID: r.PCID,
			ExitCode: int(r.ExitCode), Stdout: r.Stdout, Stderr: r.Stderr, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, JobID: r.ManifestID,
		})
		if err != nil || !inserted || r.ExecID == nil {
			return err
		}
		if r.ExitCode == 0 {
			return tx.CountResults(context.Background(), *r.ExecID, store.ResultCount{Success: 1})
		}
		return tx.CountResults(context.Background(), *r.ExecID, store.ResultCount{Failure: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	return inserted
}

// The five tests of kanade 0.29's results projector (the seed), ported.

func TestSeedBroadcastResultsWithSharedRequestIDBothPersist(t *testing.T) {
	st := newStore(t)
	a := result("res-a", "req-shared", "pc-1", strp("exec-1"), 0)
	b := result("res-b", "req-shared", "pc-2", strp("exec-1"), 0)
	if !insert(t, st, a) || !insert(t, st, b) {
		t.Fatal("a broadcast result was not inserted")
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM execution_results WHERE request_id = 'req-shared'"); n != 2 {
		t.Fatalf("rows = %d, want both per-PC rows", n)
	}
}

func TestSeedDuplicateResultIDIsSkippedAndSignaledFalse(t *testing.T) {
	st := newStore(t)
	a := result("res-dup", "req-1", "pc-1", strp("exec-1"), 0)
	if !insert(t, st, a) {
		t.Fatal("first insert not reported as new")
	}
	if insert(t, st, a) {
		t.Fatal("second insert of the same result_id reported as new")
	}
}

func TestSeedLegacyPayloadRedeliveryDedupesViaStableUUID(t *testing.T) {
	st := newStore(t)
	r := result("", "req-1", "pc-1", strp("exec-1"), 0)
	again := result("", "req-1", "pc-1", strp("exec-1"), 0)
	if r.StableResultID() != again.StableResultID() || r.StableResultID() != wire.LegacyResultID("req-1", "pc-1") {
		t.Fatal("stable id is not deterministic")
	}
	if !insert(t, st, r) || insert(t, st, r) {
		t.Fatal("legacy redelivery was not deduplicated")
	}
}

func TestSeedCountersIncrementAndComplete(t *testing.T) {
	st := newStore(t)
	insertExecution(t, st, "exec-1", 2)
	insert(t, st, result("r1", "q", "pc-1", strp("exec-1"), 0))
	insert(t, st, result("r2", "q", "pc-2", strp("exec-1"), 7))
	if got := execution(t, st, "exec-1"); got != (execRow{1, 1, 2, "completed"}) {
		t.Fatalf("execution = %+v", got)
	}
}

func TestSeedCountersPromotePendingToRunningPartway(t *testing.T) {
	st := newStore(t)
	insertExecution(t, st, "exec-2", 3)
	insert(t, st, result("r1", "q", "pc-1", strp("exec-2"), 0))
	if got := execution(t, st, "exec-2"); got.status != "running" {
		t.Fatalf("status = %s, want running", got.status)
	}
}

// A result projected before its executions row exists still counts when the
// row appears (0.29 lost that increment forever).
func TestResultBeforeExecutionRowCounts(t *testing.T) {
	st := newStore(t)
	insert(t, st, result("r1", "q", "pc-1", strp("exec-3"), 0))
	insert(t, st, result("r2", "q", "pc-2", strp("exec-3"), 1))
	insertExecution(t, st, "exec-3", 3)
	if got := execution(t, st, "exec-3"); got != (execRow{1, 1, 3, "running"}) {
		t.Fatalf("execution = %+v", got)
	}
	insert(t, st, result("r3", "q", "pc-3", strp("exec-3"), 0))
	insertExecution(t, st, "exec-3", 3) // the EVENTS copy of the local insert: no change
	if got := execution(t, st, "exec-3"); got != (execRow{2, 1, 3, "completed"}) {
		t.Fatalf("execution = %+v", got)
	}
}

// Through JetStream: N results sharing one request_id (a broadcast) give N
// rows; every message redelivered or republished never counts twice.
func TestStreamBroadcastAndRedelivery(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	insertExecution(t, st, "exec-b", 50)
	c := startConsole(t, n, st)
	for i := 0; i < 50; i++ {
		r := result(fmt.Sprintf("res-%02d", i), "req-broadcast", fmt.Sprintf("PC-%02d", i), strp("exec-b"), int32(i%5))
		publish(t, n, wire.SubjectResults("req-broadcast"), r)
		publish(t, n, wire.SubjectResults("req-broadcast"), r) // the agent outbox re-sends
	}
	// Legacy payloads (no result_id) from two PCs, each published twice.
	for _, pc := range []string{"OLD-1", "OLD-2"} {
		legacy := fmt.Sprintf(`{"request_id":"req-legacy","pc_id":%q,"exit_code":0,"stdout":"","stderr":"","started_at":"2026-05-16T00:00:00Z","finished_at":"2026-05-16T00:00:00Z"}`, pc)
		publish(t, n, wire.SubjectResults("req-legacy"), legacy)
		publish(t, n, wire.SubjectResults("req-legacy"), legacy)
	}
	waitRows(t, st, "execution_results", 52)
	testutil.WaitFor(t, patience, testutil.Cond("all 104 messages projected", func() bool { return c.results.Stats().Snapshot().Messages == 104 }))
	if got := execution(t, st, "exec-b"); got != (execRow{10, 40, 50, "completed"}) {
		t.Fatalf("execution = %+v", got)
	}
	if n := count(t, st.Reader(), "SELECT count(*) FROM execution_results WHERE result_id = ?", wire.LegacyResultID("req-legacy", "OLD-1")); n != 1 {
		t.Fatalf("legacy row for OLD-1: %d", n)
	}
	// Acks are asynchronous; the consumer catches up right after.
	testutil.WaitFor(t, patience, testutil.Cond("lag 0", func() bool { lag, err := c.results.Lag(context.Background()); return err == nil && lag == 0 }))
}

// A poison message is acked, kept in dead_letters, and does not stop the
// messages after it.
func TestPoisonMessageGoesToDeadLetters(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	c := startConsole(t, n, st)
	publish(t, n, "results.bad1", "this is not json")
	publish(t, n, "results.bad2", `{"request_id":"r","pc_id":"x"}`) // missing required fields
	publish(t, n, "results.good", result("res-good", "good", "PC-1", nil, 0))
	waitRows(t, st, "execution_results", 1)
	waitRows(t, st, "dead_letters", 2)
	var subject, errText string
	var head []byte
	var size int
	if err := st.Reader().QueryRow("SELECT subject, error, payload_head, payload_size FROM dead_letters WHERE stream = 'RESULTS' ORDER BY stream_seq LIMIT 1").Scan(&subject, &errText, &head, &size); err != nil {
		t.Fatal(err)
	}
	if subject != "results.bad1" || !strings.Contains(errText, "ExecResult") || string(head) != "this is not json" || size != 16 {
		t.Fatalf("dead letter = %s %q %q %d", subject, errText, head, size)
	}
	testutil.WaitFor(t, patience, testutil.Cond("lag 0", func() bool { lag, _ := c.results.Lag(context.Background()); return lag == 0 }))
	if s := c.results.Stats().Snapshot(); s.DeadLetters != 2 {
		t.Fatalf("stats dead letters = %d", s.DeadLetters)
	}
}

// A database that refuses writes mid-stream loses nothing: the batch rolls
// back, nothing is acked, and everything lands once writes work again.
func TestUnwritableDatabaseLosesNothing(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	insertExecution(t, st, "exec-u", 300)
	c := startConsole(t, n, st)
	for i := 0; i < 100; i++ {
		publish(t, n, "results.u", result(fmt.Sprintf("u-%03d", i), "u", fmt.Sprintf("PC-%03d", i), strp("exec-u"), 0))
	}
	waitRows(t, st, "execution_results", 100)

	// The writer is one connection: this makes every write fail.
	if _, err := st.Writer().Exec("PRAGMA query_only = ON"); err != nil {
		t.Fatal(err)
	}
	for i := 100; i < 300; i++ {
		publish(t, n, "results.u", result(fmt.Sprintf("u-%03d", i), "u", fmt.Sprintf("PC-%03d", i), strp("exec-u"), 0))
	}
	testutil.WaitFor(t, patience, testutil.Cond("a failed batch", func() bool { return c.results.Stats().Snapshot().Errors > 0 }))
	if got := count(t, st.Reader(), "SELECT count(*) FROM execution_results"); got != 100 {
		t.Fatalf("rows while read-only = %d", got)
	}
	if s := c.results.Stats().Snapshot(); !strings.Contains(s.LastError, "readonly") && !strings.Contains(s.LastError, "read-only") && !strings.Contains(s.LastError, "query_only") {
		t.Errorf("last error %q does not say the database was read-only", s.LastError)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := st.Writer().Exec("PRAGMA query_only = OFF"); err != nil {
		t.Fatal(err)
	}
	waitRows(t, st, "execution_results", 300)
	testutil.WaitFor(t, patience, testutil.Cond("counters", func() bool { return execution(t, st, "exec-u") == execRow{300, 0, 300, "completed"} }))
	// A failed batch ends the run and nothing behind it commits first
	// (an ack acks every message below it), so the position is exact.
	testutil.WaitFor(t, patience, testutil.Cond("position 300", func() bool {
		pos, ok, err := st.Position(context.Background(), wire.StreamResults)
		return err == nil && ok && pos.LastSeq == 300
	}))
	testutil.WaitFor(t, patience, testutil.Cond("lag 0", func() bool { lag, _ := c.results.Lag(context.Background()); return lag == 0 }))
	if s := c.results.Stats().Snapshot(); s.Restarts == 0 {
		t.Fatalf("a failed batch did not restart the run: %+v", s)
	}
}

// A consumer from before one ack per batch (AckExplicit) is created again
// with AckAll, resuming right after the database's own position: nothing
// the database holds is projected twice, nothing after it is skipped.
func TestExplicitAckConsumerIsRecreatedFromPosition(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	insertExecution(t, st, "exec-m", 300)
	ctx := context.Background()
	id, err := st.InstanceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		publish(t, n, "results.m", result(fmt.Sprintf("m-%03d", i), "m", fmt.Sprintf("PC-%03d", i), strp("exec-m"), 0))
	}
	// The old console acked 200 messages one by one; its database holds
	// the first 150 (its last commits were lost).
	old, err := n.js.CreateOrUpdateConsumer(ctx, wire.StreamResults, jetstream.ConsumerConfig{
		Durable: ConsumerName("results", id), AckPolicy: jetstream.AckExplicitPolicy, DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := old.Fetch(200)
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	info, err := old.Info(ctx)
	if err != nil || info.AckFloor.Stream != 200 {
		t.Fatalf("old consumer ack floor = %+v, %v", info, err)
	}
	stream, err := n.js.Stream(ctx, wire.StreamResults)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AdoptPosition(ctx, store.Position{Stream: wire.StreamResults, StreamCreated: store.FormatTime(stream.CachedInfo().Created), LastSeq: 150}, true); err != nil {
		t.Fatal(err)
	}

	c := startConsole(t, n, st)
	waitRows(t, st, "execution_results", 150) // seq 151..300
	testutil.WaitFor(t, patience, testutil.Cond("lag 0", func() bool { lag, _ := c.results.Lag(ctx); return lag == 0 }))
	cons, err := n.js.Consumer(ctx, wire.StreamResults, ConsumerName("results", id))
	if err != nil {
		t.Fatal(err)
	}
	if got := cons.CachedInfo().Config.AckPolicy; got != jetstream.AckAllPolicy {
		t.Fatalf("ack policy = %v, want all", got)
	}
	if got := count(t, st.Reader(), "SELECT count(*) FROM execution_results WHERE pc_id < 'PC-150'"); got != 0 {
		t.Fatalf("%d results the database held were projected again", got)
	}
	if pos, ok, err := st.Position(ctx, wire.StreamResults); err != nil || !ok || pos.LastSeq != 300 {
		t.Fatalf("position = %+v %v %v, want 300", pos, ok, err)
	}
}

// A new database against an existing stream replays it from the first
// message (0.29 bug #389), and two consoles on one NATS each project every
// message rather than splitting the stream.
func TestNewDatabaseReplaysAndConsolesDoNotSplit(t *testing.T) {
	n := newNATS(t)
	for i := 0; i < 200; i++ {
		publish(t, n, "results.x", result(fmt.Sprintf("x-%03d", i), "x", fmt.Sprintf("PC-%03d", i), nil, 0))
		publish(t, n, "audit.operator.exec.job", wire.AuditEvent{Actor: "operator", Action: "exec", Target: strp("job"), Payload: []byte(`{"n":1}`), OccurredAt: t0})
	}
	first := newStore(t)
	startConsole(t, n, first)
	second := newStore(t)
	startConsole(t, n, second)
	for _, st := range []*store.Store{first, second} {
		waitRows(t, st, "execution_results", 200)
		waitRows(t, st, "audit_log", 200)
	}
	// More messages reach both.
	for i := 200; i < 250; i++ {
		publish(t, n, "results.x", result(fmt.Sprintf("x-%03d", i), "x", fmt.Sprintf("PC-%03d", i), nil, 0))
	}
	waitRows(t, first, "execution_results", 250)
	waitRows(t, second, "execution_results", 250)
}

func TestRestartResumesWithoutDuplicates(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	c := startConsole(t, n, st)
	for i := 0; i < 100; i++ {
		publish(t, n, "audit.operator.job_upsert.j", wire.AuditEvent{Actor: "operator", Action: "job_upsert", Target: strp("j"), Payload: []byte(`{}`), OccurredAt: t0})
	}
	waitRows(t, st, "audit_log", 100)
	c.stop()
	for i := 0; i < 10; i++ {
		publish(t, n, "audit.scheduler.exec.j", wire.AuditEvent{Actor: "scheduler", Action: "exec", OccurredAt: t0})
	}
	startConsole(t, n, st)
	waitRows(t, st, "audit_log", 110)
	time.Sleep(100 * time.Millisecond)
	waitRows(t, st, "audit_log", 110)
}

func TestInventoryProjection(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	kv, _ := n.js.KeyValue(context.Background(), wire.BucketJobs)
	manifest := `{"id":"inventory-hw","version":"1.2.0","description":null,"execute":{"shell":"powershell","script":"x","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"Name","label":"Hostname"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}],"summary":[{"field":"Name","label":"Hostname"}]},"staleness":{"mode":"cached"}}`
	plain := `{"id":"plain","version":"1","description":null,"execute":{"shell":"cmd","script":"x","timeout":"1m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`
	kv.Put(context.Background(), "inventory-hw", []byte(manifest))
	kv.Put(context.Background(), "plain", []byte(plain))
	startConsole(t, n, st)

	inv := func(id, pc string, exit int32, stdout string, finished time.Time, manifest string) wire.ExecResult {
		r := result(id, "req-"+id, pc, strp("exec-inv"), exit)
		r.Stdout, r.FinishedAt, r.ManifestID = stdout, finished, strp(manifest)
		return r
	}
	publish(t, n, "results.a", inv("a", "PC-1", 0, `{"Name":"PC-1","TotalPhysicalMemory":17179869184}`, t0.Add(2*time.Hour), "inventory-hw"))
	publish(t, n, "results.b", inv("b", "PC-1", 0, `{"Name":"OLD"}`, t0.Add(time.Hour), "inventory-hw")) // older: must not win
	publish(t, n, "results.c", inv("c", "PC-2", 0, `not json`, t0, "inventory-hw"))                      // skipped
	publish(t, n, "results.d", inv("d", "PC-3", 1, `{"Name":"PC-3"}`, t0, "inventory-hw"))               // failed run: skipped
	publish(t, n, "results.e", inv("e", "PC-4", 0, `{"Name":"PC-4"}`, t0, "plain"))                      // not an inventory job
	publish(t, n, "results.f", inv("f", "PC-5", 0, `{"Name":"PC-5"}`, t0, "unknown-job"))                // unknown job
	waitRows(t, st, "execution_results", 6)
	if got := count(t, st.Reader(), "SELECT count(*) FROM inventory_facts"); got != 1 {
		t.Fatalf("inventory rows = %d, want 1", got)
	}
	var facts, display string
	var summary *string
	var collected time.Time
	if err := st.Reader().QueryRow("SELECT facts_json, display_json, summary_json, collected_at FROM inventory_facts WHERE pc_id = 'PC-1' AND job_id = 'inventory-hw'").Scan(&facts, &display, &summary, &collected); err != nil {
		t.Fatal(err)
	}
	if facts != `{"Name":"PC-1","TotalPhysicalMemory":17179869184}` || display != `[{"field":"Name","label":"Hostname"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}]` || summary == nil || *summary != `[{"field":"Name","label":"Hostname"}]` || !collected.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("inventory row = %s | %s | %v | %v", facts, display, summary, collected)
	}
}

// One ack per batch acks everything below it, so a delivery that never
// reached the projector must not end up below an ack. A second puller on the
// same durable consumer takes deliveries away exactly as a lost delivery
// would (a consumer leader that stopped right after sending); it never acks
// them. Every result must still be projected, long before the ack wait would
// have redelivered them.
func TestDeliveriesTakenByAnotherPullerAreProjected(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	id, err := st.InstanceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const total = 600
	insertExecution(t, st, "exec-g", total)
	p := NewStreamProjector("results", wire.StreamResults, id, n.js, st, Results{}, StreamOptions{MaxBatch: 10, AckWait: 10 * time.Minute}, quiet)
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	defer func() { cancel(); <-done }()

	var cons jetstream.Consumer
	testutil.WaitFor(t, 10*time.Second, func() error {
		if !p.Stats().Snapshot().Running {
			return errors.New("projector not running")
		}
		cons, err = n.js.Consumer(ctx, wire.StreamResults, ConsumerName("results", id))
		return err
	})
	// The thief's pull request waits at the server among the projector's.
	stolen := make(chan int, 1)
	go func() {
		b, err := cons.Fetch(5, jetstream.FetchMaxWait(20*time.Second))
		if err != nil {
			stolen <- 0
			return
		}
		k := 0
		for range b.Messages() {
			k++
		}
		stolen <- k
	}()
	testutil.WaitFor(t, 10*time.Second, func() error {
		info, err := cons.Info(ctx)
		if err != nil {
			return err
		}
		if info.NumWaiting < 2 {
			return fmt.Errorf("%d pull requests waiting, want the projector's and the thief's", info.NumWaiting)
		}
		return nil
	})
	for i := 0; i < total; i++ {
		publish(t, n, "results.g", result(fmt.Sprintf("g-%03d", i), "g", fmt.Sprintf("PC-%03d", i), strp("exec-g"), 0))
	}
	if k := <-stolen; k == 0 {
		t.Fatal("the second puller got no delivery: the test did not take any away")
	} else {
		t.Logf("%d deliveries taken by the second puller", k)
	}
	waitRows(t, st, "execution_results", total)
	testutil.WaitFor(t, patience, func() error {
		if got := execution(t, st, "exec-g"); got != (execRow{total, 0, total, "completed"}) {
			return fmt.Errorf("execution counters %+v", got)
		}
		return nil
	})
	if s := p.Stats().Snapshot(); s.Restarts == 0 {
		t.Fatalf("the gap did not restart the run: %+v", s)
	}
}
