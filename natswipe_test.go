package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

func startNATS(t *testing.T, port int, storeDir string) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: storeDir, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	return ns
}

// Issue 16 item 5: NATS restarts with an empty store on the same port. The
// console notices (stream creation times, not sequences), says so, creates
// the streams and buckets again and projects the new streams: audit events
// whose sequences restart at 1 are stored, also after a console restart.
func TestNATSBackEmptyIsRecreatedAndAuditKeepsFlowing(t *testing.T) {
	port := testutil.FreePort(t)
	storeDir := t.TempDir()
	ns := startNATS(t, port, storeDir)
	defer func() { ns.Shutdown() }()
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	data := t.TempDir()
	r := startServe(t, "--data", data, "--nats-url", url)
	r.waitReady(t)

	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	publishAudit := func(action string) {
		t.Helper()
		body := fmt.Sprintf(`{"actor":"tester","action":%q,"target":"x","payload":{},"occurred_at":%q}`, action, time.Now().UTC().Format(time.RFC3339Nano))
		testutil.WaitFor(t, 30*time.Second, func() error {
			_, err := js.Publish(ctx, "audit.operator.test."+action, []byte(body))
			return err
		})
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "kanade.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitAudit := func(action string) {
		t.Helper()
		testutil.WaitFor(t, time.Minute, func() error {
			var n int
			db.QueryRow("SELECT count(*) FROM audit_log WHERE action = ?", action).Scan(&n)
			if n != 1 {
				return fmt.Errorf("audit %q projected %d times, want once\n%s", action, n, r.stderr.String())
			}
			return nil
		})
	}
	publishAudit("before-wipe")
	waitAudit("before-wipe")

	// A wiped volume: same port, empty store.
	ns.Shutdown()
	ns.WaitForShutdown()
	if err := os.RemoveAll(storeDir); err != nil {
		t.Fatal(err)
	}
	ns = startNATS(t, port, storeDir)

	testutil.WaitFor(t, time.Minute, func() error {
		status, body := r.readyz(t)
		checks, _ := body["checks"].(map[string]any)
		if status != 200 || !strings.Contains(fmt.Sprint(checks["jetstream_recreated"]), "NATS came back without") {
			return fmt.Errorf("readyz does not report the re-created streams: %d %v\n%s", status, body, r.stderr.String())
		}
		return nil
	})
	checkResources(t, url)
	natsStatus, _ := r.status(t)["nats"].(map[string]any)
	rec, _ := natsStatus["recreated"].(map[string]any)
	if !strings.Contains(fmt.Sprint(rec["lost"]), "AUDIT") {
		t.Fatalf("/api/status nats.recreated = %v", natsStatus)
	}
	// Mutations work again (they answered 503 for over a minute), and this
	// console leads the scheduler again on the re-created lease bucket.
	testutil.WaitFor(t, 30*time.Second, func() error {
		req, _ := http.NewRequest("POST", r.url+"/api/jobs", strings.NewReader(`{"id":"after-wipe","version":"1","execute":{"shell":"powershell","script":"hostname","timeout":"1m"}}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sched, _ := r.status(t)["scheduler"].(map[string]any)
		if resp.StatusCode/100 != 2 || sched["is_leader"] != true {
			return fmt.Errorf("POST /api/jobs = %d, scheduler %v\n%s", resp.StatusCode, sched, r.stderr.String())
		}
		return nil
	})
	// Sequence 1 again on the new AUDIT stream.
	publishAudit("after-wipe")
	waitAudit("after-wipe")

	r.stop(t)
	r = startServe(t, "--data", data, "--nats-url", url)
	r.waitReady(t)
	publishAudit("after-restart")
	waitAudit("after-restart")
	var total int
	db.QueryRow("SELECT count(*) FROM audit_log WHERE actor = 'tester'").Scan(&total)
	if total != 3 {
		t.Fatalf("audit_log has %d rows of the tester, want 3", total)
	}
	r.stop(t)
}

// The same with the embedded server whose store (<data>/nats) was wiped while
// the console was down: the next start says so and audit keeps flowing.
func TestEmbeddedStoreWipedWhileDown(t *testing.T) {
	data := t.TempDir()
	natsAddr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
	url := "nats://" + natsAddr
	r := startServe(t, "--data", data, "--nats-listen", natsAddr)
	r.waitReady(t)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "kanade.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	audit := func(action string) {
		t.Helper()
		nc, err := nats.Connect(url)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		js, _ := jetstream.New(nc)
		body := fmt.Sprintf(`{"actor":"tester","action":%q,"target":"x","payload":{},"occurred_at":%q}`, action, time.Now().UTC().Format(time.RFC3339Nano))
		if _, err := js.Publish(context.Background(), "audit.operator.test."+action, []byte(body)); err != nil {
			t.Fatal(err)
		}
		testutil.WaitFor(t, time.Minute, func() error {
			var n int
			db.QueryRow("SELECT count(*) FROM audit_log WHERE action = ?", action).Scan(&n)
			if n != 1 {
				return fmt.Errorf("audit %q projected %d times, want once\n%s", action, n, r.stderr.String())
			}
			return nil
		})
	}
	audit("first")
	r.stop(t)
	if err := os.RemoveAll(filepath.Join(data, "nats")); err != nil {
		t.Fatal(err)
	}
	r = startServe(t, "--data", data, "--nats-listen", natsAddr)
	r.waitReady(t)
	_, body := r.readyz(t)
	checks, _ := body["checks"].(map[string]any)
	natsStatus, _ := r.status(t)["nats"].(map[string]any)
	rec, _ := natsStatus["recreated"].(map[string]any)
	if !strings.Contains(fmt.Sprint(checks["jetstream_recreated"]), "created anew") || !strings.Contains(fmt.Sprint(rec["lost"]), "AUDIT") {
		t.Fatalf("the wiped store was not reported: %v", body)
	}
	audit("second") // sequence 1 again
	r.stop(t)
}
