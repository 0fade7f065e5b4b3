import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { Schedule } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { Modal, useConfirm, useToast } from "../components/overlay";
import { EditorPage, useYamlDraft } from "../components/EditorPage";
import { Card, PageHeader, Spinner, Time, errorMessage } from "../components/ui";
import { ListTable } from "../components/PagedTable";
import { cronText, formatRelative } from "../format";
import { useDebounced, useRowPending } from "../lib/hooks";
import { validateScheduleYaml } from "../lib/validate";
import { Can, useCan } from "../components/Access";

/** Text for a field of a stored value this console could not read (any JSON). */
export function shown(v: unknown): string {
  if (v === undefined || v === null) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function targetSummary(s: Pick<Schedule, "target" | "rollout">): string {
  try {
    return describeTarget(s);
  } catch {
    return shown(s.target); // not the shape 0.29 stores (a newer kanade's, or garbage)
  }
}

function describeTarget(s: Pick<Schedule, "target" | "rollout">): string {
  const parts: string[] = [];
  const t = s.target ?? {};
  if (t.all) parts.push("all");
  if (t.groups?.length) parts.push(`groups: ${t.groups.join(", ")}`);
  if (t.pcs?.length) parts.push(`pcs: ${t.pcs.slice(0, 3).join(", ")}${t.pcs.length > 3 ? ` (+${t.pcs.length - 3})` : ""}`);
  if (s.rollout?.waves?.length) parts.push(`waves: ${s.rollout.waves.map((w) => `${w.group}@${w.delay}`).join(" → ")}`);
  return parts.join("; ") || "—";
}

function CronCell({ cron }: { cron: string }) {
  const text = cronText(cron);
  return (
    <div className="col" style={{ gap: 0 }}>
      <code>{cron}</code>
      <span className={`small ${text ? "muted" : "error-text"}`}>{text ?? "unreadable cron"}</span>
    </div>
  );
}

/** A schedule this console cannot run: listed with why, never fired. */
function UnsupportedCell({ s }: { s: Schedule }) {
  return (
    <div className="col" style={{ gap: 2 }} data-testid="schedule-unsupported">
      {s.cron ? <code>{shown(s.cron)}</code> : null}
      <span>
        <span className="badge badge-warn">unsupported</span>
      </span>
      <span className="small muted">{s.reason ?? "this console cannot run this schedule"}</span>
    </div>
  );
}

function DisableDialog({ s, onClose }: { s: Schedule; onClose: () => void }) {
  const [cascade, setCascade] = useState(false);
  const toast = useToast();
  const m = useOpMutation("DisableSchedule", {
    onSuccess: () => {
      toast.ok(`${s.id} disabled${cascade ? ` and ${s.job_id} revoked` : ""}`);
      onClose();
    },
  });
  return (
    <Modal
      open
      title={`Disable ${s.id}?`}
      onClose={onClose}
      testId="disable-dialog"
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn-danger solid" onClick={() => m.mutate({ id: s.id, cascade })} disabled={m.isPending} data-testid="disable-confirm">
            {m.isPending ? <Spinner /> : null} {cascade ? "Disable and revoke" : "Disable"}
          </button>
        </>
      }
    >
      <p>The scheduler stops firing this schedule. Executions already running continue.</p>
      <label className="field-inline">
        <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} data-testid="disable-cascade" />
        Cascade: also revoke job <strong>{s.job_id}</strong>
      </label>
      <p className="muted small">
        Cascade marks <code>{s.job_id}</code> REVOKED: agents refuse to run it anywhere — from this schedule, other schedules or a manual exec — until you unrevoke it on
        Jobs. Use it to stop a bad script fleet-wide.
      </p>
      {m.isError && <div className="banner banner-error">{errorMessage(m.error)}</div>}
    </Modal>
  );
}

export default function SchedulesPage() {
  const q = useOp("ListSchedules", { limit: 1000 });
  const toast = useToast();
  const confirm = useConfirm();
  const { run, isBusy } = useRowPending();
  const [disabling, setDisabling] = useState<Schedule | null>(null);
  const upsertSchedule = useOpMutation("UpsertSchedule");
  const deleteSchedule = useOpMutation("DeleteSchedule");

  const canOperate = useCan("operate");
  const toggle = (s: Schedule) =>
    void run(`toggle:${s.id}`, async () => {
      const enabled = s.enabled !== false;
      try {
        await upsertSchedule.mutateAsync({ ...s, enabled: !enabled });
        toast.ok(`${s.id} ${enabled ? "disabled" : "enabled"}`);
      } catch (e) {
        toast.error(`${s.id}: ${errorMessage(e)}`);
      }
    });
  const del = async (s: Schedule) => {
    const ok = await confirm({ title: `Delete schedule ${s.id}?`, body: <p>The schedule is removed. Job {s.job_id} stays in the catalog.</p>, confirmLabel: "Delete", danger: true });
    if (!ok) return;
    void run(`del:${s.id}`, async () => {
      try {
        await deleteSchedule.mutateAsync({ id: s.id });
        toast.ok(`Deleted ${s.id}`);
      } catch (e) {
        toast.error(`${s.id}: ${errorMessage(e)}`);
      }
    });
  };

  return (
    <div className="page" data-testid="page-schedules">
      <PageHeader title="Schedules" sub="Cron-driven fan-outs (6-field cron with seconds and an optional year, evaluated in UTC).">
        <Can action="operate">
        <Link className="btn btn-primary" to="/schedules/new" data-testid="new-schedule">
          New schedule
        </Link>
        </Can>
      </PageHeader>
      <ListTable
        q={q}
        empty={
          <>
            No schedules. <Link to="/schedules/new">Create one</Link>.
          </>
        }
        testId="table-schedules"
        head={
          <>
            <th>Id</th>
            <th>Cron</th>
            <th>Job</th>
            <th>Target</th>
            <th>Mode</th>
            <th>Next fire</th>
            <th>Enabled</th>
            <th className="num">Actions</th>
          </>
        }
        order={(items) => [...items].sort((a, b) => a.id.localeCompare(b.id))}
        row={(s) => {
          const enabled = s.enabled !== false;
          const supported = s.supported !== false;
          return (
            <tr key={s.id} data-testid={`schedule-row-${s.id}`}>
              <td>
                <Link to={`/schedules/${encodeURIComponent(s.id)}/edit`}>
                  <strong>{s.id}</strong>
                </Link>
              </td>
              <td className="wrap" style={{ minWidth: 150, maxWidth: 200 }}>
                {supported ? <CronCell cron={s.cron} /> : <UnsupportedCell s={s} />}
              </td>
              <td>{shown(s.job_id)}</td>
              <td className="ellipsis" style={{ maxWidth: 200 }} title={targetSummary(s)}>
                {targetSummary(s)}
              </td>
              <td>
                {s.mode !== undefined ? shown(s.mode) : supported ? "every_tick" : "—"}
                {s.last_skipped && (
                  <div className="small muted" data-testid="schedule-last-skipped">
                    last tick skipped: {s.last_skipped}
                  </div>
                )}
                {s.runs_on === "agent" && (
                  <div>
                    <span className="badge badge-info">runs on agent</span>
                  </div>
                )}
              </td>
              <td className="small" data-testid="schedule-next-fire">
                {s.next_fire ? (
                  <>
                    <Time t={s.next_fire} />
                    <div className="muted">{formatRelative(s.next_fire)}</div>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                {!supported ? (
                  <span className={`badge ${enabled ? "" : "badge-skip"}`} title="never fired by this console">
                    {enabled ? "not run here" : "disabled"}
                  </span>
                ) : (
                  <label className="field-inline" title={enabled ? "Disable" : "Enable"}>
                    <input
                      type="checkbox"
                      role="switch"
                      checked={enabled}
                      onChange={() => toggle(s)}
                      disabled={isBusy(`toggle:${s.id}`) || !canOperate}
                      aria-label={`${s.id} enabled`}
                      data-testid="schedule-toggle"
                    />
                    {isBusy(`toggle:${s.id}`) ? <Spinner /> : <span className={`badge ${enabled ? "badge-ok" : ""}`}>{enabled ? "enabled" : "disabled"}</span>}
                  </label>
                )}
              </td>
              <td>
                <div className="actions">
                  <Can action="operate">
                  <Link className="btn btn-sm" to={`/schedules/${encodeURIComponent(s.id)}/edit`}>
                    Edit
                  </Link>
                  <button type="button" className="btn-sm" onClick={() => setDisabling(s)} data-testid="disable-schedule">
                    Disable…
                  </button>
                  <button type="button" className="btn-sm btn-danger" onClick={() => void del(s)} disabled={isBusy(`del:${s.id}`)} data-testid="delete-schedule">
                    {isBusy(`del:${s.id}`) ? <Spinner /> : null}Delete
                  </button>
                  </Can>
                </div>
              </td>
            </tr>
          );
                    }}
      />
      {disabling && <DisableDialog s={disabling} onClose={() => setDisabling(null)} />}
    </div>
  );
}

const NEW_SCHEDULE = `id: hourly-inventory
cron: "0 0 * * * *"        # sec min hour day-of-month month day-of-week [year] (UTC)
job_id: inventory-hw
target:
  groups: [canary]
jitter: 5m
mode: every_tick           # every_tick | once_per_pc | once_per_target
# cooldown: 1d
# starting_deadline: 30m
# rollout:
#   strategy: wave
#   waves:
#     - { group: canary, delay: 0s }
#     - { group: wave1, delay: 30m }
enabled: true
`;

function CronPreview({ cron }: { cron: string }) {
  const d = useDebounced(cron.trim(), 400);
  const text = cronText(d);
  const next = useOp("CronNext", { cron: d, n: 5 }, {
    enabled: d !== "",
    retry: false,
    staleTime: 30_000,
  });
  if (!d) return <span className="muted small">Enter a cron expression.</span>;
  return (
    <div className="col" data-testid="cron-preview">
      <div>
        <code>{d}</code>
      </div>
      <div className={text ? "" : "error-text"} data-testid="cron-text">
        {text ?? "Not a readable cron expression."}
      </div>
      <div className="small muted">Next fire times (UTC schedule, shown in local time):</div>
      {next.isPending ? (
        <Spinner />
      ) : next.isError ? (
        <span className="error-text small">{errorMessage(next.error)}</span>
      ) : (
        <ol className="small" style={{ margin: 0, paddingLeft: 18 }} data-testid="cron-next">
          {next.data.next.map((t) => (
            <li key={t}>
              <Time t={t} /> <span className="muted">({formatRelative(t)})</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ScheduleEditorPage() {
  const { scheduleId } = useParams();
  const editing = scheduleId !== undefined;
  const list = useOp("ListSchedules", { limit: 1000 }, { enabled: editing, refetchOnWindowFocus: false, staleTime: Infinity });
  const jobs = useOp("ListJobs", { limit: 1000 });
  const existing = editing ? list.data?.items.find((s) => s.id === scheduleId) : undefined;
  const draft = useYamlDraft(editing, existing, NEW_SCHEDULE);
  const v = useMemo(() => {
    const r = validateScheduleYaml(draft.debounced);
    const jobId = (r.value as { job_id?: unknown } | undefined)?.job_id;
    if (typeof jobId === "string" && jobs.data && !jobs.data.items.some((j) => j.id === jobId)) {
      r.issues.push({ level: "warn", message: `job "${jobId}" is not in the catalog (the scheduler will skip it until it exists)` });
    }
    return r;
  }, [draft.debounced, jobs.data]);
  const cron = (v.value as { cron?: unknown } | undefined)?.cron;
  const toast = useToast();
  const nav = useNavigate();
  const save = useOpMutation("UpsertScheduleYaml", {
    onSuccess: (r) => {
      toast.ok(`Saved ${r.id} (${r.enabled ? "enabled" : "disabled"})`);
      nav("/schedules");
    },
  });

  return (
    <EditorPage
      testId="page-schedule-editor"
      backTo="/schedules"
      backLabel="← schedules"
      title={editing ? `Edit schedule ${scheduleId}` : "New schedule"}
      sub="Schedule YAML. Saving replaces the schedule with the same id."
      list={list}
      notFound={
        <>
          No schedule <code>{scheduleId}</code>. <Link to="/schedules/new">Create one</Link>.
        </>
      }
      draft={draft}
      validation={v}
      save={save}
      yamlLabel="Schedule YAML"
      yamlTestId="schedule-yaml"
      saveLabel="Save schedule"
      saveTestId="save-schedule"
      aside={
        <Card title="When it fires">
          <CronPreview cron={typeof cron === "string" ? cron : ""} />
        </Card>
      }
    />
  );
}
