// /permission-groups (admin): named page sets shared by accounts (§1.11).
// An account in a group gets exactly the group's pages; '[]' = profile only.
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createPermissionGroup, deletePermissionGroup, listPermissionGroups, updatePermissionGroup, type PermissionGroup } from "../api/auth";
import { FeaturePicker, FEATURE_LABELS } from "../components/FeaturePicker";
import { Modal, useConfirm, useToast } from "../components/overlay";
import { Card, PageHeader, QueryView, errorMessage } from "../components/ui";
import type { Feature } from "../lib/access";
import { useRowPending } from "../lib/hooks";
import { ACCOUNTS_KEY, GROUPS_KEY } from "./Accounts";

function EditGroup({ group, onClose, onSaved }: { group: PermissionGroup; onClose: () => void; onSaved: () => void }) {
  const [features, setFeatures] = useState<Feature[]>(group.features);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await updatePermissionGroup(group.name, features);
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      wide
      title={`Pages of group ${group.name}`}
      onClose={onClose}
      testId="group-dialog"
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn-primary" disabled={busy} onClick={() => void save()} data-testid="group-save">
            Save
          </button>
        </>
      }
    >
      {error && <div className="banner banner-error">{error}</div>}
      <FeaturePicker value={features} onChange={setFeatures} />
    </Modal>
  );
}

export default function PermissionGroupsPage() {
  const q = useQuery({ queryKey: GROUPS_KEY, queryFn: listPermissionGroups });
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const { run, isBusy } = useRowPending();
  const [name, setName] = useState("");
  const [features, setFeatures] = useState<Feature[]>(["dashboard"]);
  const [editing, setEditing] = useState<PermissionGroup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: GROUPS_KEY }), qc.invalidateQueries({ queryKey: ACCOUNTS_KEY })]);

  const create = (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    void run("create", async () => {
      setError(null);
      try {
        await createPermissionGroup(n, features);
        toast.ok(`Created group ${n}`);
        setName("");
        await refresh();
      } catch (err) {
        setError(errorMessage(err));
      }
    });
  };

  const onDelete = async (g: PermissionGroup) => {
    const ok = await confirm({ title: `Delete group ${g.name}?`, body: <p>Only a group without members can be deleted.</p>, confirmLabel: "Delete", danger: true });
    if (!ok) return;
    void run(`del:${g.name}`, async () => {
      try {
        await deletePermissionGroup(g.name);
        toast.ok(`Deleted group ${g.name}`);
        await refresh();
      } catch (e) {
        toast.error(errorMessage(e));
      }
    });
  };

  return (
    <div className="page" data-testid="page-permission-groups">
      <PageHeader title="Permission groups" sub="Named sets of pages; an account in a group sees exactly those pages (its role still decides what it may change).">
        <Link className="btn" to="/accounts" data-testid="to-accounts">
          Accounts
        </Link>
      </PageHeader>
      <Card title="New group">
        <form className="col" onSubmit={create} data-testid="group-create">
          {error && (
            <div className="banner banner-error" role="alert" data-testid="group-create-error">
              {error}
            </div>
          )}
          <label className="field" style={{ maxWidth: 260 }}>
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="group-new-name" />
          </label>
          <FeaturePicker value={features} onChange={setFeatures} testId="group-new-features" />
          <div className="row">
            <button type="submit" className="btn-primary" disabled={!name.trim() || isBusy("create")} data-testid="group-new-submit">
              Create group
            </button>
          </div>
        </form>
      </Card>
      <Card flush>
        <QueryView q={q} isEmpty={(d) => d.length === 0} empty="No permission groups.">
          {(rows) => (
            <div className="table-wrap">
              <table className="table" data-testid="groups-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Pages</th>
                    <th>Members</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((g) => (
                    <tr key={g.name} data-testid={`pgroup-row-${g.name}`}>
                      <td>
                        <strong>{g.name}</strong>
                      </td>
                      <td>
                        <div className="chips">
                          {g.features.length === 0 ? <span className="muted small">profile only</span> : g.features.map((f) => <span key={f} className="chip static">{FEATURE_LABELS[f] ?? f}</span>)}
                        </div>
                      </td>
                      <td>{g.member_count}</td>
                      <td>
                        <div className="row" style={{ flexWrap: "nowrap" }}>
                          <button type="button" className="btn-sm" onClick={() => setEditing(g)} data-testid="pgroup-edit">
                            Pages…
                          </button>
                          <button type="button" className="btn-sm btn-danger" disabled={isBusy(`del:${g.name}`)} onClick={() => void onDelete(g)} data-testid="pgroup-delete">
                            Delete
                          </button>
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
      {editing && (
        <EditGroup
          group={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            toast.ok(`Group ${editing.name} saved`);
            setEditing(null);
            void refresh();
          }}
        />
      )}
    </div>
  );
}
