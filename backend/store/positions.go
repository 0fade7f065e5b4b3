package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Position is where a stream projection stands in this database: the highest
// stream sequence whose batch committed, within the stream incarnation
// created at StreamCreated.
type Position struct {
	Stream        string
	StreamCreated string
	LastSeq       uint64
}

// SetPosition records, inside the batch's transaction, that the batch up to
// seq is projected. Rows and position commit or vanish together, so after a
// crash the position never claims more than the database holds.
func (t *Tx) SetPosition(ctx context.Context, stream, streamCreated string, seq uint64) error {
	_, err := t.stmt(ctx, t.stmts.setPosition).ExecContext(ctx, stream, streamCreated, int64(seq), t.now)
	return err
}

// Position reads a stream's position; ok is false when none is recorded.
func (s *Store) Position(ctx context.Context, stream string) (p Position, ok bool, err error) {
	var seq int64
	err = s.writer.QueryRowContext(ctx, "SELECT stream, stream_created, last_seq FROM projection_positions WHERE stream = ?", stream).
		Scan(&p.Stream, &p.StreamCreated, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return Position{}, false, nil
	}
	if err != nil {
		return Position{}, false, fmt.Errorf("store: position of %s: %w", stream, err)
	}
	p.LastSeq = uint64(seq)
	return p, true, nil
}

// AdoptPosition records a position outside a batch: 0 for a consumer this
// database has just created, or the consumer's ack floor for a database that
// predates positions. It is checkpointed into the main file at once: the
// position must exist before any batch is acked, or a crash that drops the
// WAL would leave no position and the server's floor would be trusted again.
// With adoptEarlier (a database from before positions, whose rows came from
// this incarnation of the stream) the rows projected without a creation time
// (audit rows of the AUDIT stream, dead letters of p.Stream) are stamped with
// p.StreamCreated, so a replay of that stream recognises them.
func (s *Store) AdoptPosition(ctx context.Context, p Position, adoptEarlier bool) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO projection_positions (stream, stream_created, last_seq, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT(stream) DO UPDATE SET
				stream_created = excluded.stream_created, last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
			p.Stream, p.StreamCreated, int64(p.LastSeq), FormatTime(time.Now())); err != nil {
			return err
		}
		if !adoptEarlier {
			return nil
		}
		if p.Stream == wire.StreamAudit {
			if _, err := tx.ExecContext(ctx, "UPDATE audit_log SET stream_created = ? WHERE stream_created = ''", p.StreamCreated); err != nil {
				return err
			}
		}
		// OR IGNORE: a letter already stored with this incarnation's time
		// (the same message recorded twice) keeps its earlier copy.
		_, err := tx.ExecContext(ctx, "UPDATE OR IGNORE dead_letters SET stream_created = ? WHERE stream = ? AND stream_created = ''", p.StreamCreated, p.Stream)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record position of %s: %w", p.Stream, err)
	}
	if _, err := s.writer.ExecContext(ctx, "PRAGMA wal_checkpoint(FULL)"); err != nil {
		return fmt.Errorf("store: checkpoint position of %s: %w", p.Stream, err)
	}
	return nil
}

// Positions lists every recorded stream position.
func (s *Store) Positions(ctx context.Context) ([]Position, error) {
	rows, err := s.writer.QueryContext(ctx, "SELECT stream, stream_created, last_seq FROM projection_positions ORDER BY stream")
	if err != nil {
		return nil, fmt.Errorf("store: positions: %w", err)
	}
	defer rows.Close()
	var out []Position
	for rows.Next() {
		var p Position
		var seq int64
		if err := rows.Scan(&p.Stream, &p.StreamCreated, &seq); err != nil {
			return nil, err
		}
		p.LastSeq = uint64(seq)
		out = append(out, p)
	}
	return out, rows.Err()
}
