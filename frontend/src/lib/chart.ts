import type { Result } from "../api";

export interface HourBucket {
  /** bucket start, ms since epoch */
  start: number;
  ok: number;
  fail: number;
}

const HOUR = 3600_000;

/**
 * Results per hour over the last `hours` hours (oldest first), split into
 * success (exit 0) and failure (anything else that finished). The time of a
 * result is recorded_at, else finished_at, else started_at.
 */
export function bucketResultsPerHour(results: Pick<Result, "exit_code" | "recorded_at" | "finished_at" | "started_at">[], now: number, hours = 24): HourBucket[] {
  const end = Math.floor(now / HOUR) * HOUR + HOUR; // end of the current hour
  const first = end - hours * HOUR;
  const buckets: HourBucket[] = Array.from({ length: hours }, (_, i) => ({ start: first + i * HOUR, ok: 0, fail: 0 }));
  for (const r of results) {
    const ts = r.recorded_at ?? r.finished_at ?? r.started_at;
    if (!ts) continue;
    const t = Date.parse(ts);
    if (!Number.isFinite(t) || t < first || t >= end) continue;
    if (r.exit_code === null || r.exit_code === undefined) continue;
    const b = buckets[Math.floor((t - first) / HOUR)];
    if (r.exit_code === 0) b.ok++;
    else b.fail++;
  }
  return buckets;
}

/** A "nice" axis maximum ≥ n (1, 2, 5 × 10^k). */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(n)));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** Y-axis ticks for a count axis up to max: 0, the middle and max, but only
 *  whole numbers (a max of 1 or 5 has no whole middle: half a result is not a count). */
export function countTicks(max: number): number[] {
  return [0, max / 2, max].filter((t, i, all) => Number.isInteger(t) && all.indexOf(t) === i);
}
