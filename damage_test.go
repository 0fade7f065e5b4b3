package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// projectedFleet is a data dir whose embedded JetStream holds n results of
// one execution and whose kanade.db has projected them all (cleanly stopped).
type projectedFleet struct {
	data, natsAddr, execID string
	n                      int
}

func newProjectedFleet(t *testing.T, n int) projectedFleet {
	t.Helper()
	f := projectedFleet{data: t.TempDir(), natsAddr: fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t)), execID: uuid.NewString(), n: n}
	r := startServe(t, "--data", f.data, "--nats-listen", f.natsAddr)
	r.waitReady(t)
	nc, err := nats.Connect("nats://" + f.natsAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	rec, _ := wire.Marshal(wire.ExecutionRecord{ExecID: f.execID, JobID: "dmg", Version: "1", InitiatedBy: "test", InitiatedAt: wire.Time{Time: time.Now()}, TargetCount: n, Subjects: []string{"commands.all"}})
	if _, err := js.Publish(ctx, wire.SubjectExecutionRecord(f.execID), rec); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := 0; i < n; i++ {
		res, _ := wire.Marshal(wire.ExecResult{ResultID: uuid.NewString(), RequestID: "dmg", ExecID: &f.execID, PCID: fmt.Sprintf("PC-%06d", i),
			ExitCode: int32(i % 2), Stdout: strings.Repeat("x", 200), StartedAt: now, FinishedAt: now})
		if _, err := js.PublishAsync("results.dmg", res); err != nil {
			t.Fatal(err)
		}
	}
	<-js.PublishAsyncComplete()
	f.waitRows(t, r)
	r.stop(t)
	return f
}

func (f projectedFleet) db() string { return filepath.Join(f.data, "kanade.db") }

func (f projectedFleet) counts(t *testing.T) (rows, success, failure int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+f.db()+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.QueryRow("SELECT count(*) FROM execution_results").Scan(&rows)
	db.QueryRow("SELECT success_count, failure_count FROM executions WHERE exec_id = ?", f.execID).Scan(&success, &failure)
	return
}

// waitRows waits until every result is projected with exact counters.
func (f projectedFleet) waitRows(t *testing.T, r *running) {
	t.Helper()
	testutil.WaitFor(t, time.Minute, func() error {
		if rows, s, fl := f.counts(t); rows != f.n || s != f.n/2 || fl != f.n-f.n/2 {
			return fmt.Errorf("%d of %d rows, counters %d/%d\n%s", rows, f.n, s, fl, r.stderr.String())
		}
		return nil
	})
}

func (r *running) status(t *testing.T) map[string]any {
	t.Helper()
	resp, err := http.Get(r.url + "/api/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return body
}

// zeroPage overwrites one page in the middle of the file with zeros, as a
// bad sector or a torn write can.
func zeroPage(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	const pageSize = 4096
	page := fi.Size() / pageSize / 2
	if _, err := f.WriteAt(make([]byte, pageSize), page*pageSize); err != nil {
		t.Fatal(err)
	}
}

// Issue 16 item 6: one zeroed page makes the console not ready, with the
// reason and the way out; with --rebuild-on-damage it moves the file aside
// and rebuilds every row from the streams.
func TestDamagedDatabaseIsNotReadyThenRebuilt(t *testing.T) {
	f := newProjectedFleet(t, 3000)
	zeroPage(t, f.db())

	r := startServe(t, "--data", f.data, "--nats-listen", f.natsAddr)
	// Reads that run into the damaged page say what to do, never a bare 500.
	for _, path := range []string{"/api/results?limit=1000", "/api/results?limit=1000&offset=1000", "/api/results?limit=1000&offset=2000", "/api/executions/" + f.execID} {
		resp, err := http.Get(r.url + path)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		t.Logf("GET %s = %d", path, resp.StatusCode)
		if resp.StatusCode >= 500 && (resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(fmt.Sprint(body["error"]), "--rebuild")) {
			t.Errorf("GET %s = %d %v", path, resp.StatusCode, body)
		}
	}
	testutil.WaitFor(t, time.Minute, func() error {
		status, body := r.readyz(t)
		checks, _ := body["checks"].(map[string]any)
		why, _ := checks["db"].(string)
		if status != http.StatusServiceUnavailable || !strings.HasPrefix(why, "damaged") || !strings.Contains(why, "--rebuild") {
			return fmt.Errorf("readyz does not say the database is damaged: %d %v\n%s", status, body, r.stderr.String())
		}
		return nil
	})
	r.cmd.Process.Kill()
	<-r.done

	r = startServe(t, "--data", f.data, "--nats-listen", f.natsAddr, "--rebuild-on-damage")
	r.waitReady(t)
	f.waitRows(t, r)
	moved, _ := filepath.Glob(f.db() + ".damaged-*")
	if len(moved) == 0 {
		t.Fatalf("the damaged file was not kept aside")
	}
	testutil.WaitFor(t, time.Minute, func() error {
		dbs, _ := r.status(t)["database"].(map[string]any)
		rb, _ := dbs["rebuild"].(map[string]any)
		if rb["active"] != false || !strings.HasPrefix(fmt.Sprint(rb["reason"]), "damaged") || rb["moved_to"] != moved[0] {
			return fmt.Errorf("/api/status database = %v", dbs)
		}
		return nil
	})
	if !strings.Contains(r.stderr.String(), "rebuild finished") {
		t.Errorf("the log does not report the rebuild's end:\n%s", r.stderr.String())
	}
	r.stop(t)
}

// `serve --rebuild` moves a sound database aside and rebuilds every row.
func TestServeRebuildRebuildsEveryRow(t *testing.T) {
	f := newProjectedFleet(t, 2000)
	// Accounts are no projection: they come along into the new file.
	if out, err := accountCmd(t, "carry-password\n", "create", "carry", "--role", "operator", "--password-stdin", "--data", f.data); err != nil {
		t.Fatalf("create: %s, %v", out, err)
	}
	r := startServe(t, "--data", f.data, "--nats-listen", f.natsAddr, "--rebuild")
	f.waitRows(t, r)
	if moved, _ := filepath.Glob(f.db() + ".rebuilt-*"); len(moved) != 1 {
		t.Fatalf("moved aside: %v", moved)
	}
	r.waitReady(t)
	r.stop(t)
	if out, err := accountCmd(t, "", "list", "--data", f.data); err != nil || !regexpLine(out, `carry\s+operator`) {
		t.Fatalf("accounts after the rebuild: %s, %v", out, err)
	}
}

// A database file that cannot be written (0444 in a writable dir; root
// ignores modes, so the immutable flag there) stops the start with one line.
func TestReadOnlyDatabaseFailsAtStart(t *testing.T) {
	f := newProjectedFleet(t, 10)
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", f.db()).CombinedOutput(); err != nil {
			t.Fatalf("chattr +i (root ignores modes, so the test needs the immutable flag): %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", f.db()).Run() })
	} else {
		os.Chmod(f.db(), 0o444)
	}
	code, out := exitsAtOnce(t, "serve", "--data", f.data, "--addr", fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t)), "--nats-listen", "off")
	line := lastLine(out)
	if code != 2 || !strings.Contains(line, f.db()+" cannot be written") {
		t.Fatalf("exit %d, last line %q\n%s", code, line, out)
	}
}
