import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { constraints, operations, section, typeText, type OpenAPIDocument } from "./openapiDoc";

const doc = JSON.parse(readFileSync(resolve(__dirname, "../../../docs/openapi.json"), "utf8")) as OpenAPIDocument;

describe("openapiDoc", () => {
  it("lists every operation of the document once", () => {
    const ops = operations(doc);
    const n = Object.values(doc.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    expect(ops).toHaveLength(n);
    const agents = ops.find((o) => o.method === "GET" && o.path === "/api/agents")!;
    expect(agents.parameters.map((p) => p.name)).toContain("status");
    const ok = agents.responses.find((r) => r.status === "200")!;
    expect(typeText(ok.schema)).toBe("AgentRow[]");
    expect(ok.headers).toEqual(["X-Total-Count", "X-Total-Count-Capped"]);
    expect(ops.find((o) => o.path === "/health")!.public).toBe(true);
    const jobs = ops.find((o) => o.method === "POST" && o.path === "/api/jobs")!;
    expect(jobs.body.map((b) => b.mediaType).sort()).toEqual(["application/json", "application/yaml"]);
  });

  it("writes schemas as short type text", () => {
    expect(typeText({ type: ["string", "null"], format: "date-time" })).toBe("string (date-time) | null");
    expect(typeText({ type: "array", items: { $ref: "#/components/schemas/X" } })).toBe("X[]");
    expect(typeText({ type: ["array", "null"], items: { type: ["string", "null"] } })).toBe("(string | null)[] | null");
    expect(typeText({ enum: ["online", "stale"], type: "string" })).toBe('"online" | "stale"');
    expect(typeText({ type: "object", additionalProperties: { type: "string" } })).toBe("map of string");
    expect(typeText({})).toBe("any");
    expect(constraints({ type: "integer", minimum: 1, maximum: 600, default: 45 })).toBe("1–600, default 45");
    expect(section("/api/agents/{pc_id}/groups")).toBe("agents");
    expect(section("/healthz")).toBe("probes and metrics");
  });
});
