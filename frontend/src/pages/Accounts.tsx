// /accounts (admin): the console's accounts — create, role, disable/enable,
// password reset link, page allow-list or permission group, delete.
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  authKeys,
  accountResetLink,
  createAccount,
  deleteAccount,
  flag,
  linkFrom,
  listAccounts,
  listPermissionGroups,
  updateAccount,
  type UserRow,
} from "../api/auth";
import { useAccess } from "../components/Access";
import { FeaturePicker } from "../components/FeaturePicker";
import { Modal, useConfirm, useToast } from "../components/overlay";
import { Card, CopyButton, PageHeader, QueryView, errorMessage } from "../components/ui";
import { ROLES, type Feature, type Role } from "../lib/access";
import { useRowPending } from "../lib/hooks";

export const ACCOUNTS_KEY = authKeys.accounts;
export const GROUPS_KEY = authKeys.permissionGroups;

/** How an account's pages read in the table. */
export function pagesSummary(u: Pick<UserRow, "allowed_features" | "permission_group">): string {
  if (u.permission_group) return `group ${u.permission_group}`;
  if (u.allowed_features === null || u.allowed_features === undefined) return "all pages";
  if (u.allowed_features.length === 0) return "no pages";
  return u.allowed_features.join(", ");
}

type PagesMode = "all" | "list" | "group";

function PagesDialog({ user, groups, onClose, onSaved }: { user: UserRow; groups: string[]; onClose: () => void; onSaved: () => void }) {
  const [mode, setMode] = useState<PagesMode>(user.permission_group ? "group" : user.allowed_features ? "list" : "all");
  const [features, setFeatures] = useState<Feature[]>(user.allowed_features ?? []);
  const [group, setGroup] = useState(user.permission_group ?? groups[0] ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await updateAccount(user.username, {
        allowed_features: mode === "list" ? features : null,
        permission_group: mode === "group" ? group : null,
      });
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
      title={`Pages of ${user.username}`}
      onClose={onClose}
      testId="pages-dialog"
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn-primary" onClick={() => void save()} disabled={busy || (mode === "group" && !group)} data-testid="pages-save">
            Save
          </button>
        </>
      }
    >
      <div className="col">
        {error && <div className="banner banner-error">{error}</div>}
        <div className="row" role="radiogroup">
          {(
            [
              ["all", "All pages"],
              ["list", "Only these pages"],
              ["group", "A permission group"],
            ] as const
          ).map(([m, label]) => (
            <label key={m} className="field-inline">
              <input type="radio" name="pages-mode" checked={mode === m} onChange={() => setMode(m)} disabled={m === "group" && groups.length === 0} data-testid={`pages-mode-${m}`} />
              {label}
            </label>
          ))}
        </div>
        {mode === "list" && <FeaturePicker value={features} onChange={setFeatures} />}
        {mode === "group" && (
          <label className="field" style={{ maxWidth: 260 }}>
            <span>Group</span>
            <select value={group} onChange={(e) => setGroup(e.target.value)} data-testid="pages-group">
              {groups.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          </label>
        )}
        <p className="small muted">The role still limits what the account can change: a viewer sees the pages but runs nothing.</p>
      </div>
    </Modal>
  );
}

function CreateAccountForm({ groups, onCreated }: { groups: string[]; onCreated: (username: string, link: string | null) => void }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [group, setGroup] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pwShort = password !== "" && [...password].length < 8;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await createAccount({
        username: username.trim(),
        role,
        ...(password ? { password } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(group ? { permission_group: group } : {}),
      });
      onCreated(username.trim(), linkFrom(r, window.location.origin));
      setUsername("");
      setPassword("");
      setEmail("");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="col" onSubmit={(e) => void submit(e)} data-testid="account-create">
      {error && (
        <div className="banner banner-error" role="alert" data-testid="account-create-error">
          {error}
        </div>
      )}
      <div className="row" style={{ alignItems: "flex-end" }}>
        <label className="field">
          <span>Username</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" data-testid="account-new-username" />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="account-new-role">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" placeholder="or a setup link" data-testid="account-new-password" />
        </label>
        <label className="field">
          <span>Email (optional)</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" data-testid="account-new-email" />
        </label>
        {groups.length > 0 && (
          <label className="field">
            <span>Permission group</span>
            <select value={group} onChange={(e) => setGroup(e.target.value)} data-testid="account-new-group">
              <option value="">— all pages —</option>
              {groups.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="btn-primary" disabled={busy || !username.trim() || pwShort} data-testid="account-new-submit">
          Create
        </button>
      </div>
      <p className="small muted">
        {pwShort ? "The password needs at least 8 characters. " : ""}
        Without a password the account gets a setup link (mailed when an email and mail are configured) and cannot sign in until it is used.
      </p>
    </form>
  );
}

export default function AccountsPage() {
  const q = useQuery({ queryKey: ACCOUNTS_KEY, queryFn: listAccounts });
  const groupsQ = useQuery({ queryKey: GROUPS_KEY, queryFn: listPermissionGroups });
  const groups = (groupsQ.data ?? []).map((g) => g.name);
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const me = useAccess().me;
  const { run, isBusy } = useRowPending();
  const [pagesFor, setPagesFor] = useState<UserRow | null>(null);
  const [link, setLink] = useState<{ username: string; url: string } | null>(null);

  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ACCOUNTS_KEY }), qc.invalidateQueries({ queryKey: GROUPS_KEY })]);
  const act = (key: string, fn: () => Promise<unknown>, ok: string) =>
    void run(key, async () => {
      try {
        await fn();
        toast.ok(ok);
        await refresh();
      } catch (e) {
        toast.error(errorMessage(e));
      }
    });

  const resetLink = (u: UserRow) =>
    void run(`reset:${u.username}`, async () => {
      try {
        const r = await accountResetLink(u.username);
        const url = linkFrom(r, window.location.origin);
        if (url) setLink({ username: u.username, url });
        else toast.ok(`Reset link for ${u.username} sent by email`);
      } catch (e) {
        toast.error(errorMessage(e));
      }
    });

  const onDelete = async (u: UserRow) => {
    const ok = await confirm({ title: `Delete account ${u.username}?`, body: <p>The account can no longer sign in; the audit keeps its name.</p>, confirmLabel: "Delete", danger: true });
    if (ok) act(`del:${u.username}`, () => deleteAccount(u.username), `Deleted ${u.username}`);
  };

  return (
    <div className="page" data-testid="page-accounts">
      <PageHeader title="Accounts" sub="Who may sign in, with which role (viewer < operator < admin) and which pages.">
        <Link className="btn" to="/permission-groups" data-testid="to-permission-groups">
          Permission groups
        </Link>
      </PageHeader>
      <Card title="New account">
        <CreateAccountForm
          groups={groups}
          onCreated={(username, url) => {
            toast.ok(`Created ${username}`);
            if (url) setLink({ username, url });
            void refresh();
          }}
        />
      </Card>
      <Card flush>
        <QueryView q={q} isEmpty={(d) => d.length === 0} empty="No accounts yet.">
          {(rows) => (
            <div className="table-wrap">
              <table className="table" data-testid="accounts-table">
                <thead>
                  <tr>
                    <th>Username</th>
                    <th>Role</th>
                    <th>State</th>
                    <th>Pages</th>
                    <th>Email</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((u) => {
                    const disabled = flag(u.disabled);
                    const self = me?.username === u.username;
                    return (
                      <tr key={u.username} data-testid={`account-row-${u.username}`} data-role={u.role} data-disabled={String(disabled)}>
                        <td>
                          <strong>{u.username}</strong> {self && <span className="badge badge-info">you</span>}
                        </td>
                        <td>
                          <select
                            value={u.role}
                            aria-label={`Role of ${u.username}`}
                            disabled={isBusy(`role:${u.username}`)}
                            onChange={(e) => act(`role:${u.username}`, () => updateAccount(u.username, { role: e.target.value as Role }), `${u.username} is now ${e.target.value}`)}
                            data-testid="account-role"
                          >
                            {ROLES.map((r) => (
                              <option key={r}>{r}</option>
                            ))}
                          </select>
                        </td>
                        <td>
                          <div className="chips">
                            {disabled ? <span className="badge badge-fail">disabled</span> : <span className="badge badge-ok">enabled</span>}
                            {flag(u.must_change_pw) && <span className="badge badge-warn">must change password</span>}
                            {u.mfa_enabled && <span className="badge badge-accent">2FA</span>}
                            {u.setup_pending && <span className="badge badge-info">setup link pending</span>}
                          </div>
                        </td>
                        <td className="wrap small" data-testid="account-pages">
                          {pagesSummary(u)}
                        </td>
                        <td className="small">{u.email ?? <span className="muted">—</span>}</td>
                        <td className="small nowrap">{u.created_at}</td>
                        <td>
                          <div className="row" style={{ flexWrap: "nowrap" }}>
                            <button type="button" className="btn-sm" onClick={() => setPagesFor(u)} data-testid="account-pages-edit">
                              Pages…
                            </button>
                            <button
                              type="button"
                              className="btn-sm"
                              disabled={isBusy(`dis:${u.username}`)}
                              onClick={() => act(`dis:${u.username}`, () => updateAccount(u.username, { disabled: !disabled }), `${u.username} ${disabled ? "enabled" : "disabled"}`)}
                              data-testid="account-toggle"
                            >
                              {disabled ? "Enable" : "Disable"}
                            </button>
                            <button type="button" className="btn-sm" disabled={isBusy(`reset:${u.username}`)} onClick={() => resetLink(u)} data-testid="account-reset-link">
                              Reset link
                            </button>
                            <button type="button" className="btn-sm btn-danger" disabled={isBusy(`del:${u.username}`)} onClick={() => void onDelete(u)} data-testid="account-delete">
                              Delete
                            </button>
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </Card>
      {pagesFor && (
        <PagesDialog
          user={pagesFor}
          groups={groups}
          onClose={() => setPagesFor(null)}
          onSaved={() => {
            toast.ok(`Pages of ${pagesFor.username} saved`);
            setPagesFor(null);
            void refresh();
          }}
        />
      )}
      <Modal open={link !== null} title={`Password link for ${link?.username ?? ""}`} onClose={() => setLink(null)} testId="link-dialog">
        <p className="small">Give this single-use link to {link?.username}; it sets a new password and expires in 72 hours.</p>
        <code className="mfa-secret" data-testid="link-url">
          {link?.url}
        </code>
        <div className="row" style={{ marginTop: 8 }}>
          <CopyButton text={link?.url ?? ""} label="Copy link" testId="link-copy" />
        </div>
      </Modal>
    </div>
  );
}
