import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import type { FanoutPlan, Wave } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { ChipsInput } from "../components/ChipsInput";
import { useConfirm } from "../components/overlay";
import { WavesEditor } from "../components/WavesEditor";
import { Card, ErrorState, PageHeader, Spinner, errorMessage } from "../components/ui";
import { isHumantime } from "../lib/validate";

type Mode = "all" | "groups" | "pcs";

export function buildPlan(mode: Mode, groups: string[], pcs: string[], useWaves: boolean, waves: Wave[], jitter: string): FanoutPlan {
  const plan: FanoutPlan = { target: mode === "all" ? { all: true } : mode === "groups" ? { groups } : { pcs } };
  if (useWaves && waves.length) plan.rollout = { strategy: "wave", waves: waves.map((w) => ({ group: w.group.trim(), delay: w.delay.trim() || "0s" })) };
  if (jitter.trim()) plan.jitter = jitter.trim();
  return plan;
}

/** Groups when the console has some; "All agents" when it has none (or we don't know yet -> groups, the safer pick). */
export function defaultMode(groupCount: number | undefined): Mode {
  return groupCount === 0 ? "all" : "groups";
}

export default function ExecPage() {
  const [params] = useSearchParams();
  const [job, setJob] = useState(params.get("job") ?? "");
  // null until the user picks: then the default follows the fleet (no
  // groups yet -> "All agents").
  const [picked, setPicked] = useState<Mode | null>(null);
  const [groups, setGroups] = useState<string[]>([]);
  const [pcs, setPcs] = useState<string[]>([]);
  const [useWaves, setUseWaves] = useState(false);
  const [waves, setWaves] = useState<Wave[]>([]);
  const [jitter, setJitter] = useState("");
  const jobs = useOp("ListJobs", { limit: 1000 });
  const groupList = useOp("ListGroups", { limit: 1000 });
  const agents = useOp("ListAgents", { limit: 1000 });
  const status = useOp("GetScriptStatus", {});
  const agentTotal = agents.data?.total;
  const confirm = useConfirm();
  const mode = picked ?? defaultMode(groupList.data?.items.length);
  const setMode = setPicked;
  const plan = buildPlan(mode, groups, pcs, useWaves, waves, jitter);

  const fire = useOpMutation("ExecJob");

  const targetEmpty = mode === "groups" ? groups.length === 0 : mode === "pcs" ? pcs.length === 0 : false;
  const wavesOk = !useWaves || (waves.length > 0 && waves.every((w) => w.group.trim() && (w.delay.trim() === "" || isHumantime(w.delay.trim()))));
  const jitterOk = jitter.trim() === "" || isHumantime(jitter.trim());
  const hasWaves = useWaves && waves.length > 0;
  const problems: string[] = [];
  if (!job) problems.push("pick a job");
  if (targetEmpty && !hasWaves) problems.push(mode === "groups" ? "pick at least one group" : "add at least one PC");
  if (!wavesOk) problems.push("every wave needs a group and a delay like 0s / 30m");
  if (!jitterOk) problems.push('jitter must be a duration like "30s"');
  const revoked = job && status.data?.[job] === "REVOKED";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.length) return;
    if (mode === "all") {
      const ok = await confirm({ title: `Run ${job} on every agent?`, body: <p>The command goes to <code>commands.all</code>: every connected agent runs it.</p>, confirmLabel: "Fire on all" });
      if (!ok) return;
    }
    fire.mutate({ job_id: job, ...plan });
  };

  return (
    <div className="page" data-testid="page-exec">
      <PageHeader title="Exec" sub="Fan a catalog job out to agents: all, some groups or some PCs, optionally in waves." />
      <Card>
        <form className="col" onSubmit={(e) => void submit(e)} data-testid="exec-form">
          <label className="field" style={{ maxWidth: 420 }}>
            <span>Job</span>
            <select value={job} onChange={(e) => setJob(e.target.value)} data-testid="exec-job">
              <option value="">— choose a job —</option>
              {(jobs.data?.items ?? []).map((j) => (
                <option key={j.id} value={j.id}>
                  {j.id} ({j.version}){j.description ? ` — ${j.description}` : ""}
                </option>
              ))}
            </select>
          </label>
          {jobs.isError && <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} title="Could not load jobs" />}
          {revoked && <div className="banner banner-warn small">{job} is REVOKED: agents will skip it (exit 126). Unrevoke it on Jobs first.</div>}

          <fieldset style={{ border: 0, padding: 0, margin: 0 }} className="col">
            <legend className="small muted" style={{ fontWeight: 500, marginBottom: 4 }}>
              Target
            </legend>
            <div className="seg" role="group" aria-label="Target mode">
              {(["all", "groups", "pcs"] as Mode[]).map((m) => (
                <button key={m} type="button" aria-pressed={mode === m} onClick={() => setMode(m)} data-testid={`target-mode-${m}`}>
                  {m === "all" ? (agentTotal === undefined ? "All agents" : `All agents (${agentTotal})`) : m === "groups" ? "Groups" : "PCs"}
                </button>
              ))}
            </div>
            {mode === "groups" && (
              <div className="chips" data-testid="target-groups">
                {groupList.isPending && <Spinner />}
                {groupList.data?.items.length === 0 && <span className="muted small">No groups yet — assign some on Agents.</span>}
                {(groupList.data?.items ?? []).map((g) => (
                  <label key={g.group} className="chip static field-inline" style={{ cursor: "pointer" }}>
                    <input
                      type="checkbox"
                      checked={groups.includes(g.group)}
                      onChange={(e) => setGroups(e.target.checked ? [...groups, g.group] : groups.filter((x) => x !== g.group))}
                    />
                    {g.group} <span className="muted">({g.members})</span>
                  </label>
                ))}
              </div>
            )}
            {mode === "pcs" && (
              <ChipsInput values={pcs} onChange={setPcs} suggestions={(agents.data?.items ?? []).map((a) => a.pc_id)} placeholder="pc_id, Enter to add" label="PCs to target" testId="target-pcs" listId="exec-pcs" />
            )}
          </fieldset>

          <label className="field-inline">
            <input type="checkbox" checked={useWaves} onChange={(e) => setUseWaves(e.target.checked)} data-testid="use-waves" />
            Roll out in waves
          </label>
          {useWaves && <WavesEditor waves={waves} onChange={setWaves} groups={(groupList.data?.items ?? []).map((g) => g.group)} />}

          <label className="field" style={{ maxWidth: 200 }}>
            <span>Jitter (optional)</span>
            <input value={jitter} onChange={(e) => setJitter(e.target.value)} placeholder="e.g. 30s" aria-invalid={!jitterOk} data-testid="exec-jitter" />
          </label>

          <details className="json">
            <summary>Request body</summary>
            <pre>{JSON.stringify(plan, null, 2)}</pre>
          </details>

          <div className="row">
            <button type="submit" className="btn-primary" disabled={problems.length > 0 || fire.isPending} data-testid="exec-fire">
              {fire.isPending ? <Spinner /> : null} Fire
            </button>
            {problems.length > 0 && <span className="muted small">To fire: {problems.join("; ")}.</span>}
          </div>
        </form>
      </Card>

      {fire.isError && (
        <div className="banner banner-error" role="alert" data-testid="exec-error">
          Exec failed: {errorMessage(fire.error)}
        </div>
      )}
      {fire.data && (
        <Card title="Fired" testId="exec-result">
          <dl className="kv">
            <dt>Exec id</dt>
            <dd className="mono">
              <Link to={`/executions/${fire.data.exec_id}`} data-testid="exec-result-link">
                {fire.data.exec_id}
              </Link>
            </dd>
            <dt>Job</dt>
            <dd>
              {fire.data.job_id} <span className="muted">v{fire.data.version}</span>
            </dd>
            <dt>Target count</dt>
            <dd data-testid="exec-target-count">{fire.data.target_count}</dd>
            <dt>Subjects</dt>
            <dd>
              <div className="chips">
                {fire.data.subjects.map((s) => (
                  <code key={s} className="chip static">
                    {s}
                  </code>
                ))}
              </div>
            </dd>
          </dl>
        </Card>
      )}
    </div>
  );
}
