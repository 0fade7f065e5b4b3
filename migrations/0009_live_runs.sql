-- Live runs (issue 17 item 4, kanade v0.30+). execution_results keeps 0.29's
-- meaning (every row is a finished run; exit_code and finished_at stay NOT
-- NULL); in-flight runs stay in inflight_runs and the API shows them in the
-- row shape of kanade's execution_results (exit_code and finished_at null).

-- ExecResult.skipped of newer agents: the agent reported instead of running
-- (deadline, revoke, version pin, staleness, unsupported OS). 0.29 agents
-- never set it. Counted apart from failures.
ALTER TABLE execution_results ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN skipped_count INTEGER NOT NULL DEFAULT 0;

-- The run's result id (events.started of "PR α′" agents carries the key
-- its ExecResult will have) and request id. A started event without one
-- gets 'inflight:<exec_id>:<pc_id>' so every in-flight row is addressable
-- (GET /api/results/{id}, .../tail); its result, when it comes, has the
-- agent's own id.
ALTER TABLE inflight_runs ADD COLUMN result_id TEXT;
ALTER TABLE inflight_runs ADD COLUMN request_id TEXT;
UPDATE inflight_runs SET result_id = 'inflight:' || exec_id || ':' || pc_id WHERE result_id IS NULL;
CREATE UNIQUE INDEX idx_inflight_runs_result ON inflight_runs (result_id);

-- Set by the reaper when no result came within the threshold (default
-- 24 h): the row leaves status=running. A result arriving later still
-- replaces it (the marker is deleted, the result inserted).
ALTER TABLE inflight_runs ADD COLUMN reaped_at TIMESTAMP;

-- GET /api/jobs' live counters: one grouped query over the few executions
-- still pending or running (kanade's idx_executions_live).
CREATE INDEX idx_executions_live ON executions (status, job_id) WHERE status IN ('running', 'pending');
