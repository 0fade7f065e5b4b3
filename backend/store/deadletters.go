package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
)

// Dead letters are bounded: a NATS token holder can publish undecodable
// messages as fast as it likes (20,000 bad heartbeats made 20,000 rows).
// The newest DeadLettersPerSource per source (stream, or core subject such
// as "core:heartbeat") and the newest DeadLettersTotal overall are kept;
// what is dropped, trimmed here or refused before it was stored, is counted
// (DeadLettersDropped: /api/status and /metrics).
const (
	DeadLettersPerSource = 1000
	DeadLettersTotal     = 10_000
)

func (s *Store) droppedCounter() *atomic.Uint64 { return &s.deadDropped }

// NoteDeadLettersDropped counts dead letters refused before they reached
// the table (e.g. a flood over the per-source bound within one flush).
func (s *Store) NoteDeadLettersDropped(n int) {
	if n > 0 {
		s.droppedCounter().Add(uint64(n))
	}
}

// DeadLettersDropped is how many dead letters were dropped since start.
func (s *Store) DeadLettersDropped() uint64 { return s.droppedCounter().Load() }

// BoundDeadLetters deletes the oldest dead letters of every source above
// DeadLettersPerSource, then the oldest overall above DeadLettersTotal, and
// returns how many it deleted.
func (s *Store) BoundDeadLetters(ctx context.Context) (int64, error) {
	n, err := boundDeadLetters(ctx, s.writer)
	s.NoteDeadLettersDropped(int(n))
	return n, err
}

// BoundDeadLetters is Store.BoundDeadLetters inside a projection, so the
// rows a flush adds never show above the bounds; the caller counts the
// result with NoteDeadLettersDropped once the transaction committed.
func (t *Tx) BoundDeadLetters(ctx context.Context) (int64, error) {
	return boundDeadLetters(ctx, t.tx)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func boundDeadLetters(ctx context.Context, db querier) (int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT stream FROM dead_letters GROUP BY stream HAVING count(*) > ?", DeadLettersPerSource)
	if err != nil {
		return 0, fmt.Errorf("bound dead letters: %w", err)
	}
	var over []string
	for rows.Next() {
		var stream string
		if err := rows.Scan(&stream); err != nil {
			rows.Close()
			return 0, err
		}
		over = append(over, stream)
	}
	rows.Close()
	var deleted int64
	for _, stream := range over {
		res, err := db.ExecContext(ctx, `DELETE FROM dead_letters WHERE stream = ?1 AND id <= (
			SELECT id FROM dead_letters WHERE stream = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`, stream, DeadLettersPerSource)
		if err != nil {
			return deleted, fmt.Errorf("bound dead letters of %s: %w", stream, err)
		}
		n, _ := res.RowsAffected()
		deleted += n
	}
	res, err := db.ExecContext(ctx, `DELETE FROM dead_letters WHERE id <= (
		SELECT id FROM dead_letters ORDER BY id DESC LIMIT 1 OFFSET ?)`, DeadLettersTotal)
	if err != nil {
		return deleted, fmt.Errorf("bound dead letters: %w", err)
	}
	n, _ := res.RowsAffected()
	deleted += n
	return deleted, nil
}
