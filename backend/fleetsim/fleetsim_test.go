package fleetsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

var quiet = slog.New(slog.DiscardHandler)

// Generous bounds: tests assert outcomes, never speed.
const (
	patience  = 30 * time.Second
	quietTime = 700 * time.Millisecond
)

type env struct {
	t   *testing.T
	b   *broker.Broker
	nc  *nats.Conn
	js  jetstream.JetStream
	url string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Logger: quiet})
	if err != nil {
		t.Fatalf("broker: %v", err)
	}
	t.Cleanup(b.Close)
	if err := broker.Bootstrap(ctx, b.JetStream(), 1); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	return &env{t: t, b: b, nc: b.Conn(), js: b.JetStream(), url: b.ClientURL()}
}

func (e *env) fleet(cfg Config) *Fleet {
	e.t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	f, err := New(cfg)
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	return f
}

func (e *env) start(f *Fleet) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := f.Start(ctx, e.url); err != nil {
		e.t.Fatalf("Start: %v", err)
	}
	e.t.Cleanup(f.Stop)
}

func (e *env) kvPut(bucket, key, value string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	kv, err := e.js.KeyValue(ctx, bucket)
	if err != nil {
		e.t.Fatalf("kv %s: %v", bucket, err)
	}
	if _, err := kv.Put(ctx, key, []byte(value)); err != nil {
		e.t.Fatalf("kv put %s/%s: %v", bucket, key, err)
	}
}

func (e *env) kvDelete(bucket, key string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	kv, err := e.js.KeyValue(ctx, bucket)
	if err != nil {
		e.t.Fatalf("kv %s: %v", bucket, err)
	}
	if err := kv.Delete(ctx, key); err != nil {
		e.t.Fatalf("kv delete %s/%s: %v", bucket, key, err)
	}
}

func (e *env) publish(subject string, cmd wire.Command) {
	e.t.Helper()
	data, err := wire.Marshal(cmd)
	if err != nil {
		e.t.Fatal(err)
	}
	e.publishRaw(subject, data)
}

func (e *env) publishRaw(subject string, data []byte) {
	e.t.Helper()
	if err := e.nc.Publish(subject, data); err != nil {
		e.t.Fatal(err)
	}
	if err := e.nc.Flush(); err != nil {
		e.t.Fatal(err)
	}
}

// collector reads ExecResults for one request_id from the RESULTS stream.
type collector struct {
	e    *env
	ch   chan wire.ExecResult
	stop func()
}

func (e *env) collect(requestID string) *collector {
	e.t.Helper()
	return e.collectSubject(wire.StreamResults, wire.SubjectResults(requestID))
}

func (e *env) collectSubject(stream, subject string) *collector {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cons, err := e.js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		e.t.Fatalf("consumer: %v", err)
	}
	c := &collector{e: e, ch: make(chan wire.ExecResult, 10000)}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		var r wire.ExecResult
		if err := json.Unmarshal(m.Data(), &r); err != nil {
			e.t.Errorf("undecodable result on %s: %v: %s", m.Subject(), err, m.Data())
			return
		}
		c.ch <- r
	})
	if err != nil {
		e.t.Fatalf("consume: %v", err)
	}
	c.stop = cc.Stop
	e.t.Cleanup(cc.Stop)
	return c
}

// wait returns at least want results, then whatever else arrives during a
// quiet period (so extra results are seen).
func (c *collector) wait(want int) []wire.ExecResult {
	c.e.t.Helper()
	var out []wire.ExecResult
	deadline := time.After(patience)
	for len(out) < want {
		select {
		case r := <-c.ch:
			out = append(out, r)
		case <-deadline:
			c.e.t.Fatalf("got %d results, want %d: %+v", len(out), want, out)
		}
	}
	settle := time.After(quietTime)
	for {
		select {
		case r := <-c.ch:
			out = append(out, r)
		case <-settle:
			return out
		}
	}
}

func pcs(results []wire.ExecResult) []string {
	var out []string
	for _, r := range results {
		out = append(out, r.PCID)
	}
	slices.Sort(out)
	return out
}

func newCommand(id, version, script string) wire.Command {
	execID := uuid.NewString()
	return wire.Command{
		ID: id, Version: version, RequestID: uuid.NewString(), ExecID: &execID,
		Shell: wire.ShellPowerShell, Script: script, TimeoutSecs: 600,
		RunAs: wire.RunAsSystem, Staleness: wire.Staleness{Mode: wire.StalenessCached},
	}
}

func TestHeartbeatsOnlyFromOnlineAgents(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 10, OfflineFraction: 0.3, HeartbeatInterval: 200 * time.Millisecond, Seed: 7})
	if got := len(f.PCIDs()); got != 10 {
		t.Fatalf("PCIDs = %d, want 10", got)
	}
	online := f.OnlinePCIDs()
	if len(online) != 7 {
		t.Fatalf("online = %v, want 7 ids", online)
	}
	var mu sync.Mutex
	count := map[string]int{}
	var bad []string
	sub, err := e.nc.Subscribe(wire.SubjectHeartbeatAll, func(m *nats.Msg) {
		var hb wire.Heartbeat
		err := json.Unmarshal(m.Data, &hb)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			bad = append(bad, err.Error())
		case m.Subject != wire.SubjectHeartbeat(hb.PCID) || hb.AgentVersion != "0.29.0" ||
			hb.Hostname == nil || *hb.Hostname != hb.PCID || hb.OSFamily == nil || *hb.OSFamily != "windows" ||
			time.Since(hb.At) > time.Minute:
			bad = append(bad, string(m.Data))
		}
		count[hb.PCID]++
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	e.nc.Flush()
	e.start(f)

	testutil.WaitFor(t, patience, testutil.Cond("two heartbeats from every online agent", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, id := range online {
			if count[id] < 2 {
				return false
			}
		}
		return true
	}))
	time.Sleep(quietTime)
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Errorf("bad heartbeats: %q", bad)
	}
	for id := range count {
		if !slices.Contains(online, id) {
			t.Errorf("heartbeat from offline or unknown agent %s", id)
		}
	}
	if s := f.Stats(); s.HeartbeatsSent < 14 || s.Online != 7 || s.Agents != 10 {
		t.Errorf("stats = %+v", s)
	}
}

func TestCommandsReachExactlyTheAddressedAgents(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 6, OfflineFraction: 1.0 / 6, Connections: 2, TimeScale: 0.01, Seed: 3})
	online := f.OnlinePCIDs()
	var offline string
	for _, id := range f.PCIDs() {
		if !slices.Contains(online, id) {
			offline = id
		}
	}
	if len(online) != 5 || offline == "" || f.Connections() != 2 {
		t.Fatalf("layout: online %v offline %q conns %d", online, offline, f.Connections())
	}
	e.kvPut(wire.BucketAgentGroups, online[1], `{"groups":["canary","dept-eng"]}`)
	e.kvPut(wire.BucketAgentGroups, online[4], `{"groups":["canary"]}`)
	e.kvPut(wire.BucketAgentGroups, offline, `{"groups":["canary"]}`)
	e.start(f)

	// commands.pc.X: one result with exactly the agent's fields.
	cmd := newCommand("adhoc-run", "0.0.0", "echo hello")
	c := e.collect(cmd.RequestID)
	before := time.Now()
	e.publish(wire.SubjectCommandsPC(online[2]), cmd)
	got := c.wait(1)
	if len(got) != 1 {
		t.Fatalf("pc command: %d results, want 1: %+v", len(got), got)
	}
	r := got[0]
	if u, err := uuid.Parse(r.ResultID); err != nil || u.Version() != 4 {
		t.Errorf("result_id %q is not a UUIDv4", r.ResultID)
	}
	if r.RequestID != cmd.RequestID || r.ExecID == nil || *r.ExecID != *cmd.ExecID || r.PCID != online[2] ||
		r.ExitCode != 0 || r.Stdout != "hello\n" || r.Stderr != "" || r.ManifestID == nil || *r.ManifestID != "adhoc-run" {
		t.Errorf("result = %+v", r)
	}
	if r.StartedAt.Before(before.Add(-time.Second)) || r.FinishedAt.Before(r.StartedAt) {
		t.Errorf("times: started %v finished %v", r.StartedAt, r.FinishedAt)
	}

	// commands.group.G: only the online members.
	cmd = newCommand("job-a", "1.0.0", "Get-Service | Out-Null")
	c = e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsGroup("canary"), cmd)
	if got, want := pcs(c.wait(2)), []string{online[1], online[4]}; !slices.Equal(got, want) {
		t.Errorf("group command ran on %v, want %v", got, want)
	}

	// commands.all: every online agent once, nobody else.
	cmd = newCommand("job-b", "1.0.0", "echo all")
	c = e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	results := c.wait(5)
	if got := pcs(results); !slices.Equal(got, online) {
		t.Errorf("broadcast ran on %v, want %v", got, online)
	}
	ids := map[string]bool{}
	for _, r := range results {
		ids[r.ResultID] = true
		if r.Stdout != "all\n" || r.ExitCode != 0 {
			t.Errorf("broadcast result %+v", r)
		}
	}
	if len(ids) != 5 {
		t.Errorf("result ids not distinct: %v", ids)
	}

	// commands.pc.<offline>: nothing.
	cmd = newCommand("job-c", "1.0.0", "echo nobody")
	c = e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsPC(offline), cmd)
	if got := c.wait(0); len(got) != 0 {
		t.Errorf("offline agent answered: %+v", got)
	}
	if s := f.Stats(); s.Runs != 8 || s.ResultsPublished != 8 {
		t.Errorf("stats = %+v, want 8 runs and 8 results", s)
	}
}

func TestVersionPinAndRevokeDropSilently(t *testing.T) {
	e := newEnv(t)
	e.kvPut(wire.BucketScriptCurrent, "job-pin", "2.0.0")
	e.kvPut(wire.BucketScriptStatus, "job-rev", wire.ScriptStatusRevoked)
	e.kvPut(wire.BucketScriptStatus, "job-ok", wire.ScriptStatusActive)
	f := e.fleet(Config{Agents: 2, TimeScale: 0.01})
	e.start(f)
	pc := f.PCIDs()[0]

	pinned := newCommand("job-pin", "1.0.0", "echo old")
	c := e.collect(pinned.RequestID)
	e.publish(wire.SubjectCommandsPC(pc), pinned)
	testutil.WaitFor(t, patience, testutil.Cond("version pin skip", func() bool { return f.Stats().SkippedVersionPin == 1 }))
	if got := c.wait(0); len(got) != 0 {
		t.Errorf("pinned command produced %+v", got)
	}

	revoked := newCommand("job-rev", "1.0.0", "echo revoked")
	c = e.collect(revoked.RequestID)
	e.publish(wire.SubjectCommandsAll, revoked)
	testutil.WaitFor(t, patience, testutil.Cond("revoke skips", func() bool { return f.Stats().SkippedRevoked == 2 }))
	if got := c.wait(0); len(got) != 0 {
		t.Errorf("revoked command produced %+v", got)
	}

	// The matching version and an ACTIVE job do run.
	for _, cmd := range []wire.Command{newCommand("job-pin", "2.0.0", "echo new"), newCommand("job-ok", "1.0.0", "echo ok")} {
		c = e.collect(cmd.RequestID)
		e.publish(wire.SubjectCommandsPC(pc), cmd)
		if got := c.wait(1); len(got) != 1 || got[0].ExitCode != 0 {
			t.Errorf("%s %s: %+v", cmd.ID, cmd.Version, got)
		}
	}
}

func TestExpiredDeadlineGivesExit125(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 1, TimeScale: 0.01})
	e.start(f)
	cmd := newCommand("job-late", "1.0.0", "echo never")
	deadline := time.Now().Add(-2 * time.Hour)
	cmd.DeadlineAt = &deadline
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	got := c.wait(1)
	if len(got) != 1 {
		t.Fatalf("results = %+v", got)
	}
	r := got[0]
	if r.ExitCode != 125 || r.Stdout != "" || !strings.HasPrefix(r.Stderr, "skipped: starting deadline expired") ||
		!r.StartedAt.Equal(r.FinishedAt) || r.ResultID == "" || r.ManifestID == nil || *r.ManifestID != "job-late" {
		t.Errorf("deadline result = %+v", r)
	}
	if s := f.Stats(); s.SkippedDeadline != 1 || s.Runs != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestKillDuringSleep(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 2})
	e.start(f)
	cmd := newCommand("job-long", "1.0.0", "echo before\nsleep 60\necho after")
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	testutil.WaitFor(t, patience, testutil.Cond("both scripts running", func() bool { return f.Stats().Running == 2 }))
	e.publishRaw(wire.SubjectKill(*cmd.ExecID), nil)
	got := c.wait(2)
	if len(got) != 2 {
		t.Fatalf("results = %+v", got)
	}
	for _, r := range got {
		if r.ExitCode != -1 || r.Stdout != "before\n" ||
			!strings.HasSuffix(r.Stderr, "killed by remote signal (kill."+*cmd.ExecID+")") {
			t.Errorf("killed result = %+v", r)
		}
	}
	if s := f.Stats(); s.Kills != 2 || s.Running != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestTimeout(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 1, TimeScale: 0.01})
	e.start(f)
	cmd := newCommand("job-slow", "1.0.0", "echo a\nsleep 30\necho b")
	cmd.TimeoutSecs = 1
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	got := c.wait(1)
	if len(got) != 1 {
		t.Fatalf("results = %+v", got)
	}
	if r := got[0]; r.ExitCode != -1 || r.Stdout != "a\n" || !strings.HasSuffix(r.Stderr, "timeout after 1s") {
		t.Errorf("timeout result = %+v", r)
	}
	if s := f.Stats(); s.Timeouts != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestScriptLanguageExitAndStderr(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 1, TimeScale: 0.01})
	e.start(f)
	cases := []struct {
		script, stdout, stderr string
		exit                   int32
	}{
		{"echo one\nstderr warn\nsleep 0.1\necho two\nexit 3\necho unreachable", "one\ntwo\n", "warn\n", 3},
		{"# comment\nfail disk full", "", "disk full\n", 1},
		{"ECHO shout", "shout\n", "", 0},
	}
	for _, tc := range cases {
		cmd := newCommand("job-dsl", "1.0.0", tc.script)
		c := e.collect(cmd.RequestID)
		e.publish(wire.SubjectCommandsAll, cmd)
		got := c.wait(1)
		if len(got) != 1 || got[0].Stdout != tc.stdout || got[0].Stderr != tc.stderr || got[0].ExitCode != tc.exit {
			t.Errorf("%q: %+v", tc.script, got)
		}
	}
}

func TestGroupMembershipChangesApplyLive(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 3, TimeScale: 0.01})
	e.start(f)
	ids := f.PCIDs()
	runOn := func(group string, want ...string) {
		t.Helper()
		cmd := newCommand("job-g", "1.0.0", "echo g")
		c := e.collect(cmd.RequestID)
		e.publish(wire.SubjectCommandsGroup(group), cmd)
		got := pcs(c.wait(len(want)))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("group %s ran on %v, want %v", group, got, want)
		}
	}
	groupsAre := func(pc string, want ...string) func() bool {
		return func() bool { return slices.Equal(f.GroupsOf(pc), want) }
	}

	e.kvPut(wire.BucketAgentGroups, ids[0], `{"groups":["wave1"]}`)
	testutil.WaitFor(t, patience, testutil.Cond("wrapper form applied", groupsAre(ids[0], "wave1")))
	runOn("wave1", ids[0])

	// The bare-array form (0.29 scheduler bug #557) is accepted too.
	e.kvPut(wire.BucketAgentGroups, ids[0], `["wave2"]`)
	e.kvPut(wire.BucketAgentGroups, ids[1], `{"groups":["wave1","wave2"]}`)
	testutil.WaitFor(t, patience, testutil.Cond("bare array applied", groupsAre(ids[0], "wave2")))
	testutil.WaitFor(t, patience, testutil.Cond("second agent joined", groupsAre(ids[1], "wave1", "wave2")))
	runOn("wave1", ids[1])
	runOn("wave2", ids[0], ids[1])

	e.kvDelete(wire.BucketAgentGroups, ids[1])
	testutil.WaitFor(t, patience, testutil.Cond("delete applied", groupsAre(ids[1])))
	runOn("wave1")
}

func TestReplayRunsOnceEvenWhenAlsoLive(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 3, TimeScale: 0.01})
	pc := f.PCIDs()[1]
	cmd := newCommand("adhoc-run", "0.0.0", "echo replayed")
	data, _ := wire.Marshal(cmd)
	c := e.collect(cmd.RequestID)
	e.publishRaw(wire.SubjectCommandsPC(pc), data)
	testutil.WaitFor(t, patience, testutil.Cond("command stored in EXEC", func() bool {
		s, err := e.js.Stream(context.Background(), wire.StreamExec)
		if err != nil {
			return false
		}
		info, err := s.Info(context.Background())
		return err == nil && info.State.Msgs == 1
	}))

	e.start(f)
	got := c.wait(1)
	if len(got) != 1 || got[0].PCID != pc || got[0].Stdout != "replayed\n" {
		t.Fatalf("replay results = %+v", got)
	}
	// The same Command arriving live again is a duplicate.
	e.publishRaw(wire.SubjectCommandsPC(pc), data)
	testutil.WaitFor(t, patience, testutil.Cond("duplicate dropped", func() bool { return f.Stats().Duplicates == 1 }))
	if more := c.wait(0); len(more) != 0 {
		t.Errorf("ran twice: %+v", more)
	}
	if s := f.Stats(); s.Replayed < 1 || s.Runs != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestInventoryJobPrintsJSONFacts(t *testing.T) {
	e := newEnv(t)
	bytesType := "bytes"
	m := wire.Manifest{
		ID: "inventory-hw", Version: "1.2.0",
		Execute: wire.Execute{Shell: wire.ShellPowerShell, Script: "Get-CimInstance Win32_ComputerSystem | ConvertTo-Json", Timeout: wire.DurationFromText("10m")},
		Inventory: &wire.InventoryHint{
			Display: []wire.DisplayField{{Field: "Name", Label: "Hostname"}, {Field: "TotalPhysicalMemory", Label: "RAM", Type: &bytesType}},
			Summary: []wire.DisplayField{{Field: "Name", Label: "Hostname"}, {Field: "OSVersion", Label: "OS"}},
		},
	}
	data, err := wire.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	e.kvPut(wire.BucketJobs, m.ID, string(data))
	f := e.fleet(Config{Agents: 2, TimeScale: 0.01, StdoutBytes: 100})
	e.start(f)

	cmd := newCommand(m.ID, m.Version, m.Execute.Script)
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	for _, r := range c.wait(2) {
		var facts map[string]any
		if err := json.Unmarshal([]byte(r.Stdout), &facts); err != nil {
			t.Fatalf("stdout is not a JSON object: %q", r.Stdout)
		}
		if r.ExitCode != 0 || facts["Name"] != r.PCID || len(facts) != 3 {
			t.Errorf("facts of %s = %v (exit %d)", r.PCID, facts, r.ExitCode)
		}
		if ram, ok := facts["TotalPhysicalMemory"].(float64); !ok || ram < 1<<30 {
			t.Errorf("TotalPhysicalMemory = %v", facts["TotalPhysicalMemory"])
		}
		if v, ok := facts["OSVersion"].(string); !ok || !strings.HasPrefix(v, "10.0.") {
			t.Errorf("OSVersion = %v", facts["OSVersion"])
		}
	}
}

func TestOrdinaryScriptsFailAtTheFailureRate(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 40, FailureRate: 0.5, TimeScale: 0.01, StdoutBytes: 64, Seed: 11})
	e.start(f)
	cmd := newCommand("job-x", "1.0.0", "Invoke-Something -Force")
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	failed := 0
	for _, r := range c.wait(40) {
		if r.ExitCode != 0 {
			failed++
			if r.Stderr == "" {
				t.Errorf("failure without stderr: %+v", r)
			}
		} else if !strings.Contains(r.Stdout, r.PCID) || len(r.Stdout) < 64 {
			t.Errorf("stdout %q", r.Stdout)
		}
	}
	if failed == 0 || failed == 40 {
		t.Errorf("%d of 40 failed at FailureRate 0.5", failed)
	}
}

func TestLogsFetch(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 4, OfflineFraction: 0.25})
	e.start(f)
	pc := f.OnlinePCIDs()[0]
	req, _ := wire.Marshal(wire.LogsRequest{TailLines: 20})
	msg, err := e.nc.Request(wire.SubjectLogsFetch(pc), req, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	text := string(msg.Data)
	if strings.Count(text, "\n") != 20 || !strings.Contains(text, pc) || !strings.Contains(text, "INFO") {
		t.Errorf("log tail:\n%s", text)
	}
	msg, err = e.nc.Request(wire.SubjectLogsFetch(pc), []byte("{}"), 10*time.Second)
	if err != nil || strings.Count(string(msg.Data), "\n") != wire.DefaultLogsTailLines {
		t.Errorf("default tail: %v, %d lines", err, strings.Count(string(msg.Data), "\n"))
	}
	var offline string
	for _, id := range f.PCIDs() {
		if !slices.Contains(f.OnlinePCIDs(), id) {
			offline = id
		}
	}
	// The fleet's shared logs.fetch.> subscription is a responder for every
	// subject, so an offline agent shows up as a timeout, not as "no
	// responders" like a PC whose agent is not connected.
	_, err = e.nc.Request(wire.SubjectLogsFetch(offline), req, time.Second)
	if !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, nats.ErrNoResponders) {
		t.Errorf("offline agent: err = %v, want no reply", err)
	}
}

func TestStartedEvents(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 2, PublishStartedEvents: true, TimeScale: 0.01})
	e.start(f)
	cmd := newCommand("job-ev", "3.1.0", "echo ev")
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cons, err := e.js.OrderedConsumer(ctx, wire.StreamEvents, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"events.started." + *cmd.ExecID + ".>"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	results := c.wait(2)
	seen := map[string]bool{}
	for range 2 {
		m, err := cons.Next(jetstream.FetchMaxWait(patience))
		if err != nil {
			t.Fatalf("started event: %v", err)
		}
		var ev wire.EventStarted
		if err := json.Unmarshal(m.Data(), &ev); err != nil {
			t.Fatal(err)
		}
		if m.Subject() != wire.SubjectEventStarted(*cmd.ExecID, ev.PCID) || ev.ExecID != *cmd.ExecID ||
			ev.ManifestID != "job-ev" || ev.Version != "3.1.0" || ev.StartedAt.IsZero() {
			t.Errorf("event %s: %+v", m.Subject(), ev)
		}
		seen[ev.PCID] = true
		for _, r := range results {
			if r.PCID == ev.PCID && !r.StartedAt.Equal(ev.StartedAt) {
				t.Errorf("event started_at %v != result started_at %v", ev.StartedAt, r.StartedAt)
			}
		}
	}
	if len(seen) != 2 || f.Stats().StartedEvents != 2 {
		t.Errorf("events from %v, stats %+v", seen, f.Stats())
	}
}

func TestStopWaitsForRunningScripts(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 3, TimeScale: 0.01})
	e.start(f)
	cmd := newCommand("job-drain", "1.0.0", "sleep 30\necho done") // 300 ms scaled
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	testutil.WaitFor(t, patience, testutil.Cond("scripts running", func() bool { return f.Stats().Running == 3 }))
	f.Stop()
	if s := f.Stats(); s.Running != 0 || s.ResultsPending != 0 || s.ResultsPublished != 3 {
		t.Errorf("after Stop: %+v", s)
	}
	for _, r := range c.wait(3) {
		if r.ExitCode != 0 || r.Stdout != "done\n" {
			t.Errorf("drained result %+v", r)
		}
	}
}

// The cause of TestStopWaitsForRunningScripts' rare "0 of 3 results
// published after Stop": a run stopped counting as active when it ended,
// before its result was in the outbox, so Stop could find the connection
// idle in between and tear the outbox down. The hook holds every run in
// that window until Stop has decided: found the connection busy (right)
// or begun the teardown (the old code, which then lost the results).
func TestStopWaitsForAResultNotYetQueued(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 3, Connections: 1, TimeScale: 0.01})
	decided := make(chan struct{})
	var once sync.Once
	decide := func() { once.Do(func() { close(decided) }) }
	var held atomic.Int32
	f.hooks.beforeEnqueue = func() {
		held.Add(1)
		<-decided
	}
	f.hooks.stopBusy = decide
	var early atomic.Bool // teardown began with a run still in the window
	f.hooks.stopTeardown = func() {
		early.Store(!isClosed(decided))
		decide()
	}
	e.start(f)
	cmd := newCommand("job-drain", "1.0.0", "sleep 10\necho done") // 100 ms scaled
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	testutil.WaitFor(t, patience, func() error {
		if n := held.Load(); n == 0 {
			return fmt.Errorf("no run has ended yet (stats %+v)", f.Stats())
		}
		return nil
	})
	f.Stop()
	if early.Load() {
		t.Error("Stop began the teardown while a run's result was not yet queued")
	}
	if s := f.Stats(); s.Running != 0 || s.ResultsPending != 0 || s.ResultsPublished != 3 {
		t.Fatalf("after Stop: %d of 3 results published, %d pending", s.ResultsPublished, s.ResultsPending)
	}
	if got := len(c.wait(3)); got != 3 {
		t.Fatalf("%d results in the stream, want 3", got)
	}
}

// A Command whose handler was already past the stopping check when Stop
// began must not start runs after Stop found the connection idle: their
// results would never be sent and Stop would return with scripts running.
func TestStopDropsACommandAcceptedWhileStopping(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 3, Connections: 1, TimeScale: 0.01})
	e.start(f)
	decided := make(chan struct{})
	var once sync.Once
	decide := func() { once.Do(func() { close(decided) }) }
	inHandler := make(chan struct{})
	f.hooks.beforeAccept = func() {
		close(inHandler)
		<-decided
	}
	f.hooks.stopBusy = decide
	f.hooks.stopTeardown = decide
	data, err := wire.Marshal(newCommand("job-late", "1.0.0", "sleep 10\necho done"))
	if err != nil {
		t.Fatal(err)
	}
	handled := make(chan struct{})
	go func() {
		defer close(handled)
		f.conns[0].handleCommand(wire.SubjectCommandsAll, data)
	}()
	<-inHandler // past the first stopping check, runs not yet counted
	f.Stop()
	<-handled
	if s := f.Stats(); s.Runs != 0 || s.Running != 0 || s.ResultsPending != 0 {
		t.Fatalf("a Command accepted while stopping started runs after Stop: %+v", s)
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestTwoThousandAgentsOnOneConnection(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 2000, Connections: 1})
	var mu sync.Mutex
	seen := map[string]bool{}
	sub, err := e.nc.Subscribe(wire.SubjectHeartbeatAll, func(m *nats.Msg) {
		mu.Lock()
		seen[strings.TrimPrefix(m.Subject, "heartbeat.")] = true
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	e.nc.Flush()
	e.start(f)
	if f.Connections() != 1 {
		t.Fatalf("connections = %d", f.Connections())
	}
	testutil.WaitFor(t, patience, testutil.Cond("2000 heartbeats", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) == 2000
	}))
	for _, id := range f.PCIDs() {
		if !seen[id] {
			t.Fatalf("no heartbeat from %s", id)
		}
	}
}

func TestNewValidatesAndLaysOut(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Agents: 1, FailureRate: 1.5},
		{Agents: 1, OfflineFraction: -0.1},
		{Agents: 1, Prefix: "a.b"},
		{Agents: 1, RunTimeMin: time.Second, RunTimeMax: time.Millisecond},
		{Agents: 1, TimeScale: -1},
		{Agents: 1, HeartbeatJitter: 1},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
	f, err := New(Config{Agents: 12000, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ids := f.PCIDs()
	if ids[0] != "SIM-00001" || ids[11999] != "SIM-12000" || f.Connections() != 3 {
		t.Errorf("ids %s..%s, %d connections", ids[0], ids[len(ids)-1], f.Connections())
	}
	f, _ = New(Config{Agents: 100001, Prefix: "PC", Logger: quiet})
	if id := f.PCIDs()[0]; id != "PC-000001" {
		t.Errorf("wide id = %s", id)
	}
	f, _ = New(Config{Agents: 3, OfflineFraction: 1, Logger: quiet})
	if f.Connections() != 0 || len(f.OnlinePCIDs()) != 0 {
		t.Errorf("all offline: %d connections", f.Connections())
	}
	if err := f.Start(context.Background(), "nats://127.0.0.1:1"); err != nil {
		t.Errorf("all-offline fleet Start: %v", err)
	}
	f.Stop()
}

func TestDedupIsAFIFOOf1024(t *testing.T) {
	a := &agent{id: "x"}
	for i := range dedupCapacity {
		if !a.markSeen(fmt.Sprint(i)) {
			t.Fatalf("%d reported as seen", i)
		}
	}
	if a.markSeen("0") || a.markSeen("1023") {
		t.Fatal("ids within capacity forgotten")
	}
	if !a.markSeen("new") { // evicts "0"
		t.Fatal("new id reported as seen")
	}
	if !a.markSeen("0") || a.markSeen("2") {
		t.Error("eviction is not FIFO")
	}
	if got := a.recentRequests(2); !slices.Equal(got, []string{"new", "0"}) {
		t.Errorf("recent = %v", got)
	}
}

func TestParseDSL(t *testing.T) {
	cfg := Config{TimeScale: 0.5}
	p := parseDSL("echo a\nsleep 2\nstderr b\nsleep 500ms\necho c", &cfg)
	if p == nil || p.dur != 1250*time.Millisecond || p.exit != 0 {
		t.Fatalf("plan = %+v", p)
	}
	if out, errOut := p.output(time.Second, false); out != "a\n" || errOut != "b\n" {
		t.Errorf("partial output %q %q", out, errOut)
	}
	if out, _ := p.output(0, true); out != "a\nc\n" {
		t.Errorf("full output %q", out)
	}
	for _, s := range []string{"", "# only a comment", "Write-Output hi", "echo hi\nGet-Date"} {
		if parseDSL(s, &cfg) != nil {
			t.Errorf("%q parsed as simulator language", s)
		}
	}
	if p := parseDSL("sleep forever", &cfg); p == nil || p.exit != 1 {
		t.Errorf("bad sleep: %+v", p)
	}
}

// Newer agents answer job.tail.<pc> with the output their run has written
// so far, for the result id of their started event; found false once the
// run is over or for an id they do not have; 0.29 agents do not answer.
func TestJobTail(t *testing.T) {
	e := newEnv(t)
	f := e.fleet(Config{Agents: 1, PublishStartedEvents: true, TimeScale: 0.1, TailBytes: 40})
	e.start(f)
	pc := f.PCIDs()[0]
	cmd := newCommand("job-tail", "1.0.0", "echo starting\nprogress 30s\necho finished") // 3 s scaled
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cons, err := e.js.OrderedConsumer(ctx, wire.StreamEvents, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"events.started." + *cmd.ExecID + ".>"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := e.collect(cmd.RequestID)
	e.publish(wire.SubjectCommandsAll, cmd)
	m, err := cons.Next(jetstream.FetchMaxWait(patience))
	if err != nil {
		t.Fatal(err)
	}
	var ev wire.EventStarted
	if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.ResultID == "" || ev.RequestID != cmd.RequestID {
		t.Fatalf("started event %+v, %v", ev, err)
	}
	tail := func(id string) wire.JobTailReply {
		t.Helper()
		body, _ := wire.Marshal(wire.JobTailRequest{ResultID: id})
		msg, err := e.nc.Request(wire.SubjectJobTail(pc), body, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		r, err := wire.DecodeJobTailReply(msg.Data)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	var last wire.JobTailReply
	testutil.WaitFor(t, patience, testutil.Cond("progress lines in the tail", func() bool {
		last = tail(ev.ResultID)
		return last.Found && last.Running && strings.Contains(last.Stdout, "progress 3/30")
	}))
	if !last.StdoutTruncated || len(last.Stdout) > 40 || strings.Contains(last.Stdout, "starting") {
		t.Errorf("a 40-byte ring buffer kept %q (truncated %v)", last.Stdout, last.StdoutTruncated)
	}
	if r := tail("someone-else"); r.Found {
		t.Errorf("unknown result id: %+v", r)
	}
	res := c.wait(1)[0]
	if res.ResultID != ev.ResultID || !strings.HasSuffix(res.Stdout, "progress 30/30: step 30 done (100%)\nfinished\n") {
		t.Errorf("result %s stdout %q, want the started event's id %s", res.ResultID, res.Stdout, ev.ResultID)
	}
	if r := tail(ev.ResultID); r.Found {
		t.Errorf("finished run still found: %+v", r)
	}

	// A 0.29 fleet has no tail responder that answers.
	old := e.fleet(Config{Agents: 1, Prefix: "OLD"})
	e.start(old)
	body, _ := wire.Marshal(wire.JobTailRequest{ResultID: "x"})
	if _, err := e.nc.Request(wire.SubjectJobTail(old.PCIDs()[0]), body, 300*time.Millisecond); err == nil {
		t.Error("a 0.29 agent answered a tail request")
	}
}

func TestRingTail(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"abc", 5, "abc", false},
		{"abcdef", 3, "def", true},
		{"aé", 1, "", true},   // a cut inside é drops its continuation byte
		{"aéb", 2, "b", true}, // likewise
		{"aéb", 3, "éb", true},
	} {
		got, cut := ringTail(tc.in, tc.max)
		if got != tc.want || cut != tc.cut {
			t.Errorf("ringTail(%q, %d) = %q %v, want %q %v", tc.in, tc.max, got, cut, tc.want, tc.cut)
		}
	}
	cfg := Config{TimeScale: 1}
	p := parseDSL("progress 3s\necho end", &cfg)
	if p == nil || p.dur != 3*time.Second {
		t.Fatalf("progress plan %+v", p)
	}
	if out, _ := p.output(2*time.Second, false); out != "progress 1/3: step 1 done (33%)\nprogress 2/3: step 2 done (66%)\n" {
		t.Errorf("after 2 s: %q", out)
	}
}
