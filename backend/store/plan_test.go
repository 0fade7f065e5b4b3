package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The results pages the UI asks for most must walk an index in the page's
// order: a full sort ("USE TEMP B-TREE FOR ORDER BY") reads every matching
// row, which at a million rows is the difference between 2 and 150 ms
// (BENCHMARKS.md). A tie-break sort of equal recorded_at values is fine.
func TestResultPagesWalkAnIndex(t *testing.T) {
	s := openTemp(t)
	week := time.Now().Add(-7 * 24 * time.Hour)
	cases := []struct {
		name  string
		q     ResultQuery
		index string
	}{
		{"newest", ResultQuery{}, "idx_execution_results_recorded"},
		{"one pc", ResultQuery{PCID: "PC-1"}, "idx_execution_results_pc"},
		{"one job", ResultQuery{JobID: "job"}, "idx_execution_results_job_recorded"},
		{"one exec", ResultQuery{ExecID: "e1"}, "idx_execution_results_exec_recorded"},
		{"failures since", ResultQuery{Status: "failure", Since: &week}, "idx_execution_results_failures"},
	}
	for _, tc := range cases {
		tc.q.Limit = 50
		query, args := tc.q.pageSQL(tc.q.where())
		rows, err := s.Reader().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, " | ")
		if !strings.Contains(text, "INDEX "+tc.index) || strings.Contains(text, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: plan %q, want a walk of %s without a full sort", tc.name, text, tc.index)
		}
	}
}
