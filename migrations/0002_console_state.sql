-- State of this console that is not a kanade 0.29 table.

-- Key/value facts about this database: instance_id names this console's
-- durable consumers, so a new or wiped database gets new consumers that
-- replay the streams from the first message (upstream bug #389).
CREATE TABLE console_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Messages a projector could not decode. They are acked (a poison message must
-- not block the stream) but kept here so nothing disappears silently.
CREATE TABLE dead_letters (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    stream       TEXT NOT NULL,
    stream_seq   INTEGER NOT NULL,
    subject      TEXT NOT NULL,
    error        TEXT NOT NULL,
    payload_head BLOB NOT NULL,
    payload_size INTEGER NOT NULL,
    recorded_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    UNIQUE (stream, stream_seq)
);
CREATE INDEX idx_dead_letters_recorded ON dead_letters (recorded_at DESC);

-- Mirror of the agent_groups KV bucket (one row per membership), so target
-- resolution and the UI can join groups with agents in SQL.
CREATE TABLE agent_group_members (
    pc_id      TEXT NOT NULL,
    group_name TEXT NOT NULL,
    PRIMARY KEY (pc_id, group_name)
);
CREATE INDEX idx_agent_group_members_group ON agent_group_members (group_name, pc_id);

-- Mirror of the jobs KV bucket: the stored Manifest JSON per job id.
CREATE TABLE jobs (
    job_id        TEXT PRIMARY KEY,
    version       TEXT NOT NULL,
    manifest_json TEXT NOT NULL,
    kv_revision   INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- Newest-first agent pages (GET /api/agents orders by updated_at like 0.29).
-- pc_id breaks ties in the same order the query uses, so deep pages do not sort.
CREATE INDEX idx_agents_updated ON agents (updated_at DESC, pc_id);
