package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
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
		{"skipped", ResultQuery{Status: "skipped"}, "idx_execution_results_skipped"},
		{"running", ResultQuery{Status: "running"}, "idx_inflight_runs_running"},
		{"running exec", ResultQuery{Status: "running", ExecID: "e1"}, "idx_inflight_runs_exec_running"},
	}
	for _, tc := range cases {
		tc.q.Limit = 50
		var query string
		var args []any
		if tc.q.Status == "running" {
			query, args = tc.q.runningPageSQL(tc.q.runningWhere())
		} else {
			query, args = tc.q.pageSQL(tc.q.where())
		}
		text := queryPlan(t, s, query, args...)
		if !strings.Contains(text, "INDEX "+tc.index) || strings.Contains(text, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: plan %q, want a walk of %s without a full sort", tc.name, text, tc.index)
		}
	}
	// The capped counts of the filtered pages read only their index.
	for _, tc := range []struct {
		from  string
		w     *where
		index string
	}{
		{"execution_results", ResultQuery{Status: "failure", Since: &week}.where(), "COVERING INDEX idx_execution_results_failures"},
		{"execution_results", ResultQuery{Status: "skipped"}.where(), "COVERING INDEX idx_execution_results_skipped"},
		{"inflight_runs", ResultQuery{Status: "running"}.runningWhere(), "COVERING INDEX idx_inflight_runs_running"},
		{"inflight_runs", ResultQuery{Status: "running", ExecID: "e1"}.runningWhere(), "COVERING INDEX idx_inflight_runs_exec_running"},
	} {
		text := queryPlan(t, s, "SELECT count(*) FROM (SELECT 1 FROM "+tc.from+tc.w.sql()+" LIMIT ?)", append(tc.w.args, CountCap)...)
		if !strings.Contains(text, tc.index) {
			t.Errorf("count %s%s: plan %q, want %s", tc.from, tc.w.sql(), text, tc.index)
		}
	}
}

func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.Reader().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, " | ")
}

// Every indexed search shape of an explode table is paged from one index
// in the page's order, without a table lookup per row (COVERING) and
// without sorting the matches; its capped count reads that index too. The
// PC's collection time is joined from the index that holds it (0011): the
// facts row keeps collected_at behind a document of tens of kilobytes,
// which doubled a 1,000-row page.
func TestExplodeSearchesReadOneIndex(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	spec := wire.ExplodeSpec{Field: "apps", Table: "sw", PrimaryKey: []string{"name"}, Columns: []wire.ExplodeColumn{
		{Field: "name", Index: true}, {Field: "source"}, {Field: "version", Index: true}, {Field: "publisher", Index: true}, {Field: "size_kb", Type: "integer"},
	}}
	if err := s.Project(ctx, func(tx *Tx) error {
		refused, err := tx.EnsureExplode(ctx, "job", []wire.ExplodeSpec{spec})
		if len(refused) > 0 {
			t.Fatalf("refused: %v", refused)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// A primary key that is not indexed comes right after job_id.
	byID := wire.ExplodeSpec{Field: "disks", Table: "dk", PrimaryKey: []string{"serial"}, Columns: []wire.ExplodeColumn{
		{Field: "serial"}, {Field: "model", Index: true}, {Field: "size_gb", Type: "integer"},
	}}
	if err := s.Project(ctx, func(tx *Tx) error {
		_, err := tx.EnsureExplode(ctx, "job2", []wire.ExplodeSpec{byID})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		spec    *wire.ExplodeSpec
		filters []ExplodeFilter
		plan    string
	}{
		{"model = (key not indexed)", &byID, []ExplodeFilter{{"model", "eq", "X1"}}, "COVERING INDEX idx_dk_model"},
		{"name =", nil, []ExplodeFilter{{"name", "eq", "Chrome"}}, "COVERING INDEX idx_sw_name"},
		{"name = and version <", nil, []ExplodeFilter{{"name", "eq", "Chrome"}, {"version", "lt", "120"}}, "COVERING INDEX idx_sw_name"},
		{"name prefix", nil, []ExplodeFilter{{"name", "prefix", "Chr"}}, "COVERING INDEX idx_sw_name"},
		{"version >=", nil, []ExplodeFilter{{"version", "ge", "2"}}, "COVERING INDEX idx_sw_version"},
		{"publisher = and size", nil, []ExplodeFilter{{"publisher", "eq", "Google"}, {"size_kb", "gt", "10"}}, "COVERING INDEX idx_sw_publisher"},
		{"pc_id =", nil, []ExplodeFilter{{"pc_id", "eq", "PC-1"}}, "PRIMARY KEY"},
	}
	for _, tc := range cases {
		sp := spec
		if tc.spec != nil {
			sp = *tc.spec
		}
		q := ExplodeQuery{JobID: "job", Spec: sp, Filters: tc.filters, Page: Page{Limit: 1000}}
		query, _, w, err := q.pageSQL()
		if err != nil {
			t.Fatal(err)
		}
		text := queryPlan(t, s, query, append(w.args, 1000, 0)...)
		if !strings.Contains(text, tc.plan) || strings.Contains(text, "TEMP B-TREE") ||
			!strings.Contains(text, "SEARCH f USING COVERING INDEX idx_inventory_facts_job_pc_collected") {
			t.Errorf("%s: plan %q, want %s without a sort, and collected_at from idx_inventory_facts_job_pc_collected", tc.name, text, tc.plan)
		}
		count := queryPlan(t, s, "SELECT count(*) FROM (SELECT 1 FROM "+quoteIdent(sp.Table)+" AS t"+w.sql()+" LIMIT ?)", append(w.args, CountCap)...)
		if tc.plan != "PRIMARY KEY" && !strings.Contains(count, tc.plan) {
			t.Errorf("%s: count plan %q, want %s", tc.name, count, tc.plan)
		}
	}
}
