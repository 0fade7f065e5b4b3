package console

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/internal/testutil"
	"github.com/kanade-console/kanade-console/backend/wire"
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
	c := startConsole(t, ns.ClientURL(), t.TempDir())
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	putSchedule(t, c, "id: every-second\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\nstarting_deadline: 30s\n")
	putSchedule(t, c, "id: other\ncron: \"0 0 0 1 1 *\"\njob_id: inventory-hw\ntarget: { all: true }\n")
	testutil.WaitFor(t, patience, testutil.Cond("3 fires", func() bool { return rec.count() >= 3 }))
	m := rec.all()[0]
	if m.subject != "commands.all" || m.cmd.DeadlineAt == nil || m.cmd.DeadlineAt.Before(time.Now()) {
		t.Fatalf("fired command = %s %s", m.subject, m.raw)
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
	testutil.WaitFor(t, patience, testutil.Cond("cron change applied", func() bool {
		for _, en := range c.Scheduler().Schedules {
			if en.ID == "every-second" && en.Next != nil && en.Next.After(time.Now().Add(time.Hour)) {
				return true
			}
		}
		return false
	}))
	n := rec.count()
	time.Sleep(2500 * time.Millisecond)
	if rec.count() > n+1 { // one tick may have been in flight
		t.Fatalf("still firing every second after the cron change: %d -> %d", n, rec.count())
	}
	// Back to every second, then delete: it stops.
	kv.Put(context.Background(), "every-second", e.Value())
	testutil.WaitFor(t, patience, testutil.Cond("firing again", func() bool { return rec.count() >= n+2 }))
	if err := c.DeleteSchedule(context.Background(), "every-second", execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("unregistered", func() bool {
		for _, en := range c.Scheduler().Schedules {
			if en.ID == "every-second" {
				return false
			}
		}
		return true
	}))
	n = rec.count()
	time.Sleep(2500 * time.Millisecond)
	if rec.count() > n+1 {
		t.Fatalf("deleted schedule still fires: %d -> %d", n, rec.count())
	}
	if st := c.Scheduler().Schedules; len(st) != 1 || st[0].ID != "other" || !st[0].Registered {
		t.Fatalf("other schedule disturbed: %+v", st)
	}
}

// once_per_pc fires only at PCs without a success inside the cooldown, with
// group targets read from both agent_groups value forms.
func TestOncePerPC(t *testing.T) {
	ns := natsServer(t)
	c := startConsole(t, ns.ClientURL(), t.TempDir())
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
	testutil.WaitFor(t, patience, testutil.Cond("a fire", func() bool { return rec.count() >= 1 }))
	c.DeleteSchedule(context.Background(), "per-pc", execution.Operator)
	var subjects []string
	for _, m := range rec.all() {
		subjects = append(subjects, m.subject)
	}
	if subjects[0] != "commands.pc.PC-2" || subjects[1] != "commands.pc.PC-3" {
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
	c := startConsole(t, ns.ClientURL(), t.TempDir())
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

// Two consoles on one NATS: every tick fires once in total, and when the
// leader stops the other takes over within the lease TTL without firing a
// tick twice.
func TestTwoConsolesFireEachTickOnce(t *testing.T) {
	ns := natsServer(t)
	a := startConsole(t, ns.ClientURL(), t.TempDir())
	b := startConsole(t, ns.ClientURL(), t.TempDir())
	nc, js := client(t, ns.ClientURL())
	putJob(t, a, manifestJSON)
	var mu sync.Mutex
	var arrivals []time.Time
	var total int
	sub, _ := nc.Subscribe("commands.all", func(m *nats.Msg) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		total++
		mu.Unlock()
	})
	defer sub.Unsubscribe()
	_ = js
	testutil.WaitFor(t, patience, testutil.Cond("a leader", func() bool { return a.lease.IsLeader() != b.lease.IsLeader() }))
	putSchedule(t, a, "id: tick\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\n")
	testutil.WaitFor(t, patience, testutil.Cond("both registered", func() bool {
		return len(a.Scheduler().Schedules) == 1 && len(b.Scheduler().Schedules) == 1
	}))
	mu.Lock()
	total = 0
	mu.Unlock()
	time.Sleep(10 * time.Second)
	mu.Lock()
	// 10 ticks; a slow machine may skip one at either end, a double fire
	// would make about 20.
	if total < 8 || total > 12 {
		t.Errorf("%d fires in 10 s with two consoles, want 10", total)
	}
	mu.Unlock()
	leader, follower := a, b
	if b.lease.IsLeader() {
		leader, follower = b, a
	}
	leader.Stop(context.Background())
	stoppedAt := time.Now()
	testutil.WaitFor(t, patience, testutil.Cond("hand-over", func() bool { return follower.lease.IsLeader() }))
	if took := time.Since(stoppedAt); took > LeaseTTL {
		t.Fatalf("hand-over took %v, more than the lease TTL %v", took, LeaseTTL)
	}
	time.Sleep(10 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	if total < 15 || total > 22 {
		t.Fatalf("%d fires over ~20 s of ticks, want about 20 (not 40)", total)
	}
	// One tick fired by both consoles arrives twice within milliseconds;
	// two real ticks are a second apart (less only if one was very late).
	for i := 1; i < len(arrivals); i++ {
		if gap := arrivals[i].Sub(arrivals[i-1]); gap < 100*time.Millisecond {
			t.Fatalf("two fires %v apart at %v: one tick fired twice", gap, arrivals[i].Format(time.RFC3339Nano))
		}
	}
}
