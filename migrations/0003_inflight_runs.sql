-- Runs an agent has started but not yet reported (v0.30+ agents publish
-- events.started.<exec_id>.<pc_id>). Kept apart from execution_results so
-- the 0.29 columns keep their NOT NULL meaning: every result row is a
-- finished run. The ExecResult deletes the matching row; a started event that
-- arrives after its result is ignored, so a run is counted once either way.
CREATE TABLE inflight_runs (
    exec_id     TEXT NOT NULL,
    pc_id       TEXT NOT NULL,
    manifest_id TEXT NOT NULL,
    version     TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    PRIMARY KEY (exec_id, pc_id)
);
CREATE INDEX idx_inflight_runs_started ON inflight_runs (started_at DESC);
