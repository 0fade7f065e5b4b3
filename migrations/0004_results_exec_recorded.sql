-- The results page of one execution, newest first (GET /api/results?exec_id=
-- and the Activity page's exec filter). Without it a fleet-wide exec of
-- 50,000 rows is read whole and sorted for every page: 129 ms p99 measured
-- at 1,000,000 rows, against ~2 ms with it (BENCHMARKS.md). It costs about a
-- tenth of the projector's insert rate; the (exec_id, pc_id) index stays for
-- the per-PC view and the started/result matching.
CREATE INDEX idx_execution_results_exec_recorded ON execution_results (exec_id, recorded_at DESC) WHERE exec_id IS NOT NULL;
