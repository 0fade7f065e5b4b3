// The operation table: one op per route of docs/API.md. This file is the
// contract between the SPA and BOTH transports:
//
//  * HTTP (browser against `kanade-console serve`): `method` + `path` (with
//    `{param}` filled from the request) + `query` keys as the query string;
//    the body is built from the request as described by `body`.
//  * Wails (desktop): the Go side binds `App.<OpName>(req)` — ONE argument,
//    the same request object (path params + query + body fields merged, wire
//    names) — and returns the response body below. Conventions for the Go side:
//      - result "list": return `{"items": [...], "total": N}` (total before paging)
//      - result "text": return a string; result "none": return nothing (error only)
//      - result "json": return the JSON body the HTTP route answers
//      - `okStatus` statuses (e.g. fleet health 503) are NOT errors: return the body
//      - errors: return a Go error whose message is the JSON
//        `{"status": <http status>, "error": "<message>"}` (so the SPA can tell
//        404/409/502/504 apart); any other message is treated as status 500.
//        DeleteJob's 409 also carries `schedules` (the HTTP body's list).
//      - body "yaml": the request is `{yaml: string}` (raw YAML source)
//      - body "multipart" (PublishAgent): the request is
//        `{filename: string, data_base64: string}` (file bytes, base64).
//
// Request and response types live in `OpTypes` below; `ops` holds the runtime
// description. Keep both in sync (the `satisfies` check enforces the key set).
//
// The Go side reads this table too (frontend/optable.go): each binding is
// authorized with the rule of the route its `method` + `path` name, so keep
// them plain string literals, one op per `Name: {` line.

import type {
  Agent,
  AgentGroups,
  AuditEvent,
  ConfigScope,
  ConnectInfo,
  ConsoleStatus,
  CronNextResponse,
  DeadLetter,
  DemoStatus,
  EffectiveConfigResponse,
  ExecResponse,
  ExecResult,
  Execution,
  ExecutionDetail,
  ExplodeRow,
  FanoutPlan,
  FirstSeen,
  FleetHealth,
  GroupInfo,
  HistoryChangeKind,
  HistoryRow,
  InventoryByJob,
  InventoryFilters,
  InventoryHistoryFilters,
  InventoryJob,
  JetStreamStatus,
  JobRow,
  JobUpsertResponse,
  Manifest,
  Page,
  Paging,
  PcInventoryEntry,
  PingResponse,
  PublishResponse,
  Readiness,
  Release,
  Result,
  ResultStatus,
  ResultTail,
  RolloutResponse,
  RolloutScope,
  RunShell,
  Schedule,
  ScheduleUpsertResponse,
  ScriptStatusMap,
} from "./types";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface OpSpec {
  method: HttpMethod;
  /** path template; `{name}` is filled from the request field of that name */
  path: string;
  /** request fields sent as query parameters (HTTP) */
  query?: readonly string[];
  /**
   * request fields holding a string map whose entries become query
   * parameters (HTTP), each key after the given prefix: { filters: "" }
   * sends filters.name__prefix as name__prefix=…, { identity: "identity." }
   * sends identity.name=…. The Wails side receives the map as is.
   */
  queryMaps?: Readonly<Record<string, string>>;
  /**
   * json      — every request field that is neither a path param nor a query key, as a JSON object
   * yaml      — request.yaml sent raw with Content-Type: application/yaml
   * multipart — request.file sent as multipart/form-data field `file`
   * (absent)  — no body
   */
  body?: "json" | "yaml" | "multipart";
  /** json: parsed JSON; list: JSON array → Page; text: string; none: 204 */
  result: "json" | "list" | "text" | "none";
  /** non-2xx statuses whose body is a normal answer (not an error) */
  okStatus?: readonly number[];
  /** one line for humans (and the Go side) */
  doc: string;
}

type PcId = { pc_id: string };

/** Request and response type of every op. */
export interface OpTypes {
  // health / status
  Health: { req: Record<string, never>; res: string };
  Healthz: { req: Record<string, never>; res: { status: string } };
  GetReady: { req: Record<string, never>; res: Readiness };
  GetStatus: { req: Record<string, never>; res: ConsoleStatus };
  GetFleetHealth: { req: Record<string, never>; res: FleetHealth };
  GetJetStreamStatus: { req: Record<string, never>; res: JetStreamStatus };
  ListDeadLetters: { req: Paging; res: Page<DeadLetter> };
  CronNext: { req: { cron: string; n?: number }; res: CronNextResponse };
  GetOpenAPI: { req: Record<string, never>; res: unknown };
  GetMetrics: { req: Record<string, never>; res: string };

  // agents
  ListAgents: {
    req: Paging & { q?: string; status?: "online" | "stale"; group?: string };
    res: Page<Agent>;
  };
  GetAgent: { req: PcId; res: Agent };
  GetAgentGroups: { req: PcId; res: AgentGroups };
  SetAgentGroups: { req: PcId & { groups: string[] }; res: AgentGroups };
  AddAgentGroup: { req: PcId & { group: string }; res: AgentGroups };
  RemoveAgentGroup: { req: PcId & { group: string }; res: AgentGroups };
  PingAgent: { req: PcId & { wait_secs?: number }; res: PingResponse };
  GetAgentLogs: { req: PcId & { tail?: number }; res: string };
  ListGroups: { req: Paging; res: Page<GroupInfo> };

  // connect guide / demo fleet
  GetConnectInfo: { req: Record<string, never>; res: ConnectInfo };
  GetDemo: { req: Record<string, never>; res: DemoStatus };
  StartDemo: { req: { agents: number; first_run?: boolean }; res: DemoStatus };
  StopDemo: { req: Record<string, never>; res: DemoStatus };

  // config
  GetEffectiveConfig: { req: PcId; res: EffectiveConfigResponse };
  GetGlobalConfig: { req: Record<string, never>; res: ConfigScope };
  PutGlobalConfig: { req: ConfigScope; res: ConfigScope };
  GetGroupConfig: { req: { name: string }; res: ConfigScope };
  PutGroupConfig: { req: { name: string } & ConfigScope; res: ConfigScope };
  DeleteGroupConfig: { req: { name: string }; res: void };
  GetPcConfig: { req: PcId; res: ConfigScope };
  PutPcConfig: { req: PcId & ConfigScope; res: ConfigScope };
  DeletePcConfig: { req: PcId; res: void };

  // results / executions / audit
  ListResults: {
    req: Paging & {
      pc_id?: string;
      job_id?: string;
      exec_id?: string;
      status?: ResultStatus;
      since?: string;
      until?: string;
      q?: string;
      preview?: number;
    };
    res: Page<Result>;
  };
  GetResult: { req: { result_id: string }; res: Result };
  ResultTail: { req: { result_id: string }; res: ResultTail };
  ListExecutions: { req: Paging & { job_id?: string; status?: string }; res: Page<Execution> };
  GetExecution: { req: { exec_id: string; results_limit?: number; inflight_limit?: number }; res: ExecutionDetail };
  KillExecution: { req: { exec_id: string }; res: void };
  ListAudit: {
    req: Paging & { actor?: string; action?: string; since?: string; until?: string };
    res: Page<AuditEvent>;
  };

  // run / exec
  RunScript: {
    req: { pc_id: string; shell?: RunShell; script: string; timeout_secs?: number; exec_id?: string };
    res: ExecResult;
  };
  ExecJob: { req: { job_id: string } & FanoutPlan; res: ExecResponse };

  // jobs / scripts
  ListJobs: { req: Paging; res: Page<JobRow> };
  UpsertJob: { req: Manifest; res: JobUpsertResponse };
  UpsertJobYaml: { req: { yaml: string }; res: JobUpsertResponse };
  DeleteJob: { req: { id: string }; res: void };
  KillJob: { req: { job_id: string }; res: void };
  GetScriptStatus: { req: Record<string, never>; res: ScriptStatusMap };
  RevokeScript: { req: { cmd_id: string }; res: void };
  UnrevokeScript: { req: { cmd_id: string }; res: void };

  // schedules
  ListSchedules: { req: Paging; res: Page<Schedule> };
  UpsertSchedule: { req: Schedule; res: ScheduleUpsertResponse };
  UpsertScheduleYaml: { req: { yaml: string }; res: ScheduleUpsertResponse };
  DeleteSchedule: { req: { id: string }; res: void };
  DisableSchedule: { req: { id: string; cascade?: boolean }; res: void };

  // inventory
  ListInventoryJobs: { req: Paging; res: Page<InventoryJob> };
  GetInventoryByJob: { req: { manifest_id: string } & Paging; res: InventoryByJob };
  ListPcInventory: { req: PcId; res: Page<PcInventoryEntry> };
  InventorySearch: { req: { manifest_id: string; field: string; filters?: InventoryFilters } & Paging; res: Page<ExplodeRow> };
  InventoryScalarSearch: { req: { manifest_id: string; filters?: InventoryFilters } & Paging; res: Page<ExplodeRow> };
  InventoryHistory: { req: { manifest_id: string; pc_id: string } & InventoryHistoryFilters & Paging; res: Page<HistoryRow> };
  InventoryFleetHistory: {
    req: { manifest_id: string; kind?: HistoryChangeKind; until?: string } & InventoryHistoryFilters & Paging;
    res: Page<HistoryRow>;
  };
  InventoryFirstSeen: { req: { manifest_id: string } & InventoryHistoryFilters & Paging; res: Page<FirstSeen> };

  // agent releases
  ListReleases: { req: Paging; res: Page<Release> };
  DeleteRelease: { req: { version: string }; res: void };
  RolloutAgent: { req: { version: string; scope: RolloutScope; jitter?: string }; res: RolloutResponse };
  PublishAgent: { req: { file: Blob; filename?: string }; res: PublishResponse };
}

export type OpName = keyof OpTypes;
export type OpReq<K extends OpName> = OpTypes[K]["req"];
export type OpRes<K extends OpName> = OpTypes[K]["res"];

const PAGING = ["limit", "offset"] as const;

/** Runtime description of every op (see the header comment for the Wails rules). */
export const ops = {
  Health: { method: "GET", path: "/health", result: "text", doc: "liveness, text `ok` (public)" },
  Healthz: { method: "GET", path: "/healthz", result: "json", doc: "liveness JSON {status: ok}" },
  GetReady: { method: "GET", path: "/readyz", result: "json", okStatus: [503], doc: "readiness; 503 when not ready (body still answered)" },
  GetStatus: { method: "GET", path: "/api/status", result: "json", doc: "console status: nats, projectors, scheduler, agents, dead letters" },
  GetFleetHealth: { method: "GET", path: "/api/health/fleet", result: "json", okStatus: [503], doc: "fleet roll-up; 503 when degraded (body still answered)" },
  GetJetStreamStatus: { method: "GET", path: "/api/jetstream/status", result: "json", doc: "present/missing streams, KV buckets, object stores" },
  ListDeadLetters: { method: "GET", path: "/api/dead-letters", query: PAGING, result: "list", doc: "projector dead letters" },
  CronNext: { method: "GET", path: "/api/cron/next", query: ["cron", "n"], result: "json", doc: "next fire times of a cron expression; 400 when invalid" },
  GetOpenAPI: { method: "GET", path: "/api/openapi.json", result: "json", doc: "OpenAPI 3.1 document" },
  GetMetrics: { method: "GET", path: "/metrics", result: "text", doc: "Prometheus text" },

  ListAgents: { method: "GET", path: "/api/agents", query: ["q", "status", "group", ...PAGING], result: "list", doc: "agents (search, online/stale, group, paging)" },
  GetAgent: { method: "GET", path: "/api/agents/{pc_id}", result: "json", doc: "one agent or 404" },
  GetAgentGroups: { method: "GET", path: "/api/agents/{pc_id}/groups", result: "json", doc: "the PC's groups" },
  SetAgentGroups: { method: "PUT", path: "/api/agents/{pc_id}/groups", body: "json", result: "json", doc: "replace the PC's groups; body {groups}" },
  AddAgentGroup: { method: "POST", path: "/api/agents/{pc_id}/groups", body: "json", result: "json", doc: "add one group; body {group}" },
  RemoveAgentGroup: { method: "DELETE", path: "/api/agents/{pc_id}/groups/{group}", result: "json", doc: "remove one group" },
  PingAgent: { method: "POST", path: "/api/agents/{pc_id}/ping", query: ["wait_secs"], result: "json", doc: "wait for the next heartbeat; 408 on timeout" },
  GetAgentLogs: { method: "GET", path: "/api/agents/{pc_id}/logs", query: ["tail"], result: "text", doc: "agent log tail; 504 agent silent, 502 no responders" },
  ListGroups: { method: "GET", path: "/api/groups", query: PAGING, result: "list", doc: "known groups with member counts" },

  GetConnectInfo: { method: "GET", path: "/api/connect", result: "json", doc: "NATS URLs and token agents use; real agents reporting; the demo fleet" },
  GetDemo: { method: "GET", path: "/api/demo", result: "json", doc: "the demo fleet of simulated agents" },
  StartDemo: { method: "POST", path: "/api/demo", body: "json", result: "json", doc: "start a demo fleet; body {agents, first_run}; 409 while one runs" },
  StopDemo: { method: "DELETE", path: "/api/demo", result: "json", doc: "stop the demo fleet and remove its agents" },

  GetEffectiveConfig: { method: "GET", path: "/api/agents/{pc_id}/effective_config", result: "json", doc: "resolved config of a PC with conflict warnings" },
  GetGlobalConfig: { method: "GET", path: "/api/config", result: "json", doc: "global ConfigScope ({} when unset)" },
  PutGlobalConfig: { method: "PUT", path: "/api/config", body: "json", result: "json", doc: "replace the global ConfigScope" },
  GetGroupConfig: { method: "GET", path: "/api/groups/{name}/config", result: "json", doc: "group ConfigScope" },
  PutGroupConfig: { method: "PUT", path: "/api/groups/{name}/config", body: "json", result: "json", doc: "replace a group ConfigScope" },
  DeleteGroupConfig: { method: "DELETE", path: "/api/groups/{name}/config", result: "none", doc: "clear a group ConfigScope" },
  GetPcConfig: { method: "GET", path: "/api/pcs/{pc_id}/config", result: "json", doc: "PC ConfigScope" },
  PutPcConfig: { method: "PUT", path: "/api/pcs/{pc_id}/config", body: "json", result: "json", doc: "replace a PC ConfigScope" },
  DeletePcConfig: { method: "DELETE", path: "/api/pcs/{pc_id}/config", result: "none", doc: "clear a PC ConfigScope" },

  ListResults: {
    method: "GET",
    path: "/api/results",
    query: ["pc_id", "job_id", "exec_id", "status", "since", "until", "q", "preview", ...PAGING],
    result: "list",
    doc: "results, newest first; `preview` truncates stdout/stderr",
  },
  GetResult: { method: "GET", path: "/api/results/{result_id}", result: "json", doc: "one result with full output (or an in-flight run), or 404" },
  ResultTail: { method: "GET", path: "/api/results/{result_id}/tail", result: "json", doc: "live output of a running result from its agent (3 s; waiting shape when it does not answer), stored output once finished; 404" },
  ListExecutions: { method: "GET", path: "/api/executions", query: ["job_id", "status", ...PAGING], result: "list", doc: "executions, newest first" },
  GetExecution: { method: "GET", path: "/api/executions/{exec_id}", query: ["results_limit", "inflight_limit"], result: "json", doc: "execution with per-PC results and in-flight rows (each list up to its limit, default 10,000)" },
  KillExecution: { method: "POST", path: "/api/executions/{exec_id}/kill", result: "none", doc: "publish kill.<exec_id>" },
  ListAudit: { method: "GET", path: "/api/audit", query: ["actor", "action", "since", "until", ...PAGING], result: "list", doc: "audit events, newest first" },

  RunScript: { method: "POST", path: "/api/run", body: "json", result: "json", doc: "synchronous ad-hoc run on one PC; 408 on timeout" },
  ExecJob: { method: "POST", path: "/api/exec/{job_id}", body: "json", result: "json", doc: "fan out a catalog job; body FanoutPlan" },

  ListJobs: { method: "GET", path: "/api/jobs", query: PAGING, result: "list", doc: "job catalog (Manifest + live {running, pending}), sorted by id" },
  UpsertJob: { method: "POST", path: "/api/jobs", body: "json", result: "json", doc: "create/replace a job from Manifest JSON" },
  UpsertJobYaml: { method: "POST", path: "/api/jobs", body: "yaml", result: "json", doc: "create/replace a job from Manifest YAML" },
  DeleteJob: { method: "DELETE", path: "/api/jobs/{id}", result: "none", doc: "delete (and revoke) a job; 409 when a schedule references it" },
  KillJob: { method: "POST", path: "/api/jobs/{job_id}/kill", result: "none", doc: "kill every pending/running exec of the job" },
  GetScriptStatus: { method: "GET", path: "/api/scripts/status", result: "json", doc: "map job/cmd id → ACTIVE|REVOKED" },
  RevokeScript: { method: "POST", path: "/api/scripts/{cmd_id}/revoke", result: "none", doc: "mark REVOKED" },
  UnrevokeScript: { method: "POST", path: "/api/scripts/{cmd_id}/unrevoke", result: "none", doc: "mark ACTIVE" },

  ListSchedules: { method: "GET", path: "/api/schedules", query: PAGING, result: "list", doc: "schedules" },
  UpsertSchedule: { method: "POST", path: "/api/schedules", body: "json", result: "json", doc: "create/replace a schedule from Schedule JSON" },
  UpsertScheduleYaml: { method: "POST", path: "/api/schedules", body: "yaml", result: "json", doc: "create/replace a schedule from YAML" },
  DeleteSchedule: { method: "DELETE", path: "/api/schedules/{id}", result: "none", doc: "delete a schedule" },
  DisableSchedule: { method: "POST", path: "/api/schedules/{id}/disable", query: ["cascade"], result: "none", doc: "disable; cascade=true also revokes the job" },

  ListInventoryJobs: { method: "GET", path: "/api/inventory/jobs", query: PAGING, result: "list", doc: "inventory probes (jobs with an inventory hint)" },
  GetInventoryByJob: { method: "GET", path: "/api/inventory/by-job/{manifest_id}", query: PAGING, result: "json", doc: "fleet table of one probe (every row without limit, like 0.29: pass one)" },
  ListPcInventory: { method: "GET", path: "/api/inventory/{pc_id}", result: "list", doc: "every probe's facts for one PC" },
  InventorySearch: {
    method: "GET",
    path: "/api/inventory/{manifest_id}/search/{field}",
    query: PAGING,
    queryMaps: { filters: "" },
    result: "list",
    doc: "search a probe's explode table; filters <col>[__op] → value (default limit 1000, max 5000)",
  },
  InventoryScalarSearch: {
    method: "GET",
    path: "/api/inventory/{manifest_id}/search-scalars",
    query: PAGING,
    queryMaps: { filters: "" },
    result: "list",
    doc: "search a probe's PCs by its scalar display fields (number/bytes compare as numbers); filters <field>[__op] → value",
  },
  InventoryHistory: {
    method: "GET",
    path: "/api/inventory/{manifest_id}/history/pc/{pc_id}",
    query: ["field", "since", ...PAGING],
    queryMaps: { identity: "identity." },
    result: "list",
    doc: "one PC's inventory changes, newest first (default limit 500, max 5000)",
  },
  InventoryFleetHistory: {
    method: "GET",
    path: "/api/inventory/{manifest_id}/history/search",
    query: ["field", "kind", "since", "until", ...PAGING],
    queryMaps: { identity: "identity." },
    result: "list",
    doc: "inventory changes across PCs by field, kind, time, identity.<key>",
  },
  InventoryFirstSeen: {
    method: "GET",
    path: "/api/inventory/{manifest_id}/history/first_seen",
    query: ["field", "since", ...PAGING],
    queryMaps: { identity: "identity." },
    result: "list",
    doc: "per PC the earliest matching change (e.g. when an app first appeared)",
  },

  ListReleases: { method: "GET", path: "/api/agents/releases", query: PAGING, result: "list", doc: "agent releases, newest first" },
  DeleteRelease: { method: "DELETE", path: "/api/agents/releases/{version}", result: "none", doc: "delete a release; 409 when a config scope targets it" },
  RolloutAgent: { method: "POST", path: "/api/agents/rollout", body: "json", result: "json", doc: "set target_version on a scope" },
  PublishAgent: { method: "POST", path: "/api/agents/publish", body: "multipart", result: "json", doc: "upload an agent binary (multipart `file`)" },
} as const satisfies { [K in OpName]: OpSpec };

export const opNames = Object.keys(ops) as OpName[];

/** Names of the `{param}` placeholders in a path template. */
export function pathParams(path: string): string[] {
  return Array.from(path.matchAll(/\{([a-z_]+)\}/g), (m) => m[1]);
}
