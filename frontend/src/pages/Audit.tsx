import { useMemo, useState } from "react";
import { useOp } from "../api/hooks";
import { TimePresetSelect } from "../components/TimePreset";
import { JsonView, PageHeader, RelTime, Time, useNow } from "../components/ui";
import { PagedTable, urlPaging } from "../components/PagedTable";
import { presetSince } from "../format";
import { useFilterInput, useUrlState } from "../lib/hooks";
import { FAST } from "../lib/refresh";

const KNOWN_ACTIONS = ["exec", "job_upsert", "job_delete", "job_delete_failed_post_revoke", "schedule_upsert", "schedule_delete", "schedule_disable", "schedule_completed", "agent_publish", "agent_rollout", "agent_release_delete"];

export default function AuditPage() {
  const [f, setF] = useUrlState({ actor: "", action: "", since: "7d", limit: "50", offset: "0" });
  const [actor, setActor] = useFilterInput(f.actor, (actor) => setF({ actor }));
  const [action, setAction] = useFilterInput(f.action, (action) => setF({ action }));
  const now = useNow(60_000);
  const since = useMemo(() => presetSince(f.since, Math.floor(now / 60_000) * 60_000), [f.since, now]);
  const paging = urlPaging(f, setF);
  const { limit, offset } = paging;
  const q = useOp("ListAudit", { actor: f.actor || undefined, action: f.action || undefined, since, limit, offset }, { refetchInterval: FAST, placeholderData: (p) => p });
  const [expandAll, setExpandAll] = useState(false);
  return (
    <div className="page" data-testid="page-audit">
      <PageHeader title="Audit" sub="Who did what: operator actions (with the source spa/cli) and scheduler fires.">
        <button type="button" className="btn-sm" onClick={() => setExpandAll((x) => !x)} aria-pressed={expandAll}>
          {expandAll ? "Collapse payloads" : "Expand payloads"}
        </button>
      </PageHeader>
      <div className="filters" role="search">
        <label className="field">
          <span>Actor</span>
          <input list="audit-actors" value={actor} onChange={(e) => setActor(e.target.value)} placeholder="operator, scheduler" data-testid="audit-actor" />
          <datalist id="audit-actors">
            <option value="operator" />
            <option value="scheduler" />
          </datalist>
        </label>
        <label className="field">
          <span>Action</span>
          <input list="audit-actions" value={action} onChange={(e) => setAction(e.target.value)} placeholder="exact action" data-testid="audit-action" />
          <datalist id="audit-actions">
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <TimePresetSelect value={f.since} onChange={(v) => setF({ since: v })} testId="audit-since" />
      </div>
      <PagedTable
        q={q}
        empty="No audit events match."
        testId="table-audit"
        head={
          <>
            <th>Occurred</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
            <th>Payload</th>
          </>
        }
        row={(a) => (
          <tr key={a.id} style={{ verticalAlign: "top" }}>
            <td className="nowrap">
              <Time t={a.occurred_at} />
              <div className="small muted">
                <RelTime t={a.occurred_at} />
              </div>
            </td>
            <td>{a.actor}</td>
            <td>
              <span className="badge badge-accent">{a.action}</span>
            </td>
            <td className="mono">{a.target ?? <span className="muted">—</span>}</td>
            <td>
              <JsonView key={String(expandAll)} value={a.payload} open={expandAll} />
            </td>
          </tr>
        )}
        paging={paging}
      />
    </div>
  );
}
