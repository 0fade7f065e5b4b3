import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { afterWrite, opKey } from "./hooks";
import { invalidates, type WriteOp } from "./invalidation";
import { opNames, ops, type OpName } from "./ops";

describe("declared invalidations", () => {
  it("every write op (not GET) declares what it makes stale, and only writes do", () => {
    const writes = opNames.filter((n) => ops[n].method !== "GET").sort();
    expect(Object.keys(invalidates).sort()).toEqual(writes);
  });

  it("a write makes reads stale, never another write", () => {
    for (const [write, reads] of Object.entries(invalidates) as Array<[WriteOp, readonly OpName[]]>) {
      for (const r of reads) expect(ops[r].method, `${write} → ${r}`).toBe("GET");
    }
  });

  it("afterWrite invalidates every cached query of the declared ops and nothing else", async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const seed = (name: OpName, req?: object) => qc.setQueryData(opKey(name, req as never), {});
    seed("ListJobs", { limit: 1000 });
    seed("ListJobs", { limit: 50, offset: 50 });
    seed("GetScriptStatus", {});
    seed("ListInventoryJobs", { limit: 1000 });
    seed("ListSchedules", { limit: 1000 });
    seed("ListAgents", { limit: 1000 });
    await afterWrite(qc, "DeleteJob");
    const stale = qc
      .getQueryCache()
      .getAll()
      .filter((q) => q.state.isInvalidated)
      .map((q) => JSON.stringify(q.queryKey))
      .sort();
    expect(stale).toEqual(
      [
        ["GetScriptStatus", {}],
        ["ListInventoryJobs", { limit: 1000 }],
        ["ListJobs", { limit: 1000 }],
        ["ListJobs", { limit: 50, offset: 50 }],
      ]
        .map((k) => JSON.stringify(k))
        .sort(),
    );
  });
});
