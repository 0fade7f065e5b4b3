import { Fragment, useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import type { DisplayField, InventoryRow } from "../api";
import { useOp } from "../api/hooks";
import { Can } from "../components/Access";
import { Card, Empty, JsonView, OnlineBadge, PageHeader, QueryView, RelTime } from "../components/ui";
import { formatFact } from "../format";
import { useUrlState } from "../lib/hooks";
import { SLOW } from "../lib/refresh";

function factOf(facts: unknown, field: string): unknown {
  if (facts && typeof facts === "object" && !Array.isArray(facts)) return (facts as Record<string, unknown>)[field];
  return undefined;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function FleetTable({ probe }: { probe: string }) {
  const q = useOp("GetInventoryByJob", { manifest_id: probe, limit: 1000 }, { refetchInterval: SLOW });
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: "pc_id", dir: 1 });
  const cols: DisplayField[] = useMemo(() => (q.data ? (q.data.summary?.length ? q.data.summary : q.data.display) ?? [] : []), [q.data]);
  const rows = useMemo(() => {
    const all = q.data?.rows ?? [];
    const f = filter.trim().toLowerCase();
    const val = (r: InventoryRow) => (sort.key === "pc_id" ? r.pc_id : sort.key === "collected_at" ? r.collected_at : factOf(r.facts, sort.key));
    return all.filter((r) => !f || r.pc_id.toLowerCase().includes(f) || JSON.stringify(r.facts).toLowerCase().includes(f)).sort((a, b) => compare(val(a), val(b)) * sort.dir);
  }, [q.data, filter, sort]);
  const th = (key: string, label: string) => (
    <th aria-sort={sort.key === key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
      <button type="button" className="btn-ghost btn-sm" style={{ padding: 0, minHeight: 0, font: "inherit", color: "inherit", textTransform: "inherit" }} onClick={() => setSort((s) => ({ key, dir: s.key === key ? (s.dir === 1 ? -1 : 1) : 1 }))}>
        {label}
        {sort.key === key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
  return (
    <QueryView q={q} isEmpty={(d) => d.rows.length === 0} empty="No PC has reported this probe yet.">
      {(d) => (
        <>
          <div className="row" style={{ padding: "8px 12px", borderBottom: "1px solid var(--border)" }}>
            <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter PCs or values" aria-label="Filter inventory rows" data-testid="inventory-filter" />
            <span className="muted small">
              {rows.length} of {d.rows.length} PCs
            </span>
          </div>
          <div className="table-wrap">
            <table className="table" data-testid="table-inventory">
              <thead>
                <tr>
                  {th("pc_id", "PC")}
                  {cols.map((c) => (
                    <Fragment key={c.field}>{th(c.field, c.label)}</Fragment>
                  ))}
                  {th("collected_at", "Collected")}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.pc_id}>
                    <td>
                      <Link to={`/inventory/pc/${encodeURIComponent(r.pc_id)}`}>
                        <strong>{r.pc_id}</strong>
                      </Link>
                    </td>
                    {cols.map((c) => (
                      <td key={c.field} className={c.type === "bytes" || c.type === "number" ? "num nowrap" : undefined}>
                        {formatFact(factOf(r.facts, c.field), c.type)}
                      </td>
                    ))}
                    <td>
                      <RelTime t={r.collected_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </QueryView>
  );
}

export default function InventoryPage() {
  const probes = useOp("ListInventoryJobs", { limit: 1000 }, { refetchInterval: SLOW });
  const [f, setF] = useUrlState({ probe: "" });
  const list = probes.data?.items ?? [];
  const probe = f.probe || list[0]?.manifest_id || "";
  const current = list.find((p) => p.manifest_id === probe);
  return (
    <div className="page" data-testid="page-inventory">
      <PageHeader title="Inventory" sub="Facts collected by inventory probes (jobs with an inventory hint). Click a PC for everything known about it.">
        <Link className="btn" to={`/inventory/search${probe ? `?probe=${encodeURIComponent(probe)}` : ""}`} data-testid="inventory-search-link">
          Search
        </Link>
      </PageHeader>
      {/* the empty state sits in a card like every other page's */}
      {probes.data?.items.length === 0 ? (
        <Card testId="inventory-empty">
          <Empty>
            No inventory probes. Add an <code>inventory:</code> hint to a job on <Link to="/jobs">Jobs</Link>.
          </Empty>
        </Card>
      ) : (
        <QueryView q={probes}>
          {(d) => (
            <>
              <div className="seg" role="tablist" aria-label="Inventory probes" style={{ flexWrap: "wrap", alignSelf: "flex-start" }} data-testid="inventory-probes">
                {d.items.map((p) => (
                  <button key={p.manifest_id} type="button" role="tab" aria-selected={p.manifest_id === probe} aria-pressed={p.manifest_id === probe} onClick={() => setF({ probe: p.manifest_id })}>
                    {p.manifest_id}
                  </button>
                ))}
              </div>
              {probe && (
                <Card title={current?.manifest_id ?? probe} actions={current?.description ? <span className="muted small">{current.description}</span> : undefined} flush>
                  <FleetTable probe={probe} />
                </Card>
              )}
            </>
          )}
        </QueryView>
      )}
    </div>
  );
}

export function PcInventoryPage() {
  const { pcId = "" } = useParams();
  const q = useOp("ListPcInventory", { pc_id: pcId }, { refetchInterval: SLOW });
  const agent = useOp("GetAgent", { pc_id: pcId }, { retry: false });
  return (
    <div className="page" data-testid="page-pc-inventory">
      <Link to="/inventory">← inventory</Link>
      <PageHeader title={pcId}>
        {agent.data && <OnlineBadge online={agent.data.online} />}
        <Link className="btn btn-sm" to={`/inventory/pc/${encodeURIComponent(pcId)}/history`} data-testid="pc-history-link">
          History
        </Link>
        <Link className="btn btn-sm" to={`/activity?pc_id=${encodeURIComponent(pcId)}`}>
          Activity
        </Link>
        <Can action="operate">
          <Link className="btn btn-sm" to={`/run?pc=${encodeURIComponent(pcId)}`}>
            Run
          </Link>
        </Can>
      </PageHeader>
      {agent.data && (
        <p className="muted small">
          {agent.data.hostname ?? "—"} · {agent.data.os_family ?? "?"} · agent {agent.data.agent_version ?? "?"} · last heartbeat <RelTime t={agent.data.last_heartbeat} />
          {agent.data.groups?.length ? ` · groups ${agent.data.groups.join(", ")}` : ""}
        </p>
      )}
      {q.data?.items.length === 0 ? (
        <Card testId="inventory-empty">
          <Empty>No inventory facts for {pcId}.</Empty>
        </Card>
      ) : (
        <QueryView q={q}>
          {(d) => (
            <div className="grid grid-2">
              {d.items.map((e) => {
                const fields: DisplayField[] = e.display?.length ? e.display : Object.keys((e.facts as object) ?? {}).map((k) => ({ field: k, label: k }));
                return (
                  <Card key={e.job_id} title={e.job_id} actions={
                      <span className="row small">
                        <span className="muted">
                          collected <RelTime t={e.collected_at} />
                        </span>
                        <Link to={`/inventory/pc/${encodeURIComponent(pcId)}/history?probe=${encodeURIComponent(e.job_id)}`} data-testid="pc-probe-history">
                          history
                        </Link>
                      </span>
                    } testId={`pc-probe-${e.job_id}`}>
                    {fields.length === 0 ? (
                      <Empty>No facts.</Empty>
                    ) : (
                      <dl className="kv">
                        {fields.map((f) => (
                          <div key={f.field} style={{ display: "contents" }}>
                            <dt>{f.label}</dt>
                            <dd className={f.type === "bytes" || f.type === "number" ? "mono" : undefined}>{formatFact(factOf(e.facts, f.field), f.type)}</dd>
                          </div>
                        ))}
                      </dl>
                    )}
                    <div style={{ marginTop: 8 }}>
                      <JsonView value={e.facts} summary="raw facts" />
                    </div>
                  </Card>
                );
              })}
            </div>
          )}
        </QueryView>
      )}
    </div>
  );
}
