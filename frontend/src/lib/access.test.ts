import { describe, expect, it } from "vitest";
import {
  FEATURES,
  OPEN_ACCESS,
  PAGE_RULES,
  accessOf,
  can,
  canSeePage,
  canonicalFeatures,
  homePath,
  isAccount,
  parseMe,
  roleAtLeast,
  type Access,
  type Role,
} from "./access";

const me = (role: Role, allowed_features: unknown = null): Access =>
  accessOf(parseMe({ username: "u", role, must_change_pw: false, allowed_features, mfa_enabled: false }));

describe("roles", () => {
  it("orders viewer < operator < admin", () => {
    expect(roleAtLeast("admin", "operator")).toBe(true);
    expect(roleAtLeast("operator", "operator")).toBe(true);
    expect(roleAtLeast("viewer", "operator")).toBe(false);
    expect(roleAtLeast("operator", "admin")).toBe(false);
  });

  it.each([
    ["viewer", false, false],
    ["operator", true, false],
    ["admin", true, true],
  ] as const)("%s: operate=%s admin=%s", (role, operate, admin) => {
    expect(can(me(role), "operate")).toBe(operate);
    expect(can(me(role), "admin")).toBe(admin);
  });

  it("open mode (no accounts) may do everything", () => {
    expect(can(OPEN_ACCESS, "admin")).toBe(true);
    for (const p of Object.keys(PAGE_RULES)) expect(canSeePage(OPEN_ACCESS, `/${p}`)).toBe(true);
  });
});

describe("parseMe", () => {
  it("open identities (loopback, desktop, auth disabled) are open mode; the static token and accounts are signed in", () => {
    const of = (kind: string, username = "local") => accessOf(parseMe({ username, role: "admin", must_change_pw: false, allowed_features: null, mfa_enabled: false, kind }));
    expect(of("open").mode).toBe("open");
    expect(of("desktop").mode).toBe("open");
    expect(of("auth-disabled", "auth-disabled").mode).toBe("open");
    expect(of("static-token", "static-token").mode).toBe("signed-in");
    expect(isAccount(of("static-token", "static-token").me)).toBe(false);
    expect(isAccount(of("account", "alice").me)).toBe(true);
    // a kanade backend sends no kind
    expect(isAccount(parseMe({ username: "alice", role: "viewer" }))).toBe(true);
    expect(isAccount(parseMe({ username: "service-token", role: "admin" }))).toBe(false);
  });

  it("reads kanade's shape", () => {
    expect(parseMe({ username: "alice", role: "operator", must_change_pw: true, allowed_features: ["jobs", "run"], mfa_enabled: true })).toEqual({
      username: "alice",
      role: "operator",
      must_change_pw: true,
      allowed_features: ["run", "jobs"],
      mfa_enabled: true,
    });
  });
  it("is lenient: unknown role is viewer, unknown features dropped, 0/1 flags, junk", () => {
    expect(parseMe({ username: "x", role: "root", must_change_pw: 1, allowed_features: ["nope", "audit"] })).toEqual({
      username: "x",
      role: "viewer",
      must_change_pw: true,
      allowed_features: ["audit"],
      mfa_enabled: false,
    });
    expect(parseMe(null).role).toBe("viewer");
    expect(parseMe("text").allowed_features).toBeNull();
  });
  it("canonicalises like the server: catalogue order, no duplicates", () => {
    expect(canonicalFeatures(["accounts", "dashboard", "accounts", 3, "remote"])).toEqual(["dashboard", "accounts", "remote"]);
    expect(FEATURES).toHaveLength(25);
  });
});

describe("pages", () => {
  const cases: Array<[string, Role, unknown, boolean]> = [
    ["/dashboard", "viewer", null, true],
    ["/run", "viewer", null, false],
    ["/exec", "viewer", null, false],
    ["/run", "operator", null, true],
    ["/connect", "viewer", null, false],
    ["/accounts", "operator", null, false],
    ["/accounts", "admin", null, true],
    ["/permission-groups", "admin", null, true],
    ["/settings", "operator", null, false],
    ["/profile", "viewer", [], true],
    // allow-lists
    ["/jobs", "operator", ["jobs"], true],
    ["/jobs/new", "operator", ["jobs"], true],
    ["/schedules", "operator", ["jobs"], false],
    ["/executions/abc", "viewer", ["activity"], true],
    ["/jobs", "viewer", null, true],
    ["/jobs/new", "viewer", null, false],
    ["/jobs/nightly/edit", "viewer", null, true], // read-only
    ["/schedules/s1/edit", "operator", null, true],
    ["/schedules/new?from=x", "viewer", null, false],
    ["/accounts", "admin", ["dashboard"], false],
    ["/api-docs", "viewer", ["dashboard"], false], // commons: lost when restricted
    ["/api-docs", "viewer", null, true],
    ["/does-not-exist", "viewer", [], true],
  ];
  it.each(cases)("%s as %s with %j → %s", (path, role, features, want) => {
    expect(canSeePage(me(role, features), path)).toBe(want);
  });

  it("every page rule names a real feature", () => {
    for (const [k, r] of Object.entries(PAGE_RULES)) {
      if (r.feature !== null && r.feature !== "self") expect(FEATURES, k).toContain(r.feature);
    }
  });

  it("home is the first page the caller may open", () => {
    expect(homePath(me("viewer"))).toBe("/dashboard");
    expect(homePath(me("viewer", ["audit"]))).toBe("/audit");
    expect(homePath(me("viewer", []))).toBe("/profile");
  });
});
