package store

import (
	"context"
	"time"
)

// AlivePCs lists the PCs whose last heartbeat is at or after since.
func (s *Store) AlivePCs(ctx context.Context, since time.Time) ([]string, error) {
	return s.strings(ctx, "SELECT pc_id FROM agents WHERE last_heartbeat >= ? ORDER BY pc_id", FormatTime(since))
}

// ActiveExecsOfJob lists the execs of a job still pending or running (the
// ones a kill must reach).
func (s *Store) ActiveExecsOfJob(ctx context.Context, jobID string) ([]string, error) {
	return s.strings(ctx, "SELECT exec_id FROM executions WHERE job_id = ? AND status IN ('pending', 'running') ORDER BY initiated_at", jobID)
}

// LastSuccesses maps each PC that ever ran job successfully to the finish time
// of its latest success (the scheduler's once_* modes).
func (s *Store) LastSuccesses(ctx context.Context, jobID string) (map[string]time.Time, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT pc_id, max(finished_at) FROM execution_results
		WHERE job_id = ? AND exit_code = 0 GROUP BY pc_id`, jobID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var pc, at string
		if err := rows.Scan(&pc, &at); err != nil {
			return nil, err
		}
		t, err := ParseTime(at)
		if err != nil {
			return nil, err
		}
		out[pc] = t
	}
	return out, rows.Err()
}

// ExpireStaleExecutions marks executions still pending since before cutoff as
// expired (kanade 0.30's sweep: results that never come, e.g. from offline
// or revoked targets, must not leave rows pending forever).
func (s *Store) ExpireStaleExecutions(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.writer.ExecContext(ctx, "UPDATE executions SET status = 'expired' WHERE status = 'pending' AND initiated_at < ?", FormatTime(cutoff))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
