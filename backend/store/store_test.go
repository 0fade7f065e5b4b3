package store

import (
	"context"
	"github.com/kanade-console/kanade-console/migrations"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "kanade.db"), Options{Logger: quiet})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func columns(t *testing.T, s *Store, table string) []string {
	t.Helper()
	rows, err := s.Reader().Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// The 0.29 tables must carry exactly the upstream column names (protocol §8),
// in upstream order; audit_log adds stream_seq and stream_created at the end,
// the console's own dead_letters stream_created (0006); execution_results
// and executions add kanade v0.3x's skipped column and counter (0009).
func TestSchemaMatchesKanade029(t *testing.T) {
	s := openTemp(t)
	want := map[string][]string{
		"agents":            {"pc_id", "hostname", "last_heartbeat", "agent_version", "os_family", "updated_at"},
		"execution_results": {"result_id", "request_id", "exec_id", "pc_id", "exit_code", "stdout", "stderr", "started_at", "finished_at", "recorded_at", "job_id", "skipped"},
		"executions":        {"exec_id", "job_id", "version", "initiated_by", "initiated_at", "target_count", "success_count", "failure_count", "status", "skipped_count"},
		"inventory_facts":   {"pc_id", "job_id", "facts_json", "display_json", "summary_json", "collected_at", "recorded_at"},
		"audit_log":         {"id", "actor", "action", "target", "payload", "occurred_at", "stream_seq", "stream_created"},
		"console_meta":      {"key", "value"},
		"dead_letters":      {"id", "stream", "stream_seq", "subject", "error", "payload_head", "payload_size", "recorded_at", "stream_created"},
	}
	for table, cols := range want {
		if got := columns(t, s, table); !reflect.DeepEqual(got, cols) {
			t.Errorf("%s columns = %v, want %v", table, got, cols)
		}
	}
	for _, idx := range []string{"idx_agents_heartbeat", "idx_execution_results_pc", "idx_execution_results_job", "idx_execution_results_exec", "idx_execution_results_recorded", "idx_executions_job", "idx_inventory_facts_pc", "idx_inventory_facts_job", "idx_audit_actor", "idx_audit_action"} {
		var n int
		if err := s.Reader().QueryRow("SELECT count(*) FROM sqlite_master WHERE type='index' AND name=?", idx).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s missing (n=%d err=%v)", idx, n, err)
		}
	}
}

func TestPragmas(t *testing.T) {
	s := openTemp(t)
	var mode string
	if err := s.Writer().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
	var sync int
	if err := s.Reader().QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 1 {
		t.Fatalf("synchronous = %d (%v), want 1 (NORMAL)", sync, err)
	}
	if _, err := s.Reader().Exec("INSERT INTO console_meta (key, value) VALUES ('x', 'y')"); err == nil {
		t.Fatal("reader pool accepted a write")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kanade.db")
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		s, err := Open(ctx, path, Options{Logger: quiet})
		if err != nil {
			t.Fatalf("open #%d: %v", i, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		migs, _ := LoadMigrations(defaultMigrations)
		if v != len(migs) {
			t.Fatalf("schema version %d, want %d", v, len(migs))
		}
		var n int
		s.Reader().QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
		if n != len(migs) {
			t.Fatalf("schema_migrations rows = %d, want %d", n, len(migs))
		}
		s.Close()
	}
}

func TestRefusesNewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kanade.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Writer().Exec("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 'x', 'now')"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path, Options{Logger: quiet})
	if err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Fatalf("open of a newer database: err = %v, want a refusal naming version 999", err)
	}
}

func TestMigrationRunner(t *testing.T) {
	ctx := context.Background()
	v1 := fstest.MapFS{"0001_one.sql": {Data: []byte("CREATE TABLE one (a TEXT);")}}
	v2 := fstest.MapFS{
		"0001_one.sql": v1["0001_one.sql"],
		"0002_two.sql": {Data: []byte("ALTER TABLE one ADD COLUMN b TEXT; CREATE TABLE two (x INTEGER);")},
	}
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(ctx, path, Options{Migrations: v1, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, Options{Migrations: v2, Logger: quiet})
	if err != nil {
		t.Fatalf("upgrade 1->2: %v", err)
	}
	if got := columns(t, s, "one"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("after upgrade: %v", got)
	}
	s.Close()

	// The binary with only v1 must refuse the v2 database.
	if _, err := Open(ctx, path, Options{Migrations: v1, Logger: quiet}); err == nil {
		t.Fatal("v1 binary opened a v2 database")
	}
	// A changed released file is detected.
	changed := fstest.MapFS{"0001_one.sql": {Data: []byte("CREATE TABLE one (a TEXT, z TEXT);")}, "0002_two.sql": v2["0002_two.sql"]}
	if _, err := Open(ctx, path, Options{Migrations: changed, Logger: quiet}); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("changed migration: err = %v", err)
	}
	// A failing migration leaves the previous version in place.
	bad := fstest.MapFS{
		"0001_one.sql":   v2["0001_one.sql"],
		"0002_two.sql":   v2["0002_two.sql"],
		"0003_broke.sql": {Data: []byte("CREATE TABLE three (x); THIS IS NOT SQL;")},
	}
	if _, err := Open(ctx, path, Options{Migrations: bad, Logger: quiet}); err == nil {
		t.Fatal("broken migration applied")
	}
	s, err = Open(ctx, path, Options{Migrations: v2, Logger: quiet})
	if err != nil {
		t.Fatalf("reopen after failed migration: %v", err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 2 {
		t.Fatalf("version after failed migration = %d, want 2", v)
	}
	var n int
	s.Reader().QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'three'").Scan(&n)
	if n != 0 {
		t.Fatal("failed migration left table three behind")
	}
	s.Close()
}

func TestLoadMigrationsRejectsBadFolders(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":      {"0001_a.sql": {Data: []byte("")}, "0003_c.sql": {Data: []byte("")}},
		"bad name": {"1_a.sql": {Data: []byte("")}},
		"no one":   {"0002_b.sql": {Data: []byte("")}},
	} {
		if _, err := LoadMigrations(fsys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestInstanceIDIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kanade.db")
	ctx := context.Background()
	s, _ := Open(ctx, path, Options{Logger: quiet})
	id1, err := s.InstanceID(ctx)
	if err != nil || len(id1) != 36 {
		t.Fatalf("instance id %q, %v", id1, err)
	}
	s.Close()
	s, _ = Open(ctx, path, Options{Logger: quiet})
	defer s.Close()
	if id2, _ := s.InstanceID(ctx); id2 != id1 {
		t.Fatalf("instance id changed across restarts: %s -> %s", id1, id2)
	}
	other := openTemp(t)
	if id3, _ := other.InstanceID(ctx); id3 == id1 {
		t.Fatal("two databases share an instance id")
	}
}

// Column defaults must produce the same fixed layout as FormatTime, or text
// comparisons between defaulted and bound values break (bug #390).
func TestDefaultTimestampsUseTheFixedLayout(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Writer().Exec("INSERT INTO agents (pc_id) VALUES ('pc')"); err != nil {
		t.Fatal(err)
	}
	var updated string
	s.Reader().QueryRow("SELECT updated_at || '' FROM agents").Scan(&updated)
	if len(updated) != len(TimeLayout) {
		t.Fatalf("default %q has not the layout %q", updated, TimeLayout)
	}
	got, err := time.Parse(TimeLayout, updated)
	if err != nil || time.Since(got) > time.Minute || time.Since(got) < -time.Minute {
		t.Fatalf("default %q: %v", updated, err)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	in := time.Date(2026, 5, 20, 3, 14, 15, 926535800, time.FixedZone("JST", 9*3600))
	s := FormatTime(in)
	if s != "2026-05-19T18:14:15.926535800Z" {
		t.Fatalf("FormatTime = %s", s)
	}
	for _, text := range []string{s, "2026-05-19T18:14:15.9265358Z", "2026-05-20T03:14:15.9265358+09:00"} {
		back, err := ParseTime(text)
		if err != nil || !back.Equal(in) {
			t.Errorf("ParseTime(%s) = %v, %v", text, back, err)
		}
	}
	if _, err := ParseTime("2026-05-19 18:14:15"); err != nil {
		t.Errorf("CURRENT_TIMESTAMP form: %v", err)
	}
	if _, err := ParseTime("yesterday"); err == nil {
		t.Error("ParseTime accepted garbage")
	}
}

var defaultMigrations = migrations.FS

var quiet = slog.New(slog.DiscardHandler)
