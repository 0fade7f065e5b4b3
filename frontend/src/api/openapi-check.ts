// The hand-written API types (types.ts) checked against the schemas that
// openapi-typescript generated from docs/openapi.json (openapi.d.ts, which
// openapi.test.ts keeps in step with the document). A field added to a Go
// response type reaches docs/openapi.json (make openapi), then openapi.d.ts
// (npm run openapi), and then fails `tsc --noEmit` here until types.ts
// names it too. Only key sets are compared, at every level (a nested
// object's or an array element's keys too): the frontend may narrow a
// value's type (an enum for a string), not miss or invent a field.
import type { components, paths } from "./openapi";
import type { ops, OpName, OpRes } from "./ops";
import type * as T from "./types";

type S = components["schemas"];

/** Keys without index signatures ({[field: string]: unknown}). */
type KnownKeys<X> = keyof {
  [K in keyof X as string extends K ? never : number extends K ? never : K]: X[K];
};
/** The object type inside X (X itself, an array's element, without null). */
type Obj<X> = [NonNullable<X>] extends [readonly (infer E)[]] ? Obj<E> : [NonNullable<X>] extends [object] ? NonNullable<X> : never;
/** Every member's keys of a union (types.ts writes variants as unions). */
type AllKeys<X> = X extends unknown ? KnownKeys<X> : never;
/** The type of key K in whichever union members have it. */
type Prop<X, K> = X extends unknown ? (K extends keyof X ? X[K] : never) : never;
type Down = [never, 0, 1, 2, 3, 4];
/**
 * Paths of the keys B (the schema) has and A (types.ts) lacks, nested
 * objects and array elements included, 5 levels deep. A value either side
 * leaves opaque (unknown, raw JSON, a map) is not looked into.
 */
type Missing<A, B, P extends string = "", D extends number = 5> = [D] extends [never]
  ? never
  : [AllKeys<A>] extends [never]
    ? never
    : [AllKeys<B>] extends [never]
      ? never
      :
          | `${P}${Exclude<AllKeys<B>, AllKeys<A>> & string}`
          | { [K in AllKeys<A> & AllKeys<B> & string]: Missing<Obj<Prop<A, K>>, Obj<Prop<B, K>>, `${P}${K}.`, Down[D]> }[AllKeys<A> & AllKeys<B> & string];
/** Paths of the keys A (types.ts) has and B (the schema) lacks. */
type Invented<A, B, P extends string = ""> = Missing<B, A, P>;
/** Resolves to true when A (types.ts) has exactly B's (the schema's) keys, at every level. */
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
  Check<SameKeys<T.PingResponse, S["PingResponse"]>>,
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
  // ...each with kanade v0.30's live counters.
  Check<SameKeys<T.JobRow, S["Manifest"] & S["unreadableJob"] & S["jobLive"]>>,
  Check<SameKeys<T.LiveCounts, S["LiveCounts"]>>,
  Check<SameKeys<T.ResultTail, S["ResultTail"]>>,
  Check<SameKeys<T.JobUpsertResponse, S["UpsertJobResponse"]>>,
  Check<SameKeys<T.JobInUse, S["jobInUseBody"]>>,
  Check<SameKeys<T.ExecResult, S["ExecResult"]>>,
  Check<SameKeys<T.FleetHealth, S["FleetHealth"]>>,
  Check<SameKeys<T.ResourcePresence, S["Resource"]>>,
  Check<SameKeys<T.JetStreamStatus, S["Resources"]>>,
  Check<SameKeys<T.Readiness, S["Readiness"]>>,
  Check<SameKeys<T.ProjectorStats, S["Snapshot"]>>,
  Check<SameKeys<T.ConsoleStatus, S["Status"]>>,
  Check<SameKeys<T.ScheduleEntryStatus, S["EntryStatus"]>>,
  Check<SameKeys<T.PendingWave, S["PendingWave"]>>,
  Check<SameKeys<T.DeadLetter, S["DeadLetterRow"]>>,
  Check<SameKeys<T.CronNextResponse, S["CronNextResponse"]>>,
  Check<SameKeys<T.InventoryJob, S["InventoryJob"]>>,
  // One row type, two views: a probe's fleet table and a PC's probes.
  Check<SameKeys<T.InventoryRow, S["InventoryRow"]>>,
  Check<SomeKeys<T.PcInventoryEntry, S["InventoryRow"]>>,
  Check<SameKeys<T.InventoryByJob, S["InventoryByJob"]>>,
  Check<SameKeys<T.Release, S["Release"]>>,
  Check<SameKeys<T.RolloutResponse, S["RolloutResponse"]>>,
  Check<SameKeys<T.PublishResponse, S["PublishResponse"]>>,
];

// Every op's answer in ops.ts (OpTypes[op].res) against the 200 body its
// route declares in the document, so an op cannot answer a type no check
// above names. A list op's Page<T> is compared by its element T.
type Spec<K extends OpName> = (typeof ops)[K];
type Operation<K extends OpName> = paths[Spec<K>["path"]][Lowercase<Spec<K>["method"]> & keyof paths[Spec<K>["path"]]];
type HttpBody<K extends OpName> = Operation<K> extends { responses: { 200: { content: { "application/json": infer B } } } } ? B : never;
type OpBody<K extends OpName> = OpRes<K> extends T.Page<infer E> ? E[] : OpRes<K>;
/** Views that read some keys of a wider row (see SomeKeys above). */
type NarrowedOps = "ListPcInventory";
type OpMismatch<K extends OpName> = K extends NarrowedOps
  ? SomeKeys<Obj<OpBody<K>>, Obj<HttpBody<K>>>
  : SameKeys<Obj<OpBody<K>>, Obj<HttpBody<K>>>;
type FailingOps = { [K in OpName]: OpMismatch<K> extends true ? never : K }[OpName];

export type OpAnswerChecks = Check<[FailingOps] extends [never] ? true : { ops_answering_other_keys_than_openapi: `${FailingOps}` }>;
