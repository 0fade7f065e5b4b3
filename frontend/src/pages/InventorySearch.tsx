// Inventory search (kanade-latest-features §3.4): pick a probe and one of its
// explode tables (one row per element, e.g. per installed app), filter with
// exact / prefix / comparison operators, page through the rows found and
// export them as CSV; with track_history, when each PC first had it and the
// changes across the fleet. A probe's scalar display fields (everything but
// `type: table`) are one more "field": kanade's search-scalars (#574) finds
// the PCs by their values, number and bytes compared as numbers.
import { useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import type { ExplodeSpec, HistoryChangeKind, InventoryJob } from "../api";
import { opQuery, useOp } from "../api/hooks";
import { useToast } from "../components/overlay";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { PcId } from "../components/Simulated";
import { Card, Empty, PageHeader, QueryView, RelTime, Spinner, Time, errorMessage } from "../components/ui";
import { useUrlState } from "../lib/hooks";
import {
  FILTER_OPS,
  FILTER_OP_LABELS,
  csvFileName,
  decodeFilters,
  describeChange,
  encodeFilters,
  filterQuery,
  identityLabel,
  identityOf,
  isFilterOp,
  searchColumns,
  toCsv,
  type Filter,
  type SearchRow,
} from "../lib/inventory";

/** The largest page the search routes answer (the CSV export walks the pages). */
const EXPORT_PAGE = 5_000;
/** The export stops there: a browser tab holding more rows than this is no help. */
const EXPORT_MAX = 100_000;

interface ColumnInfo {
  field: string;
  label: string;
  /** explode: text | integer | real; scalars: the display type (number, bytes, timestamp) */
  type?: string;
  index?: boolean;
}

/** The pseudo-field that searches a probe's scalar display fields (search-scalars). */
export const SCALARS = "@scalars";

type ProbeFields = Pick<InventoryJob, "explode"> & Partial<Pick<InventoryJob, "display">>;

/** A probe's display fields the scalar search filters and shows (not `type: table`). */
export function scalarColumns(job: ProbeFields | undefined): ColumnInfo[] {
  const seen = new Set<string>();
  return (job?.display ?? []).flatMap((d) => {
    if (d.type === "table" || !d.field || seen.has(d.field)) return [];
    seen.add(d.field);
    return [{ field: d.field, label: d.label && d.label !== d.field ? `${d.label} (${d.field})` : d.field, type: d.type ?? "text" }];
  });
}

export function explodeSpec(job: Pick<InventoryJob, "explode"> | undefined, field: string): ExplodeSpec | undefined {
  return (job?.explode ?? []).find((e) => e.field === field);
}

/** The columns one can filter and show for a probe's explode field (pc_id can be filtered too). */
export function columnsOf(job: ProbeFields | undefined, field: string): ColumnInfo[] {
  if (field === SCALARS) {
    const cols = scalarColumns(job);
    return cols.length ? [...cols, { field: "pc_id", label: "PC (pc_id)", type: "text" }] : [];
  }
  const spec = explodeSpec(job, field);
  if (!spec) return [];
  const cols: ColumnInfo[] = spec.columns.map((c) => ({ field: c.field, label: c.field, type: c.type ?? "text", index: c.index }));
  return [...cols, { field: "pc_id", label: "PC (pc_id)", type: "text" }];
}

/** The fields a probe can be searched by: its explode tables, then its scalar display fields. */
export function searchFields(job: ProbeFields | undefined): Array<{ value: string; label: string }> {
  const tables = (job?.explode ?? []).map((e) => ({ value: e.field, label: `${e.field} (table ${e.table}${e.track_history ? ", history" : ""})` }));
  return scalarColumns(job).length ? [...tables, { value: SCALARS, label: "display fields (one row per PC)" }] : tables;
}

type SearchReq = { manifest_id: string; field: string; filters: Record<string, string>; limit: number; offset: number };

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function FilterEditor({ columns, initial, onSearch }: { columns: ColumnInfo[]; initial: Filter[]; onSearch: (f: Filter[]) => void }) {
  const blank = (): Filter => ({ column: columns[0]?.field ?? "", op: "eq", value: "" });
  const [rows, setRows] = useState<Filter[]>(() => (initial.length ? initial : [blank()]));
  const set = (i: number, patch: Partial<Filter>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const known = new Set(columns.map((c) => c.field));
  return (
    <form
      className="col"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(rows);
      }}
      data-testid="search-filters"
    >
      {rows.map((r, i) => (
        <div className="row" key={i} style={{ flexWrap: "wrap" }} data-testid="filter-row">
          <select value={r.column} onChange={(e) => set(i, { column: e.target.value })} aria-label={`Filter ${i + 1} column`} data-testid="filter-column">
            {!known.has(r.column) && <option value={r.column}>{r.column || "(column)"}</option>}
            {columns.map((c) => (
              <option key={c.field} value={c.field}>
                {c.label}
                {c.index ? " (indexed)" : ""}
              </option>
            ))}
          </select>
          <select value={r.op} onChange={(e) => isFilterOp(e.target.value) && set(i, { op: e.target.value })} aria-label={`Filter ${i + 1} operator`} data-testid="filter-op">
            {FILTER_OPS.map((op) => (
              <option key={op} value={op}>
                {FILTER_OP_LABELS[op]}
              </option>
            ))}
          </select>
          <input value={r.value} onChange={(e) => set(i, { value: e.target.value })} placeholder="value" aria-label={`Filter ${i + 1} value`} data-testid="filter-value" />
          <button type="button" className="btn-sm btn-ghost" onClick={() => setRows((rs) => (rs.length > 1 ? rs.filter((_, j) => j !== i) : [blank()]))} aria-label={`Remove filter ${i + 1}`}>
            ✕
          </button>
        </div>
      ))}
      <div className="row">
        <button type="button" className="btn-sm" onClick={() => setRows((rs) => [...rs, blank()])} data-testid="filter-add">
          + Filter
        </button>
        <button type="submit" className="btn-primary" data-testid="search-run">
          Search
        </button>
        <button
          type="button"
          className="btn-sm btn-ghost"
          onClick={() => {
            setRows([blank()]);
            onSearch([]);
          }}
        >
          Clear
        </button>
        <span className="muted small">Filters are ANDed. Text columns compare lexically (&quot;10&quot; &lt; &quot;9&quot;), integer and real columns as numbers; starts with is case-sensitive, contains / ends with are not.</span>
      </div>
    </form>
  );
}

function cellOf(v: unknown) {
  if (v === null || v === undefined) return <span className="muted">—</span>;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function Results({ job, field, filters, paging }: { job: InventoryJob; field: string; filters: Filter[]; paging: ReturnType<typeof urlPaging> }) {
  const toast = useToast();
  const qc = useQueryClient();
  const [exporting, setExporting] = useState<number | null>(null);
  const query = filterQuery(filters);
  const req: SearchReq = { manifest_id: job.manifest_id, field, filters: query, limit: paging.limit, offset: paging.offset };
  // One of the two searches runs: an explode table's rows, or the PCs by
  // their scalar display fields (the same row shape, one row per PC).
  const scalars = field === SCALARS;
  const scalarReq = { manifest_id: job.manifest_id, filters: query, limit: paging.limit, offset: paging.offset };
  const explodeQ = useOp("InventorySearch", req, { placeholderData: (p) => p, retry: false, enabled: !scalars });
  const scalarQ = useOp("InventoryScalarSearch", scalarReq, { placeholderData: (p) => p, retry: false, enabled: scalars });
  const q = scalars ? scalarQ : explodeQ;
  const declared = columnsOf(job, field);
  const byField = new Map(declared.map((c) => [c.field, c]));
  const rows: SearchRow[] = q.data?.items ?? [];
  const cols = searchColumns(
    declared.map((c) => c.field).filter((c) => c !== "pc_id"),
    rows,
  );
  const hasAccount = rows.some((r) => r["@account_user"] != null);
  // With history kept for the table: when each PC first had the element(s)
  // the key filters name (or any element of the table, without them).
  const spec = explodeSpec(job, field);
  const identity = identityOf(filters, spec?.primary_key ?? []);
  const firstSeen = useOp("InventoryFirstSeen", { manifest_id: job.manifest_id, field, identity, limit: 5000 }, { enabled: !!spec?.track_history, staleTime: 60_000, retry: false });
  const seenAt = new Map((firstSeen.data?.items ?? []).map((r) => [r.pc_id, r.first_seen_at]));
  const showSeen = !!spec?.track_history && !!firstSeen.data;

  const exportCsv = async () => {
    setExporting(0);
    try {
      const all: SearchRow[] = [];
      for (let offset = 0; offset < EXPORT_MAX; offset += EXPORT_PAGE) {
        const page = scalars
          ? await qc.fetchQuery(opQuery("InventoryScalarSearch", { ...scalarReq, limit: EXPORT_PAGE, offset }))
          : await qc.fetchQuery(opQuery("InventorySearch", { ...req, limit: EXPORT_PAGE, offset }));
        all.push(...page.items);
        setExporting(all.length);
        if (page.items.length < EXPORT_PAGE || all.length >= page.total) break;
      }
      const csvCols = [
        { head: "pc_id", value: (r: SearchRow) => r.pc_id },
        ...searchColumns(
          declared.map((c) => c.field).filter((c) => c !== "pc_id"),
          all,
        ).map((c) => ({ head: c, value: (r: SearchRow) => r[c] })),
        { head: "collected_at", value: (r: SearchRow) => r.collected_at },
        { head: "account_user", value: (r: SearchRow) => r["@account_user"] },
        { head: "account_display_name", value: (r: SearchRow) => r["@account_display_name"] },
      ];
      download(csvFileName([job.manifest_id, scalars ? "display" : field], new Date()), toCsv(csvCols, all));
      toast.ok(`Exported ${all.length.toLocaleString("en-US")} rows${all.length >= EXPORT_MAX ? ` (the first ${EXPORT_MAX.toLocaleString("en-US")})` : ""}.`);
    } catch (e) {
      toast.error(`Export failed: ${errorMessage(e)}`);
    } finally {
      setExporting(null);
    }
  };

  return (
    <PagedTable
      q={q}
      testId="table-inventory-search"
      title={q.data ? `${q.data.total.toLocaleString("en-US")} rows found` : "Results"}
      actions={
        <button type="button" className="btn-sm" onClick={() => void exportCsv()} disabled={exporting !== null || !q.data || q.data.total === 0} data-testid="search-export">
          {exporting !== null ? (
            <>
              <Spinner /> {exporting.toLocaleString("en-US")} rows…
            </>
          ) : (
            "Export CSV"
          )}
        </button>
      }
      empty={Object.keys(query).length ? "No PC matches these filters." : "No PC has reported this field yet."}
      head={
        <>
          <th>PC</th>
          {hasAccount && <th>User</th>}
          {cols.map((c) => (
            <th key={c} className={byField.get(c)?.type === "integer" || byField.get(c)?.type === "real" || byField.get(c)?.type === "number" || byField.get(c)?.type === "bytes" ? "num" : undefined}>
              {byField.get(c)?.label ?? c}
            </th>
          ))}
          <th>Collected</th>
          {showSeen && <th title={Object.keys(identity).length ? `First seen: ${Object.entries(identity).map(([k, v]) => `${k}=${v}`).join(", ")}` : "First seen in this table"}>First seen</th>}
          <th />
        </>
      }
      row={(r) => {
        const key = `${r.pc_id}|${cols.map((c) => JSON.stringify(r[c])).join("|")}`;
        return (
          <tr key={key} data-testid="search-row">
            <td className="nowrap">
              <Link to={`/inventory/pc/${encodeURIComponent(r.pc_id)}`}>
                <strong>
                  <PcId pcId={r.pc_id} />
                </strong>
              </Link>
            </td>
            {hasAccount && <td title={String(r["@account_display_name"] ?? "")}>{r["@account_user"] == null ? <span className="muted">—</span> : String(r["@account_user"])}</td>}
            {cols.map((c) => {
              const info = byField.get(c);
              const numeric = info?.type === "integer" || info?.type === "real" || info?.type === "number" || info?.type === "bytes";
              return (
                <td key={c} className={numeric ? "num nowrap" : undefined}>
                  {cellOf(r[c])}
                </td>
              );
            })}
            <td>
              <RelTime t={r.collected_at ?? null} />
            </td>
            {showSeen && (
              <td data-testid="search-first-seen">
                <Time t={seenAt.get(r.pc_id) ?? null} />
              </td>
            )}
            <td>
              <Link
                className="btn btn-sm"
                to={`/inventory/pc/${encodeURIComponent(r.pc_id)}/history?probe=${encodeURIComponent(job.manifest_id)}${scalars ? "" : `&field=${encodeURIComponent(field)}`}`}
                data-testid="search-history"
              >
                History
              </Link>
            </td>
          </tr>
        );
      }}
      paging={paging}
    />
  );
}

const KINDS = ["", "added", "changed", "removed"] as const;
const isKind = (k: string): k is HistoryChangeKind => k === "added" || k === "changed" || k === "removed";
const KIND_CLASS: Record<string, string> = { added: "badge-ok", removed: "badge-fail", changed: "badge-info" };

/** The changes of a tracked table across the fleet (history/search), narrowed by the search's key filters. */
function FleetChanges({ job, spec, filters, paging, kind, onKind }: { job: InventoryJob; spec: ExplodeSpec; filters: Filter[]; paging: ReturnType<typeof urlPaging>; kind: string; onKind: (k: string) => void }) {
  const identity = identityOf(filters, spec.primary_key);
  const q = useOp(
    "InventoryFleetHistory",
    { manifest_id: job.manifest_id, field: spec.field, kind: isKind(kind) ? kind : undefined, identity, limit: paging.limit, offset: paging.offset },
    { placeholderData: (p) => p, retry: false },
  );
  const idText = Object.entries(identity)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return (
    <PagedTable
      q={q}
      testId="table-fleet-changes"
      title={`Changes of ${spec.field}${idText ? ` (${idText})` : ""}`}
      actions={
        <div className="seg" role="group" aria-label="Kind of change" data-testid="changes-kind">
          {KINDS.map((k) => (
            <button key={k || "all"} type="button" aria-pressed={kind === k} onClick={() => onKind(k)}>
              {k || "all"}
            </button>
          ))}
        </div>
      }
      empty={
        <>
          No changes recorded{idText ? ` for ${idText}` : ""}. Only equality filters on the key columns ({spec.primary_key.join(", ")}) narrow the changes.
        </>
      }
      head={
        <>
          <th>Observed</th>
          <th>PC</th>
          <th>Change</th>
          <th>Element</th>
          <th>What</th>
        </>
      }
      row={(ev) => (
        <tr key={ev.id} data-testid="change-row">
          <td>
            <Time t={ev.observed_at} />
          </td>
          <td className="nowrap">
            <Link to={`/inventory/pc/${encodeURIComponent(ev.pc_id)}/history?probe=${encodeURIComponent(job.manifest_id)}&field=${encodeURIComponent(spec.field)}`}>
              <PcId pcId={ev.pc_id} />
            </Link>
          </td>
          <td>
            <span className={`badge ${KIND_CLASS[ev.change_kind] ?? ""}`}>{ev.change_kind}</span>
          </td>
          <td className="mono">{identityLabel(ev.identity_json)}</td>
          <td className="wrap">{describeChange(ev)}</td>
        </tr>
      )}
      paging={paging}
    />
  );
}

export default function InventorySearchPage() {
  const probes = useOp("ListInventoryJobs", { limit: 1000 });
  const [f, setF] = useUrlState({ probe: "", field: "", f: "", view: "rows", kind: "", limit: "50", offset: "0" });
  const paging = urlPaging(f, setF);
  const list = useMemo(() => probes.data?.items ?? [], [probes.data]);
  const searchable = list.filter((p) => searchFields(p).length > 0);
  const job = searchable.find((p) => p.manifest_id === f.probe) ?? searchable[0];
  const fields = searchFields(job);
  const field = fields.find((x) => x.value === f.field)?.value ?? fields[0]?.value ?? "";
  const filters = decodeFilters(f.f);
  const columns = columnsOf(job, field);
  const spec = explodeSpec(job, field);
  const view = spec?.track_history && f.view === "changes" ? "changes" : "rows";
  return (
    <div className="page" data-testid="page-inventory-search">
      <Link to="/inventory">← inventory</Link>
      <PageHeader title="Inventory search" sub="Which PCs have … ? Search the tables a probe's inventory.explode makes of its arrays (one row per element, e.g. per installed app), or its display fields (one row per PC)." />
      <QueryView q={probes}>
        {() =>
          searchable.length === 0 ? (
            <Card testId="inventory-search-empty">
              <Empty>
                No searchable probe. An inventory probe's display fields are searchable once it has some; add <code>inventory.explode</code> to one on{" "}
                <Link to="/jobs">Jobs</Link> to search the elements of its arrays (e.g. installed apps); <code>track_history: true</code> also keeps their changes.
              </Empty>
            </Card>
          ) : (
            <>
              <Card>
                <div className="col">
                  <div className="filters">
                    <label className="field">
                      <span>Probe</span>
                      <select value={job?.manifest_id ?? ""} onChange={(e) => setF({ probe: e.target.value, field: "", f: "", view: "", kind: "" })} data-testid="search-probe">
                        {searchable.map((p) => (
                          <option key={p.manifest_id} value={p.manifest_id}>
                            {p.manifest_id} ({p.pc_count} {p.pc_count === 1 ? "PC" : "PCs"})
                          </option>
                        ))}
                      </select>
                    </label>
                    <label className="field">
                      <span>Field</span>
                      <select value={field} onChange={(e) => setF({ field: e.target.value, f: "", view: "", kind: "" })} data-testid="search-field">
                        {fields.map((x) => (
                          <option key={x.value} value={x.value}>
                            {x.label}
                          </option>
                        ))}
                      </select>
                    </label>
                    {job?.description && <span className="muted small">{job.description}</span>}
                  </div>
                  {/* keyed: another probe or field starts with a fresh form */}
                  <FilterEditor key={`${job?.manifest_id}/${field}/${f.f}`} columns={columns} initial={filters} onSearch={(fs) => setF({ f: encodeFilters(fs) })} />
                </div>
              </Card>
              {spec?.track_history && (
                <div className="seg" role="tablist" aria-label="Show" data-testid="search-view">
                  <button type="button" role="tab" aria-selected={view === "rows"} aria-pressed={view === "rows"} onClick={() => setF({ view: "rows" })}>
                    Rows found
                  </button>
                  <button type="button" role="tab" aria-selected={view === "changes"} aria-pressed={view === "changes"} onClick={() => setF({ view: "changes" })} data-testid="search-view-changes">
                    Changes across the fleet
                  </button>
                </div>
              )}
              {job && field && view === "rows" && <Results key={`${job.manifest_id}/${field}`} job={job} field={field} filters={filters} paging={paging} />}
              {job && spec && view === "changes" && <FleetChanges key={`${job.manifest_id}/${field}`} job={job} spec={spec} filters={filters} paging={paging} kind={f.kind} onKind={(k) => setF({ kind: k })} />}
            </>
          )
        }
      </QueryView>
    </div>
  );
}
