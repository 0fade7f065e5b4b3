import { useRef, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, type Release, type RolloutScope } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { Modal, useConfirm, useToast } from "../components/overlay";
import { Card, PageHeader, QueryView, RelTime, Spinner, Time, errorMessage } from "../components/ui";
import { formatBytes } from "../format";
import { useRowPending } from "../lib/hooks";
import { isHumantime } from "../lib/validate";
import { Can } from "../components/Access";

function RolloutDialog({ release, onClose }: { release: Release; onClose: () => void }) {
  const [type, setType] = useState<RolloutScope["type"]>("group");
  const [value, setValue] = useState("");
  const [jitter, setJitter] = useState("");
  const groups = useOp("ListGroups", { limit: 1000 });
  const agents = useOp("ListAgents", { limit: 1000 });
  const toast = useToast();
  const scope: RolloutScope = type === "global" ? { type } : { type, value: value.trim() };
  const m = useOpMutation("RolloutAgent", {
    onSuccess: (r) => {
      toast.ok(`${r.scope_label} now targets ${r.version}${r.jitter ? ` (jitter ${r.jitter})` : ""}`);
      onClose();
    },
  });
  const jitterOk = jitter.trim() === "" || isHumantime(jitter.trim());
  const ok = (type === "global" || value.trim() !== "") && jitterOk;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ok) m.mutate({ version: release.version, scope, jitter: jitter.trim() || undefined });
  };
  return (
    <Modal open title={`Roll out ${release.version}`} onClose={onClose} testId="rollout-dialog">
      <form className="col" onSubmit={submit} id="rollout-form">
        <div className="seg" role="group" aria-label="Scope">
          {(["global", "group", "pc"] as const).map((t) => (
            <button key={t} type="button" aria-pressed={type === t} onClick={() => setType(t)} data-testid={`rollout-scope-${t}`}>
              {t === "global" ? "Global" : t === "group" ? "Group" : "PC"}
            </button>
          ))}
        </div>
        {type === "group" && (
          <label className="field">
            <span>Group</span>
            <input list="rollout-groups" value={value} onChange={(e) => setValue(e.target.value)} placeholder="canary" data-testid="scope-value" />
            <datalist id="rollout-groups">
              {(groups.data?.items ?? []).map((g) => (
                <option key={g.group} value={g.group}>
                  {g.members} members
                </option>
              ))}
            </datalist>
          </label>
        )}
        {type === "pc" && (
          <label className="field">
            <span>PC</span>
            <input list="rollout-pcs" value={value} onChange={(e) => setValue(e.target.value)} placeholder="pc_id" data-testid="scope-value" />
            <datalist id="rollout-pcs">
              {(agents.data?.items ?? []).map((a) => (
                <option key={a.pc_id} value={a.pc_id} />
              ))}
            </datalist>
          </label>
        )}
        <label className="field">
          <span>Jitter (optional)</span>
          <input value={jitter} onChange={(e) => setJitter(e.target.value)} placeholder="e.g. 30m" aria-invalid={!jitterOk} data-testid="rollout-jitter" />
        </label>
        <p className="muted small">
          Sets <code>target_version</code> (and <code>target_version_jitter</code>) on the {type} scope. Agents in that scope update themselves, each after a random delay up to the
          jitter.
        </p>
        {m.isError && <div className="banner banner-error">{errorMessage(m.error)}</div>}
        <div className="row" style={{ justifyContent: "flex-end" }}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn-primary" disabled={!ok || m.isPending} data-testid="rollout-submit">
            {m.isPending ? <Spinner /> : null} Roll out
          </button>
        </div>
      </form>
    </Modal>
  );
}

function UploadCard() {
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const toast = useToast();
  const m = useOpMutation("PublishAgent", {
    onSuccess: (r) => {
      toast.ok(`Published ${r.version}`);
      setFile(null);
      if (fileRef.current) fileRef.current.value = "";
    },
  });
  const tooBig = file !== null && file.size > 64 * 1024 * 1024;
  return (
    <Card title="Publish a release">
      <form
        className="col"
        onSubmit={(e) => {
          e.preventDefault();
          if (file && !tooBig) m.mutate({ file, filename: file.name });
        }}
      >
        <p className="muted small">Upload a kanade-agent binary (≤ 64 MiB). The version is read from the binary's version resource.</p>
        <div className="row">
          <input ref={fileRef} type="file" accept=".exe,application/octet-stream" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-label="Agent binary" data-testid="publish-file" />
          <button type="submit" className="btn-primary" disabled={!file || tooBig || m.isPending} data-testid="publish-submit">
            {m.isPending ? <Spinner /> : null} Upload
          </button>
        </div>
        {file && <span className="small muted">{file.name} — {formatBytes(file.size)}</span>}
        {tooBig && <span className="error-text">The file is larger than 64 MiB.</span>}
        {m.isError && <div className="banner banner-error">Upload failed: {errorMessage(m.error)}</div>}
        {m.data && (
          <div className="banner banner-ok small" data-testid="publish-result">
            Published <strong>{m.data.version}</strong> ({formatBytes(m.data.size)}, <code>{m.data.digest}</code>)
          </div>
        )}
      </form>
    </Card>
  );
}

export default function RolloutPage() {
  const q = useOp("ListReleases", { limit: 1000 });
  const global = useOp("GetGlobalConfig", {});
  const [rolling, setRolling] = useState<Release | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const confirm = useConfirm();
  const toast = useToast();
  const { run, isBusy } = useRowPending();
  const deleteRelease = useOpMutation("DeleteRelease");
  const del = async (r: Release) => {
    const ok = await confirm({ title: `Delete release ${r.version}?`, body: <p>Removes the binary from the release store. Agents already running it are not affected.</p>, confirmLabel: "Delete", danger: true });
    if (!ok) return;
    void run(r.version, async () => {
      try {
        await deleteRelease.mutateAsync({ version: r.version });
        toast.ok(`Deleted ${r.version}`);
        setConflict(null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) setConflict(`${r.version} is still a rollout target: ${e.message}`);
        else toast.error(`${r.version}: ${errorMessage(e)}`);
      }
    });
  };
  return (
    <div className="page" data-testid="page-rollout">
      <PageHeader title="Rollout" sub="Agent releases and self-update targets." />
      {conflict && (
        <div className="banner banner-error" role="alert" data-testid="release-delete-conflict">
          {conflict} — point that scope at another version (or clear it) on <Link to="/config">Config</Link>, then delete.{" "}
          <button type="button" className="btn-sm btn-ghost" onClick={() => setConflict(null)}>
            dismiss
          </button>
        </div>
      )}
      <Card title="Releases" flush>
        <QueryView q={q} isEmpty={(d) => d.items.length === 0} empty="No releases published yet.">
          {(d) => (
            <div className="table-wrap">
              <table className="table" data-testid="table-releases">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th className="num">Size</th>
                    <th>Digest</th>
                    <th>Modified</th>
                    <th className="num">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((r) => (
                    <tr key={r.version}>
                      <td>
                        <strong className="mono">{r.version}</strong>
                        {global.data?.target_version === r.version && (
                          <span className="badge badge-accent" style={{ marginLeft: 6 }}>
                            global target
                          </span>
                        )}
                      </td>
                      <td className="num">{formatBytes(r.size)}</td>
                      <td className="mono ellipsis" title={r.digest ?? ""} style={{ maxWidth: 220 }}>
                        {r.digest ?? "—"}
                      </td>
                      <td>
                        <Time t={r.modified} /> <span className="muted small">(<RelTime t={r.modified} />)</span>
                      </td>
                      <td>
                        <div className="actions">
                          <Can action="operate">
                          <button type="button" className="btn-sm" onClick={() => setRolling(r)} data-testid="rollout-button">
                            Roll out…
                          </button>
                          <button type="button" className="btn-sm btn-danger" onClick={() => void del(r)} disabled={isBusy(r.version)} data-testid="delete-release">
                            {isBusy(r.version) ? <Spinner /> : null}Delete
                          </button>
                          </Can>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </Card>
      <Can action="operate">
        <UploadCard />
      </Can>
      {rolling && <RolloutDialog release={rolling} onClose={() => setRolling(null)} />}
    </div>
  );
}
