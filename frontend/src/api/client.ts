// The transport behind every op. Pages never call fetch or window.go directly:
// they call `call(opName, request)` (or the hooks in ./hooks).

import { ops, pathParams, type OpName, type OpReq, type OpRes, type OpSpec } from "./ops";
// The Wails bindings generated from the Go package app (`make bindings`;
// committed, CI fails on drift). Each calls window.go.app.App[op](request).
import * as wailsBindings from "../../wailsjs/go/app/App";

export type Transport = "wails" | "http";

export const TOKEN_KEY = "kanade_token";

/** A failed op: HTTP status (0 = unreachable) and the backend's message. */
export class ApiError extends Error {
  readonly status: number;
  readonly op: string;
  readonly body: unknown;

  constructor(op: string, status: number, message: string, body?: unknown) {
    super(message);
    this.name = "ApiError";
    this.op = op;
    this.status = status;
    this.body = body;
  }
}

type WailsApp = Record<string, (req: unknown) => Promise<unknown>>;

interface KanadeWindow {
  go?: { app?: { App?: WailsApp } };
  runtime?: {
    EventsOn?: (name: string, cb: (...data: unknown[]) => void) => (() => void) | void;
    EventsOff?: (name: string, ...more: string[]) => void;
  };
  localStorage?: Storage;
  dispatchEvent?: (e: Event) => boolean;
}

function win(): KanadeWindow | undefined {
  return (globalThis as { window?: KanadeWindow }).window;
}

/**
 * One generated binding per op of ops.ts: the compiler fails when an op has
 * no Go method (ops.ts stays the source of truth for the op names).
 */
const bindings: Record<OpName, (req: never) => Promise<unknown>> = wailsBindings;

function wailsApp(): WailsApp | undefined {
  return win()?.go?.app?.App ?? undefined;
}

/** "wails" inside the desktop webview (window.go.app.App exists), else "http". */
export function transport(): Transport {
  return wailsApp() ? "wails" : "http";
}

// ---- token (browser mode) -------------------------------------------------

function storage(): Storage | undefined {
  try {
    return win()?.localStorage ?? (globalThis as { localStorage?: Storage }).localStorage;
  } catch {
    return undefined;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function setToken(token: string): void {
  storage()?.setItem(TOKEN_KEY, token.trim());
}

export function clearToken(): void {
  storage()?.removeItem(TOKEN_KEY);
}

/**
 * Asks the operator for a bearer token; resolves to the token, or null when
 * they cancel. Registered by the UI (a dialog); absent in tests.
 */
export type TokenPrompt = (reason: string) => Promise<string | null>;

let tokenPrompt: TokenPrompt | null = null;
let pendingPrompt: Promise<string | null> | null = null;

export function setTokenPrompt(prompt: TokenPrompt | null): void {
  tokenPrompt = prompt;
  pendingPrompt = null;
}

function askToken(reason: string): Promise<string | null> {
  if (!tokenPrompt) return Promise.resolve(null);
  // Concurrent 401s share one prompt.
  if (!pendingPrompt) {
    pendingPrompt = tokenPrompt(reason).finally(() => {
      pendingPrompt = null;
    });
  }
  return pendingPrompt;
}

// ---- request building ------------------------------------------------------

type Req = Record<string, unknown>;

function queryValue(v: unknown): string | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

/** The URL (path + query string) of an op for a request. */
export function buildUrl(spec: OpSpec, req: Req): string {
  const path = spec.path.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const v = req[name];
    if (v === undefined || v === null || v === "") {
      throw new Error(`${spec.path}: missing path parameter ${name}`);
    }
    return encodeURIComponent(String(v));
  });
  const qs = new URLSearchParams();
  for (const key of spec.query ?? []) {
    const v = queryValue(req[key]);
    if (v !== null) qs.set(key, v);
  }
  for (const [field, prefix] of Object.entries(spec.queryMaps ?? {})) {
    const m = req[field];
    if (!m || typeof m !== "object") continue;
    for (const [k, raw] of Object.entries(m as Record<string, unknown>)) {
      const v = queryValue(raw);
      if (v !== null) qs.set(prefix + k, v);
    }
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The JSON body of a "json" op: the request minus path params and query keys. */
export function jsonBody(spec: OpSpec, req: Req): Req {
  const skip = new Set([...pathParams(spec.path), ...(spec.query ?? []), ...Object.keys(spec.queryMaps ?? {})]);
  const body: Req = {};
  for (const [k, v] of Object.entries(req)) {
    if (!skip.has(k) && v !== undefined) body[k] = v;
  }
  return body;
}

function errorMessage(body: unknown, status: number): string {
  if (body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string") {
    return (body as { error: string }).error;
  }
  if (typeof body === "string" && body.trim() !== "") return body.trim();
  return `HTTP ${status}`;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => "");
  if (text === "") return "";
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toPage(items: unknown, total: number | null, offset: unknown): { items: unknown[]; total: number } {
  const arr = Array.isArray(items) ? items : [];
  const off = typeof offset === "number" ? offset : Number(offset ?? 0) || 0;
  return { items: arr, total: total ?? off + arr.length };
}

export interface CallOptions {
  signal?: AbortSignal;
}

async function callHttp(name: string, spec: OpSpec, req: Req, opts: CallOptions): Promise<unknown> {
  const url = buildUrl(spec, req);
  const headers: Record<string, string> = {
    "X-Kanade-Source": "spa",
    Accept: spec.result === "text" ? "text/plain" : "application/json",
  };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;

  let body: BodyInit | undefined;
  if (spec.body === "json") {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(jsonBody(spec, req));
  } else if (spec.body === "yaml") {
    headers["Content-Type"] = "application/yaml";
    body = String(req.yaml ?? "");
  } else if (spec.body === "multipart") {
    const fd = new FormData();
    const file = req.file as Blob;
    const filename = (req.filename as string | undefined) ?? (file as File).name ?? "agent.exe";
    fd.append("file", file, filename);
    body = fd;
  }

  let res: Response;
  try {
    res = await fetch(url, { method: spec.method, headers, body, cache: "no-store", signal: opts.signal });
  } catch (e) {
    if (e instanceof Error && e.name === "AbortError") throw e;
    throw new ApiError(name, 0, `backend unreachable (${e instanceof Error ? e.message : String(e)})`);
  }

  const okStatus: readonly number[] = spec.okStatus ?? [];
  if (!res.ok && !okStatus.includes(res.status)) {
    const errBody = await readBody(res);
    throw new ApiError(name, res.status, errorMessage(errBody, res.status), errBody);
  }
  switch (spec.result) {
    case "none":
      await res.text().catch(() => "");
      return undefined;
    case "text":
      return await res.text();
    case "list": {
      const data = await readBody(res);
      const h = res.headers.get("X-Total-Count");
      const total = h !== null && h !== "" && Number.isFinite(Number(h)) ? Number(h) : null;
      return toPage(data, total, req.offset);
    }
    default:
      return await readBody(res);
  }
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    bin += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(bin);
}

/** Maps a Wails rejection (usually the Go error string) to an ApiError. */
export function wailsError(name: string, e: unknown): ApiError {
  let msg: string;
  if (typeof e === "string") msg = e;
  else if (e instanceof Error) msg = e.message;
  else if (e && typeof e === "object") msg = JSON.stringify(e);
  else msg = String(e);
  try {
    const parsed = JSON.parse(msg) as { status?: unknown; error?: unknown };
    if (parsed && typeof parsed === "object" && typeof parsed.status === "number") {
      return new ApiError(name, parsed.status, typeof parsed.error === "string" ? parsed.error : msg, parsed);
    }
  } catch {
    // plain message
  }
  return new ApiError(name, 500, msg, msg);
}

async function callWails(app: WailsApp, name: string, spec: OpSpec, req: Req): Promise<unknown> {
  const fn = (bindings as Record<string, ((req: never) => Promise<unknown>) | undefined>)[name] ?? app[name];
  if (typeof fn !== "function" || typeof app[name] !== "function") {
    throw new ApiError(name, 501, `desktop build has no binding for ${name}`);
  }
  let arg: Req = req;
  if (spec.body === "multipart") {
    const file = req.file as Blob;
    const data = new Uint8Array(await file.arrayBuffer());
    arg = {
      filename: (req.filename as string | undefined) ?? (file as File).name ?? "agent.exe",
      data_base64: bytesToBase64(data),
    };
  }
  let out: unknown;
  try {
    out = await (fn as (req: unknown) => Promise<unknown>)(arg);
  } catch (e) {
    throw wailsError(name, e);
  }
  if (spec.result === "list") {
    if (Array.isArray(out)) return toPage(out, null, req.offset);
    const page = (out ?? {}) as { items?: unknown; total?: unknown };
    return toPage(page.items, typeof page.total === "number" ? page.total : null, req.offset);
  }
  if (spec.result === "none") return undefined;
  if (spec.result === "text") return typeof out === "string" ? out : String(out ?? "");
  return out;
}

/**
 * Runs an op. In the desktop app it calls `window.go.app.App[name](req)`;
 * in the browser it fetches the HTTP route. A 401 in the browser clears the
 * stored token, asks for a new one (if a prompt is registered) and retries.
 */
export async function call<K extends OpName>(name: K, req: OpReq<K>, opts: CallOptions = {}): Promise<OpRes<K>> {
  return (await callSpec(name, ops[name], (req ?? {}) as Req, opts)) as OpRes<K>;
}

/**
 * Runs a request described by `spec` (an op of the table, or one of the
 * account routes of ./auth, which have no generated binding: in the desktop
 * app they call the App method of that name when the build has one, else
 * answer 501). `signIn: false` leaves a 401 to the caller (the sign-in and
 * password-setup routes, where 401 means "wrong password", not "signed out").
 */
export async function callSpec(name: string, spec: OpSpec, req: Req, opts: CallOptions & { signIn?: boolean } = {}): Promise<unknown> {
  const r = req;
  const app = wailsApp();
  if (app) {
    try {
      return await callWails(app, name, spec, r);
    } catch (e) {
      // The window's session ended (signed out elsewhere, expired, the
      // account disabled, the HTTP listener switched on): the UI goes back
      // to its sign-in page. The sign-in op's own 401 is a wrong password.
      if (e instanceof ApiError && e.status === 401 && opts.signIn !== false) win()?.dispatchEvent?.(new Event("kanade:auth-expired"));
      throw e;
    }
  }

  for (;;) {
    const sentWith = getToken();
    try {
      return await callHttp(name, spec, r, opts);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401 || opts.signIn === false) throw e;
      // A request that left before the operator signed in must not throw
      // the new token away: try again with it.
      if (getToken() !== sentWith && getToken()) continue;
      clearToken();
      win()?.dispatchEvent?.(new Event("kanade:auth-expired"));
      const token = await askToken(e.message);
      if (!token) throw e;
      setToken(token);
    }
  }
}

/** Is this a "nothing there" error (404)? */
export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404;
}

// ---- backend events (Wails) ----------------------------------------------

export type BackendTopic = "results" | "agents" | "executions";
const TOPICS: BackendTopic[] = ["results", "agents", "executions"];

/**
 * In the desktop app, listens to the Wails runtime events
 * `kanade:results`, `kanade:agents` and `kanade:executions` and calls `cb`
 * with the topic. No-op in browser mode. Returns an unsubscribe function.
 */
export function subscribeBackendEvents(cb: (topic: BackendTopic, data: unknown) => void): () => void {
  const rt = win()?.runtime;
  if (!wailsApp() || !rt?.EventsOn) return () => {};
  const offs: Array<() => void> = [];
  for (const t of TOPICS) {
    const name = `kanade:${t}`;
    const off = rt.EventsOn(name, (...data: unknown[]) => cb(t, data[0]));
    offs.push(typeof off === "function" ? off : () => rt.EventsOff?.(name));
  }
  return () => offs.forEach((f) => f());
}
