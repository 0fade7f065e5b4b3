import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, health, ready, transport } from "./index";

function mockFetch(status: number, body: string, contentType = "text/plain") {
  const fn = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) =>
    new Response(body, { status, headers: { "content-type": contentType } }),
  );
  vi.stubGlobal("fetch", fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("transport", () => {
  it("is http when there is no window (node, tests)", () => {
    expect(transport()).toBe("http");
  });

  it("is http in a browser without Wails bindings", () => {
    vi.stubGlobal("window", {});
    expect(transport()).toBe("http");
  });

  it("is wails when window.go exists", () => {
    vi.stubGlobal("window", { go: { main: {} } });
    expect(transport()).toBe("wails");
  });
});

describe("health", () => {
  it("returns the body text of GET /health", async () => {
    const fetchMock = mockFetch(200, "ok\n");
    await expect(health()).resolves.toBe("ok");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe("/health");
    expect(fetchMock.mock.calls[0][1]?.method).toBe("GET");
  });

  it("rejects with ApiError on a non-2xx answer", async () => {
    mockFetch(503, "unavailable");
    const err = await health().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).path).toBe("/health");
    expect((err as ApiError).body).toBe("unavailable");
  });
});

describe("ready", () => {
  it("parses the JSON document of GET /readyz", async () => {
    const fetchMock = mockFetch(200, JSON.stringify({ status: "ready", checks: { db: "ok" } }), "application/json");
    await expect(ready()).resolves.toEqual({ status: "ready", checks: { db: "ok" } });
    expect(fetchMock.mock.calls[0][0]).toBe("/readyz");
  });

  it("rejects with ApiError carrying the parsed body when not ready", async () => {
    mockFetch(503, JSON.stringify({ status: "starting" }), "application/json");
    const err = await ready().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).body).toEqual({ status: "starting" });
  });

  it("rejects a 2xx answer that is not a JSON object", async () => {
    mockFetch(200, "[]", "application/json");
    await expect(ready()).rejects.toThrow(/expected a JSON object/);
  });
});
