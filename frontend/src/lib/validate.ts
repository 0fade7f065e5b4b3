// Client-side validation of job (Manifest) and schedule YAML, before POSTing
// it as application/yaml. The backend stays the authority; this catches typos
// early and points at the line.
import { LineCounter, isMap, parseDocument, stringify, type Document } from "yaml";

export interface Issue {
  level: "error" | "warn";
  message: string;
  line?: number;
}

export interface Validation {
  issues: Issue[];
  value: unknown;
  ok: boolean;
}

const HUMANTIME_UNIT = "(?:nsec|ns|usec|us|µs|msec|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|months?|M|years?|y)";
const HUMANTIME = new RegExp(`^\\s*(?:\\d+\\s*${HUMANTIME_UNIT}\\s*)+$`);

/** humantime durations: "30s", "10m", "1h 30m", "1d". */
export function isHumantime(v: unknown): boolean {
  return typeof v === "string" && HUMANTIME.test(v);
}

export const MANIFEST_KEYS = ["id", "version", "description", "execute", "require_approval", "inventory", "staleness"];
const EXECUTE_KEYS = ["shell", "script", "timeout", "run_as", "cwd"];
export const SCHEDULE_KEYS = ["id", "cron", "job_id", "target", "rollout", "jitter", "deadline_at", "mode", "cooldown", "auto_disable_when_done", "starting_deadline", "runs_on", "enabled"];

class Ctx {
  issues: Issue[] = [];
  constructor(
    private doc: Document,
    private lc: LineCounter,
  ) {}
  line(path: Array<string | number>): number | undefined {
    for (let p = path; p.length > 0; p = p.slice(0, -1)) {
      const node = this.doc.getIn(p, true) as { range?: [number, number, number] } | undefined;
      if (node && node.range) return this.lc.linePos(node.range[0]).line;
      // a key without a node value: find the key in the parent map
      const parent = p.length > 1 ? this.doc.getIn(p.slice(0, -1), true) : this.doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((it) => (it.key as { value?: unknown } | null)?.value === p[p.length - 1]);
        const k = pair?.key as { range?: [number, number, number] } | undefined;
        if (k?.range) return this.lc.linePos(k.range[0]).line;
      }
    }
    return undefined;
  }
  error(message: string, path: Array<string | number> = []) {
    this.issues.push({ level: "error", message, line: this.line(path) });
  }
  warn(message: string, path: Array<string | number> = []) {
    this.issues.push({ level: "warn", message, line: this.line(path) });
  }
}

function parse(src: string): { ctx: Ctx; value: unknown } | { issues: Issue[] } {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const issues: Issue[] = [];
  const at = (pos: [number, number] | undefined) => (pos ? lc.linePos(pos[0]).line : undefined);
  for (const e of doc.errors) issues.push({ level: "error", message: e.message.split("\n")[0], line: at(e.pos) });
  if (issues.length) return { issues };
  for (const w of doc.warnings) issues.push({ level: "warn", message: w.message.split("\n")[0], line: at(w.pos) });
  const ctx = new Ctx(doc, lc);
  ctx.issues.push(...issues);
  return { ctx, value: doc.toJS() };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown) => typeof v === "string" && v.trim() !== "";

function requireString(ctx: Ctx, o: Obj, key: string, path: string[], label = key) {
  const v = o[key];
  if (v === undefined || v === null) ctx.error(`${label} is required`, path);
  else if (typeof v === "number" || typeof v === "boolean") ctx.error(`${label} must be a string — quote it: "${String(v)}"`, path);
  else if (!nonEmptyString(v)) ctx.error(`${label} must be a non-empty string`, path);
}

function optDuration(ctx: Ctx, o: Obj, key: string, path: string[], label = key) {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (!isHumantime(v)) ctx.error(`${label} must be a duration like "30s", "10m", "1h 30m" (got ${JSON.stringify(v)})`, path);
}

function finish(ctx: Ctx, value: unknown): Validation {
  ctx.issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { issues: ctx.issues, value, ok: !ctx.issues.some((i) => i.level === "error") };
}

function displayFields(ctx: Ctx, v: unknown, path: string[]) {
  if (!Array.isArray(v)) {
    ctx.error(`${path.join(".")} must be a list of {field, label, type?}`, path);
    return;
  }
  v.forEach((d, i) => {
    const p = [...path, String(i)];
    if (!isObj(d)) return ctx.error(`${path.join(".")}[${i}] must be a mapping`, p);
    if (!nonEmptyString(d.field)) ctx.error(`${path.join(".")}[${i}].field is required`, p);
    if (!nonEmptyString(d.label)) ctx.error(`${path.join(".")}[${i}].label is required`, p);
    if (d.type !== undefined && !["number", "bytes", "timestamp"].includes(String(d.type))) ctx.warn(`${path.join(".")}[${i}].type "${String(d.type)}" is not one of number, bytes, timestamp`, p);
  });
}

/** Validate a job Manifest written in YAML. */
export function validateManifestYaml(src: string): Validation {
  if (!src.trim()) return { issues: [{ level: "error", message: "empty document" }], value: undefined, ok: false };
  const p = parse(src);
  if ("issues" in p) return { issues: p.issues, value: undefined, ok: false };
  const { ctx, value } = p;
  if (!isObj(value)) {
    ctx.error("the document must be a mapping (id: …, version: …, execute: …)");
    return finish(ctx, value);
  }
  for (const k of Object.keys(value)) {
    if (!MANIFEST_KEYS.includes(k)) {
      const hint = ["target", "rollout", "jitter"].includes(k) ? " — targets, rollout and jitter belong to Exec or a Schedule, not the job" : "";
      ctx.error(`unknown top-level key "${k}"${hint}`, [k]);
    }
  }
  requireString(ctx, value, "id", ["id"]);
  requireString(ctx, value, "version", ["version"]);
  if (value.description !== undefined && value.description !== null && typeof value.description !== "string") ctx.error("description must be a string", ["description"]);
  const ex = value.execute;
  if (ex === undefined || ex === null) ctx.error("execute is required (shell, script, timeout)", ["execute"]);
  else if (!isObj(ex)) ctx.error("execute must be a mapping", ["execute"]);
  else {
    if (ex.shell === undefined) ctx.error("execute.shell is required (powershell or cmd)", ["execute"]);
    else if (ex.shell !== "powershell" && ex.shell !== "cmd") ctx.error(`execute.shell must be powershell or cmd (got ${JSON.stringify(ex.shell)})`, ["execute", "shell"]);
    if (ex.script === undefined || ex.script === null) ctx.error("execute.script is required", ["execute"]);
    else if (!nonEmptyString(ex.script)) ctx.error("execute.script must be a non-empty string", ["execute", "script"]);
    if (ex.timeout === undefined || ex.timeout === null) ctx.error('execute.timeout is required (e.g. "60s")', ["execute"]);
    else optDuration(ctx, ex, "timeout", ["execute", "timeout"], "execute.timeout");
    if (ex.run_as !== undefined && !["system", "user", "system_gui"].includes(String(ex.run_as))) ctx.error("execute.run_as must be system, user or system_gui", ["execute", "run_as"]);
    if (ex.cwd !== undefined && typeof ex.cwd !== "string") ctx.error("execute.cwd must be a string", ["execute", "cwd"]);
    for (const k of Object.keys(ex)) if (!EXECUTE_KEYS.includes(k)) ctx.warn(`unknown key execute.${k}`, ["execute", k]);
  }
  if (value.require_approval !== undefined && typeof value.require_approval !== "boolean") ctx.error("require_approval must be true or false", ["require_approval"]);
  const inv = value.inventory;
  if (inv !== undefined && inv !== null) {
    if (!isObj(inv)) ctx.error("inventory must be a mapping with display (and optional summary)", ["inventory"]);
    else {
      if (inv.display === undefined) ctx.error("inventory.display is required", ["inventory"]);
      else displayFields(ctx, inv.display, ["inventory", "display"]);
      if (inv.summary !== undefined && inv.summary !== null) displayFields(ctx, inv.summary, ["inventory", "summary"]);
    }
  }
  const st = value.staleness;
  if (st !== undefined && st !== null) {
    if (!isObj(st)) ctx.error("staleness must be a mapping with mode", ["staleness"]);
    else if (!["cached", "strict", "unchecked"].includes(String(st.mode))) ctx.error("staleness.mode must be cached, strict or unchecked", ["staleness", "mode"]);
    else if (st.mode === "strict") {
      if (st.max_cache_age === undefined) ctx.error("staleness.max_cache_age is required with mode strict", ["staleness"]);
      else optDuration(ctx, st, "max_cache_age", ["staleness", "max_cache_age"], "staleness.max_cache_age");
    }
  }
  return finish(ctx, value);
}

function validateTarget(ctx: Ctx, o: Obj, needTarget: boolean) {
  const t = o.target;
  let nonEmpty = false;
  if (t !== undefined && t !== null) {
    if (!isObj(t)) ctx.error("target must be a mapping (all, groups, pcs)", ["target"]);
    else {
      if (t.all !== undefined && typeof t.all !== "boolean") ctx.error("target.all must be true or false", ["target", "all"]);
      for (const k of ["groups", "pcs"]) {
        if (t[k] !== undefined && !(Array.isArray(t[k]) && (t[k] as unknown[]).every(nonEmptyString))) ctx.error(`target.${k} must be a list of names`, ["target", k]);
      }
      nonEmpty = t.all === true || (Array.isArray(t.groups) && t.groups.length > 0) || (Array.isArray(t.pcs) && t.pcs.length > 0);
      for (const k of Object.keys(t)) if (!["all", "groups", "pcs"].includes(k)) ctx.warn(`unknown key target.${k}`, ["target", k]);
    }
  }
  const r = o.rollout;
  let waves = false;
  if (r !== undefined && r !== null) {
    if (!isObj(r)) ctx.error("rollout must be a mapping (strategy: wave, waves: [...])", ["rollout"]);
    else {
      if (r.strategy !== undefined && r.strategy !== "wave") ctx.error('rollout.strategy must be "wave"', ["rollout", "strategy"]);
      if (!Array.isArray(r.waves)) ctx.error("rollout.waves must be a list of {group, delay}", ["rollout"]);
      else
        r.waves.forEach((w, i) => {
          if (!isObj(w) || !nonEmptyString(w.group)) ctx.error(`rollout.waves[${i}].group is required`, ["rollout", "waves", String(i)]);
          else optDuration(ctx, w, "delay", ["rollout", "waves", String(i), "delay"], `rollout.waves[${i}].delay`);
          waves = true;
        });
    }
  }
  if (needTarget && !nonEmpty && !waves) ctx.error("nothing to target: set target.all: true, target.groups, target.pcs or rollout waves", ["target"]);
  optDuration(ctx, o, "jitter", ["jitter"]);
}

/** Validate a Schedule written in YAML. */
export function validateScheduleYaml(src: string, cronFields: (c: string) => number = (c) => c.trim().split(/\s+/).length): Validation {
  if (!src.trim()) return { issues: [{ level: "error", message: "empty document" }], value: undefined, ok: false };
  const p = parse(src);
  if ("issues" in p) return { issues: p.issues, value: undefined, ok: false };
  const { ctx, value } = p;
  if (!isObj(value)) {
    ctx.error("the document must be a mapping (id: …, cron: …, job_id: …)");
    return finish(ctx, value);
  }
  for (const k of Object.keys(value)) if (!SCHEDULE_KEYS.includes(k)) ctx.warn(`unknown top-level key "${k}" (stored and kept, not used by this console)`, [k]);
  requireString(ctx, value, "id", ["id"]);
  requireString(ctx, value, "cron", ["cron"]);
  requireString(ctx, value, "job_id", ["job_id"]);
  if (typeof value.cron === "string" && value.cron.trim()) {
    const n = cronFields(value.cron);
    if (n !== 6 && n !== 7 && !value.cron.trim().startsWith("@"))
      ctx.warn(`cron has ${n} fields; the scheduler expects 6 (sec min hour day-of-month month day-of-week) and an optional 7th (year)`, ["cron"]);
  }
  validateTarget(ctx, value, true);
  if (value.mode !== undefined && !["every_tick", "once_per_pc", "once_per_target"].includes(String(value.mode))) ctx.error("mode must be every_tick, once_per_pc or once_per_target", ["mode"]);
  if (value.runs_on !== undefined && !["backend", "agent"].includes(String(value.runs_on))) ctx.error("runs_on must be backend or agent", ["runs_on"]);
  optDuration(ctx, value, "cooldown", ["cooldown"]);
  optDuration(ctx, value, "starting_deadline", ["starting_deadline"]);
  for (const k of ["enabled", "auto_disable_when_done"]) if (value[k] !== undefined && typeof value[k] !== "boolean") ctx.error(`${k} must be true or false`, [k]);
  return finish(ctx, value);
}

/** JSON object → YAML for editing, dropping nulls and empty defaults. */
export function toYaml(v: unknown): string {
  const clean = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(clean);
    if (isObj(x)) {
      const o: Obj = {};
      for (const [k, val] of Object.entries(x)) {
        if (val === null || val === undefined) continue;
        o[k] = clean(val);
      }
      return o;
    }
    return x;
  };
  return stringify(clean(v), { lineWidth: 0, blockQuote: "literal" });
}
