import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, type Agent } from "../api";
import { useOp, useOpMutation } from "../api/hooks";
import { Modal, useToast } from "../components/overlay";
import { DEFAULT_TAIL, LogTail } from "../components/LogTail";
import { OnlineBadge, PageHeader, RelTime, Spinner, errorMessage } from "../components/ui";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { formatClock } from "../format";
import { useFilterInput, useRowPending, useUrlState } from "../lib/hooks";
import { FAST } from "../lib/refresh";
import { SimMark } from "../components/Simulated";
import { Can } from "../components/Access";

/** The status values GET /api/agents accepts (backend/api/agents.go). */
const AGENT_STATUSES = ["online", "stale"] as const;
type AgentStatus = (typeof AGENT_STATUSES)[number];
const isAgentStatus = (s: string): s is AgentStatus => (AGENT_STATUSES as readonly string[]).includes(s);

function LogsDialog({ pc, onClose }: { pc: string; onClose: () => void }) {
  const [tail, setTail] = useState(DEFAULT_TAIL);
  const page = `/logs?pc=${encodeURIComponent(pc)}${tail === DEFAULT_TAIL ? "" : `&tail=${tail}`}`;
  return (
    <Modal open title={`Agent log — ${pc}`} onClose={onClose} wide testId="logs-dialog">
      <LogTail pc={pc} tail={tail} onTail={setTail} actions={<Link to={page} className="btn btn-sm">Open on Logs page</Link>} />
    </Modal>
  );
}

function GroupsDialog({ agent, known, onClose }: { agent: Agent; known: string[]; onClose: () => void }) {
  const toast = useToast();
  const [groups, setGroups] = useState(agent.groups ?? []);
  const [input, setInput] = useState("");
  const { run, isBusy } = useRowPending();
  const addGroup = useOpMutation("AddAgentGroup");
  const removeGroup = useOpMutation("RemoveAgentGroup");
  const add = (e: FormEvent) => {
    e.preventDefault();
    const g = input.trim();
    if (!g) return;
    void run(`add:${g}`, async () => {
      try {
        const r = await addGroup.mutateAsync({ pc_id: agent.pc_id, group: g });
        setGroups(r.groups);
        setInput("");
      } catch (err) {
        toast.error(`Add ${g}: ${errorMessage(err)}`);
      }
    });
  };
  const remove = (g: string) =>
    void run(`rm:${g}`, async () => {
      try {
        const r = await removeGroup.mutateAsync({ pc_id: agent.pc_id, group: g });
        setGroups(r.groups);
      } catch (err) {
        toast.error(`Remove ${g}: ${errorMessage(err)}`);
      }
    });
  return (
    <Modal open title={`Groups — ${agent.pc_id}`} onClose={onClose} testId="groups-dialog">
      <div className="chips" data-testid="groups-chips">
        {groups.length === 0 && <span className="muted small">No groups.</span>}
        {groups.map((g) => (
          <span key={g} className="chip">
            {g}
            <button type="button" aria-label={`Remove group ${g}`} onClick={() => remove(g)} disabled={isBusy(`rm:${g}`)}>
              {isBusy(`rm:${g}`) ? "…" : "×"}
            </button>
          </span>
        ))}
      </div>
      <form className="row" onSubmit={add}>
        <input list="known-groups" value={input} onChange={(e) => setInput(e.target.value)} placeholder="group name" aria-label="Group to add" className="grow" data-testid="group-input" />
        <datalist id="known-groups">
          {known.filter((g) => !groups.includes(g)).map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <button type="submit" className="btn-primary" disabled={!input.trim() || isBusy(`add:${input.trim()}`)} data-testid="group-add">
          Add
        </button>
      </form>
      <p className="muted small">Agents re-subscribe to their group subjects as soon as membership changes.</p>
    </Modal>
  );
}

export default function AgentsPage() {
  const [f, setF] = useUrlState({ q: "", status: "", group: "", limit: "50", offset: "0" });
  const [qText, setQText] = useFilterInput(f.q, (q) => setF({ q }), 300);
  const paging = urlPaging(f, setF);
  const { limit, offset } = paging;
  // A bookmarked or typed status the API does not know (e.g. "offline") is
  // not sent (it would be a 400); the page says so and offers the real ones.
  const badStatus = f.status !== "" && !isAgentStatus(f.status);
  const agents = useOp(
    "ListAgents",
    { q: f.q || undefined, status: isAgentStatus(f.status) ? f.status : undefined, group: f.group || undefined, limit, offset },
    { refetchInterval: FAST, placeholderData: (prev) => prev },
  );
  const groups = useOp("ListGroups", { limit: 1000 });
  const known = (groups.data?.items ?? []).map((g) => g.group);
  const toast = useToast();
  const { run, isBusy } = useRowPending();
  const [logsFor, setLogsFor] = useState<string | null>(null);
  const [groupsFor, setGroupsFor] = useState<Agent | null>(null);
  const pingAgent = useOpMutation("PingAgent");

  const ping = (pc: string) =>
    void run(`ping:${pc}`, async () => {
      try {
        const r = await pingAgent.mutateAsync({ pc_id: pc, wait_secs: 45 });
        toast.ok(
          <>
            <strong>{pc}</strong> answered — heartbeat at {formatClock(r.heartbeat.at)}, agent {r.heartbeat.agent_version}
          </>,
        );
      } catch (e) {
        toast.error(
          <>
            <strong>{pc}</strong>: {e instanceof ApiError && e.status === 408 ? "no heartbeat within 45 s" : errorMessage(e)}
          </>,
        );
      }
    });

  return (
    <div className="page" data-testid="page-agents">
      <PageHeader title="Agents" sub={agents.data ? (agents.data.total === 1 ? "1 agent matches" : `${agents.data.total} agents match`) : undefined} />
      <div className="filters" role="search">
        <label className="field">
          <span>Search</span>
          <input type="search" value={qText} onChange={(e) => setQText(e.target.value)} placeholder="pc_id or hostname" data-testid="agents-search" />
        </label>
        <label className="field">
          <span>Status</span>
          <select value={f.status} onChange={(e) => setF({ status: e.target.value })} data-testid="agents-status">
            <option value="">any</option>
            {AGENT_STATUSES.map((st) => (
              <option key={st} value={st}>
                {st}
              </option>
            ))}
            {badStatus && (
              <option value={f.status} disabled>
                {f.status} (not a status)
              </option>
            )}
          </select>
        </label>
        <label className="field">
          <span>Group</span>
          <select value={f.group} onChange={(e) => setF({ group: e.target.value })}>
            <option value="">any</option>
            {known.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      </div>
      {badStatus && (
        <div className="banner banner-warn" role="status" data-testid="agents-status-invalid">
          <span>
            “{f.status}” is not an agent status: an agent is <strong>online</strong> or <strong>stale</strong> (no heartbeat for 2 minutes). Showing every agent.
          </span>{" "}
          {AGENT_STATUSES.map((st) => (
            <button key={st} type="button" className="btn-sm" onClick={() => setF({ status: st })} data-testid={`agents-status-set-${st}`}>
              Show {st}
            </button>
          ))}{" "}
          <button type="button" className="btn-sm" onClick={() => setF({ status: "" })} data-testid="agents-status-reset">
            Clear the filter
          </button>
        </div>
      )}
      <PagedTable
        q={agents}
        empty={f.q || (f.status && !badStatus) || f.group ? "No agents match these filters." : "No agents have sent a heartbeat yet."}
        testId="table-agents"
        head={
          <>
            <th>PC</th>
            <th>Status</th>
            <th>Hostname</th>
            <th>OS</th>
            <th>Agent</th>
            <th>Groups</th>
            <th>Last heartbeat</th>
            <th className="num">Actions</th>
          </>
        }
        row={(a) => (
          <tr key={a.pc_id} data-testid={`agent-row-${a.pc_id}`}>
            <td>
              <Link to={`/inventory/pc/${encodeURIComponent(a.pc_id)}`} title="Inventory of this PC">
                <strong>{a.pc_id}</strong>
              </Link>
              <SimMark pcId={a.pc_id} />
            </td>
            <td>
              <OnlineBadge online={a.online} />
            </td>
            <td>{a.hostname ?? <span className="muted">—</span>}</td>
            <td>{a.os_family ?? <span className="muted">—</span>}</td>
            <td className="mono">{a.agent_version ?? "—"}</td>
            <td>
              <div className="chips">
                {(a.groups ?? []).map((g) => (
                  <span key={g} className="chip static">
                    {g}
                  </span>
                ))}
                <Can action="operate">
                  <button type="button" className="btn-sm btn-ghost" onClick={() => setGroupsFor(a)} aria-label={`Edit groups of ${a.pc_id}`} data-testid="edit-groups">
                    edit
                  </button>
                </Can>
              </div>
            </td>
            <td>
              <RelTime t={a.last_heartbeat} />
            </td>
            <td>
              <div className="actions">
                <Can action="operate">
                <button type="button" className="btn-sm" onClick={() => ping(a.pc_id)} disabled={isBusy(`ping:${a.pc_id}`)} data-testid="ping-button">
                  {isBusy(`ping:${a.pc_id}`) ? (
                    <>
                      <Spinner /> waiting…
                    </>
                  ) : (
                    "Ping"
                  )}
                </button>
                </Can>
                <button type="button" className="btn-sm" onClick={() => setLogsFor(a.pc_id)} data-testid="logs-button">
                  Logs
                </button>
                <Can action="operate">
                  <Link className="btn btn-sm" to={`/run?pc=${encodeURIComponent(a.pc_id)}`}>
                    Run
                  </Link>
                </Can>
                <Link className="btn btn-sm" to={`/inventory/pc/${encodeURIComponent(a.pc_id)}`}>
                  Inventory
                </Link>
              </div>
            </td>
          </tr>
        )}
        paging={paging}
      />
      {logsFor && <LogsDialog pc={logsFor} onClose={() => setLogsFor(null)} />}
      {groupsFor && <GroupsDialog agent={groupsFor} known={known} onClose={() => setGroupsFor(null)} />}
    </div>
  );
}

