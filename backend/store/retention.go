package store

import (
	"context"
	"fmt"
	"time"

	"github.com/kanade-console/kanade-console/backend/retention"
)

// Retention is the sweep's policy (package retention, so config can hold
// one without importing store).
type Retention = retention.Policy

// DefaultRetention is retention.Default.
var DefaultRetention = retention.Default

// InflightMax is the reaper's default: how long an in-flight run may wait
// for its result before it is stamped reaped and leaves status=running (a
// run whose agent died never reports; kanade's 24 h).
const InflightMax = 24 * time.Hour

// SweepLimits bound one sweep, so that it never holds the single writer for
// long: each batch is its own short transaction between projector batches.
type SweepLimits struct {
	BatchSize  int // rows per DELETE
	MaxBatches int // DELETEs per table per sweep
}

// DefaultSweepLimits is kanade's: 10,000 rows a batch, at most 10 batches.
var DefaultSweepLimits = SweepLimits{BatchSize: 10_000, MaxBatches: 10}

// TableRetention is one table the sweep prunes by one timestamp column;
// Keep zero keeps its rows forever.
type TableRetention struct {
	Table, Column string
	Keep          time.Duration
}

// RetentionTables lists what the sweep prunes under r, in sweep order.
func RetentionTables(r Retention) []TableRetention {
	return []TableRetention{
		{"execution_results", "recorded_at", r.Results},
		{"executions", "initiated_at", r.Executions},
		{"audit_log", "occurred_at", r.Audit},
		{"dead_letters", "recorded_at", r.DeadLetters},
		{"inventory_history", "observed_at", r.InventoryHistory},
		// In-flight markers leave "running" through the reaper; reaped
		// ones are kept as long as results, as kanade keeps its reaped rows.
		{"inflight_runs", "started_at", r.Results},
	}
}

// SweepRetention deletes rows older than the policy allows, oldest first, in
// batches. It returns the rows deleted per table; a table with more to go is
// continued by the next sweep.
func (s *Store) SweepRetention(ctx context.Context, now time.Time, r Retention, lim SweepLimits) (map[string]int64, error) {
	deleted := map[string]int64{}
	for _, t := range RetentionTables(r) {
		if t.Keep <= 0 {
			continue
		}
		cutoff := FormatTime(now.Add(-t.Keep))
		// The timestamp indexes serve the inner SELECT; rowid keeps the
		// DELETE itself a primary-key walk.
		stmt := fmt.Sprintf("DELETE FROM %[1]s WHERE rowid IN (SELECT rowid FROM %[1]s WHERE %[2]s < ? ORDER BY %[2]s LIMIT ?)", t.Table, t.Column)
		for range lim.MaxBatches {
			res, err := s.writer.ExecContext(ctx, stmt, cutoff, lim.BatchSize)
			if err != nil {
				return deleted, fmt.Errorf("retention sweep of %s: %w", t.Table, err)
			}
			n, _ := res.RowsAffected()
			if n > 0 {
				deleted[t.Table] += n
			}
			if n < int64(lim.BatchSize) {
				break
			}
		}
	}
	// Also keep dead letters within their count bounds (every source's
	// own bound is applied at once by the heartbeat projector; this catches
	// the stream projectors' too).
	if _, err := s.BoundDeadLetters(ctx); err != nil {
		return deleted, err
	}
	return deleted, nil
}
