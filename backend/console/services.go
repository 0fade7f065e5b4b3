package console

import (
	"context"
	"maps"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/scheduler"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// LeaseTTL is how long a silent scheduler leader keeps the lease.
const LeaseTTL = 6 * time.Second

// startServices starts the execution side: delayed waves and the scheduler
// (both act only while this console holds the lease), the lease itself and
// the maintenance sweep (expiry of executions nobody answers, retention).
func (c *Console) startServices(ctx context.Context) {
	js := c.broker.JetStream()
	openBucket := c.replication().KeyValueOpener(js)
	c.exec = execution.New(execution.Options{Conn: c.broker.Conn(), JS: js, Store: c.store, Groups: c.groups, Logger: c.log, OpenBucket: openBucket, Clock: c.clock})
	c.lease = scheduler.NewLease(js, c.instanceID, LeaseTTL, nil, c.log)
	c.lease.OpenBucket = openBucket
	c.sched = scheduler.New(js, c.store, c.exec, c.lease, c.clock, c.log)
	c.sched.OpenBucket = openBucket
	c.goFunc(ctx, c.lease.Run)
	c.goFunc(ctx, func(ctx context.Context) { c.exec.RunWaves(ctx, c.lease.IsLeader) })
	c.goFunc(ctx, c.sched.Run)
	c.goFunc(ctx, c.maintenanceLoop)
	c.servicesReady.Store(true)
	if c.cfg.DemoAgents > 0 {
		c.goFunc(ctx, c.runDemo)
	}
}

func (c *Console) goFunc(ctx context.Context, fn func(context.Context)) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		fn(ctx)
	}()
}

// ExpireAfter is how long an execution may stay pending before the sweep
// marks it expired (kanade 0.30: 1 h).
const ExpireAfter = time.Hour

// SweepEvery is the maintenance timer kanade's sweeps share (5 minutes).
const SweepEvery = 5 * time.Minute

// maintenanceLoop expires stale executions, reaps in-flight runs whose
// result never came and prunes rows past their retention, at start and
// every SweepEvery. Each console sweeps its own
// database; no lease is needed.
func (c *Console) maintenanceLoop(ctx context.Context) {
	t := time.NewTicker(SweepEvery)
	defer t.Stop()
	for {
		if n, err := c.exec.ExpireStale(ctx, ExpireAfter); err != nil {
			c.log.Warn("expiry sweep", "err", err)
		} else if n > 0 {
			c.log.Info("expired stale executions", "count", n)
		}
		if _, err := c.ReapOnce(ctx, time.Now()); err != nil {
			c.log.Warn("in-flight reaper", "err", err)
		}
		c.sweepRetention(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// errNotReady is returned by service methods before NATS is bootstrapped.
var errNotReady = &svcerr.Error{Kind: svcerr.KindUnavailable, Msg: "the console is still connecting to NATS; try again shortly"}

func (c *Console) services() (*execution.Service, *scheduler.Scheduler, error) {
	if !c.servicesReady.Load() {
		return nil, nil, errNotReady
	}
	return c.exec, c.sched, nil
}

// Exec fans a catalog job out (POST /api/exec/{job_id}).
func (c *Console) Exec(ctx context.Context, jobID string, plan wire.FanoutPlan, caller svcerr.Caller) (wire.ExecResponse, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("job_id", jobID)
	}
	if err != nil {
		return wire.ExecResponse{}, err
	}
	return ex.Exec(ctx, jobID, plan, caller)
}

// KillJob kills every running exec of a job.
func (c *Console) KillJob(ctx context.Context, jobID string, caller svcerr.Caller) error {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("job_id", jobID)
	}
	if err != nil {
		return err
	}
	_, err = ex.KillJob(ctx, jobID, caller)
	return err
}

// KillExec kills one exec.
func (c *Console) KillExec(ctx context.Context, execID string, caller svcerr.Caller) error {
	ex, _, err := c.services()
	if err != nil {
		return err
	}
	return ex.KillExec(ctx, execID, caller)
}

// SetScriptStatus revokes or unrevokes a job.
func (c *Console) SetScriptStatus(ctx context.Context, jobID string, revoked bool, caller svcerr.Caller) error {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("job_id", jobID)
	}
	if err != nil {
		return err
	}
	return ex.SetScriptStatus(ctx, jobID, revoked, caller)
}

// ScriptStatus maps job ids to ACTIVE/REVOKED.
func (c *Console) ScriptStatus(ctx context.Context) (map[string]string, error) {
	ex, _, err := c.services()
	if err != nil {
		return nil, err
	}
	return ex.ScriptStatus(ctx)
}

// ListJobs is the catalog (unreadable values included, Supported false).
func (c *Console) ListJobs(ctx context.Context) ([]execution.Job, error) {
	ex, _, err := c.services()
	if err != nil {
		return nil, err
	}
	return ex.ListJobs(ctx)
}

// UpsertJob stores a manifest.
func (c *Console) UpsertJob(ctx context.Context, m wire.Manifest, caller svcerr.Caller) (execution.UpsertJobResponse, error) {
	ex, _, err := c.services()
	if err != nil {
		return execution.UpsertJobResponse{}, err
	}
	return ex.UpsertJob(ctx, m, caller)
}

// DeleteJob deletes a job unless a schedule references it.
func (c *Console) DeleteJob(ctx context.Context, jobID string, caller svcerr.Caller) error {
	ex, sc, err := c.services()
	if err == nil {
		err = execution.CheckIDs("job_id", jobID)
	}
	if err != nil {
		return err
	}
	refs, err := sc.Referencing(ctx, jobID)
	if err != nil {
		return err
	}
	return ex.DeleteJob(ctx, jobID, refs, caller)
}

// ListSchedules lists the schedules.
func (c *Console) ListSchedules(ctx context.Context) ([]scheduler.Listed, error) {
	_, sc, err := c.services()
	if err != nil {
		return nil, err
	}
	return sc.List(ctx)
}

// UpsertSchedule validates and stores a schedule.
func (c *Console) UpsertSchedule(ctx context.Context, s wire.Schedule, caller svcerr.Caller) (scheduler.UpsertResponse, error) {
	ex, sc, err := c.services()
	if err != nil {
		return scheduler.UpsertResponse{}, err
	}
	exists := func(jobID string) bool {
		_, err := ex.Manifest(ctx, jobID)
		return err == nil
	}
	return sc.Upsert(ctx, s, exists, caller)
}

// DeleteSchedule removes a schedule.
func (c *Console) DeleteSchedule(ctx context.Context, id string, caller svcerr.Caller) error {
	_, sc, err := c.services()
	if err == nil {
		err = execution.CheckIDs("schedule id", id)
	}
	if err != nil {
		return err
	}
	return sc.Delete(ctx, id, caller)
}

// DisableSchedule disables a schedule, optionally revoking its job.
func (c *Console) DisableSchedule(ctx context.Context, id string, cascade bool, caller svcerr.Caller) error {
	ex, sc, err := c.services()
	if err == nil {
		err = execution.CheckIDs("schedule id", id)
	}
	if err != nil {
		return err
	}
	revoke := func(jobID string) error { return ex.SetScriptStatus(ctx, jobID, true, caller) }
	return sc.Disable(ctx, id, cascade, revoke, caller)
}

// Run runs a script on one PC and waits for the result.
func (c *Console) Run(ctx context.Context, req execution.RunRequest) (wire.ExecResult, error) {
	ex, _, err := c.services()
	if err != nil {
		return wire.ExecResult{}, err
	}
	return ex.Run(ctx, req)
}

// Ping waits for a PC's next heartbeat.
func (c *Console) Ping(ctx context.Context, pcID string, wait time.Duration) (wire.Heartbeat, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("pc_id", pcID)
	}
	if err != nil {
		return wire.Heartbeat{}, err
	}
	return ex.Ping(ctx, pcID, wait)
}

// Logs fetches an agent's log tail.
func (c *Console) Logs(ctx context.Context, pcID string, tail uint32) (string, error) {
	ex, _, err := c.services()
	if err == nil {
		err = execution.CheckIDs("pc_id", pcID)
	}
	if err != nil {
		return "", err
	}
	return ex.Logs(ctx, pcID, tail)
}

// CronNext lists the next n (CronCount) fire times of a cron expression
// (year field included); an expression that does not parse or never fires
// is a 400.
func (c *Console) CronNext(expr string, n *int) (CronNextResponse, error) {
	count, err := CronCount(n)
	if err != nil {
		return CronNextResponse{}, err
	}
	now := time.Now()
	spec, err := scheduler.CheckRunnable(expr, now)
	if err != nil {
		return CronNextResponse{}, &svcerr.Error{Kind: svcerr.KindInvalid, Msg: err.Error()}
	}
	return CronNextResponse{Cron: expr, Next: spec.NextTimes(now, count)}, nil
}

// SchedulerStatus is the scheduler part of Status.
type SchedulerStatus struct {
	Leader       string                  `json:"leader"`
	LeaderSince  *time.Time              `json:"leader_since,omitempty"`
	IsLeader     bool                    `json:"is_leader"`
	LeaseTTLSecs float64                 `json:"lease_ttl_secs"`
	Schedules    []scheduler.EntryStatus `json:"schedules"`
	PendingWaves []execution.PendingWave `json:"pending_waves"`
}

// Scheduler reports the leader and the schedules.
func (c *Console) Scheduler() SchedulerStatus {
	st := SchedulerStatus{LeaseTTLSecs: LeaseTTL.Seconds(), Schedules: []scheduler.EntryStatus{}, PendingWaves: []execution.PendingWave{}}
	ex, sc, err := c.services()
	if err != nil {
		return st
	}
	info := c.lease.Current()
	st.Leader, st.IsLeader = info.Holder, c.lease.IsLeader()
	if !info.Since.IsZero() {
		st.LeaderSince = &info.Since
	}
	st.Schedules = sc.Entries()
	st.PendingWaves = ex.PendingWaves()
	return st
}

// sweepRetention deletes what the retention policy no longer keeps, a bounded
// number of batches per table, and adds the counts to RetentionDeleted.
func (c *Console) sweepRetention(ctx context.Context) {
	start := time.Now()
	deleted, err := c.store.SweepRetention(ctx, start.UTC(), c.cfg.Retention, store.DefaultSweepLimits)
	c.retentionMu.Lock()
	for table, n := range deleted {
		c.retentionDeleted[table] += uint64(n)
	}
	c.lastSweepAt = start.UTC()
	c.retentionMu.Unlock()
	if err != nil {
		c.log.Warn("retention sweep", "err", err)
	}
	if len(deleted) > 0 {
		attrs := []any{"took", time.Since(start).Round(time.Millisecond)}
		for table, n := range deleted {
			attrs = append(attrs, table, n)
		}
		c.log.Info("retention sweep deleted old rows", attrs...)
	}
}

// RetentionDeleted is how many rows the retention sweep has deleted per
// table since the console started.
func (c *Console) RetentionDeleted() map[string]uint64 {
	c.retentionMu.Lock()
	defer c.retentionMu.Unlock()
	return maps.Clone(c.retentionDeleted)
}

// RetentionStatus is the retention part of Status.
type RetentionStatus struct {
	Tables      []RetentionTable `json:"tables"`
	EverySecs   int              `json:"every_secs"`
	LastSweepAt *time.Time       `json:"last_sweep_at"`
	// ReapInflightSecs is the reaper's threshold (0 = never reaps);
	// Reaped how many in-flight runs it stamped since start.
	ReapInflightSecs int64  `json:"reap_inflight_secs"`
	Reaped           uint64 `json:"reaped"`
}

// RetentionTable is one swept table: how long it keeps rows (0 = forever)
// and how many the sweep deleted since the console started.
type RetentionTable struct {
	Table    string `json:"table"`
	Column   string `json:"column"`
	KeepSecs int64  `json:"keep_secs"`
	Deleted  uint64 `json:"deleted"`
}

// Retention reports the policy and what the sweep has done.
func (c *Console) Retention() RetentionStatus {
	c.retentionMu.Lock()
	defer c.retentionMu.Unlock()
	rs := RetentionStatus{EverySecs: int(SweepEvery / time.Second), Tables: []RetentionTable{},
		ReapInflightSecs: int64(c.cfg.Retention.ReapInflight / time.Second), Reaped: c.reaped.Load()}
	if !c.lastSweepAt.IsZero() {
		at := c.lastSweepAt
		rs.LastSweepAt = &at
	}
	for _, t := range store.RetentionTables(c.cfg.Retention) {
		rs.Tables = append(rs.Tables, RetentionTable{Table: t.Table, Column: t.Column, KeepSecs: int64(t.Keep / time.Second), Deleted: c.retentionDeleted[t.Table]})
	}
	return rs
}
