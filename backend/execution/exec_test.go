package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func manifest(t *testing.T) wire.Manifest {
	t.Helper()
	var m wire.Manifest
	if err := json.Unmarshal([]byte(manifestJSON), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The fan-out plan: one Command per subject, each with its own request_id
// and the exec's id; waves in order with their delays; every name checked
// as a subject token before anything is planned.
func TestPlanFansOutOneCommandPerSubject(t *testing.T) {
	type step struct {
		subject string
		delay   time.Duration
	}
	cases := []struct {
		name, plan string
		want       []step
		err        string
	}{
		{"all", `{"target":{"all":true}}`, []step{{"commands.all", 0}}, ""},
		{"groups", `{"target":{"groups":["canary","wave1"]}}`, []step{{"commands.group.canary", 0}, {"commands.group.wave1", 0}}, ""},
		{"pcs", `{"target":{"pcs":["PC-1","PC-2"]}}`, []step{{"commands.pc.PC-1", 0}, {"commands.pc.PC-2", 0}}, ""},
		{"all, groups and pcs", `{"target":{"all":true,"groups":["g"],"pcs":["PC-1"]}}`, []step{{"commands.all", 0}, {"commands.group.g", 0}, {"commands.pc.PC-1", 0}}, ""},
		{"waves replace the target", `{"target":{"all":true},"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"5m"},{"group":"wave2","delay":"1h 30m"}]}}`,
			[]step{{"commands.group.canary", 0}, {"commands.group.wave1", 5 * time.Minute}, {"commands.group.wave2", 90 * time.Minute}}, ""},
		{"group with a space", `{"target":{"groups":["bad group"]}}`, nil, "subject token"},
		{"pc with a dot", `{"target":{"pcs":["PC.1"]}}`, nil, "subject token"},
		{"wildcard group", `{"target":{"groups":["*"]}}`, nil, "subject token"},
		{"wave group with >", `{"rollout":{"waves":[{"group":"a>","delay":"0s"}]}}`, nil, "subject token"},
	}
	m := manifest(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			planned, err := (&Service{}).plan(m, "exec-1", plan(t, tc.plan))
			if tc.err != "" {
				if err == nil || KindOf(err) != KindInvalid || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("plan = %v, want an invalid-input error mentioning %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []step
			requestIDs := map[string]bool{}
			for _, p := range planned {
				got = append(got, step{p.subject, p.delay})
				if p.command.ExecID == nil || *p.command.ExecID != "exec-1" || p.command.ID != m.ID || p.command.Version != m.Version {
					t.Errorf("command for %s: %+v", p.subject, p.command)
				}
				requestIDs[p.command.RequestID] = true
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("planned %v, want %v", got, tc.want)
			}
			if len(requestIDs) != len(planned) {
				t.Fatalf("%d distinct request ids for %d commands", len(requestIDs), len(planned))
			}
		})
	}
}

// Target counts are PCs, not subjects: alive agents for all, alive members
// for groups and waves, listed PCs as given.
func TestResolveTargetsCountsAlivePCs(t *testing.T) {
	e := newEnv(t)
	e.heartbeat(time.Minute, "PC-1", "PC-2", "PC-3")
	e.heartbeat(AliveWindow+time.Second, "PC-OLD")
	e.groups.set("canary", "PC-1", "PC-OLD", "PC-GONE")
	e.groups.set("wave1", "PC-2", "PC-1")
	cases := []struct {
		plan string
		want []string
	}{
		{`{"target":{"all":true}}`, []string{"PC-1", "PC-2", "PC-3"}},
		{`{"target":{"groups":["canary"]}}`, []string{"PC-1"}},
		{`{"target":{"pcs":["PC-9","PC-OLD"]}}`, []string{"PC-9", "PC-OLD"}},
		{`{"target":{"groups":["canary"],"pcs":["PC-1","PC-3"]}}`, []string{"PC-1", "PC-3"}},
		{`{"target":{"groups":["nobody"]}}`, []string{}},
		{`{"target":{"all":true},"rollout":{"waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"1m"}]}}`, []string{"PC-1", "PC-2"}},
	}
	for _, tc := range cases {
		got, err := e.svc.ResolveTargets(context.Background(), plan(t, tc.plan))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ResolveTargets(%s) = %v, want %v", tc.plan, got, tc.want)
		}
	}
}

// An exec pins the version before the first Command (agents drop one whose
// version differs from script_current), records the execution on EVENTS
// and locally, publishes one Command per subject and audits it.
func TestExecPinsRecordsPublishesAndAudits(t *testing.T) {
	e := newEnv(t)
	e.heartbeat(time.Minute, "PC-1", "PC-2")
	e.groups.set("canary", "PC-1")
	m := e.putJob(manifestJSON)
	resp, err := e.svc.Exec(context.Background(), m.ID, plan(t, `{"target":{"groups":["canary"],"pcs":["PC-2"]}}`), Caller{Actor: "operator", Sub: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.JobID != m.ID || resp.Version != "1.2.0" || resp.TargetCount != 2 || !slices.Equal(resp.Subjects, []string{"commands.group.canary", "commands.pc.PC-2"}) {
		t.Fatalf("exec response %+v", resp)
	}
	msgs := e.agent.wait(t, 2)
	for _, s := range msgs {
		if s.pin != "1.2.0" {
			t.Errorf("%s arrived with script_current = %q: the pin must come first", s.subject, s.pin)
		}
		if s.cmd.ExecID == nil || *s.cmd.ExecID != resp.ExecID {
			t.Errorf("%s carries exec id %v", s.subject, s.cmd.ExecID)
		}
	}
	var status, actor string
	var target int
	if err := e.st.Reader().QueryRow("SELECT status, initiated_by, target_count FROM executions WHERE exec_id = ?", resp.ExecID).Scan(&status, &actor, &target); err != nil {
		t.Fatalf("executions row: %v", err)
	}
	if status != "pending" || actor != "operator" || target != 2 {
		t.Fatalf("executions row: %s %s %d", status, actor, target)
	}
	ev, err := e.js.Stream(context.Background(), wire.StreamEvents)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := ev.GetLastMsgForSubject(context.Background(), wire.SubjectExecutionRecord(resp.ExecID)); err != nil || !strings.Contains(string(msg.Data), `"initiated_by":"operator"`) {
		t.Fatalf("execution record on EVENTS: %v %v", msg, err)
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"job_upsert", "exec"}) {
		t.Fatalf("audit actions %v", got)
	}
}

// With nobody alive the count falls back to the number of subjects, so the
// row can still complete (0.29's count).
func TestExecWithNoKnownAgentCountsSubjects(t *testing.T) {
	e := newEnv(t)
	m := e.putJob(manifestJSON)
	resp, err := e.svc.Exec(context.Background(), m.ID, plan(t, `{"target":{"groups":["a","b"]}}`), Operator)
	if err != nil {
		t.Fatal(err)
	}
	if resp.TargetCount != 2 {
		t.Fatalf("target count %d, want the 2 subjects", resp.TargetCount)
	}
}

// Bad input is refused with its kind before anything is pinned, recorded
// or published.
func TestExecRefusesBadInputBeforePublishing(t *testing.T) {
	e := newEnv(t)
	e.putJob(manifestJSON)
	// Stored by another writer: UpsertJob refuses it.
	e.kvPut(wire.BucketJobs, "bad-timeout", strings.Replace(strings.Replace(manifestJSON, `"inventory-hw"`, `"bad-timeout"`, 1), `"10m"`, `"ten minutes"`, 1))
	e.kvPut(wire.BucketJobs, "unreadable", `{"id":"unreadable","version":5}`)
	cases := []struct {
		job, plan string
		kind      Kind
		want      string
	}{
		{"missing", `{"target":{"all":true}}`, KindNotFound, "not in the catalog"},
		{"unreadable", `{"target":{"all":true}}`, KindConflict, "cannot be used"},
		{"inventory-hw", `{"target":{}}`, KindInvalid, "target"},
		{"inventory-hw", `{"target":{"groups":["bad group"]}}`, KindInvalid, "subject token"},
		{"bad-timeout", `{"target":{"all":true}}`, KindInvalid, "timeout"},
	}
	for _, tc := range cases {
		_, err := e.svc.Exec(context.Background(), tc.job, plan(t, tc.plan), Operator)
		if err == nil || KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("exec %s %s: %v (kind %d), want kind %d mentioning %q", tc.job, tc.plan, err, KindOf(err), tc.kind, tc.want)
		}
	}
	if pin := e.kvGet(wire.BucketScriptCurrent, "inventory-hw"); pin != "" {
		t.Errorf("a refused exec pinned version %q", pin)
	}
	var n int
	e.st.Reader().QueryRow("SELECT count(*) FROM executions").Scan(&n)
	if n != 0 {
		t.Errorf("%d executions rows for refused execs", n)
	}
	// A publish after the refusals is the first message the agent sees.
	if _, err := e.svc.Exec(context.Background(), "inventory-hw", plan(t, `{"target":{"pcs":["PC-1"]}}`), Operator); err != nil {
		t.Fatal(err)
	}
	if msgs := e.agent.wait(t, 1); msgs[0].subject != "commands.pc.PC-1" {
		t.Fatalf("first message %s", msgs[0].subject)
	}
}

// The service's errors carry their kind through wrapping, and an error of
// no kind is internal.
func TestErrorKinds(t *testing.T) {
	cases := []struct {
		err  error
		want Kind
	}{
		{svcerr.New(KindNotFound, nil, "x"), KindNotFound},
		{fmt.Errorf("wrapped: %w", svcerr.New(KindConflict, nil, "x")), KindConflict},
		{&Error{Kind: KindConflict, Err: &JobInUseError{JobID: "j", Schedules: []string{"s"}}}, KindConflict},
		{errors.New("plain"), KindInternal},
		{nil, KindInternal},
	}
	for _, tc := range cases {
		if got := KindOf(tc.err); got != tc.want {
			t.Errorf("KindOf(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	var inUse *JobInUseError
	if err := fmt.Errorf("delete: %w", cases[2].err); !errors.As(err, &inUse) || inUse.JobID != "j" {
		t.Fatalf("JobInUseError not reachable through wrapping: %v", err)
	}
}

// ExpireStale marks executions nobody answered within the window expired,
// by the service's clock.
func TestExpireStaleUsesTheServiceClock(t *testing.T) {
	e := newEnv(t)
	m := e.putJob(manifestJSON)
	old, err := e.svc.Exec(context.Background(), m.ID, plan(t, `{"target":{"all":true}}`), Operator)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(50 * time.Minute)
	fresh, err := e.svc.Exec(context.Background(), m.ID, plan(t, `{"target":{"all":true}}`), Operator)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(20 * time.Minute)
	n, err := e.svc.ExpireStale(context.Background(), time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("ExpireStale = %d, %v; want the one exec older than an hour", n, err)
	}
	status := func(id string) string {
		var s string
		e.st.Reader().QueryRow("SELECT status FROM executions WHERE exec_id = ?", id).Scan(&s)
		return s
	}
	if status(old.ExecID) != "expired" || status(fresh.ExecID) != "pending" {
		t.Fatalf("statuses: old %s, fresh %s", status(old.ExecID), status(fresh.ExecID))
	}
	testutil.WaitFor(t, patience, testutil.Cond("both execs' commands", func() bool { return len(e.agent.all()) == 2 }))
}
