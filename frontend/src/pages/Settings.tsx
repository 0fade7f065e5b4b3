// Desktop settings (only in the Wails window): embedded or external NATS,
// the address agents connect to, the data dir, and the optional HTTP
// listener with its token. Apply saves them and restarts the console core.
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { applyDesktopSettings, getDesktopSettings, isDesktop, type DesktopSettings, type DesktopSettingsState } from "../api";
import { desktopSettingsKey } from "../api/hooks";
import { useConfirm, useToast } from "../components/overlay";
import { Card, ErrorState, Loading, PageHeader, Spinner, Time, errorMessage } from "../components/ui";

type Field = keyof DesktopSettings;

/** The form starts from what runs now (pinned fields show their pinned value). */
function initialForm(st: DesktopSettingsState): DesktopSettings {
  const out = { ...st.effective };
  if (!out.nats_mode) out.nats_mode = "embedded";
  return out;
}

/** What Apply saves: the form, except that pinned fields keep their saved value. */
function toSave(form: DesktopSettings, st: DesktopSettingsState): DesktopSettings {
  const out = { ...form };
  for (const k of Object.keys(st.pinned) as Field[]) {
    (out as Record<Field, unknown>)[k] = st.saved[k];
  }
  return out;
}

function Pinned({ st, field }: { st: DesktopSettingsState; field: Field }) {
  const by = st.pinned[field];
  if (!by) return null;
  return (
    <span className="muted small" data-testid={`pinned-${field}`}>
      set by {by} for this run
    </span>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export default function SettingsPage() {
  const desktop = isDesktop();
  const q = useQuery({ queryKey: desktopSettingsKey, queryFn: getDesktopSettings, enabled: desktop, refetchOnWindowFocus: false });
  const [form, setForm] = useState<DesktopSettings | null>(null);
  const [showTokens, setShowTokens] = useState(false);
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  useEffect(() => {
    if (q.data && form === null) setForm(initialForm(q.data));
  }, [q.data, form]);

  const apply = useMutation({
    mutationFn: (s: DesktopSettings) => applyDesktopSettings(s),
    onSuccess: (st) => {
      qc.setQueryData(desktopSettingsKey, st);
      setForm(initialForm(st));
      toast.ok("Settings saved; the console core restarted");
      void qc.invalidateQueries();
    },
    onError: (e) => {
      toast.error(errorMessage(e));
      void q.refetch();
    },
  });

  if (!desktop) {
    return (
      <div className="page" data-testid="page-settings">
        <PageHeader title="Settings" />
        <Card>
          <p className="muted" data-testid="settings-browser-note">Settings belong to the desktop app. This console runs in a browser against <code>kanade-console serve</code>, which takes flags, environment variables and <code>backend.toml</code> instead.</p>
        </Card>
      </div>
    );
  }
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!form) return <Loading />;
  const st = q.data;
  const pinned = (f: Field) => f in st.pinned;
  const set = <K extends Field>(k: K, v: DesktopSettings[K]) => setForm({ ...form, [k]: v });
  const external = form.nats_mode === "external";
  const tokenType = showTokens ? "text" : "password";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await confirm({
      title: "Apply settings?",
      body: "The console core restarts (NATS connection, projectors, scheduler). Runs and pings in progress are interrupted; the window stays open.",
      confirmLabel: "Apply and restart",
    });
    if (ok) apply.mutate(toSave(form, st));
  };

  const core = st.core;
  return (
    <div className="page" data-testid="page-settings">
      <PageHeader title="Settings" sub={<>Desktop app settings, saved in {st.file}. Apply restarts the console core, not the app.</>} />

      <Card title="Console core" testId="settings-core">
        <dl className="kv">
          <dt>State</dt>
          <dd>
            <span className={`badge ${core.state === "running" ? "badge-ok" : core.state === "failed" ? "badge-fail" : "badge-warn"}`} data-testid="core-state">
              {core.state}
            </span>
            {core.error ? <span className="muted small"> {core.error}</span> : null}
          </dd>
          {core.started_at ? (
            <>
              <dt>Started</dt>
              <dd>
                <Time t={core.started_at} /> {core.restarts > 0 ? <span className="muted small">({core.restarts} restarts)</span> : null}
              </dd>
            </>
          ) : null}
          <dt>NATS</dt>
          <dd>
            {core.nats_embedded ? "embedded" : "external"} <code>{core.nats_url || "—"}</code>
          </dd>
          <dt>Data dir</dt>
          <dd>
            <code>{core.data_dir}</code>
          </dd>
          <dt>HTTP listener</dt>
          <dd data-testid="core-http">
            {core.http_url ? (
              <>
                <code>{core.http_url}</code> <span className="muted small">auth: {core.http_auth}</span>
              </>
            ) : core.http_error ? (
              <span className="badge badge-fail">{core.http_error}</span>
            ) : (
              <span className="muted">off</span>
            )}
          </dd>
          <dt>Version</dt>
          <dd>{st.version}</dd>
        </dl>
      </Card>

      <form className="col" onSubmit={(e) => void submit(e)} data-testid="settings-form">
        <Card title="NATS">
          <div className="col">
            <div className="row">
              <label className="field-inline">
                <input type="radio" name="nats_mode" checked={!external} disabled={pinned("nats_mode")} onChange={() => set("nats_mode", "embedded")} data-testid="nats-embedded" />
                Embedded server (in this app)
              </label>
              <label className="field-inline">
                <input type="radio" name="nats_mode" checked={external} disabled={pinned("nats_mode")} onChange={() => set("nats_mode", "external")} data-testid="nats-external" />
                External NATS
              </label>
              <Pinned st={st} field="nats_mode" />
            </div>
            <div className="form-grid">
              {external ? (
                <Row label="NATS URL">
                  <input value={form.nats_url} onChange={(e) => set("nats_url", e.target.value)} placeholder="nats://nats.example:4222" disabled={pinned("nats_url")} required data-testid="nats-url" />
                  <Pinned st={st} field="nats_url" />
                </Row>
              ) : (
                <Row label="Agents connect to (listen address)">
                  <input value={form.nats_listen} onChange={(e) => set("nats_listen", e.target.value)} placeholder="127.0.0.1:4222 (off = in-process only)" disabled={pinned("nats_listen")} data-testid="nats-listen" />
                  <Pinned st={st} field="nats_listen" />
                </Row>
              )}
              <Row label={external ? "NATS token" : "Token agents must present"}>
                <input type={tokenType} value={form.nats_token} onChange={(e) => set("nats_token", e.target.value)} placeholder="none" autoComplete="off" disabled={pinned("nats_token")} data-testid="nats-token" />
                <Pinned st={st} field="nats_token" />
              </Row>
              {external ? null : (
                <>
                  <Row label="Agent user (agent subjects only)">
                    <input value={form.nats_agent_user} onChange={(e) => set("nats_agent_user", e.target.value)} placeholder="none" autoComplete="off" disabled={pinned("nats_agent_user")} data-testid="nats-agent-user" />
                    <Pinned st={st} field="nats_agent_user" />
                  </Row>
                  <Row label="Agent password">
                    <input type={tokenType} value={form.nats_agent_password} onChange={(e) => set("nats_agent_password", e.target.value)} placeholder="none" autoComplete="off" disabled={pinned("nats_agent_password")} data-testid="nats-agent-password" />
                    <Pinned st={st} field="nats_agent_password" />
                  </Row>
                  <Row label="TLS certificate (PEM file; agents then use tls://)">
                    <input value={form.nats_tls_cert} onChange={(e) => set("nats_tls_cert", e.target.value)} placeholder="none" disabled={pinned("nats_tls_cert")} data-testid="nats-tls-cert" />
                    <Pinned st={st} field="nats_tls_cert" />
                  </Row>
                  <Row label="TLS private key (PEM file)">
                    <input value={form.nats_tls_key} onChange={(e) => set("nats_tls_key", e.target.value)} placeholder="none" disabled={pinned("nats_tls_key")} data-testid="nats-tls-key" />
                    <Pinned st={st} field="nats_tls_key" />
                  </Row>
                </>
              )}
            </div>
          </div>
        </Card>

        <Card title="Data">
          <div className="form-grid">
            <Row label="Data dir (SQLite file, embedded JetStream store)">
              <input value={form.data_dir} onChange={(e) => set("data_dir", e.target.value)} disabled={pinned("data_dir")} data-testid="data-dir" />
              <Pinned st={st} field="data_dir" />
            </Row>
          </div>
        </Card>

        <Card title="HTTP listener (web UI and API for the kanade CLI and teammates)">
          <div className="col">
            <label className="field-inline">
              <input type="checkbox" checked={form.http_enabled} disabled={pinned("http_enabled")} onChange={(e) => set("http_enabled", e.target.checked)} data-testid="http-enabled" />
              Serve HTTP
              <Pinned st={st} field="http_enabled" />
            </label>
            <div className="form-grid">
              <Row label="Listen address">
                <input value={form.http_addr} onChange={(e) => set("http_addr", e.target.value)} placeholder="127.0.0.1:8080" disabled={!form.http_enabled || pinned("http_addr")} data-testid="http-addr" />
                <Pinned st={st} field="http_addr" />
              </Row>
              <Row label="Bearer token (required off loopback)">
                <input type={tokenType} value={form.http_token} onChange={(e) => set("http_token", e.target.value)} placeholder="none" autoComplete="off" disabled={!form.http_enabled || pinned("http_token")} data-testid="http-token" />
                <Pinned st={st} field="http_token" />
              </Row>
              <Row label="TLS certificate (PEM file; serves https://)">
                <input value={form.http_tls_cert} onChange={(e) => set("http_tls_cert", e.target.value)} placeholder="none" disabled={!form.http_enabled || pinned("http_tls_cert")} data-testid="http-tls-cert" />
                <Pinned st={st} field="http_tls_cert" />
              </Row>
              <Row label="TLS private key (PEM file)">
                <input value={form.http_tls_key} onChange={(e) => set("http_tls_key", e.target.value)} placeholder="none" disabled={!form.http_enabled || pinned("http_tls_key")} data-testid="http-tls-key" />
                <Pinned st={st} field="http_tls_key" />
              </Row>
            </div>
          </div>
        </Card>

        <div className="row">
          <button type="submit" className="btn-primary" disabled={apply.isPending} data-testid="settings-apply">
            {apply.isPending ? (
              <>
                <Spinner /> Restarting…
              </>
            ) : (
              "Apply"
            )}
          </button>
          <button type="button" onClick={() => setForm(initialForm(st))} disabled={apply.isPending} data-testid="settings-reset">
            Discard changes
          </button>
          <label className="field-inline">
            <input type="checkbox" checked={showTokens} onChange={(e) => setShowTokens(e.target.checked)} />
            Show tokens
          </label>
        </div>
        {apply.isError ? <ErrorState error={apply.error} title="Not applied" /> : null}
      </form>
    </div>
  );
}
