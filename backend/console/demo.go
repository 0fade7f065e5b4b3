package console

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The demo fleet: simulated 0.29 agents this console runs in its own
// process (serve --demo-agents N, or "Try it with simulated agents" in the
// UI). Their pc ids are DemoPrefix-00001, …: that is how every view tells
// them from real agents, also after the fleet stopped or the console
// restarted (their results stay). A real PC is named by its hostname, which
// does not look like that.
const (
	// DemoPrefix starts the pc id of every demo agent.
	DemoPrefix = "DEMO"
	// MaxDemoAgents bounds a demo fleet started from the UI.
	MaxDemoAgents = 1000
	// demoGlob matches the demo pc ids in SQLite.
	demoGlob = DemoPrefix + "-[0-9]*"
)

var demoID = regexp.MustCompile(`^` + DemoPrefix + `-[0-9]{5,}$`)

// IsSimulated reports whether pcID belongs to this console's demo fleet.
func IsSimulated(pcID string) bool { return demoID.MatchString(pcID) }

// demoJobs fill an empty catalog when a demo fleet starts, so it has
// something to run and the inventory page has data.
var demoJobs = []string{
	`{"id":"demo-hello","version":"1.0.0","description":"Say hello (demo)","execute":{"shell":"powershell","script":"echo hello from the demo fleet","timeout":"1m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`,
	// A slow task in the simulator's language (fleetsim: progress): a line a
	// second for 90 s, so "Running now" and the live tail have something
	// to watch. Real agents would run it as PowerShell and fail.
	`{"id":"demo-long-task","version":"1.0.0","description":"Slow task printing a line a second for 90 s (demo; simulated agents only)","execute":{"shell":"powershell","script":"echo starting the long task\nprogress 90s\necho long task finished","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`,
	`{"id":"demo-inventory","version":"1.0.0","description":"Hardware inventory probe (demo)","execute":{"shell":"powershell","script":"Get-CimInstance Win32_ComputerSystem | Select-Object Name,Manufacturer,TotalPhysicalMemory | ConvertTo-Json","timeout":"5m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"Name","label":"Hostname"},{"field":"Manufacturer","label":"Vendor"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}],"summary":[{"field":"Name","label":"Hostname"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}]},"staleness":{"mode":"cached"}}`,
	// kanade v0.31/v0.35: a software probe with an explode table (search)
	// and history; the simulated agents vary a few apps from minute to minute.
	`{"id":"demo-software","version":"1.0.0","description":"Installed software (demo)","execute":{"shell":"powershell","script":"Get-Package | Select-Object Name,Version,ProviderName | ConvertTo-Json","timeout":"5m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"os_build","label":"OS build"},{"field":"apps","label":"Applications","type":"table"}],"explode":[{"field":"apps","table":"demo_sw_apps","primary_key":["name"],"columns":[{"field":"name","index":true},{"field":"version","index":true},{"field":"publisher","index":true},{"field":"size_kb","type":"integer"}],"track_history":true}],"history_scalars":["os_build"]},"staleness":{"mode":"cached"}}`,
}

// demoHelloJob is fanned out once to a fleet started from the UI, so the
// first results appear without another click.
const demoHelloJob = "demo-hello"

// DemoStatus is GET /api/demo: whether a demo fleet runs and how to spot
// its agents.
type DemoStatus struct {
	Running   bool       `json:"running"`
	Agents    int        `json:"agents"`
	Prefix    string     `json:"prefix"`
	StartedAt *time.Time `json:"started_at"`
	// FirstExecID is the demo-hello fan-out sent when the fleet started
	// from the UI ("" otherwise).
	FirstExecID string `json:"first_exec_id,omitempty"`
}

// DemoStart is the request of StartDemo.
type DemoStart struct {
	Agents int `json:"agents"`
	// FirstRun fans demo-hello out to the new fleet once it runs.
	FirstRun bool `json:"first_run"`
}

// demoFleet is the running demo fleet, if any.
type demoFleet struct {
	mu        sync.Mutex
	fleet     *fleetsim.Fleet
	cancel    context.CancelFunc
	done      chan struct{}
	agents    int
	startedAt time.Time
	firstExec string
}

// demoCaller is who the demo's own writes are in the audit log.
var demoCaller = svcerr.Caller{Actor: "operator", Source: "demo"}

// DemoStatus reports the demo fleet.
func (c *Console) DemoStatus() DemoStatus {
	c.demo.mu.Lock()
	defer c.demo.mu.Unlock()
	return c.demoStatusLocked()
}

func (c *Console) demoStatusLocked() DemoStatus {
	st := DemoStatus{Prefix: DemoPrefix}
	if c.demo.fleet != nil {
		st.Running, st.Agents, st.FirstExecID = true, c.demo.agents, c.demo.firstExec
		at := c.demo.startedAt
		st.StartedAt = &at
	}
	return st
}

// StartDemo starts n simulated agents in this process against the console's
// own NATS, seeds demo jobs and groups when there are none and, with
// FirstRun, fans demo-hello out to them. The fleet runs until StopDemo or
// the console stops.
func (c *Console) StartDemo(ctx context.Context, req DemoStart) (DemoStatus, error) {
	if req.Agents < 1 || req.Agents > MaxDemoAgents {
		return DemoStatus{}, &svcerr.Error{Kind: svcerr.KindInvalid, Msg: fmt.Sprintf("agents must be 1-%d", MaxDemoAgents)}
	}
	if _, _, err := c.services(); err != nil {
		return DemoStatus{}, err
	}
	c.demo.mu.Lock()
	defer c.demo.mu.Unlock()
	if c.demo.fleet != nil {
		return DemoStatus{}, &svcerr.Error{Kind: svcerr.KindConflict, Msg: fmt.Sprintf("a demo fleet of %d agents is already running; stop it first", c.demo.agents)}
	}
	f, err := fleetsim.New(fleetsim.Config{
		Agents: req.Agents, Prefix: DemoPrefix, HeartbeatInterval: 15 * time.Second, FailureRate: 0.05,
		RunTimeMin: 200 * time.Millisecond, RunTimeMax: 3 * time.Second, Seed: time.Now().UnixNano(),
		// As kanade v0.30+ agents: started events, the live tail, skip flags.
		PublishStartedEvents: true,
		NATSOptions:          c.broker.ClientOptions(), Logger: c.log,
	})
	if err != nil {
		return DemoStatus{}, err
	}
	url := c.broker.ClientURL()
	if c.broker.Embedded() {
		url = "" // in-process transport
	}
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := f.Start(startCtx, url); err != nil {
		f.Stop()
		return DemoStatus{}, &svcerr.Error{Kind: svcerr.KindUnavailable, Msg: "the demo fleet did not start", Err: err}
	}
	// The fleet lives on the console's run context, not the request's.
	runCtx, stop := context.WithCancel(c.runCtx)
	done := make(chan struct{})
	c.demo.fleet, c.demo.cancel, c.demo.done = f, stop, done
	c.demo.agents, c.demo.startedAt, c.demo.firstExec = req.Agents, time.Now().UTC(), ""
	c.goFunc(runCtx, func(ctx context.Context) {
		<-ctx.Done()
		f.Stop()
		close(done)
	})
	c.log.Info("demo fleet running", "agents", req.Agents, "pc_ids", fmt.Sprintf("%s-00001…", DemoPrefix))
	c.seedDemo(ctx, f.PCIDs())
	if req.FirstRun {
		resp, err := c.Exec(ctx, demoHelloJob, wire.FanoutPlan{Target: wire.Target{PCs: f.PCIDs()}}, demoCaller)
		if err != nil {
			c.log.Warn("demo: first run", "job", demoHelloJob, "err", err)
		} else {
			c.demo.firstExec = resp.ExecID
		}
	}
	return c.demoStatusLocked(), nil
}

// StopDemo stops the demo fleet and removes its agents (and their group
// memberships) from the fleet views; their results stay, marked simulated.
// Stopping when none runs is not an error.
func (c *Console) StopDemo(ctx context.Context) (DemoStatus, error) {
	c.demo.mu.Lock()
	defer c.demo.mu.Unlock()
	if c.demo.fleet == nil {
		return c.demoStatusLocked(), nil
	}
	pcs := c.demo.fleet.PCIDs()
	c.demo.cancel()
	select {
	case <-c.demo.done:
	case <-ctx.Done():
		return DemoStatus{}, ctx.Err()
	}
	c.demo.fleet, c.demo.cancel, c.demo.done = nil, nil, nil
	c.forgetDemo(ctx, pcs)
	c.log.Info("demo fleet stopped", "agents", len(pcs))
	return c.demoStatusLocked(), nil
}

// forgetDemo drops the stopped fleet's group memberships and agent rows.
// The heartbeat projector flushes every 250 ms: rows are deleted once more
// after that, so a heartbeat still in its batch does not bring one back.
func (c *Console) forgetDemo(ctx context.Context, pcs []string) {
	if kv, err := c.broker.JetStream().KeyValue(ctx, wire.BucketAgentGroups); err == nil {
		for _, pc := range pcs {
			if err := kv.Delete(ctx, pc); err != nil {
				c.log.Warn("demo: remove groups", "pc_id", pc, "err", err)
				break
			}
		}
	}
	for i := range 2 {
		if i > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
		if _, err := c.store.DeleteAgentsMatching(ctx, demoGlob); err != nil {
			c.log.Warn("demo: remove agents", "err", err)
		}
	}
	c.ev.emit(EventAgents, len(pcs))
}

// runDemo starts the --demo-agents fleet when the services are up.
func (c *Console) runDemo(ctx context.Context) {
	if _, err := c.StartDemo(ctx, DemoStart{Agents: c.cfg.DemoAgents}); err != nil {
		c.log.Warn("demo fleet did not start", "err", err)
		return
	}
	c.log.Info(fmt.Sprintf("demo ready: try Exec demo-inventory on all %d agents", c.cfg.DemoAgents))
}

func (c *Console) seedDemo(ctx context.Context, pcs []string) {
	if jobs, err := c.ListJobs(ctx); err == nil && len(jobs) == 0 {
		for _, raw := range demoJobs {
			var m wire.Manifest
			if err := json.Unmarshal([]byte(raw), &m); err == nil {
				c.UpsertJob(ctx, m, demoCaller)
			}
		}
	} else if err == nil {
		// A catalog of its own still gets the job the first run fans out
		// and the one whose output can be watched live.
		for _, raw := range demoJobs[:2] {
			var m wire.Manifest
			if err := json.Unmarshal([]byte(raw), &m); err == nil && !hasJob(jobs, m.ID) {
				c.UpsertJob(ctx, m, demoCaller)
			}
		}
	}
	// Memberships go straight to KV: one audit event per demo PC would
	// bury the audit page.
	kv, err := c.broker.JetStream().KeyValue(ctx, wire.BucketAgentGroups)
	if groups, gerr := c.ListGroups(ctx); err == nil && gerr == nil && len(groups) == 0 {
		for i, pc := range pcs {
			group := "wave1"
			if i%10 == 0 {
				group = "canary"
			}
			data, _ := wire.Marshal(wire.AgentGroups{Groups: []string{group}})
			if _, err := kv.Put(ctx, pc, data); err != nil {
				c.log.Warn("demo groups", "pc_id", pc, "err", err)
				return
			}
		}
	}
}

func hasJob(jobs []execution.Job, id string) bool {
	for _, j := range jobs {
		if j.Key == id {
			return true
		}
	}
	return false
}
