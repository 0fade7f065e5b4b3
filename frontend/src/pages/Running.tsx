// "Running now": the runs in flight (GET /api/results?status=running), the
// jobs' live counters (GET /api/jobs → live:{running,pending}), and the
// output tail of a selected run (GET /api/results/{id}/tail), polled every
// few seconds while the run is in flight and no longer once it finished.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import type { JobRow, Result, ResultTail } from "../api";
import { isNotFound } from "../api";
import { invalidateOps, useOp, useOpMutation } from "../api/hooks";
import { Can } from "../components/Access";
import { useConfirm, useToast } from "../components/overlay";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { PcId } from "../components/Simulated";
import { Card, Empty, ErrorState, ExitBadge, Loading, OutputPane, PageHeader, RelTime, Stat, errorMessage, useNow } from "../components/ui";
import { formatDuration, formatNumber, shortId } from "../format";
import { useUrlState } from "../lib/hooks";
import { tailPollInterval, tailState, type TailState } from "../lib/inventory";
import { FAST } from "../lib/refresh";

/** How often the selected run's tail is asked for (the route waits up to 3 s for the agent). */
export const TAIL_POLL_MS = 3_000;

/** Jobs with something live, busiest first. */
export function liveJobs(jobs: readonly Pick<JobRow, "id" | "live">[]): Array<{ id: string; running: number; pending: number }> {
  return jobs
    .map((j) => ({ id: j.id, running: j.live?.running ?? 0, pending: j.live?.pending ?? 0 }))
    .filter((j) => j.running + j.pending > 0)
    .sort((a, b) => b.running + b.pending - (a.running + a.pending) || a.id.localeCompare(b.id));
}

const STATE_TEXT: Record<TailState, { label: string; cls: string; help: string }> = {
  live: { label: "live", cls: "badge-ok", help: "The agent answered with the output it has so far." },
  waiting: {
    label: "waiting",
    cls: "badge-pending",
    help: "The run is in flight but its agent did not answer the tail request (yet): an agent older than v0.30, busy, or offline. Retrying every few seconds.",
  },
  finished: { label: "finished", cls: "badge-info", help: "The run finished; this is the stored output." },
};

function TailBadge({ state }: { state: TailState }) {
  const s = STATE_TEXT[state];
  return (
    <span className={`badge ${s.cls}`} title={s.help} data-testid="tail-state" data-state={state}>
      {state === "live" && <span className="dot" />}
      {s.label}
    </span>
  );
}

function RunTail({ run, onClose }: { run: Result; onClose: () => void }) {
  const qc = useQueryClient();
  const q = useOp(
    "ResultTail",
    { result_id: run.result_id },
    {
      retry: false,
      refetchOnWindowFocus: false,
      // no more asking once it finished, or once the id is gone (404)
      refetchInterval: (query) => (query.state.error && isNotFound(query.state.error) ? false : tailPollInterval(query.state.data, TAIL_POLL_MS)),
    },
  );
  // An in-flight row of an agent that does not name its result in
  // events.started has a placeholder id ('inflight:<exec>:<pc>'); once the
  // run finishes that id is gone (404) and the result has the agent's id:
  // find it by execution and PC.
  const gone = q.isError && isNotFound(q.error) && !!run.exec_id;
  const after = useOp("ListResults", { exec_id: run.exec_id ?? "", pc_id: run.pc_id, limit: 5 }, { enabled: gone, refetchInterval: gone ? TAIL_POLL_MS : false });
  const finishedRow = after.data?.items.find((r) => r.pc_id === run.pc_id && r.finished_at);
  const tail: ResultTail | undefined =
    q.data ??
    (finishedRow
      ? { running: false, live: false, stdout: finishedRow.stdout, stderr: finishedRow.stderr, stdout_truncated: false, stderr_truncated: false, exit_code: finishedRow.exit_code }
      : undefined);
  const resultLink = `/activity/${finishedRow?.result_id ?? run.result_id}`;
  const state = tail ? tailState(tail) : undefined;
  // When the run finishes, the list of runs in flight is stale: refresh it now.
  useEffect(() => {
    if (state === "finished") void invalidateOps(qc, ["ListResults", "ListJobs", "ListExecutions"]);
  }, [state, qc]);
  const now = useNow(1_000);
  const title = (
    <span className="row" style={{ gap: 8 }}>
      Output of <PcId pcId={run.pc_id} /> · {run.job_id ?? "ad-hoc"}
      {state && <TailBadge state={state} />}
    </span>
  );
  return (
    <Card
      title={title}
      testId="run-tail"
      actions={
        <div className="row">
          <span className="muted small" data-testid="tail-elapsed">
            {state === "finished" ? "" : `running for ${formatDuration(run.started_at, new Date(now).toISOString())}`}
          </span>
          <Link className="btn btn-sm" to={resultLink}>
            Result
          </Link>
          <button type="button" className="btn-sm" onClick={onClose} aria-label="Close the output">
            Close
          </button>
        </div>
      }
    >
      {q.isPending ? (
        <Loading label="Asking the agent for the output…" />
      ) : !tail ? (
        gone ? (
          after.isPending || after.isFetching ? (
            <Loading label="The run finished; looking up its result…" />
          ) : (
            <Empty>The run is no longer in flight and its result has not arrived (yet).</Empty>
          )
        ) : (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} title="No output" />
        )
      ) : (
        <div className="col">
          {state === "waiting" && (
            <div className="banner banner-info small" data-testid="tail-waiting">
              {STATE_TEXT.waiting.help}
            </div>
          )}
          {state === "finished" && (
            <div className="row small" data-testid="tail-finished">
              Finished: <ExitBadge code={tail.exit_code} />
              <Link to={resultLink}>open the result</Link>
            </div>
          )}
          <OutputPane
            label="stdout"
            text={tail.stdout}
            testId="tail-stdout"
            extra={tail.stdout_truncated ? <span className="badge badge-warn" title="Only the newest part of the output is shown">tail</span> : undefined}
          />
          {(tail.stderr || tail.stderr_truncated) && (
            <OutputPane
              label="stderr"
              text={tail.stderr}
              stderr
              testId="tail-stderr"
              extra={tail.stderr_truncated ? <span className="badge badge-warn" title="Only the newest part of the output is shown">tail</span> : undefined}
            />
          )}
          <p className="muted small">
            {state === "finished" ? "Stopped polling." : `Refreshes every ${TAIL_POLL_MS / 1000} s while the run is in flight.`}
            {q.isFetching && " Updating…"}
          </p>
        </div>
      )}
    </Card>
  );
}

export default function RunningPage() {
  const [f, setF] = useUrlState({ job_id: "", result: "", limit: "50", offset: "0" });
  const paging = urlPaging(f, setF);
  const runs = useOp(
    "ListResults",
    { status: "running", job_id: f.job_id || undefined, preview: 1, limit: paging.limit, offset: paging.offset },
    { refetchInterval: FAST, placeholderData: (p) => p },
  );
  const jobs = useOp("ListJobs", { limit: 1000 }, { refetchInterval: FAST });
  const live = liveJobs(jobs.data?.items ?? []);
  const totals = live.reduce((t, j) => ({ running: t.running + j.running, pending: t.pending + j.pending }), { running: 0, pending: 0 });
  // The selected run stays selected after it left the in-flight list (it finished): keep its row.
  // The row picked from the list is kept: it leaves the list when the run
  // finishes, and an in-flight placeholder id is not a result id then.
  const [picked, setPicked] = useState<Result | null>(null);
  const selectedInList = runs.data?.items.find((r) => r.result_id === f.result);
  const pinned = picked?.result_id === f.result ? picked : undefined;
  const selected = useOp("GetResult", { result_id: f.result }, { enabled: f.result !== "" && !selectedInList && !pinned, retry: false });
  const run = selectedInList ?? pinned ?? selected.data;
  const watch = (r: Result) => {
    setPicked(r);
    setF({ result: r.result_id }, false);
  };
  const confirm = useConfirm();
  const toast = useToast();
  const kill = useOpMutation("KillExecution", {
    onSuccess: (_d, v) => toast.ok(`Kill sent to every agent running ${shortId(v.exec_id)}.`),
    onError: (e) => toast.error(`Kill failed: ${errorMessage(e)}`),
  });
  const onKill = async (r: Result) => {
    if (!r.exec_id) return;
    const ok = await confirm({
      title: "Kill this execution?",
      body: (
        <p>
          Publishes <code>kill.{r.exec_id}</code>: every agent still running <strong>{r.job_id ?? "it"}</strong> for this execution stops it (exit −1), not only {r.pc_id}.
        </p>
      ),
      confirmLabel: "Kill",
      danger: true,
    });
    if (ok) kill.mutate({ exec_id: r.exec_id });
  };
  return (
    <div className="page" data-testid="page-running">
      <PageHeader title="Running now" sub="Runs in flight on the fleet (newest first). Pick one to watch its output as the agent produces it." />
      <div className="stats" data-testid="running-counters">
        <Stat label="Runs in flight" value={runs.data ? formatNumber(runs.data.total) : "—"} testId="stat-inflight" />
        <Stat label="Executions running" value={jobs.data ? formatNumber(totals.running) : "—"} hint="jobs' live counters" testId="stat-live-running" to="/executions?status=running" />
        <Stat label="Executions pending" value={jobs.data ? formatNumber(totals.pending) : "—"} hint="published, no result yet" testId="stat-live-pending" to="/executions?status=pending" />
      </div>
      {live.length > 0 && (
        <div className="row" style={{ flexWrap: "wrap" }} role="group" aria-label="Jobs with live executions" data-testid="live-jobs">
          <span className="muted small">Live jobs:</span>
          {live.map((j) => (
            <button
              key={j.id}
              type="button"
              className="btn-sm"
              aria-pressed={f.job_id === j.id}
              onClick={() => setF({ job_id: f.job_id === j.id ? "" : j.id })}
              title={`${j.running} running, ${j.pending} pending execution(s); click to show only its runs`}
              data-testid="live-job"
            >
              {j.id} {j.running > 0 && <span className="badge badge-info">{j.running} running</span>}
              {j.pending > 0 && <span className="badge badge-pending">{j.pending} pending</span>}
            </button>
          ))}
        </div>
      )}
      {run && <RunTail key={run.result_id} run={run} onClose={() => setF({ result: "" }, false)} />}
      {f.result && !run && selected.isError && (
        <Card>
          <ErrorState error={selected.error} title="Run not found" />
        </Card>
      )}
      <PagedTable
        q={runs}
        title={f.job_id ? `In flight: ${f.job_id}` : "In flight"}
        actions={
          f.job_id ? (
            <button type="button" className="btn-sm" onClick={() => setF({ job_id: "" })}>
              All jobs
            </button>
          ) : undefined
        }
        empty={f.job_id ? `Nothing of ${f.job_id} is running.` : "Nothing is running. Runs appear here from the moment an agent starts them (agents v0.30+ report starts)."}
        testId="table-running"
        head={
          <>
            <th>PC</th>
            <th>Job</th>
            <th>Exec</th>
            <th>Started</th>
            <th className="num">Elapsed</th>
            <th />
          </>
        }
        row={(r) => (
          <tr key={r.result_id} aria-selected={r.result_id === f.result} className={r.result_id === f.result ? "selected" : undefined} data-testid="running-row">
            <td className="nowrap">
              <PcId pcId={r.pc_id} />
            </td>
            <td className="nowrap">{r.job_id ?? <span className="muted">ad-hoc</span>}</td>
            <td className="mono">
              {r.exec_id ? (
                <Link to={`/executions/${r.exec_id}`} title={r.exec_id}>
                  {shortId(r.exec_id)}
                </Link>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td>
              <RelTime t={r.started_at} />
            </td>
            <td className="num nowrap">
              <Elapsed from={r.started_at} />
            </td>
            <td className="nowrap">
              <div className="row" style={{ justifyContent: "flex-end" }}>
                <button type="button" className={`btn-sm${r.result_id === f.result ? " btn-primary" : ""}`} onClick={() => watch(r)} data-testid="watch-run">
                  {r.result_id === f.result ? "Watching" : "Watch output"}
                </button>
                {r.exec_id && (
                  <Can action="operate">
                    <button type="button" className="btn-sm btn-danger" onClick={() => void onKill(r)} disabled={kill.isPending} data-testid="kill-run">
                      Kill
                    </button>
                  </Can>
                )}
              </div>
            </td>
          </tr>
        )}
        paging={paging}
      />
    </div>
  );
}

function Elapsed({ from }: { from: string | null }) {
  const now = useNow(1_000);
  return <>{from ? formatDuration(from, new Date(now).toISOString()) : "—"}</>;
}
