import { describe, expect, it } from "vitest";
import type { ExplodeSpec } from "../api";
import { SCALARS, columnsOf, explodeSpec, searchFields } from "./InventorySearch";
import { trackedFields } from "./PcHistory";
import { elementKeys } from "./Inventory";

const apps: ExplodeSpec = {
  field: "apps",
  table: "inventory_sw_apps",
  primary_key: ["name", "source"],
  columns: [{ field: "name", type: "text", index: true }, { field: "version" }, { field: "size", type: "integer" }],
  track_history: true,
};
const disks: ExplodeSpec = { field: "disks", table: "inv_disks", primary_key: ["id"], columns: [{ field: "id" }] };

describe("inventory search page helpers", () => {
  it("offers a probe's explode tables as fields", () => {
    expect(searchFields({ explode: [apps, disks] })).toEqual([
      { value: "apps", label: "apps (table inventory_sw_apps, history)" },
      { value: "disks", label: "disks (table inv_disks)" },
    ]);
    expect(searchFields({ explode: null })).toEqual([]);
    expect(searchFields(undefined)).toEqual([]);
  });

  it("offers a probe's scalar display fields as one more field (not its tables)", () => {
    const display = [
      { field: "hostname", label: "Host" },
      { field: "ram", label: "RAM", type: "bytes" },
      { field: "apps", label: "Apps", type: "table" },
      { field: "ram", label: "again" },
    ];
    expect(searchFields({ explode: [disks], display })).toEqual([
      { value: "disks", label: "disks (table inv_disks)" },
      { value: SCALARS, label: "display fields (one row per PC)" },
    ]);
    expect(searchFields({ explode: null, display: [{ field: "apps", label: "Apps", type: "table" }] })).toEqual([]);
    expect(columnsOf({ explode: null, display }, SCALARS)).toEqual([
      { field: "hostname", label: "Host (hostname)", type: "text" },
      { field: "ram", label: "RAM (ram)", type: "bytes" },
      { field: "pc_id", label: "PC (pc_id)", type: "text" },
    ]);
    expect(columnsOf({ explode: null, display: [] }, SCALARS)).toEqual([]);
  });

  it("lists a field's columns (text by default) and pc_id as filters", () => {
    expect(columnsOf({ explode: [apps] }, "apps")).toEqual([
      { field: "name", label: "name", type: "text", index: true },
      { field: "version", label: "version", type: "text", index: undefined },
      { field: "size", label: "size", type: "integer", index: undefined },
      { field: "pc_id", label: "PC (pc_id)", type: "text" },
    ]);
    expect(columnsOf({ explode: [apps] }, "nope")).toEqual([]);
    expect(explodeSpec({ explode: [apps, disks] }, "disks")).toBe(disks);
  });

  it("a table fact's columns: every key of its elements, first seen first", () => {
    expect(elementKeys([{ name: "a", version: "1" }, { name: "b", size: 3 }, "junk", null, [1]])).toEqual(["name", "version", "size"]);
    expect(elementKeys([])).toEqual([]);
  });

  it("history fields: tracked tables, then history_scalars", () => {
    expect(trackedFields({ explode: [apps, disks], history_scalars: ["os_build", "ram_bytes"] })).toEqual(["apps", "os_build", "ram_bytes"]);
    expect(trackedFields({ explode: null, history_scalars: null })).toEqual([]);
    expect(trackedFields(undefined)).toEqual([]);
  });
});
