import { describe, expect, it } from "vitest";
import { filterSuggestions } from "./Autocomplete";

describe("filterSuggestions", () => {
  const opts = ["DEMO-00001", "DEMO-00002", "DEMO-00010", "SIM-00001"].map((value) => ({ value }));
  it("matches anywhere, case-insensitively, at most max", () => {
    expect(filterSuggestions(opts, "demo-0000").map((o) => o.value)).toEqual(["DEMO-00001", "DEMO-00002"]);
    expect(filterSuggestions(opts, "00001").map((o) => o.value)).toEqual(["DEMO-00001", "SIM-00001"]);
    expect(filterSuggestions(opts, "", 2)).toHaveLength(2);
  });
  it("offers nothing once the text is the only match (the list closes)", () => {
    expect(filterSuggestions(opts, "SIM-00001")).toEqual([]);
    expect(filterSuggestions(opts, "nope")).toEqual([]);
  });
});
