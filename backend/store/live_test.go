package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLiveRuns(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	project := func(fn func(*Tx) error) {
		t.Helper()
		if err := s.Project(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	exec, job := "e1", "job"
	project(func(tx *Tx) error {
		return tx.UpsertExecution(ctx, Execution{ExecID: exec, JobID: job, Version: "1", InitiatedBy: "op", InitiatedAt: t0, TargetCount: 4})
	})
	result := func(pc, id string, exit int, skipped bool) {
		project(func(tx *Tx) error {
			ok, err := tx.InsertResult(ctx, Result{ResultID: id, RequestID: "req", ExecID: &exec, PCID: pc, ExitCode: exit,
				StartedAt: t0, FinishedAt: t0.Add(time.Second), JobID: &job, Skipped: skipped})
			if err != nil || !ok {
				return err
			}
			c := ResultCount{}
			switch {
			case skipped:
				c.Skipped++
			case exit == 0:
				c.Success++
			default:
				c.Failure++
			}
			if err := tx.CountResults(ctx, exec, c); err != nil {
				return err
			}
			return tx.FinishInflight(ctx, []RunKey{{exec, pc}})
		})
	}
	start := func(pc, id string, at time.Time) {
		project(func(tx *Tx) error {
			return tx.StartInflight(ctx, Started{ResultID: id, ExecID: exec, PCID: pc, JobID: job, Version: "1", StartedAt: at})
		})
	}
	list := func(status string) []ResultRow {
		t.Helper()
		rows, total, err := s.ListResults(ctx, ResultQuery{Status: status, Page: Page{Limit: 50}})
		if err != nil || total != len(rows) {
			t.Fatalf("list %s: %v (total %d, %d rows)", status, err, total, len(rows))
		}
		return rows
	}

	start("PC-1", "r1", t0)                // runs, then succeeds
	start("PC-2", "", t0.Add(time.Second)) // no result_id (first v0.30 agents), never reports
	start("PC-2", "", t0.Add(time.Second)) // redelivered: no-op
	result("PC-3", "r3", 125, true)        // a skip of a newer agent
	result("PC-4", "r4", 2, false)         // a 0.29 failure
	start("PC-4", "r4", t0)                // its start arrives after its result: ignored
	if got := list("running"); len(got) != 2 || got[0].PCID != "PC-2" || got[0].ResultID != InflightResultID(exec, "PC-2") ||
		got[0].ExitCode != nil || got[0].FinishedAt != nil || got[1].ResultID != "r1" {
		t.Fatalf("running rows %+v", got)
	}
	result("PC-1", "r1", 0, false)
	if got := list("running"); len(got) != 1 || got[0].PCID != "PC-2" {
		t.Fatalf("running after PC-1's result %+v", got)
	}
	for status, want := range map[string]string{"success": "r1", "failure": "r4", "skipped": "r3"} {
		if got := list(status); len(got) != 1 || got[0].ResultID != want {
			t.Errorf("status=%s: %+v", status, got)
		}
	}
	if got := list("skipped"); !got[0].Skipped || *got[0].ExitCode != 125 {
		t.Errorf("skipped row %+v", got[0])
	}
	d, err := s.GetExecution(ctx, exec, FullDetail)
	if err != nil {
		t.Fatal(err)
	}
	if e := d.Execution; e.SuccessCount != 1 || e.FailureCount != 1 || e.SkippedCount != 1 || e.InflightCount != 1 || e.Status != "running" {
		t.Fatalf("execution %+v", e)
	}
	live, err := s.LiveCountsByJob(ctx)
	if err != nil || live[job] != (LiveCounts{Running: 1}) {
		t.Fatalf("live %v, %v", live, err)
	}

	// In-flight rows are addressable by result id; unknown ids are not found.
	id2 := InflightResultID(exec, "PC-2")
	if r, err := s.GetResult(ctx, id2); err != nil || !r.Running() || r.PCID != "PC-2" {
		t.Fatalf("get in-flight: %+v, %v", r, err)
	}
	if _, err := s.GetResult(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}

	// The reaper: not yet, then after the threshold; the row leaves running.
	if n, err := s.ReapInflight(ctx, t0, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("early reap: %d, %v", n, err)
	}
	now := t0.Add(25 * time.Hour)
	if n, err := s.ReapInflight(ctx, now.Add(-24*time.Hour), now); err != nil || n != 1 {
		t.Fatalf("reap: %d, %v", n, err)
	}
	if got := list("running"); len(got) != 0 {
		t.Fatalf("running after reap %+v", got)
	}
	if r, err := s.GetResult(ctx, id2); err != nil || r.Running() || !r.Reaped || r.ExitCode != nil || !r.FinishedAt.Equal(now) {
		t.Fatalf("reaped row %+v, %v", r, err)
	}
	// A late real result still wins.
	result("PC-2", "r2", 0, false)
	if r, err := s.GetResult(ctx, "r2"); err != nil || r.Reaped || *r.ExitCode != 0 {
		t.Fatalf("late result %+v, %v", r, err)
	}
	if _, err := s.GetResult(ctx, id2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the reaped marker outlived its result: %v", err)
	}
	d, _ = s.GetExecution(ctx, exec, FullDetail)
	if e := d.Execution; e.SuccessCount != 2 || e.Status != "completed" {
		t.Fatalf("execution after the late result %+v", e)
	}
	if live, _ := s.LiveCountsByJob(ctx); len(live) != 0 {
		t.Fatalf("live after completion %v", live)
	}
}
