import { describe, expect, it } from "vitest";
import {
  changesOf,
  csvCell,
  csvFileName,
  dayOf,
  decodeFilters,
  describeChange,
  distinctPcs,
  encodeFilters,
  filterKey,
  filterQuery,
  groupTimeline,
  identityOf,
  identityQuery,
  identityLabel,
  kindCounts,
  parseFilterKey,
  parseJsonText,
  searchColumns,
  tailPollInterval,
  tailState,
  toCsv,
  type Filter,
  type HistoryEventLike,
} from "./inventory";

describe("search filters → query parameters", () => {
  it("equality uses the short form, other operators col__op", () => {
    expect(filterKey({ column: "name", op: "eq" })).toBe("name");
    expect(filterKey({ column: "version", op: "lt" })).toBe("version__lt");
    expect(filterKey({ column: "name", op: "prefix" })).toBe("name__prefix");
  });

  it("builds the query: exact, prefix, comparison; drops half-filled rows and empty LIKE values", () => {
    const filters: Filter[] = [
      { column: "name", op: "eq", value: "Google Chrome" },
      { column: "version", op: "lt", value: "120" },
      { column: "publisher", op: "prefix", value: "Micro" },
      { column: " ", op: "eq", value: "x" }, // no column yet
      { column: "source", op: "contains", value: "" }, // matches everything
      { column: "arch", op: "eq", value: "" }, // a real question: arch = ''
      { column: "limit", op: "eq", value: "5" }, // paging is not a filter
    ];
    expect(filterQuery(filters)).toEqual({ name: "Google Chrome", version__lt: "120", publisher__prefix: "Micro", arch: "" });
  });

  it("a later filter of the same key wins (one value per key, as the route reads it)", () => {
    expect(filterQuery([
      { column: "v", op: "gt", value: "1" },
      { column: "v", op: "gt", value: "2" },
    ])).toEqual({ v__gt: "2" });
  });

  it("parses keys back, even columns with __ in their name", () => {
    expect(parseFilterKey("version__ge")).toEqual({ column: "version", op: "ge" });
    expect(parseFilterKey("name")).toEqual({ column: "name", op: "eq" });
    expect(parseFilterKey("a__b__suffix")).toEqual({ column: "a__b", op: "suffix" });
    expect(parseFilterKey("a__b")).toEqual({ column: "a__b", op: "eq" }); // not an operator
    expect(parseFilterKey("__gt")).toEqual({ column: "__gt", op: "eq" });
  });

  it("round-trips through the URL, special characters included", () => {
    const filters: Filter[] = [
      { column: "name", op: "contains", value: "C++ & co=1" },
      { column: "version", op: "ge", value: "1.2.3" },
    ];
    const s = encodeFilters(filters);
    expect(s).not.toMatch(/[ &]C/);
    expect(decodeFilters(s)).toEqual(filters);
    expect(decodeFilters("")).toEqual([]);
    expect(decodeFilters("limit=3&offset=9&x__lt=4")).toEqual([{ column: "x", op: "lt", value: "4" }]);
  });
});

describe("history identity from a search", () => {
  it("keeps the equality filters on primary-key columns", () => {
    const filters: Filter[] = [
      { column: "name", op: "eq", value: "Chrome" },
      { column: "version", op: "eq", value: "120" }, // not a key column
      { column: "source", op: "prefix", value: "ms" }, // not equality
    ];
    expect(identityOf(filters, ["name", "source"])).toEqual({ name: "Chrome" });
    expect(identityOf([], ["name"])).toEqual({});
    expect(identityQuery({ name: "Chrome", source: "msi" })).toEqual({ "identity.name": "Chrome", "identity.source": "msi" });
  });
});

describe("CSV export", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@SUM")).toBe("'@SUM");
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell(-1)).toBe("-1"); // a number is data
    expect(csvCell(17179869184)).toBe("17179869184");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it("writes a header and one CRLF line per row", () => {
    const rows = [
      { pc_id: "PC01", name: "Chrome", version: "120.0" },
      { pc_id: "PC02", name: "7-Zip, x64", version: null },
    ];
    const csv = toCsv(
      [
        { head: "pc_id", value: (r: (typeof rows)[number]) => r.pc_id },
        { head: "name", value: (r) => r.name },
        { head: "version", value: (r) => r.version },
      ],
      rows,
    );
    expect(csv).toBe('pc_id,name,version\r\nPC01,Chrome,120.0\r\nPC02,"7-Zip, x64",\r\n');
    expect(toCsv([{ head: "x", value: () => 1 }], [])).toBe("x\r\n");
  });

  it("names the file after the search, safely", () => {
    expect(csvFileName(["inventory-sw", "apps"], new Date("2026-12-07T12:34:56.789Z"))).toBe("inventory-sw-apps-20261207-123456.csv");
    expect(csvFileName(["a/b c", ""], new Date("2026-01-02T03:04:05Z"))).toBe("a_b_c-20260102-030405.csv");
    expect(csvFileName([], new Date("2026-01-02T03:04:05Z"))).toBe("export-20260102-030405.csv");
  });
});

describe("search rows", () => {
  it("shows the declared columns first, then extra keys, never pc_id/collected_at/@…", () => {
    const rows = [
      { pc_id: "A", collected_at: "t", name: "x", version: "1", "@account_user": "u", extra: 1 },
      { pc_id: "B", collected_at: "t", name: "y", other: 2 },
    ];
    expect(searchColumns(["name", "version", "source"], rows)).toEqual(["name", "version", "source", "extra", "other"]);
    expect(distinctPcs(rows)).toBe(2);
    expect(distinctPcs([...rows, { pc_id: "A" }])).toBe(2);
  });
});

function ev(p: Partial<HistoryEventLike>): HistoryEventLike {
  return {
    id: 1,
    pc_id: "PC01",
    job_id: "inventory-sw",
    field_path: "apps",
    identity_json: null,
    change_kind: "changed",
    before_json: null,
    after_json: null,
    observed_at: "2026-12-07T10:00:00.000+00:00",
    ...p,
  };
}

describe("history", () => {
  it("parses the JSON-in-a-string columns leniently", () => {
    expect(parseJsonText('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonText(null)).toBeUndefined();
    expect(parseJsonText("")).toBeUndefined();
    expect(parseJsonText("not json")).toBe("not json");
  });

  it("labels identities", () => {
    expect(identityLabel('{"name":"Chrome","source":"msi"}')).toBe("name=Chrome, source=msi");
    expect(identityLabel('{"id":7}')).toBe("id=7");
    expect(identityLabel(null)).toBe("");
  });

  it("describes scalar and element changes", () => {
    expect(describeChange(ev({ field_path: "ram_bytes", change_kind: "changed", before_json: '{"value":16}', after_json: '{"value":32}' }))).toBe("16 → 32");
    expect(describeChange(ev({ field_path: "os_build", change_kind: "added", after_json: '{"value":"22631"}' }))).toBe("= 22631");
    expect(describeChange(ev({ field_path: "os_build", change_kind: "removed", before_json: '{"value":"1"}' }))).toBe("removed (was 1)");
    const el = { identity_json: '{"name":"Chrome"}' };
    expect(describeChange(ev({ ...el, change_kind: "added", after_json: '{"name":"Chrome","version":"1"}' }))).toBe("added");
    expect(describeChange(ev({ ...el, change_kind: "removed", before_json: '{"name":"Chrome","version":"1"}' }))).toBe("removed");
    expect(
      describeChange(ev({ ...el, change_kind: "changed", before_json: '{"name":"Chrome","version":"119","arch":"x64"}', after_json: '{"name":"Chrome","version":"120","arch":"x64"}' })),
    ).toBe("version: 119 → 120");
    expect(describeChange(ev({ ...el, change_kind: "changed", before_json: '{"name":"C"}', after_json: '{"name":"C"}' }))).toBe("changed");
  });

  it("lists changed keys, added and removed keys included", () => {
    expect(changesOf({ before_json: '{"a":1,"b":[1]}', after_json: '{"a":1,"b":[2],"c":null}' })).toEqual([
      { key: "b", before: [1], after: [2] },
      { key: "c", before: undefined, after: null },
    ]);
    expect(changesOf({ before_json: null, after_json: '{"value":3}' })).toEqual([{ key: "", before: undefined, after: 3 }]);
  });

  it("groups the timeline by UTC day, newest first, then by field", () => {
    const events = [
      ev({ id: 1, field_path: "apps", observed_at: "2026-12-05T09:00:00.000+00:00" }),
      ev({ id: 2, field_path: "ram_bytes", observed_at: "2026-12-07T08:00:00.000+00:00" }),
      ev({ id: 3, field_path: "apps", observed_at: "2026-12-07T09:00:00.000+00:00" }),
      ev({ id: 4, field_path: "apps", observed_at: "2026-12-07T09:00:00.000+00:00" }),
      ev({ id: 5, field_path: "apps", observed_at: "2026-12-06T23:30:00.000-02:00" }), // 2026-12-07 01:30 UTC
    ];
    const t = groupTimeline(events);
    expect(t.map((d) => d.day)).toEqual(["2026-12-07", "2026-12-05"]);
    expect(t[0].groups.map((g) => [g.field, g.events.map((e) => e.id)])).toEqual([
      ["apps", [4, 3, 5]],
      ["ram_bytes", [2]],
    ]);
    expect(t[1].groups).toEqual([{ field: "apps", events: [events[0]] }]);
    expect(groupTimeline([])).toEqual([]);
  });

  it("reads days and counts kinds", () => {
    expect(dayOf("2026-12-07T23:59:59Z")).toBe("2026-12-07");
    expect(dayOf("garbage")).toBe("garbage");
    expect(kindCounts([{ change_kind: "added" }, { change_kind: "added" }, { change_kind: "removed" }, { change_kind: "weird" }])).toEqual({ added: 2, removed: 1, changed: 0 });
  });
});

describe("live tail", () => {
  it("tells live, waiting and finished apart", () => {
    expect(tailState({ running: true, live: true })).toBe("live");
    expect(tailState({ running: true, live: false })).toBe("waiting");
    expect(tailState({ running: false, live: false })).toBe("finished");
  });
  it("polls while in flight and stops when finished", () => {
    expect(tailPollInterval(undefined, 3000)).toBe(3000);
    expect(tailPollInterval({ running: true, live: false }, 3000)).toBe(3000);
    expect(tailPollInterval({ running: false, live: false }, 3000)).toBe(false);
  });
});
