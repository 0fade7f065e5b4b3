// "Connect agents": everything a kanade 0.29 agent needs to report to this
// console (address, token, agent.toml, the Windows settings), a live check
// that turns green on the first real heartbeat, and a demo fleet of
// simulated agents to try the console without any.
import { useState } from "react";
import { Link } from "react-router-dom";
import { transport, type ConnectInfo, type DemoStatus } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { Card, CopyButton, ErrorState, Loading, PageHeader, RelTime, errorMessage } from "../components/ui";
import { useToast } from "../components/overlay";
import { SimBadge } from "../components/Simulated";
import { agentToml, maskToken, openListenHint, preferredUrl, windowsSetup, AGENT_CONFIG_PATH, TOKEN_KEY_PATH } from "../lib/connect";

const DEMO_DEFAULT = 10;

function Addresses({ info, url, setUrl }: { info: ConnectInfo; url: string; setUrl: (u: string) => void }) {
  const desktop = transport() === "wails";
  return (
    <Card title="1. Address agents connect to" testId="connect-address">
      <div className="col">
        {info.urls.length === 0 ? (
          <div className="banner banner-warn" data-testid="connect-no-listener">
            The embedded NATS server has no listener for agents ({info.listen}). Give it one: <code>{openListenHint(info, desktop)}</code>
          </div>
        ) : (
          info.urls.map((u) => (
            <label key={u.url} className="connect-url">
              {info.urls.length > 1 && <input type="radio" name="agent-url" checked={url === u.url} onChange={() => setUrl(u.url)} aria-label={`Use ${u.url} in the config`} />}
              <code data-testid="connect-url">{u.url}</code>
              <CopyButton text={u.url} label="Copy" testId={`copy-url-${u.scope}`} />
              <span className="muted small">{u.scope === "network" ? "from other PCs" : "this machine only"}</span>
            </label>
          ))
        )}
        {info.embedded && info.loopback_only && info.urls.length > 0 && (
          <div className="banner banner-warn" data-testid="connect-loopback">
            NATS listens on loopback only, so agents on other PCs cannot reach it. To open it to the network: <code>{openListenHint(info, desktop)}</code>
          </div>
        )}
        <p className="muted small" style={{ margin: 0 }}>
          {info.embedded ? "This console runs the NATS server agents talk to (JetStream on)." : "This console uses an external NATS server; agents connect to the same one."}
        </p>
      </div>
    </Card>
  );
}

function Token({ info, reveal, setReveal }: { info: ConnectInfo; reveal: boolean; setReveal: (r: boolean) => void }) {
  return (
    <Card title="2. Token" testId="connect-token">
      {info.token ? (
        <div className="col">
          <div className="connect-url">
            <code data-testid="connect-token-value" data-revealed={reveal ? "true" : "false"}>
              {reveal ? info.token : maskToken(info.token)}
            </code>
            <button type="button" className="btn-sm" onClick={() => setReveal(!reveal)} data-testid="connect-token-reveal">
              {reveal ? "Hide" : "Reveal"}
            </button>
            <CopyButton text={info.token} testId="copy-token" />
          </div>
          <p className="muted small" style={{ margin: 0 }}>
            Agents read it from the registry value <code>{TOKEN_KEY_PATH}\NatsToken</code> (REG_SZ), else from the environment variable <code>KANADE_NATS_TOKEN</code>
            {info.token_from ? ` (this console has it from ${info.token_from === "nats-url" ? "its NATS URL" : info.token_from})` : ""}.
          </p>
        </div>
      ) : (
        <div className="banner banner-warn" data-testid="connect-no-token">
          No NATS token: anyone who can reach the address can act as an agent. Set <code>KANADE_NATS_TOKEN</code> before starting the console, and the same token on every PC.
        </div>
      )}
    </Card>
  );
}

function Check({ info }: { info: ConnectInfo }) {
  const a = info.agents;
  const ok = a.known > 0 && !!a.last_heartbeat;
  return (
    <div className={`connect-check banner ${ok ? "banner-ok" : "banner-warn"}`} data-testid="connect-check" data-state={ok ? "ok" : "waiting"} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      {ok ? (
        <span>
          <strong>Connected.</strong> {a.last_pc_id} sent a heartbeat <RelTime t={a.last_heartbeat} />; {a.active} of {a.known} real agent{a.known === 1 ? "" : "s"} online.{" "}
          <Link to="/agents">Agents →</Link>
        </span>
      ) : (
        <span>
          <strong>Waiting for the first heartbeat…</strong> Set up a PC with the steps below and start its agent service; it reports within its heartbeat interval (30 s by
          default). Simulated agents do not count.
        </span>
      )}
    </div>
  );
}

function Demo({ demo }: { demo: DemoStatus }) {
  const toast = useToast();
  const [n, setN] = useState(DEMO_DEFAULT);
  const start = useOpMutation("StartDemo");
  const stop = useOpMutation("StopDemo");
  const busy = start.isPending || stop.isPending;
  return (
    <Card title="Try it with simulated agents" testId="connect-demo">
      <div className="col">
        <p className="muted" style={{ margin: 0 }}>
          Runs a demo fleet of simulated kanade 0.29 agents inside this console. They are named <code>{demo.prefix}-00001</code>… and marked <SimBadge /> in every list, so
          they never pass for real PCs. Stopping removes them from the agent list; their results stay, marked too.
        </p>
        {demo.running ? (
          <div className="row" data-testid="demo-status" data-running="true">
            <span>
              <strong>{demo.agents}</strong> simulated agents running since <RelTime t={demo.started_at} />.
            </span>
            {demo.first_exec_id && <Link to={`/executions/${demo.first_exec_id}`}>First run →</Link>}
            <Link to="/agents">Agents →</Link>
            <span className="spacer" />
            <button
              type="button"
              className="btn-danger"
              disabled={busy}
              data-testid="demo-stop"
              onClick={() =>
                stop.mutate({}, { onSuccess: () => toast.ok("Simulated agents stopped"), onError: (e) => toast.error(`Could not stop: ${errorMessage(e)}`) })
              }
            >
              {stop.isPending ? "Stopping…" : "Stop simulated agents"}
            </button>
          </div>
        ) : (
          <form
            className="row"
            data-testid="demo-status"
            data-running="false"
            onSubmit={(e) => {
              e.preventDefault();
              start.mutate(
                { agents: n, first_run: true },
                { onSuccess: (s) => toast.ok(`${s.agents} simulated agents started`), onError: (err) => toast.error(`Could not start: ${errorMessage(err)}`) },
              );
            }}
          >
            <label className="field-inline">
              Agents
              <input type="number" min={1} max={1000} value={n} onChange={(e) => setN(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))} style={{ width: 90 }} data-testid="demo-count" />
            </label>
            <button type="submit" className="btn-primary" disabled={busy} data-testid="demo-start">
              {start.isPending ? "Starting…" : "Start simulated agents"}
            </button>
          </form>
        )}
      </div>
    </Card>
  );
}

export default function ConnectPage() {
  const q = useOp("GetConnectInfo", {}, { refetchInterval: 2_000 });
  const [picked, setPicked] = useState("");
  const [reveal, setReveal] = useState(false);
  const info = q.data;
  if (q.isPending) return <Loading label="Reading the console's NATS settings…" />;
  if (!info) return <ErrorState error={q.error} onRetry={() => void q.refetch()} title="Connect info unavailable" />;
  const url = info.urls.some((u) => u.url === picked) ? picked : preferredUrl(info.urls);
  const setup = windowsSetup(url || "nats://HOST:4222", info.token);
  return (
    <div className="page" data-testid="page-connect">
      <PageHeader title="Connect agents" sub="Point kanade 0.29 agents on your Windows PCs at this console, or try it with simulated agents first." />
      <Check info={info} />
      <div className="grid grid-2">
        <div className="col" style={{ gap: 16 }}>
          <Demo demo={info.demo} />
          <Addresses info={info} url={url} setUrl={setPicked} />
          <Token info={info} reveal={reveal} setReveal={setReveal} />
        </div>
        <div className="col" style={{ gap: 16 }}>
          <Card title="3. On each Windows PC" testId="connect-config" actions={<CopyButton text={setup} label="Copy script" testId="copy-setup" />}>
            <div className="col">
              <p className="muted small" style={{ margin: 0 }}>
                The agent reads <code>{AGENT_CONFIG_PATH}</code> (or the file named by <code>KANADE_AGENT_CONFIG</code>) and the token from the registry. This script, run as
                Administrator, writes both and restarts the <code>KanadeAgent</code> service:
              </p>
              <pre className="output" data-testid="connect-setup">{windowsSetup(url || "nats://HOST:4222", info.token, { mask: !reveal })}</pre>
              <div className="row">
                <strong className="small">agent.toml alone</strong>
                <span className="spacer" />
                <CopyButton text={agentToml(url || "nats://HOST:4222")} label="Copy agent.toml" testId="copy-toml" />
              </div>
              <pre className="output" data-testid="connect-toml">{agentToml(url || "nats://HOST:4222")}</pre>
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

/** The dashboard's empty-fleet card: the way to the guide and the demo. */
export function GetStarted() {
  return (
    <Card title="No agents yet" testId="get-started">
      <div className="row">
        <span>
          Connect the kanade agents of your Windows PCs to this console, or try it first with a fleet of simulated agents.
        </span>
        <span className="spacer" />
        <Link to="/connect" className="btn btn-primary" data-testid="get-started-connect">
          Connect agents →
        </Link>
      </div>
    </Card>
  );
}
