// One PC's inventory history (kanade-latest-features §3.3–3.4): the changes
// the projector recorded for a probe — elements of tracked explode tables
// added / removed / changed, and history_scalars values — as a timeline,
// newest first, grouped by day and field, with when the PC was first seen.
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import type { HistoryRow, InventoryJob } from "../api";
import { useOp } from "../api/hooks";
import { Card, Empty, JsonView, PageHeader, QueryView, RelTime, Time, useNow } from "../components/ui";
import { presetSince } from "../format";
import { useUrlState } from "../lib/hooks";
import { describeChange, groupTimeline, identityLabel, kindCounts, parseJsonText } from "../lib/inventory";
import { SLOW } from "../lib/refresh";

const KIND_CLASS: Record<string, string> = { added: "badge-ok", removed: "badge-fail", changed: "badge-info" };

export const HISTORY_SINCE = ["all", "24h", "7d", "30d", "90d"] as const;

/** The fields of a probe that keep history: its explode tables with track_history, then its history_scalars. */
export function trackedFields(job: Pick<InventoryJob, "explode" | "history_scalars"> | undefined): string[] {
  return [...(job?.explode ?? []).filter((e) => e.track_history).map((e) => e.field), ...(job?.history_scalars ?? [])];
}

function KindBadge({ kind }: { kind: string }) {
  return (
    <span className={`badge ${KIND_CLASS[kind] ?? ""}`} data-testid="history-kind">
      {kind}
    </span>
  );
}

function Event({ ev }: { ev: HistoryRow }) {
  const id = identityLabel(ev.identity_json);
  return (
    <li className="tl-event" data-testid="history-event" data-kind={ev.change_kind}>
      <Time t={ev.observed_at} />
      <KindBadge kind={ev.change_kind} />
      {id && <strong className="mono">{id}</strong>}
      <span className="what">{describeChange(ev)}</span>
      {(ev.before_json || ev.after_json) && (
        <details className="json">
          <summary className="muted small">before / after</summary>
          <div className="grid grid-2">
            <JsonView value={parseJsonText(ev.before_json) ?? null} summary="before" open />
            <JsonView value={parseJsonText(ev.after_json) ?? null} summary="after" open />
          </div>
        </details>
      )}
    </li>
  );
}

function FirstSeen({ probe, field, pcId }: { probe: string; field: string; pcId: string }) {
  // first_seen answers every PC of the field (MIN(observed_at) per PC); this
  // page needs one of them.
  const q = useOp("InventoryFirstSeen", { manifest_id: probe, field, limit: 5000 }, { staleTime: 60_000, retry: false });
  const row = q.data?.items.find((r) => r.pc_id === pcId);
  if (!q.data) return null;
  return (
    <span className="small" data-testid="history-first-seen">
      First seen in <code>{field}</code>: {row ? <Time t={row.first_seen_at} /> : <span className="muted">not recorded</span>}
    </span>
  );
}

export default function PcHistoryPage() {
  const { pcId = "" } = useParams();
  const [f, setF] = useUrlState({ probe: "", field: "", since: "all", limit: "500" });
  const pcProbes = useOp("ListPcInventory", { pc_id: pcId });
  const jobs = useOp("ListInventoryJobs", { limit: 1000 }, { staleTime: 60_000 });
  const probes = (pcProbes.data?.items ?? []).map((e) => e.job_id);
  const probe = f.probe || probes[0] || "";
  const job = jobs.data?.items.find((j) => j.manifest_id === probe);
  const now = useNow(60_000);
  // Rounded to the minute: a fresh timestamp on every render would be a new query each time.
  const since = useMemo(() => (f.since === "all" ? undefined : presetSince(f.since, Math.floor(now / 60_000) * 60_000)), [f.since, now]);
  const limit = Number(f.limit) || 500;
  const q = useOp(
    "InventoryHistory",
    { manifest_id: probe, pc_id: pcId, field: f.field || undefined, since, limit },
    { enabled: probe !== "", refetchInterval: SLOW, placeholderData: (p) => p },
  );
  const events = q.data?.items ?? [];
  const fields = Array.from(new Set([...trackedFields(job), ...events.map((e) => e.field_path), ...(f.field ? [f.field] : [])])).sort();
  const counts = kindCounts(events);
  return (
    <div className="page" data-testid="page-pc-history">
      <Link to={`/inventory/pc/${encodeURIComponent(pcId)}`}>← {pcId}</Link>
      <PageHeader title={`History of ${pcId}`} sub="Changes recorded at each collection: elements of tracked tables (track_history) and history_scalars. A collection that changed nothing records nothing." />
      <div className="filters">
        <label className="field">
          <span>Probe</span>
          <select value={probe} onChange={(e) => setF({ probe: e.target.value, field: "" })} data-testid="history-probe">
            {probes.length === 0 && <option value="">—</option>}
            {probes.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Field</span>
          <select value={f.field} onChange={(e) => setF({ field: e.target.value })} data-testid="history-field">
            <option value="">all fields</option>
            {fields.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Since</span>
          <select value={f.since} onChange={(e) => setF({ since: e.target.value })} data-testid="history-since">
            {HISTORY_SINCE.map((s) => (
              <option key={s} value={s}>
                {s === "all" ? "all time" : `last ${s}`}
              </option>
            ))}
          </select>
        </label>
        <Link className="btn btn-sm" to={`/inventory/search?probe=${encodeURIComponent(probe)}`}>
          Search the fleet
        </Link>
      </div>
      {pcProbes.data?.items.length === 0 ? (
        <Card testId="history-empty">
          <Empty>No inventory for {pcId}.</Empty>
        </Card>
      ) : (
        <Card
          title={q.data ? `${events.length}${events.length >= limit ? "+" : ""} changes` : "Changes"}
          actions={
            <div className="row">
              {f.field && probe && <FirstSeen probe={probe} field={f.field} pcId={pcId} />}
              {q.data && (
                <span className="muted small" data-testid="history-counts">
                  {counts.added} added · {counts.changed} changed · {counts.removed} removed
                </span>
              )}
            </div>
          }
          testId="history-timeline"
        >
          <QueryView
            q={q}
            isEmpty={(d) => d.items.length === 0}
            empty={
              <>
                No changes recorded{f.field ? ` for ${f.field}` : ""}
                {since ? " in this period" : ""}. History is kept for explode tables with <code>track_history: true</code> and the probe&apos;s{" "}
                <code>history_scalars</code>.
              </>
            }
          >
            {(d) => (
              <ol className="timeline">
                {groupTimeline(d.items).map((day) => (
                  <li key={day.day}>
                    <h3>{day.day}</h3>
                    {day.groups.map((g) => (
                      <div key={g.field} className="tl-group">
                        <h4>
                          <button type="button" className="btn-ghost btn-sm" style={{ padding: 0, minHeight: 0, font: "inherit" }} onClick={() => setF({ field: g.field })} title="Only this field">
                            {g.field}
                          </button>{" "}
                          <span className="muted small">
                            {g.events.length} change{g.events.length === 1 ? "" : "s"}, latest <RelTime t={g.events[0].observed_at} />
                          </span>
                        </h4>
                        <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
                          {g.events.map((ev) => (
                            <Event key={ev.id} ev={ev} />
                          ))}
                        </ul>
                      </div>
                    ))}
                  </li>
                ))}
              </ol>
            )}
          </QueryView>
          {events.length >= limit && (
            <div className="row" style={{ marginTop: 8 }}>
              <span className="muted small">Showing the newest {limit}.</span>
              {limit < 5000 && (
                <button type="button" className="btn-sm" onClick={() => setF({ limit: "5000" })}>
                  Show up to 5000
                </button>
              )}
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
