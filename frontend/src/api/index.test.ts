import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  TOKEN_KEY,
  buildUrl,
  call,
  getToken,
  jsonBody,
  ops,
  opNames,
  pathParams,
  setToken,
  setTokenPrompt,
  statusOnline,
  subscribeBackendEvents,
  transport,
  type ConsoleStatus,
} from "./index";

class MemStorage {
  private m = new Map<string, string>();
  getItem(k: string) {
    return this.m.has(k) ? this.m.get(k)! : null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, String(v));
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

type FetchCall = [string, RequestInit | undefined];

function mockFetch(...answers: Array<{ status?: number; body?: string; headers?: Record<string, string> }>) {
  const queue = [...answers];
  const fn = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
    const a = queue.length > 1 ? queue.shift()! : queue[0];
    const status = a.status ?? 200;
    return new Response(status === 204 ? null : (a.body ?? ""), { status, headers: a.headers ?? {} });
  });
  vi.stubGlobal("fetch", fn);
  return fn as unknown as { mock: { calls: FetchCall[] } } & typeof fn;
}

let storage: MemStorage;
beforeEach(() => {
  storage = new MemStorage();
  vi.stubGlobal("window", { localStorage: storage, dispatchEvent: () => true });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setTokenPrompt(null);
});

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return (init?.headers ?? {}) as Record<string, string>;
}

describe("op table", () => {
  it("has PascalCase names, a method and an /-rooted path for every op", () => {
    expect(opNames.length).toBeGreaterThan(50);
    for (const n of opNames) {
      expect(n).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(ops[n].path.startsWith("/")).toBe(true);
    }
  });

  it("names the documented core ops", () => {
    for (const n of ["ListAgents", "GetAgent", "ListResults", "GetResult", "RunScript", "PingAgent", "ExecJob", "UpsertJob", "DeleteJob", "KillJob", "KillExecution", "ListSchedules", "UpsertSchedule", "DisableSchedule"]) {
      expect(opNames).toContain(n);
    }
  });

  it("extracts path params", () => {
    expect(pathParams("/api/agents/{pc_id}/groups/{group}")).toEqual(["pc_id", "group"]);
  });
});

describe("transport", () => {
  it("is http without window.go", () => {
    expect(transport()).toBe("http");
  });
  it("is http when window.go has no app.App", () => {
    vi.stubGlobal("window", { go: { main: {} } });
    expect(transport()).toBe("http");
  });
  it("is wails when window.go.app.App exists", () => {
    vi.stubGlobal("window", { go: { app: { App: {} } } });
    expect(transport()).toBe("wails");
  });
});

describe("URL and body building", () => {
  it("fills path params (encoded) and query keys, skipping empty values", () => {
    expect(buildUrl(ops.GetAgentLogs, { pc_id: "PC 1/x", tail: 200 })).toBe("/api/agents/PC%201%2Fx/logs?tail=200");
    expect(buildUrl(ops.ListResults, { pc_id: "", status: "failure", limit: 50, offset: 0, q: undefined })).toBe(
      "/api/results?status=failure&limit=50&offset=0",
    );
    expect(buildUrl(ops.DisableSchedule, { id: "s1", cascade: true })).toBe("/api/schedules/s1/disable?cascade=true");
  });
  it("expands query maps: search filters as they are, identity under its prefix", () => {
    expect(
      buildUrl(ops.InventorySearch, { manifest_id: "inv-sw", field: "apps", filters: { name: "Chrome", version__lt: "120", x: "" }, limit: 100 }),
    ).toBe("/api/inventory/inv-sw/search/apps?limit=100&name=Chrome&version__lt=120");
    expect(buildUrl(ops.InventoryFirstSeen, { manifest_id: "inv-sw", field: "apps", identity: { name: "Git & Co" } })).toBe(
      "/api/inventory/inv-sw/history/first_seen?field=apps&identity.name=Git+%26+Co",
    );
  });
  it("throws on a missing path param", () => {
    expect(() => buildUrl(ops.GetAgent, {})).toThrow(/pc_id/);
  });
  it("puts the non-path non-query fields in the JSON body", () => {
    expect(jsonBody(ops.ExecJob, { job_id: "j", target: { all: true }, jitter: "30s" })).toEqual({ target: { all: true }, jitter: "30s" });
    expect(jsonBody(ops.PutGroupConfig, { name: "canary", target_version: "0.29.1" })).toEqual({ target_version: "0.29.1" });
  });
});

describe("http transport", () => {
  it("returns {items,total} from a JSON array and X-Total-Count", async () => {
    const f = mockFetch({ body: JSON.stringify([{ pc_id: "a" }, { pc_id: "b" }]), headers: { "X-Total-Count": "42" } });
    const page = await call("ListAgents", { q: "a", limit: 2, offset: 10 });
    expect(page).toEqual({ items: [{ pc_id: "a" }, { pc_id: "b" }], total: 42 });
    const [url, init] = f.mock.calls[0];
    expect(url).toBe("/api/agents?q=a&limit=2&offset=10");
    expect(init?.method).toBe("GET");
    expect(headersOf(init)["X-Kanade-Source"]).toBe("spa");
    expect(headersOf(init).Authorization).toBeUndefined();
  });

  it("falls back to offset+length without X-Total-Count", async () => {
    mockFetch({ body: "[1,2,3]" });
    await expect(call("ListJobs", { offset: 5 })).resolves.toEqual({ items: [1, 2, 3], total: 8 });
  });

  it("sends the bearer token when stored", async () => {
    storage.setItem(TOKEN_KEY, "tok");
    const f = mockFetch({ body: "{}" });
    await call("GetStatus", {});
    expect(headersOf(f.mock.calls[0][1]).Authorization).toBe("Bearer tok");
  });

  it("POSTs a JSON body", async () => {
    const f = mockFetch({ body: JSON.stringify({ exec_id: "e", job_id: "j", version: "1", target_count: 1, subjects: [] }) });
    await call("ExecJob", { job_id: "j", target: { groups: ["canary"] }, jitter: "30s" });
    const [url, init] = f.mock.calls[0];
    expect(url).toBe("/api/exec/j");
    expect(init?.method).toBe("POST");
    expect(headersOf(init)["Content-Type"]).toBe("application/json");
    expect(JSON.parse(String(init?.body))).toEqual({ target: { groups: ["canary"] }, jitter: "30s" });
  });

  it("sends YAML raw with application/yaml", async () => {
    const f = mockFetch({ body: JSON.stringify({ id: "j", version: "1", description: null, inventory: false }) });
    await call("UpsertJobYaml", { yaml: "id: j\n" });
    expect(headersOf(f.mock.calls[0][1])["Content-Type"]).toBe("application/yaml");
    expect(f.mock.calls[0][1]?.body).toBe("id: j\n");
  });

  it("returns text for text ops and undefined for 204", async () => {
    mockFetch({ body: "line1\nline2\n" });
    await expect(call("GetAgentLogs", { pc_id: "p", tail: 10 })).resolves.toBe("line1\nline2\n");
    mockFetch({ status: 204 });
    await expect(call("KillJob", { job_id: "j" })).resolves.toBeUndefined();
  });

  it("maps non-2xx to ApiError with the {error} message", async () => {
    mockFetch({ status: 409, body: JSON.stringify({ error: "job X is referenced by schedule(s) a" }) });
    const err = (await call("DeleteJob", { id: "X" }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.message).toBe("job X is referenced by schedule(s) a");
    expect(err.op).toBe("DeleteJob");
  });

  it("uses a plain-text error body as the message", async () => {
    mockFetch({ status: 504, body: "agent did not reply" });
    const err = (await call("GetAgentLogs", { pc_id: "p" }).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(504);
    expect(err.message).toBe("agent did not reply");
  });

  it("answers the body of an okStatus (fleet health 503)", async () => {
    mockFetch({ status: 503, body: JSON.stringify({ status: "degraded" }) });
    await expect(call("GetFleetHealth", {})).resolves.toEqual({ status: "degraded" });
  });

  it("maps a network failure to status 0", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const err = (await call("GetStatus", {}).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
  });
});

describe("401 token flow", () => {
  it("clears the token and rejects without a prompt", async () => {
    storage.setItem(TOKEN_KEY, "old");
    mockFetch({ status: 401, body: JSON.stringify({ error: "invalid static token" }) });
    const err = (await call("GetStatus", {}).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(getToken()).toBeNull();
  });

  it("prompts, stores the new token and retries", async () => {
    storage.setItem(TOKEN_KEY, "old");
    const f = mockFetch({ status: 401, body: JSON.stringify({ error: "missing bearer token" }) }, { body: JSON.stringify({ ok: 1 }) });
    const prompt = vi.fn(async () => "new-token");
    setTokenPrompt(prompt);
    await expect(call("GetStatus", {})).resolves.toEqual({ ok: 1 });
    expect(prompt).toHaveBeenCalledWith("missing bearer token");
    expect(getToken()).toBe("new-token");
    expect(headersOf(f.mock.calls[1][1]).Authorization).toBe("Bearer new-token");
  });

  it("shares one prompt between concurrent 401s", async () => {
    mockFetch({ status: 401, body: "{}" }, { status: 401, body: "{}" }, { body: "{}" });
    const prompt = vi.fn(async () => "t");
    setTokenPrompt(prompt);
    await Promise.all([call("GetStatus", {}), call("GetStatus", {})]);
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it("keeps a token stored while its request was out, and retries with it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if (!headersOf(init).Authorization) {
        await gate; // answered only after the operator signed in elsewhere
        return new Response(JSON.stringify({ error: "missing bearer token" }), { status: 401 });
      }
      return new Response(JSON.stringify({ ok: 1 }), { status: 200 });
    });
    vi.stubGlobal("fetch", f);
    const prompt = vi.fn(async () => "never");
    setTokenPrompt(prompt);
    const pending = call("GetStatus", {});
    setToken("signed-in");
    release();
    await expect(pending).resolves.toEqual({ ok: 1 });
    expect(prompt).not.toHaveBeenCalled();
    expect(getToken()).toBe("signed-in");
  });

  it("rejects when the operator cancels", async () => {
    mockFetch({ status: 401, body: "{}" });
    setTokenPrompt(async () => null);
    await expect(call("GetStatus", {})).rejects.toMatchObject({ status: 401 });
  });

  it("setToken trims", () => {
    setToken("  abc \n");
    expect(getToken()).toBe("abc");
  });
});

describe("wails transport", () => {
  function stubWails(app: Record<string, (req: unknown) => Promise<unknown>>, runtime?: unknown) {
    const f = vi.fn();
    vi.stubGlobal("fetch", f);
    vi.stubGlobal("window", { go: { app: { App: app } }, runtime, localStorage: storage });
    return f;
  }

  it("calls window.go.app.App[op] with ONE merged request object", async () => {
    const ExecJob = vi.fn(async () => ({ exec_id: "e" }));
    const f = stubWails({ ExecJob });
    const req = { job_id: "j", target: { all: true }, jitter: "5s" };
    await expect(call("ExecJob", req)).resolves.toEqual({ exec_id: "e" });
    expect(ExecJob).toHaveBeenCalledTimes(1);
    expect(ExecJob.mock.calls[0]).toEqual([req]);
    expect(f).not.toHaveBeenCalled();
  });

  it("passes {items,total} through for lists", async () => {
    const ListAgents = vi.fn(async () => ({ items: [{ pc_id: "a" }], total: 7 }));
    stubWails({ ListAgents });
    await expect(call("ListAgents", { limit: 1 })).resolves.toEqual({ items: [{ pc_id: "a" }], total: 7 });
  });

  it("maps a JSON error string to ApiError with status", async () => {
    stubWails({ DeleteJob: async () => Promise.reject('{"status":409,"error":"referenced by schedule(s) s1"}') });
    const err = (await call("DeleteJob", { id: "x" }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.message).toBe("referenced by schedule(s) s1");
  });

  it("maps a plain error string to status 500", async () => {
    stubWails({ GetStatus: async () => Promise.reject("boom") });
    await expect(call("GetStatus", {})).rejects.toMatchObject({ status: 500, message: "boom" });
  });

  it("reports a missing binding", async () => {
    stubWails({});
    await expect(call("GetStatus", {})).rejects.toMatchObject({ status: 501 });
  });

  it("sends uploads as {filename, data_base64}", async () => {
    const PublishAgent = vi.fn(async () => ({ version: "0.29.0", size: 3, digest: "d" }));
    stubWails({ PublishAgent });
    await call("PublishAgent", { file: new Blob([new Uint8Array([1, 2, 3])]), filename: "kanade-agent.exe" });
    expect(PublishAgent.mock.calls[0]).toEqual([{ filename: "kanade-agent.exe", data_base64: "AQID" }]);
  });

  it("subscribes to kanade:* runtime events", () => {
    const handlers: Record<string, (d: unknown) => void> = {};
    const off = vi.fn();
    const EventsOn = vi.fn((name: string, cb: (d: unknown) => void) => {
      handlers[name] = cb;
      return off;
    });
    stubWails({}, { EventsOn });
    const cb = vi.fn();
    const unsub = subscribeBackendEvents(cb);
    expect(Object.keys(handlers).sort()).toEqual(["kanade:agents", "kanade:executions", "kanade:results"]);
    handlers["kanade:results"]({ n: 1 });
    expect(cb).toHaveBeenCalledWith("results", { n: 1 });
    unsub();
    expect(off).toHaveBeenCalledTimes(3);
  });

  it("subscribeBackendEvents is a no-op in browser mode", () => {
    const cb = vi.fn();
    const unsub = subscribeBackendEvents(cb);
    expect(typeof unsub).toBe("function");
    unsub();
  });
});

describe("statusOnline", () => {
  const status = (agents: ConsoleStatus["agents"]) => ({ agents }) as ConsoleStatus;
  it("reads the active count (the only spelling /api/status sends, as docs/openapi.json says)", () => {
    expect(statusOnline(status({ known: 25, active: 23, stale: 2 }))).toBe(23);
  });
});
