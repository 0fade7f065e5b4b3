package accounts

import (
	"context"
	"database/sql"
	"fmt"
)

// CarryOver copies the accounts, permission groups and the session secret
// from a database file that was moved aside (--rebuild, or damaged) into the
// fresh one. The projection is rebuilt from the streams; accounts exist
// nowhere else (kanade keeps users across its -WipeDb the same way). Rows
// already in the new file win; links are not carried (as kanade). A file
// too damaged to read loses them: the error says so.
func CarryOver(ctx context.Context, w *sql.DB, oldPath string) (users int, err error) {
	conn, err := w.Conn(ctx) // ATTACH is per connection
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS old", oldPath); err != nil {
		return 0, fmt.Errorf("open %s: %w", oldPath, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DETACH DATABASE old")
	has := func(table string) bool {
		var n int
		err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM old.sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
		return err == nil && n > 0
	}
	if !has("users") {
		return 0, nil // a file from before accounts
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if has("permission_groups") {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO permission_groups (name, features, created_at, updated_at)
			SELECT name, features, created_at, updated_at FROM old.permission_groups`); err != nil {
			return 0, fmt.Errorf("permission groups: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO users (username, password_hash, role, disabled, must_change_pw, email, allowed_features, permission_group, totp_secret, created_at, updated_at)
		SELECT username, password_hash, role, disabled, must_change_pw, email, allowed_features, permission_group, totp_secret, created_at, updated_at FROM old.users`)
	if err != nil {
		return 0, fmt.Errorf("users: %w", err)
	}
	if has("console_meta") {
		// The session secret: tokens signed before the rebuild stay valid.
		if _, err := tx.ExecContext(ctx, `INSERT INTO console_meta (key, value) SELECT key, value FROM old.console_meta WHERE key = ?
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, SecretMetaKey); err != nil {
			return 0, fmt.Errorf("session secret: %w", err)
		}
	}
	n, _ := res.RowsAffected()
	return int(n), tx.Commit()
}
