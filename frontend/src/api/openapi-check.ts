// The hand-written API types (types.ts) checked against the schemas that
// openapi-typescript generated from docs/openapi.json (openapi.d.ts, which
// openapi.test.ts keeps in step with the document). A field added to a Go
// response type reaches docs/openapi.json (make openapi), then openapi.d.ts
// (npm run openapi), and then fails `tsc --noEmit` here until types.ts
// names it too. Only key sets are compared: the frontend may narrow a
// value's type (an enum for a string), not miss or invent a field.
import type { components } from "./openapi";
import type * as T from "./types";

type S = components["schemas"];

/** Keys without index signatures ({[field: string]: unknown}). */
type KnownKeys<X> = keyof {
  [K in keyof X as string extends K ? never : number extends K ? never : K]: X[K];
};
type Missing<A, B> = Exclude<KnownKeys<B>, KnownKeys<A>>;
type Invented<A, B> = Exclude<KnownKeys<A>, KnownKeys<B>>;
/** Resolves to true when A (types.ts) has exactly B's (the schema's) keys. */
type SameKeys<A, B> = [Missing<A, B>, Invented<A, B>] extends [never, never]
  ? true
  : { missing_in_types_ts: Missing<A, B>; not_in_openapi: Invented<A, B> };
/** A's keys are some of B's: a row type the frontend reads from a wider one. */
type SomeKeys<A, B> = [Invented<A, B>] extends [never] ? true : { not_in_openapi: Invented<A, B> };
type Check<X extends true> = X;

export type OpenAPIChecks = [
  Check<SameKeys<T.Agent, S["AgentRow"]>>,
  Check<SameKeys<T.AgentGroups, S["AgentGroups"]>>,
  Check<SameKeys<T.Heartbeat, S["Heartbeat"]>>,
  Check<SameKeys<T.PingResponse, S["pingResponse"]>>,
  Check<SameKeys<T.GroupInfo, S["GroupCount"]>>,
  Check<SameKeys<T.AgentURL, S["AgentURL"]>>,
  Check<SameKeys<T.DemoStatus, S["DemoStatus"]>>,
  Check<SameKeys<T.ConnectInfo, S["ConnectInfo"]>>,
  Check<SameKeys<T.ConfigScope, S["ConfigScope"]>>,
  Check<SameKeys<T.EffectiveConfig, S["EffectiveConfig"]>>,
  Check<SameKeys<T.EffectiveConfigResponse, S["EffectiveConfigResponse"]>>,
  Check<SameKeys<T.Result, S["ResultRow"]>>,
  Check<SameKeys<T.Execution, S["ExecutionRow"]>>,
  Check<SameKeys<T.ExecutionResultRow, S["ExecutionResult"]>>,
  Check<SameKeys<T.InflightRow, S["InflightRun"]>>,
  Check<SameKeys<T.ExecutionDetail, S["ExecutionDetail"]>>,
  Check<SameKeys<T.AuditEvent, S["AuditEntry"]>>,
  Check<SameKeys<T.Target, S["Target"]>>,
  Check<SameKeys<T.Wave, S["Wave"]>>,
  Check<SameKeys<T.Rollout, S["Rollout"]>>,
  Check<SameKeys<T.FanoutPlan, S["FanoutPlan"]>>,
  Check<SameKeys<T.ExecResponse, S["ExecResponse"]>>,
  // GET /api/schedules: the stored schedule with the listing keys, or an unusable one.
  Check<SameKeys<T.Schedule, S["Schedule"] & S["listingKeys"] & S["unsupportedListing"]>>,
  Check<SameKeys<T.ScheduleUpsertResponse, S["UpsertResponse"]>>,
  Check<SameKeys<T.DisplayField, S["DisplayField"]>>,
  Check<SameKeys<T.InventoryHint, S["InventoryHint"]>>,
  Check<SameKeys<T.Execute, S["Execute"]>>,
  // GET /api/jobs: the manifest, or an unreadable one with supported/reason.
  Check<SameKeys<T.Manifest, S["Manifest"] & S["unreadableJob"]>>,
  Check<SameKeys<T.JobUpsertResponse, S["UpsertJobResponse"]>>,
  Check<SameKeys<T.JobInUse, S["jobInUseBody"]>>,
  Check<SameKeys<T.ExecResult, S["ExecResult"]>>,
  Check<SameKeys<T.FleetHealth, S["FleetHealth"]>>,
  Check<SameKeys<T.ResourcePresence, S["Resource"]>>,
  Check<SameKeys<T.JetStreamStatus, S["Resources"]>>,
  Check<SameKeys<T.Readiness, S["Readiness"]>>,
  Check<SameKeys<T.ProjectorStats, S["Snapshot"]>>,
  Check<SameKeys<T.ConsoleStatus, S["Status"]>>,
  Check<SameKeys<T.DeadLetter, S["DeadLetterRow"]>>,
  Check<SameKeys<T.CronNextResponse, S["cronNextResponse"]>>,
  Check<SameKeys<T.InventoryJob, S["InventoryJob"]>>,
  // One row type, two views: a probe's fleet table and a PC's probes.
  Check<SomeKeys<T.InventoryRow, S["InventoryRow"]>>,
  Check<SomeKeys<T.PcInventoryEntry, S["InventoryRow"]>>,
  Check<SameKeys<T.InventoryByJob, S["InventoryByJob"]>>,
  Check<SameKeys<T.Release, S["Release"]>>,
  Check<SameKeys<T.RolloutResponse, S["RolloutResponse"]>>,
  Check<SameKeys<T.PublishResponse, S["PublishResponse"]>>,
];
