package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Integrity is what is known about the database file's soundness.
type Integrity struct {
	// State is "unchecked", "checking", "ok" or "damaged".
	State     string    `json:"state"`
	Detail    string    `json:"detail,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	Took      string    `json:"took,omitempty"`
}

type health struct {
	mu sync.Mutex
	in Integrity
}

// Integrity reports the last integrity check and any damage seen since.
func (s *Store) Integrity() Integrity {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	if s.health.in.State == "" {
		return Integrity{State: "unchecked"}
	}
	return s.health.in
}

func (s *Store) setIntegrity(in Integrity) {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	if s.health.in.State == "damaged" && in.State != "damaged" {
		return // damage seen by a query outlives a later check's start
	}
	s.health.in = in
}

// NoteError marks the database damaged when err is SQLite reporting
// corruption; the read paths (the API) report what they hit through it.
func (s *Store) NoteError(err error) { s.noteErr(err) }

// noteErr marks the database damaged when SQLite reports corruption, so
// readiness says so instead of a projector retrying one batch forever.
func (s *Store) noteErr(err error) {
	if err == nil || !IsCorrupt(err) {
		return
	}
	s.setIntegrity(Integrity{State: "damaged", Detail: err.Error(), CheckedAt: time.Now().UTC()})
	s.log.Error("the database file is damaged", "path", s.path, "err", err)
}

// IsCorrupt reports whether err is SQLite's "database disk image is
// malformed" or "file is not a database".
func IsCorrupt(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
			return true
		}
	}
	return false
}

// probeWrite proves the writer can commit: a read-only file (0444 in a
// writable dir) otherwise opens, migrates (nothing to do) and starts, and
// then never projects anything.
func (s *Store) probeWrite(ctx context.Context) error {
	// A row written and rolled back: the file must take a write, nothing
	// stays behind.
	tx, err := s.writer.BeginTx(ctx, nil)
	if err == nil {
		_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (-1, 'write probe', '', '')")
		_ = tx.Rollback()
	}
	if err != nil {
		return fmt.Errorf("store: database %s cannot be written (%v): make it writable by this user, or move it aside to have it rebuilt from the streams", s.path, err)
	}
	return nil
}

// QuickCheck runs SQLite's PRAGMA quick_check (every page and b-tree, no
// index-content cross-check) and records the result. It reads the whole
// file: 7.7 s for 1M results (572 MB) on a loaded 2-core machine, far over
// a ready budget, so the console runs it in the background unless the
// operator asked for a rebuild on damage.
func (s *Store) QuickCheck(ctx context.Context) Integrity {
	start := time.Now()
	s.setIntegrity(Integrity{State: "checking"})
	rows, err := s.reader.QueryContext(ctx, "PRAGMA quick_check(20)")
	var problems []string
	if err == nil {
		for rows.Next() {
			var line string
			if err = rows.Scan(&line); err != nil {
				break
			}
			if line != "ok" {
				problems = append(problems, line)
			}
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
	}
	in := Integrity{State: "ok", CheckedAt: time.Now().UTC(), Took: time.Since(start).Round(time.Millisecond).String()}
	switch {
	case err != nil && ctx.Err() != nil:
		in = Integrity{State: "unchecked", Detail: "check interrupted"}
	case err != nil:
		in.State, in.Detail = "damaged", err.Error()
	case len(problems) > 0:
		in.State, in.Detail = "damaged", strings.Join(problems, "; ")
	}
	if in.State == "damaged" {
		s.health.mu.Lock()
		s.health.in = in
		s.health.mu.Unlock()
		s.log.Error("the database file is damaged", "path", s.path, "problems", in.Detail, "took", in.Took)
	} else {
		s.setIntegrity(in)
		s.log.Info("database integrity check", "state", in.State, "took", in.Took)
	}
	return in
}

// MoveAside renames a database file and its -wal and -shm companions to
// <path>.<tag>-<UTC time> and returns the new name of the main file. The
// console then starts on a new, empty database and rebuilds it from the
// streams.
func MoveAside(path, tag string) (string, error) {
	to := fmt.Sprintf("%s.%s-%s", path, tag, time.Now().UTC().Format("20060102T150405Z"))
	if err := os.Rename(path, to); err != nil {
		return "", fmt.Errorf("store: move %s aside: %w", path, err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+suffix, to+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return to, fmt.Errorf("store: move %s aside: %w", path+suffix, err)
		}
	}
	return to, nil
}
