package console

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/kanade-console/kanade-console/backend/config"
)

// A backend.toml carried over from kanade-backend 0.29 names 0.29's own
// SQLite file in [db] sqlite_path. The console must start, leave that file
// exactly as it was (0.29 may be started again to switch back), and project
// into a file of its own beside it.
func TestKanade029DatabaseIsLeftUntouched(t *testing.T) {
	ns := natsServer(t)
	dir := t.TempDir()
	legacy := filepath.Join(t.TempDir(), "kanade.db")
	db, err := sql.Open("sqlite", "file:"+legacy)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL)`,
		`INSERT INTO _sqlx_migrations VALUES (1, 'init')`,
		`CREATE TABLE agents (pc_id TEXT PRIMARY KEY, hostname TEXT)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before, err := os.ReadFile(legacy)
	if err != nil {
		t.Fatal(err)
	}

	c := New(config.Config{DataDir: dir, SQLitePath: legacy, NATSURL: ns.ClientURL()}, quiet)
	if err := c.Start(context.Background()); err != nil {
		t.Fatalf("Start with 0.29's database as sqlite_path: %v", err)
	}
	defer c.Stop(context.Background())

	after, err := os.ReadFile(legacy)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Fatal("the 0.29 database file was modified")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(legacy + suffix); err == nil {
			t.Fatalf("the 0.29 database got a %s file", suffix)
		}
	}
	want := filepath.Join(filepath.Dir(legacy), Kanade029SiblingDB)
	if got := c.Database().Path; got != want {
		t.Fatalf("projection path = %s, want %s", got, want)
	}
}
