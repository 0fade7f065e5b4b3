package console

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// wipeableNATS is a nats-server on a fixed port whose store can be wiped
// and the server started again on the same port: NATS came back empty.
type wipeableNATS struct {
	t        *testing.T
	port     int
	storeDir string
	ns       *server.Server
}

func newWipeableNATS(t *testing.T) *wipeableNATS {
	t.Helper()
	port := testutil.FreePort(t)
	w := &wipeableNATS{t: t, port: port, storeDir: t.TempDir()}
	w.start()
	t.Cleanup(func() { w.ns.Shutdown() })
	return w
}

func (w *wipeableNATS) start() {
	w.t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: w.port, JetStream: true, StoreDir: w.storeDir, NoLog: true, NoSigs: true})
	if err != nil {
		w.t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		w.t.Fatal("nats-server not ready")
	}
	w.ns = ns
}

func (w *wipeableNATS) url() string { return w.ns.ClientURL() }

// wipe stops the server, deletes its store and starts it again empty, then
// waits until c has noticed and re-created its streams and buckets.
func (w *wipeableNATS) wipe(c *Console) {
	w.t.Helper()
	w.ns.Shutdown()
	w.ns.WaitForShutdown()
	if err := os.RemoveAll(w.storeDir); err != nil {
		w.t.Fatal(err)
	}
	w.start()
	testutil.WaitFor(w.t, time.Minute, func() error {
		st := c.recreated.get()
		if st == nil || st.RecreatedAt.IsZero() || !c.bootstrapped.Load() {
			return fmt.Errorf("the console has not re-created its streams after the wipe: %+v, bootstrapped %v", st, c.bootstrapped.Load())
		}
		return nil
	})
}

// putJobEventually stores the catalog job once the console accepts
// mutations again.
func putJobEventually(t *testing.T, c *Console, raw string) {
	t.Helper()
	var m wire.Manifest
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 30*time.Second, func() error {
		_, err := c.UpsertJob(context.Background(), m, execution.Operator)
		return err
	})
}

// Issue 16 item 5 (gap): a schedule created after NATS came back empty
// fires every tick, once per tick, and stops when it is deleted. The
// scheduler's watch must follow the new schedules bucket and its tick claims
// the new ticks bucket.
func TestScheduleAfterNATSCameBackEmpty(t *testing.T) {
	w := newWipeableNATS(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, w.url(), t.TempDir(), ft)
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", c.lease.IsLeader))
	// One fire before the wipe, so the ticks bucket handle is cached.
	putSchedule(t, c, "id: before\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\nmode: every_tick\n")
	registered(t, c, "before")
	ft.tick(c, "before")

	w.wipe(c)
	nc, js := client(t, w.url())
	putJobEventually(t, c, manifestJSON)
	rec := record(t, nc, js)
	testutil.WaitFor(t, patience, testutil.Cond("leader again", c.lease.IsLeader))
	// The wiped bucket lost "before": the scheduler drops it.
	testutil.WaitFor(t, patience, testutil.Cond("the wiped schedule dropped", func() bool {
		_, ok := entry(c, "before")
		return !ok
	}))
	putSchedule(t, c, "id: after\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\nmode: every_tick\n")
	registered(t, c, "after")
	// Once per tick: each step of the clock fires it exactly once.
	for i := 1; i <= 5; i++ {
		ft.tick(c, "after")
		rec.waitCount(t, i)
	}
	for _, m := range rec.all() {
		if m.subject != "commands.all" || m.cmd.ID != "inventory-hw" {
			t.Fatalf("fired %s %s", m.subject, m.raw)
		}
	}

	if err := c.DeleteSchedule(context.Background(), "after", execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("unregistered", func() bool {
		_, ok := entry(c, "after")
		return !ok
	}))
	for range 3 {
		ft.step(time.Second)
	}
	ft.armed()
	if n := rec.count(); n != 5 {
		t.Fatalf("deleted schedule still fires: %d commands, want 5", n)
	}
}

// Issue 16 item 5 (gap): a delayed rollout wave stored after NATS came back
// empty fires when due, once.
func TestDelayedWaveAfterNATSCameBackEmpty(t *testing.T) {
	w := newWipeableNATS(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, w.url(), t.TempDir(), ft)
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", c.lease.IsLeader))
	// A delayed wave fired before the wipe: the waves bucket handle is
	// cached and its watch follows the bucket that is about to vanish.
	nc0, js0 := client(t, w.url())
	before := record(t, nc0, js0)
	if _, err := c.Exec(context.Background(), "inventory-hw", plan(t, `{"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"1s"}]}}`), execution.Operator); err != nil {
		t.Fatal(err)
	}
	before.waitCount(t, 1)
	waitPendingWaves(t, c, 1)
	ft.step(time.Second)
	before.waitCount(t, 2)

	w.wipe(c)
	nc, js := client(t, w.url())
	putJobEventually(t, c, manifestJSON)
	rec := record(t, nc, js)
	testutil.WaitFor(t, patience, testutil.Cond("leader again", c.lease.IsLeader))
	resp, err := c.Exec(context.Background(), "inventory-hw", plan(t, `{"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"2s"}]}}`), execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	rec.waitCount(t, 1)
	waitPendingWaves(t, c, 1)
	ft.step(time.Second)
	ft.armed()
	if n := rec.count(); n != 1 {
		t.Fatalf("wave 1 fired 1 s into its 2 s delay (%d commands)", n)
	}
	ft.step(time.Second)
	rec.waitCount(t, 2)
	m := rec.all()[1]
	if m.subject != "commands.group.wave1" || m.cmd.ExecID == nil || *m.cmd.ExecID != resp.ExecID {
		t.Fatalf("wave 1 = %s %s", m.subject, m.raw)
	}
	waitPendingWaves(t, c, 0)
	ft.step(time.Second)
	ft.armed()
	if n := rec.count(); n != 2 {
		t.Fatalf("wave fired twice: %d commands", n)
	}
}
