import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, type JobInUse, type Manifest } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { useConfirm, useToast } from "../components/overlay";
import { EditorPage, useYamlDraft } from "../components/EditorPage";
import { PageHeader, Spinner, errorMessage } from "../components/ui";
import { ListTable } from "../components/PagedTable";
import { useRowPending } from "../lib/hooks";
import { validateManifestYaml } from "../lib/validate";
import { Can } from "../components/Access";

/** The schedules a refused job delete names (the 409 body's `schedules`). */
export function referencingSchedules(e: ApiError): string[] {
  const body = e.body as Partial<JobInUse> | null | undefined;
  const names = typeof body === "object" && body !== null ? body.schedules : undefined;
  return Array.isArray(names) ? names.filter((s): s is string => typeof s === "string" && s !== "") : [];
}

function StatusBadge({ s }: { s: string | undefined }) {
  if (s === "REVOKED") return <span className="badge badge-fail" data-testid="job-status">REVOKED</span>;
  return (
    <span className="badge badge-ok" title={s ? undefined : "no script_status entry (agents treat it as active)"} data-testid="job-status">
      ACTIVE
    </span>
  );
}

export default function JobsPage() {
  const jobs = useOp("ListJobs", { limit: 1000 });
  const status = useOp("GetScriptStatus", {});
  const toast = useToast();
  const confirm = useConfirm();
  const { run, isBusy } = useRowPending();
  const [conflict, setConflict] = useState<{ job: string; schedules: string[]; message: string } | null>(null);
  const deleteJob = useOpMutation("DeleteJob");
  const killJob = useOpMutation("KillJob");
  const revokeScript = useOpMutation("RevokeScript");
  const unrevokeScript = useOpMutation("UnrevokeScript");

  const act = (key: string, fn: () => Promise<unknown>, ok: string) =>
    void run(key, async () => {
      try {
        await fn();
        toast.ok(ok);
      } catch (e) {
        toast.error(errorMessage(e));
      }
    });

  const onDelete = async (j: Manifest) => {
    const ok = await confirm({
      title: `Delete job ${j.id}?`,
      body: <p>The job is revoked first (agents refuse to run it), then removed from the catalog. Results stay in Activity.</p>,
      confirmLabel: "Delete",
      danger: true,
    });
    if (!ok) return;
    void run(`del:${j.id}`, async () => {
      try {
        await deleteJob.mutateAsync({ id: j.id });
        toast.ok(`Deleted ${j.id}`);
        setConflict(null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) setConflict({ job: j.id, schedules: referencingSchedules(e), message: e.message });
        else toast.error(`Delete ${j.id}: ${errorMessage(e)}`);
      }
    });
  };

  const onKill = async (j: Manifest) => {
    const ok = await confirm({
      title: `Kill running executions of ${j.id}?`,
      body: <p>Sends a kill signal for every pending or running execution of this job. Agents stop the script (exit −1).</p>,
      confirmLabel: "Kill",
      danger: true,
    });
    if (ok) act(`kill:${j.id}`, () => killJob.mutateAsync({ job_id: j.id }), `Kill sent for every running execution of ${j.id}`);
  };

  return (
    <div className="page" data-testid="page-jobs">
      <PageHeader title="Jobs" sub="The job catalog. A job is a script with a version; Exec and schedules fan it out.">
        <Can action="operate">
          <Link className="btn btn-primary" to="/jobs/new" data-testid="new-job">
            New job
          </Link>
        </Can>
      </PageHeader>
      {conflict && (
        <div className="banner banner-error" role="alert" data-testid="job-delete-conflict">
          <strong>{conflict.job} can't be deleted:</strong>{" "}
          {conflict.schedules.length ? (
            <>
              it is referenced by schedule{conflict.schedules.length > 1 ? "s" : ""}{" "}
              {conflict.schedules.map((s, i) => (
                <span key={s}>
                  {i > 0 && ", "}
                  <Link to={`/schedules/${encodeURIComponent(s)}/edit`}>{s}</Link>
                </span>
              ))}{" "}
              — disable or delete {conflict.schedules.length > 1 ? "them" : "it"} on <Link to="/schedules">Schedules</Link> first.
            </>
          ) : (
            <>{conflict.message} — disable or delete the schedule first.</>
          )}{" "}
          <button type="button" className="btn-sm btn-ghost" onClick={() => setConflict(null)}>
            dismiss
          </button>
        </div>
      )}
      <ListTable
        q={jobs}
        empty={
          <>
            No jobs yet. <Link to="/jobs/new">Create one</Link>.
          </>
        }
        testId="table-jobs"
        head={
          <>
            <th>Id</th>
            <th>Version</th>
            <th>Description</th>
            <th>Execute</th>
            <th>Inventory</th>
            <th>Status</th>
            <th className="num">Actions</th>
          </>
        }
        row={(j) => {
          const s = status.data?.[j.id];
          const revoked = s === "REVOKED";
          return (
            <tr key={j.id} data-testid={`job-row-${j.id}`}>
              <td>
                <Link to={`/jobs/${encodeURIComponent(j.id)}/edit`}>
                  <strong>{j.id}</strong>
                </Link>
              </td>
              {j.supported === false ? (
                // A stored value this console cannot read: its fields may be anything.
                <td colSpan={3} data-testid="job-unsupported">
                  <span className="badge badge-warn">unreadable</span> <span className="small muted">{j.reason}</span>
                </td>
              ) : (
                <>
                  <td className="mono">{j.version}</td>
                  <td className="wrap" data-testid="job-description">
                    {j.description ?? <span className="muted">—</span>}
                  </td>
                  <td title="shell · timeout · run as">
                    {j.execute?.shell} · <span className="mono">{j.execute?.timeout}</span> · {j.execute?.run_as ?? "system"}
                  </td>
                </>
              )}
              <td>{j.inventory ? <span className="badge badge-accent">inventory</span> : <span className="muted">—</span>}</td>
              <td>{status.isPending ? <Spinner /> : <StatusBadge s={s} />}</td>
              <td>
                <div className="actions">
                  <Can action="operate">
                  <Link className="btn btn-sm" to={`/exec?job=${encodeURIComponent(j.id)}`} data-testid="exec-job">
                    Exec
                  </Link>
                  <Link className="btn btn-sm" to={`/jobs/${encodeURIComponent(j.id)}/edit`}>
                    Edit
                  </Link>
                  <button
                    type="button"
                    className="btn-sm"
                    disabled={isBusy(`rev:${j.id}`)}
                    onClick={() =>
                      act(
                        `rev:${j.id}`,
                        () => (revoked ? unrevokeScript : revokeScript).mutateAsync({ cmd_id: j.id }),
                        `${j.id} ${revoked ? "unrevoked" : "revoked"}`,
                      )
                    }
                    data-testid={revoked ? "unrevoke-job" : "revoke-job"}
                  >
                    {isBusy(`rev:${j.id}`) ? <Spinner /> : null}
                    {revoked ? "Unrevoke" : "Revoke"}
                  </button>
                  <button type="button" className="btn-sm btn-danger" disabled={isBusy(`kill:${j.id}`)} onClick={() => void onKill(j)} data-testid="kill-job">
                    {isBusy(`kill:${j.id}`) ? <Spinner /> : null}Kill
                  </button>
                  <button type="button" className="btn-sm btn-danger" disabled={isBusy(`del:${j.id}`)} onClick={() => void onDelete(j)} data-testid="delete-job">
                    {isBusy(`del:${j.id}`) ? <Spinner /> : null}Delete
                  </button>
                  </Can>
                </div>
              </td>
            </tr>
          );
        }}
      />
    </div>
  );
}

const NEW_JOB = `id: my-job
version: 1.0.0
description: What this job does
execute:
  shell: powershell
  script: |
    hostname
  timeout: 60s
  run_as: system
# inventory:            # make it an inventory probe (stdout must be a JSON object)
#   display:
#     - { field: Name, label: Hostname }
#     - { field: TotalPhysicalMemory, label: RAM, type: bytes }
# staleness:
#   mode: cached
`;

export function JobEditorPage() {
  const { jobId } = useParams();
  const editing = jobId !== undefined;
  const jobs = useOp("ListJobs", { limit: 1000 }, { enabled: editing, refetchOnWindowFocus: false, staleTime: Infinity });
  const existing = editing ? jobs.data?.items.find((j) => j.id === jobId) : undefined;
  const draft = useYamlDraft(editing, existing, NEW_JOB);
  const v = useMemo(() => validateManifestYaml(draft.debounced), [draft.debounced]);
  const toast = useToast();
  const nav = useNavigate();
  const save = useOpMutation("UpsertJobYaml", {
    onSuccess: (r) => {
      toast.ok(`Saved ${r.id} ${r.version}`);
      nav("/jobs");
    },
  });
  const newId = (v.value as { id?: unknown } | undefined)?.id;
  const idChanged = editing && typeof newId === "string" && newId !== jobId;

  return (
    <EditorPage
      testId="page-job-editor"
      backTo="/jobs"
      backLabel="← jobs"
      title={editing ? `Edit job ${jobId}` : "New job"}
      sub="Manifest YAML. Saving replaces the job with the same id; bump the version when the script changes."
      list={jobs}
      notFound={
        <>
          No job <code>{jobId}</code>. <Link to="/jobs/new">Create a new job</Link>.
        </>
      }
      draft={draft}
      validation={v}
      save={save}
      yamlLabel="Job manifest YAML"
      yamlTestId="job-yaml"
      saveLabel="Save job"
      saveTestId="save-job"
      notice={idChanged && <div className="banner banner-warn small">The id changed: saving creates job “{newId}” and leaves “{jobId}” in place.</div>}
      invalidHint="Fix the errors above to save."
    />
  );
}
