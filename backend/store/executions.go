package store

import (
	"context"
	"fmt"
	"time"
)

// Execution is one executions row as an exec creates it.
type Execution struct {
	ExecID      string
	JobID       string
	Version     string
	InitiatedBy string
	InitiatedAt time.Time
	TargetCount int
}

// UpsertExecution inserts the row of an exec unless it exists (the console
// that ran the exec writes it at once; every console, that one included,
// projects it again from EVENTS). On a fresh insert the counters are
// recomputed from results already projected, so a result that arrived first
// still counts.
func (t *Tx) UpsertExecution(ctx context.Context, e Execution) error {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO executions
		(exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count, failure_count, status)
		VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'pending') ON CONFLICT(exec_id) DO NOTHING`,
		e.ExecID, e.JobID, e.Version, e.InitiatedBy, FormatTime(e.InitiatedAt), e.TargetCount)
	if err != nil {
		return fmt.Errorf("insert execution %s: %w", e.ExecID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE executions SET
		success_count = c.ok, failure_count = c.bad, skipped_count = c.sk,
		status = CASE WHEN c.ok + c.bad + c.sk = 0 THEN status
		              WHEN c.ok + c.bad + c.sk >= target_count THEN 'completed'
		              ELSE 'running' END
		FROM (SELECT coalesce(sum(exit_code = 0 AND NOT skipped), 0) AS ok, coalesce(sum(exit_code <> 0 AND NOT skipped), 0) AS bad,
		             coalesce(sum(skipped), 0) AS sk
		      FROM execution_results WHERE exec_id = ?1) AS c
		WHERE exec_id = ?1`, e.ExecID)
	if err != nil {
		return fmt.Errorf("reconcile execution %s: %w", e.ExecID, err)
	}
	return nil
}
