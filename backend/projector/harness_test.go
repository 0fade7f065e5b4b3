package projector

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

var quiet = slog.New(slog.DiscardHandler)

// natsEnv is a real in-process nats-server with kanade's resources.
type natsEnv struct {
	b  *broker.Broker
	js jetstream.JetStream
}

// patience bounds every wait of these tests: generous, since tests assert
// outcomes, never speed.
const patience = 20 * time.Second

func newNATS(t *testing.T) *natsEnv {
	t.Helper()
	b, err := broker.Start(context.Background(), broker.Config{StoreDir: t.TempDir(), Listen: broker.ListenOff, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := broker.Bootstrap(ctx, b.JetStream(), 1); err != nil {
		t.Fatal(err)
	}
	return &natsEnv{b: b, js: b.JetStream()}
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "kanade.db"), store.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// console is one console's projection: its own database and consumers.
type console struct {
	store   *store.Store
	jobs    *Jobs
	groups  *Groups
	results *StreamProjector
	audit   *StreamProjector
	events  *StreamProjector
	cancel  context.CancelFunc
	done    chan struct{}
}

func startConsole(t *testing.T, n *natsEnv, st *store.Store) *console {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	id, err := st.InstanceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := &console{store: st, cancel: cancel, done: make(chan struct{})}
	c.jobs = NewJobs(n.js, st, quiet)
	c.groups = NewGroups(n.js, st, quiet)
	c.results = NewStreamProjector("results", wire.StreamResults, id, n.js, st, Results{Jobs: c.jobs}, StreamOptions{}, quiet)
	c.audit = NewStreamProjector("audit", wire.StreamAudit, id, n.js, st, Audit{}, StreamOptions{}, quiet)
	c.events = NewStreamProjector("events", wire.StreamEvents, id, n.js, st, Events{}, StreamOptions{}, quiet)
	runners := []interface{ Run(context.Context) }{c.jobs, c.groups, c.results, c.audit, c.events}
	finished := make(chan struct{}, len(runners))
	for _, r := range runners {
		go func() { r.Run(ctx); finished <- struct{}{} }()
	}
	go func() {
		for range runners {
			<-finished
		}
		close(c.done)
	}()
	select {
	case <-c.jobs.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("jobs mirror not ready")
	}
	t.Cleanup(c.stop)
	return c
}

func (c *console) stop() {
	c.cancel()
	<-c.done
}

func publish(t *testing.T, n *natsEnv, subject string, v any) {
	t.Helper()
	var data []byte
	switch x := v.(type) {
	case []byte:
		data = x
	case string:
		data = []byte(x)
	default:
		var err error
		data, err = wire.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.js.Publish(context.Background(), subject, data); err != nil {
		t.Fatalf("publish %s: %v", subject, err)
	}
}

func strp(s string) *string { return &s }

var t0 = time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)

func result(resultID, requestID, pc string, execID *string, exit int32) wire.ExecResult {
	return wire.ExecResult{
		ResultID: resultID, RequestID: requestID, ExecID: execID, PCID: pc, ExitCode: exit,
		Stdout: "", Stderr: "", StartedAt: t0, FinishedAt: t0.Add(time.Second),
	}
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func waitRows(t *testing.T, st *store.Store, table string, want int) {
	t.Helper()
	q := fmt.Sprintf("SELECT count(*) FROM %s", table)
	testutil.WaitFor(t, patience, testutil.Cond(fmt.Sprintf("%d rows in %s", want, table), func() bool { return count(t, st.Reader(), q) == want }))
}

type execRow struct {
	success, failure, target int
	status                   string
}

func execution(t *testing.T, st *store.Store, execID string) execRow {
	t.Helper()
	var r execRow
	err := st.Reader().QueryRow("SELECT success_count, failure_count, target_count, status FROM executions WHERE exec_id = ?", execID).Scan(&r.success, &r.failure, &r.target, &r.status)
	if err != nil {
		t.Fatalf("execution %s: %v", execID, err)
	}
	return r
}

func insertExecution(t *testing.T, st *store.Store, execID string, target int) {
	t.Helper()
	err := st.Project(context.Background(), func(tx *store.Tx) error {
		return tx.UpsertExecution(context.Background(), store.Execution{ExecID: execID, JobID: "job-1", Version: "1.0.0", InitiatedBy: "tester", InitiatedAt: t0, TargetCount: target})
	})
	if err != nil {
		t.Fatal(err)
	}
}
