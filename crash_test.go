package main

import (
	"bytes"
	"context"
	"database/sql"
	bin "encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// bootstrappedNATS starts an external nats-server with kanade's streams and
// buckets, and a JetStream client for publishing to it; both end with t.
func bootstrappedNATS(t *testing.T) (*server.Server, jetstream.JetStream) {
	t.Helper()
	ns := startNATS(t, -1, t.TempDir())
	t.Cleanup(ns.Shutdown)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err := broker.Bootstrap(context.Background(), js, 1); err != nil {
		t.Fatal(err)
	}
	return ns, js
}

// SIGKILL the console while it projects 100,000 results; after a restart on
// the same data dir there are exactly 100,000 rows and exact counters:
// nothing acked was lost, nothing redelivered was counted twice.
func TestCrashDuringProjectionLosesNothing(t *testing.T) {
	const total = 100_000
	data := t.TempDir()
	// An external NATS, so the whole backlog is in RESULTS before the console
	// starts and the kill lands in the middle of projecting it.
	ns, js := bootstrappedNATS(t)
	ctx := context.Background()

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

// Issue 16 item 3: an OS crash (power loss) can drop the WAL's last frames
// after SIGKILL-like death, and with synchronous=NORMAL those frames may hold
// batches the projector already acked. Here every result is projected and
// acked, the console is SIGKILLed, half of kanade.db-wal is cut off, and the
// restarted console must bring every result back (they are still in the
// stream) with exact counters.
func TestAckedResultsSurviveDroppedWALTail(t *testing.T) {
	const total = 5000
	data := t.TempDir()
	ns, js := bootstrappedNATS(t)
	ctx := context.Background()
	execID := uuid.NewString()
	rec, _ := wire.Marshal(wire.ExecutionRecord{ExecID: execID, JobID: "wal", Version: "1", InitiatedBy: "test", InitiatedAt: wire.Time{Time: time.Now()}, TargetCount: total, Subjects: []string{"commands.all"}})
	if _, err := js.Publish(ctx, wire.SubjectExecutionRecord(execID), rec); err != nil {
		t.Fatal(err)
	}
	r := startServe(t, "--data", data, "--nats-url", ns.ClientURL())
	now := time.Now()
	var lastSeq uint64
	for i := 0; i < total; i++ {
		res, _ := wire.Marshal(wire.ExecResult{
			ResultID: uuid.NewString(), RequestID: "wal-req", ExecID: &execID, PCID: fmt.Sprintf("PC-%06d", i),
			ExitCode: int32(i % 3), Stdout: "ok", StartedAt: now, FinishedAt: now,
		})
		// One at a time, so the projector commits many small batches
		// (as it does under a live trickle) and the WAL holds many commits.
		ack, err := js.Publish(ctx, "results.wal-req", res)
		if err != nil {
			t.Fatal(err)
		}
		lastSeq = ack.Sequence
	}
	dbPath := filepath.Join(data, "kanade.db")
	count := func() (rows, success, failure int) {
		db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.QueryRow("SELECT count(*) FROM execution_results").Scan(&rows)
		db.QueryRow("SELECT success_count, failure_count FROM executions WHERE exec_id = ?", execID).Scan(&success, &failure)
		return
	}
	// Everything projected and acked: the consumer's ack floor is the last
	// result, so the server will never redeliver any of them by itself.
	var instance string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if instance == "" {
			db, _ := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(5000)")
			db.QueryRow("SELECT value FROM console_meta WHERE key = 'instance_id'").Scan(&instance)
			db.Close()
		}
		var floor uint64
		if instance != "" {
			if c, err := js.Consumer(ctx, wire.StreamResults, "kanade_console_results_"+instance); err == nil {
				if info, err := c.Info(ctx); err == nil && info.NumAckPending == 0 {
					floor = info.AckFloor.Stream
				}
			}
		}
		if floor == lastSeq {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("results not all acked (floor %d of %d)\n%s", floor, lastSeq, r.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.cmd.Process.Kill()
	<-r.done

	walPath := dbPath + "-wal"
	wal, err := os.ReadFile(walPath)
	if err != nil || len(wal) < 32 {
		t.Fatalf("WAL: %d bytes, %v", len(wal), err)
	}
	// After a checkpoint SQLite rewrites the WAL from its start with new
	// salts and leaves older frames behind them; only the prefix of frames
	// carrying the header's salts is live. Drop the second half of that.
	pageSize := int(bin.BigEndian.Uint32(wal[8:12]))
	frameSize := 24 + pageSize
	frames := 0
	for off := 32; off+frameSize <= len(wal); off += frameSize {
		if !bytes.Equal(wal[off+8:off+16], wal[16:24]) {
			break
		}
		frames++
	}
	keep := 32 + frames/2*frameSize
	if err := os.Truncate(walPath, int64(keep)); err != nil {
		t.Fatal(err)
	}
	os.Remove(dbPath + "-shm") // the wal-index would not survive an OS crash either
	lost, _, _ := count()
	t.Logf("WAL had %d frames; after dropping the last %d, %d of %d acked results remain", frames, frames-frames/2, lost, total)
	if lost >= total {
		t.Fatalf("dropping half the WAL lost nothing (%d rows): the test does not exercise the loss", lost)
	}

	r = startServe(t, "--data", data, "--nats-url", ns.ClientURL())
	r.waitReady(t)
	deadline = time.Now().Add(2 * time.Minute)
	for {
		rows, _, _ := count()
		if rows == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after restart %d of %d acked results are back\n%s", rows, total, r.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a straggling redelivery would land now
	rows, success, failure := count()
	wantSuccess := (total + 2) / 3
	if rows != total || success != wantSuccess || failure != total-wantSuccess {
		t.Fatalf("rows %d, counters %d/%d, want %d and %d/%d", rows, success, failure, total, wantSuccess, total-wantSuccess)
	}
	if !strings.Contains(r.stderr.String(), "database is behind what was acknowledged") {
		t.Errorf("the restart did not say why it re-projects:\n%s", r.stderr.String())
	}
	r.stop(t)
}
