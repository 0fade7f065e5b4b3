// Domain types of the kanade console HTTP API (docs/API.md) and the kanade
// 0.29 wire JSON (shared/spec/kanade-0.29-protocol.md §5). Field names are the
// wire names verbatim (snake_case). Timestamps are RFC 3339 UTC strings.

export type Timestamp = string;

/** Every list op answers a page: the items and the total before paging. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Paging query shared by every list op (limit default 50, max 1000). */
export interface Paging {
  limit?: number;
  offset?: number;
}

// ---- agents -------------------------------------------------------------

export interface Agent {
  pc_id: string;
  hostname: string | null;
  os_family: string | null;
  agent_version: string | null;
  last_heartbeat: Timestamp | null;
  updated_at: Timestamp | null;
  /** heartbeat within the last 2 minutes (console extra) */
  online: boolean;
  /** group membership (console extra) */
  groups: string[];
}

export interface AgentGroups {
  groups: string[];
}

export interface Heartbeat {
  pc_id: string;
  at: Timestamp;
  agent_version: string;
  hostname?: string;
  os_family?: string;
}

export interface PingResponse {
  heartbeat: Heartbeat;
}

export interface GroupInfo {
  group: string;
  members: number;
}

// ---- connect guide / demo fleet ---------------------------------------------

/** A NATS URL agents can use: from other PCs ("network") or this machine only ("local"). */
export interface AgentURL {
  url: string;
  scope: "network" | "local";
}

/** GET /api/demo: the console's own fleet of simulated agents (pc ids PREFIX-00001…). */
export interface DemoStatus {
  running: boolean;
  agents: number;
  prefix: string;
  started_at: string | null;
  first_exec_id?: string;
}

/** GET /api/connect: what a kanade 0.29 agent needs, and whether a real one reports. */
export interface ConnectInfo {
  embedded: boolean;
  /** embedded listener as configured (host:port or "off"); "" for an external NATS */
  listen: string;
  urls: AgentURL[];
  loopback_only: boolean;
  /** the listen address that opens the embedded listener to the network */
  open_listen?: string;
  /** NATS token agents present; "" when the server takes none */
  token: string;
  token_from?: string;
  /** agents that are not the demo fleet's */
  agents: { known: number; active: number; last_pc_id?: string; last_heartbeat?: string };
  demo: DemoStatus;
}

// ---- config ---------------------------------------------------------------

/** A layer of agent config. Every field optional; missing = inherit. */
export interface ConfigScope {
  target_version?: string;
  target_version_jitter?: string;
  heartbeat_interval?: string;
  [field: string]: unknown;
}

export interface EffectiveConfig {
  target_version: string | null;
  target_version_jitter: string;
  heartbeat_interval: string;
  [field: string]: unknown;
}

export interface EffectiveConfigResponse {
  pc_id: string;
  effective: EffectiveConfig;
  warnings: string[];
  my_groups: string[] | null;
}

// ---- results / executions / audit ----------------------------------------

/**
 * A result row, or an in-flight run in the same shape (kanade v0.30+):
 * `exit_code` and `finished_at` null while running; a reaped run (no result
 * within the reaper's threshold) has `finished_at` set, `exit_code` null and
 * `reaped` true.
 */
export interface Result {
  result_id: string;
  request_id: string;
  exec_id: string | null;
  pc_id: string;
  exit_code: number | null;
  /** the agent reported instead of running (newer agents); never a failure */
  skipped?: boolean;
  stdout: string;
  stderr: string;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  job_id: string | null;
  /** in-flight rows: the started event's job version */
  version?: string;
  recorded_at?: Timestamp | null;
  reaped?: boolean;
  /** with `preview`: whether the text was cut, and the full lengths */
  stdout_truncated?: boolean;
  stderr_truncated?: boolean;
  stdout_len?: number;
  stderr_len?: number;
}

/** GET /api/results?status= (kanade v0.3x): failure excludes skips; running = in-flight runs. */
export type ResultStatus = "success" | "failure" | "skipped" | "running";

/** GET /api/results/{result_id}/tail. */
export interface ResultTail {
  /** false once the result is in (then the text is the stored output and exit_code is set) */
  running: boolean;
  /** the text came from the agent just now; false with running=true is "waiting for the agent" */
  live: boolean;
  stdout: string;
  stderr: string;
  /** the agent's ring buffer dropped the start: the text is a suffix */
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  exit_code: number | null;
}

/** A job's executions still pending (no result yet) and running (some results in). */
export interface LiveCounts {
  running: number;
  pending: number;
}

export type ExecutionStatus = "pending" | "running" | "completed" | "expired";

export interface Execution {
  exec_id: string;
  job_id: string;
  version: string;
  initiated_by: string;
  initiated_at: Timestamp;
  target_count: number;
  success_count: number;
  failure_count: number;
  /** skipped results (newer agents), not counted as failures */
  skipped_count?: number;
  status: ExecutionStatus | string;
  /** started, no result yet, not reaped */
  inflight_count?: number;
}

export interface ExecutionResultRow {
  result_id: string;
  request_id: string;
  pc_id: string;
  exit_code: number | null;
  skipped?: boolean;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface InflightRow {
  /** the run's result id: GET /api/results/{id} and .../tail address it */
  result_id?: string;
  pc_id: string;
  started_at: Timestamp | null;
}

export interface ExecutionDetail {
  execution: Execution;
  results: ExecutionResultRow[];
  inflight: InflightRow[];
}

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  payload: unknown;
  occurred_at: Timestamp;
}

// ---- fan-out / schedules / jobs -------------------------------------------

export interface Target {
  all?: boolean;
  groups?: string[];
  pcs?: string[];
}

export interface Wave {
  group: string;
  /** humantime from the exec's publish time, e.g. "0s", "30m" */
  delay: string;
}

export interface Rollout {
  strategy?: "wave";
  waves: Wave[];
}

export interface FanoutPlan {
  target: Target;
  rollout?: Rollout;
  /** humantime, e.g. "30s" */
  jitter?: string;
  deadline_at?: Timestamp;
}

export interface ExecResponse {
  exec_id: string;
  job_id: string;
  version: string;
  target_count: number;
  subjects: string[];
}

export type ScheduleMode = "every_tick" | "once_per_pc" | "once_per_target";

export interface Schedule extends FanoutPlan {
  id: string;
  /** 6-field cron: sec min hour dom month dow (UTC), optional 7th year field */
  cron: string;
  job_id: string;
  mode?: ScheduleMode;
  cooldown?: string;
  auto_disable_when_done?: boolean;
  starting_deadline?: string;
  runs_on?: "backend" | "agent";
  /** true when absent */
  enabled?: boolean;
  /** false (with reason) for a schedule this console cannot run: listed, never fired */
  supported?: boolean;
  reason?: string;
  /** the next tick (RFC 3339 UTC), when it will fire */
  next_fire?: string;
  /** why the latest tick did not fire, e.g. "empty target" */
  last_skipped?: string;
}

export interface ScheduleUpsertResponse {
  id: string;
  cron: string;
  enabled: boolean;
  job_id: string;
}

export type Shell = "powershell" | "cmd";
export type RunShell = "powershell" | "ps" | "pwsh" | "cmd";
export type RunAs = "system" | "user" | "system_gui";

export interface DisplayField {
  field: string;
  label: string;
  /** render hint: number | bytes | timestamp */
  type?: string;
}

export interface InventoryHint {
  display: DisplayField[];
  summary?: DisplayField[] | null;
  /** kanade v0.31: JSON arrays of the stdout exploded into derived tables */
  explode?: ExplodeSpec[];
  /** kanade v0.35: top-level fields whose changes are kept in the history */
  history_scalars?: string[];
}

/** One column of an explode table (`type` defaults to text). */
export interface ExplodeColumn {
  field: string;
  type?: "text" | "integer" | "real";
  index?: boolean;
}

/** manifest inventory.explode[]: stdout[field] (an array) → rows of `table`. */
export interface ExplodeSpec {
  field: string;
  table: string;
  primary_key: string[];
  columns: ExplodeColumn[];
  track_history?: boolean;
}

export type Staleness =
  | { mode: "cached" }
  | { mode: "strict"; max_cache_age: string }
  | { mode: "unchecked" };

export interface Execute {
  shell: Shell;
  script: string;
  /** humantime, e.g. "60s" */
  timeout: string;
  run_as?: RunAs;
  cwd?: string;
}

export interface Manifest {
  id: string;
  version: string;
  description?: string | null;
  execute: Execute;
  require_approval?: boolean;
  inventory?: InventoryHint | null;
  staleness?: Staleness;
  /** false (with reason) for a stored value this console cannot read */
  supported?: boolean;
  reason?: string;
}

/** A row of GET /api/jobs: the manifest plus its live counters (kanade v0.30+). */
export type JobRow = Manifest & { live: LiveCounts };

export interface JobUpsertResponse {
  id: string;
  version: string;
  description: string | null;
  inventory: boolean;
}

/** The 409 of DELETE /api/jobs/{id} (and of the DeleteJob binding): the schedules that still name the job. */
export interface JobInUse {
  error: string;
  schedules: string[] | null;
}

export type ScriptStatus = "ACTIVE" | "REVOKED";
export type ScriptStatusMap = Record<string, ScriptStatus>;

/** The agent's ExecResult, answered by a synchronous run. */
export interface ExecResult {
  result_id: string;
  request_id: string;
  exec_id?: string | null;
  pc_id: string;
  exit_code: number;
  stdout: string;
  stderr: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  manifest_id?: string | null;
  /** newer agents: reported instead of running (omitted when false) */
  skipped?: boolean;
}

// ---- health / status ------------------------------------------------------

export type FleetStatus = "ok" | "unknown" | "degraded";

export interface FleetHealth {
  status: FleetStatus;
  agents: { known: number; active: number; stale: number };
  jetstream: { all_ok: boolean; healthy: number; total: number; missing: string[] };
  recent_results: { window_hours: number; total: number; failed: number; skipped?: number };
  observed_at: Timestamp;
}

export interface ResourcePresence {
  name: string;
  exists: boolean;
}

export interface JetStreamStatus {
  streams: ResourcePresence[];
  kv_buckets: ResourcePresence[];
  object_stores: ResourcePresence[];
}

export interface Readiness {
  ready: boolean;
  status: "ready" | "not ready" | string;
  checks: Record<string, unknown>;
}

export interface ProjectorStats {
  name: string;
  running: boolean;
  messages: number;
  batches: number;
  dead_letters: number;
  errors: number;
  restarts: number;
  rate_per_sec: number;
  last_batch_size: number;
  last_apply_ms: number;
  last_error?: string | null;
  last_error_at?: Timestamp | null;
  /** messages not yet applied (pending in the consumer) */
  lag?: number | null;
  /** why the lag could not be read */
  lag_error?: string;
}

export interface ConsoleStatus {
  version: string;
  instance_id: string;
  nats: {
    connected: boolean;
    embedded: boolean;
    url: string;
    /** set when NATS came back without the console's streams and buckets and they were re-created */
    recreated?: { detected_at: Timestamp; recreated_at?: Timestamp; lost: string[]; note: string } | null;
  };
  /** the SQLite projection: its integrity check and a rebuild from the streams, if one ran at this start */
  database?: {
    path: string;
    integrity: { state: "unchecked" | "checking" | "ok" | "damaged" | string; detail?: string; checked_at?: Timestamp; took?: string };
    rebuild?: {
      reason: string;
      moved_to?: string;
      started_at: Timestamp;
      finished_at?: Timestamp;
      active: boolean;
      projected: number;
      remaining?: number | null;
    } | null;
  };
  projectors: ProjectorStats[];
  scheduler: {
    leader: string | null;
    leader_since?: Timestamp | null;
    is_leader: boolean;
    lease_ttl_secs: number;
    schedules: ScheduleEntryStatus[] | null;
    pending_waves: PendingWave[] | null;
  };
  /** `active` as in FleetHealth */
  agents: { known: number; active: number; stale: number };
  dead_letters: number;
  /** dead letters dropped by the per-source (1,000) and total (10,000) bounds since start */
  dead_letters_dropped?: number;
  /** the retention sweep: per table how long rows are kept (0 = forever) and how many it deleted */
  retention?: {
    tables: Array<{ table: string; column: string; keep_secs: number; deleted: number }>;
    every_secs: number;
    last_sweep_at: Timestamp | null;
    /** the in-flight reaper's threshold (0 = never) and how many runs it reaped since start */
    reap_inflight_secs?: number;
    reaped?: number;
  };
  /** the same report as /readyz */
  ready: Readiness;
  /** which kanade streams, buckets and stores exist, as /api/jetstream/status */
  jetstream: JetStreamStatus;
}

/** Agents with a recent heartbeat. */
export function statusOnline(s: ConsoleStatus): number {
  return s.agents.active;
}

/** The scheduler's view of one schedule (ConsoleStatus.scheduler). */
export interface ScheduleEntryStatus {
  id: string;
  registered: boolean;
  supported: boolean;
  reason?: string;
  next?: Timestamp | null;
  last_fire?: Timestamp | null;
  last_exec_id?: string;
  last_error?: string;
  last_skipped?: string;
  last_skipped_at?: Timestamp | null;
  skipped_ticks?: number;
}

/** A delayed rollout wave waiting for its time. */
export interface PendingWave {
  exec_id: string;
  job_id: string;
  index: number;
  subject: string;
  due_at: Timestamp;
  command: unknown;
}

export interface DeadLetter {
  id: number;
  stream: string;
  stream_seq: number;
  subject: string;
  error: string;
  payload_size: number;
  payload_head: string;
  recorded_at: Timestamp;
}

export interface CronNextResponse {
  cron: string;
  next: Timestamp[];
}

// ---- inventory ------------------------------------------------------------

export interface InventoryJob {
  manifest_id: string;
  description: string | null;
  display: DisplayField[];
  summary: DisplayField[] | null;
  /** the probe's explode specs (search fields), null when it has none */
  explode: ExplodeSpec[] | null;
  /** history_scalars of the probe, null when none */
  history_scalars: string[] | null;
  /** how many PCs have a stored collection of the probe */
  pc_count: number;
}

/** A probe's fleet table row: job_id, display, summary and recorded_at are absent there. */
export interface InventoryRow {
  pc_id: string;
  job_id?: string;
  facts: unknown;
  display?: unknown;
  summary?: unknown;
  collected_at: Timestamp | null;
  recorded_at?: Timestamp | null;
}

export interface InventoryByJob {
  manifest_id: string;
  display: DisplayField[];
  summary: DisplayField[] | null;
  rows: InventoryRow[];
}

/**
 * InventorySearch filters: `<col>` (equals) or `<col>__<op>` → value, where
 * op is eq ne lt le gt ge (SQLite comparison with the column's type),
 * prefix (case-sensitive), contains / suffix (ASCII case-insensitive).
 * `pc_id` may be filtered too. Sent as query parameters over HTTP.
 */
export type InventoryFilters = Record<string, string>;

/**
 * A hit of InventorySearch: pc_id, collected_at and one key per explode
 * column (integer/real columns as numbers, text as strings, null when
 * absent); `@account_user` / `@account_display_name` are always null here
 * (0.29 heartbeats carry no logon user). Order: by pc_id when filtered by
 * pc_id; else in the index order of the first indexed column filtered
 * (e.g. name=Chrome → by version, then pc_id); else by pc_id.
 */
export type ExplodeRow = {
  pc_id: string;
  collected_at: Timestamp | null;
  "@account_user": string | null;
  "@account_display_name": string | null;
} & Record<string, string | number | null>;

export type HistoryChangeKind = "added" | "removed" | "changed";

/**
 * One inventory change. identity_json / before_json / after_json are JSON
 * TEXT (parse them): identity is {"<pk>": value} for explode rows and null
 * for history_scalars; scalars' before/after are {"value": v}.
 */
export interface HistoryRow {
  id: number;
  pc_id: string;
  job_id: string;
  /** the explode field (e.g. "apps") or the scalar's name */
  field_path: string;
  identity_json: string | null;
  change_kind: HistoryChangeKind;
  before_json: string | null;
  after_json: string | null;
  observed_at: Timestamp;
}

/** InventoryFirstSeen: per PC the earliest matching change. */
export interface FirstSeen {
  pc_id: string;
  first_seen_at: Timestamp;
}

/** Filters of the history ops; identity → HTTP identity.<key>=<value>. */
export interface InventoryHistoryFilters {
  field?: string;
  since?: string;
  identity?: Record<string, string>;
}

export interface PcInventoryEntry {
  job_id: string;
  facts: unknown;
  display: DisplayField[];
  summary: DisplayField[] | null;
  collected_at: Timestamp | null;
  recorded_at: Timestamp | null;
}

// ---- agent releases -------------------------------------------------------

export interface Release {
  version: string;
  size: number;
  digest: string | null;
  modified: Timestamp | null;
}

export type RolloutScope =
  | { type: "global" }
  | { type: "group"; value: string }
  | { type: "pc"; value: string };

export interface RolloutResponse {
  version: string;
  scope_key: string;
  scope_label: string;
  jitter: string | null;
}

export interface PublishResponse {
  version: string;
  size: number;
  digest: string;
}
