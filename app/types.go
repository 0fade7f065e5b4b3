package app

import "encoding/json"

// The response types of the bindings. Each describes exactly the JSON the
// HTTP API answers for the same op (docs/API.md, frontend/src/api/types.ts):
// wire names, null where the API sends null, omitted where it omits.
// Timestamps are RFC 3339 strings. Fields the API passes through as raw JSON
// stay raw (json.RawMessage) and carry their TypeScript type in ts_type.
// The TypeScript in frontend/wailsjs/go/models.ts is generated from them.

// ---- health / status ----

// HealthzResponse is GET /healthz.
type HealthzResponse struct {
	Status string `json:"status"`
}

// Readiness is GET /readyz (also when not ready).
type Readiness struct {
	Ready  bool              `json:"ready"`
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// NATSStatus is the connection part of ConsoleStatus.
type NATSStatus struct {
	Connected bool             `json:"connected"`
	Embedded  bool             `json:"embedded"`
	URL       string           `json:"url"`
	Recreated *RecreatedStatus `json:"recreated,omitempty"`
}

// RecreatedStatus says NATS came back without the console's streams and
// when they were re-created.
type RecreatedStatus struct {
	DetectedAt  string   `json:"detected_at"`
	RecreatedAt *string  `json:"recreated_at,omitempty"`
	Lost        []string `json:"lost"`
	Note        string   `json:"note"`
}

// ProjectorStatus is one projector's counters.
type ProjectorStatus struct {
	Name          string  `json:"name"`
	Running       bool    `json:"running"`
	Messages      uint64  `json:"messages"`
	Batches       uint64  `json:"batches"`
	DeadLetters   uint64  `json:"dead_letters"`
	Errors        uint64  `json:"errors"`
	Restarts      uint64  `json:"restarts"`
	RatePerSec    float64 `json:"rate_per_sec"`
	LastBatchSize int     `json:"last_batch_size"`
	LastApplyMs   float64 `json:"last_apply_ms"`
	LastError     string  `json:"last_error,omitempty"`
	LastErrorAt   *string `json:"last_error_at,omitempty"`
	Lag           *uint64 `json:"lag,omitempty"`
	LagError      string  `json:"lag_error,omitempty"`
}

// ScheduleEntryStatus is the scheduler's view of one schedule.
type ScheduleEntryStatus struct {
	ID            string  `json:"id"`
	Registered    bool    `json:"registered"`
	Supported     bool    `json:"supported"`
	Reason        string  `json:"reason,omitempty"`
	Next          *string `json:"next,omitempty"`
	LastFire      *string `json:"last_fire,omitempty"`
	LastExecID    string  `json:"last_exec_id,omitempty"`
	LastError     string  `json:"last_error,omitempty"`
	LastSkipped   string  `json:"last_skipped,omitempty"`
	LastSkippedAt *string `json:"last_skipped_at,omitempty"`
	SkippedTicks  uint64  `json:"skipped_ticks,omitempty"`
}

// PendingWave is a delayed rollout wave waiting for its time.
type PendingWave struct {
	ExecID  string          `json:"exec_id"`
	JobID   string          `json:"job_id"`
	Index   int             `json:"index"`
	Subject string          `json:"subject"`
	DueAt   string          `json:"due_at"`
	Command json.RawMessage `json:"command" ts_type:"any"`
}

// SchedulerStatus is the scheduler part of ConsoleStatus.
type SchedulerStatus struct {
	Leader       string                `json:"leader"`
	LeaderSince  *string               `json:"leader_since,omitempty"`
	IsLeader     bool                  `json:"is_leader"`
	LeaseTTLSecs float64               `json:"lease_ttl_secs"`
	Schedules    []ScheduleEntryStatus `json:"schedules"`
	PendingWaves []PendingWave         `json:"pending_waves"`
}

// AgentCounts is the fleet roll-up.
type AgentCounts struct {
	Known  int `json:"known"`
	Active int `json:"active"`
	Stale  int `json:"stale"`
}

// ResourcePresence is one expected JetStream resource.
type ResourcePresence struct {
	Name   string `json:"name"`
	Exists bool   `json:"exists"`
}

// JetStreamStatus is GET /api/jetstream/status.
type JetStreamStatus struct {
	Streams      []ResourcePresence `json:"streams"`
	KVBuckets    []ResourcePresence `json:"kv_buckets"`
	ObjectStores []ResourcePresence `json:"object_stores"`
}

// ConsoleStatus is GET /api/status.
type ConsoleStatus struct {
	Version            string            `json:"version"`
	InstanceID         string            `json:"instance_id"`
	NATS               NATSStatus        `json:"nats"`
	Projectors         []ProjectorStatus `json:"projectors"`
	Scheduler          SchedulerStatus   `json:"scheduler"`
	Agents             AgentCounts       `json:"agents"`
	DeadLetters        int               `json:"dead_letters"`
	DeadLettersDropped uint64            `json:"dead_letters_dropped"`
	Ready              Readiness         `json:"ready"`
	JetStream          JetStreamStatus   `json:"jetstream"`
	Retention          RetentionStatus   `json:"retention"`
	Database           DatabaseStatus    `json:"database"`
}

// DatabaseStatus is the SQLite file's integrity and any rebuild from the
// streams.
type DatabaseStatus struct {
	Path      string         `json:"path"`
	Integrity Integrity      `json:"integrity"`
	Rebuild   *RebuildStatus `json:"rebuild,omitempty"`
}

// Integrity is the last integrity check of the database file.
type Integrity struct {
	State     string  `json:"state"`
	Detail    string  `json:"detail,omitempty"`
	CheckedAt *string `json:"checked_at,omitempty"`
	Took      string  `json:"took,omitempty"`
}

// RebuildStatus tells how far a rebuild from the streams has come.
type RebuildStatus struct {
	Reason     string  `json:"reason"`
	MovedTo    string  `json:"moved_to,omitempty"`
	StartedAt  string  `json:"started_at"`
	FinishedAt *string `json:"finished_at,omitempty"`
	Active     bool    `json:"active"`
	Projected  uint64  `json:"projected"`
	Remaining  *uint64 `json:"remaining,omitempty"`
}

// RetentionStatus is the retention sweep's policy and progress.
type RetentionStatus struct {
	Tables      []RetentionTable `json:"tables"`
	EverySecs   int              `json:"every_secs"`
	LastSweepAt *string          `json:"last_sweep_at"`
}

// RetentionTable is one swept table (keep_secs 0 keeps rows forever).
type RetentionTable struct {
	Table    string `json:"table"`
	Column   string `json:"column"`
	KeepSecs int64  `json:"keep_secs"`
	Deleted  uint64 `json:"deleted"`
}

// JetStreamHealth is the resource part of FleetHealth.
type JetStreamHealth struct {
	AllOK   bool     `json:"all_ok"`
	Healthy int      `json:"healthy"`
	Total   int      `json:"total"`
	Missing []string `json:"missing"`
}

// ResultCounts is the recent-results window of FleetHealth.
type ResultCounts struct {
	WindowHours int `json:"window_hours"`
	Total       int `json:"total"`
	Failed      int `json:"failed"`
}

// FleetHealth is GET /api/health/fleet (also when degraded).
type FleetHealth struct {
	Status        string          `json:"status"`
	Agents        AgentCounts     `json:"agents"`
	JetStream     JetStreamHealth `json:"jetstream"`
	RecentResults ResultCounts    `json:"recent_results"`
	ObservedAt    string          `json:"observed_at"`
}

// DeadLetter is one undecodable message kept by a projector.
type DeadLetter struct {
	ID          int64  `json:"id"`
	Stream      string `json:"stream"`
	StreamSeq   int64  `json:"stream_seq"`
	Subject     string `json:"subject"`
	Error       string `json:"error"`
	PayloadSize int    `json:"payload_size"`
	PayloadHead string `json:"payload_head"`
	RecordedAt  string `json:"recorded_at"`
}

// DeadLettersPage is a page of dead letters.
type DeadLettersPage struct {
	Items []DeadLetter `json:"items"`
	Total int          `json:"total"`
}

// CronNextResponse is GET /api/cron/next.
type CronNextResponse struct {
	Cron string   `json:"cron"`
	Next []string `json:"next"`
}

// ---- agents ----

// Agent is one agent with the console's derived fields.
type Agent struct {
	PCID          string   `json:"pc_id"`
	Hostname      *string  `json:"hostname"`
	OSFamily      *string  `json:"os_family"`
	AgentVersion  *string  `json:"agent_version"`
	LastHeartbeat *string  `json:"last_heartbeat"`
	UpdatedAt     *string  `json:"updated_at"`
	Online        bool     `json:"online"`
	Groups        []string `json:"groups"`
}

// AgentsPage is a page of agents.
type AgentsPage struct {
	Items []Agent `json:"items"`
	Total int     `json:"total"`
}

// AgentGroups is a PC's groups.
type AgentGroups struct {
	Groups []string `json:"groups"`
}

// Heartbeat is an agent's heartbeat as the wire carries it.
type Heartbeat struct {
	PCID         string  `json:"pc_id"`
	At           string  `json:"at"`
	AgentVersion string  `json:"agent_version"`
	Hostname     *string `json:"hostname,omitempty"`
	OSFamily     *string `json:"os_family,omitempty"`
}

// PingResponse is POST /api/agents/{pc_id}/ping.
type PingResponse struct {
	Heartbeat Heartbeat `json:"heartbeat"`
}

// GroupInfo is one group and its member count.
type GroupInfo struct {
	Group   string `json:"group"`
	Members int    `json:"members"`
}

// GroupsPage is a page of groups.
type GroupsPage struct {
	Items []GroupInfo `json:"items"`
	Total int         `json:"total"`
}

// ---- config ----

// ConfigScope is one layer of agent config; unset fields inherit.
type ConfigScope struct {
	TargetVersion       *string `json:"target_version,omitempty"`
	TargetVersionJitter *string `json:"target_version_jitter,omitempty"`
	HeartbeatInterval   *string `json:"heartbeat_interval,omitempty"`
}

// EffectiveConfig is a PC's resolved config.
type EffectiveConfig struct {
	TargetVersion       *string `json:"target_version"`
	TargetVersionJitter string  `json:"target_version_jitter"`
	HeartbeatInterval   string  `json:"heartbeat_interval"`
}

// EffectiveConfigResponse is GET /api/agents/{pc_id}/effective_config.
type EffectiveConfigResponse struct {
	PCID      string          `json:"pc_id"`
	Effective EffectiveConfig `json:"effective"`
	Warnings  []string        `json:"warnings"`
	MyGroups  []string        `json:"my_groups"`
}

// ---- results / executions / audit ----

// Result is a stored result (with preview: truncation flags and lengths).
type Result struct {
	ResultID        string  `json:"result_id"`
	RequestID       string  `json:"request_id"`
	ExecID          *string `json:"exec_id"`
	PCID            string  `json:"pc_id"`
	ExitCode        int     `json:"exit_code"`
	Stdout          string  `json:"stdout"`
	Stderr          string  `json:"stderr"`
	StartedAt       string  `json:"started_at"`
	FinishedAt      string  `json:"finished_at"`
	JobID           *string `json:"job_id"`
	RecordedAt      string  `json:"recorded_at"`
	StdoutTruncated *bool   `json:"stdout_truncated,omitempty"`
	StderrTruncated *bool   `json:"stderr_truncated,omitempty"`
	StdoutLen       *int    `json:"stdout_len,omitempty"`
	StderrLen       *int    `json:"stderr_len,omitempty"`
}

// ResultsPage is a page of results.
type ResultsPage struct {
	Items []Result `json:"items"`
	Total int      `json:"total"`
}

// Execution is an executions row.
type Execution struct {
	ExecID        string `json:"exec_id"`
	JobID         string `json:"job_id"`
	Version       string `json:"version"`
	InitiatedBy   string `json:"initiated_by"`
	InitiatedAt   string `json:"initiated_at"`
	TargetCount   int    `json:"target_count"`
	SuccessCount  int    `json:"success_count"`
	FailureCount  int    `json:"failure_count"`
	Status        string `json:"status"`
	InflightCount int    `json:"inflight_count"`
}

// ExecutionsPage is a page of executions.
type ExecutionsPage struct {
	Items []Execution `json:"items"`
	Total int         `json:"total"`
}

// ExecutionResultRow is one PC's result of an execution, without output.
type ExecutionResultRow struct {
	ResultID   string `json:"result_id"`
	RequestID  string `json:"request_id"`
	PCID       string `json:"pc_id"`
	ExitCode   int    `json:"exit_code"`
	StartedAt  string `json:"started_at"`
	FinishedAt string `json:"finished_at"`
}

// InflightRow is a started run without a result yet.
type InflightRow struct {
	PCID      string `json:"pc_id"`
	StartedAt string `json:"started_at"`
}

// ExecutionDetail is GET /api/executions/{exec_id}.
type ExecutionDetail struct {
	Execution Execution            `json:"execution"`
	Results   []ExecutionResultRow `json:"results"`
	Inflight  []InflightRow        `json:"inflight"`
}

// AuditEvent is one audit_log row.
type AuditEvent struct {
	ID         int64           `json:"id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Target     *string         `json:"target"`
	Payload    json.RawMessage `json:"payload" ts_type:"any"`
	OccurredAt string          `json:"occurred_at"`
}

// AuditPage is a page of audit events.
type AuditPage struct {
	Items []AuditEvent `json:"items"`
	Total int          `json:"total"`
}

// ---- run / exec ----

// ExecResult is the agent's answer to a synchronous run.
type ExecResult struct {
	ResultID   string  `json:"result_id"`
	RequestID  string  `json:"request_id"`
	ExecID     *string `json:"exec_id,omitempty"`
	PCID       string  `json:"pc_id"`
	ExitCode   int32   `json:"exit_code"`
	Stdout     string  `json:"stdout"`
	Stderr     string  `json:"stderr"`
	StartedAt  string  `json:"started_at"`
	FinishedAt string  `json:"finished_at"`
	ManifestID *string `json:"manifest_id,omitempty"`
}

// Target says who an exec addresses.
type Target struct {
	Groups []string `json:"groups"`
	PCs    []string `json:"pcs"`
	All    bool     `json:"all"`
}

// Wave is one step of a rollout (delay: humantime from the publish).
type Wave struct {
	Group string `json:"group"`
	Delay string `json:"delay"`
}

// Rollout publishes an exec wave by wave.
type Rollout struct {
	Strategy string `json:"strategy"`
	Waves    []Wave `json:"waves"`
}

// ExecResponse is POST /api/exec/{job_id}.
type ExecResponse struct {
	ExecID      string   `json:"exec_id"`
	JobID       string   `json:"job_id"`
	Version     string   `json:"version"`
	TargetCount int      `json:"target_count"`
	Subjects    []string `json:"subjects"`
}

// ---- jobs / schedules ----

// DisplayField is one rendered inventory column.
type DisplayField struct {
	Field string  `json:"field"`
	Label string  `json:"label"`
	Type  *string `json:"type,omitempty"`
}

// InventoryHint marks a job whose stdout is inventory facts.
type InventoryHint struct {
	Display []DisplayField  `json:"display"`
	Summary *[]DisplayField `json:"summary,omitempty"`
}

// Staleness is a job's cache policy: {"mode":"cached"|"unchecked"} or
// {"mode":"strict","max_cache_age":"1h"}.
type Staleness struct {
	Mode        string  `json:"mode"`
	MaxCacheAge *string `json:"max_cache_age,omitempty"`
}

// Execute is the script part of a Manifest.
type Execute struct {
	Shell   string  `json:"shell"`
	Script  string  `json:"script"`
	Timeout string  `json:"timeout"`
	RunAs   string  `json:"run_as"`
	Cwd     *string `json:"cwd,omitempty"`
}

// Manifest is a job of the catalog.
type Manifest struct {
	ID              string         `json:"id"`
	Version         string         `json:"version"`
	Description     *string        `json:"description"`
	Execute         Execute        `json:"execute"`
	RequireApproval bool           `json:"require_approval"`
	Inventory       *InventoryHint `json:"inventory"`
	Staleness       Staleness      `json:"staleness"`
	// Supported is false (with Reason) for a stored value this console
	// cannot read; absent otherwise.
	Supported *bool  `json:"supported,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// JobsPage is a page of the catalog.
type JobsPage struct {
	Items []Manifest `json:"items"`
	Total int        `json:"total"`
}

// JobUpsertResponse is POST /api/jobs.
type JobUpsertResponse struct {
	ID          string  `json:"id"`
	Version     string  `json:"version"`
	Description *string `json:"description"`
	Inventory   bool    `json:"inventory"`
}

// Schedule is a cron schedule of a job (the FanoutPlan fields flattened).
type Schedule struct {
	ID    string `json:"id"`
	Cron  string `json:"cron"`
	JobID string `json:"job_id"`
	// The FanoutPlan (spelled out: the TypeScript generator does not
	// follow embedded structs' nested types).
	Target              Target   `json:"target"`
	Rollout             *Rollout `json:"rollout,omitempty"`
	Jitter              *string  `json:"jitter,omitempty"`
	DeadlineAt          *string  `json:"deadline_at,omitempty"`
	Mode                string   `json:"mode"`
	Cooldown            *string  `json:"cooldown,omitempty"`
	AutoDisableWhenDone bool     `json:"auto_disable_when_done"`
	StartingDeadline    *string  `json:"starting_deadline,omitempty"`
	RunsOn              string   `json:"runs_on"`
	Enabled             bool     `json:"enabled"`
	// Supported is false (with Reason) for a schedule this console cannot
	// run (a newer kanade's form, an invalid cron, an unreadable value): it
	// is listed and never fired. NextFire is the next tick, when there is one.
	Supported *bool   `json:"supported,omitempty"`
	Reason    string  `json:"reason,omitempty"`
	NextFire  *string `json:"next_fire,omitempty"`
	// LastSkipped: why the latest tick did not fire (e.g. "empty target").
	LastSkipped string `json:"last_skipped,omitempty"`
}

// SchedulesPage is a page of schedules.
type SchedulesPage struct {
	Items []Schedule `json:"items"`
	Total int        `json:"total"`
}

// ScheduleUpsertResponse is POST /api/schedules.
type ScheduleUpsertResponse struct {
	ID      string `json:"id"`
	Cron    string `json:"cron"`
	Enabled bool   `json:"enabled"`
	JobID   string `json:"job_id"`
}

// ---- inventory ----

// InventoryJob is one inventory probe of the catalog.
type InventoryJob struct {
	ManifestID  string          `json:"manifest_id"`
	Description *string         `json:"description"`
	Display     []DisplayField  `json:"display"`
	Summary     *[]DisplayField `json:"summary"`
}

// InventoryJobsPage is a page of probes.
type InventoryJobsPage struct {
	Items []InventoryJob `json:"items"`
	Total int            `json:"total"`
}

// InventoryRow is one PC's facts for one probe.
type InventoryRow struct {
	PCID        string          `json:"pc_id"`
	Facts       json.RawMessage `json:"facts" ts_type:"any"`
	CollectedAt *string         `json:"collected_at"`
}

// InventoryByJob is GET /api/inventory/by-job/{manifest_id}.
type InventoryByJob struct {
	ManifestID string          `json:"manifest_id"`
	Display    json.RawMessage `json:"display" ts_type:"DisplayField[] | null"`
	Summary    json.RawMessage `json:"summary" ts_type:"DisplayField[] | null"`
	Rows       []InventoryRow  `json:"rows"`
}

// PcInventoryEntry is one probe's facts for one PC.
type PcInventoryEntry struct {
	JobID       string          `json:"job_id"`
	Facts       json.RawMessage `json:"facts" ts_type:"any"`
	Display     json.RawMessage `json:"display,omitempty" ts_type:"DisplayField[] | null"`
	Summary     json.RawMessage `json:"summary,omitempty" ts_type:"DisplayField[] | null"`
	CollectedAt *string         `json:"collected_at"`
	RecordedAt  *string         `json:"recorded_at,omitempty"`
}

// PcInventoryPage is every probe's facts for one PC.
type PcInventoryPage struct {
	Items []PcInventoryEntry `json:"items"`
	Total int                `json:"total"`
}

// ---- agent releases ----

// Release is one stored agent binary.
type Release struct {
	Version  string  `json:"version"`
	Size     uint64  `json:"size"`
	Digest   *string `json:"digest"`
	Modified *string `json:"modified"`
}

// ReleasesPage is a page of releases.
type ReleasesPage struct {
	Items []Release `json:"items"`
	Total int       `json:"total"`
}

// RolloutScope is global, a group or a PC.
type RolloutScope struct {
	Type  string `json:"type"`
	Value string `json:"value,omitempty"`
}

// RolloutResponse is POST /api/agents/rollout.
type RolloutResponse struct {
	Version    string  `json:"version"`
	ScopeKey   string  `json:"scope_key"`
	ScopeLabel string  `json:"scope_label"`
	Jitter     *string `json:"jitter"`
}

// PublishResponse is POST /api/agents/publish.
type PublishResponse struct {
	Version string `json:"version"`
	Size    int    `json:"size"`
	Digest  string `json:"digest"`
}
