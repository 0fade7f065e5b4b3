import { Link, useLocation, useParams } from "react-router-dom";
import { isNotFound } from "../api";
import { useOp } from "../api/hooks";
import { Card, CopyButton, ErrorState, ExitBadge, Loading, OutputPane, PageHeader, Time } from "../components/ui";
import { exitLabel, formatDuration } from "../format";
import { SimMark } from "../components/Simulated";

export default function ResultDetailPage() {
  const { resultId = "" } = useParams();
  const loc = useLocation();
  const from = (loc.state as { from?: string } | null)?.from ?? "";
  const q = useOp("GetResult", { result_id: resultId }, { enabled: resultId !== "" });
  const back = (
    <Link to={`/activity${from}`} data-testid="back-to-activity">
      ← back to activity
    </Link>
  );
  if (q.isPending) {
    return (
      <div className="page" data-testid="page-result">
        {back}
        <Loading />
      </div>
    );
  }
  if (q.isError) {
    return (
      <div className="page" data-testid="page-result">
        {back}
        <Card>
          {isNotFound(q.error) ? (
            <div className="state" data-testid="state-not-found">
              No result with id <code>{resultId}</code>.
            </div>
          ) : (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          )}
        </Card>
      </div>
    );
  }
  const r = q.data;
  return (
    <div className="page" data-testid="page-result">
      {back}
      <PageHeader title={`Result ${r.result_id.slice(0, 8)}`}>
        <ExitBadge code={r.exit_code} skipped={r.skipped} />
        <CopyButton text={typeof window !== "undefined" ? window.location.href : ""} label="Copy link" />
      </PageHeader>
      <Card title="Details" testId="result-meta">
        <dl className="kv">
          <dt>PC</dt>
          <dd>
            <Link to={`/activity?pc_id=${encodeURIComponent(r.pc_id)}`}>{r.pc_id}</Link>
            <SimMark pcId={r.pc_id} />
          </dd>
          <dt>Exit</dt>
          <dd>
            <ExitBadge code={r.exit_code} skipped={r.skipped} /> <span className="muted small">{r.skipped ? "skipped by the agent (not a failure)" : exitLabel(r.exit_code)}</span>
          </dd>
          <dt>Job</dt>
          <dd>{r.job_id ? <Link to={`/activity?job_id=${encodeURIComponent(r.job_id)}`}>{r.job_id}</Link> : <span className="muted">ad-hoc</span>}</dd>
          <dt>Execution</dt>
          <dd className="mono">{r.exec_id ? <Link to={`/executions/${r.exec_id}`}>{r.exec_id}</Link> : <span className="muted">ad-hoc / pre-v0.29</span>}</dd>
          <dt>Request</dt>
          <dd className="mono">{r.request_id}</dd>
          <dt>Result</dt>
          <dd className="mono" data-testid="result-id">
            {r.result_id}
          </dd>
          <dt>Started</dt>
          <dd>
            <Time t={r.started_at} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <Time t={r.finished_at} />
          </dd>
          <dt>Duration</dt>
          <dd>{formatDuration(r.started_at, r.finished_at)}</dd>
          {r.recorded_at && (
            <>
              <dt>Recorded</dt>
              <dd>
                <Time t={r.recorded_at} />
              </dd>
            </>
          )}
        </dl>
      </Card>
      <Card>
        <div className="col">
          <OutputPane label="stdout" text={r.stdout} testId="result-stdout" />
          <OutputPane label="stderr" text={r.stderr} stderr testId="result-stderr" />
        </div>
      </Card>
    </div>
  );
}
