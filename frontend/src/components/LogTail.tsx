// An agent's log tail (GET /api/agents/{pc_id}/logs): the tail-size picker,
// reload, copy and the output. Shared by the Agents page's log dialog and
// the /logs page.
import type { ReactNode } from "react";
import { ApiError } from "../api";
import { useOp } from "../api/hooks";
import { CopyButton, ErrorState, Loading, Spinner, errorMessage } from "./ui";

export const TAIL_SIZES = [100, 500, 2000, 10000];
export const DEFAULT_TAIL = 500;

export function logsErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 504) return "The agent didn't reply in time (it may be busy or hung).";
    if (e.status === 502) return "The agent is offline (nobody answered the log request).";
  }
  return errorMessage(e);
}

export function LogTail({ pc, tail, onTail, actions }: { pc: string; tail: number; onTail: (n: number) => void; actions?: ReactNode }) {
  const q = useOp("GetAgentLogs", { pc_id: pc, tail }, {
    retry: false,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
  const sizes = TAIL_SIZES.includes(tail) ? TAIL_SIZES : [...TAIL_SIZES, tail].sort((a, b) => a - b);
  return (
    <>
      <div className="row">
        <label className="field-inline">
          Tail
          <select value={tail} onChange={(e) => onTail(Number(e.target.value))} aria-label="Tail lines" data-testid="logs-tail">
            {sizes.map((n) => (
              <option key={n} value={n}>
                {n} lines
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn-sm" onClick={() => void q.refetch()} disabled={q.isFetching} data-testid="logs-reload">
          {q.isFetching ? <Spinner /> : null} Reload
        </button>
        <span className="grow" />
        {actions}
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
    </>
  );
}
