package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	_ "modernc.org/sqlite"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// SIGKILL the console while it projects 100,000 results; after a restart on
// the same data dir there are exactly 100,000 rows and exact counters:
// nothing acked was lost, nothing redelivered was counted twice.
func TestCrashDuringProjectionLosesNothing(t *testing.T) {
	const total = 100_000
	data := t.TempDir()
	// An external NATS, so the whole backlog is in RESULTS before the console
	// starts and the kill lands in the middle of projecting it.
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	ctx := context.Background()
	if err := broker.Bootstrap(ctx, js, 1); err != nil {
		t.Fatal(err)
	}

	execID := uuid.NewString()
	rec, _ := wire.Marshal(wire.ExecutionRecord{ExecID: execID, JobID: "crash", Version: "1", InitiatedBy: "test", InitiatedAt: wire.Time{Time: time.Now()}, TargetCount: total, Subjects: []string{"commands.all"}})
	if _, err := js.Publish(ctx, wire.SubjectExecutionRecord(execID), rec); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := 0; i < total; i++ {
		res, _ := wire.Marshal(wire.ExecResult{
			ResultID: uuid.NewString(), RequestID: "crash-req", ExecID: &execID, PCID: fmt.Sprintf("PC-%06d", i),
			ExitCode: int32(i % 3), Stdout: "ok", StartedAt: now, FinishedAt: now,
		})
		if _, err := js.PublishAsync("results.crash-req", res); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(2 * time.Minute):
		t.Fatal("publishing did not complete")
	}

	t.Logf("published %d results in %v", total, time.Since(now).Round(time.Millisecond))
	projectStart := time.Now()
	r := startServe(t, "--data", data, "--nats-url", ns.ClientURL())
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "kanade.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := func() int {
		var n int
		db.QueryRow("SELECT count(*) FROM execution_results").Scan(&n)
		return n
	}
	deadline := time.Now().Add(2 * time.Minute)
	for rows() < total/5 {
		if time.Now().After(deadline) {
			t.Fatalf("projection did not start; %d rows\n%s", rows(), r.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.cmd.Process.Kill()
	<-r.done
	killedAt := rows()
	t.Logf("killed with %d of %d rows projected", killedAt, total)

	r = startServe(t, "--data", data, "--nats-url", ns.ClientURL())
	r.waitReady(t)
	deadline = time.Now().Add(3 * time.Minute)
	for rows() < total {
		if time.Now().After(deadline) {
			t.Fatalf("after restart only %d rows", rows())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("all rows projected %v after the first start", time.Since(projectStart).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond) // any straggling redelivery would land now
	if n := rows(); n != total {
		t.Fatalf("rows = %d, want exactly %d", n, total)
	}
	var success, failure, target int
	var status string
	if err := db.QueryRow("SELECT success_count, failure_count, target_count, status FROM executions WHERE exec_id = ?", execID).Scan(&success, &failure, &target, &status); err != nil {
		t.Fatal(err)
	}
	wantSuccess := (total + 2) / 3
	if success != wantSuccess || failure != total-wantSuccess || status != "completed" {
		t.Fatalf("counters = %d/%d %s, want %d/%d completed", success, failure, status, wantSuccess, total-wantSuccess)
	}
	r.stop(t)
}
