// /logs (as in kanade 0.29): pick a PC and a tail size, see the agent's log
// tail. The URL carries both (/logs?pc=X&tail=N), so bookmarks work.
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useOp } from "../api/hooks";
import { Autocomplete, agentSuggestions } from "../components/Autocomplete";
import { DEFAULT_TAIL, LogTail } from "../components/LogTail";
import { Card, PageHeader } from "../components/ui";
import { useUrlState } from "../lib/hooks";

export function parseTail(s: string): number {
  const n = Number(s);
  return Number.isInteger(n) && n > 0 && n <= 100_000 ? n : DEFAULT_TAIL;
}

export default function LogsPage() {
  const [f, setF] = useUrlState({ pc: "", tail: String(DEFAULT_TAIL) });
  const [text, setText] = useState(f.pc);
  useEffect(() => setText(f.pc), [f.pc]);
  const agents = useOp("ListAgents", { limit: 1000 });
  const options = agentSuggestions(agents.data?.items ?? []);
  const tail = parseTail(f.tail);
  const show = (e?: FormEvent) => {
    e?.preventDefault();
    setF({ pc: text.trim() });
  };
  return (
    <div className="page" data-testid="page-logs">
      <PageHeader title="Logs" sub="An agent's own log, fetched live from the PC (logs.fetch): the last lines of its current log file." />
      <Card>
        <form className="row" onSubmit={show} data-testid="logs-form">
          <label className="field grow" style={{ maxWidth: 420 }}>
            <span>PC</span>
            <Autocomplete
              value={text}
              onChange={(v) => {
                setText(v);
                // picking a suggestion shows that PC's log at once
                if (options.some((o) => o.value === v)) setF({ pc: v });
              }}
              options={options}
              placeholder="pc_id"
              label="PC"
              testId="logs-pc"
            />
          </label>
          <button type="submit" className="btn-primary" disabled={!text.trim() || text.trim() === f.pc} data-testid="logs-show" style={{ alignSelf: "flex-end" }}>
            Show
          </button>
        </form>
      </Card>
      {f.pc ? (
        <Card
          title={
            <>
              Log of <Link to={`/agents?q=${encodeURIComponent(f.pc)}`}>{f.pc}</Link>
            </>
          }
          testId="logs-card"
        >
          <div className="col">
            <LogTail key={f.pc} pc={f.pc} tail={tail} onTail={(n) => setF({ tail: String(n) })} />
          </div>
        </Card>
      ) : (
        <Card>
          <p className="muted" data-testid="logs-hint">
            Pick a PC to read its agent log. The agent must be online: the console asks it over NATS and waits up to 10 s.
          </p>
        </Card>
      )}
    </div>
  );
}
