package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
)

// InstanceID is this database's identity, minted on first use. Durable
// consumer names derive from it, so each console (each database) owns its own
// consumers, and a new database starts its consumers from the first message.
func (s *Store) InstanceID(ctx context.Context) (string, error) {
	id, err := s.Meta(ctx, "instance_id")
	if err != nil {
		return "", err
	}
	if id != "" {
		return id, nil
	}
	fresh := uuid.NewString()
	if _, err := s.writer.ExecContext(ctx, "INSERT INTO console_meta (key, value) VALUES ('instance_id', ?) ON CONFLICT(key) DO NOTHING", fresh); err != nil {
		return "", err
	}
	return s.Meta(ctx, "instance_id")
}

// Meta reads one console_meta value ("" when absent).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.writer.QueryRowContext(ctx, "SELECT value FROM console_meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta writes one console_meta value.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.writer.ExecContext(ctx, "INSERT INTO console_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
