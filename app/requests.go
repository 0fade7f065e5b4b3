package app

// The request types of the bindings: the ONE argument the SPA passes, i.e.
// the op's path parameters, query keys and body fields merged under their
// wire names (frontend/src/api/ops.ts, OpTypes[op].req). Optional fields are
// pointers or omitempty, so the generated TypeScript marks them optional.
//
// Requests whose body is a kanade wire type (job, schedule, fan-out plan,
// config scope, rollout, run) also keep the raw object: the wire decoder
// then sees the same JSON as the HTTP body, with the same checks.

// Empty is the request of ops without parameters.
type Empty struct{}

// PageRequest is the paging of every list op: limit (default 50, max 1000)
// and offset (default 0).
type PageRequest struct {
	Limit  *int `json:"limit,omitempty"`
	Offset *int `json:"offset,omitempty"`
}

// CronNextRequest asks for the next n (1-100, default 5) fire times.
type CronNextRequest struct {
	Cron string `json:"cron"`
	N    *int   `json:"n,omitempty"`
}

// ListAgentsRequest filters agents: q (substring of pc_id or hostname),
// status online|stale, group.
type ListAgentsRequest struct {
	PageRequest
	Q      string `json:"q,omitempty"`
	Status string `json:"status,omitempty"`
	Group  string `json:"group,omitempty"`
}

// PcRequest names one PC.
type PcRequest struct {
	PCID string `json:"pc_id"`
}

// SetAgentGroupsRequest replaces a PC's groups.
type SetAgentGroupsRequest struct {
	PCID   string   `json:"pc_id"`
	Groups []string `json:"groups"`
}

// AgentGroupRequest adds or removes one group of a PC.
type AgentGroupRequest struct {
	PCID  string `json:"pc_id"`
	Group string `json:"group"`
}

// PingAgentRequest waits up to wait_secs (1-600, default 45) for a heartbeat.
type PingAgentRequest struct {
	PCID     string `json:"pc_id"`
	WaitSecs *int   `json:"wait_secs,omitempty"`
}

// AgentLogsRequest asks for the last tail (default 500) lines of a log.
type AgentLogsRequest struct {
	PCID string `json:"pc_id"`
	Tail *int64 `json:"tail,omitempty"`
}

// GroupRequest names one group.
type GroupRequest struct {
	Name string `json:"name"`
}

// PutGlobalConfigRequest is the global ConfigScope.
type PutGlobalConfigRequest struct {
	ConfigScope
	raw rawRequest
}

// PutGroupConfigRequest is a group name and its ConfigScope.
type PutGroupConfigRequest struct {
	Name string `json:"name"`
	ConfigScope
	raw rawRequest
}

// PutPcConfigRequest is a PC and its ConfigScope.
type PutPcConfigRequest struct {
	PCID string `json:"pc_id"`
	ConfigScope
	raw rawRequest
}

// ListResultsRequest filters results; since/until are RFC 3339 on
// recorded_at, q searches stdout/stderr, preview truncates them.
type ListResultsRequest struct {
	PageRequest
	PCID    string `json:"pc_id,omitempty"`
	JobID   string `json:"job_id,omitempty"`
	ExecID  string `json:"exec_id,omitempty"`
	Status  string `json:"status,omitempty"`
	Since   string `json:"since,omitempty"`
	Until   string `json:"until,omitempty"`
	Q       string `json:"q,omitempty"`
	Preview *int   `json:"preview,omitempty"`
}

// ResultRequest names one result.
type ResultRequest struct {
	ResultID string `json:"result_id"`
}

// ListExecutionsRequest filters executions.
type ListExecutionsRequest struct {
	PageRequest
	JobID  string `json:"job_id,omitempty"`
	Status string `json:"status,omitempty"`
}

// ExecutionRequest names one execution.
type ExecutionRequest struct {
	ExecID string `json:"exec_id"`
}

// ExecutionDetailRequest names one execution and, optionally, how many
// per-PC results and in-flight runs to include (0 to 10,000; default all up
// to 10,000).
type ExecutionDetailRequest struct {
	ExecID        string `json:"exec_id"`
	ResultsLimit  *int   `json:"results_limit,omitempty"`
	InflightLimit *int   `json:"inflight_limit,omitempty"`
}

// ListAuditRequest filters the audit log.
type ListAuditRequest struct {
	PageRequest
	Actor  string `json:"actor,omitempty"`
	Action string `json:"action,omitempty"`
	Since  string `json:"since,omitempty"`
	Until  string `json:"until,omitempty"`
}

// RunScriptRequest runs a script on one PC and waits (timeout_secs,
// default 60, plus 10 s).
type RunScriptRequest struct {
	PCID        string  `json:"pc_id"`
	Shell       string  `json:"shell,omitempty"`
	Script      string  `json:"script"`
	TimeoutSecs *uint64 `json:"timeout_secs,omitempty"`
	ExecID      *string `json:"exec_id,omitempty"`
	raw         rawRequest
}

// ExecJobRequest fans a catalog job out with a FanoutPlan: target (all,
// groups, pcs), optional rollout waves and jitter.
type ExecJobRequest struct {
	JobID      string   `json:"job_id"`
	Target     Target   `json:"target"`
	Rollout    *Rollout `json:"rollout,omitempty"`
	Jitter     *string  `json:"jitter,omitempty"`
	DeadlineAt *string  `json:"deadline_at,omitempty"`
	raw        rawRequest
}

// UpsertJobRequest is a Manifest (JSON).
type UpsertJobRequest struct {
	Manifest
	raw rawRequest
}

// YAMLRequest is a raw YAML document (a Manifest or a Schedule).
type YAMLRequest struct {
	YAML string `json:"yaml"`
}

// IDRequest names a job or a schedule.
type IDRequest struct {
	ID string `json:"id"`
}

// JobRequest names a job by job_id.
type JobRequest struct {
	JobID string `json:"job_id"`
}

// CmdRequest names a job (script) to revoke or unrevoke.
type CmdRequest struct {
	CmdID string `json:"cmd_id"`
}

// UpsertScheduleRequest is a Schedule (JSON).
type UpsertScheduleRequest struct {
	Schedule
	raw rawRequest
}

// DisableScheduleRequest disables a schedule; cascade also revokes its job.
type DisableScheduleRequest struct {
	ID      string `json:"id"`
	Cascade *bool  `json:"cascade,omitempty"`
}

// InventoryByJobRequest names a probe (rows paged, limit default 1000).
type InventoryByJobRequest struct {
	ManifestID string `json:"manifest_id"`
	PageRequest
}

// VersionRequest names an agent release.
type VersionRequest struct {
	Version string `json:"version"`
}

// RolloutAgentRequest points a scope at an agent version.
type RolloutAgentRequest struct {
	Version string       `json:"version"`
	Scope   RolloutScope `json:"scope"`
	Jitter  *string      `json:"jitter,omitempty"`
	raw     rawRequest
}

// PublishAgentRequest is an agent binary (base64) and its file name.
type PublishAgentRequest struct {
	Filename   string `json:"filename"`
	DataBase64 string `json:"data_base64"`
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *PutGlobalConfigRequest) UnmarshalJSON(b []byte) error {
	type fields PutGlobalConfigRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *PutGroupConfigRequest) UnmarshalJSON(b []byte) error {
	type fields PutGroupConfigRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *PutPcConfigRequest) UnmarshalJSON(b []byte) error {
	type fields PutPcConfigRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *RunScriptRequest) UnmarshalJSON(b []byte) error {
	type fields RunScriptRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *ExecJobRequest) UnmarshalJSON(b []byte) error {
	type fields ExecJobRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *UpsertJobRequest) UnmarshalJSON(b []byte) error {
	type fields UpsertJobRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *UpsertScheduleRequest) UnmarshalJSON(b []byte) error {
	type fields UpsertScheduleRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}

// UnmarshalJSON keeps the raw object next to the typed fields.
func (r *RolloutAgentRequest) UnmarshalJSON(b []byte) error {
	type fields RolloutAgentRequest
	lenientDecode(b, (*fields)(r))
	r.raw.keep(b)
	return nil
}
