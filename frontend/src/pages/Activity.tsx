import { useMemo, useState } from "react";
import { useLocation } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import type { Result, ResultStatus } from "../api";
import { opQuery, useOp } from "../api/hooks";
import { TimePresetSelect } from "../components/TimePreset";
import { PageHeader, Spinner, errorMessage, useNow } from "../components/ui";
import { headCells, resultColumns, resultIdColumn, rowCells, type Column } from "../components/ResultColumns";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { presetSince } from "../format";
import { useFilterInput, useUrlState } from "../lib/hooks";
import { FAST } from "../lib/refresh";
import { SimMark } from "../components/Simulated";

const PREVIEW = 200;

function OutputPreview({ r }: { r: Result }) {
  const qc = useQueryClient();
  const [full, setFull] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const truncated = r.stdout_truncated || r.stderr_truncated;
  const shown = full ?? r;
  const more = async () => {
    setBusy(true);
    setErr(null);
    try {
      setFull(await qc.fetchQuery(opQuery("GetResult", { result_id: r.result_id })));
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  if (!shown.stdout && !shown.stderr) return <span className="muted small">no output</span>;
  return (
    <div className="col" style={{ gap: 2 }}>
      {shown.stdout && <pre className={`preview${full ? " expanded" : ""}`}>{shown.stdout}{!full && r.stdout_truncated ? "…" : ""}</pre>}
      {shown.stderr && (
        <pre className={`preview${full ? " expanded" : ""}`} style={{ color: "var(--fail)" }}>
          {shown.stderr}
          {!full && r.stderr_truncated ? "…" : ""}
        </pre>
      )}
      {truncated && !full && (
        <button type="button" className="btn-sm btn-ghost" style={{ alignSelf: "flex-start" }} onClick={() => void more()} disabled={busy} data-testid="show-more">
          {busy ? <Spinner /> : null} show more
          {r.stdout_len !== undefined ? ` (${(r.stdout_len + (r.stderr_len ?? 0)).toLocaleString("en-US")} chars)` : ""}
        </button>
      )}
      {full && (
        <button type="button" className="btn-sm btn-ghost" style={{ alignSelf: "flex-start" }} onClick={() => setFull(null)}>
          show less
        </button>
      )}
      {err && <span className="error-text">{err}</span>}
    </div>
  );
}

export default function ActivityPage() {
  const [f, setF] = useUrlState({ pc_id: "", job_id: "", exec_id: "", status: "", since: "24h", q: "", limit: "50", offset: "0" });
  const [pcText, setPcText] = useFilterInput(f.pc_id, (v) => setF({ pc_id: v }));
  const [jobText, setJobText] = useFilterInput(f.job_id, (v) => setF({ job_id: v }));
  const [execText, setExecText] = useFilterInput(f.exec_id, (v) => setF({ exec_id: v }));
  const [qText, setQText] = useFilterInput(f.q, (v) => setF({ q: v }));
  const now = useNow(60_000);
  const since = useMemo(() => presetSince(f.since, Math.floor(now / 60_000) * 60_000), [f.since, now]);
  const paging = urlPaging(f, setF);
  const { limit, offset } = paging;
  const results = useOp(
    "ListResults",
    {
      pc_id: f.pc_id.trim() || undefined,
      job_id: f.job_id.trim() || undefined,
      exec_id: f.exec_id.trim() || undefined,
      status: (f.status || undefined) as ResultStatus | undefined,
      since,
      q: f.q || undefined,
      preview: PREVIEW,
      limit,
      offset,
    },
    { refetchInterval: FAST, placeholderData: (p) => p },
  );
  const agents = useOp("ListAgents", { limit: 1000 });
  const jobs = useOp("ListJobs", { limit: 1000 });
  const loc = useLocation();
  const filtered = f.pc_id || f.job_id || f.exec_id || f.status || f.q;
  const columns: Column<Result>[] = [
    resultIdColumn(loc.search),
    {
      ...resultColumns.pc,
      cell: (r) => (
        <>
          <button type="button" className="btn-ghost btn-sm" style={{ padding: 0, minHeight: 0, color: "inherit" }} onClick={() => setF({ pc_id: r.pc_id })} title="Filter by this PC">
            {r.pc_id}
          </button>
          <SimMark pcId={r.pc_id} />
        </>
      ),
    },
    resultColumns.job,
    resultColumns.exec,
    resultColumns.exit,
    resultColumns.started,
    resultColumns.finishedAgo,
    resultColumns.duration,
    { key: "output", head: "Output", style: { minWidth: 240 }, cell: (r) => <OutputPreview r={r} /> },
  ];

  return (
    <div className="page" data-testid="page-activity">
      <PageHeader title="Activity" sub="Every result the agents reported, newest first.">
        {filtered && (
          <button type="button" className="btn-sm" onClick={() => setF({ pc_id: "", job_id: "", exec_id: "", status: "", q: "" })}>
            Clear filters
          </button>
        )}
      </PageHeader>
      <div className="filters" role="search">
        <label className="field">
          <span>PC</span>
          <input list="activity-agents" value={pcText} onChange={(e) => setPcText(e.target.value)} placeholder="exact pc_id" data-testid="filter-pc" />
          <datalist id="activity-agents">
            {(agents.data?.items ?? []).map((a) => (
              <option key={a.pc_id} value={a.pc_id} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>Job</span>
          <input list="activity-jobs" value={jobText} onChange={(e) => setJobText(e.target.value)} placeholder="job id" data-testid="filter-job" />
          <datalist id="activity-jobs">
            {(jobs.data?.items ?? []).map((j) => (
              <option key={j.id} value={j.id} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>Exec</span>
          <input value={execText} onChange={(e) => setExecText(e.target.value)} placeholder="exec_id" data-testid="filter-exec" />
        </label>
        <label className="field">
          <span>Status</span>
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })} data-testid="filter-status">
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="skipped">skipped</option>
            <option value="running">running</option>
          </select>
        </label>
        <TimePresetSelect value={f.since} onChange={(v) => setF({ since: v })} testId="filter-since" />
        <label className="field">
          <span>Text in output</span>
          <input type="search" value={qText} onChange={(e) => setQText(e.target.value)} placeholder="search stdout/stderr" data-testid="filter-q" />
        </label>
      </div>
      <PagedTable
        q={results}
        empty={filtered || f.since !== "all" ? "No results match these filters." : "No results yet."}
        testId="table-results"
        head={headCells(columns)}
        row={(r) => (
          <tr key={r.result_id} data-testid="result-row">
            {rowCells(columns, r)}
          </tr>
        )}
        paging={paging}
      />
    </div>
  );
}
