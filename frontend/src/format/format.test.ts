import { describe, expect, it } from "vitest";
import {
  cronText,
  exitBadgeClass,
  exitKind,
  formatBytes,
  formatClock,
  formatDuration,
  formatDurationMs,
  formatFact,
  formatKeep,
  formatNumber,
  formatRelative,
  formatTimestamp,
  presetSince,
  shortId,
} from "./index";

describe("formatBytes", () => {
  it("uses binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MiB");
    expect(formatBytes(17179869184)).toBe("16 GiB");
    expect(formatBytes(1.25 * 1024 ** 3)).toBe("1.25 GiB");
    expect(formatBytes(null)).toBe("—");
  });
});

describe("formatNumber", () => {
  it("groups digits", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(12.345)).toBe("12.35");
    expect(formatNumber(undefined)).toBe("—");
  });
});

describe("timestamps", () => {
  it("formats local time (TZ=UTC in tests)", () => {
    expect(formatTimestamp("2026-05-20T03:15:02.35Z")).toBe("2026-05-20 03:15:02");
    expect(formatClock("2026-05-20T03:15:02Z")).toBe("03:15:02");
    expect(formatTimestamp(null)).toBe("—");
    expect(formatTimestamp("garbage")).toBe("—");
  });

  it("formats relative time", () => {
    const now = Date.parse("2026-05-20T12:00:00Z");
    expect(formatRelative("2026-05-20T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2026-05-20T11:59:30Z", now)).toBe("30s ago");
    expect(formatRelative("2026-05-20T11:57:00Z", now)).toBe("3m ago");
    expect(formatRelative("2026-05-20T09:00:00Z", now)).toBe("3h ago");
    expect(formatRelative("2026-05-17T12:00:00Z", now)).toBe("3d ago");
    expect(formatRelative("2026-05-20T12:05:00Z", now)).toBe("in 5m");
    expect(formatRelative(null, now)).toBe("never");
  });
});

describe("formatKeep", () => {
  it("shows retention periods", () => {
    expect(formatKeep(0)).toBe("forever");
    expect(formatKeep(86400)).toBe("1 day");
    expect(formatKeep(90 * 86400)).toBe("90 days");
    expect(formatKeep(1000 * 86400)).toBe("1,000 days");
    expect(formatKeep(36 * 3600)).toBe("1d 12h");
    expect(formatKeep(undefined)).toBe("—");
  });
});

describe("durations", () => {
  it("formats milliseconds", () => {
    expect(formatDurationMs(850)).toBe("850ms");
    expect(formatDurationMs(2250)).toBe("2.25s");
    expect(formatDurationMs(2000)).toBe("2s");
    expect(formatDurationMs(12_500)).toBe("12.5s");
    expect(formatDurationMs(65_000)).toBe("1m 05s");
    expect(formatDurationMs(3_720_000)).toBe("1h 02m");
    expect(formatDurationMs(2 * 86400_000 + 3 * 3600_000)).toBe("2d 3h");
  });
  it("formats the span between timestamps", () => {
    expect(formatDuration("2026-05-20T03:15:00.100Z", "2026-05-20T03:15:02.350Z")).toBe("2.25s");
    expect(formatDuration("2026-05-20T03:15:00Z", null)).toBe("—");
  });
});

describe("exit codes", () => {
  it("classifies", () => {
    expect(exitKind(0)).toBe("ok");
    expect(exitKind(1)).toBe("fail");
    expect(exitKind(-1)).toBe("killed");
    expect(exitKind(126)).toBe("skip");
    expect(exitKind(null)).toBe("pending");
    expect(exitBadgeClass(0)).toBe("badge badge-ok");
    expect(exitBadgeClass(2)).toBe("badge badge-fail");
  });
});

describe("cronText", () => {
  it("describes 6-field crons with seconds", () => {
    expect(cronText("0 0 * * * *")).toBe("Every hour");
    expect(cronText("*/30 * * * * *")).toMatch(/30 seconds/);
    expect(cronText("0 30 9 * * 1-5")).toMatch(/09:30/);
    expect(cronText("0 0 3 1 1 * 2099")).toMatch(/2099/); // kanade's optional year field
  });
  it("returns null for invalid input", () => {
    expect(cronText("not a cron")).toBeNull();
    expect(cronText("")).toBeNull();
  });
});

describe("misc", () => {
  it("shortId", () => {
    expect(shortId("9d3c1b7a-2f4e-4a8b")).toBe("9d3c1b7a");
    expect(shortId(null)).toBe("—");
  });
  it("formatFact", () => {
    expect(formatFact(17179869184, "bytes")).toBe("16 GiB");
    expect(formatFact([{ name: "a" }, { name: "b" }], "table")).toBe("2 items");
    expect(formatFact([{ name: "a" }], "table")).toBe("1 item");
    expect(formatFact({ not: "an array" }, "table")).toBe('{"not":"an array"}');
    expect(formatFact("2048", "bytes")).toBe("2 KiB");
    expect(formatFact(1234, "number")).toBe("1,234");
    expect(formatFact("2026-05-20T03:15:02Z", "timestamp")).toBe("2026-05-20 03:15:02");
    expect(formatFact({ a: 1 })).toBe('{"a":1}');
    expect(formatFact(null)).toBe("—");
    expect(formatFact("x")).toBe("x");
  });
  it("presetSince", () => {
    const now = Date.parse("2026-05-20T12:00:00Z");
    expect(presetSince("1h", now)).toBe("2026-05-20T11:00:00.000Z");
    expect(presetSince("7d", now)).toBe("2026-05-13T12:00:00.000Z");
    expect(presetSince("all", now)).toBeUndefined();
  });
});
