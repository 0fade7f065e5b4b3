package store

import (
	"context"
	"testing"
	"time"
)

// Within one incarnation of a stream the position only moves forward; a new
// incarnation (new creation time) replaces it, and audit rows with the same
// sequence from two incarnations are both kept.
func TestPositionsAndAuditAcrossStreamIncarnations(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if _, ok, err := s.Position(ctx, "AUDIT"); ok || err != nil {
		t.Fatalf("fresh database has a position: %v %v", ok, err)
	}
	steps := []struct {
		created string
		seq     uint64
		want    uint64
	}{
		{"A", 10, 10},
		{"A", 5, 10}, // a redelivered older batch
		{"A", 12, 12},
		{"B", 3, 3}, // the stream was created again
	}
	for _, st := range steps {
		err := s.Project(ctx, func(tx *Tx) error {
			if err := tx.InsertAudit(ctx, AuditRow{StreamSeq: 3, StreamCreated: st.created, Actor: "a", Action: "x", Payload: "null", OccurredAt: time.Now()}); err != nil {
				return err
			}
			return tx.SetPosition(ctx, "AUDIT", st.created, st.seq)
		})
		if err != nil {
			t.Fatal(err)
		}
		p, ok, err := s.Position(ctx, "AUDIT")
		if err != nil || !ok || p.LastSeq != st.want || p.StreamCreated != st.created {
			t.Fatalf("after %s/%d: %+v %v %v, want %d", st.created, st.seq, p, ok, err, st.want)
		}
	}
	var n int
	s.Reader().QueryRow("SELECT count(*) FROM audit_log").Scan(&n)
	if n != 2 {
		t.Fatalf("audit rows = %d, want 2 (seq 3 of incarnations A and B)", n)
	}
	if err := s.AdoptPosition(ctx, Position{Stream: "RESULTS", StreamCreated: "C", LastSeq: 7}, false); err != nil {
		t.Fatal(err)
	}
	all, err := s.Positions(ctx)
	if err != nil || len(all) != 2 || all[1].Stream != "RESULTS" || all[1].LastSeq != 7 {
		t.Fatalf("positions = %+v %v", all, err)
	}
}
