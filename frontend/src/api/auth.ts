// Accounts, sign-in and permission groups (issue 15; kanade-latest-features
// §1.6–§1.11). These routes are kanade's own, so a kanade SPA or CLI speaks
// them too. They are kept out of the op table of ./ops (the sign-in routes
// must not meet the 401 prompt). The desktop app binds them under the same
// names (app/accounts.go, app/auth.go): with its HTTP listener off the window
// is the local admin (GetMe answers kind "desktop"); with it on the window
// signs in through AuthLogin like a browser, except that the session lives
// in the app (AuthLogout ends it), not in a stored token.
import { ApiError, callSpec, clearToken, getToken, setToken, transport, type CallOptions } from "./client";
import { AuthLogout } from "../../wailsjs/go/app/App";
import type { OpSpec } from "./ops";
import { OPEN_ACCESS, accessOf, parseMe, type Access, type Feature, type Me, type Role } from "../lib/access";

export type { Me };

/** POST /api/auth/login answers one of two shapes (a serde untagged enum). */
export type LoginResponse = { token: string; role: Role; must_change_pw: boolean; exp: number } | { mfa_required: true };

export function isMfaRequired(r: unknown): r is { mfa_required: true } {
  return !!r && typeof r === "object" && (r as { mfa_required?: unknown }).mfa_required === true && !("token" in r);
}

/** A row of GET /api/accounts; the flags are integers 0/1 as in kanade. */
export interface UserRow {
  username: string;
  role: Role;
  disabled: number | boolean;
  must_change_pw: number | boolean;
  email: string | null;
  allowed_features: Feature[] | null;
  permission_group: string | null;
  mfa_enabled?: boolean;
  /** this console: the account waits for its setup link */
  setup_pending?: boolean;
  created_at: string;
  updated_at: string;
}

export interface PermissionGroup {
  name: string;
  features: Feature[];
  member_count: number;
  created_at: string;
  updated_at: string;
}

export interface CreateAccount {
  username: string;
  role: Role;
  password?: string;
  email?: string;
  allowed_features?: Feature[] | null;
  permission_group?: string;
}

/** PATCH body: absent = unchanged, null = clear (allowed_features, permission_group). */
export interface UpdateAccount {
  role?: Role;
  password?: string;
  disabled?: boolean;
  email?: string;
  allowed_features?: Feature[] | null;
  permission_group?: string | null;
}

const spec = (method: OpSpec["method"], path: string, body: boolean, result: OpSpec["result"], doc: string): OpSpec =>
  ({ method, path, ...(body ? { body: "json" } : {}), result, doc }) as OpSpec;

/**
 * The account routes, named like ops. The desktop app binds the admin, the
 * sign-in and the self-service ones under these names (app/accounts.go,
 * app/auth.go); the Go side reads this table to authorize each binding with
 * its route's rule (frontend/optable.go), so keep one spec(…) call per line.
 */
export const authOps = {
  AuthLogin: spec("POST", "/api/auth/login", true, "json", "sign in; {token,…} or {mfa_required:true} (public)"),
  GetMe: spec("GET", "/api/auth/me", false, "json", "the caller: username, role, must_change_pw, allowed_features, mfa_enabled"),
  AuthChangePassword: spec("POST", "/api/auth/change-password", true, "none", "change the caller's password; body {old_password,new_password}"),
  AuthMfaInit: spec("POST", "/api/auth/mfa/init", false, "json", "a candidate TOTP secret and its otpauth URL (writes nothing)"),
  AuthMfaVerify: spec("POST", "/api/auth/mfa/verify", true, "none", "turn MFA on with {secret,code,current_code?}"),
  AuthMfaDisable: spec("POST", "/api/auth/mfa/disable", true, "none", "turn MFA off with {code}"),
  AuthPasswordSetupInfo: spec("GET", "/api/auth/password-setup/{token}", false, "json", "whose link, setup or reset (public)"),
  AuthPasswordSetup: spec("POST", "/api/auth/password-setup/{token}", true, "none", "set the password through a link (public)"),
  ListAccounts: spec("GET", "/api/accounts", false, "json", "accounts, by username (admin)"),
  CreateAccount: spec("POST", "/api/accounts", true, "json", "create an account (admin)"),
  UpdateAccount: spec("PATCH", "/api/accounts/{username}", true, "none", "change role, password, disabled, email, features, group (admin)"),
  DeleteAccount: spec("DELETE", "/api/accounts/{username}", false, "none", "delete an account (admin)"),
  CreateResetLink: spec("POST", "/api/accounts/{username}/reset-link", false, "json", "a password reset link (admin)"),
  ListPermissionGroups: spec("GET", "/api/permission-groups", false, "json", "permission groups with member counts (admin)"),
  CreatePermissionGroup: spec("POST", "/api/permission-groups", true, "none", "create a group {name,features} (admin)"),
  UpdatePermissionGroup: spec("PATCH", "/api/permission-groups/{name}", true, "none", "replace a group's features (admin)"),
  DeletePermissionGroup: spec("DELETE", "/api/permission-groups/{name}", false, "none", "delete an empty group (admin)"),
  // Not called by this SPA (kanade's own SPA and CLI use them); declared so
  // the route table and the SPA's op tables stay one to one.
  AuthForgotPassword: spec("POST", "/api/auth/forgot-password", true, "none", "ask for a reset link; always 200 (public; the console sends no mail)"),
  GetVersion: spec("GET", "/api/version", false, "json", "the console's version (public)"),
} satisfies Record<string, OpSpec>;

export type AuthOpName = keyof typeof authOps;

/** The query keys of the account reads (named after their op, like opKey). */
export const authKeys = {
  me: ["GetMe"] as const,
  accounts: ["ListAccounts"] as const,
  permissionGroups: ["ListPermissionGroups"] as const,
  passwordLink: (token: string) => ["AuthPasswordSetupInfo", token] as const,
};

function run<T>(name: AuthOpName, req: Record<string, unknown> = {}, opts: CallOptions & { signIn?: boolean } = {}): Promise<T> {
  return callSpec(name, authOps[name], req, opts) as Promise<T>;
}

// ---- self-service ----------------------------------------------------------

/** Signs in; stores the token when one comes back. A 401 is thrown (wrong credentials), never prompted. */
export async function login(username: string, password: string, totpCode?: string): Promise<LoginResponse> {
  const req: Record<string, unknown> = { username, password };
  if (totpCode && totpCode.trim() !== "") req.totp_code = totpCode.trim();
  const r = await run<LoginResponse>("AuthLogin", req, { signIn: false });
  if (!isMfaRequired(r)) {
    if (!r || typeof r.token !== "string" || r.token === "") throw new ApiError("AuthLogin", 500, "the sign-in answer has no token");
    if (transport() === "http") setToken(r.token);
  }
  return r;
}

/**
 * Signs out: the browser forgets its token; the desktop window ends its
 * session in the app (a no-op while the window is the local admin).
 */
export async function signOut(): Promise<void> {
  clearToken();
  if (transport() === "wails") {
    try {
      await AuthLogout({});
    } catch {
      // an older desktop build without the binding: nothing to end
    }
  }
}

/** Is this the answer of a caller who is not (or no longer) signed in? */
export const isSignedOut = (e: unknown): boolean => e instanceof ApiError && e.status === 401;

/** May the caller sign out (a stored token, or a signed-in desktop window)? */
export function canSignOut(me: Me | null): boolean {
  return getToken() !== null || (transport() === "wails" && me?.kind === "account");
}

/** The desktop window's operator when the build has no account bindings. */
const DESKTOP_ACCESS: Access = OPEN_ACCESS;

/**
 * The caller's access. Open (everything) when the backend has no accounts:
 * /api/auth/me missing (404/405, an older console), or the desktop app
 * without a GetMe binding (the local operator is the admin). A 401 is
 * thrown (isSignedOut): the desktop window with its HTTP listener on shows
 * the sign-in page then.
 */
export async function currentAccess(opts: CallOptions = {}): Promise<Access> {
  try {
    const body = await run<unknown>("GetMe", {}, opts);
    // Not an identity (an HTML page from a proxy, an older console): no accounts to honour.
    if (!body || typeof body !== "object" || typeof (body as { role?: unknown }).role !== "string") return DESKTOP_ACCESS;
    return accessOf(parseMe(body));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405 || (e.status === 501 && transport() === "wails"))) return DESKTOP_ACCESS;
    throw e;
  }
}

export const changePassword = (old_password: string, new_password: string) => run<void>("AuthChangePassword", { old_password, new_password });
export const mfaInit = () => run<{ secret: string; otpauth_url: string }>("AuthMfaInit");
export const mfaVerify = (secret: string, code: string, current_code?: string) =>
  run<void>("AuthMfaVerify", current_code ? { secret, code, current_code } : { secret, code });
export const mfaDisable = (code: string) => run<void>("AuthMfaDisable", { code });
export const passwordSetupInfo = (token: string) => run<{ username: string; purpose: "setup" | "reset" }>("AuthPasswordSetupInfo", { token }, { signIn: false });
export const passwordSetup = (token: string, password: string) => run<void>("AuthPasswordSetup", { token, password }, { signIn: false });

// ---- admin -----------------------------------------------------------------

export const listAccounts = () => run<UserRow[]>("ListAccounts");
export const createAccount = (a: CreateAccount) => run<{ setup_link_sent?: boolean; setup_link?: string } | "">("CreateAccount", { ...a });
export const updateAccount = (username: string, patch: UpdateAccount) => run<void>("UpdateAccount", { username, ...patch });
export const deleteAccount = (username: string) => run<void>("DeleteAccount", { username });
export const accountResetLink = (username: string) => run<unknown>("CreateResetLink", { username });
export const listPermissionGroups = () => run<PermissionGroup[]>("ListPermissionGroups");
export const createPermissionGroup = (name: string, features: Feature[]) => run<void>("CreatePermissionGroup", { name, features });
export const updatePermissionGroup = (name: string, features: Feature[]) => run<void>("UpdatePermissionGroup", { name, features });
export const deletePermissionGroup = (name: string) => run<void>("DeletePermissionGroup", { name });

/**
 * The link in a reset-link (or create) answer, when the console hands it to
 * the admin instead of mailing it: a `link`/`url`/`setup_link` string, or a
 * relative `/password-setup/<token>` made absolute against `origin`.
 */
export function linkFrom(body: unknown, origin: string): string | null {
  if (!body || typeof body !== "object") return null;
  const b = body as Record<string, unknown>;
  for (const k of ["link", "url", "setup_link", "reset_link"]) {
    const v = b[k];
    if (typeof v === "string" && v.trim() !== "") return v.startsWith("/") ? origin.replace(/\/$/, "") + v : v;
    // this console: create answers {setup_link: {link, expires_at, …}}
    if (v && typeof v === "object") {
      const inner = linkFrom(v, origin);
      if (inner) return inner;
    }
  }
  return null;
}

/** Is a flag of a UserRow (0/1 or boolean) set? */
export const flag = (v: number | boolean | null | undefined): boolean => v === true || v === 1;

/** Signed in with a stored bearer token (browser)? */
export const hasToken = (): boolean => getToken() !== null;
