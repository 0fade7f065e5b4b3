import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, call, getToken, setToken, setTokenPrompt } from "./client";
import { canSignOut, currentAccess, isSignedOut, login, signOut, updateAccount } from "./auth";

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

// The desktop window with its HTTP listener on signs in through the
// bindings (app/auth.go): the same ops, no fetch, no stored token.
describe("sign-in in the desktop window", () => {
  const wailsErr = (status: number, error: string) => JSON.stringify({ status, error });
  function desktop(app: Record<string, unknown>) {
    const events: string[] = [];
    const fetchFn = vi.fn();
    vi.stubGlobal("fetch", fetchFn);
    vi.stubGlobal("window", {
      go: { app: { App: app } },
      localStorage: new MemStorage(),
      dispatchEvent: (e: Event) => {
        events.push(e.type);
        return true;
      },
    });
    return { events, fetchFn };
  }

  it("login calls the AuthLogin binding, both steps, and stores no token", async () => {
    const AuthLogin = vi.fn(async (req: { totp_code?: string }) => (req.totp_code ? { token: "jwt", role: "operator", must_change_pw: false, exp: 1 } : { mfa_required: true }));
    const { fetchFn } = desktop({ AuthLogin });
    expect(await login("olga", "pw")).toEqual({ mfa_required: true });
    expect(await login("olga", "pw", "123456")).toMatchObject({ token: "jwt" });
    expect(AuthLogin.mock.calls.map((c) => c[0])).toEqual([
      { username: "olga", password: "pw" },
      { username: "olga", password: "pw", totp_code: "123456" },
    ]);
    expect(getToken()).toBeNull();
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it("a wrong password is the form's 401 and does not end the session", async () => {
    const { events } = desktop({ AuthLogin: vi.fn(async () => Promise.reject(wailsErr(401, "invalid credentials"))) });
    await expect(login("olga", "nope")).rejects.toMatchObject({ status: 401, message: "invalid credentials" });
    expect(events).not.toContain("kanade:auth-expired");
  });

  it("signed out, /me is a 401 (the sign-in page), not the open desktop admin", async () => {
    desktop({ GetMe: vi.fn(async () => Promise.reject(wailsErr(401, "not signed in"))) });
    const err = await currentAccess().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(isSignedOut(err)).toBe(true);
  });

  it("signed in, /me is the account; with the listener off, the desktop admin", async () => {
    desktop({ GetMe: vi.fn(async () => ({ username: "olga", role: "operator", must_change_pw: true, allowed_features: null, mfa_enabled: false, kind: "account" })) });
    const a = await currentAccess();
    expect(a).toMatchObject({ mode: "signed-in", role: "operator" });
    expect(a.me?.must_change_pw).toBe(true);
    expect(canSignOut(a.me)).toBe(true);
    desktop({ GetMe: vi.fn(async () => ({ username: "local", role: "admin", must_change_pw: false, allowed_features: null, mfa_enabled: false, kind: "desktop" })) });
    const d = await currentAccess();
    expect(d).toMatchObject({ mode: "open", role: "admin" });
    expect(canSignOut(d.me)).toBe(false);
  });

  it("a 401 from any op ends the window's session (kanade:auth-expired); a 403 does not", async () => {
    const { events } = desktop({
      ListJobs: vi.fn(async () => Promise.reject(wailsErr(401, "account disabled"))),
      DeleteJob: vi.fn(async () => Promise.reject(JSON.stringify({ status: 403, error: "operator role required (caller is viewer)", required: "operator", role: "viewer" }))),
    });
    await expect(call("ListJobs", {})).rejects.toMatchObject({ status: 401 });
    expect(events).toEqual(["kanade:auth-expired"]);
    const e = await call("DeleteJob", { id: "j" }).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 403, body: { required: "operator", role: "viewer" } });
    expect(events).toEqual(["kanade:auth-expired"]);
  });

  it("sign-out ends the window's session through AuthLogout; the browser forgets its token", async () => {
    const AuthLogout = vi.fn(async () => undefined);
    desktop({ AuthLogout });
    await signOut();
    expect(AuthLogout).toHaveBeenCalledTimes(1);

    vi.stubGlobal("window", { localStorage: new MemStorage(), dispatchEvent: () => true });
    setToken("jwt");
    await signOut();
    expect(getToken()).toBeNull();
    expect(AuthLogout).toHaveBeenCalledTimes(1);
  });
});
