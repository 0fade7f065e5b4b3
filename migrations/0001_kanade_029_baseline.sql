-- kanade 0.29 schema (the end state of upstream migrations 0001..0003), with
-- the column names the original uses so queries and tools written against a
-- kanade-backend database keep working.
--
-- One difference on purpose: every timestamp column holds RFC 3339 UTC text in
-- one fixed layout, 2006-01-02T15:04:05.000000000Z, bound from Go. The
-- defaults below produce the same layout, so text comparison is time
-- comparison everywhere (upstream bug #390 mixed two layouts).

CREATE TABLE agents (
    pc_id          TEXT PRIMARY KEY,
    hostname       TEXT,
    last_heartbeat TIMESTAMP,
    agent_version  TEXT,
    os_family      TEXT,
    updated_at     TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z')
);
CREATE INDEX idx_agents_heartbeat ON agents (last_heartbeat DESC);

CREATE TABLE execution_results (
    result_id   TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL,
    exec_id     TEXT,
    pc_id       TEXT NOT NULL,
    exit_code   INTEGER NOT NULL,
    stdout      TEXT NOT NULL,
    stderr      TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    job_id      TEXT
);
CREATE INDEX idx_execution_results_pc ON execution_results (pc_id, recorded_at DESC);
CREATE INDEX idx_execution_results_job ON execution_results (job_id, pc_id, finished_at DESC) WHERE job_id IS NOT NULL;
-- Two deliberate changes from 0.29's indexes, both for write speed (every
-- result is one row, and each random-keyed index costs about as much as the
-- row itself): the exec index is keyed (exec_id, pc_id), which also answers
-- "has this PC reported for this exec", and there is no request_id index
-- (nothing here looks results up by request_id). recorded_at gets its own
-- index for the newest-first result pages.
CREATE INDEX idx_execution_results_exec ON execution_results (exec_id, pc_id) WHERE exec_id IS NOT NULL;
CREATE INDEX idx_execution_results_recorded ON execution_results (recorded_at DESC);
-- Measured with backend/bench/api over 1,000,000 rows: the failures page
-- (status=failure&since=...) went from 123 ms to 1 ms and the job page from
-- 128 ms to 0.2 ms, for about 4% of insert speed.
CREATE INDEX idx_execution_results_failures ON execution_results (recorded_at DESC) WHERE exit_code <> 0;
CREATE INDEX idx_execution_results_job_recorded ON execution_results (job_id, recorded_at DESC) WHERE job_id IS NOT NULL;

CREATE TABLE executions (
    exec_id       TEXT PRIMARY KEY,
    job_id        TEXT NOT NULL,
    version       TEXT NOT NULL,
    initiated_by  TEXT NOT NULL,
    initiated_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    target_count  INTEGER NOT NULL,
    success_count INTEGER NOT NULL DEFAULT 0,
    failure_count INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX idx_executions_job ON executions (job_id, initiated_at DESC);
CREATE INDEX idx_executions_initiated ON executions (initiated_at DESC);

CREATE TABLE inventory_facts (
    pc_id        TEXT NOT NULL,
    job_id       TEXT NOT NULL,
    facts_json   TEXT NOT NULL,
    display_json TEXT,
    summary_json TEXT,
    collected_at TIMESTAMP,
    recorded_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    PRIMARY KEY (pc_id, job_id)
);
CREATE INDEX idx_inventory_facts_pc ON inventory_facts (pc_id);
CREATE INDEX idx_inventory_facts_job ON inventory_facts (job_id);

-- stream_seq is the AUDIT stream sequence of the event: the projector inserts
-- with ON CONFLICT DO NOTHING on it, so a redelivery never duplicates a row
-- (upstream bug #501). NULL only for rows that did not come from the stream.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT,
    payload     TEXT,
    occurred_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    stream_seq  INTEGER
);
CREATE INDEX idx_audit_actor ON audit_log (actor, occurred_at);
CREATE INDEX idx_audit_action ON audit_log (action, occurred_at);
CREATE INDEX idx_audit_occurred ON audit_log (occurred_at DESC);
CREATE UNIQUE INDEX idx_audit_stream_seq ON audit_log (stream_seq) WHERE stream_seq IS NOT NULL;
