package store

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/kanade-console/kanade-console/migrations"
)

// Dead letters keep the newest DeadLettersPerSource per source and the
// newest DeadLettersTotal overall; the rest is counted as dropped.
func TestDeadLettersAreBounded(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	insert := func(stream string, n int) {
		err := s.Project(ctx, func(tx *Tx) error {
			for i := range n {
				if err := tx.InsertDeadLetter(ctx, DeadLetter{Stream: stream, StreamSeq: uint64(i + 1), Subject: "x", Err: "bad", Payload: []byte("{")}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	insert("RESULTS", DeadLettersPerSource+250)
	insert("AUDIT", 10)
	n, err := s.BoundDeadLetters(ctx)
	if err != nil || n != 250 {
		t.Fatalf("BoundDeadLetters = %d, %v; want 250", n, err)
	}
	var kept, oldest int
	s.Reader().QueryRow("SELECT count(*), min(stream_seq) FROM dead_letters WHERE stream = 'RESULTS'").Scan(&kept, &oldest)
	if kept != DeadLettersPerSource || oldest != 251 {
		t.Fatalf("RESULTS kept %d from seq %d; want the newest %d", kept, oldest, DeadLettersPerSource)
	}
	for i := range 12 {
		insert(fmt.Sprintf("S%02d", i), DeadLettersPerSource)
	}
	if _, err := s.BoundDeadLetters(ctx); err != nil {
		t.Fatal(err)
	}
	var total int
	s.Reader().QueryRow("SELECT count(*) FROM dead_letters").Scan(&total)
	if total != DeadLettersTotal {
		t.Fatalf("total %d, want %d", total, DeadLettersTotal)
	}
	want := uint64(250 + (DeadLettersPerSource + 10 + 12*DeadLettersPerSource - DeadLettersTotal))
	if got := s.DeadLettersDropped(); got != want {
		t.Fatalf("dropped %d, want %d", got, want)
	}
}

// Issue 16 item 5: a stream created again (NATS back with an empty store)
// restarts its sequences at 1; its new dead letters are kept beside the old
// incarnation's, and the same message recorded twice stays one row.
func TestDeadLettersAcrossStreamIncarnations(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	insert := func(created string, seqs ...uint64) {
		t.Helper()
		err := s.Project(ctx, func(tx *Tx) error {
			for _, seq := range seqs {
				if err := tx.InsertDeadLetter(ctx, DeadLetter{Stream: "RESULTS", StreamCreated: created, StreamSeq: seq, Subject: "results.x", Err: "bad " + created, Payload: []byte("{")}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	insert("A", 1, 2, 3)
	insert("B", 1, 2) // the recreated stream
	insert("A", 1)    // redelivered
	insert("B", 2)    // redelivered
	rows, total, err := s.ListDeadLetters(ctx, Page{Limit: 100})
	if err != nil || total != 5 || len(rows) != 5 {
		t.Fatalf("dead letters = %d (%d listed), %v; want 5", total, len(rows), err)
	}
	if rows[0].StreamSeq != 2 || rows[0].Error != "bad B" {
		t.Fatalf("newest dead letter = %+v, want seq 2 of the recreated stream", rows[0])
	}
}

// Migration 0006 rebuilds dead_letters: rows and ids are kept, rows of a
// stream with a recorded position take its creation time, the others are
// stamped when the projector adopts a position for an earlier database.
func TestDeadLettersMigrationKeepsRows(t *testing.T) {
	ctx := context.Background()
	upTo5 := fstest.MapFS{}
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() < "0006" {
			data, err := fs.ReadFile(migrations.FS, e.Name())
			if err != nil {
				t.Fatal(err)
			}
			upTo5[e.Name()] = &fstest.MapFile{Data: data}
		}
	}
	path := filepath.Join(t.TempDir(), "kanade.db")
	old, err := Open(ctx, path, Options{Migrations: upTo5, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO projection_positions (stream, stream_created, last_seq, updated_at) VALUES ('RESULTS', 'A', 9, 'x')`,
		`INSERT INTO dead_letters (id, stream, stream_seq, subject, error, payload_head, payload_size) VALUES (7, 'RESULTS', 4, 's', 'e', x'7b', 1)`,
		`INSERT INTO dead_letters (id, stream, stream_seq, subject, error, payload_head, payload_size) VALUES (40, 'EVENTS', 4, 's', 'e', x'7b', 1)`,
		`DELETE FROM dead_letters WHERE id = 40`,
		`INSERT INTO dead_letters (id, stream, stream_seq, subject, error, payload_head, payload_size) VALUES (8, 'EVENTS', 5, 's', 'e', x'7b', 1)`,
	} {
		if _, err := old.Writer().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	s, err := Open(ctx, path, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	created := func(id int) string {
		t.Helper()
		var c string
		if err := s.Reader().QueryRow("SELECT stream_created FROM dead_letters WHERE id = ?", id).Scan(&c); err != nil {
			t.Fatalf("dead letter %d: %v", id, err)
		}
		return c
	}
	if created(7) != "A" || created(8) != "" {
		t.Fatalf("after the migration: RESULTS row %q, EVENTS row %q; want A and empty", created(7), created(8))
	}
	// Ids go on after the highest ever used (40), not the highest kept.
	if err := s.Project(ctx, func(tx *Tx) error {
		return tx.InsertDeadLetter(ctx, DeadLetter{Stream: "RESULTS", StreamCreated: "B", StreamSeq: 4, Subject: "s", Err: "e"})
	}); err != nil {
		t.Fatal(err)
	}
	var newest int
	s.Reader().QueryRow("SELECT max(id) FROM dead_letters").Scan(&newest)
	if newest <= 40 {
		t.Fatalf("new dead letter id %d reuses an old id", newest)
	}
	// A position adopted without earlier rows leaves them; adopting a
	// database from before positions stamps them.
	if err := s.AdoptPosition(ctx, Position{Stream: "EVENTS", StreamCreated: "E"}, false); err != nil {
		t.Fatal(err)
	}
	if created(8) != "" {
		t.Fatalf("EVENTS row stamped by a fresh consumer's position: %q", created(8))
	}
	if err := s.AdoptPosition(ctx, Position{Stream: "EVENTS", StreamCreated: "E", LastSeq: 5}, true); err != nil {
		t.Fatal(err)
	}
	if created(8) != "E" || created(7) != "A" {
		t.Fatalf("after adopting: EVENTS row %q, RESULTS row %q", created(8), created(7))
	}
}
