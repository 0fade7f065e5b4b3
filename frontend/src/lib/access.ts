// Who may see and do what in the SPA: the one place for role and page
// (feature) rules (kanade-latest-features §1.12, §1.13). The server enforces
// every rule again on every request; the SPA only hides what would be
// refused, so a viewer is not offered a Run button that answers 403.

/** Roles, lowest first (viewer < operator < admin). */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** kanade's page catalogue, in catalogue order (§1.13). */
export const FEATURES = [
  "dashboard",
  "run",
  "exec",
  "agents",
  "inventory",
  "compliance",
  "activity",
  "events",
  "audit",
  "logs",
  "collect",
  "analytics",
  "jobs",
  "schedules",
  "views",
  "notifications",
  "rollout",
  "agent-install",
  "apps",
  "groups",
  "config",
  "jetstream",
  "accounts",
  "settings",
  "remote",
] as const;
export type Feature = (typeof FEATURES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

export function isFeature(v: unknown): v is Feature {
  return typeof v === "string" && (FEATURES as readonly string[]).includes(v);
}

/** Does `have` reach `need` (a higher role includes every lower one)? */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** Feature keys in catalogue order without duplicates; unknown keys are dropped (as the server does). */
export function canonicalFeatures(keys: readonly unknown[]): Feature[] {
  const set = new Set(keys.filter(isFeature));
  return FEATURES.filter((f) => set.has(f));
}

/** GET /api/auth/me (§1.6). */
export interface Me {
  username: string;
  role: Role;
  must_change_pw: boolean;
  /** null: every page; a list: only those pages (plus the commons) */
  allowed_features: Feature[] | null;
  mfa_enabled: boolean;
  /**
   * What signed in (this console's addition): "account", "static-token",
   * "auth-disabled", "open" (loopback without auth) or "desktop"; absent
   * from a kanade backend, where every caller of /me is treated as signed in.
   */
  kind?: string;
}

/** Identities that are not an account and stand for "no accounts in force". */
const OPEN_KINDS = new Set(["open", "desktop", "auth-disabled"]);

/**
 * What the SPA knows about the caller.
 *  - "open": the backend runs without accounts (loopback open mode, auth
 *    disabled, a console without /api/auth/me, the desktop app): everything.
 *  - "signed-in": an identity from /api/auth/me (an account, the static token).
 */
export interface Access {
  mode: "open" | "signed-in";
  me: Me | null;
  role: Role;
  /** null = unrestricted */
  features: ReadonlySet<Feature> | null;
}

export const OPEN_ACCESS: Access = { mode: "open", me: null, role: "admin", features: null };

/** Reads an /api/auth/me body leniently: unknown roles count as viewer, unknown features are dropped. */
export function parseMe(body: unknown): Me {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const af = b.allowed_features;
  return {
    username: typeof b.username === "string" ? b.username : "",
    role: isRole(b.role) ? b.role : "viewer",
    must_change_pw: b.must_change_pw === true || b.must_change_pw === 1,
    allowed_features: Array.isArray(af) ? canonicalFeatures(af) : null,
    mfa_enabled: b.mfa_enabled === true,
    ...(typeof b.kind === "string" ? { kind: b.kind } : {}),
  };
}

/** Is this identity a real account (a password, MFA, a profile to edit)? */
export function isAccount(me: Me | null): boolean {
  if (!me) return false;
  if (me.kind !== undefined) return me.kind === "account";
  return !["static-token", "service-token", "auth-disabled", ""].includes(me.username);
}

export function accessOf(me: Me): Access {
  return {
    mode: me.kind !== undefined && OPEN_KINDS.has(me.kind) ? "open" : "signed-in",
    me,
    role: me.role,
    features: me.allowed_features === null ? null : new Set(me.allowed_features),
  };
}

/** Holds the caller the feature (always, when unrestricted)? */
export function hasFeature(a: Access, f: Feature): boolean {
  return a.features === null || a.features.has(f);
}

// ---- pages -----------------------------------------------------------------

/**
 * What a page of this SPA needs. `feature` is the allow-list key that owns it
 * (null: a commons page, which a restricted account does not get, as its
 * routes are commons too; "self": every signed-in caller, e.g. the profile);
 * `anyOf` lists alternatives (a page reading routes of several features);
 * `role` is the lowest role the page is of any use to.
 */
export interface PageRule {
  feature: Feature | null | "self";
  anyOf?: readonly Feature[];
  role: Role;
}

/** Every page of the navigation, by its path (first segment). */
export const PAGE_RULES: Record<string, PageRule> = {
  dashboard: { feature: "dashboard", role: "viewer" },
  status: { feature: "jetstream", role: "viewer" },
  settings: { feature: "settings", role: "admin" },
  run: { feature: "run", role: "operator" },
  exec: { feature: "exec", role: "operator" },
  executions: { feature: "activity", role: "viewer" },
  activity: { feature: "activity", role: "viewer" },
  running: { feature: "activity", role: "viewer" },
  jobs: { feature: "jobs", role: "viewer" },
  schedules: { feature: "schedules", role: "viewer" },
  agents: { feature: "agents", role: "viewer" },
  inventory: { feature: "inventory", role: "viewer" },
  config: { feature: "config", role: "viewer" },
  rollout: { feature: "rollout", role: "viewer" },
  audit: { feature: "audit", role: "viewer" },
  // The connect guide shows the agents' NATS credential and starts demo fleets.
  connect: { feature: "agent-install", role: "operator" },
  logs: { feature: "logs", role: "viewer" },
  "api-docs": { feature: null, role: "viewer" },
  accounts: { feature: "accounts", role: "admin" },
  "permission-groups": { feature: "accounts", role: "admin" },
  profile: { feature: "self", role: "viewer" },
};

function pageKey(path: string): string {
  return path.replace(/^\/+/, "").split(/[/?#]/)[0] ?? "";
}

/**
 * "New" editors below a list page are of no use without the operator role;
 * an existing job or schedule opens read-only for a viewer (no Save).
 */
const EDITOR_PATH = /^\/?(jobs|schedules)\/new\/?$/;

/** May the caller open the page at `path`? Unknown paths are allowed (they 404 on their own). */
export function canSeePage(a: Access, path: string): boolean {
  const rule = PAGE_RULES[pageKey(path)];
  if (!rule) return true;
  if (!roleAtLeast(a.role, rule.role)) return false;
  if (EDITOR_PATH.test(path.split(/[?#]/)[0]) && !roleAtLeast(a.role, "operator")) return false;
  if (rule.feature === "self" || a.features === null) return true;
  if (rule.feature === null) return false;
  return hasFeature(a, rule.feature) || (rule.anyOf ?? []).some((f) => hasFeature(a, f));
}

// ---- actions ---------------------------------------------------------------

/**
 * Buttons by the role their route needs (§1.12): reads are viewer+, every
 * mutation of the fleet or the catalogue operator+, accounts admin.
 */
export type Action =
  | "operate" // run, exec, kill, delete, revoke, publish, rollout, save config, edit jobs and schedules, groups, ping, demo fleet
  | "admin"; // accounts, permission groups, the desktop settings

const ACTION_ROLE: Record<Action, Role> = { operate: "operator", admin: "admin" };

export function can(a: Access, action: Action): boolean {
  return roleAtLeast(a.role, ACTION_ROLE[action]);
}

/** The first page the caller may open (where "/" and a refused page lead). */
export function homePath(a: Access): string {
  for (const p of ["dashboard", "activity", "agents", "inventory", "jobs", "schedules", "executions", "audit", "status"]) {
    if (canSeePage(a, `/${p}`)) return `/${p}`;
  }
  return "/profile";
}
