import { describe, expect, it } from "vitest";
import { buildPlan, defaultMode } from "./Exec";
import { parseTail } from "./Logs";
import { pendingCount } from "./Executions";
import { liveJobs } from "./Running";
import { referencingSchedules } from "./Jobs";
import { shown, targetSummary } from "./Schedules";
import { logsErrorText } from "../components/LogTail";
import { ApiError } from "../api";

describe("page helpers", () => {
  it("pendingCount floors at 0", () => {
    expect(pendingCount({ target_count: 10, success_count: 3, failure_count: 2 })).toBe(5);
    expect(pendingCount({ target_count: 1, success_count: 3, failure_count: 2 })).toBe(0);
    // skipped results are neither failures nor pending
    expect(pendingCount({ target_count: 10, success_count: 3, failure_count: 2, skipped_count: 4 })).toBe(1);
  });

  it("liveJobs keeps the jobs with something live, busiest first", () => {
    expect(
      liveJobs([
        { id: "a", live: { running: 0, pending: 0 } },
        { id: "b", live: { running: 1, pending: 0 } },
        { id: "c", live: { running: 2, pending: 3 } },
        { id: "d", live: { running: 0, pending: 1 } },
      ]),
    ).toEqual([
      { id: "c", running: 2, pending: 3 },
      { id: "b", running: 1, pending: 0 },
      { id: "d", running: 0, pending: 1 },
    ]);
    // an older console without live counters
    expect(liveJobs([{ id: "x" } as never])).toEqual([]);
  });

  it("referencingSchedules reads the 409 body's schedules (HTTP and Wails alike)", () => {
    const msg = "job X is referenced by schedule(s) a, b; delete or change them first";
    expect(referencingSchedules(new ApiError("DeleteJob", 409, msg, { error: msg, schedules: ["a", "b"] }))).toEqual(["a", "b"]);
    expect(referencingSchedules(new ApiError("DeleteJob", 409, msg, { status: 409, error: msg, schedules: ["nightly"] }))).toEqual(["nightly"]);
    // An older console's body has only the message: no links, never a guess from the prose.
    expect(referencingSchedules(new ApiError("DeleteJob", 409, msg, { error: msg }))).toEqual([]);
    expect(referencingSchedules(new ApiError("DeleteJob", 409, "conflict", "conflict"))).toEqual([]);
    expect(referencingSchedules(new ApiError("DeleteJob", 409, "x", { schedules: [1, "ok", null] }))).toEqual(["ok"]);
  });

  it("targetSummary", () => {
    expect(targetSummary({ target: { all: true } })).toBe("all");
    expect(targetSummary({ target: { groups: ["a", "b"], pcs: ["p1", "p2", "p3", "p4"] } })).toBe("groups: a, b; pcs: p1, p2, p3 (+1)");
    expect(targetSummary({ target: {}, rollout: { waves: [{ group: "c", delay: "0s" }, { group: "w", delay: "30m" }] } })).toBe("waves: c@0s → w@30m");
  });

  it("unreadable schedules render as text, never throw", () => {
    // A schedule listed as unsupported keeps whatever JSON was stored.
    const odd = { target: { groups: { length: 1 } } } as unknown as Parameters<typeof targetSummary>[0];
    expect(targetSummary(odd)).toBe('{"groups":{"length":1}}');
    expect(shown({ per_pc: "once" })).toBe('{"per_pc":"once"}');
    expect(shown(undefined)).toBe("—");
    expect(shown("j")).toBe("j");
  });

  it("buildPlan builds a FanoutPlan", () => {
    expect(buildPlan("all", [], [], false, [], "")).toEqual({ target: { all: true } });
    expect(buildPlan("groups", ["canary"], [], true, [{ group: " canary ", delay: "" }, { group: "wave1", delay: "30m" }], " 30s ")).toEqual({
      target: { groups: ["canary"] },
      rollout: { strategy: "wave", waves: [{ group: "canary", delay: "0s" }, { group: "wave1", delay: "30m" }] },
      jitter: "30s",
    });
    expect(buildPlan("pcs", [], ["PC1"], true, [], "")).toEqual({ target: { pcs: ["PC1"] } });
  });

  it("logsErrorText explains 504 and 502", () => {
    expect(logsErrorText(new ApiError("GetAgentLogs", 504, "timeout"))).toMatch(/didn't reply/);
    expect(logsErrorText(new ApiError("GetAgentLogs", 502, "no responders"))).toMatch(/offline/);
  });
  it("Exec targets all agents by default when the console has no groups", () => {
    expect(defaultMode(0)).toBe("all");
    expect(defaultMode(3)).toBe("groups");
    expect(defaultMode(undefined)).toBe("groups");
  });
  it("parseTail keeps a sane tail from the URL", () => {
    expect(parseTail("2000")).toBe(2000);
    expect(parseTail("")).toBe(500);
    expect(parseTail("-1")).toBe(500);
    expect(parseTail("1e9")).toBe(500);
    expect(parseTail("abc")).toBe(500);
  });
});
