// What each write op makes stale. useOpMutation (./hooks) refetches these
// ops' queries after the write settles — after a failure too, since a failed
// write may have half-applied (a timeout after the agent ran the script, a
// delete that revoked the job before it failed). Every op that is not a GET
// must have an entry: the compiler fails when a new one has none.

import type { OpName, ops } from "./ops";

/** The ops that change something (every method but GET). */
export type WriteOp = { [K in OpName]: (typeof ops)[K]["method"] extends "GET" ? never : K }[OpName];

const CONFIG: readonly OpName[] = ["GetGlobalConfig", "GetGroupConfig", "GetPcConfig", "GetEffectiveConfig"];
const AGENT_GROUPS: readonly OpName[] = ["ListAgents", "GetAgent", "ListGroups", "GetAgentGroups", "GetEffectiveConfig"];
const DEMO_FLEET: readonly OpName[] = [
  "GetConnectInfo",
  "GetDemo",
  "ListAgents",
  "GetFleetHealth",
  "GetStatus",
  "ListGroups",
  "ListJobs",
  "ListResults",
  "ListExecutions",
];
const JOB_CATALOG: readonly OpName[] = ["ListJobs", "ListInventoryJobs", "GetScriptStatus", "ListAudit"];

export const invalidates: { readonly [K in WriteOp]: readonly OpName[] } = {
  SetAgentGroups: AGENT_GROUPS,
  AddAgentGroup: AGENT_GROUPS,
  RemoveAgentGroup: AGENT_GROUPS,
  // Waits for a heartbeat; changes nothing.
  PingAgent: [],

  StartDemo: DEMO_FLEET,
  StopDemo: DEMO_FLEET,

  PutGlobalConfig: CONFIG,
  PutGroupConfig: CONFIG,
  DeleteGroupConfig: CONFIG,
  PutPcConfig: CONFIG,
  DeletePcConfig: CONFIG,

  KillExecution: ["GetExecution", "ListExecutions", "ListResults"],
  RunScript: ["ListResults"],
  ExecJob: ["ListExecutions", "ListAudit"],

  UpsertJob: JOB_CATALOG,
  UpsertJobYaml: JOB_CATALOG,
  DeleteJob: JOB_CATALOG,
  KillJob: ["ListExecutions", "GetExecution"],
  RevokeScript: ["GetScriptStatus"],
  UnrevokeScript: ["GetScriptStatus"],

  UpsertSchedule: ["ListSchedules", "ListAudit"],
  UpsertScheduleYaml: ["ListSchedules", "ListAudit"],
  DeleteSchedule: ["ListSchedules", "ListAudit"],
  // cascade=true also revokes the job.
  DisableSchedule: ["ListSchedules", "GetScriptStatus", "ListAudit"],

  DeleteRelease: ["ListReleases", "ListAudit"],
  RolloutAgent: [...CONFIG, "ListAudit"],
  PublishAgent: ["ListReleases", "ListAudit"],
};
