package console

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/scheduler"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func kvPut(t *testing.T, js jetstream.JetStream, bucket, key, value string) {
	t.Helper()
	kv, err := js.KeyValue(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(context.Background(), key, []byte(value)); err != nil {
		t.Fatal(err)
	}
}

func kvValue(t *testing.T, js jetstream.JetStream, bucket, key string) string {
	t.Helper()
	kv, err := js.KeyValue(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	e, err := kv.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("%s/%s: %v", bucket, key, err)
	}
	return string(e.Value())
}

func entry(c *Console, id string) (scheduler.EntryStatus, bool) {
	for _, en := range c.Scheduler().Schedules {
		if en.ID == id {
			return en, true
		}
	}
	return scheduler.EntryStatus{}, false
}

func listed(t *testing.T, c *Console, id string) (scheduler.Listed, map[string]any) {
	t.Helper()
	all, err := c.ListSchedules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if l.Key == id {
			b, err := json.Marshal(l)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			return l, m
		}
	}
	t.Fatalf("schedule %s not listed", id)
	return scheduler.Listed{}, nil
}

// Issue 16 item 1: `nats kv put schedules x '{"cron":"TZ=UTC",...}'` made the
// console panic inside robfig/cron and exit, on every restart. Now each such
// value is a listed, unsupported schedule and the console keeps running,
// also across a restart.
func TestScheduleKVValueThatPanickedTheParserIsListedUnsupported(t *testing.T) {
	ns := natsServer(t)
	dir := t.TempDir()
	c := startConsole(t, ns.ClientURL(), dir)
	_, js := client(t, ns.ClientURL())
	putJob(t, c, manifestJSON)
	bad := map[string]string{"x": "TZ=UTC", "y": "TZ=", "z": "CRON_TZ=Europe/Berlin", "every0": "@every 0s", "everyneg": "@every -5s"}
	for id, expr := range bad {
		kvPut(t, js, wire.BucketSchedules, id, fmt.Sprintf(`{"id":%q,"cron":%q,"job_id":"inventory-hw","target":{"all":true}}`, id, expr))
	}
	kvPut(t, js, wire.BucketSchedules, "good", `{"id":"good","cron":"0 0 3 * * *","job_id":"inventory-hw","target":{"all":true}}`)
	check := func(c *Console) {
		t.Helper()
		testutil.WaitFor(t, patience, testutil.Cond("all schedules seen", func() bool { return len(c.Scheduler().Schedules) == len(bad)+1 }))
		for id := range bad {
			en, _ := entry(c, id)
			if en.Supported || en.Registered || en.Reason == "" {
				t.Errorf("%s: status %+v, want unsupported with a reason", id, en)
			}
			l, m := listed(t, c, id)
			if l.Supported || m["supported"] != false || m["reason"] == "" || m["cron"] != bad[id] {
				t.Errorf("%s: listed as %v", id, m)
			}
		}
		if en, _ := entry(c, "good"); !en.Registered || !en.Supported || en.Next == nil {
			t.Errorf("the good schedule is disturbed: %+v", en)
		}
		if r := c.Readiness(context.Background()); !r.Ready {
			t.Errorf("not ready: %+v", r)
		}
	}
	check(c)
	c.Stop(context.Background())
	check(startConsole(t, ns.ClientURL(), dir)) // no crash loop
}

// Issue 11 item 2: a once_per_target schedule whose target resolves to no
// PC skips the tick (0.29's policy), says so in the status, publishes nothing.
func TestOncePerTargetOnAnEmptyGroupSkipsEveryTick(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	heartbeat(t, c, nc, "PC-1") // alive, but in no group
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	putSchedule(t, c, "id: empty\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { groups: [nobody] }\nmode: once_per_target\n")
	registered(t, c, "empty")
	for range 5 {
		ft.tick(c, "empty")
	}
	en, _ := entry(c, "empty")
	if en.SkippedTicks != 5 {
		t.Fatalf("%d skipped ticks of 5", en.SkippedTicks)
	}
	if en.LastSkipped != scheduler.SkipEmptyTarget || en.LastSkippedAt == nil || en.LastExecID != "" {
		t.Fatalf("status = %+v", en)
	}
	if n := rec.count(); n != 0 {
		t.Fatalf("%d commands published for an empty target", n)
	}
	if _, m := listed(t, c, "empty"); m["last_skipped"] != scheduler.SkipEmptyTarget {
		t.Fatalf("listed %v", m)
	}
	if n := countExecs(t, c, "inventory-hw"); n != 0 {
		t.Fatalf("%d executions recorded for an empty target", n)
	}
}

// Issue 11 item 2: a 7-field cron is stored, listed, previewed and fires only
// in its year (this year's schedule fires, next year's never does).
func TestSevenFieldCronFiresOnlyInItsYear(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	_, js := client(t, ns.ClientURL())
	putJob(t, c, manifestJSON)
	putJob(t, c, strings.Replace(manifestJSON, `"inventory-hw"`, `"next-year"`, 1))
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	year := ft.Now().UTC().Year()
	putSchedule(t, c, fmt.Sprintf("id: this-year\ncron: \"* * * * * * %d\"\njob_id: inventory-hw\ntarget: { all: true }\n", year))
	putSchedule(t, c, fmt.Sprintf("id: next-year\ncron: \"* * * * * * %d\"\njob_id: next-year\ntarget: { all: true }\n", year+1))
	putSchedule(t, c, "id: y2099\ncron: \"0 0 3 1 1 * 2099\"\njob_id: inventory-hw\ntarget: { all: true }\n")

	if v := kvValue(t, js, wire.BucketSchedules, "y2099"); !strings.Contains(v, `"cron":"0 0 3 1 1 * 2099"`) {
		t.Fatalf("stored %s", v)
	}
	want := time.Date(2099, 1, 1, 3, 0, 0, 0, time.UTC)
	if l, m := listed(t, c, "y2099"); l.NextFire == nil || !l.NextFire.Equal(want) || m["next_fire"] != "2099-01-01T03:00:00Z" {
		t.Fatalf("listed %v", m)
	}
	if next, err := c.CronNext("0 0 3 1 1 * 2099", new(3)); err != nil || len(next.Next) != 1 || !next.Next[0].Equal(want) {
		t.Fatalf("preview = %v, %v", next, err)
	}
	if en, _ := entry(c, "next-year"); en.Next == nil || en.Next.Year() != year+1 {
		t.Fatalf("next-year status %+v", en)
	}
	registered(t, c, "this-year")
	ft.tick(c, "this-year")
	ft.tick(c, "this-year")
	if n := countExecs(t, c, "inventory-hw"); n != 2 {
		t.Fatalf("this year's schedule fired %d times in 2 ticks", n)
	}
	if n := countExecs(t, c, "next-year"); n != 0 {
		t.Fatalf("next year's schedule fired %d times this year", n)
	}
}

// Issue 11 item 3: a job and a schedule a newer kanade wrote with extra
// top-level keys are listed, executable, and keep the keys through this
// console's re-saves and its own writes (disable).
func TestNewerKanadeKeysSurviveListExecAndResave(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	newerJob := strings.TrimSuffix(manifestJSON, "}") + `,"tags":["hw"],"origin":{"git":"ops/jobs"}}`
	kvPut(t, js, wire.BucketJobs, "inventory-hw", newerJob)
	kvPut(t, js, wire.BucketSchedules, "tick", `{"id":"tick","cron":"*/1 * * * * *","job_id":"inventory-hw","target":{"all":true},"tz":"utc","constraints":{"max_concurrent":2}}`)

	jobs, err := c.ListJobs(context.Background())
	if err != nil || len(jobs) != 1 || !jobs[0].Supported {
		t.Fatalf("jobs = %+v, %v", jobs, err)
	}
	if b, _ := json.Marshal(jobs[0]); !strings.Contains(string(b), `"tags":["hw"]`) {
		t.Fatalf("listed job lost its keys: %s", b)
	}
	if _, err := c.Exec(context.Background(), "inventory-hw", wire.FanoutPlan{Target: wire.Target{All: true}}, execution.Operator); err != nil {
		t.Fatalf("exec of a job with a newer key: %v", err)
	}
	registered(t, c, "tick")
	ft.tick(c, "tick")
	ft.tick(c, "tick")
	rec.waitCount(t, 3) // the exec and two ticks
	if _, m := listed(t, c, "tick"); m["tz"] != "utc" || m["supported"] != nil {
		t.Fatalf("listed schedule %v", m)
	}

	// Re-saves as the 0.29 CLI sends them: without the newer keys.
	putJob(t, c, manifestJSON)
	putSchedule(t, c, "id: tick\ncron: \"0 0 3 * * *\"\njob_id: inventory-hw\ntarget: { all: true }\n")
	if v := kvValue(t, js, wire.BucketJobs, "inventory-hw"); !strings.Contains(v, `"tags":["hw"]`) || !strings.Contains(v, `"origin":{"git":"ops/jobs"}`) {
		t.Fatalf("job re-save stripped the newer keys: %s", v)
	}
	v := kvValue(t, js, wire.BucketSchedules, "tick")
	if !strings.Contains(v, `"tz":"utc"`) || !strings.Contains(v, `"constraints":{"max_concurrent":2}`) || !strings.Contains(v, `"cron":"0 0 3 * * *"`) {
		t.Fatalf("schedule re-save stripped the newer keys: %s", v)
	}
	// A key that no stored job has is still refused (0.29 agents reject it).
	var m wire.Manifest
	json.Unmarshal([]byte(strings.TrimSuffix(manifestJSON, "}")+`,"owner":"x"}`), &m)
	if _, err := c.UpsertJob(context.Background(), m, execution.Operator); execution.KindOf(err) != execution.KindUnprocessable || !strings.Contains(err.Error(), "owner") {
		t.Fatalf("new unknown job key: %v", err)
	}
	// The console's own write keeps them too.
	if err := c.DisableSchedule(context.Background(), "tick", false, execution.Operator); err != nil {
		t.Fatal(err)
	}
	v = kvValue(t, js, wire.BucketSchedules, "tick")
	if !strings.Contains(v, `"tz":"utc"`) || !strings.Contains(v, `"enabled":false`) {
		t.Fatalf("disable stripped the newer keys: %s", v)
	}
}

// Issue 11 item 3 / issue 16 item 8: a `when:` schedule (a newer kanade's
// form) and garbage values are listed as unsupported with a reason, never
// fired, never dropped; an unreadable job is listed and refused with a 409.
func TestUnsupportedSchedulesAreListedAndNeverFire(t *testing.T) {
	ns := natsServer(t)
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), t.TempDir(), ft)
	_, js := client(t, ns.ClientURL())
	putJob(t, c, manifestJSON)
	putJob(t, c, strings.Replace(manifestJSON, `"inventory-hw"`, `"never"`, 1))
	testutil.WaitFor(t, patience, testutil.Cond("leader", func() bool { return c.lease.IsLeader() }))
	kvPut(t, js, wire.BucketSchedules, "when", `{"id":"when","when":{"per_pc":"once"},"job_id":"never","target":{"all":true},"enabled":true}`)
	kvPut(t, js, wire.BucketSchedules, "both", `{"id":"both","cron":"*/1 * * * * *","when":{"calendar":{"at":"09:00"}},"job_id":"never","target":{"all":true}}`)
	kvPut(t, js, wire.BucketSchedules, "junk", "\x00not json")
	kvPut(t, js, wire.BucketSchedules, "typed", `{"id":"typed","cron":5,"job_id":"never"}`)
	kvPut(t, js, wire.BucketJobs, "broken", `{"id":"broken","version":5}`)
	kvPut(t, js, wire.BucketJobs, "garbage", "<html>")
	putSchedule(t, c, "id: control\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\n")

	registered(t, c, "control")
	for range 3 {
		ft.tick(c, "control")
	}
	if n := countExecs(t, c, "inventory-hw"); n != 3 {
		t.Fatalf("the control schedule fired %d times in 3 ticks", n)
	}
	if n := countExecs(t, c, "never"); n != 0 {
		t.Fatalf("an unsupported schedule fired %d times", n)
	}
	for id, reason := range map[string]string{"when": "`when:`", "both": "`when:`", "junk": "unreadable", "typed": "unreadable"} {
		l, m := listed(t, c, id)
		if l.Supported || m["supported"] != false || !strings.Contains(fmt.Sprint(m["reason"]), reason) || m["id"] != id {
			t.Errorf("%s listed as %v", id, m)
		}
		if en, ok := entry(c, id); !ok || en.Supported || en.Registered {
			t.Errorf("%s status %+v", id, en)
		}
	}
	if _, m := listed(t, c, "when"); m["when"] == nil || m["job_id"] != "never" {
		t.Errorf("the when schedule is not listed as stored: %v", m)
	}
	// The job a when-schedule runs is still protected from deletion.
	if err := c.DeleteJob(context.Background(), "never", execution.Operator); execution.KindOf(err) != execution.KindConflict {
		t.Errorf("delete of a job a when-schedule references: %v", err)
	}
	// Disabling works on what the console cannot run, and keeps its form.
	if err := c.DisableSchedule(context.Background(), "when", false, execution.Operator); err != nil {
		t.Fatal(err)
	}
	if v := kvValue(t, js, wire.BucketSchedules, "when"); !strings.Contains(v, `"when":{"per_pc":"once"}`) || !strings.Contains(v, `"enabled":false`) {
		t.Fatalf("disable changed the when schedule: %s", v)
	}
	// Re-saving it in 0.29's form is refused rather than silently mixed.
	var sch wire.Schedule
	json.Unmarshal([]byte(`{"id":"when","cron":"0 0 3 * * *","job_id":"never","target":{"all":true}}`), &sch)
	if _, err := c.UpsertSchedule(context.Background(), sch, execution.Operator); execution.KindOf(err) != execution.KindInvalid || !strings.Contains(err.Error(), "when") {
		t.Errorf("re-save over a when schedule: %v", err)
	}

	jobs, err := c.ListJobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, j := range jobs {
		b, _ := json.Marshal(j)
		got[j.Key] = string(b)
	}
	for _, id := range []string{"broken", "garbage"} {
		if !strings.Contains(got[id], `"supported":false`) || !strings.Contains(got[id], `"reason":"unreadable job`) || !strings.Contains(got[id], `"id":"`+id+`"`) {
			t.Errorf("job %s listed as %s", id, got[id])
		}
	}
	if _, err := c.Exec(context.Background(), "broken", wire.FanoutPlan{Target: wire.Target{All: true}}, execution.Operator); execution.KindOf(err) != execution.KindConflict {
		t.Errorf("exec of an unreadable job: %v", err)
	}
}
