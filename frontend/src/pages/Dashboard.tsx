import { Link } from "react-router-dom";
import { useMemo } from "react";
import { useOp } from "../api/hooks";
import { statusOnline, type FleetHealth } from "../api";
import { ResultsChart } from "../components/BarChart";
import { Card, ErrorState, Loading, PageHeader, QueryView, RelTime, Stat, useNow } from "../components/ui";
import { ListTable } from "../components/PagedTable";
import { headCells, resultColumns, rowCells } from "../components/ResultColumns";
import { formatNumber, presetSince } from "../format";
import { bucketResultsPerHour } from "../lib/chart";
import { FAST, SLOW } from "../lib/refresh";
import { GetStarted } from "./Connect";

const RECENT_COLUMNS = [resultColumns.result, resultColumns.pc, resultColumns.job, resultColumns.exit, resultColumns.finishedAgo];

function healthExplain(h: FleetHealth): string {
  if (h.status === "unknown") return "No agents have reported yet.";
  const parts: string[] = [];
  if (h.jetstream.missing.length) parts.push(`missing JetStream resources: ${h.jetstream.missing.join(", ")}`);
  if (h.agents.stale) parts.push(`${h.agents.stale} stale agent${h.agents.stale === 1 ? "" : "s"}`);
  return parts.length ? parts.join("; ") : "All agents active and all JetStream resources present.";
}

export default function DashboardPage() {
  const health = useOp("GetFleetHealth", {}, { refetchInterval: FAST });
  const status = useOp("GetStatus", {}, { refetchInterval: FAST });
  const recent = useOp("ListResults", { limit: 8, preview: 120 }, { refetchInterval: FAST });
  const audit = useOp("ListAudit", { limit: 8 }, { refetchInterval: FAST });
  const now = useNow(60_000);
  // `since` is fixed per minute so the query key is stable between polls.
  const since = useMemo(() => presetSince("24h", Math.floor(now / 60_000) * 60_000)!, [now]);
  const day = useOp("ListResults", { since, limit: 1000, preview: 1 }, { refetchInterval: SLOW, placeholderData: (p) => p });
  const buckets = useMemo(() => bucketResultsPerHour(day.data?.items ?? [], Date.now()), [day.data]);

  const h = health.data;
  const s = status.data;
  const lag = s?.projectors.reduce((m, p) => Math.max(m, p.lag ?? 0), 0);
  const lagging = s?.projectors.filter((p) => (p.lag ?? 0) > 0).map((p) => p.name);

  return (
    <div className="page" data-testid="page-dashboard">
      <PageHeader title="Dashboard" />

      {health.isPending ? (
        <Loading label="Checking fleet health…" />
      ) : health.isError && !h ? (
        <ErrorState error={health.error} onRetry={() => void health.refetch()} title="Fleet health unavailable" />
      ) : h ? (
        <div className={`banner ${h.status === "ok" ? "banner-ok" : h.status === "degraded" ? "banner-error" : "banner-warn"}`} data-testid="fleet-health" data-status={h.status}>
          <strong>Fleet {h.status}</strong> — {healthExplain(h)} <span className="muted small">(observed <RelTime t={h.observed_at} />)</span>
        </div>
      ) : null}
      {h?.status === "unknown" && <GetStarted />}

      <div className="stats">
        <Stat
          label="Agents online"
          value={h ? `${h.agents.active} / ${h.agents.known}` : s ? `${statusOnline(s)} / ${s.agents.known}` : "—"}
          hint={h ? `${h.agents.stale} stale` : s ? `${s.agents.stale} stale` : undefined}
          testId="stat-agents"
          to="/agents"
        />
        <Stat
          label="Results (24 h)"
          value={h ? formatNumber(h.recent_results.total) : "—"}
          hint={h ? <span className={h.recent_results.failed ? "error-text" : undefined}>{formatNumber(h.recent_results.failed)} failed</span> : undefined}
          testId="stat-results"
          to="/activity?since=24h"
        />
        <Stat label="JetStream" value={h ? `${h.jetstream.healthy} / ${h.jetstream.total}` : "—"} hint={h ? (h.jetstream.missing.length ? `missing: ${h.jetstream.missing.join(", ")}` : "resources present") : undefined} to="/status" />
        <Stat
          label="Projector lag"
          value={status.isError && !s ? "?" : lag === undefined ? "—" : formatNumber(lag)}
          hint={lagging && lagging.length ? lagging.join(", ") : s ? "all caught up" : undefined}
          testId="stat-lag"
          to="/status"
        />
        <Stat label="Dead letters" value={s ? formatNumber(s.dead_letters) : "—"} to="/status" />
      </div>

      <Card title="Results per hour (last 24 h)" testId="card-chart">
        <QueryView q={day}>{() => <ResultsChart buckets={buckets} />}</QueryView>
        {day.data && day.data.total > day.data.items.length && (
          <p className="muted small">Chart counts the newest {day.data.items.length} of {formatNumber(day.data.total)} results.</p>
        )}
      </Card>

      <div className="grid grid-2">
        <ListTable
          q={recent}
          title="Recent results"
          actions={<Link to="/activity">All activity →</Link>}
          cardTestId="card-recent-results"
          empty="No results yet."
          testId="table-recent-results"
          head={headCells(RECENT_COLUMNS)}
          row={(r) => <tr key={r.result_id}>{rowCells(RECENT_COLUMNS, r)}</tr>}
        />
        <ListTable
          q={audit}
          title="Recent audit events"
          actions={<Link to="/audit">All audit →</Link>}
          cardTestId="card-recent-audit"
          empty="No audit events yet."
          testId="table-recent-audit"
          head={
            <>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
            </>
          }
          row={(a) => (
            <tr key={a.id} title={a.payload === null || a.payload === undefined ? undefined : JSON.stringify(a.payload, null, 1)}>
              <td>
                <RelTime t={a.occurred_at} />
              </td>
              <td>{a.actor}</td>
              <td>
                <span className="badge badge-accent">{a.action}</span>
              </td>
              <td className="ellipsis" style={{ maxWidth: 160 }}>{a.target ?? <span className="muted">—</span>}</td>
            </tr>
          )}
        />
      </div>
    </div>
  );
}
