import { useCallback, useEffect, useState } from "react";
import { ApiError, health, ready, transport, type Readiness } from "./api";

type Probe<T> =
  | { state: "loading" }
  | { state: "ok"; value: T }
  | { state: "error"; message: string; body?: unknown };

function describeError(err: unknown): { message: string; body?: unknown } {
  if (err instanceof ApiError) {
    return { message: `HTTP ${err.status}`, body: err.body };
  }
  if (err instanceof Error && err.name === "AbortError") {
    return { message: "timed out" };
  }
  return { message: "unreachable" };
}

function readinessLabel(doc: Readiness): string {
  if (typeof doc.status === "string") return doc.status;
  if (typeof doc.ready === "boolean") return doc.ready ? "ready" : "not ready";
  return "ok";
}

export default function App() {
  const [backend, setBackend] = useState<Probe<string>>({ state: "loading" });
  const [readiness, setReadiness] = useState<Probe<Readiness>>({ state: "loading" });

  const refresh = useCallback(() => {
    setBackend({ state: "loading" });
    setReadiness({ state: "loading" });
    health().then(
      (value) => setBackend({ state: "ok", value }),
      (err: unknown) => setBackend({ state: "error", ...describeError(err) }),
    );
    ready().then(
      (value) => setReadiness({ state: "ok", value }),
      (err: unknown) => setReadiness({ state: "error", ...describeError(err) }),
    );
  }, []);

  useEffect(() => {
    refresh();
  }, [refresh]);

  const readyDetails =
    readiness.state === "ok" ? readiness.value : readiness.state === "error" ? readiness.body : undefined;

  return (
    <main className="shell">
      <header className="brand">
        <span className="mark" aria-hidden="true">
          K
        </span>
        <h1>kanade console</h1>
      </header>

      <section className="status" aria-live="polite">
        <p id="backend-status" className={`line ${backend.state}`}>
          backend:{" "}
          {backend.state === "loading"
            ? "checking…"
            : backend.state === "ok"
              ? backend.value
              : `error (${backend.message})`}
        </p>
        <p id="ready-status" className={`line ${readiness.state}`}>
          ready:{" "}
          {readiness.state === "loading"
            ? "checking…"
            : readiness.state === "ok"
              ? readinessLabel(readiness.value)
              : `not ready (${readiness.message})`}
        </p>
        <p id="transport" className="line muted">
          transport: {transport()}
        </p>
        {readyDetails !== undefined && readyDetails !== "" && (
          <details>
            <summary>/readyz</summary>
            <pre>{JSON.stringify(readyDetails, null, 2)}</pre>
          </details>
        )}
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </section>

      <p className="note">This is a placeholder. The full kanade console UI is coming soon.</p>
    </main>
  );
}
