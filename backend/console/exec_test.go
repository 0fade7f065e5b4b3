package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func plan(t *testing.T, raw string) wire.FanoutPlan {
	t.Helper()
	var p wire.FanoutPlan
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatalf("plan %s: %v", raw, err)
	}
	return p
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestExecFanOut(t *testing.T) {
	ns := natsServer(t)
	c := startConsole(t, ns.ClientURL(), t.TempDir())
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	heartbeat(t, c, nc, "PC-A", "PC-B", "PC-C")
	setGroups(t, js, "PC-A", `{"groups":["canary"]}`)
	setGroups(t, js, "PC-B", `["canary","wave1"]`)      // bare array: older writers
	setGroups(t, js, "PC-OFF", `{"groups":["canary"]}`) // never heartbeats
	testutil.WaitFor(t, patience, testutil.Cond("groups mirrored", func() bool { return len(c.groups.Members("canary")) == 3 }))
	ctx := context.Background()

	resp, err := c.Exec(ctx, "inventory-hw", plan(t, `{"target":{"groups":["canary","wave1"]},"jitter":"30s"}`), execution.Caller{Actor: "operator", Sub: "static-token", Source: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if !uuidRE.MatchString(resp.ExecID) || resp.JobID != "inventory-hw" || resp.Version != "1.2.0" ||
		strings.Join(resp.Subjects, ",") != "commands.group.canary,commands.group.wave1" {
		t.Fatalf("response = %+v", resp)
	}
	// target_count counts live PCs (PC-A, PC-B), not subjects, not PC-OFF.
	if resp.TargetCount != 2 {
		t.Fatalf("target_count = %d, want 2", resp.TargetCount)
	}
	testutil.WaitFor(t, patience, testutil.Cond("2 commands", func() bool { return rec.count() == 2 }))
	seen := map[string]bool{}
	for _, m := range rec.all() {
		// Protocol §9.2 shape, key for key.
		want := `{"id":"inventory-hw","version":"1.2.0","request_id":"` + m.cmd.RequestID + `","exec_id":"` + resp.ExecID + `","shell":"powershell","script":"Get-CimInstance Win32_OperatingSystem | ConvertTo-Json","timeout_secs":600,"jitter_secs":30,"run_as":"system","staleness":{"mode":"cached"}}`
		if m.raw != want {
			t.Errorf("command on %s =\n%s\nwant\n%s", m.subject, m.raw, want)
		}
		if seen[m.cmd.RequestID] || !uuidRE.MatchString(m.cmd.RequestID) {
			t.Errorf("request_id %q reused or not a UUIDv4", m.cmd.RequestID)
		}
		seen[m.cmd.RequestID] = true
		if m.pin != "1.2.0" {
			t.Errorf("script_current was %q when the command arrived; the pin must come first", m.pin)
		}
	}
	target, _, _, status := execRow(t, c.Store(), resp.ExecID)
	if target != 2 || status != "pending" {
		t.Fatalf("executions row = %d %s", target, status)
	}

	// all + pcs: one subject each; target = alive agents ∪ listed.
	resp, err = c.Exec(ctx, "inventory-hw", plan(t, `{"target":{"all":true,"pcs":["PC-Z"]}}`), execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(resp.Subjects, ",") != "commands.all,commands.pc.PC-Z" || resp.TargetCount != 4 {
		t.Fatalf("all+pcs = %+v", resp)
	}
	testutil.WaitFor(t, patience, testutil.Cond("4 commands", func() bool { return rec.count() == 4 }))
	if m := rec.all()[3]; m.cmd.JitterSecs != nil || !strings.Contains(m.raw, `"jitter_secs":null`) || !strings.Contains(m.raw, `"exec_id":"`+resp.ExecID+`"`) {
		t.Fatalf("command without jitter = %s", m.raw)
	}

	// EXEC keeps the newest Command per subject. Commands are core
	// publishes (as kanade's), which the stream stores after the recorder's
	// subscription may have seen them: wait for the stream, not the wire.
	s, _ := js.Stream(ctx, wire.StreamExec)
	testutil.WaitFor(t, patience, func() error {
		last, err := s.GetLastMsgForSubject(ctx, "commands.all")
		if err != nil {
			return fmt.Errorf("EXEC commands.all: %w", err)
		}
		if !strings.Contains(string(last.Data), resp.ExecID) {
			return fmt.Errorf("EXEC commands.all is %s, want exec %s", last.Data, resp.ExecID)
		}
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.Msgs != 4 {
			return fmt.Errorf("EXEC holds %d messages, want 4 (one per subject)", info.State.Msgs)
		}
		return nil
	})

	// Nobody resolves: fall back to the subject count.
	resp, err = c.Exec(ctx, "inventory-hw", plan(t, `{"target":{"groups":["nobody"]}}`), execution.Operator)
	if err != nil || resp.TargetCount != 1 {
		t.Fatalf("unresolved group = %+v %v", resp, err)
	}

	// The audit event of the first exec, as every console projects it.
	testutil.WaitFor(t, patience, testutil.Cond("audit rows", func() bool {
		var n int
		c.Store().Reader().QueryRow("SELECT count(*) FROM audit_log WHERE action = 'exec'").Scan(&n)
		return n == 3
	}))
	var payload string
	c.Store().Reader().QueryRow("SELECT payload FROM audit_log WHERE action = 'exec' AND actor = 'operator' ORDER BY id LIMIT 1").Scan(&payload)
	var p map[string]any
	json.Unmarshal([]byte(payload), &p)
	if p["target_count"] != 2.0 || p["wave_mode"] != false || p["sub"] != "static-token" || p["source"] != "cli" {
		t.Fatalf("audit payload = %s", payload)
	}
}

func TestExecBadInputPublishesNothing(t *testing.T) {
	ns := natsServer(t)
	c := startConsole(t, ns.ClientURL(), t.TempDir())
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	badTimeout := strings.Replace(strings.Replace(manifestJSON, `"10m"`, `"soon"`, 1), `"inventory-hw"`, `"bad-timeout"`, 1)
	kv, _ := js.KeyValue(context.Background(), wire.BucketJobs)
	kv.Put(context.Background(), "bad-timeout", []byte(badTimeout)) // bypasses UpsertJob's validation
	ctx := context.Background()
	cases := []struct {
		job, plan string
		kind      execution.Kind
		want      string
	}{
		{"no-such-job", `{"target":{"all":true}}`, execution.KindNotFound, "not in the catalog"},
		{"inventory-hw", `{"target":{}}`, execution.KindInvalid, "nothing to run on"},
		{"inventory-hw", `{"target":{"all":true},"jitter":"5 parsecs"}`, execution.KindInvalid, "jitter"},
		{"inventory-hw", `{"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"later"}]}}`, execution.KindInvalid, "delay"},
		{"inventory-hw", `{"target":{"groups":["bad group"]}}`, execution.KindInvalid, "subject token"},
		{"inventory-hw", `{"target":{"pcs":["PC.1"]}}`, execution.KindInvalid, "subject token"},
		{"bad-timeout", `{"target":{"all":true}}`, execution.KindInvalid, "timeout"},
	}
	for _, tc := range cases {
		_, err := c.Exec(ctx, tc.job, plan(t, tc.plan), execution.Operator)
		if err == nil || execution.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("exec %s %s: err = %v (kind %d), want kind %d mentioning %q", tc.job, tc.plan, err, execution.KindOf(err), tc.kind, tc.want)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := rec.count(); n != 0 {
		t.Fatalf("%d commands published for bad input", n)
	}
	var n int
	c.Store().Reader().QueryRow("SELECT count(*) FROM executions").Scan(&n)
	if n != 0 {
		t.Fatalf("%d executions rows for bad input", n)
	}
}

// A wave delayed 5 s still fires when the console restarts 2 s after the exec.
func TestDelayedWaveSurvivesRestart(t *testing.T) {
	ns := natsServer(t)
	data := t.TempDir()
	ft := newFakeTime(t)
	c := startConsoleOn(t, ns.ClientURL(), data, ft)
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	putJob(t, c, manifestJSON)
	testutil.WaitFor(t, patience, testutil.Cond("leader", c.lease.IsLeader))
	resp, err := c.Exec(context.Background(), "inventory-hw", plan(t, `{"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"5s"}]}}`), execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(resp.Subjects, ",") != "commands.group.canary,commands.group.wave1" {
		t.Fatalf("subjects = %v", resp.Subjects)
	}
	rec.waitCount(t, 1)
	waitPendingWaves(t, c, 1)
	ft.step(2 * time.Second)
	ft.armed()
	c.Stop(context.Background())
	ft.consoles--
	if rec.count() != 1 {
		t.Fatal("wave 1 fired 2 s into its 5 s delay")
	}
	c2 := startConsoleOn(t, ns.ClientURL(), data, ft)
	testutil.WaitFor(t, patience, testutil.Cond("c2 leads", c2.lease.IsLeader))
	waitPendingWaves(t, c2, 1)
	ft.step(2 * time.Second)
	ft.armed()
	if rec.count() != 1 {
		t.Fatal("wave 1 fired 4 s into its 5 s delay")
	}
	ft.step(time.Second)
	rec.waitCount(t, 2)
	m := rec.all()[1]
	if m.subject != "commands.group.wave1" || m.cmd.ExecID == nil || *m.cmd.ExecID != resp.ExecID {
		t.Fatalf("wave 1 = %s %s", m.subject, m.raw)
	}
	waitPendingWaves(t, c2, 0)
	ft.step(time.Second)
	ft.armed()
	if n := rec.count(); n != 2 {
		t.Fatalf("wave fired twice: %d commands", n)
	}
}

func TestKillAndRevokeCancelPendingWaves(t *testing.T) {
	ns := natsServer(t)
	c := startConsole(t, ns.ClientURL(), t.TempDir())
	nc, js := client(t, ns.ClientURL())
	rec := record(t, nc, js)
	kills, _ := nc.SubscribeSync("kill.>")
	nc.Flush()
	putJob(t, c, manifestJSON)
	ctx := context.Background()
	waves := plan(t, `{"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"1h"}]}}`)
	first, err := c.Exec(ctx, "inventory-hw", waves, execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := c.Exec(ctx, "inventory-hw", waves, execution.Operator)
	testutil.WaitFor(t, patience, testutil.Cond("two pending waves", func() bool { return len(c.Scheduler().PendingWaves) == 2 }))

	if err := c.KillExec(ctx, first.ExecID, execution.Operator); err != nil {
		t.Fatal(err)
	}
	m, err := kills.NextMsg(5 * time.Second)
	if err != nil || m.Subject != "kill."+first.ExecID || len(m.Data) != 0 {
		t.Fatalf("kill message = %v %v", m, err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("first exec's wave cancelled", func() bool {
		w := c.Scheduler().PendingWaves
		return len(w) == 1 && w[0].ExecID == second.ExecID
	}))

	// Killing the job reaches every pending/running exec of it.
	if err := c.KillJob(ctx, "inventory-hw", execution.Operator); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		m, err := kills.NextMsg(5 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		got[m.Subject] = true
	}
	if !got["kill."+first.ExecID] || !got["kill."+second.ExecID] {
		t.Fatalf("job kill reached %v", got)
	}
	testutil.WaitFor(t, patience, testutil.Cond("no pending waves", func() bool { return len(c.Scheduler().PendingWaves) == 0 }))

	// Revoke: script_status, and pending waves of the job are dropped.
	c.Exec(ctx, "inventory-hw", waves, execution.Operator)
	testutil.WaitFor(t, patience, testutil.Cond("one pending wave", func() bool { return len(c.Scheduler().PendingWaves) == 1 }))
	if err := c.SetScriptStatus(ctx, "inventory-hw", true, execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("revoke cancels waves", func() bool { return len(c.Scheduler().PendingWaves) == 0 }))
	status, _ := c.ScriptStatus(ctx)
	if status["inventory-hw"] != "REVOKED" {
		t.Fatalf("status = %v", status)
	}
	c.SetScriptStatus(ctx, "inventory-hw", false, execution.Operator)
	status, _ = c.ScriptStatus(ctx)
	if status["inventory-hw"] != "ACTIVE" {
		t.Fatalf("status after unrevoke = %v", status)
	}
	if rec.count() != 3 {
		t.Fatalf("commands = %d, want 3 wave-0 publishes only", rec.count())
	}
}

func TestJobDeleteCascades(t *testing.T) {
	ns := natsServer(t)
	c := startConsole(t, ns.ClientURL(), t.TempDir())
	_, js := client(t, ns.ClientURL())
	putJob(t, c, manifestJSON)
	ctx := context.Background()
	sch := wire.Schedule{ID: "hourly", Cron: "0 0 * * * *", JobID: "inventory-hw", FanoutPlan: wire.FanoutPlan{Target: wire.Target{All: true}}, Enabled: true}
	if _, err := c.UpsertSchedule(ctx, sch, execution.Operator); err != nil {
		t.Fatal(err)
	}
	err := c.DeleteJob(ctx, "inventory-hw", execution.Operator)
	if execution.KindOf(err) != execution.KindConflict || !strings.Contains(err.Error(), "hourly") {
		t.Fatalf("delete of a scheduled job: %v", err)
	}
	var inUse *execution.JobInUseError
	if !errors.As(err, &inUse) || inUse.JobID != "inventory-hw" || !slices.Equal(inUse.Schedules, []string{"hourly"}) {
		t.Fatalf("delete of a scheduled job: %#v, want a JobInUseError naming hourly", err)
	}
	if err := c.DisableSchedule(ctx, "hourly", true, execution.Operator); err != nil {
		t.Fatal(err)
	}
	st, _ := js.KeyValue(ctx, wire.BucketScriptStatus)
	if e, err := st.Get(ctx, "inventory-hw"); err != nil || string(e.Value()) != "REVOKED" {
		t.Fatalf("cascade disable did not revoke: %v", err)
	}
	list, _ := c.ListSchedules(ctx)
	if len(list) != 1 || list[0].Schedule.Enabled {
		t.Fatalf("schedules after disable = %+v", list)
	}
	c.DeleteSchedule(ctx, "hourly", execution.Operator)
	st.PutString(ctx, "inventory-hw", "ACTIVE")
	if err := c.DeleteJob(ctx, "inventory-hw", execution.Operator); err != nil {
		t.Fatal(err)
	}
	if e, _ := st.Get(ctx, "inventory-hw"); string(e.Value()) != "REVOKED" {
		t.Fatal("job delete did not write REVOKED")
	}
	jobs, _ := c.ListJobs(ctx)
	if len(jobs) != 0 {
		t.Fatalf("jobs after delete = %v", jobs)
	}
	testutil.WaitFor(t, patience, testutil.Cond("audit of the cascade", func() bool {
		rows, _ := c.Store().Reader().Query("SELECT action FROM audit_log ORDER BY id")
		defer rows.Close()
		var actions []string
		for rows.Next() {
			var a string
			rows.Scan(&a)
			actions = append(actions, a)
		}
		sort.Strings(actions)
		return strings.Join(actions, ",") == "job_delete,job_upsert,schedule_delete,schedule_disable,schedule_upsert,script_revoke"
	}))
}
