// Pure logic of the inventory search and history pages (kanade-latest-features
// §3.4): search filters ⇄ the routes' query parameters and the page URL,
// CSV export of the rows found, and the change timeline of a PC's history.
// No React here, so every rule is unit-tested (inventory.test.ts).

/** The comparison operators of the search routes (`<col>__<op>=v`). */
export const FILTER_OPS = ["eq", "ne", "lt", "le", "gt", "ge", "contains", "prefix", "suffix"] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const FILTER_OP_LABELS: Record<FilterOp, string> = {
  eq: "=",
  ne: "≠",
  lt: "<",
  le: "≤",
  gt: ">",
  ge: "≥",
  contains: "contains",
  prefix: "starts with",
  suffix: "ends with",
};

export function isFilterOp(v: unknown): v is FilterOp {
  return typeof v === "string" && (FILTER_OPS as readonly string[]).includes(v);
}

/** One filter row of the search form. */
export interface Filter {
  column: string;
  op: FilterOp;
  value: string;
}

/** Keys of the search routes that are paging, not filters. */
const NOT_FILTERS = new Set(["limit", "offset"]);

/** The query key of one filter: `col` for equality (the spec's short form), `col__op` otherwise. */
export function filterKey(f: Pick<Filter, "column" | "op">): string {
  return f.op === "eq" ? f.column : `${f.column}__${f.op}`;
}

/**
 * The filters as the search route's query parameters. Rows without a column
 * are dropped (a half-filled form row); an empty value is kept, since
 * "version = ''" is a question too, except for the LIKE operators, where an
 * empty value matches everything and only slows the query.
 */
export function filterQuery(filters: readonly Filter[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filters) {
    const col = f.column.trim();
    if (!col || NOT_FILTERS.has(col)) continue;
    if (f.value === "" && (f.op === "contains" || f.op === "prefix" || f.op === "suffix")) continue;
    out[filterKey({ column: col, op: f.op })] = f.value;
  }
  return out;
}

/** Reads one query key back into column and operator (`a__b__gt` → column `a__b`, op gt). */
export function parseFilterKey(key: string): Pick<Filter, "column" | "op"> {
  const i = key.lastIndexOf("__");
  if (i > 0) {
    const op = key.slice(i + 2);
    if (isFilterOp(op)) return { column: key.slice(0, i), op };
  }
  return { column: key, op: "eq" };
}

/** The filters as one URL-safe string (kept in the page URL, so a search can be shared). */
export function encodeFilters(filters: readonly Filter[]): string {
  return new URLSearchParams(filterQuery(filters)).toString();
}

/** The inverse of encodeFilters; paging keys and junk are ignored. */
export function decodeFilters(s: string): Filter[] {
  const out: Filter[] = [];
  for (const [k, v] of new URLSearchParams(s)) {
    if (!k || NOT_FILTERS.has(k)) continue;
    out.push({ ...parseFilterKey(k), value: v });
  }
  return out;
}

/**
 * The identity filters of the history routes (`identity.<key>=<value>`)
 * that a search implies: its equality filters on primary-key columns. The
 * other filters have no meaning for history (which is keyed by identity).
 */
export function identityOf(filters: readonly Filter[], primaryKey: readonly string[]): Record<string, string> {
  const pk = new Set(primaryKey);
  const out: Record<string, string> = {};
  for (const f of filters) if (f.op === "eq" && pk.has(f.column.trim())) out[f.column.trim()] = f.value;
  return out;
}

/** The identity filters as query keys: `{name: "x"}` → `{"identity.name": "x"}`. */
export function identityQuery(identity: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(identity).map(([k, v]) => [`identity.${k}`, v]));
}

// ---- CSV -------------------------------------------------------------------

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break.
 * A text starting with = + - @ (or a tab/CR) is prefixed with ' so a
 * spreadsheet shows it instead of evaluating it — inventory values come from
 * the PCs, which are not trusted. Numbers are written as they are.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s: string;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") s = String(v);
  else if (typeof v === "string") s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  else s = JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvColumn<T> {
  head: string;
  value: (row: T) => unknown;
}

/** A CSV document (header line + one line per row, CRLF line ends as RFC 4180 asks). */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => csvCell(c.head)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** A file name for an export: `<probe>-<field>-<YYYYMMDD-HHMMSS>.csv`, safe on every OS. */
export function csvFileName(parts: readonly string[], now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "-");
  const base = parts
    .filter(Boolean)
    .map((p) => p.replace(/[^A-Za-z0-9._-]+/g, "_"))
    .join("-");
  return `${base || "export"}-${stamp}.csv`;
}

// ---- search rows -----------------------------------------------------------

/** A search row: pc_id, collected_at, the columns, and the `@account_*` enrichment. */
export type SearchRow = Record<string, unknown> & { pc_id: string; collected_at?: string | null };

/**
 * The columns to show for a search: the spec's declared columns in order,
 * then any other key the rows carry (an older spec's column, a console that
 * adds one), never pc_id / collected_at / `@…` (shown on their own).
 */
export function searchColumns(declared: readonly string[], rows: readonly SearchRow[]): string[] {
  const seen = new Set<string>(["pc_id", "collected_at"]);
  const out: string[] = [];
  const add = (k: string) => {
    if (seen.has(k) || k.startsWith("@")) return;
    seen.add(k);
    out.push(k);
  };
  declared.forEach(add);
  for (const r of rows) Object.keys(r).forEach(add);
  return out;
}

/** Distinct PCs among rows (an explode search answers one row per element, so a PC can appear many times). */
export function distinctPcs(rows: readonly SearchRow[]): number {
  return new Set(rows.map((r) => r.pc_id)).size;
}

// ---- history timeline ------------------------------------------------------

/** A row of the history routes (identity/before/after are JSON held in strings). */
export interface HistoryEventLike {
  id: number;
  pc_id: string;
  job_id: string;
  field_path: string;
  identity_json: string | null;
  change_kind: string;
  before_json: string | null;
  after_json: string | null;
  observed_at: string;
}

/** Parses a JSON-in-a-string column; undefined when absent, the raw text when it is not JSON. */
export function parseJsonText(s: string | null | undefined): unknown {
  if (s === null || s === undefined || s === "") return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

function short(v: unknown): string {
  if (v === undefined) return "—";
  if (v === null) return "null";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** "name=Chrome, source=msi" from identity_json; "" for a scalar (no identity). */
export function identityLabel(identityJson: string | null | undefined): string {
  const id = parseJsonText(identityJson);
  if (id === undefined) return "";
  if (id && typeof id === "object" && !Array.isArray(id)) {
    return Object.entries(id as Record<string, unknown>)
      .map(([k, v]) => `${k}=${short(v)}`)
      .join(", ");
  }
  return short(id);
}

/** The value of a scalar history event ({"value": v}) or the element itself. */
function unwrap(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "value") return o.value;
  }
  return v;
}

export interface Change {
  key: string;
  before: unknown;
  after: unknown;
}

/**
 * What changed in one event: for a scalar, the value (key ""); for an
 * element, every key whose value differs (added/removed keys included),
 * compared as JSON.
 */
export function changesOf(ev: Pick<HistoryEventLike, "before_json" | "after_json">): Change[] {
  const b = unwrap(parseJsonText(ev.before_json));
  const a = unwrap(parseJsonText(ev.after_json));
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObj(b) && isObj(a)) {
    const keys = Array.from(new Set([...Object.keys(b), ...Object.keys(a)]));
    return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ key: k, before: b[k], after: a[k] }));
  }
  if (JSON.stringify(b) === JSON.stringify(a)) return [];
  return [{ key: "", before: b, after: a }];
}

/** One line describing an event, e.g. "version: 1.0 → 1.1", "added {…}", "16 → 32". */
export function describeChange(ev: HistoryEventLike): string {
  const a = unwrap(parseJsonText(ev.after_json));
  const b = unwrap(parseJsonText(ev.before_json));
  switch (ev.change_kind) {
    case "added":
      return ev.identity_json ? "added" : `= ${short(a)}`;
    case "removed":
      return ev.identity_json ? "removed" : `removed (was ${short(b)})`;
    default: {
      const cs = changesOf(ev);
      if (cs.length === 0) return "changed";
      return cs.map((c) => `${c.key ? `${c.key}: ` : ""}${short(c.before)} → ${short(c.after)}`).join("; ");
    }
  }
}

export interface TimelineDay<T extends HistoryEventLike> {
  /** YYYY-MM-DD (UTC, the way the server stamps observed_at) */
  day: string;
  groups: Array<{ field: string; events: T[] }>;
}

/**
 * The change timeline: events newest first, by UTC day, and within a day by
 * field (in the order the newest event of each field appears), so one
 * re-collection that changed three apps reads as one block.
 */
export function groupTimeline<T extends HistoryEventLike>(events: readonly T[]): TimelineDay<T>[] {
  const sorted = [...events].sort((x, y) => (x.observed_at < y.observed_at ? 1 : x.observed_at > y.observed_at ? -1 : y.id - x.id));
  const days: TimelineDay<T>[] = [];
  for (const ev of sorted) {
    const day = dayOf(ev.observed_at);
    let d = days[days.length - 1];
    if (!d || d.day !== day) {
      d = { day, groups: [] };
      days.push(d);
    }
    let g = d.groups.find((x) => x.field === ev.field_path);
    if (!g) {
      g = { field: ev.field_path, events: [] };
      d.groups.push(g);
    }
    g.events.push(ev);
  }
  return days;
}

/** The UTC day of an RFC 3339 time (the text before "T" when it is not parseable). */
export function dayOf(t: string): string {
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return t.split("T")[0] ?? t;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Counts of added / removed / changed in a list of events. */
export function kindCounts(events: readonly Pick<HistoryEventLike, "change_kind">[]): Record<"added" | "removed" | "changed", number> {
  const c = { added: 0, removed: 0, changed: 0 };
  for (const e of events) if (e.change_kind === "added" || e.change_kind === "removed" || e.change_kind === "changed") c[e.change_kind]++;
  return c;
}

// ---- live tail -------------------------------------------------------------

/** The tail route's answer (spec §2.4). */
export interface TailLike {
  running: boolean;
  live: boolean;
}

export type TailState = "live" | "waiting" | "finished";

/** live: the agent answered; waiting: in flight but nobody answered (yet); finished: the stored output. */
export function tailState(t: TailLike): TailState {
  if (!t.running) return "finished";
  return t.live ? "live" : "waiting";
}

/** The tail's poll interval: every `ms` while the run is in flight, none once it finished. */
export function tailPollInterval(t: TailLike | undefined, ms: number): number | false {
  if (t && !t.running) return false;
  return ms;
}
