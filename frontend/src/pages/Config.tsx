import { useEffect, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import type { ConfigScope } from "../api";
import { opQuery, useOp, useOpMutation } from "../api/hooks";
import { useConfirm, useToast } from "../components/overlay";
import { Can } from "../components/Access";
import { Card, ErrorState, Loading, PageHeader, Spinner, errorMessage } from "../components/ui";
import { isHumantime } from "../lib/validate";

type Kind = "global" | "group" | "pc";
const FIELDS = [
  { key: "target_version", label: "Target version", placeholder: "inherit (keep running version)", duration: false },
  { key: "target_version_jitter", label: "Target version jitter", placeholder: "inherit (default 0s)", duration: true },
  { key: "heartbeat_interval", label: "Heartbeat interval", placeholder: "inherit (default 30s)", duration: true },
] as const;

function scopeQuery(kind: Kind, name: string) {
  if (kind === "global") return opQuery("GetGlobalConfig", {});
  if (kind === "group") return opQuery("GetGroupConfig", { name });
  return opQuery("GetPcConfig", { pc_id: name });
}

function ScopeEditor({ kind, name }: { kind: Kind; name: string }) {
  const q = useQuery({ ...scopeQuery(kind, name), refetchOnWindowFocus: false });
  const releases = useOp("ListReleases", { limit: 1000 });
  const [form, setForm] = useState<Record<string, string> | null>(null);
  useEffect(() => {
    if (q.data && form === null) {
      setForm(Object.fromEntries(FIELDS.map((f) => [f.key, typeof q.data[f.key] === "string" ? (q.data[f.key] as string) : ""])));
    }
  }, [q.data, form]);
  const toast = useToast();
  const confirm = useConfirm();
  const label = kind === "global" ? "global" : `${kind} ${name}`;
  const scope = (): ConfigScope => {
    // keep fields this console doesn't know about
    const out: ConfigScope = { ...(q.data ?? {}) };
    for (const f of FIELDS) {
      const v = form?.[f.key]?.trim() ?? "";
      if (v) out[f.key] = v;
      else delete out[f.key];
    }
    return out;
  };
  const saved = {
    onSuccess: () => {
      toast.ok(`Saved ${label} config`);
      setForm(null);
    },
  };
  const cleared = {
    onSuccess: () => {
      toast.ok(`Cleared ${label} config`);
      setForm(null);
    },
  };
  // One op per scope kind; an editor uses the pair of its kind.
  const putGlobal = useOpMutation("PutGlobalConfig", saved);
  const putGroup = useOpMutation("PutGroupConfig", saved);
  const putPc = useOpMutation("PutPcConfig", saved);
  const deleteGroup = useOpMutation("DeleteGroupConfig", cleared);
  const deletePc = useOpMutation("DeletePcConfig", cleared);
  const save = kind === "global" ? putGlobal : kind === "group" ? putGroup : putPc;
  const clear = kind === "group" ? deleteGroup : deletePc;
  const saveScope = () => {
    if (kind === "global") putGlobal.mutate(scope());
    else if (kind === "group") putGroup.mutate({ ...scope(), name });
    else putPc.mutate({ ...scope(), pc_id: name });
  };
  const clearScope = () => (kind === "group" ? deleteGroup.mutate({ name }) : deletePc.mutate({ pc_id: name }));
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!form) return <Loading />;
  const bad = FIELDS.filter((f) => f.duration && form[f.key].trim() !== "" && !isHumantime(form[f.key].trim()));
  const extra = Object.keys(q.data).filter((k) => !FIELDS.some((f) => f.key === k));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (bad.length === 0) saveScope();
  };
  return (
    <form className="col" onSubmit={submit} data-testid={`config-scope-${kind}`}>
      <div className="form-grid">
        {FIELDS.map((f) => (
          <label key={f.key} className="field">
            <span>{f.label}</span>
            <input
              value={form[f.key]}
              onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
              placeholder={f.placeholder}
              list={f.key === "target_version" ? "config-releases" : undefined}
              aria-invalid={bad.includes(f)}
              data-testid={`${kind}-${f.key}`}
            />
          </label>
        ))}
        <datalist id="config-releases">
          {(releases.data?.items ?? []).map((r) => (
            <option key={r.version} value={r.version} />
          ))}
        </datalist>
      </div>
      {bad.length > 0 && <span className="error-text">{bad.map((f) => f.label).join(", ")}: use a duration like 30s, 10m, 1h.</span>}
      {extra.length > 0 && <span className="muted small">Also set (kept as is): {extra.join(", ")}</span>}
      {(save.isError || clear.isError) && <div className="banner banner-error">{errorMessage(save.error ?? clear.error)}</div>}
      <Can action="operate" fallback={<span className="muted small">Read only: changing config needs the operator role.</span>}>
      <div className="row">
        <button type="submit" className="btn-primary" disabled={bad.length > 0 || save.isPending} data-testid={`save-${kind}-config`}>
          {save.isPending ? <Spinner /> : null} Save
        </button>
        <button type="button" onClick={() => setForm(null)} disabled={save.isPending}>
          Reset
        </button>
        {kind !== "global" && (
          <button
            type="button"
            className="btn-danger"
            disabled={clear.isPending}
            onClick={() =>
              void confirm({ title: `Clear the ${label} scope?`, body: <p>Every field falls back to the layers above.</p>, confirmLabel: "Clear", danger: true }).then((ok) => ok && clearScope())
            }
          >
            Clear scope
          </button>
        )}
        <span className="muted small">Empty = inherit.</span>
      </div>
      </Can>
    </form>
  );
}

function Picker({ label, value, onPick, options, listId, testId }: { label: string; value: string; onPick: (v: string) => void; options: string[]; listId: string; testId: string }) {
  const [text, setText] = useState(value);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        onPick(text.trim());
      }}
    >
      <input list={listId} value={text} onChange={(e) => setText(e.target.value)} placeholder={label} aria-label={label} data-testid={testId} />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <button type="submit" className="btn-sm" disabled={!text.trim()}>
        Open
      </button>
    </form>
  );
}

function Effective() {
  const agents = useOp("ListAgents", { limit: 1000 });
  const [pc, setPc] = useState("");
  const q = useOp("GetEffectiveConfig", { pc_id: pc }, { enabled: pc !== "" });
  return (
    <Card title="Effective config of a PC" testId="effective-config">
      <div className="col">
        <Picker label="pc_id" value={pc} onPick={setPc} options={(agents.data?.items ?? []).map((a) => a.pc_id)} listId="eff-pcs" testId="effective-pc" />
        <p className="muted small">Built-in defaults → global → each of the PC's groups (alphabetical; the last one wins) → the PC's own scope.</p>
        {pc &&
          (q.isPending ? (
            <Loading />
          ) : q.isError ? (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          ) : (
            <>
              {q.data.warnings.length > 0 && (
                <div className="banner banner-warn" data-testid="effective-warnings">
                  <strong>Conflicts:</strong>
                  <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
                    {q.data.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                </div>
              )}
              <dl className="kv">
                {Object.entries(q.data.effective).map(([k, v]) => (
                  <div key={k} style={{ display: "contents" }}>
                    <dt>{k}</dt>
                    <dd className="mono">{v === null || v === undefined ? <span className="muted">none (keep running version)</span> : typeof v === "object" ? JSON.stringify(v) : String(v)}</dd>
                  </div>
                ))}
              </dl>
            </>
          ))}
      </div>
    </Card>
  );
}

export default function ConfigPage() {
  const groups = useOp("ListGroups", { limit: 1000 });
  const agents = useOp("ListAgents", { limit: 1000 });
  const [group, setGroup] = useState("");
  const [pc, setPc] = useState("");
  return (
    <div className="page" data-testid="page-config">
      <PageHeader title="Config" sub="Layered agent config: global, per group and per PC. A field left empty inherits from the layer above." />
      <div className="grid grid-2" style={{ alignItems: "start" }}>
        <Card title="Global">
          <ScopeEditor kind="global" name="" />
        </Card>
        <Effective />
        <Card title={group ? `Group: ${group}` : "Group scope"}>
          <div className="col">
            <Picker label="group name" value={group} onPick={setGroup} options={(groups.data?.items ?? []).map((g) => g.group)} listId="cfg-groups" testId="config-group" />
            {group && <ScopeEditor key={group} kind="group" name={group} />}
          </div>
        </Card>
        <Card title={pc ? `PC: ${pc}` : "PC scope"}>
          <div className="col">
            <Picker label="pc_id" value={pc} onPick={setPc} options={(agents.data?.items ?? []).map((a) => a.pc_id)} listId="cfg-pcs" testId="config-pc" />
            {pc && <ScopeEditor key={pc} kind="pc" name={pc} />}
          </div>
        </Card>
      </div>
    </div>
  );
}
