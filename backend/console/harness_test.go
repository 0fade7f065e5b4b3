package console

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/internal/testutil"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

var quiet = slog.New(slog.DiscardHandler)

// patience bounds every wait of these tests: generous, since tests assert
// outcomes, never speed.
const patience = 20 * time.Second

// natsServer is a standalone nats-server, so consoles can come and go.
func natsServer(t *testing.T) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

// startConsole runs a console on its own data dir against url.
func startConsole(t *testing.T, url, dataDir string) *Console {
	t.Helper()
	c := New(config.Config{DataDir: dataDir, SQLitePath: filepath.Join(dataDir, "kanade.db"), NATSURL: url}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(ctx); err != nil {
		t.Fatalf("not ready: %v", c.Readiness(ctx))
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			c.Stop(context.Background())
		}
	})
	return c
}

func client(t *testing.T, url string) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	return nc, js
}

const manifestJSON = `{"id":"inventory-hw","version":"1.2.0","description":"Hardware inventory probe","execute":{"shell":"powershell","script":"Get-CimInstance Win32_OperatingSystem | ConvertTo-Json","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`

func putJob(t *testing.T, c *Console, raw string) wire.Manifest {
	t.Helper()
	var m wire.Manifest
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpsertJob(context.Background(), m, execution.Operator); err != nil {
		t.Fatal(err)
	}
	return m
}

// heartbeat makes pcs alive in c's projection (through NATS, like agents).
func heartbeat(t *testing.T, c *Console, nc *nats.Conn, pcs ...string) {
	t.Helper()
	for _, pc := range pcs {
		body := fmt.Sprintf(`{"pc_id":%q,"at":%q,"agent_version":"0.29.0","hostname":%q,"os_family":"windows"}`, pc, time.Now().UTC().Format(time.RFC3339Nano), pc)
		if err := nc.Publish(wire.SubjectHeartbeat(pc), []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	nc.Flush()
	testutil.WaitFor(t, patience, testutil.Cond("agents alive", func() bool {
		alive, _ := c.Store().AlivePCs(context.Background(), time.Now().Add(-time.Minute))
		have := map[string]bool{}
		for _, pc := range alive {
			have[pc] = true
		}
		for _, pc := range pcs {
			if !have[pc] {
				return false
			}
		}
		return true
	}))
}

func setGroups(t *testing.T, js jetstream.JetStream, pc, value string) {
	t.Helper()
	kv, err := js.KeyValue(context.Background(), wire.BucketAgentGroups)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(context.Background(), pc, []byte(value)); err != nil {
		t.Fatal(err)
	}
}

// recorder is a test agent: it subscribes to the real command subjects and
// records what arrives, plus the version pin it could read at that moment.
type recorder struct {
	mu   sync.Mutex
	msgs []recorded
}

type recorded struct {
	subject string
	raw     string
	cmd     wire.Command
	pin     string
}

func record(t *testing.T, nc *nats.Conn, js jetstream.JetStream) *recorder {
	t.Helper()
	r := &recorder{}
	kv, err := js.KeyValue(context.Background(), wire.BucketScriptCurrent)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := nc.Subscribe("commands.>", func(m *nats.Msg) {
		var cmd wire.Command
		if err := json.Unmarshal(m.Data, &cmd); err != nil {
			t.Errorf("agent could not decode command: %v: %s", err, m.Data)
			return
		}
		// What an agent does first on receipt: check the version pin.
		pin := ""
		if e, err := kv.Get(context.Background(), cmd.ID); err == nil {
			pin = string(e.Value())
		}
		r.mu.Lock()
		r.msgs = append(r.msgs, recorded{m.Subject, string(m.Data), cmd, pin})
		r.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Unsubscribe() })
	nc.Flush()
	return r
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.msgs...)
}

func (r *recorder) count() int { return len(r.all()) }

func execRow(t *testing.T, st *store.Store, execID string) (target, success, failure int, status string) {
	t.Helper()
	err := st.Reader().QueryRow("SELECT target_count, success_count, failure_count, status FROM executions WHERE exec_id = ?", execID).Scan(&target, &success, &failure, &status)
	if err != nil {
		t.Fatalf("execution %s: %v", execID, err)
	}
	return
}
