package api

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// newLiveEnv is newEnv with a short tail timeout and agents that behave as
// kanade v0.30+ ones (started events, the job.tail responder).
func newLiveEnv(t *testing.T, agents int, tailTimeout time.Duration) *env {
	t.Helper()
	dir := t.TempDir()
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "127.0.0.1:0", Retention: store.DefaultRetention},
		quiet, console.Options{TailTimeout: tailTimeout})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, c: c, srv: httptest.NewServer(New(c, builtSPA, quiet))}
	t.Cleanup(func() {
		if e.fleet != nil {
			e.fleet.Stop()
		}
		e.srv.Close()
		c.Stop(context.Background())
	})
	nc, err := nats.Connect(c.Broker().ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	e.nc = nc
	e.js, _ = jetstream.New(nc)
	f, err := fleetsim.New(fleetsim.Config{Agents: agents, Prefix: "NEW", HeartbeatInterval: 500 * time.Millisecond,
		TimeScale: 0.1, Seed: 1, Logger: quiet, PublishStartedEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(ctx, c.Broker().ClientURL()); err != nil {
		t.Fatal(err)
	}
	e.fleet = f
	e.waitFor("agents online", func() bool {
		var n int
		c.Store().Reader().QueryRow("SELECT count(*) FROM agents").Scan(&n)
		return n == agents
	})
	return e
}

func (e *env) results(query string) []store.ResultRow {
	e.t.Helper()
	r := e.get("/api/results?" + query)
	e.expect(r, 200)
	var rows []store.ResultRow
	r.json(e.t, &rows)
	return rows
}

func (e *env) tail(id string) console.ResultTail {
	e.t.Helper()
	r := e.get("/api/results/" + id + "/tail")
	e.expect(r, 200)
	var tl console.ResultTail
	r.json(e.t, &tl)
	return tl
}

func (e *env) jobLive(id string) store.LiveCounts {
	e.t.Helper()
	var rows []struct {
		ID   string           `json:"id"`
		Live store.LiveCounts `json:"live"`
	}
	e.get("/api/jobs").json(e.t, &rows)
	for _, r := range rows {
		if r.ID == id {
			return r.Live
		}
	}
	e.t.Fatalf("job %s not listed", id)
	return store.LiveCounts{}
}

func (e *env) publishJS(subject string, v any) {
	e.t.Helper()
	b, err := wire.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.js.Publish(context.Background(), subject, b); err != nil {
		e.t.Fatal(err)
	}
}

// Issue 17 items 4 and 5 end to end: a real console (embedded NATS, SQLite),
// simulated v0.30 agents running a long script, and hand-made 0.29 and
// newer-agent messages for the cases a fleet does not produce on demand.
func TestLiveRunsAndTail(t *testing.T) {
	e := newLiveEnv(t, 2, 500*time.Millisecond)
	const longJob = `{"id":"long","version":"1.0.0","execute":{"shell":"powershell","script":"echo starting\nprogress 600s","timeout":"1h","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`
	const otherJob = `{"id":"other","version":"2.0.0","execute":{"shell":"powershell","script":"Get-Date","timeout":"1m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`
	e.expect(e.postJSON("/api/jobs", longJob), 200)
	e.expect(e.postJSON("/api/jobs", otherJob), 200)
	if l := e.jobLive("long"); l != (store.LiveCounts{}) {
		t.Fatalf("live before any exec: %+v", l)
	}

	// A long run on both simulated agents: two in-flight rows, addressable,
	// with the live tail from the agents.
	var long wire.ExecResponse
	e.postJSON("/api/exec/long", `{"target":{"all":true}}`).json(t, &long)
	if l := e.jobLive("long"); l != (store.LiveCounts{Pending: 1}) {
		t.Fatalf("live of a published exec: %+v", l)
	}
	var running []store.ResultRow
	e.waitFor("two running rows", func() bool {
		running = e.results("status=running&exec_id=" + long.ExecID)
		return len(running) == 2
	})
	for _, r := range running {
		if r.ExitCode != nil || r.FinishedAt != nil || r.Skipped || r.JobID == nil || *r.JobID != "long" || !strings.HasPrefix(r.PCID, "NEW-") {
			t.Fatalf("running row %+v", r)
		}
		e.expect(e.get("/api/results/"+r.ResultID), 200, `"exit_code":null`, `"finished_at":null`)
	}
	var tl console.ResultTail
	e.waitFor("progress in the live tail", func() bool {
		tl = e.tail(running[0].ResultID)
		return tl.Live && strings.Contains(tl.Stdout, "progress 2/600")
	})
	if !tl.Running || tl.ExitCode != nil || !strings.HasPrefix(tl.Stdout, "starting\n") {
		t.Fatalf("live tail %+v", tl)
	}

	// Hand-made messages for "other", targeted at three PCs without agents:
	// a 0.29 failure whose started event comes after it, a newer agent's
	// skip, and a run started by an early v0.30 agent (no result_id) that
	// never reports.
	var other wire.ExecResponse
	e.postJSON("/api/exec/other", `{"target":{"pcs":["OLD-1","OLD-2","OLD-3"]}}`).json(t, &other)
	now := time.Now().UTC()
	exec := other.ExecID
	job := "other"
	e.publishJS(wire.SubjectResults("req-1"), wire.ExecResult{ResultID: "res-old-1", RequestID: "req-1", ExecID: &exec, PCID: "OLD-1",
		ExitCode: 1, Stderr: "failed", StartedAt: now, FinishedAt: now, ManifestID: &job})
	e.publishJS(wire.SubjectResults("req-2"), wire.ExecResult{ResultID: "res-old-2", RequestID: "req-2", ExecID: &exec, PCID: "OLD-2",
		ExitCode: wire.ExitCodeDeadlineSkipped, Stderr: "skipped: deadline", StartedAt: now, FinishedAt: now, ManifestID: &job, Skipped: true})
	e.waitFor("the two results", func() bool { return len(e.results("exec_id="+exec)) == 2 })
	e.publishJS(wire.SubjectEventStarted(exec, "OLD-1"), wire.EventStarted{ResultID: "res-old-1", ExecID: exec, PCID: "OLD-1", StartedAt: now, ManifestID: job, Version: "2.0.0"})
	e.publishJS(wire.SubjectEventStarted(exec, "OLD-3"), wire.EventStarted{ExecID: exec, PCID: "OLD-3", StartedAt: now, ManifestID: job, Version: "2.0.0"})
	e.waitFor("OLD-3 running", func() bool { return len(e.results("status=running&exec_id="+exec)) == 1 })
	if got := e.results("status=running&exec_id=" + exec); got[0].PCID != "OLD-3" || got[0].ResultID != store.InflightResultID(exec, "OLD-3") {
		t.Fatalf("running rows of other: %+v (a start after its result must not run)", got)
	}
	for status, want := range map[string]string{"failure": "res-old-1", "skipped": "res-old-2"} {
		got := e.results("status=" + status + "&exec_id=" + exec)
		if len(got) != 1 || got[0].ResultID != want {
			t.Fatalf("status=%s: %+v", status, got)
		}
	}
	if got := e.results("status=success&exec_id=" + exec); len(got) != 0 {
		t.Fatalf("status=success: %+v", got)
	}
	var detail store.ExecutionDetail
	e.get("/api/executions/"+exec).json(t, &detail)
	if x := detail.Execution; x.SuccessCount != 0 || x.FailureCount != 1 || x.SkippedCount != 1 || x.InflightCount != 1 || x.Status != "running" {
		t.Fatalf("execution counters %+v", x)
	}
	if len(detail.Inflight) != 1 || detail.Inflight[0].ResultID != store.InflightResultID(exec, "OLD-3") {
		t.Fatalf("in-flight list %+v", detail.Inflight)
	}
	if l := e.jobLive("other"); l != (store.LiveCounts{Running: 1}) {
		t.Fatalf("live of other: %+v", l)
	}
	e.expect(e.get("/api/results?status=maybe"), 400, "status must be")

	// Nobody answers for OLD-3: the waiting shape after the tail timeout.
	start := time.Now()
	if tl := e.tail(store.InflightResultID(exec, "OLD-3")); tl != (console.ResultTail{Running: true}) {
		t.Fatalf("waiting shape %+v", tl)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the tail took %v with a 500 ms timeout", d)
	}
	// A finished row answers from the database.
	if tl := e.tail("res-old-1"); tl.Running || tl.Live || tl.Stderr != "failed" || tl.ExitCode == nil || *tl.ExitCode != 1 {
		t.Fatalf("finished tail %+v", tl)
	}
	e.expect(e.get("/api/results/nope/tail"), 404)

	// The reaper: nothing is old yet; a day later every in-flight run is
	// reaped and leaves status=running.
	if n, err := e.c.ReapOnce(context.Background(), time.Now()); err != nil || n != 0 {
		t.Fatalf("early reap: %d, %v", n, err)
	}
	if n, err := e.c.ReapOnce(context.Background(), time.Now().Add(25*time.Hour)); err != nil || n != 3 {
		t.Fatalf("reap: %d, %v", n, err)
	}
	if got := e.results("status=running"); len(got) != 0 {
		t.Fatalf("running after the reaper: %+v", got)
	}
	e.expect(e.get("/api/results/"+store.InflightResultID(exec, "OLD-3")), 200, `"reaped":true`, `"exit_code":null`)
	var st console.Status
	e.get("/api/status").json(t, &st)
	if st.Retention.Reaped != 3 || st.Retention.ReapInflightSecs != 86400 {
		t.Fatalf("status retention %+v", st.Retention)
	}
	e.expect(e.get("/metrics"), 200, "kanade_inflight_reaped_total 3")

	// The agents still run "long": killing it brings their real results,
	// which win over the reaped markers.
	e.expect(e.postJSON("/api/executions/"+long.ExecID+"/kill", ""), 204)
	id := running[0].ResultID
	e.waitFor("the killed run's result", func() bool {
		r := e.get("/api/results/" + id)
		return r.status == 200 && strings.Contains(r.body, `"exit_code":-1`)
	})
	var row store.ResultRow
	e.get("/api/results/"+id).json(t, &row)
	if row.Reaped || row.FinishedAt == nil || !strings.Contains(row.Stdout, "progress") {
		t.Fatalf("late result %+v", row)
	}
	if tl := e.tail(id); tl.Running || tl.Live || tl.ExitCode == nil || *tl.ExitCode != -1 || tl.Stdout != row.Stdout {
		t.Fatalf("tail of the killed run %+v", tl)
	}
	e.waitFor("long completed", func() bool { return e.jobLive("long") == store.LiveCounts{} })
	// Stats say the agents answered tails.
	if e.fleet.Stats().TailsServed == 0 {
		t.Fatal("no tail served")
	}
}

// The demo fleet acts as v0.30 agents and brings demo-long-task, whose
// output can be watched while it runs (the "Running now" page).
func TestDemoFleetRunsCanBeWatched(t *testing.T) {
	e := newEnv(t, 0)
	e.expect(e.postJSON("/api/demo", `{"agents":2}`), 200, `"running":true`)
	e.waitFor("demo-long-task in the catalog", func() bool { return strings.Contains(e.get("/api/jobs").body, `"id":"demo-long-task"`) })
	e.waitFor("the demo agents", func() bool { return strings.Contains(e.get("/api/agents").body, `"pc_id":"DEMO-00002"`) })
	var ex wire.ExecResponse
	e.postJSON("/api/exec/demo-long-task", `{"target":{"all":true}}`).json(t, &ex)
	var running []store.ResultRow
	e.waitFor("two running demo runs", func() bool {
		running = e.results("status=running&job_id=demo-long-task")
		return len(running) == 2
	})
	e.waitFor("a progress line in the live tail", func() bool {
		tl := e.tail(running[0].ResultID)
		return tl.Live && tl.Running && strings.HasPrefix(tl.Stdout, "starting the long task\n") && strings.Contains(tl.Stdout, "progress 1/90")
	})
	if l := e.jobLive("demo-long-task"); l.Running+l.Pending != 1 {
		t.Fatalf("live counters %+v", l)
	}
	e.expect(e.postJSON("/api/executions/"+ex.ExecID+"/kill", ""), 204)
	e.waitFor("the killed runs' results", func() bool { return len(e.results("status=running&job_id=demo-long-task")) == 0 })
}
