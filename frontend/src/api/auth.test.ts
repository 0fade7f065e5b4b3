import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, getToken, setTokenPrompt } from "./client";
import { currentAccess, login, updateAccount } from "./auth";

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

function answer(status: number, body: unknown) {
  const fn = vi.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => new Response(status === 204 ? null : typeof body === "string" ? body : JSON.stringify(body), { status }));
  vi.stubGlobal("fetch", fn);
  return fn;
}

beforeEach(() => {
  vi.stubGlobal("window", { localStorage: new MemStorage(), dispatchEvent: () => true });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setTokenPrompt(null);
});

describe("sign-in", () => {
  it("stores the token of a one-step login and sends no totp_code when none is typed", async () => {
    const f = answer(200, { token: "jwt", role: "viewer", must_change_pw: false, exp: 1 });
    const r = await login("alice", "pw", " ");
    expect(r).toMatchObject({ token: "jwt" });
    expect(getToken()).toBe("jwt");
    expect(JSON.parse(String(f.mock.calls[0][1]?.body))).toEqual({ username: "alice", password: "pw" });
  });

  it("mfa_required stores nothing; the second step sends the code", async () => {
    answer(200, { mfa_required: true });
    expect(await login("alice", "pw")).toEqual({ mfa_required: true });
    expect(getToken()).toBeNull();
    const f = answer(200, { token: "jwt2", role: "admin", must_change_pw: false, exp: 1 });
    await login("alice", "pw", "123456");
    expect(JSON.parse(String(f.mock.calls[0][1]?.body))).toEqual({ username: "alice", password: "pw", totp_code: "123456" });
    expect(getToken()).toBe("jwt2");
  });

  it("a 401 is thrown to the form, never sent to the token prompt", async () => {
    const prompt = vi.fn(async () => "x");
    setTokenPrompt(prompt);
    answer(401, { error: "invalid credentials" });
    await expect(login("a", "b")).rejects.toMatchObject({ status: 401 });
    expect(prompt).not.toHaveBeenCalled();
  });
});

describe("currentAccess", () => {
  it("an account", async () => {
    answer(200, { username: "vera", role: "viewer", must_change_pw: false, allowed_features: ["audit"], mfa_enabled: false, kind: "account" });
    const a = await currentAccess();
    expect(a.mode).toBe("signed-in");
    expect(a.role).toBe("viewer");
    expect([...(a.features ?? [])]).toEqual(["audit"]);
  });
  it("open when the console has no /api/auth/me (404) or answers something else", async () => {
    answer(404, { error: "not found" });
    expect((await currentAccess()).mode).toBe("open");
    answer(200, "<!doctype html>");
    expect((await currentAccess()).mode).toBe("open");
  });
  it("the desktop window without a GetMe binding is the admin; with one, its answer", async () => {
    vi.stubGlobal("window", { go: { app: { App: {} } } });
    expect(await currentAccess()).toMatchObject({ mode: "open", role: "admin" });
    const GetMe = vi.fn(async () => ({ username: "local", role: "admin", must_change_pw: false, allowed_features: null, mfa_enabled: false, kind: "desktop" }));
    vi.stubGlobal("window", { go: { app: { App: { GetMe } } } });
    expect(await currentAccess()).toMatchObject({ mode: "open", role: "admin" });
    expect(GetMe).toHaveBeenCalled();
  });
  it("other errors are thrown", async () => {
    answer(500, { error: "database error" });
    await expect(currentAccess()).rejects.toBeInstanceOf(ApiError);
  });
});

describe("admin calls", () => {
  it("PATCH keeps null (clear) and leaves absent fields out", async () => {
    const f = answer(204, "");
    await updateAccount("bob smith", { allowed_features: null, permission_group: null });
    const [url, init] = f.mock.calls[0];
    expect(url).toBe("/api/accounts/bob%20smith");
    expect(init?.method).toBe("PATCH");
    expect(JSON.parse(String(init?.body))).toEqual({ allowed_features: null, permission_group: null });
  });
});
