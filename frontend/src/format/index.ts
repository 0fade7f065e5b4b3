// Display formatters. Pure functions; unit tested in format.test.ts.
import cronstrue from "cronstrue";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1536 → "1.5 KiB" (binary units). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const neg = n < 0;
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const s = i === 0 ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${neg ? "-" : ""}${s.replace(/\.0+$|(\.\d*?)0+$/, "$1")} ${UNITS[i]}`;
}

const numberFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** 1234567 → "1,234,567". */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return numberFmt.format(n);
}

function toMs(t: string | number | Date | null | undefined): number | null {
  if (t === null || t === undefined || t === "") return null;
  const ms = t instanceof Date ? t.getTime() : typeof t === "number" ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Local time "2026-05-20 12:15:02". */
export function formatTimestamp(t: string | number | Date | null | undefined): string {
  const ms = toMs(t);
  if (ms === null) return "—";
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local clock "12:15:02". */
export function formatClock(t: string | number | Date | null | undefined): string {
  const ms = toMs(t);
  if (ms === null) return "—";
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "3m ago", "in 5m", "just now" relative to `now`. */
export function formatRelative(t: string | number | Date | null | undefined, now: number = Date.now()): string {
  const ms = toMs(t);
  if (ms === null) return "never";
  const diff = Math.round((now - ms) / 1000);
  const abs = Math.abs(diff);
  if (abs < 5) return "just now";
  let s: string;
  if (abs < 60) s = `${abs}s`;
  else if (abs < 3600) s = `${Math.floor(abs / 60)}m`;
  else if (abs < 86400) s = `${Math.floor(abs / 3600)}h`;
  else if (abs < 86400 * 60) s = `${Math.floor(abs / 86400)}d`;
  else if (abs < 86400 * 365 * 2) s = `${Math.floor(abs / (86400 * 30))}mo`;
  else s = `${Math.floor(abs / (86400 * 365))}y`;
  return diff >= 0 ? `${s} ago` : `in ${s}`;
}

/** Milliseconds → "850ms", "2.25s", "1m 05s", "1h 02m", "2d 3h". */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)}s`.replace(/\.?0+s$/, "s");
  const total = Math.floor(s);
  if (total < 3600) return `${Math.floor(total / 60)}m ${pad(total % 60)}s`;
  if (total < 86400) return `${Math.floor(total / 3600)}h ${pad(Math.floor((total % 3600) / 60))}m`;
  return `${Math.floor(total / 86400)}d ${Math.floor((total % 86400) / 3600)}h`;
}

/** A retention period in seconds: "forever" for 0, whole days as days. */
export function formatKeep(secs: number | null | undefined): string {
  if (secs === null || secs === undefined || !Number.isFinite(secs)) return "—";
  if (secs <= 0) return "forever";
  if (secs % 86400 === 0) return secs === 86400 ? "1 day" : `${formatNumber(secs / 86400)} days`;
  return formatDurationMs(secs * 1000);
}

/** Duration between two timestamps. */
export function formatDuration(start: string | null | undefined, end: string | null | undefined): string {
  const a = toMs(start);
  const b = toMs(end);
  if (a === null || b === null) return "—";
  return formatDurationMs(b - a);
}

export type ExitKind = "ok" | "fail" | "skip" | "killed" | "pending";

/** 0 ok; -1 killed/timeout; 125/126/127 skipped by the agent; null still running. */
export function exitKind(code: number | null | undefined): ExitKind {
  if (code === null || code === undefined) return "pending";
  if (code === 0) return "ok";
  if (code === -1) return "killed";
  if (code === 125 || code === 126 || code === 127) return "skip";
  return "fail";
}

/** CSS class of an exit-code badge. */
export function exitBadgeClass(code: number | null | undefined): string {
  return `badge badge-${exitKind(code)}`;
}

/** Tooltip/label for an exit code. */
export function exitLabel(code: number | null | undefined): string {
  switch (code) {
    case null:
    case undefined:
      return "running";
    case 0:
      return "success";
    case -1:
      return "killed or timed out";
    case 125:
      return "skipped: starting deadline expired";
    case 126:
      return "skipped: script revoked";
    case 127:
      return "skipped: staleness policy";
    default:
      return "failure";
  }
}

/** A readable description of a (5-, 6- or 7-field) cron, or null if invalid. */
export function cronText(expr: string): string | null {
  const e = expr.trim();
  if (!e) return null;
  try {
    return cronstrue.toString(e, { use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
  } catch {
    return null;
  }
}

/** First n chars of an id ("9d3c1b7a"). */
export function shortId(id: string | null | undefined, n = 8): string {
  if (!id) return "—";
  return id.length > n ? id.slice(0, n) : id;
}

/** Format a fact value by a DisplayField type hint. */
export function formatFact(value: unknown, type?: string): string {
  if (value === null || value === undefined) return "—";
  if (type === "bytes" && typeof value === "number") return formatBytes(value);
  if (type === "bytes" && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return formatBytes(Number(value));
  if (type === "number" && typeof value === "number") return formatNumber(value);
  if (type === "number" && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return formatNumber(Number(value));
  if (type === "timestamp" && (typeof value === "string" || typeof value === "number")) {
    const s = formatTimestamp(value);
    return s === "—" ? String(value) : s;
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Time preset → RFC 3339 `since`, or undefined for "all". */
export const TIME_PRESETS = ["1h", "24h", "7d", "30d", "all"] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

export function presetSince(preset: string, now: number = Date.now()): string | undefined {
  const h: Record<string, number> = { "1h": 1, "24h": 24, "7d": 24 * 7, "30d": 24 * 30, "90d": 24 * 90 };
  const hours = h[preset];
  if (!hours) return undefined;
  return new Date(now - hours * 3600_000).toISOString();
}
