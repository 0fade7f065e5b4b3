package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Live runs (issue 17, kanade v0.30+): in-flight runs from events.started
// shown as result rows, the reaper that ends runs whose result never comes,
// and the per-job live counters of GET /api/jobs.

const inflightCols = `coalesce(result_id, 'inflight:' || exec_id || ':' || pc_id), coalesce(request_id, ''), exec_id, pc_id,
	manifest_id, version, started_at, recorded_at, reaped_at`

func scanInflight(sc interface{ Scan(...any) error }) (ResultRow, error) {
	var r ResultRow
	var exec, job, version string
	var reaped sql.NullTime
	if err := sc.Scan(&r.ResultID, &r.RequestID, &exec, &r.PCID, &job, &version, &r.StartedAt, &r.RecordedAt, &reaped); err != nil {
		return r, err
	}
	r.ExecID, r.JobID, r.Version = &exec, &job, &version
	r.StartedAt, r.RecordedAt = r.StartedAt.UTC(), r.RecordedAt.UTC()
	if reaped.Valid {
		t := reaped.Time.UTC()
		r.FinishedAt, r.Reaped = &t, true
	}
	return r, nil
}

// runningWhere is the WHERE clause of a status=running page.
func (q ResultQuery) runningWhere() *where {
	w := &where{}
	w.add("reaped_at IS NULL")
	if q.PCID != "" {
		w.add("pc_id = ?", q.PCID)
	}
	if q.JobID != "" {
		w.add("manifest_id = ?", q.JobID)
	}
	if q.ExecID != "" {
		w.add("exec_id = ?", q.ExecID)
	}
	if q.Since != nil {
		w.add("started_at >= ?", FormatTime(*q.Since))
	}
	if q.Until != nil {
		w.add("started_at < ?", FormatTime(*q.Until))
	}
	if q.Q != "" {
		w.add("0")
	}
	return w
}

// runningPageSQL is the statement of one status=running page; migration
// 0010's partial indexes serve its order.
func (q ResultQuery) runningPageSQL(w *where) (string, []any) {
	return "SELECT " + inflightCols + " FROM inflight_runs" + w.sql() +
		" ORDER BY started_at DESC, result_id DESC LIMIT ? OFFSET ?", append(append([]any{}, w.args...), q.Limit, q.Offset)
}

// listRunning pages the in-flight runs (status=running) newest started
// first, as kanade orders them. Their output lives on the agent (the tail
// route), so a text filter matches none.
func (s *Store) listRunning(ctx context.Context, q ResultQuery) ([]ResultRow, int, error) {
	w := q.runningWhere()
	total, err := s.count(ctx, "inflight_runs", w)
	if err != nil {
		return nil, 0, err
	}
	query, args := q.runningPageSQL(w)
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []ResultRow{}
	for rows.Next() {
		r, err := scanInflight(rows)
		if err != nil {
			return nil, 0, err
		}
		if q.Preview > 0 {
			f, z := false, 0
			r.StdoutTruncated, r.StderrTruncated, r.StdoutLen, r.StderrLen = &f, &f, &z, &z
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// getInflight reads one in-flight (or reaped) run by its result id.
func (s *Store) getInflight(ctx context.Context, resultID string) (ResultRow, error) {
	r, err := scanInflight(s.reader.QueryRowContext(ctx, "SELECT "+inflightCols+" FROM inflight_runs WHERE result_id = ?", resultID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// ReapInflight stamps reaped_at=now on in-flight runs started before
// startedBefore that are still waiting for their result, so they leave
// status=running (kanade's reaper). The marker stays: a result arriving
// later deletes it and is projected as usual, so the real result wins.
func (s *Store) ReapInflight(ctx context.Context, startedBefore, now time.Time) (int64, error) {
	res, err := s.writer.ExecContext(ctx, `UPDATE inflight_runs SET reaped_at = ?
		WHERE reaped_at IS NULL AND started_at < ?`, FormatTime(now), FormatTime(startedBefore))
	if err != nil {
		return 0, fmt.Errorf("reap in-flight runs: %w", err)
	}
	return res.RowsAffected()
}

// LiveCounts are a job's executions still pending (published, no result
// yet) and running (some results in, not all).
type LiveCounts struct {
	Running int `json:"running"`
	Pending int `json:"pending"`
}

// LiveCountsByJob is kanade's one grouped query over the executions still
// pending or running (served by idx_executions_live); jobs without any are
// absent.
func (s *Store) LiveCountsByJob(ctx context.Context) (map[string]LiveCounts, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT job_id, sum(status = 'running'), sum(status = 'pending')
		FROM executions WHERE status IN ('running', 'pending') GROUP BY job_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]LiveCounts{}
	for rows.Next() {
		var job string
		var c LiveCounts
		if err := rows.Scan(&job, &c.Running, &c.Pending); err != nil {
			return nil, err
		}
		out[job] = c
	}
	return out, rows.Err()
}
