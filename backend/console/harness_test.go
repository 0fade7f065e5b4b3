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

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
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
	return startConsoleWith(t, url, dataDir, Options{})
}

// startConsoleOn runs a console whose schedule ticks and delayed waves
// follow ft; ft.step then counts its timers.
func startConsoleOn(t *testing.T, url, dataDir string, ft *fakeTime) *Console {
	t.Helper()
	c := startConsoleWith(t, url, dataDir, Options{Clock: ft.FakeClock})
	ft.consoles++
	return c
}

func startConsoleWith(t *testing.T, url, dataDir string, opts Options) *Console {
	t.Helper()
	c := New(config.Config{DataDir: dataDir, SQLitePath: filepath.Join(dataDir, "kanade.db"), NATSURL: url}, quiet, opts)
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

// waitCount waits until exactly n commands have arrived.
func (r *recorder) waitCount(t *testing.T, n int) {
	t.Helper()
	testutil.WaitFor(t, patience, func() error {
		if got := r.count(); got != n {
			return fmt.Errorf("%d commands arrived, want %d", got, n)
		}
		return nil
	})
}

func execRow(t *testing.T, st *store.Store, execID string) (target, success, failure int, status string) {
	t.Helper()
	err := st.Reader().QueryRow("SELECT target_count, success_count, failure_count, status FROM executions WHERE exec_id = ?", execID).Scan(&target, &success, &failure, &status)
	if err != nil {
		t.Fatalf("execution %s: %v", execID, err)
	}
	return
}

// fakeTime is the clock of the consoles' schedule ticks and delayed waves
// in a test: nothing fires until the test steps it.
type fakeTime struct {
	*clockwork.FakeClock
	t *testing.T
	// consoles running on the clock; each keeps two timers armed on it
	// (the tick runner's and the wave poll). A test that stops one says so.
	consoles int
}

// newFakeTime starts half a second past the current whole second of the
// real time: what tests send stamped with the real time stays fresh, and
// each one-second step crosses exactly one cron second.
func newFakeTime(t *testing.T) *fakeTime {
	start := time.Now().UTC().Truncate(time.Second).Add(500 * time.Millisecond)
	return &fakeTime{FakeClock: clockwork.NewFakeClockAt(start), t: t}
}

// step waits until every running console's timers wait on the clock (a
// timer that fired is armed again by its goroutine), then moves the clock by
// d: what is due within d fires, once.
func (ft *fakeTime) step(d time.Duration) {
	ft.t.Helper()
	ft.armed()
	ft.Advance(d)
}

// armed waits until every running console's timers wait on the clock
// again: the previous step has been handled (its fires started).
func (ft *fakeTime) armed() {
	ft.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := ft.BlockUntilContext(ctx, 2*ft.consoles); err != nil {
		ft.t.Fatalf("the timers of %d consoles never all waited on the fake clock", ft.consoles)
	}
}

// tick steps the clock one second and waits until console c's scheduler
// has recorded that second's fire (or skip) of schedule id, so the next
// step's tick is not refused as overlapping this one.
func (ft *fakeTime) tick(c *Console, id string) {
	ft.t.Helper()
	ft.step(time.Second)
	now := ft.Now()
	testutil.WaitFor(ft.t, patience, func() error {
		en, ok := entry(c, id)
		if !ok {
			return fmt.Errorf("schedule %s not in the scheduler's status", id)
		}
		if en.LastFire == nil || !en.LastFire.Equal(now) {
			return fmt.Errorf("schedule %s: last fire %v, want the tick at %v (status %+v)", id, en.LastFire, now, en)
		}
		return nil
	})
}

// registered waits until schedule id is registered with the tick runner.
func registered(t *testing.T, c *Console, id string) {
	t.Helper()
	testutil.WaitFor(t, patience, func() error {
		if en, ok := entry(c, id); !ok || !en.Registered {
			return fmt.Errorf("schedule %s not registered: %+v", id, en)
		}
		return nil
	})
}

// waitPendingWaves waits until c's wave queue holds n waves (a wave stored by
// Exec reaches it through the bucket's watch).
func waitPendingWaves(t *testing.T, c *Console, n int) {
	t.Helper()
	testutil.WaitFor(t, patience, func() error {
		if w := c.Scheduler().PendingWaves; len(w) != n {
			return fmt.Errorf("%d pending waves, want %d: %+v", len(w), n, w)
		}
		return nil
	})
}
