package store

import (
	"context"
	"fmt"
	"testing"
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
