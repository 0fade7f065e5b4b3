package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/internal/testutil"
	"github.com/kanade-console/kanade-console/backend/wire"
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
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
	c := startConsole(t, w.url(), t.TempDir())
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	// One fire before the wipe, so the ticks bucket handle is cached.
	putSchedule(t, c, "id: before\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\nmode: every_tick\n")
	testutil.WaitFor(t, patience, testutil.Cond("a fire before the wipe", func() bool { return countExecs(t, c, "inventory-hw") >= 1 }))

	w.wipe(c)
	nc, js := client(t, w.url())
	putJobEventually(t, c, manifestJSON)
	rec := record(t, nc, js)
	testutil.WaitFor(t, patience, testutil.Cond("leader again", func() bool { return c.lease.IsLeader() }))
	// The wiped bucket lost "before": the scheduler drops it.
	testutil.WaitFor(t, patience, testutil.Cond("the wiped schedule dropped", func() bool {
		for _, en := range c.Scheduler().Schedules {
			if en.ID == "before" {
				return false
			}
		}
		return true
	}))
	putSchedule(t, c, "id: after\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\nmode: every_tick\n")
	testutil.WaitFor(t, patience, func() error {
		if n := rec.count(); n < 3 {
			return fmt.Errorf("schedule created after the wipe fired %d times, want 3; scheduler: %+v", n, c.Scheduler().Schedules)
		}
		return nil
	})
	// Once per tick: over a measured window, at most one fire per second
	// boundary crossed (plus one in flight).
	n0, t0 := rec.count(), time.Now()
	time.Sleep(3 * time.Second)
	n1, secs := rec.count(), time.Since(t0).Seconds()
	if got, most := n1-n0, int(secs)+2; got > most || got < 1 {
		t.Fatalf("%d fires in %.1f s, want between 1 and %d (once per tick)", got, secs, most)
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
		for _, en := range c.Scheduler().Schedules {
			if en.ID == "after" {
				return false
			}
		}
		return true
	}))
	n := rec.count()
	time.Sleep(2500 * time.Millisecond)
	if rec.count() > n+1 { // one tick may have been in flight
		t.Fatalf("deleted schedule still fires: %d -> %d", n, rec.count())
	}
}

// Issue 16 item 5 (gap): a delayed rollout wave stored after NATS came back
// empty fires when due, once.
func TestDelayedWaveAfterNATSCameBackEmpty(t *testing.T) {
	w := newWipeableNATS(t)
	c := startConsole(t, w.url(), t.TempDir())
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	// A delayed wave fired before the wipe: the waves bucket handle is
	// cached and its watch follows the bucket that is about to vanish.
	nc0, js0 := client(t, w.url())
	before := record(t, nc0, js0)
	if _, err := c.Exec(context.Background(), "inventory-hw", plan(t, `{"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"1s"}]}}`), execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("delayed wave before the wipe fired", func() bool { return before.count() == 2 }))

	w.wipe(c)
	nc, js := client(t, w.url())
	putJobEventually(t, c, manifestJSON)
	rec := record(t, nc, js)
	testutil.WaitFor(t, patience, testutil.Cond("leader again", func() bool { return c.lease.IsLeader() }))
	start := time.Now()
	resp, err := c.Exec(context.Background(), "inventory-hw", plan(t, `{"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"2s"}]}}`), execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("wave 0", func() bool { return rec.count() >= 1 }))
	testutil.WaitFor(t, patience, func() error {
		if n := rec.count(); n < 2 {
			return fmt.Errorf("the delayed wave stored after the wipe has not fired: %d commands, pending %+v", n, c.Scheduler().PendingWaves)
		}
		return nil
	})
	if elapsed := time.Since(start); elapsed < 2*time.Second {
		t.Fatalf("wave 1 fired after %v, before its 2 s delay", elapsed)
	}
	m := rec.all()[1]
	if m.subject != "commands.group.wave1" || m.cmd.ExecID == nil || *m.cmd.ExecID != resp.ExecID {
		t.Fatalf("wave 1 = %s %s", m.subject, m.raw)
	}
	time.Sleep(500 * time.Millisecond)
	if rec.count() != 2 || len(c.Scheduler().PendingWaves) != 0 {
		t.Fatalf("wave fired twice or still pending: %d, %v", rec.count(), c.Scheduler().PendingWaves)
	}
}
