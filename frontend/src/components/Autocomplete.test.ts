import { describe, expect, it } from "vitest";
import { agentSuggestions, filterSuggestions } from "./Autocomplete";

describe("filterSuggestions", () => {
  const opts = ["DEMO-00010", "SIM-00001", "DEMO-00002", "DEMO-00001"].map((value) => ({ value }));
  it("matches anywhere, case-insensitively, at most max", () => {
    expect(filterSuggestions(opts, "demo-0000").map((o) => o.value)).toEqual(["DEMO-00001", "DEMO-00002"]);
    expect(filterSuggestions(opts, "00001").map((o) => o.value)).toEqual(["DEMO-00001", "SIM-00001"]);
    expect(filterSuggestions(opts, "").map((o) => o.value)).toEqual(["DEMO-00001", "DEMO-00002", "DEMO-00010", "SIM-00001"]);
    expect(filterSuggestions(opts, "s").map((o) => o.value)).toEqual(["SIM-00001"]);
    expect(filterSuggestions(opts, "", 2)).toHaveLength(2);
  });
  it("offers nothing once the text is the only match (the list closes)", () => {
    expect(filterSuggestions(opts, "SIM-00001")).toEqual([]);
    expect(filterSuggestions(opts, "nope")).toEqual([]);
  });
});

describe("agentSuggestions", () => {
  it("hints the hostname only when it differs from the id", () => {
    expect(agentSuggestions([{ pc_id: "PC1", hostname: "PC1", online: true }, { pc_id: "PC2", hostname: "desk-2", online: false }, { pc_id: "PC3", online: true }])).toEqual([
      { value: "PC1", hint: "online" },
      { value: "PC2", hint: "desk-2 · stale" },
      { value: "PC3", hint: "online" },
    ]);
  });
});
