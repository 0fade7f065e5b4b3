import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, call, type Agent } from "../api";
import { invalidateOps, useOp } from "../api/hooks";
import { Modal, useToast } from "../components/overlay";
import { CopyButton, ErrorState, Loading, OnlineBadge, PageHeader, RelTime, Spinner, errorMessage } from "../components/ui";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { formatClock } from "../format";
import { useDebounced, useRowPending, useUrlState } from "../lib/hooks";
import { FAST } from "../lib/refresh";
import { SimMark } from "../components/Simulated";

export function logsErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 504) return "The agent didn't reply in time (it may be busy or hung).";
    if (e.status === 502) return "The agent is offline (nobody answered the log request).";
  }
  return errorMessage(e);
}

function LogsDialog({ pc, onClose }: { pc: string; onClose: () => void }) {
  const [tail, setTail] = useState(500);
  const q = useQuery({
    queryKey: ["GetAgentLogs", { pc_id: pc, tail }],
    queryFn: ({ signal }) => call("GetAgentLogs", { pc_id: pc, tail }, { signal }),
    retry: false,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  return (
    <Modal open title={`Agent log — ${pc}`} onClose={onClose} wide testId="logs-dialog">
      <div className="row">
        <label className="field-inline">
          Tail
          <select value={tail} onChange={(e) => setTail(Number(e.target.value))} aria-label="Tail lines">
            {[100, 500, 2000, 10000].map((n) => (
              <option key={n} value={n}>
                {n} lines
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn-sm" onClick={() => void q.refetch()} disabled={q.isFetching}>
          {q.isFetching ? <Spinner /> : null} Reload
        </button>
        <span className="grow" />
        {q.data !== undefined && <CopyButton text={q.data} />}
      </div>
      {q.isPending ? (
        <Loading label="Asking the agent for its log…" />
      ) : q.isError ? (
        <ErrorState error={new Error(logsErrorText(q.error))} onRetry={() => void q.refetch()} title="No log" />
      ) : (
        <pre className={`output logs${q.data ? "" : " empty"}`} data-testid="logs-output">
          {q.data || "(empty log)"}
        </pre>
      )}
    </Modal>
  );
}

function GroupsDialog({ agent, known, onClose }: { agent: Agent; known: string[]; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [groups, setGroups] = useState(agent.groups ?? []);
  const [input, setInput] = useState("");
  const { run, isBusy } = useRowPending();
  const refresh = () => invalidateOps(qc, ["ListAgents", "ListGroups", "GetAgentGroups", "GetEffectiveConfig"]);
  const add = (e: FormEvent) => {
    e.preventDefault();
    const g = input.trim();
    if (!g) return;
    void run(`add:${g}`, async () => {
      try {
        const r = await call("AddAgentGroup", { pc_id: agent.pc_id, group: g });
        setGroups(r.groups);
        setInput("");
        void refresh();
      } catch (err) {
        toast.error(`Add ${g}: ${errorMessage(err)}`);
      }
    });
  };
  const remove = (g: string) =>
    void run(`rm:${g}`, async () => {
      try {
        const r = await call("RemoveAgentGroup", { pc_id: agent.pc_id, group: g });
        setGroups(r.groups);
        void refresh();
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
  const [qText, setQText] = useState(f.q);
  const dq = useDebounced(qText, 300);
  useEffect(() => {
    if (dq !== f.q) setF({ q: dq });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq]);
  const paging = urlPaging(f, setF);
  const { limit, offset } = paging;
  const agents = useOp(
    "ListAgents",
    { q: f.q || undefined, status: (f.status || undefined) as "online" | "stale" | undefined, group: f.group || undefined, limit, offset },
    { refetchInterval: FAST, placeholderData: (prev) => prev },
  );
  const groups = useOp("ListGroups", { limit: 1000 });
  const known = (groups.data?.items ?? []).map((g) => g.group);
  const toast = useToast();
  const { run, isBusy } = useRowPending();
  const [logsFor, setLogsFor] = useState<string | null>(null);
  const [groupsFor, setGroupsFor] = useState<Agent | null>(null);

  const ping = (pc: string) =>
    void run(`ping:${pc}`, async () => {
      try {
        const r = await call("PingAgent", { pc_id: pc, wait_secs: 45 });
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
            <option value="online">online</option>
            <option value="stale">stale</option>
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
      <PagedTable
        q={agents}
        empty={f.q || f.status || f.group ? "No agents match these filters." : "No agents have sent a heartbeat yet."}
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
                <button type="button" className="btn-sm btn-ghost" onClick={() => setGroupsFor(a)} aria-label={`Edit groups of ${a.pc_id}`} data-testid="edit-groups">
                  edit
                </button>
              </div>
            </td>
            <td>
              <RelTime t={a.last_heartbeat} />
            </td>
            <td>
              <div className="actions">
                <button type="button" className="btn-sm" onClick={() => ping(a.pc_id)} disabled={isBusy(`ping:${a.pc_id}`)} data-testid="ping-button">
                  {isBusy(`ping:${a.pc_id}`) ? (
                    <>
                      <Spinner /> waiting…
                    </>
                  ) : (
                    "Ping"
                  )}
                </button>
                <button type="button" className="btn-sm" onClick={() => setLogsFor(a.pc_id)} data-testid="logs-button">
                  Logs
                </button>
                <Link className="btn btn-sm" to={`/run?pc=${encodeURIComponent(a.pc_id)}`}>
                  Run
                </Link>
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

