// The columns of a result table, shared by Activity, the Dashboard's recent
// results and an execution's results: each page picks the columns it shows
// (and may add its own), the cells look the same everywhere.
import type { CSSProperties, ReactNode } from "react";
import { Link } from "react-router-dom";
import type { Result } from "../api";
import { formatDuration, shortId } from "../format";
import { PcId } from "./Simulated";
import { ExitBadge, RelTime, Time } from "./ui";

export interface Column<T> {
  key: string;
  head: ReactNode;
  /** class of the header cell (e.g. "num" to align it with its numbers) */
  headClassName?: string;
  /** class of every cell of the column */
  className?: string;
  style?: CSSProperties;
  cell: (row: T) => ReactNode;
}

/** The <th> cells of a column list (inside the table's header row). */
export function headCells<T>(cols: readonly Column<T>[]): ReactNode {
  return cols.map((c) => (
    <th key={c.key} className={c.headClassName}>
      {c.head}
    </th>
  ));
}

/** The <td> cells of one row. */
export function rowCells<T>(cols: readonly Column<T>[], row: T): ReactNode {
  return cols.map((c) => (
    <td key={c.key} className={c.className} style={c.style}>
      {c.cell(row)}
    </td>
  ));
}

/**
 * The result link; `from` (the list's query string) lets the result page
 * lead back to the same filtered list.
 */
export function resultIdColumn(from?: string): Column<Result> {
  return {
    key: "result",
    head: "Result",
    className: "mono",
    cell: (r) => (
      <Link to={`/activity/${r.result_id}`} state={from === undefined ? undefined : { from }} title={r.result_id}>
        {shortId(r.result_id)}
      </Link>
    ),
  };
}

export const resultColumns = {
  result: resultIdColumn(),
  pc: { key: "pc", head: "PC", className: "nowrap", cell: (r) => <PcId pcId={r.pc_id} /> },
  job: { key: "job", head: "Job", className: "nowrap", cell: (r) => r.job_id ?? <span className="muted">ad-hoc</span> },
  exec: {
    key: "exec",
    head: "Exec",
    className: "mono",
    cell: (r) =>
      r.exec_id ? (
        <Link to={`/executions/${r.exec_id}`} title={r.exec_id}>
          {shortId(r.exec_id)}
        </Link>
      ) : (
        <span className="muted">—</span>
      ),
  },
  exit: { key: "exit", head: "Exit", cell: (r) => <ExitBadge code={r.exit_code} skipped={r.skipped} /> },
  started: { key: "started", head: "Started", cell: (r) => <Time t={r.started_at} /> },
  finished: { key: "finished", head: "Finished", cell: (r) => <Time t={r.finished_at} /> },
  /** How long ago it finished (when it was recorded, for a result without a finish time). */
  finishedAgo: { key: "finished", head: "Finished", cell: (r) => <RelTime t={r.finished_at ?? r.recorded_at} /> },
  duration: { key: "duration", head: "Duration", headClassName: "num", className: "num nowrap", cell: (r) => formatDuration(r.started_at, r.finished_at) },
} satisfies Record<string, Column<Result>>;
