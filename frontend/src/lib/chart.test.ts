import { describe, expect, it } from "vitest";
import { bucketResultsPerHour, countTicks, niceMax } from "./chart";

describe("bucketResultsPerHour", () => {
  const now = Date.parse("2026-05-20T12:30:00Z");
  it("makes 24 hourly buckets ending with the current hour", () => {
    const b = bucketResultsPerHour([], now);
    expect(b).toHaveLength(24);
    expect(new Date(b[23].start).toISOString()).toBe("2026-05-20T12:00:00.000Z");
    expect(new Date(b[0].start).toISOString()).toBe("2026-05-19T13:00:00.000Z");
  });
  it("counts success and failure per hour and ignores out-of-window rows", () => {
    const b = bucketResultsPerHour(
      [
        { exit_code: 0, recorded_at: "2026-05-20T12:10:00Z", finished_at: null, started_at: null },
        { exit_code: 1, recorded_at: "2026-05-20T12:20:00Z", finished_at: null, started_at: null },
        { exit_code: 0, recorded_at: null, finished_at: "2026-05-20T11:59:59Z", started_at: null },
        { exit_code: 0, recorded_at: "2026-05-18T00:00:00Z", finished_at: null, started_at: null },
        { exit_code: null, recorded_at: "2026-05-20T12:00:00Z", finished_at: null, started_at: null },
      ],
      now,
    );
    expect(b[23]).toMatchObject({ ok: 1, fail: 1 });
    expect(b[22]).toMatchObject({ ok: 1, fail: 0 });
    expect(b.reduce((s, x) => s + x.ok + x.fail, 0)).toBe(3);
  });
});

describe("niceMax", () => {
  it("rounds up to 1/2/5×10^k", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(12)).toBe(20);
    expect(niceMax(200)).toBe(200);
    expect(niceMax(201)).toBe(500);
  });
});

describe("countTicks", () => {
  it("gives whole numbers only (no 0.5 for one result)", () => {
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(2)).toEqual([0, 1, 2]);
    expect(countTicks(5)).toEqual([0, 5]);
    expect(countTicks(10)).toEqual([0, 5, 10]);
    expect(countTicks(50)).toEqual([0, 25, 50]);
    for (let n = 0; n <= 5000; n++) expect(countTicks(niceMax(n)).every(Number.isInteger)).toBe(true);
  });
});
