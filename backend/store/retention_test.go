package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestSweepRetention(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) string { return FormatTime(now.Add(-d)) }
	day := 24 * time.Hour
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.writer.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		age := 100 * day // seven rows past 90 days, three recent
		if i >= 7 {
			age = 10 * day
		}
		exec(`INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, started_at, finished_at, recorded_at, job_id)
			VALUES (?, 'req', 'e', ?, 0, '', '', ?, ?, ?, 'job')`, fmt.Sprint("r", i), fmt.Sprint("PC-", i), ago(age), ago(age), ago(age))
	}
	for i, age := range []time.Duration{100 * day, 95 * day, day} {
		exec(`INSERT INTO executions (exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count, failure_count, status)
			VALUES (?, 'job', '1', 'operator', ?, 1, 1, 0, 'completed')`, fmt.Sprint("e", i), ago(age))
	}
	for _, age := range []time.Duration{400 * day, 366 * day, 300 * day} {
		exec(`INSERT INTO audit_log (actor, action, occurred_at) VALUES ('operator', 'exec', ?)`, ago(age))
	}
	for i, age := range []time.Duration{40 * day, 2 * day} {
		exec(`INSERT INTO dead_letters (stream, stream_seq, subject, error, payload_head, payload_size, recorded_at) VALUES ('RESULTS', ?, 'results.x', 'bad', x'00', 1, ?)`, i, ago(age))
	}
	for i, age := range []time.Duration{100 * day, time.Hour} {
		exec(`INSERT INTO inflight_runs (exec_id, pc_id, manifest_id, version, started_at) VALUES ('e9', ?, 'job', '1', ?)`, fmt.Sprint("PC-", i), ago(age))
	}
	count := func(table string) int {
		var n int
		s.Reader().QueryRow("SELECT count(*) FROM " + table).Scan(&n)
		return n
	}

	// Two batches of three per table per sweep: six of the seven old results
	// go now, the seventh in the next sweep. Audit retention is off here.
	policy := DefaultRetention
	policy.Audit = 0
	lim := SweepLimits{BatchSize: 3, MaxBatches: 2}
	got, err := s.SweepRetention(ctx, now, policy, lim)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"execution_results": 6, "executions": 2, "dead_letters": 1, "inflight_runs": 1}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("first sweep deleted %v, want %v", got, want)
	}
	got, err = s.SweepRetention(ctx, now, policy, lim)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]int64{"execution_results": 1}) {
		t.Fatalf("second sweep deleted %v, want the last old result", got)
	}
	for table, n := range map[string]int{"execution_results": 3, "executions": 1, "audit_log": 3, "dead_letters": 1, "inflight_runs": 1} {
		if c := count(table); c != n {
			t.Errorf("%s: %d rows left, want %d", table, c, n)
		}
	}
	var oldest string
	s.Reader().QueryRow("SELECT min(recorded_at) FROM execution_results").Scan(&oldest)
	if oldest != ago(10*day) {
		t.Errorf("oldest result left %s, want the recent ones only", oldest)
	}

	// With audit retention on, the two entries past 365 days go.
	got, err = s.SweepRetention(ctx, now, DefaultRetention, DefaultSweepLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]int64{"audit_log": 2}) {
		t.Fatalf("audit sweep deleted %v", got)
	}
}
