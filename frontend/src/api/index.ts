// The single entry point for talking to the kanade console backend.
//
// The same bundle runs in two shells:
//   * desktop (Wails v2): the page is loaded by the webview and `window.go`
//     holds the generated Go bindings;
//   * headless HTTP: the page is served by the backend's HTTP server.
//
// UI code must only use the functions exported here. For now both transports
// use fetch() against the same origin (in the desktop app the Wails asset
// server forwards these requests to the Go handler); the Wails bindings will
// be wired in here later without touching callers.

export type Transport = "wails" | "http";

/** Readiness document returned by GET /readyz. Its exact shape belongs to the backend. */
export type Readiness = Record<string, unknown>;

/** Raised for a non-2xx answer; `body` is the parsed JSON body when there is one, else its text. */
export class ApiError extends Error {
  readonly status: number;
  readonly path: string;
  readonly body: unknown;

  constructor(path: string, status: number, body: unknown) {
    super(`${path}: HTTP ${status}`);
    this.name = "ApiError";
    this.path = path;
    this.status = status;
    this.body = body;
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

/** "wails" when running inside the Wails desktop webview (window.go exists), else "http". */
export function transport(): Transport {
  const w = (globalThis as { window?: { go?: unknown } }).window;
  return w !== undefined && w.go !== undefined && w.go !== null ? "wails" : "http";
}

async function request(path: string, accept: string): Promise<Response> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), DEFAULT_TIMEOUT_MS);
  try {
    const res = await fetch(path, {
      method: "GET",
      headers: { Accept: accept },
      cache: "no-store",
      signal: ctrl.signal,
    });
    if (!res.ok) {
      throw new ApiError(path, res.status, await readBody(res));
    }
    return res;
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => "");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** GET /health: liveness. Resolves to the body text ("ok"). */
export async function health(): Promise<string> {
  const res = await request("/health", "text/plain");
  return (await res.text()).trim();
}

/** GET /readyz: readiness. Resolves to the JSON document; rejects with ApiError when not ready (non-2xx). */
export async function ready(): Promise<Readiness> {
  const res = await request("/readyz", "application/json");
  const body = (await res.json()) as unknown;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new Error("/readyz: expected a JSON object");
  }
  return body as Readiness;
}
