package app

import (
	"context"
	"encoding/base64"
	"math"
	"time"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The ops, in the order of frontend/src/api/ops.ts. Each mirrors the HTTP
// handler of the same route in backend/api (same checks, same console call,
// same status codes); the comment names the route.

// maxYAMLBody is the HTTP API's limit for a job or schedule body.
const maxYAMLBody = 1 << 20

func need(name, v string) error {
	if v == "" {
		return badRequest("missing %s", name)
	}
	return nil
}

// ---- health / status ----

// Health is GET /health: the text "ok".
func (a *App) Health(_ Empty) (string, error) { return "ok", nil }

// Healthz is GET /healthz.
func (a *App) Healthz(_ Empty) (HealthzResponse, error) {
	return HealthzResponse{Status: "ok"}, nil
}

// GetReady is GET /readyz. Not being ready is an answer, not an error.
func (a *App) GetReady(_ Empty) (Readiness, error) {
	ctx, c, err := a.core()
	if err != nil {
		return Readiness{Ready: false, Status: "not ready", Checks: map[string]string{"core": toJSONError(err).Message}}, nil
	}
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return recode[Readiness](c.Readiness(rctx))
}

// GetStatus is GET /api/status.
func (a *App) GetStatus(_ Empty) (ConsoleStatus, error) {
	return do(a, "GetStatus", func(ctx context.Context, c *console.Console) (ConsoleStatus, error) {
		return recode[ConsoleStatus](c.Status(ctx))
	})
}

// GetFleetHealth is GET /api/health/fleet; a degraded fleet is an answer.
func (a *App) GetFleetHealth(_ Empty) (FleetHealth, error) {
	return do(a, "GetFleetHealth", func(ctx context.Context, c *console.Console) (FleetHealth, error) {
		return recode[FleetHealth](c.FleetHealth(ctx))
	})
}

// GetJetStreamStatus is GET /api/jetstream/status.
func (a *App) GetJetStreamStatus(_ Empty) (JetStreamStatus, error) {
	return do(a, "GetJetStreamStatus", func(ctx context.Context, c *console.Console) (JetStreamStatus, error) {
		return recode[JetStreamStatus](c.JetStreamStatus(ctx))
	})
}

// ListDeadLetters is GET /api/dead-letters.
func (a *App) ListDeadLetters(req PageRequest) (DeadLettersPage, error) {
	return do(a, "ListDeadLetters", func(ctx context.Context, c *console.Console) (DeadLettersPage, error) {
		p, err := req.page()
		if err != nil {
			return DeadLettersPage{}, err
		}
		rows, total, err := c.ListDeadLetters(ctx, p)
		if err != nil {
			return DeadLettersPage{}, err
		}
		items, err := recodeItems[DeadLetter](rows)
		return DeadLettersPage{Items: items, Total: total}, err
	})
}

// CronNext is GET /api/cron/next.
func (a *App) CronNext(req CronNextRequest) (CronNextResponse, error) {
	return do(a, "CronNext", func(_ context.Context, c *console.Console) (CronNextResponse, error) {
		resp, err := c.CronNext(req.Cron, req.N)
		if err != nil {
			return CronNextResponse{}, err
		}
		return recode[CronNextResponse](resp)
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
func (a *App) ListAgents(req ListAgentsRequest) (AgentsPage, error) {
	return do(a, "ListAgents", func(ctx context.Context, c *console.Console) (AgentsPage, error) {
		p, err := req.page()
		if err != nil {
			return AgentsPage{}, err
		}
		if req.Status != "" && req.Status != "online" && req.Status != "stale" {
			return AgentsPage{}, badRequest("status must be online or stale")
		}
		rows, total, err := c.ListAgents(ctx, store.AgentQuery{Q: req.Q, Status: req.Status, Group: req.Group, Page: p})
		if err != nil {
			return AgentsPage{}, err
		}
		items, err := recodeItems[Agent](rows)
		return AgentsPage{Items: items, Total: total}, err
	})
}

// GetAgent is GET /api/agents/{pc_id}.
func (a *App) GetAgent(req PcRequest) (Agent, error) {
	return do(a, "GetAgent", func(ctx context.Context, c *console.Console) (Agent, error) {
		row, err := c.GetAgent(ctx, req.PCID)
		if err != nil {
			return Agent{}, err
		}
		return recode[Agent](row)
	})
}

// GetAgentGroups is GET /api/agents/{pc_id}/groups.
func (a *App) GetAgentGroups(req PcRequest) (AgentGroups, error) {
	return do(a, "GetAgentGroups", func(ctx context.Context, c *console.Console) (AgentGroups, error) {
		g, err := c.AgentGroups(ctx, req.PCID)
		if err != nil {
			return AgentGroups{}, err
		}
		return recode[AgentGroups](g)
	})
}

// SetAgentGroups is PUT /api/agents/{pc_id}/groups.
func (a *App) SetAgentGroups(req SetAgentGroupsRequest) (AgentGroups, error) {
	return do(a, "SetAgentGroups", func(ctx context.Context, c *console.Console) (AgentGroups, error) {
		g, err := c.SetAgentGroups(ctx, req.PCID, req.Groups, caller)
		if err != nil {
			return AgentGroups{}, err
		}
		return recode[AgentGroups](g)
	})
}

// AddAgentGroup is POST /api/agents/{pc_id}/groups.
func (a *App) AddAgentGroup(req AgentGroupRequest) (AgentGroups, error) {
	return a.changeGroup("AddAgentGroup", req, true)
}

// RemoveAgentGroup is DELETE /api/agents/{pc_id}/groups/{group}.
func (a *App) RemoveAgentGroup(req AgentGroupRequest) (AgentGroups, error) {
	return a.changeGroup("RemoveAgentGroup", req, false)
}

func (a *App) changeGroup(op string, req AgentGroupRequest, add bool) (AgentGroups, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (AgentGroups, error) {
		g, err := c.ChangeAgentGroup(ctx, req.PCID, req.Group, add, caller)
		if err != nil {
			return AgentGroups{}, err
		}
		return recode[AgentGroups](g)
	})
}

// PingAgent is POST /api/agents/{pc_id}/ping?wait_secs=N.
func (a *App) PingAgent(req PingAgentRequest) (PingResponse, error) {
	return do(a, "PingAgent", func(ctx context.Context, c *console.Console) (PingResponse, error) {
		wait := 45 * time.Second
		if req.WaitSecs != nil {
			if *req.WaitSecs <= 0 || *req.WaitSecs > 600 {
				return PingResponse{}, badRequest("wait_secs must be 1-600")
			}
			wait = time.Duration(*req.WaitSecs) * time.Second
		}
		hb, err := c.Ping(ctx, req.PCID, wait)
		if err != nil {
			return PingResponse{}, err
		}
		return recode[PingResponse](map[string]any{"heartbeat": hb})
	})
}

// GetAgentLogs is GET /api/agents/{pc_id}/logs?tail=N (text).
func (a *App) GetAgentLogs(req AgentLogsRequest) (string, error) {
	return do(a, "GetAgentLogs", func(ctx context.Context, c *console.Console) (string, error) {
		tail := uint32(500)
		if req.Tail != nil {
			if *req.Tail <= 0 || *req.Tail > math.MaxUint32 {
				return "", badRequest("tail must be a positive integer")
			}
			tail = uint32(*req.Tail)
		}
		return c.Logs(ctx, req.PCID, tail)
	})
}

// ListGroups is GET /api/groups (every group, like the HTTP route).
func (a *App) ListGroups(_ PageRequest) (GroupsPage, error) {
	return do(a, "ListGroups", func(ctx context.Context, c *console.Console) (GroupsPage, error) {
		groups, err := c.ListGroups(ctx)
		if err != nil {
			return GroupsPage{}, err
		}
		items, err := recodeItems[GroupInfo](groups)
		return GroupsPage{Items: items, Total: len(groups)}, err
	})
}

// ---- config ----

// GetEffectiveConfig is GET /api/agents/{pc_id}/effective_config.
func (a *App) GetEffectiveConfig(req PcRequest) (EffectiveConfigResponse, error) {
	return do(a, "GetEffectiveConfig", func(ctx context.Context, c *console.Console) (EffectiveConfigResponse, error) {
		eff, err := c.EffectiveConfig(ctx, req.PCID)
		if err != nil {
			return EffectiveConfigResponse{}, err
		}
		return recode[EffectiveConfigResponse](eff)
	})
}

func (a *App) getScope(op, key string) (ConfigScope, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (ConfigScope, error) {
		scope, err := c.ConfigScope(ctx, key)
		if err != nil {
			return ConfigScope{}, err
		}
		return recode[ConfigScope](scope)
	})
}

func (a *App) putScope(op string, keyOf func() (string, error), raw rawRequest, pathKeys ...string) (ConfigScope, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (ConfigScope, error) {
		key, err := keyOf()
		if err != nil {
			return ConfigScope{}, err
		}
		body, err := raw.body(pathKeys...)
		if err != nil {
			return ConfigScope{}, err
		}
		var scope wire.ConfigScope
		if err := decodeBody(body, &scope); err != nil {
			return ConfigScope{}, err
		}
		out, err := c.PutConfigScope(ctx, key, scope, caller)
		if err != nil {
			return ConfigScope{}, err
		}
		return recode[ConfigScope](out)
	})
}

func (a *App) deleteScope(op string, keyOf func() (string, error)) error {
	return doNone(a, op, func(ctx context.Context, c *console.Console) error {
		key, err := keyOf()
		if err != nil {
			return err
		}
		return c.DeleteConfigScope(ctx, key, caller)
	})
}

func groupKey(name string) func() (string, error) {
	return func() (string, error) { return wire.ConfigKeyGroup(name), need("name", name) }
}

func pcKey(pcID string) func() (string, error) {
	return func() (string, error) { return wire.ConfigKeyPC(pcID), need("pc_id", pcID) }
}

// GetGlobalConfig is GET /api/config.
func (a *App) GetGlobalConfig(_ Empty) (ConfigScope, error) {
	return a.getScope("GetGlobalConfig", wire.ConfigKeyGlobal)
}

// PutGlobalConfig is PUT /api/config.
func (a *App) PutGlobalConfig(req PutGlobalConfigRequest) (ConfigScope, error) {
	return a.putScope("PutGlobalConfig", func() (string, error) { return wire.ConfigKeyGlobal, nil }, req.raw)
}

// GetGroupConfig is GET /api/groups/{name}/config.
func (a *App) GetGroupConfig(req GroupRequest) (ConfigScope, error) {
	if err := need("name", req.Name); err != nil {
		return ConfigScope{}, toJSONError(err)
	}
	return a.getScope("GetGroupConfig", wire.ConfigKeyGroup(req.Name))
}

// PutGroupConfig is PUT /api/groups/{name}/config.
func (a *App) PutGroupConfig(req PutGroupConfigRequest) (ConfigScope, error) {
	return a.putScope("PutGroupConfig", groupKey(req.Name), req.raw, "name")
}

// DeleteGroupConfig is DELETE /api/groups/{name}/config.
func (a *App) DeleteGroupConfig(req GroupRequest) error {
	return a.deleteScope("DeleteGroupConfig", groupKey(req.Name))
}

// GetPcConfig is GET /api/pcs/{pc_id}/config.
func (a *App) GetPcConfig(req PcRequest) (ConfigScope, error) {
	if err := need("pc_id", req.PCID); err != nil {
		return ConfigScope{}, toJSONError(err)
	}
	return a.getScope("GetPcConfig", wire.ConfigKeyPC(req.PCID))
}

// PutPcConfig is PUT /api/pcs/{pc_id}/config.
func (a *App) PutPcConfig(req PutPcConfigRequest) (ConfigScope, error) {
	return a.putScope("PutPcConfig", pcKey(req.PCID), req.raw, "pc_id")
}

// DeletePcConfig is DELETE /api/pcs/{pc_id}/config.
func (a *App) DeletePcConfig(req PcRequest) error {
	return a.deleteScope("DeletePcConfig", pcKey(req.PCID))
}

// ---- results / executions / audit ----

// ListResults is GET /api/results.
func (a *App) ListResults(req ListResultsRequest) (ResultsPage, error) {
	return do(a, "ListResults", func(ctx context.Context, c *console.Console) (ResultsPage, error) {
		p, err := req.page()
		if err != nil {
			return ResultsPage{}, err
		}
		q := store.ResultQuery{PCID: req.PCID, JobID: req.JobID, ExecID: req.ExecID, Status: req.Status, Q: req.Q, Page: p}
		if q.Status != "" && q.Status != "success" && q.Status != "failure" {
			return ResultsPage{}, badRequest("status must be success or failure")
		}
		if q.Since, err = timeParam("since", req.Since); err != nil {
			return ResultsPage{}, err
		}
		if q.Until, err = timeParam("until", req.Until); err != nil {
			return ResultsPage{}, err
		}
		if req.Preview != nil {
			if *req.Preview < 1 {
				return ResultsPage{}, badRequest("preview must be a positive number of characters")
			}
			q.Preview = *req.Preview
		}
		rows, total, err := c.ListResults(ctx, q)
		if err != nil {
			return ResultsPage{}, err
		}
		items, err := recodeItems[Result](rows)
		return ResultsPage{Items: items, Total: total}, err
	})
}

// GetResult is GET /api/results/{result_id}.
func (a *App) GetResult(req ResultRequest) (Result, error) {
	return do(a, "GetResult", func(ctx context.Context, c *console.Console) (Result, error) {
		row, err := c.GetResult(ctx, req.ResultID)
		if err != nil {
			return Result{}, err
		}
		return recode[Result](row)
	})
}

// ListExecutions is GET /api/executions.
func (a *App) ListExecutions(req ListExecutionsRequest) (ExecutionsPage, error) {
	return do(a, "ListExecutions", func(ctx context.Context, c *console.Console) (ExecutionsPage, error) {
		p, err := req.page()
		if err != nil {
			return ExecutionsPage{}, err
		}
		rows, total, err := c.ListExecutions(ctx, store.ExecutionQuery{JobID: req.JobID, Status: req.Status, Page: p})
		if err != nil {
			return ExecutionsPage{}, err
		}
		items, err := recodeItems[Execution](rows)
		return ExecutionsPage{Items: items, Total: total}, err
	})
}

// GetExecution is GET /api/executions/{exec_id}.
func (a *App) GetExecution(req ExecutionDetailRequest) (ExecutionDetail, error) {
	return do(a, "GetExecution", func(ctx context.Context, c *console.Console) (ExecutionDetail, error) {
		lim := store.FullDetail
		if req.ResultsLimit != nil {
			lim.Results = *req.ResultsLimit
		}
		if req.InflightLimit != nil {
			lim.Inflight = *req.InflightLimit
		}
		d, err := c.GetExecution(ctx, req.ExecID, lim)
		if err != nil {
			return ExecutionDetail{}, err
		}
		return recode[ExecutionDetail](d)
	})
}

// KillExecution is POST /api/executions/{exec_id}/kill.
func (a *App) KillExecution(req ExecutionRequest) error {
	return doNone(a, "KillExecution", func(ctx context.Context, c *console.Console) error {
		return c.KillExec(ctx, req.ExecID, caller)
	})
}

// ListAudit is GET /api/audit.
func (a *App) ListAudit(req ListAuditRequest) (AuditPage, error) {
	return do(a, "ListAudit", func(ctx context.Context, c *console.Console) (AuditPage, error) {
		p, err := req.page()
		if err != nil {
			return AuditPage{}, err
		}
		q := store.AuditQuery{Actor: req.Actor, Action: req.Action, Page: p}
		if q.Since, err = timeParam("since", req.Since); err != nil {
			return AuditPage{}, err
		}
		if q.Until, err = timeParam("until", req.Until); err != nil {
			return AuditPage{}, err
		}
		rows, total, err := c.ListAudit(ctx, q)
		if err != nil {
			return AuditPage{}, err
		}
		items, err := recodeItems[AuditEvent](rows)
		return AuditPage{Items: items, Total: total}, err
	})
}

// ---- run / exec ----

// RunScript is POST /api/run: a synchronous run on one PC; 408 on timeout.
func (a *App) RunScript(req RunScriptRequest) (ExecResult, error) {
	return do(a, "RunScript", func(ctx context.Context, c *console.Console) (ExecResult, error) {
		body, err := req.raw.body()
		if err != nil {
			return ExecResult{}, err
		}
		var in struct {
			execution.RunRequest
			// job_id: the pre-0.29 name of exec_id (as over HTTP).
			JobID *string `json:"job_id"`
		}
		if err := decodeBody(body, &in); err != nil {
			return ExecResult{}, err
		}
		run := in.RunRequest
		if run.ExecID == nil {
			run.ExecID = in.JobID
		}
		res, err := c.Run(ctx, run)
		if err != nil {
			return ExecResult{}, err
		}
		return recode[ExecResult](res)
	})
}

// ExecJob is POST /api/exec/{job_id} with a FanoutPlan.
func (a *App) ExecJob(req ExecJobRequest) (ExecResponse, error) {
	return do(a, "ExecJob", func(ctx context.Context, c *console.Console) (ExecResponse, error) {
		body, err := req.raw.body("job_id")
		if err != nil {
			return ExecResponse{}, err
		}
		var plan wire.FanoutPlan
		if err := decodeBody(body, &plan); err != nil {
			return ExecResponse{}, err
		}
		resp, err := c.Exec(ctx, req.JobID, plan, caller)
		if err != nil {
			return ExecResponse{}, err
		}
		return recode[ExecResponse](resp)
	})
}

// ---- jobs / scripts ----

// ListJobs is GET /api/jobs.
func (a *App) ListJobs(req PageRequest) (JobsPage, error) {
	return do(a, "ListJobs", func(ctx context.Context, c *console.Console) (JobsPage, error) {
		p, err := req.page()
		if err != nil {
			return JobsPage{}, err
		}
		all, err := c.ListJobs(ctx)
		if err != nil {
			return JobsPage{}, err
		}
		items := make([]Manifest, 0, len(all))
		for _, j := range window(all, p) {
			m, err := recode[Manifest](j)
			if err != nil { // a stored value whose fields have other types
				m = Manifest{ID: j.Key, Supported: new(bool), Reason: j.Reason}
			}
			items = append(items, m)
		}
		return JobsPage{Items: items, Total: len(all)}, nil
	})
}

func (a *App) upsertJob(ctx context.Context, c *console.Console, m wire.Manifest) (JobUpsertResponse, error) {
	resp, err := c.UpsertJob(ctx, m, caller)
	if err != nil {
		return JobUpsertResponse{}, err
	}
	return recode[JobUpsertResponse](resp)
}

// UpsertJob is POST /api/jobs with a Manifest (JSON).
func (a *App) UpsertJob(req UpsertJobRequest) (JobUpsertResponse, error) {
	return do(a, "UpsertJob", func(ctx context.Context, c *console.Console) (JobUpsertResponse, error) {
		body, err := req.raw.body()
		if err != nil {
			return JobUpsertResponse{}, err
		}
		var m wire.Manifest
		if err := decodeBody(body, &m); err != nil {
			return JobUpsertResponse{}, err
		}
		return a.upsertJob(ctx, c, m)
	})
}

// UpsertJobYaml is POST /api/jobs with a Manifest (YAML).
func (a *App) UpsertJobYaml(req YAMLRequest) (JobUpsertResponse, error) {
	return do(a, "UpsertJobYaml", func(ctx context.Context, c *console.Console) (JobUpsertResponse, error) {
		if len(req.YAML) > maxYAMLBody {
			return JobUpsertResponse{}, tooLarge("request body larger than %d bytes", maxYAMLBody)
		}
		m, err := wire.ParseManifestYAML([]byte(req.YAML))
		if err != nil {
			return JobUpsertResponse{}, unprocessable("invalid manifest YAML: %v", err)
		}
		return a.upsertJob(ctx, c, m)
	})
}

// DeleteJob is DELETE /api/jobs/{id}; 409 while a schedule references it.
func (a *App) DeleteJob(req IDRequest) error {
	return doNone(a, "DeleteJob", func(ctx context.Context, c *console.Console) error {
		return c.DeleteJob(ctx, req.ID, caller)
	})
}

// KillJob is POST /api/jobs/{job_id}/kill.
func (a *App) KillJob(req JobRequest) error {
	return doNone(a, "KillJob", func(ctx context.Context, c *console.Console) error {
		return c.KillJob(ctx, req.JobID, caller)
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
		if err := need("cmd_id", req.CmdID); err != nil {
			return err
		}
		return c.SetScriptStatus(ctx, req.CmdID, revoked, caller)
	})
}

// ---- schedules ----

// ListSchedules is GET /api/schedules.
func (a *App) ListSchedules(req PageRequest) (SchedulesPage, error) {
	return do(a, "ListSchedules", func(ctx context.Context, c *console.Console) (SchedulesPage, error) {
		p, err := req.page()
		if err != nil {
			return SchedulesPage{}, err
		}
		all, err := c.ListSchedules(ctx)
		if err != nil {
			return SchedulesPage{}, err
		}
		items := make([]Schedule, 0, len(all))
		for _, l := range window(all, p) {
			sch, err := recode[Schedule](l)
			if err != nil { // a stored value whose fields have other types
				sch = Schedule{ID: l.Key, Supported: new(bool), Reason: l.Reason}
			}
			items = append(items, sch)
		}
		return SchedulesPage{Items: items, Total: len(all)}, nil
	})
}

func (a *App) upsertSchedule(ctx context.Context, c *console.Console, s wire.Schedule) (ScheduleUpsertResponse, error) {
	resp, err := c.UpsertSchedule(ctx, s, caller)
	if err != nil {
		return ScheduleUpsertResponse{}, err
	}
	return recode[ScheduleUpsertResponse](resp)
}

// UpsertSchedule is POST /api/schedules with a Schedule (JSON).
func (a *App) UpsertSchedule(req UpsertScheduleRequest) (ScheduleUpsertResponse, error) {
	return do(a, "UpsertSchedule", func(ctx context.Context, c *console.Console) (ScheduleUpsertResponse, error) {
		body, err := req.raw.body()
		if err != nil {
			return ScheduleUpsertResponse{}, err
		}
		var s wire.Schedule
		if err := decodeBody(body, &s); err != nil {
			return ScheduleUpsertResponse{}, err
		}
		return a.upsertSchedule(ctx, c, s)
	})
}

// UpsertScheduleYaml is POST /api/schedules with a Schedule (YAML).
func (a *App) UpsertScheduleYaml(req YAMLRequest) (ScheduleUpsertResponse, error) {
	return do(a, "UpsertScheduleYaml", func(ctx context.Context, c *console.Console) (ScheduleUpsertResponse, error) {
		if len(req.YAML) > maxYAMLBody {
			return ScheduleUpsertResponse{}, tooLarge("request body larger than %d bytes", maxYAMLBody)
		}
		s, err := wire.ParseScheduleYAML([]byte(req.YAML))
		if err != nil {
			return ScheduleUpsertResponse{}, unprocessable("invalid schedule YAML: %v", err)
		}
		return a.upsertSchedule(ctx, c, s)
	})
}

// DeleteSchedule is DELETE /api/schedules/{id}.
func (a *App) DeleteSchedule(req IDRequest) error {
	return doNone(a, "DeleteSchedule", func(ctx context.Context, c *console.Console) error {
		return c.DeleteSchedule(ctx, req.ID, caller)
	})
}

// DisableSchedule is POST /api/schedules/{id}/disable?cascade=.
func (a *App) DisableSchedule(req DisableScheduleRequest) error {
	return doNone(a, "DisableSchedule", func(ctx context.Context, c *console.Console) error {
		cascade := req.Cascade != nil && *req.Cascade
		return c.DisableSchedule(ctx, req.ID, cascade, caller)
	})
}

// ---- inventory ----

// ListInventoryJobs is GET /api/inventory/jobs.
func (a *App) ListInventoryJobs(req PageRequest) (InventoryJobsPage, error) {
	return do(a, "ListInventoryJobs", func(ctx context.Context, c *console.Console) (InventoryJobsPage, error) {
		p, err := req.page()
		if err != nil {
			return InventoryJobsPage{}, err
		}
		all, err := c.InventoryJobs(ctx)
		if err != nil {
			return InventoryJobsPage{}, err
		}
		items, err := recodeItems[InventoryJob](window(all, p))
		return InventoryJobsPage{Items: items, Total: len(all)}, err
	})
}

// GetInventoryByJob is GET /api/inventory/by-job/{manifest_id} (rows paged,
// 1000 by default: a fleet table).
func (a *App) GetInventoryByJob(req InventoryByJobRequest) (InventoryByJob, error) {
	return do(a, "GetInventoryByJob", func(ctx context.Context, c *console.Console) (InventoryByJob, error) {
		p, err := req.page()
		if err != nil {
			return InventoryByJob{}, err
		}
		if req.Limit == nil {
			p.Limit = 1000
		}
		inv, _, err := c.GetInventoryByJob(ctx, req.ManifestID, p)
		if err != nil {
			return InventoryByJob{}, err
		}
		return recode[InventoryByJob](inv)
	})
}

// ListPcInventory is GET /api/inventory/{pc_id}.
func (a *App) ListPcInventory(req PcRequest) (PcInventoryPage, error) {
	return do(a, "ListPcInventory", func(ctx context.Context, c *console.Console) (PcInventoryPage, error) {
		rows, err := c.InventoryOfPC(ctx, req.PCID)
		if err != nil {
			return PcInventoryPage{}, err
		}
		items, err := recodeItems[PcInventoryEntry](rows)
		return PcInventoryPage{Items: items, Total: len(rows)}, err
	})
}

// ---- agent releases ----

// ListReleases is GET /api/agents/releases.
func (a *App) ListReleases(req PageRequest) (ReleasesPage, error) {
	return do(a, "ListReleases", func(ctx context.Context, c *console.Console) (ReleasesPage, error) {
		p, err := req.page()
		if err != nil {
			return ReleasesPage{}, err
		}
		all, err := c.ListReleases(ctx)
		if err != nil {
			return ReleasesPage{}, err
		}
		items, err := recodeItems[Release](window(all, p))
		return ReleasesPage{Items: items, Total: len(all)}, err
	})
}

// DeleteRelease is DELETE /api/agents/releases/{version}.
func (a *App) DeleteRelease(req VersionRequest) error {
	return doNone(a, "DeleteRelease", func(ctx context.Context, c *console.Console) error {
		return c.DeleteRelease(ctx, req.Version, caller)
	})
}

// RolloutAgent is POST /api/agents/rollout.
func (a *App) RolloutAgent(req RolloutAgentRequest) (RolloutResponse, error) {
	return do(a, "RolloutAgent", func(ctx context.Context, c *console.Console) (RolloutResponse, error) {
		body, err := req.raw.body()
		if err != nil {
			return RolloutResponse{}, err
		}
		var in execution.RolloutRequest
		if err := decodeBody(body, &in); err != nil {
			return RolloutResponse{}, err
		}
		resp, err := c.Rollout(ctx, in, caller)
		if err != nil {
			return RolloutResponse{}, err
		}
		return recode[RolloutResponse](resp)
	})
}

// PublishAgent is POST /api/agents/publish; the SPA sends the file's bytes
// base64-encoded instead of a multipart body (64 MiB limit).
func (a *App) PublishAgent(req PublishAgentRequest) (PublishResponse, error) {
	return do(a, "PublishAgent", func(ctx context.Context, c *console.Console) (PublishResponse, error) {
		if req.DataBase64 == "" {
			return PublishResponse{}, badRequest("missing file data")
		}
		if base64.StdEncoding.DecodedLen(len(req.DataBase64)) > execution.MaxReleaseBytes+2 {
			return PublishResponse{}, tooLarge("agent binary larger than 64 MiB")
		}
		data, err := base64.StdEncoding.DecodeString(req.DataBase64)
		if err != nil {
			return PublishResponse{}, badRequest("data_base64 is not valid base64")
		}
		if len(data) > execution.MaxReleaseBytes {
			return PublishResponse{}, tooLarge("agent binary larger than 64 MiB")
		}
		resp, err := c.PublishRelease(ctx, data, caller)
		if err != nil {
			return PublishResponse{}, err
		}
		return recode[PublishResponse](resp)
	})
}
