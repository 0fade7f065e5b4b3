-- Indexes for the live-run filters of 0009, measured with make bench-api
-- over 1,000,000 results and a fleet-wide exec in flight on 50,000 PCs.

-- status=failure now excludes skips (exit_code <> 0 AND skipped = 0): with
-- 0001's index on exit_code <> 0 alone the capped count read a table row
-- per failure to check skipped (81 ms). This one has the condition's
-- columns, so the count reads the index only (SQLite counts a partial
-- index as covering only for the columns it holds, except those its WHERE
-- pins with "=").
DROP INDEX idx_execution_results_failures;
CREATE INDEX idx_execution_results_failures ON execution_results (recorded_at DESC, exit_code) WHERE exit_code <> 0 AND skipped = 0;
-- status=skipped: only skipped rows are in it, so 0.29 fleets pay nothing.
CREATE INDEX idx_execution_results_skipped ON execution_results (recorded_at DESC) WHERE skipped = 1;

-- status=running pages (newest started first), fleet-wide and per exec,
-- without sorting every in-flight run of a fleet-wide exec (69 ms for
-- 50,000 rows); partial, so reaped markers cost them nothing.
-- reaped_at is held too, for the same reason as exit_code above.
CREATE INDEX idx_inflight_runs_running ON inflight_runs (started_at DESC, result_id DESC, reaped_at) WHERE reaped_at IS NULL;
CREATE INDEX idx_inflight_runs_exec_running ON inflight_runs (exec_id, started_at DESC, result_id DESC, reaped_at) WHERE reaped_at IS NULL;
