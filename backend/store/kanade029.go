package store

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// IsKanadeBackendDatabase reports whether path is kanade-backend's own SQLite
// file (sqlx's _sqlx_migrations table and none of ours). A backend.toml
// carried over from 0.29 names that file in [db] sqlite_path; the console
// must not migrate it, since 0.29 is what an operator switches back to.
// The check opens the file read-only and immutable, so it writes nothing
// (not even a -wal or -shm file). A missing file is not 0.29's.
func IsKanadeBackendDatabase(path string) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return false, err
	}
	defer db.Close()
	var sqlx, ours int
	err = db.QueryRow(`SELECT
		COUNT(*) FILTER (WHERE name = '_sqlx_migrations'),
		COUNT(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_master WHERE type = 'table'`).Scan(&sqlx, &ours)
	if err != nil {
		return false, fmt.Errorf("store: inspect %s: %w", path, err)
	}
	return sqlx > 0 && ours == 0, nil
}
