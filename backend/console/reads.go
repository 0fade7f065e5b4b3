package console

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The read side: every list and detail the front doors show comes from the
// SQLite projection, paged and indexed.

func (c *Console) aliveSince() time.Time { return time.Now().Add(-execution.AliveWindow) }

// ListAgents pages agents.
func (c *Console) ListAgents(ctx context.Context, q store.AgentQuery) ([]store.AgentRow, int, error) {
	return c.store.ListAgents(ctx, q, c.aliveSince())
}

// EachAgent streams the agents of q (q.Limit < 0: every one) with their
// uncapped total, for 0.29's unpaged GET /api/agents. start runs once with
// the total before the first row.
func (c *Console) EachAgent(ctx context.Context, q store.AgentQuery, start func(total int), fn func(store.AgentRow) error) error {
	alive := c.aliveSince()
	total, err := c.store.CountAllAgents(ctx, q, alive)
	if err != nil {
		return err
	}
	start(total)
	return c.store.EachAgent(ctx, q, alive, fn)
}

// GetAgent reads one agent.
func (c *Console) GetAgent(ctx context.Context, pcID string) (store.AgentRow, error) {
	if err := execution.CheckIDs("pc_id", pcID); err != nil {
		return store.AgentRow{}, err
	}
	return c.store.GetAgent(ctx, pcID, c.aliveSince())
}

// ListGroups lists the groups with their member counts.
func (c *Console) ListGroups(ctx context.Context) ([]store.GroupCount, error) {
	return c.store.ListGroups(ctx)
}

// ListResults pages results.
func (c *Console) ListResults(ctx context.Context, q store.ResultQuery) ([]store.ResultRow, int, error) {
	return c.store.ListResults(ctx, q)
}

// GetResult reads one result.
func (c *Console) GetResult(ctx context.Context, id string) (store.ResultRow, error) {
	return c.store.GetResult(ctx, id)
}

// ListExecutions pages executions.
func (c *Console) ListExecutions(ctx context.Context, q store.ExecutionQuery) ([]store.ExecutionRow, int, error) {
	return c.store.ListExecutions(ctx, q)
}

// GetExecution reads an execution with its per-PC results and in-flight
// runs, each list cut at its limit.
func (c *Console) GetExecution(ctx context.Context, id string, lim store.DetailLimits) (store.ExecutionDetail, error) {
	for _, l := range []struct {
		name string
		v    int
	}{{"results_limit", lim.Results}, {"inflight_limit", lim.Inflight}} {
		if l.v < 0 || l.v > store.MaxExecutionResults {
			return store.ExecutionDetail{}, &svcerr.Error{Kind: svcerr.KindInvalid, Msg: fmt.Sprintf("%s must be an integer from 0 to %d", l.name, store.MaxExecutionResults)}
		}
	}
	return c.store.GetExecution(ctx, id, lim)
}

// ListAudit pages the audit log.
func (c *Console) ListAudit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, int, error) {
	return c.store.ListAudit(ctx, q)
}

// ListDeadLetters pages the dead letters.
func (c *Console) ListDeadLetters(ctx context.Context, p store.Page) ([]store.DeadLetterRow, int, error) {
	return c.store.ListDeadLetters(ctx, p)
}

// InventoryJob is one inventory probe of the catalog.
type InventoryJob struct {
	ManifestID  string               `json:"manifest_id"`
	Description *string              `json:"description"`
	Display     []wire.DisplayField  `json:"display"`
	Summary     *[]wire.DisplayField `json:"summary"`
	// Explode and HistoryScalars (kanade v0.31/v0.35; null when absent):
	// the fields InventorySearch and the history routes answer for.
	Explode        *[]wire.ExplodeSpec `json:"explode"`
	HistoryScalars *[]string           `json:"history_scalars"`
	// PCCount is how many PCs have a stored collection of the probe.
	PCCount int `json:"pc_count"`
}

// InventoryJobs lists the catalog's jobs that have an inventory hint.
//
// Like kanade, a missing jobs bucket is 503 here (an empty list would read
// as "no probes").
func (c *Console) InventoryJobs(ctx context.Context) ([]InventoryJob, error) {
	ex, _, err := c.services()
	if err != nil {
		return nil, err
	}
	jobs, err := ex.ListJobsStrict(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := c.store.InventoryPCCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := []InventoryJob{}
	for _, job := range jobs {
		m := job.Manifest
		if !job.Supported || m.Inventory == nil {
			continue
		}
		j := InventoryJob{ManifestID: m.ID, Description: m.Description, Display: m.Inventory.Display, PCCount: counts[m.ID]}
		if j.Display == nil {
			j.Display = []wire.DisplayField{}
		}
		if m.Inventory.Summary != nil {
			s := m.Inventory.Summary
			j.Summary = &s
		}
		if len(m.Inventory.Explode) > 0 {
			e := m.Inventory.Explode
			j.Explode = &e
		}
		if len(m.Inventory.HistoryScalars) > 0 {
			h := m.Inventory.HistoryScalars
			j.HistoryScalars = &h
		}
		out = append(out, j)
	}
	return out, nil
}

// InventoryByJob is GET /api/inventory/by-job/{manifest_id}.
type InventoryByJob struct {
	ManifestID string               `json:"manifest_id"`
	Display    json.RawMessage      `json:"display"`
	Summary    json.RawMessage      `json:"summary"`
	Rows       []store.InventoryRow `json:"rows"`
}

// GetInventoryByJob lists every PC's facts of one probe.
func (c *Console) GetInventoryByJob(ctx context.Context, jobID string, p store.Page) (InventoryByJob, int, error) {
	if err := execution.CheckIDs("manifest_id", jobID); err != nil {
		return InventoryByJob{}, 0, err
	}
	rows, display, summary, total, err := c.store.InventoryByJob(ctx, jobID, p)
	return InventoryByJob{ManifestID: jobID, Display: display, Summary: summary, Rows: rows}, total, err
}

// EachInventoryRow streams every PC's facts of one probe (0.29's unpaged
// GET /api/inventory/by-job): start gets the total and the probe's display
// and summary before the first row.
func (c *Console) EachInventoryRow(ctx context.Context, jobID string, start func(total int, display, summary json.RawMessage), fn func(store.InventoryRow) error) error {
	if err := execution.CheckIDs("manifest_id", jobID); err != nil {
		return err
	}
	total, err := c.store.CountAllInventory(ctx, jobID)
	if err != nil {
		return err
	}
	display, summary, err := c.store.InventoryHints(ctx, jobID)
	if err != nil {
		return err
	}
	start(total, display, summary)
	return c.store.EachInventoryRow(ctx, jobID, store.Page{Limit: -1}, fn)
}

// InventoryOfPC lists one PC's facts of every probe.
func (c *Console) InventoryOfPC(ctx context.Context, pcID string) ([]store.InventoryRow, error) {
	if err := execution.CheckIDs("pc_id", pcID); err != nil {
		return nil, err
	}
	return c.store.InventoryOfPC(ctx, pcID)
}

// JetStreamStatus reports which kanade resources exist.
func (c *Console) JetStreamStatus(ctx context.Context) broker.Resources {
	return broker.CheckResources(ctx, c.broker.JetStream())
}

// FleetHealth is GET /api/health/fleet.
type FleetHealth struct {
	Status        string             `json:"status"`
	Agents        store.AgentCounts  `json:"agents"`
	JetStream     JetStreamHealth    `json:"jetstream"`
	RecentResults store.ResultCounts `json:"recent_results"`
	ObservedAt    time.Time          `json:"observed_at"`
}

// JetStreamHealth is the resource part of FleetHealth.
type JetStreamHealth struct {
	AllOK   bool     `json:"all_ok"`
	Healthy int      `json:"healthy"`
	Total   int      `json:"total"`
	Missing []string `json:"missing"`
}

// FleetHealth rolls up agents, JetStream and the last 24 h of results. Like
// 0.29 it never fails: a query error counts as zero.
func (c *Console) FleetHealth(ctx context.Context) FleetHealth {
	now := time.Now().UTC()
	h := FleetHealth{ObservedAt: now}
	h.Agents, _ = c.store.CountAgents(ctx, c.aliveSince())
	h.RecentResults, _ = c.store.CountRecentResults(ctx, now.Add(-24*time.Hour))
	h.RecentResults.WindowHours = 24
	res := c.JetStreamStatus(ctx)
	missing := res.Missing()
	h.JetStream = JetStreamHealth{AllOK: len(missing) == 0, Healthy: res.Total() - len(missing), Total: res.Total(), Missing: missing}
	switch {
	case len(missing) > 0 || h.Agents.Stale > 0:
		h.Status = "degraded"
	case h.Agents.Known == 0:
		h.Status = "unknown"
	default:
		h.Status = "ok"
	}
	return h
}

// Status is GET /api/status: everything an operator needs to trust the
// projection.
type Status struct {
	Version     string            `json:"version"`
	InstanceID  string            `json:"instance_id"`
	NATS        NATSStatus        `json:"nats"`
	Projectors  []ProjectorStatus `json:"projectors"`
	Scheduler   SchedulerStatus   `json:"scheduler"`
	Agents      store.AgentCounts `json:"agents"`
	DeadLetters int               `json:"dead_letters"`
	// DeadLettersDropped counts dead letters dropped by the bounds since
	// start (store.DeadLettersPerSource, store.DeadLettersTotal).
	DeadLettersDropped uint64           `json:"dead_letters_dropped"`
	Ready              Readiness        `json:"ready"`
	JetStream          broker.Resources `json:"jetstream"`
	Retention          RetentionStatus  `json:"retention"`
	Database           DatabaseStatus   `json:"database"`
}

// NATSStatus is the connection part of Status.
type NATSStatus struct {
	Connected bool   `json:"connected"`
	Embedded  bool   `json:"embedded"`
	URL       string `json:"url"`
	// Recreated is set once NATS was found without the console's streams
	// (a new node, a wiped store) and they were re-created.
	Recreated *RecreatedStatus `json:"recreated,omitempty"`
}

// Status collects the console's state.
func (c *Console) Status(ctx context.Context) Status {
	st := Status{
		Version: c.version, InstanceID: c.instanceID,
		NATS:       NATSStatus{Connected: c.broker.Connected(), Embedded: c.broker.Embedded(), URL: c.broker.ClientURL(), Recreated: c.recreated.get()},
		Projectors: c.Projectors(ctx),
		Scheduler:  c.Scheduler(),
		Ready:      c.Readiness(ctx),
		JetStream:  c.JetStreamStatus(ctx),
		Retention:  c.Retention(),
		Database:   c.Database(),
	}
	st.Agents, _ = c.store.CountAgents(ctx, c.aliveSince())
	st.DeadLetters, _ = c.store.CountDeadLetters(ctx)
	st.DeadLettersDropped = c.store.DeadLettersDropped()
	return st
}

// ---- fleet configuration (thin pass-through to the execution service) ----

// AgentGroups reads a PC's groups.
func (c *Console) AgentGroups(ctx context.Context, pcID string) (wire.AgentGroups, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("pc_id", pcID)
	}
	if err != nil {
		return wire.AgentGroups{}, err
	}
	return ex.AgentGroups(ctx, pcID)
}

// SetAgentGroups replaces a PC's groups.
func (c *Console) SetAgentGroups(ctx context.Context, pcID string, groups []string, caller svcerr.Caller) (wire.AgentGroups, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("pc_id", pcID)
	}
	if err != nil {
		return wire.AgentGroups{}, err
	}
	return ex.SetAgentGroups(ctx, pcID, groups, caller)
}

// ChangeAgentGroup adds or removes one of a PC's groups.
func (c *Console) ChangeAgentGroup(ctx context.Context, pcID, group string, add bool, caller svcerr.Caller) (wire.AgentGroups, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("pc_id", pcID)
	}
	if err != nil {
		return wire.AgentGroups{}, err
	}
	return ex.ChangeAgentGroup(ctx, pcID, group, add, caller)
}

// ConfigScope reads a config scope.
func (c *Console) ConfigScope(ctx context.Context, key string) (wire.ConfigScope, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("config scope", key)
	}
	if err != nil {
		return wire.ConfigScope{}, err
	}
	return ex.ConfigScope(ctx, key)
}

// PutConfigScope writes a config scope.
func (c *Console) PutConfigScope(ctx context.Context, key string, scope wire.ConfigScope, caller svcerr.Caller) (wire.ConfigScope, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("config scope", key)
	}
	if err != nil {
		return wire.ConfigScope{}, err
	}
	return ex.PutConfigScope(ctx, key, scope, caller)
}

// DeleteConfigScope removes a config scope.
func (c *Console) DeleteConfigScope(ctx context.Context, key string, caller svcerr.Caller) error {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("config scope", key)
	}
	if err != nil {
		return err
	}
	return ex.DeleteConfigScope(ctx, key, caller)
}

// EffectiveConfig resolves a PC's configuration.
func (c *Console) EffectiveConfig(ctx context.Context, pcID string) (execution.EffectiveConfigResponse, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("pc_id", pcID)
	}
	if err != nil {
		return execution.EffectiveConfigResponse{}, err
	}
	return ex.EffectiveConfig(ctx, pcID)
}

// ListReleases lists the stored agent versions.
func (c *Console) ListReleases(ctx context.Context) ([]execution.Release, error) {
	ex, _, err := c.services()
	if err != nil {
		return nil, err
	}
	return ex.ListReleases(ctx)
}

// PublishRelease stores an agent binary.
func (c *Console) PublishRelease(ctx context.Context, data []byte, caller svcerr.Caller) (execution.PublishResponse, error) {
	ex, _, err := c.services()
	if err != nil {
		return execution.PublishResponse{}, err
	}
	return ex.PublishRelease(ctx, data, caller)
}

// DeleteRelease deletes a stored agent version.
func (c *Console) DeleteRelease(ctx context.Context, version string, caller svcerr.Caller) error {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("version", version)
	}
	if err != nil {
		return err
	}
	return ex.DeleteRelease(ctx, version, caller)
}

// Rollout targets a scope at an agent version.
func (c *Console) Rollout(ctx context.Context, req execution.RolloutRequest, caller svcerr.Caller) (execution.RolloutResponse, error) {
	ex, _, err := c.services()
	if err != nil {
		return execution.RolloutResponse{}, err
	}
	return ex.Rollout(ctx, req, caller)
}

// Version is the binary's version ("dev" when none was given).
func (c *Console) Version() string { return c.version }
