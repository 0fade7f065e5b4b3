import { useOp } from "../api/hooks";
import { statusOnline, type ResourcePresence } from "../api";
import { Card, ErrorState, Loading, PageHeader, QueryView, RelTime, Time } from "../components/ui";
import { formatDurationMs, formatKeep, formatNumber } from "../format";
import { FAST } from "../lib/refresh";

function Presence({ title, items }: { title: string; items: ResourcePresence[] }) {
  return (
    <Card title={title} flush>
      <div className="table-wrap">
        <table className="table">
          <tbody>
            {items.length === 0 && (
              <tr>
                <td className="muted">none</td>
              </tr>
            )}
            {items.map((r) => (
              <tr key={r.name}>
                <td className="mono">{r.name}</td>
                <td className="num">{r.exists ? <span className="badge badge-ok">present</span> : <span className="badge badge-fail">missing</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

export default function StatusPage() {
  const status = useOp("GetStatus", {}, { refetchInterval: FAST });
  const js = useOp("GetJetStreamStatus", {}, { refetchInterval: FAST });
  const dead = useOp("ListDeadLetters", { limit: 50 }, { refetchInterval: FAST });
  const s = status.data;
  return (
    <div className="page" data-testid="page-status">
      <PageHeader title="Status" sub={s ? `kanade-console ${s.version} · instance ${s.instance_id}` : undefined} />
      {status.isPending ? (
        <Loading />
      ) : status.isError && !s ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : s ? (
        <>
          <div className="stats">
            <div className="stat" data-testid="status-nats">
              <div className="label">NATS</div>
              <div className="value">{s.nats.connected ? <span style={{ color: "var(--ok)" }}>connected</span> : <span style={{ color: "var(--fail)" }}>disconnected</span>}</div>
              <div className="hint mono ellipsis" title={s.nats.url}>
                {s.nats.embedded ? "embedded · " : ""}
                {s.nats.url}
              </div>
            </div>
            <div className="stat" data-testid="status-scheduler">
              <div className="label">Scheduler leader</div>
              <div className="value" style={{ fontSize: 16 }}>
                {s.scheduler.leader ?? "—"}
              </div>
              <div className="hint">{s.scheduler.is_leader ? "this instance" : "another instance"} · lease {s.scheduler.lease_ttl_secs}s</div>
            </div>
            <div className="stat" data-testid="status-agents">
              <div className="label">Agents</div>
              <div className="value">
                {statusOnline(s)} / {s.agents.known}
              </div>
              <div className="hint">{s.agents.stale} stale</div>
            </div>
            <div className="stat">
              <div className="label">Dead letters</div>
              <div className="value" style={{ color: s.dead_letters ? "var(--fail)" : undefined }}>
                {formatNumber(s.dead_letters)}
              </div>
              {s.dead_letters_dropped ? <div className="hint">{formatNumber(s.dead_letters_dropped)} dropped over the bounds since start</div> : null}
            </div>
          </div>
          {s.nats.recreated && (
            <div className="banner banner-warn" role="status" data-testid="status-nats-recreated">
              <strong>NATS came back empty.</strong> {s.nats.recreated.note} Lost: <span className="mono">{s.nats.recreated.lost.join(", ")}</span>
              {s.nats.recreated.recreated_at ? (
                <>
                  {" "}
                  (re-created <RelTime t={s.nats.recreated.recreated_at} />)
                </>
              ) : (
                " (re-creating…)"
              )}
            </div>
          )}
          {s.database && (
            <Card title="Database" testId="card-database">
              <p>
                <span className="mono">{s.database.path}</span> · integrity{" "}
                <span className={s.database.integrity.state === "damaged" ? "badge badge-fail" : s.database.integrity.state === "ok" ? "badge badge-ok" : "badge"}>
                  {s.database.integrity.state}
                </span>
                {s.database.integrity.took ? <span className="muted small"> (checked in {s.database.integrity.took})</span> : null}
              </p>
              {s.database.integrity.state === "damaged" && (
                <p className="error-text" data-testid="database-damage">
                  {s.database.integrity.detail} — restart with <span className="mono">--rebuild</span> to move the file aside and rebuild it from the streams.
                </p>
              )}
              {s.database.rebuild && (
                <p data-testid="database-rebuild">
                  {s.database.rebuild.active ? "Rebuilding from the streams" : "Rebuilt from the streams"} ({s.database.rebuild.reason}):{" "}
                  {formatNumber(s.database.rebuild.projected)} messages projected
                  {s.database.rebuild.active && s.database.rebuild.remaining != null ? `, ${formatNumber(s.database.rebuild.remaining)} to go` : ""}
                  {s.database.rebuild.moved_to ? (
                    <>
                      {" "}
                      · old file kept as <span className="mono">{s.database.rebuild.moved_to}</span>
                    </>
                  ) : null}
                </p>
              )}
            </Card>
          )}
          <Card title="Projectors" flush>
            <div className="table-wrap">
              <table className="table" data-testid="table-projectors">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>State</th>
                    <th className="num">Rate/s</th>
                    <th className="num">Lag</th>
                    <th className="num">Messages</th>
                    <th className="num" title="messages in the last batch / batches so far">Last batch</th>
                    <th className="num">Apply ms</th>
                    <th className="num">Errors</th>
                    <th className="num">Dead letters</th>
                    <th className="num">Restarts</th>
                    <th>Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {s.projectors.map((p) => (
                    <tr key={p.name}>
                      <td className="mono">{p.name}</td>
                      <td>{p.running ? <span className="badge badge-ok">running</span> : <span className="badge badge-fail">stopped</span>}</td>
                      <td className="num">{formatNumber(p.rate_per_sec)}</td>
                      <td className="num" style={{ color: (p.lag ?? 0) > 0 ? "var(--warn)" : undefined }}>
                        {p.lag === null || p.lag === undefined ? "—" : formatNumber(p.lag)}
                      </td>
                      <td className="num">{formatNumber(p.messages)}</td>
                      <td className="num" title={`${formatNumber(p.batches)} batches`}>{formatNumber(p.last_batch_size)}</td>
                      <td className="num">{formatNumber(p.last_apply_ms)}</td>
                      <td className="num">{formatNumber(p.errors)}</td>
                      <td className="num">{formatNumber(p.dead_letters)}</td>
                      <td className="num">{formatNumber(p.restarts)}</td>
                      <td className="ellipsis" title={p.last_error ?? ""} style={{ maxWidth: 160 }}>
                        {p.last_error ? (
                          <>
                            <span className="error-text">{p.last_error}</span> <span className="muted small">(<RelTime t={p.last_error_at} />)</span>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
          {s.retention && (
            <Card
              title="Retention"
              flush
              testId="card-retention"
              actions={
                <span className="muted small">
                  swept every {formatDurationMs(s.retention.every_secs * 1000)}
                  {s.retention.last_sweep_at ? (
                    <>
                      , last <RelTime t={s.retention.last_sweep_at} />
                    </>
                  ) : null}
                </span>
              }
            >
              <div className="table-wrap">
                <table className="table" data-testid="table-retention">
                  <thead>
                    <tr>
                      <th>Table</th>
                      <th>Keeps rows for</th>
                      <th>By</th>
                      <th className="num">Deleted since start</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.retention.tables.map((r) => (
                      <tr key={r.table}>
                        <td className="mono">{r.table}</td>
                        <td>{formatKeep(r.keep_secs)}</td>
                        <td className="mono muted">{r.column}</td>
                        <td className="num">{formatNumber(r.deleted)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </>
      ) : null}

      <h2>JetStream resources</h2>
      <QueryView q={js}>
        {(d) => (
          <div className="grid grid-3" data-testid="jetstream-status">
            <Presence title="Streams" items={d.streams} />
            <Presence title="KV buckets" items={d.kv_buckets} />
            <Presence title="Object stores" items={d.object_stores} />
          </div>
        )}
      </QueryView>

      <Card title="Dead letters" flush testId="card-dead-letters">
        <QueryView q={dead} isEmpty={(d) => d.items.length === 0} empty="No dead letters. Every message was applied.">
          {(d) => (
            <div className="table-wrap">
              <table className="table" data-testid="table-dead-letters">
                <thead>
                  <tr>
                    <th>Recorded</th>
                    <th>Stream</th>
                    <th className="num">Seq</th>
                    <th>Subject</th>
                    <th>Error</th>
                    <th className="num">Size</th>
                    <th>Payload head</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((x) => (
                    <tr key={x.id}>
                      <td>
                        <Time t={x.recorded_at} />
                      </td>
                      <td className="mono">{x.stream}</td>
                      <td className="num">{x.stream_seq}</td>
                      <td className="mono">{x.subject}</td>
                      <td className="error-text ellipsis" style={{ maxWidth: 280 }} title={x.error}>{x.error}</td>
                      <td className="num">{formatNumber(x.payload_size)}</td>
                      <td>
                        <code className="ellipsis" style={{ display: "block", maxWidth: 280 }} title={x.payload_head}>
                          {x.payload_head}
                        </code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.total > d.items.length && <p className="muted small" style={{ padding: "6px 12px" }}>Showing {d.items.length} of {d.total}.</p>}
            </div>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
