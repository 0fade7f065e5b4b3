package app

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/scheduler"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The ops, in the order of frontend/src/api/ops.ts. Each adapts like the
// HTTP handler of the same route in backend/api: the request's rules are
// the console's (backend/console/params.go), the answer is the console's
// own value, which encodes to the JSON the HTTP route sends. Only a list's
// envelope differs: {"items": [...], "total": N} where HTTP sends the
// array and X-Total-Count.

// Page is a list op's answer: one page and the total before paging.
type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func pageOf[T any](items []T, total int) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: total}
}

// window pages a list the service returns whole (catalog-sized lists),
// like the HTTP API's paging of jobs, schedules, releases and probes.
func window[T any](all []T, p store.Page) Page[T] {
	start := min(p.Offset, len(all))
	return pageOf(all[start:min(start+p.Limit, len(all))], len(all))
}

// listAll answers a list the service returns whole, paged by req.
func listAll[T any](a *App, op string, req console.Paging, fetch func(*console.Console, context.Context) ([]T, error)) (Page[T], error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (Page[T], error) {
		p, err := req.Page(console.DefaultLimit)
		if err != nil {
			return Page[T]{}, err
		}
		all, err := fetch(c, ctx)
		if err != nil {
			return Page[T]{}, err
		}
		return window(all, p), nil
	})
}

// listQuery answers a list op whose request the console turns into a query.
func listQuery[Q, T any](a *App, op string, query func() (Q, error), list func(*console.Console, context.Context, Q) ([]T, int, error)) (Page[T], error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (Page[T], error) {
		q, err := query()
		if err != nil {
			return Page[T]{}, err
		}
		rows, total, err := list(c, ctx, q)
		return pageOf(rows, total), err
	})
}

// withBody answers an op whose body is a wire type: the path parameter
// pathKey ("" for none) and the rest decoded as B, as console.DecodeJSON
// decodes an HTTP body.
func withBody[B, R any](a *App, op string, req JSONBody, pathKey string, fn func(ctx context.Context, c *console.Console, path string, body B) (R, error)) (R, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (R, error) {
		var body B
		path, err := req.split(pathKey, &body)
		if err != nil {
			var zero R
			return zero, err
		}
		return fn(ctx, c, path, body)
	})
}

// ---- health / status ----

// Health is GET /health: the text "ok".
func (a *App) Health(_ Empty) (string, error) { return "ok", nil }

// Healthz is GET /healthz.
func (a *App) Healthz(_ Empty) (map[string]string, error) {
	return map[string]string{"status": "ok"}, nil
}

// GetReady is GET /readyz. Not being ready is an answer, not an error.
func (a *App) GetReady(_ Empty) (console.Readiness, error) {
	ctx, c, err := a.core()
	if err != nil {
		return console.Readiness{Ready: false, Status: "not ready", Checks: map[string]string{"core": toJSONError(err).Message}}, nil
	}
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return c.Readiness(rctx), nil
}

// GetStatus is GET /api/status.
func (a *App) GetStatus(_ Empty) (console.Status, error) {
	return do(a, "GetStatus", func(ctx context.Context, c *console.Console) (console.Status, error) {
		return c.Status(ctx), nil
	})
}

// GetFleetHealth is GET /api/health/fleet; a degraded fleet is an answer.
func (a *App) GetFleetHealth(_ Empty) (console.FleetHealth, error) {
	return do(a, "GetFleetHealth", func(ctx context.Context, c *console.Console) (console.FleetHealth, error) {
		return c.FleetHealth(ctx), nil
	})
}

// GetJetStreamStatus is GET /api/jetstream/status.
func (a *App) GetJetStreamStatus(_ Empty) (broker.Resources, error) {
	return do(a, "GetJetStreamStatus", func(ctx context.Context, c *console.Console) (broker.Resources, error) {
		return c.JetStreamStatus(ctx), nil
	})
}

// ListDeadLetters is GET /api/dead-letters.
func (a *App) ListDeadLetters(req console.Paging) (Page[store.DeadLetterRow], error) {
	return listQuery(a, "ListDeadLetters", func() (store.Page, error) { return req.Page(console.DefaultLimit) }, (*console.Console).ListDeadLetters)
}

// CronNext is GET /api/cron/next.
func (a *App) CronNext(req CronNextRequest) (console.CronNextResponse, error) {
	return do(a, "CronNext", func(_ context.Context, c *console.Console) (console.CronNextResponse, error) {
		return c.CronNext(req.Cron, req.N)
	})
}

// GetOpenAPI is GET /api/openapi.json.
func (a *App) GetOpenAPI(_ Empty) (map[string]any, error) {
	return do(a, "GetOpenAPI", func(context.Context, *console.Console) (map[string]any, error) {
		return a.host.OpenAPI()
	})
}

// GetMetrics is GET /metrics (Prometheus text).
func (a *App) GetMetrics(_ Empty) (string, error) {
	return do(a, "GetMetrics", func(context.Context, *console.Console) (string, error) {
		return a.host.Metrics()
	})
}

// ---- agents ----

// ListAgents is GET /api/agents.
func (a *App) ListAgents(req console.AgentsRequest) (Page[store.AgentRow], error) {
	return listQuery(a, "ListAgents", func() (store.AgentQuery, error) { return req.Query(console.DefaultLimit) }, (*console.Console).ListAgents)
}

// GetAgent is GET /api/agents/{pc_id}.
func (a *App) GetAgent(req PcRequest) (store.AgentRow, error) {
	return do(a, "GetAgent", func(ctx context.Context, c *console.Console) (store.AgentRow, error) {
		return c.GetAgent(ctx, req.PCID)
	})
}

// GetAgentGroups is GET /api/agents/{pc_id}/groups.
func (a *App) GetAgentGroups(req PcRequest) (wire.AgentGroups, error) {
	return do(a, "GetAgentGroups", func(ctx context.Context, c *console.Console) (wire.AgentGroups, error) {
		return c.AgentGroups(ctx, req.PCID)
	})
}

// SetAgentGroups is PUT /api/agents/{pc_id}/groups.
func (a *App) SetAgentGroups(req SetAgentGroupsRequest) (wire.AgentGroups, error) {
	return do(a, "SetAgentGroups", func(ctx context.Context, c *console.Console) (wire.AgentGroups, error) {
		return c.SetAgentGroups(ctx, req.PCID, req.Groups, callerOf(ctx))
	})
}

// AddAgentGroup is POST /api/agents/{pc_id}/groups.
func (a *App) AddAgentGroup(req AgentGroupRequest) (wire.AgentGroups, error) {
	return a.changeGroup("AddAgentGroup", req, true)
}

// RemoveAgentGroup is DELETE /api/agents/{pc_id}/groups/{group}.
func (a *App) RemoveAgentGroup(req AgentGroupRequest) (wire.AgentGroups, error) {
	return a.changeGroup("RemoveAgentGroup", req, false)
}

func (a *App) changeGroup(op string, req AgentGroupRequest, add bool) (wire.AgentGroups, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (wire.AgentGroups, error) {
		return c.ChangeAgentGroup(ctx, req.PCID, req.Group, add, callerOf(ctx))
	})
}

// PingAgent is POST /api/agents/{pc_id}/ping?wait_secs=N.
func (a *App) PingAgent(req PingAgentRequest) (console.PingResponse, error) {
	return do(a, "PingAgent", func(ctx context.Context, c *console.Console) (console.PingResponse, error) {
		wait, err := console.PingWait(req.WaitSecs)
		if err != nil {
			return console.PingResponse{}, err
		}
		hb, err := c.Ping(ctx, req.PCID, wait)
		return console.PingResponse{Heartbeat: hb}, err
	})
}

// GetAgentLogs is GET /api/agents/{pc_id}/logs?tail=N (text).
func (a *App) GetAgentLogs(req AgentLogsRequest) (string, error) {
	return do(a, "GetAgentLogs", func(ctx context.Context, c *console.Console) (string, error) {
		tail, err := console.LogTail(req.Tail)
		if err != nil {
			return "", err
		}
		return c.Logs(ctx, req.PCID, tail)
	})
}

// ListGroups is GET /api/groups.
func (a *App) ListGroups(req console.Paging) (Page[store.GroupCount], error) {
	return listAll(a, "ListGroups", req, (*console.Console).ListGroups)
}

// ---- config ----

// GetEffectiveConfig is GET /api/agents/{pc_id}/effective_config.
func (a *App) GetEffectiveConfig(req PcRequest) (execution.EffectiveConfigResponse, error) {
	return do(a, "GetEffectiveConfig", func(ctx context.Context, c *console.Console) (execution.EffectiveConfigResponse, error) {
		return c.EffectiveConfig(ctx, req.PCID)
	})
}

// scope names a config scope by its route: the global one, a group's
// (path key "name") or a PC's ("pc_id").
type scope struct{ pathKey string }

var (
	globalScope = scope{}
	groupScope  = scope{"name"}
	pcScope     = scope{"pc_id"}
)

// key is the agent_config key of the scope named v.
func (s scope) key(v string) (string, error) {
	switch s.pathKey {
	case "name":
		return wire.ConfigKeyGroup(v), need("name", v)
	case "pc_id":
		return wire.ConfigKeyPC(v), need("pc_id", v)
	}
	return wire.ConfigKeyGlobal, nil
}

func (a *App) getScope(op string, s scope, v string) (wire.ConfigScope, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (wire.ConfigScope, error) {
		key, err := s.key(v)
		if err != nil {
			return wire.ConfigScope{}, err
		}
		return c.ConfigScope(ctx, key)
	})
}

func (a *App) putScope(op string, s scope, req JSONBody) (wire.ConfigScope, error) {
	return withBody(a, op, req, s.pathKey, func(ctx context.Context, c *console.Console, v string, body wire.ConfigScope) (wire.ConfigScope, error) {
		key, err := s.key(v)
		if err != nil {
			return wire.ConfigScope{}, err
		}
		return c.PutConfigScope(ctx, key, body, callerOf(ctx))
	})
}

func (a *App) deleteScope(op string, s scope, v string) error {
	return doNone(a, op, func(ctx context.Context, c *console.Console) error {
		key, err := s.key(v)
		if err != nil {
			return err
		}
		return c.DeleteConfigScope(ctx, key, callerOf(ctx))
	})
}

// GetGlobalConfig is GET /api/config.
func (a *App) GetGlobalConfig(_ Empty) (wire.ConfigScope, error) {
	return a.getScope("GetGlobalConfig", globalScope, "")
}

// PutGlobalConfig is PUT /api/config with a ConfigScope.
func (a *App) PutGlobalConfig(req JSONBody) (wire.ConfigScope, error) {
	return a.putScope("PutGlobalConfig", globalScope, req)
}

// GetGroupConfig is GET /api/groups/{name}/config.
func (a *App) GetGroupConfig(req GroupRequest) (wire.ConfigScope, error) {
	return a.getScope("GetGroupConfig", groupScope, req.Name)
}

// PutGroupConfig is PUT /api/groups/{name}/config: name and a ConfigScope.
func (a *App) PutGroupConfig(req JSONBody) (wire.ConfigScope, error) {
	return a.putScope("PutGroupConfig", groupScope, req)
}

// DeleteGroupConfig is DELETE /api/groups/{name}/config.
func (a *App) DeleteGroupConfig(req GroupRequest) error {
	return a.deleteScope("DeleteGroupConfig", groupScope, req.Name)
}

// GetPcConfig is GET /api/pcs/{pc_id}/config.
func (a *App) GetPcConfig(req PcRequest) (wire.ConfigScope, error) {
	return a.getScope("GetPcConfig", pcScope, req.PCID)
}

// PutPcConfig is PUT /api/pcs/{pc_id}/config: pc_id and a ConfigScope.
func (a *App) PutPcConfig(req JSONBody) (wire.ConfigScope, error) {
	return a.putScope("PutPcConfig", pcScope, req)
}

// DeletePcConfig is DELETE /api/pcs/{pc_id}/config.
func (a *App) DeletePcConfig(req PcRequest) error {
	return a.deleteScope("DeletePcConfig", pcScope, req.PCID)
}

// ---- results / executions / audit ----

// ListResults is GET /api/results.
func (a *App) ListResults(req console.ResultsRequest) (Page[store.ResultRow], error) {
	return listQuery(a, "ListResults", req.Query, (*console.Console).ListResults)
}

// GetResult is GET /api/results/{result_id}.
func (a *App) GetResult(req ResultRequest) (store.ResultRow, error) {
	return do(a, "GetResult", func(ctx context.Context, c *console.Console) (store.ResultRow, error) {
		return c.GetResult(ctx, req.ResultID)
	})
}

// ResultTail is GET /api/results/{result_id}/tail.
func (a *App) ResultTail(req ResultRequest) (console.ResultTail, error) {
	return do(a, "ResultTail", func(ctx context.Context, c *console.Console) (console.ResultTail, error) {
		return c.ResultTail(ctx, req.ResultID)
	})
}

// ListExecutions is GET /api/executions.
func (a *App) ListExecutions(req console.ExecutionsRequest) (Page[store.ExecutionRow], error) {
	return listQuery(a, "ListExecutions", req.Query, (*console.Console).ListExecutions)
}

// GetExecution is GET /api/executions/{exec_id}.
func (a *App) GetExecution(req ExecutionDetailRequest) (store.ExecutionDetail, error) {
	return do(a, "GetExecution", func(ctx context.Context, c *console.Console) (store.ExecutionDetail, error) {
		return c.GetExecution(ctx, req.ExecID, req.Limits())
	})
}

// KillExecution is POST /api/executions/{exec_id}/kill.
func (a *App) KillExecution(req ExecutionRequest) error {
	return doNone(a, "KillExecution", func(ctx context.Context, c *console.Console) error {
		return c.KillExec(ctx, req.ExecID, callerOf(ctx))
	})
}

// ListAudit is GET /api/audit.
func (a *App) ListAudit(req console.AuditRequest) (Page[store.AuditEntry], error) {
	return listQuery(a, "ListAudit", req.Query, (*console.Console).ListAudit)
}

// ---- run / exec ----

// RunScript is POST /api/run (a console.RunBody): a synchronous run on one
// PC; 408 on timeout.
func (a *App) RunScript(req JSONBody) (wire.ExecResult, error) {
	return withBody(a, "RunScript", req, "", func(ctx context.Context, c *console.Console, _ string, body console.RunBody) (wire.ExecResult, error) {
		return c.Run(ctx, body.Request())
	})
}

// ExecJob is POST /api/exec/{job_id}: job_id and a FanoutPlan.
func (a *App) ExecJob(req JSONBody) (wire.ExecResponse, error) {
	return withBody(a, "ExecJob", req, "job_id", func(ctx context.Context, c *console.Console, jobID string, plan wire.FanoutPlan) (wire.ExecResponse, error) {
		return c.Exec(ctx, jobID, plan, callerOf(ctx))
	})
}

// ---- jobs / scripts ----

// ListJobs is GET /api/jobs.
func (a *App) ListJobs(req console.Paging) (Page[console.JobRow], error) {
	return listAll(a, "ListJobs", req, (*console.Console).ListJobRows)
}

// UpsertJob is POST /api/jobs with a Manifest (JSON).
func (a *App) UpsertJob(req JSONBody) (execution.UpsertJobResponse, error) {
	return withBody(a, "UpsertJob", req, "", func(ctx context.Context, c *console.Console, _ string, m wire.Manifest) (execution.UpsertJobResponse, error) {
		return c.UpsertJob(ctx, m, callerOf(ctx))
	})
}

// UpsertJobYaml is POST /api/jobs with a Manifest (YAML).
func (a *App) UpsertJobYaml(req YAMLRequest) (execution.UpsertJobResponse, error) {
	return do(a, "UpsertJobYaml", func(ctx context.Context, c *console.Console) (execution.UpsertJobResponse, error) {
		m, err := console.ManifestYAML([]byte(req.YAML))
		if err != nil {
			return execution.UpsertJobResponse{}, err
		}
		return c.UpsertJob(ctx, m, callerOf(ctx))
	})
}

// DeleteJob is DELETE /api/jobs/{id}; 409 while a schedule references it.
func (a *App) DeleteJob(req IDRequest) error {
	return doNone(a, "DeleteJob", func(ctx context.Context, c *console.Console) error {
		return c.DeleteJob(ctx, req.ID, callerOf(ctx))
	})
}

// KillJob is POST /api/jobs/{job_id}/kill.
func (a *App) KillJob(req JobRequest) error {
	return doNone(a, "KillJob", func(ctx context.Context, c *console.Console) error {
		return c.KillJob(ctx, req.JobID, callerOf(ctx))
	})
}

// GetScriptStatus is GET /api/scripts/status.
func (a *App) GetScriptStatus(_ Empty) (map[string]string, error) {
	return do(a, "GetScriptStatus", func(ctx context.Context, c *console.Console) (map[string]string, error) {
		st, err := c.ScriptStatus(ctx)
		if st == nil && err == nil {
			st = map[string]string{}
		}
		return st, err
	})
}

// RevokeScript is POST /api/scripts/{cmd_id}/revoke.
func (a *App) RevokeScript(req CmdRequest) error { return a.setScript("RevokeScript", req, true) }

// UnrevokeScript is POST /api/scripts/{cmd_id}/unrevoke.
func (a *App) UnrevokeScript(req CmdRequest) error {
	return a.setScript("UnrevokeScript", req, false)
}

func (a *App) setScript(op string, req CmdRequest, revoked bool) error {
	return doNone(a, op, func(ctx context.Context, c *console.Console) error {
		return c.SetScriptStatus(ctx, req.CmdID, revoked, callerOf(ctx))
	})
}

// ---- schedules ----

// ListSchedules is GET /api/schedules.
func (a *App) ListSchedules(req console.Paging) (Page[scheduler.Listed], error) {
	return listAll(a, "ListSchedules", req, (*console.Console).ListSchedules)
}

// UpsertSchedule is POST /api/schedules with a Schedule (JSON).
func (a *App) UpsertSchedule(req JSONBody) (scheduler.UpsertResponse, error) {
	return withBody(a, "UpsertSchedule", req, "", func(ctx context.Context, c *console.Console, _ string, s wire.Schedule) (scheduler.UpsertResponse, error) {
		return c.UpsertSchedule(ctx, s, callerOf(ctx))
	})
}

// UpsertScheduleYaml is POST /api/schedules with a Schedule (YAML).
func (a *App) UpsertScheduleYaml(req YAMLRequest) (scheduler.UpsertResponse, error) {
	return do(a, "UpsertScheduleYaml", func(ctx context.Context, c *console.Console) (scheduler.UpsertResponse, error) {
		s, err := console.ScheduleYAML([]byte(req.YAML))
		if err != nil {
			return scheduler.UpsertResponse{}, err
		}
		return c.UpsertSchedule(ctx, s, callerOf(ctx))
	})
}

// DeleteSchedule is DELETE /api/schedules/{id}.
func (a *App) DeleteSchedule(req IDRequest) error {
	return doNone(a, "DeleteSchedule", func(ctx context.Context, c *console.Console) error {
		return c.DeleteSchedule(ctx, req.ID, callerOf(ctx))
	})
}

// DisableSchedule is POST /api/schedules/{id}/disable?cascade=.
func (a *App) DisableSchedule(req DisableScheduleRequest) error {
	return doNone(a, "DisableSchedule", func(ctx context.Context, c *console.Console) error {
		cascade := req.Cascade != nil && *req.Cascade
		return c.DisableSchedule(ctx, req.ID, cascade, callerOf(ctx))
	})
}

// ---- inventory ----

// ListInventoryJobs is GET /api/inventory/jobs.
func (a *App) ListInventoryJobs(req console.Paging) (Page[console.InventoryJob], error) {
	return listAll(a, "ListInventoryJobs", req, (*console.Console).InventoryJobs)
}

// inventoryRows is the page size of a probe's fleet table without limit:
// the desktop shows the fleet in one table.
const inventoryRows = 1000

// GetInventoryByJob is GET /api/inventory/by-job/{manifest_id} (rows paged).
func (a *App) GetInventoryByJob(req InventoryByJobRequest) (console.InventoryByJob, error) {
	return do(a, "GetInventoryByJob", func(ctx context.Context, c *console.Console) (console.InventoryByJob, error) {
		p, err := req.Page(inventoryRows)
		if err != nil {
			return console.InventoryByJob{}, err
		}
		inv, _, err := c.GetInventoryByJob(ctx, req.ManifestID, p)
		return inv, err
	})
}

// ListPcInventory is GET /api/inventory/{pc_id}.
func (a *App) ListPcInventory(req PcRequest) (Page[store.InventoryRow], error) {
	return do(a, "ListPcInventory", func(ctx context.Context, c *console.Console) (Page[store.InventoryRow], error) {
		rows, err := c.InventoryOfPC(ctx, req.PCID)
		return pageOf(rows, len(rows)), err
	})
}

// ---- agent releases ----

// ListReleases is GET /api/agents/releases.
func (a *App) ListReleases(req console.Paging) (Page[execution.Release], error) {
	return listAll(a, "ListReleases", req, (*console.Console).ListReleases)
}

// DeleteRelease is DELETE /api/agents/releases/{version}.
func (a *App) DeleteRelease(req VersionRequest) error {
	return doNone(a, "DeleteRelease", func(ctx context.Context, c *console.Console) error {
		return c.DeleteRelease(ctx, req.Version, callerOf(ctx))
	})
}

// RolloutAgent is POST /api/agents/rollout with a RolloutRequest.
func (a *App) RolloutAgent(req JSONBody) (execution.RolloutResponse, error) {
	return withBody(a, "RolloutAgent", req, "", func(ctx context.Context, c *console.Console, _ string, in execution.RolloutRequest) (execution.RolloutResponse, error) {
		return c.Rollout(ctx, in, callerOf(ctx))
	})
}

// PublishAgent is POST /api/agents/publish; the SPA sends the file's bytes
// base64-encoded instead of a multipart body (64 MiB limit, checked before
// decoding; DecodedLen counts up to two padding bytes more).
func (a *App) PublishAgent(req PublishAgentRequest) (execution.PublishResponse, error) {
	return do(a, "PublishAgent", func(ctx context.Context, c *console.Console) (execution.PublishResponse, error) {
		if req.DataBase64 == "" {
			return execution.PublishResponse{}, invalid("missing file data")
		}
		if err := execution.CheckReleaseSize(base64.StdEncoding.DecodedLen(len(req.DataBase64)) - 2); err != nil {
			return execution.PublishResponse{}, err
		}
		data, err := base64.StdEncoding.DecodeString(req.DataBase64)
		if err != nil {
			return execution.PublishResponse{}, invalid("data_base64 is not valid base64")
		}
		return c.PublishRelease(ctx, data, callerOf(ctx))
	})
}
