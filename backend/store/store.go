// Package store is the console's SQLite projection: opening the file with the
// right pragmas, the migration runner and the queries. It uses one writer
// connection (SQLite allows one writer at a time; a single connection turns
// lock contention into Go-side queueing) and a small pool of read-only
// connections that WAL lets run beside the writer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/migrations"
)

// TimeLayout is the one text layout of every timestamp column: UTC, fixed
// width, nine fraction digits. Equal width and a fixed zone make text order
// the same as time order, so range filters are plain string comparisons.
const TimeLayout = wire.StoreTimeLayout

// FormatTime renders t in TimeLayout.
func FormatTime(t time.Time) string { return wire.FormatStoreTime(t) }

// ParseTime reads a timestamp column. Besides TimeLayout it accepts any RFC
// 3339 text and SQLite's CURRENT_TIMESTAMP form, so a database written by
// kanade-backend itself can still be read.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{TimeLayout, time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("store: unrecognised timestamp %q", s)
}

// Options tune Open; the zero value is the production setting.
type Options struct {
	// Readers is the size of the read-only pool (default: GOMAXPROCS, at least 2).
	Readers int
	// BusyTimeout is how long a connection waits for a lock (default 10 s).
	BusyTimeout time.Duration
	// Migrations overrides the embedded schema files (tests of the runner).
	Migrations fs.FS
	Logger     *slog.Logger
	// Synchronous is the writer's PRAGMA synchronous (default NORMAL). An
	// acked batch survives a power loss under NORMAL through the projection
	// positions (projector/stream.go), not through fsyncs; FULL is here for
	// backend/bench/projection to measure the alternative.
	Synchronous string
}

// Store holds the writer and reader pools of one SQLite file.
type Store struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	log    *slog.Logger
	stmts  statements
	// deadDropped counts dead letters dropped by the bounds (deadletters.go).
	deadDropped atomic.Uint64
	health      health
	// explode and explodeSQL: the explode tables applied in this process
	// and their SQL (explode.go).
	explode    explodeCache
	explodeSQL explodeSQLCache
}

// Open creates the file if needed, applies the pragmas, and migrates the
// schema to the newest version this binary knows. It refuses a database that
// a newer binary has migrated further.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.Readers <= 0 {
		opts.Readers = max(2, runtime.GOMAXPROCS(0))
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	if opts.Migrations == nil {
		opts.Migrations = migrations.FS
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Synchronous == "" {
		opts.Synchronous = "NORMAL"
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create directory for database: %w", err)
		}
	}

	writer, err := sql.Open("sqlite", dsn(path, opts.BusyTimeout, false, opts.Synchronous))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{path: path, writer: writer, log: opts.Logger}
	if err := s.migrate(ctx, opts.Migrations); err != nil {
		writer.Close()
		return nil, err
	}
	if err := s.probeWrite(ctx); err != nil {
		writer.Close()
		return nil, err
	}

	reader, err := sql.Open("sqlite", dsn(path, opts.BusyTimeout, true, "NORMAL"))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	reader.SetMaxOpenConns(opts.Readers)
	reader.SetMaxIdleConns(opts.Readers)
	s.reader = reader
	return s, nil
}

// dsn builds a modernc.org/sqlite data source name whose pragmas run on every
// new connection (pragmas are per connection, so a pool needs them in the DSN).
func dsn(path string, busy time.Duration, readOnly bool, synchronous string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	} else {
		// BEGIN IMMEDIATE takes the write lock up front, so a transaction
		// never fails half-way on a lock upgrade.
		q.Set("_txlock", "immediate")
		// Measured on result inserts (backend/bench/projection): the random
		// keys of the result indexes need more than the default 2 MB of
		// page cache, and checkpointing every 1,000 pages cost a quarter of
		// the write time. 64 MB of cache and a 10,000-page (~40 MB) WAL
		// between checkpoints gave about +30%.
		q.Add("_pragma", "cache_size(-65536)")
		q.Add("_pragma", "wal_autocheckpoint(10000)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Writer is the single write connection; callers batch their writes into
// transactions on it.
func (s *Store) Writer() *sql.DB { return s.writer }

// Reader is the read-only pool.
func (s *Store) Reader() *sql.DB { return s.reader }

// Ping checks that both pools answer a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.writer.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: writer: %w", err)
	}
	if err := s.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: reader: %w", err)
	}
	return nil
}

// Close checkpoints the WAL into the main file and closes both pools.
func (s *Store) Close() error {
	var errs []error
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if _, err := s.writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		s.log.Warn("wal checkpoint on close failed", "err", err)
	}
	errs = append(errs, s.writer.Close())
	return errors.Join(errs...)
}

// WithTx runs fn in one write transaction and commits it, or rolls back when
// fn or the commit fails.
func (s *Store) WithTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		s.noteErr(err)
		return err
	}
	err = tx.Commit()
	s.noteErr(err)
	return err
}
