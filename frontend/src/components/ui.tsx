// Small shared UI pieces: states, badges, pager, copy, time, page header.
import { useEffect, useState, type ReactNode } from "react";
import { ApiError } from "../api";
import { Link } from "react-router-dom";
import { exitBadgeClass, exitLabel, formatRelative, formatTimestamp } from "../format";
import { Icon } from "./icons";

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.message} (HTTP ${e.status})` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label ?? "loading"} />;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state" data-testid="state-loading">
      <Spinner /> {label}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = "Could not load" }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div className="state error" role="alert" data-testid="state-error">
      <strong>{title}</strong>
      <div className="msg">{errorMessage(error)}</div>
      {onRetry && (
        <button type="button" onClick={onRetry} data-testid="retry">
          <Icon name="refresh" /> Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="state" data-testid="state-empty">
      {children}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
  refetch: () => unknown;
}

/** Renders loading / error (+retry) / empty / content for a query. */
export function QueryView<T>({
  q,
  empty,
  isEmpty,
  children,
}: {
  q: QueryLike<T>;
  empty?: ReactNode;
  isEmpty?: (d: T) => boolean;
  children: (d: T) => ReactNode;
}) {
  if (q.isPending) return <Loading />;
  if (q.isError && q.data === undefined) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data as T;
  if (empty !== undefined && isEmpty?.(d)) return <Empty>{empty}</Empty>;
  return (
    <>
      {q.isError && (
        <div className="banner banner-error" role="alert">
          Refresh failed: {errorMessage(q.error)}{" "}
          <button type="button" className="btn-sm" onClick={() => void q.refetch()}>
            Retry
          </button>
        </div>
      )}
      {children(d)}
    </>
  );
}

/**
 * A result's outcome. `skipped` (newer agents' ExecResult.skipped: deadline,
 * revoke, version pin, staleness, OS) is shown apart from failures whatever
 * the exit code says.
 */
export function ExitBadge({ code, skipped }: { code: number | null | undefined; skipped?: boolean }) {
  if (skipped) {
    return (
      <span className="badge badge-skip" title={`skipped by the agent${code === null || code === undefined ? "" : ` (exit ${code})`}`} data-testid="exit-badge" data-skipped="true">
        skipped
      </span>
    );
  }
  return (
    <span className={exitBadgeClass(code)} title={exitLabel(code)} data-testid="exit-badge">
      {code === null || code === undefined ? "running" : `exit ${code}`}
    </span>
  );
}

export function OnlineBadge({ online }: { online: boolean }) {
  return (
    <span className={`badge ${online ? "badge-ok" : "badge-warn"}`}>
      <span className="dot" />
      {online ? "online" : "stale"}
    </span>
  );
}

const EXEC_STATUS_CLASS: Record<string, string> = {
  pending: "badge-pending",
  running: "badge-info",
  completed: "badge-ok",
  expired: "badge-warn",
};

export function ExecStatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${EXEC_STATUS_CLASS[status] ?? ""}`} data-testid="execution-status">
      {status}
    </span>
  );
}

/** Re-renders every `ms` (for relative times). */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** "3m ago" with the full local timestamp as tooltip. */
export function RelTime({ t }: { t: string | null | undefined }) {
  const now = useNow();
  if (!t) return <span className="muted">—</span>;
  return (
    <time dateTime={t} title={formatTimestamp(t)} className="nowrap">
      {formatRelative(t, now)}
    </time>
  );
}

export function Time({ t }: { t: string | null | undefined }) {
  if (!t) return <span className="muted">—</span>;
  return (
    <time dateTime={t} title={t} className="nowrap">
      {formatTimestamp(t)}
    </time>
  );
}

export function CopyButton({ text, label = "Copy", testId }: { text: string; label?: string; testId?: string }) {
  const [done, setDone] = useState<"" | "ok" | "fail">("");
  const copy = async () => {
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(text);
      } else {
        const ta = document.createElement("textarea");
        ta.value = text;
        document.body.appendChild(ta);
        ta.select();
        document.execCommand("copy");
        ta.remove();
      }
      setDone("ok");
    } catch {
      setDone("fail");
    }
    setTimeout(() => setDone(""), 1500);
  };
  return (
    <button type="button" className="btn-sm" onClick={() => void copy()} data-testid={testId}>
      <Icon name="copy" />
      {done === "ok" ? "Copied" : done === "fail" ? "Copy failed" : label}
    </button>
  );
}

export const PAGE_SIZES = [25, 50, 100, 200, 500, 1000];

export function Pager({
  total,
  limit,
  offset,
  onChange,
  shown,
}: {
  total: number;
  limit: number;
  offset: number;
  shown: number;
  onChange: (next: { limit: number; offset: number }) => void;
}) {
  const from = total === 0 ? 0 : offset + 1;
  const to = offset + shown;
  return (
    <nav className="pager" aria-label="Paging" data-testid="pager">
      <span>
        {from}–{to} of {total}
      </span>
      <span className="spacer" />
      <label className="field-inline">
        <span className="muted">Rows</span>
        <select value={limit} onChange={(e) => onChange({ limit: Number(e.target.value), offset: 0 })} aria-label="Rows per page">
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn-sm" disabled={offset === 0} onClick={() => onChange({ limit, offset: Math.max(0, offset - limit) })}>
        ← Prev
      </button>
      <button type="button" className="btn-sm" disabled={offset + limit >= total} onClick={() => onChange({ limit, offset: offset + limit })} data-testid="pager-next">
        Next →
      </button>
    </nav>
  );
}

export function PageHeader({ title, children, sub }: { title: string; children?: ReactNode; sub?: ReactNode }) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      {children}
      {sub && <div className="sub">{sub}</div>}
    </div>
  );
}

export function Card({ title, actions, children, flush, testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; flush?: boolean; testId?: string }) {
  return (
    <section className="card" data-testid={testId}>
      {(title || actions) && (
        <div className="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      <div className={`card-body${flush ? " flush" : ""}`}>{children}</div>
    </section>
  );
}

/** Collapsible pretty JSON. */
export function JsonView({ value, summary = "payload", open }: { value: unknown; summary?: string; open?: boolean }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  const text = JSON.stringify(value, null, 2);
  const oneLine = JSON.stringify(value);
  return (
    <details className="json" open={open}>
      <summary>
        <span className="mono">{oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine}</span>
      </summary>
      <pre aria-label={summary}>{text}</pre>
    </details>
  );
}

export function Progress({ target, success, failure, skipped = 0, large }: { target: number; success: number; failure: number; skipped?: number; large?: boolean }) {
  const pending = Math.max(0, target - success - failure - skipped);
  const denom = Math.max(target, success + failure + skipped, 1);
  const pct = (n: number) => `${(n / denom) * 100}%`;
  return (
    <div
      className={`progress${large ? " lg" : ""}`}
      role="img"
      aria-label={`${success} succeeded, ${failure} failed, ${skipped ? `${skipped} skipped, ` : ""}${pending} pending of ${target}`}
      title={`${success} ok · ${failure} failed${skipped ? ` · ${skipped} skipped` : ""} · ${pending} pending / ${target}`}
      data-testid="progress"
    >
      <span className="p-ok" style={{ width: pct(success) }} />
      <span className="p-fail" style={{ width: pct(failure) }} />
      {skipped > 0 && <span className="p-skip" style={{ width: pct(skipped) }} />}
      <span className="p-pending" style={{ width: pct(pending) }} />
    </div>
  );
}

/** A stdout/stderr pane with character count and a copy button. */
export function OutputPane({ label, text, stderr, testId, extra }: { label: string; text: string; stderr?: boolean; testId?: string; extra?: ReactNode }) {
  return (
    <div className="col" style={{ gap: 4 }}>
      <div className="row">
        <h3>{label}</h3>
        <span className="muted small" data-testid={testId ? `${testId}-count` : undefined}>
          {text.length.toLocaleString("en-US")} chars
        </span>
        <span className="grow" />
        {extra}
        <CopyButton text={text} label={`Copy ${label}`} testId={testId ? `${testId}-copy` : undefined} />
      </div>
      <pre className={`output${stderr ? " stderr" : ""}${text ? "" : " empty"}`} data-testid={testId} tabIndex={0} aria-label={label}>
        {text || "(empty)"}
      </pre>
    </div>
  );
}

/** A counter tile (dashboard, Running now); `to` makes it a link. */
export function Stat({ label, value, hint, testId, to }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string; to?: string }) {
  const body = (
    <>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {hint && <div className="hint">{hint}</div>}
    </>
  );
  return (
    <div className="stat" data-testid={testId}>
      {to ? (
        <Link to={to} style={{ color: "inherit", textDecoration: "none" }}>
          {body}
        </Link>
      ) : (
        body
      )}
    </div>
  );
}
