import { Link, useParams } from "react-router-dom";
import { isNotFound, type Execution } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { useConfirm, useToast } from "../components/overlay";
import { Card, ErrorState, ExecStatusBadge, Loading, PageHeader, Progress, RelTime, Time, errorMessage } from "../components/ui";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { shortId } from "../format";
import { headCells, resultColumns, rowCells } from "../components/ResultColumns";
import { useUrlState } from "../lib/hooks";
import { FAST } from "../lib/refresh";
import { PcId } from "../components/Simulated";
import { Can } from "../components/Access";

/** PCs with no result yet; skipped results (newer agents) are counted apart from failures. */
export function pendingCount(e: Pick<Execution, "target_count" | "success_count" | "failure_count" | "skipped_count">): number {
  return Math.max(0, e.target_count - e.success_count - e.failure_count - (e.skipped_count ?? 0));
}

function Counts({ e }: { e: Execution }) {
  return (
    <span className="small nowrap" style={{ fontVariantNumeric: "tabular-nums" }}>
      <span style={{ color: "var(--ok)" }}>{e.success_count} ok</span> · <span style={{ color: e.failure_count ? "var(--fail)" : undefined }}>{e.failure_count} failed</span> ·{" "}
      {e.skipped_count ? (
        <>
          <span style={{ color: "var(--warn)" }}>{e.skipped_count} skipped</span> ·{" "}
        </>
      ) : null}
      <span className="muted">{pendingCount(e)} pending</span> <span className="muted">/ {e.target_count}</span>
    </span>
  );
}

export function ExecutionsPage() {
  const [f, setF] = useUrlState({ job_id: "", status: "", limit: "50", offset: "0" });
  const paging = urlPaging(f, setF);
  const { limit, offset } = paging;
  const q = useOp("ListExecutions", { job_id: f.job_id || undefined, status: f.status || undefined, limit, offset }, { refetchInterval: FAST, placeholderData: (p) => p });
  const jobs = useOp("ListJobs", { limit: 1000 });
  return (
    <div className="page" data-testid="page-executions">
      <PageHeader title="Executions" sub="Fan-outs of catalog jobs (from Exec and from schedules), newest first.">
        <Can action="operate">
          <Link className="btn btn-primary" to="/exec">
            New exec
          </Link>
        </Can>
      </PageHeader>
      <div className="filters">
        <label className="field">
          <span>Job</span>
          <select value={f.job_id} onChange={(e) => setF({ job_id: e.target.value })} data-testid="executions-job">
            <option value="">any</option>
            {(jobs.data?.items ?? []).map((j) => (
              <option key={j.id} value={j.id}>
                {j.id}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })} data-testid="executions-status">
            <option value="">any</option>
            <option value="pending">pending</option>
            <option value="running">running</option>
            <option value="completed">completed</option>
            <option value="expired">expired</option>
          </select>
        </label>
      </div>
      <PagedTable
        q={q}
        empty={f.job_id || f.status ? "No executions match." : "No executions yet. Fire one from Exec."}
        testId="table-executions"
        head={
          <>
            <th>Exec</th>
            <th>Job</th>
            <th>Status</th>
            <th style={{ minWidth: 160 }}>Progress</th>
            <th>Counts</th>
            <th>Initiated by</th>
            <th>Initiated</th>
          </>
        }
        row={(e) => (
          <tr key={e.exec_id} data-testid="execution-row">
            <td className="mono">
              <Link to={`/executions/${e.exec_id}`} title={e.exec_id}>
                {shortId(e.exec_id)}
              </Link>
            </td>
            <td className="nowrap">
              {e.job_id} <span className="muted small">v{e.version}</span>
            </td>
            <td>
              <ExecStatusBadge status={e.status} />
            </td>
            <td>
              <Progress target={e.target_count} success={e.success_count} failure={e.failure_count} skipped={e.skipped_count} />
            </td>
            <td>
              <Counts e={e} />
            </td>
            <td>{e.initiated_by}</td>
            <td>
              <RelTime t={e.initiated_at} />
            </td>
          </tr>
        )}
        paging={paging}
      />
    </div>
  );
}

// The detail route answers up to 10,000 per-PC rows; a fleet-wide exec polled
// every few seconds would move megabytes. The page asks it for the counters
// and the first in-flight runs only, and pages the results itself.
const INFLIGHT_SHOWN = 200;

const RESULT_COLUMNS = [resultColumns.result, resultColumns.pc, resultColumns.exit, resultColumns.started, resultColumns.finished, resultColumns.duration];

export function ExecutionDetailPage() {
  const { execId = "" } = useParams();
  const q = useOp("GetExecution", { exec_id: execId, results_limit: 0, inflight_limit: INFLIGHT_SHOWN }, { refetchInterval: FAST });
  const [f, setF] = useUrlState({ status: "", limit: "50", offset: "0" });
  const paging = urlPaging(f, setF);
  const status = f.status === "success" || f.status === "failure" || f.status === "skipped" ? f.status : undefined;
  const rq = useOp(
    "ListResults",
    { exec_id: execId, status, preview: 1, limit: paging.limit, offset: paging.offset },
    { refetchInterval: FAST, placeholderData: (p) => p },
  );
  const confirm = useConfirm();
  const toast = useToast();
  const kill = useOpMutation("KillExecution", {
    onSuccess: () => toast.ok(`Kill sent to every agent running ${shortId(execId)}.`),
    onError: (e) => toast.error(`Kill failed: ${errorMessage(e)}`),
  });
  const back = <Link to="/executions">← executions</Link>;
  if (q.isPending)
    return (
      <div className="page" data-testid="page-execution">
        {back}
        <Loading />
      </div>
    );
  if (q.isError && !q.data)
    return (
      <div className="page" data-testid="page-execution">
        {back}
        <Card>{isNotFound(q.error) ? <div className="state">No execution with id <code>{execId}</code>.</div> : <ErrorState error={q.error} onRetry={() => void q.refetch()} />}</Card>
      </div>
    );
  const { execution: e, inflight } = q.data!;
  const inflightTotal = e.inflight_count ?? inflight.length;
  const active = e.status === "pending" || e.status === "running" || (inflight?.length ?? 0) > 0;
  const onKill = async () => {
    const ok = await confirm({
      title: "Kill this execution?",
      body: (
        <p>
          Publishes <code>kill.{e.exec_id}</code>. Every agent still running <strong>{e.job_id}</strong> for this execution stops it (exit −1). Finished results are kept.
        </p>
      ),
      confirmLabel: "Kill",
      danger: true,
    });
    if (ok) kill.mutate({ exec_id: execId });
  };
  return (
    <div className="page" data-testid="page-execution">
      {back}
      <PageHeader title={`Execution ${shortId(e.exec_id)}`}>
        <ExecStatusBadge status={e.status} />
        <Link className="btn" to={`/activity?exec_id=${e.exec_id}&since=all`}>
          Results in Activity
        </Link>
        <Can action="operate">
          <button type="button" className="btn-danger" onClick={() => void onKill()} disabled={kill.isPending} data-testid="kill-execution">
            {kill.isPending ? "Killing…" : "Kill"}
          </button>
        </Can>
      </PageHeader>
      {!active && <div className="banner banner-info small">This execution is {e.status}; Kill still publishes the signal in case an agent is running late.</div>}
      <Card title="Progress" testId="execution-progress">
        <div className="col">
          <Progress target={e.target_count} success={e.success_count} failure={e.failure_count} skipped={e.skipped_count} large />
          <div className="legend">
            <span>
              <i style={{ background: "var(--ok)" }} />
              {e.success_count} succeeded
            </span>
            <span>
              <i style={{ background: "var(--fail)" }} />
              {e.failure_count} failed
            </span>
            {e.skipped_count ? (
              <span>
                <i style={{ background: "var(--warn)" }} />
                {e.skipped_count} skipped
              </span>
            ) : null}
            <span>
              <i style={{ background: "var(--pending)" }} />
              {pendingCount(e)} pending
            </span>
            <span>target {e.target_count}</span>
            {e.inflight_count !== undefined && <span>{e.inflight_count} in flight</span>}
          </div>
          <dl className="kv">
            <dt>Exec id</dt>
            <dd className="mono">{e.exec_id}</dd>
            <dt>Job</dt>
            <dd>
              <Link to={`/jobs`}>{e.job_id}</Link> <span className="muted">v{e.version}</span>
            </dd>
            <dt>Initiated by</dt>
            <dd>{e.initiated_by}</dd>
            <dt>Initiated at</dt>
            <dd>
              <Time t={e.initiated_at} /> (<RelTime t={e.initiated_at} />)
            </dd>
          </dl>
          <p className="muted small">target_count is the number of PCs the targets resolved to when the exec fired (the number of subjects when none resolved).</p>
        </div>
      </Card>
      {inflight && inflight.length > 0 && (
        <Card title={inflightTotal > inflight.length ? `In flight (first ${inflight.length} of ${inflightTotal})` : `In flight (${inflight.length})`} flush>
          <div className="table-wrap">
            <table className="table" data-testid="table-inflight">
              <thead>
                <tr>
                  <th>PC</th>
                  <th>Started</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {inflight.map((r) => (
                  <tr key={r.pc_id}>
                    <td>
                      <PcId pcId={r.pc_id} />
                    </td>
                    <td>
                      <RelTime t={r.started_at} />
                    </td>
                    <td>
                      {r.result_id && (
                        <Link className="btn btn-sm" to={`/running?result=${encodeURIComponent(r.result_id)}`} data-testid="inflight-watch">
                          Watch output
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      <PagedTable
        q={rq}
        empty={status ? `No ${status === "success" ? "successful" : status === "skipped" ? "skipped" : "failed"} results.` : "No results yet."}
        testId="table-execution-results"
        head={headCells(RESULT_COLUMNS)}
        row={(r) => <tr key={r.result_id}>{rowCells(RESULT_COLUMNS, r)}</tr>}
        paging={paging}
        title={`Results${rq.data ? ` (${rq.data.total}${rq.data.total >= 10_000 ? "+" : ""})` : ""}`}
        actions={
          <div className="row" role="group" aria-label="Filter results by outcome" data-testid="execution-results-status">
            {(
              [
                ["", "All"],
                ["success", "Succeeded"],
                ["failure", "Failed"],
                ["skipped", "Skipped"],
              ] as const
            ).map(([v, label]) => (
              <button key={v || "all"} type="button" aria-pressed={f.status === v} className={f.status === v ? "btn-primary" : undefined} onClick={() => setF({ status: v })}>
                {label}
              </button>
            ))}
          </div>
        }
      />
    </div>
  );
}
