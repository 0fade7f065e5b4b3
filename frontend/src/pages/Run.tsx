import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { ApiError, type RunShell } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { Autocomplete, agentSuggestions } from "../components/Autocomplete";
import { useToast } from "../components/overlay";
import { Card, ErrorState, ExitBadge, OutputPane, PageHeader, Spinner, Time, errorMessage } from "../components/ui";
import { formatClock, formatDuration, shortId } from "../format";
import { PcId } from "../components/Simulated";

export default function RunPage() {
  const [params] = useSearchParams();
  const [pc, setPc] = useState(params.get("pc") ?? "");
  const [shell, setShell] = useState<RunShell>("powershell");
  const [script, setScript] = useState("");
  const [timeout, setTimeoutSecs] = useState(60);
  const agents = useOp("ListAgents", { limit: 1000 });
  const toast = useToast();

  const runM = useOpMutation("RunScript");
  const runScript = () => runM.mutate({ pc_id: pc.trim(), shell, script, timeout_secs: timeout });
  const pingM = useOpMutation("PingAgent", {
    onSuccess: (r) => toast.ok(`${r.heartbeat.pc_id} answered: agent ${r.heartbeat.agent_version}, heartbeat ${formatClock(r.heartbeat.at)}`),
    onError: (e) => toast.error(e instanceof ApiError && e.status === 408 ? `${pc}: no heartbeat within 45 s` : `${pc}: ${errorMessage(e)}`),
  });

  const canRun = pc.trim() !== "" && script.trim() !== "" && !runM.isPending;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (canRun) runScript();
  };
  const r = runM.data;
  const known = agents.data?.items ?? [];

  return (
    <div className="page" data-testid="page-run">
      <PageHeader title="Run" sub="Run a script on one PC and wait for its result (ad-hoc: no execution row, but the result shows in Activity)." />
      <Card>
        <form className="col" onSubmit={submit} data-testid="run-form">
          <div className="form-grid">
            <label className="field">
              <span>PC</span>
              <Autocomplete
                value={pc}
                onChange={setPc}
                options={agentSuggestions(known)}
                placeholder="pc_id"
                required
                testId="run-pc"
              />
            </label>
            <label className="field">
              <span>Shell</span>
              <select value={shell} onChange={(e) => setShell(e.target.value as RunShell)} data-testid="run-shell">
                <option value="powershell">powershell</option>
                <option value="pwsh">pwsh</option>
                <option value="cmd">cmd</option>
              </select>
            </label>
            <label className="field">
              <span>Timeout (seconds)</span>
              <input type="number" min={1} max={86400} value={timeout} onChange={(e) => setTimeoutSecs(Number(e.target.value) || 60)} data-testid="run-timeout" />
            </label>
          </div>
          <label className="field">
            <span>Script</span>
            <textarea
              rows={8}
              value={script}
              onChange={(e) => setScript(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
              }}
              placeholder="hostname"
              spellCheck={false}
              required
              data-testid="run-script"
            />
          </label>
          <div className="row">
            <button type="submit" className="btn-primary" disabled={!canRun} data-testid="run-submit">
              {runM.isPending ? (
                <>
                  <Spinner /> Running… (up to {timeout + 10}s)
                </>
              ) : (
                "Run"
              )}
            </button>
            <button type="button" onClick={() => pingM.mutate({ pc_id: pc.trim(), wait_secs: 45 })} disabled={!pc.trim() || pingM.isPending} data-testid="run-ping">
              {pingM.isPending ? <Spinner /> : null} Ping
            </button>
            <span className="muted small hide-narrow">Ctrl+Enter runs</span>
          </div>
        </form>
      </Card>

      {runM.isError && (
        <Card>
          <ErrorState
            error={runM.error instanceof ApiError && runM.error.status === 408 ? new Error(`No result from ${pc} within ${timeout + 10} s (agent offline or script still running). ${runM.error.message}`) : runM.error}
            title="Run failed"
            onRetry={runScript}
          />
        </Card>
      )}

      {r && (
        <Card
          title={
            <span className="row">
              Result <ExitBadge code={r.exit_code} />
            </span>
          }
          actions={
            <Link to={`/activity/${r.result_id}`} data-testid="run-result-link">
              {shortId(r.result_id)} →
            </Link>
          }
          testId="run-result"
        >
          <div className="col">
            <dl className="kv">
              <dt>PC</dt>
              <dd>
                <PcId pcId={r.pc_id} />
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
            </dl>
            <OutputPane label="stdout" text={r.stdout} testId="run-stdout" />
            <OutputPane label="stderr" text={r.stderr} stderr testId="run-stderr" />
          </div>
        </Card>
      )}
    </div>
  );
}
