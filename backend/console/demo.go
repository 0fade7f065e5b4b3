package console

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// demoJobs fill an empty catalog on a --demo-agents first run, so the demo
// fleet has something to run and the inventory page has data.
var demoJobs = []string{
	`{"id":"demo-hello","version":"1.0.0","description":"Say hello (demo)","execute":{"shell":"powershell","script":"echo hello from the demo fleet","timeout":"1m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`,
	`{"id":"demo-inventory","version":"1.0.0","description":"Hardware inventory probe (demo)","execute":{"shell":"powershell","script":"Get-CimInstance Win32_ComputerSystem | Select-Object Name,Manufacturer,TotalPhysicalMemory | ConvertTo-Json","timeout":"5m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"Name","label":"Hostname"},{"field":"Manufacturer","label":"Vendor"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}],"summary":[{"field":"Name","label":"Hostname"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}]},"staleness":{"mode":"cached"}}`,
}

// runDemo runs N simulated agents in this process against the console's own
// NATS (--demo-agents), puts them in two groups and seeds demo jobs.
func (c *Console) runDemo(ctx context.Context) {
	n := c.cfg.DemoAgents
	f, err := fleetsim.New(fleetsim.Config{
		Agents: n, Prefix: "DEMO", HeartbeatInterval: 15 * time.Second, FailureRate: 0.05,
		RunTimeMin: 200 * time.Millisecond, RunTimeMax: 3 * time.Second, Seed: time.Now().UnixNano(),
		NATSOptions: c.broker.ClientOptions(), Logger: c.log.With("component", "demo-fleet"),
	})
	if err != nil {
		c.log.Warn("demo fleet", "err", err)
		return
	}
	url := c.broker.ClientURL()
	if c.broker.Embedded() {
		url = "" // in-process transport
	}
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := f.Start(startCtx, url); err != nil {
		c.log.Warn("demo fleet did not start", "err", err)
		return
	}
	c.log.Info("demo fleet running", "agents", n)
	c.seedDemo(ctx, f.PCIDs())
	<-ctx.Done()
	f.Stop()
}

func (c *Console) seedDemo(ctx context.Context, pcs []string) {
	caller := execution.Caller{Actor: "operator", Source: "demo"}
	if jobs, err := c.ListJobs(ctx); err == nil && len(jobs) == 0 {
		for _, raw := range demoJobs {
			var m wire.Manifest
			if err := json.Unmarshal([]byte(raw), &m); err == nil {
				c.UpsertJob(ctx, m, caller)
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
	c.log.Info(fmt.Sprintf("demo ready: try Exec demo-inventory on all %d agents", len(pcs)))
}
