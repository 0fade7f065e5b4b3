package console

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func putSchedule(t *testing.T, c *Console, raw string) {
	t.Helper()
	sch, err := wire.ParseScheduleYAML([]byte(raw))
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	if _, err := c.UpsertSchedule(context.Background(), sch, execution.Operator); err != nil {
		t.Fatalf("upsert schedule: %v", err)
	}
}

func countExecs(t *testing.T, c *Console, jobID string) int {
	t.Helper()
	var n int
	c.Store().Reader().QueryRow("SELECT count(*) FROM executions WHERE job_id = ?", jobID).Scan(&n)
	return n
}

func TestScheduleFiresEverySecondAndFollowsTheBucket(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", c.lease.IsLeader))
	putSchedule(t, c, "id: every-second\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\nstarting_deadline: 30s\n")
	putSchedule(t, c, "id: other\ncron: \"0 0 0 1 1 *\"\njob_id: inventory-hw\ntarget: { all: true }\n")
	registered(t, c, "every-second")
	registered(t, c, "other")
	for i := 1; i <= 3; i++ {
		ft.tick(c, "every-second")
		rec.waitCount(t, i)
	}
	m := rec.all()[0]
	if m.subject != "commands.all" || m.cmd.DeadlineAt == nil {
		t.Fatalf("fired command = %s %s", m.subject, m.raw)
	}
	// The deadline is the tick's time (on the console's clock) plus 30 s.
	if fired := ft.Now().Add(-2 * time.Second); !m.cmd.DeadlineAt.Equal(fired.Add(30 * time.Second)) {
		t.Fatalf("deadline_at = %v, want the first tick %v + 30 s", m.cmd.DeadlineAt, fired)
	}
	var actor string
	c.Store().Reader().QueryRow("SELECT initiated_by FROM executions LIMIT 1").Scan(&actor)
	if actor != "scheduler" {
		t.Fatalf("initiated_by = %q", actor)
	}

	// A cron change in KV takes effect without a restart (and leaves the
	// other schedule alone).
	kv, _ := js.KeyValue(context.Background(), wire.BucketSchedules)
	e, _ := kv.Get(context.Background(), "every-second")
	kv.Put(context.Background(), "every-second", []byte(strings.Replace(string(e.Value()), `"*/1 * * * * *"`, `"0 0 0 1 1 *"`, 1)))
	testutil.WaitFor(t, patience, func() error {
		en, ok := entry(c, "every-second")
		if !ok || en.Next == nil || !en.Next.After(ft.Now().Add(time.Hour)) {
			return fmt.Errorf("cron change not applied: %+v", en)
		}
		return nil
	})
	for range 3 {
		ft.step(time.Second)
	}
	ft.armed() // the last step has been handled
	if n := rec.count(); n != 3 {
		t.Fatalf("still firing after the cron change: %d commands, want 3", n)
	}
	// Back to every second, then delete: it stops.
	kv.Put(context.Background(), "every-second", e.Value())
	testutil.WaitFor(t, patience, func() error {
		if en, _ := entry(c, "every-second"); en.Next == nil || en.Next.After(ft.Now().Add(time.Second)) {
			return fmt.Errorf("every second not back: %+v", en)
		}
		return nil
	})
	ft.tick(c, "every-second")
	ft.tick(c, "every-second")
	rec.waitCount(t, 5)
	if err := c.DeleteSchedule(context.Background(), "every-second", execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("unregistered", func() bool {
		_, ok := entry(c, "every-second")
		return !ok
	}))
	for range 3 {
		ft.step(time.Second)
	}
	ft.armed()
	if n := rec.count(); n != 5 {
		t.Fatalf("deleted schedule still fires: %d commands, want 5", n)
	}
	if st := c.Scheduler().Schedules; len(st) != 1 || st[0].ID != "other" || !st[0].Registered {
		t.Fatalf("other schedule disturbed: %+v", st)
	}
}

// once_per_pc fires only at PCs without a success inside the cooldown, with
// group targets read from both agent_groups value forms.
func TestOncePerPC(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	heartbeat(t, c, nc, "PC-1", "PC-2", "PC-3")
	setGroups(t, js, "PC-1", `{"groups":["canary"]}`)
	setGroups(t, js, "PC-2", `["canary"]`)
	setGroups(t, js, "PC-3", `{"groups":["canary"]}`)
	testutil.WaitFor(t, patience, testutil.Cond("groups", func() bool { return len(c.groups.Members("canary")) == 3 }))
	// PC-1 succeeded recently, PC-2 long ago (outside the 1h cooldown).
	publishResult(t, js, "PC-1", 0, time.Now().Add(-time.Minute))
	publishResult(t, js, "PC-2", 0, time.Now().Add(-3*time.Hour))
	publishResult(t, js, "PC-3", 1, time.Now().Add(-time.Minute)) // a failure does not count
	testutil.WaitFor(t, patience, testutil.Cond("results projected", func() bool {
		var n int
		c.Store().Reader().QueryRow("SELECT count(*) FROM execution_results").Scan(&n)
		return n == 3
	}))
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	putSchedule(t, c, "id: per-pc\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { groups: [canary] }\nrollout: { waves: [ { group: canary, delay: 0s } ] }\nmode: once_per_pc\ncooldown: 1h\n")
	registered(t, c, "per-pc")
	ft.tick(c, "per-pc")
	rec.waitCount(t, 2)
	c.DeleteSchedule(context.Background(), "per-pc", execution.Operator)
	var subjects []string
	for _, m := range rec.all() {
		subjects = append(subjects, m.subject)
	}
	slices.Sort(subjects)
	if len(subjects) != 2 || subjects[0] != "commands.pc.PC-2" || subjects[1] != "commands.pc.PC-3" {
		t.Fatalf("once_per_pc published to %v, want PC-2 and PC-3 only (rollout dropped)", subjects)
	}
	for _, s := range subjects {
		if s == "commands.pc.PC-1" || strings.HasPrefix(s, "commands.group.") {
			t.Fatalf("once_per_pc published to %s", s)
		}
	}
}

func TestAutoDisableWhenDone(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	heartbeat(t, c, nc, "PC-1")
	publishResult(t, js, "PC-1", 0, time.Now())
	testutil.WaitFor(t, patience, testutil.Cond("result", func() bool {
		var n int
		c.Store().Reader().QueryRow("SELECT count(*) FROM execution_results").Scan(&n)
		return n == 1
	}))
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	putSchedule(t, c, "id: once\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { pcs: [PC-1] }\nmode: once_per_target\nauto_disable_when_done: true\n")
	registered(t, c, "once")
	ft.step(time.Second) // the tick re-registers the schedule as disabled: no fire to wait for
	testutil.WaitFor(t, patience, testutil.Cond("disabled", func() bool {
		list, _ := c.ListSchedules(context.Background())
		return len(list) == 1 && !list[0].Schedule.Enabled
	}))
	if rec.count() != 0 {
		t.Fatalf("a done once_per_target schedule fired %d commands", rec.count())
	}
	testutil.WaitFor(t, patience, testutil.Cond("schedule_completed audit", func() bool {
		var payload string
		c.Store().Reader().QueryRow("SELECT payload FROM audit_log WHERE action = 'schedule_completed'").Scan(&payload)
		return payload == `{"job_id":"inventory-hw","mode":"OncePerTarget"}`
	}))
}

// publishResult is an agent reporting a run of inventory-hw.
func publishResult(t *testing.T, js jetstream.JetStream, pc string, exit int32, finished time.Time) {
	t.Helper()
	job := "inventory-hw"
	data, _ := wire.Marshal(wire.ExecResult{ResultID: uuid.NewString(), RequestID: uuid.NewString(), PCID: pc, ExitCode: exit, StartedAt: finished, FinishedAt: finished, ManifestID: &job})
	if _, err := js.Publish(context.Background(), "results.x", data); err != nil {
		t.Fatal(err)
	}
}

// Two consoles on one NATS (one clock): every tick fires once in total, and
// when the leader stops the other takes over without firing a tick twice.
// (How soon it takes over is the lease's test, on its own clock.)
func TestTwoConsolesFireEachTickOnce(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	a := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	b := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	nc, js := client(t, ns.ClientURL())
	putJob(t, a, manifestJSON)
	var mu sync.Mutex
	total := 0
	sub, _ := nc.Subscribe("commands.all", func(m *nats.Msg) {
		mu.Lock()
		total++
		mu.Unlock()
	})
	defer sub.Unsubscribe()
	nc.Flush()
	_ = js
	fires := func() int {
		mu.Lock()
		defer mu.Unlock()
		return total
	}
	testutil.WaitFor(t, patience, testutil.Cond("one leader", func() bool { return a.lease.IsLeader() != b.lease.IsLeader() }))
	putSchedule(t, a, "id: tick\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\n")
	registered(t, a, "tick")
	registered(t, b, "tick")
	leader, follower := a, b
	if b.lease.IsLeader() {
		leader, follower = b, a
	}
	waitFires := func(want int) {
		t.Helper()
		testutil.WaitFor(t, patience, func() error {
			if n := fires(); n < want {
				return fmt.Errorf("%d fires, want %d", n, want)
			}
			return nil
		})
	}
	for i := 1; i <= 10; i++ {
		ft.tick(leader, "tick")
		waitFires(i)
	}
	leader.Stop(context.Background())
	ft.consoles--
	testutil.WaitFor(t, patience, testutil.Cond("hand-over", follower.lease.IsLeader))
	for i := 11; i <= 20; i++ {
		ft.tick(follower, "tick")
		waitFires(i)
	}
	ft.armed()
	// Both consoles' runners fired every tick; the lease and the tick
	// claims let one publish. A tick fired twice would make more than 20.
	if n := fires(); n != 20 {
		t.Fatalf("%d fires for 20 ticks with two consoles", n)
	}
}
