// Package logfile is kanade 0.29's [log] file: one file per UTC day, named
// from the configured path's stem and extension (backend.log ->
// backend.2026-12-07.log), with only the newest keep_days files kept.
//
// lumberjack and its forks rotate by size or fixed intervals from process
// start and prune by age; 0.29 rotates at UTC midnight and keeps a number of
// files, which is the few lines below.
package logfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

const dayLayout = "2006-01-02"

// Writer appends to today's file and moves to a new one when the UTC date
// changes. It is safe for concurrent use.
type Writer struct {
	dir, stem, ext string
	keep           int
	now            func() time.Time
	dated          *regexp.Regexp

	mu  sync.Mutex
	day string
	f   *os.File
}

// Open creates the directory if needed and opens today's file. keepDays is
// how many daily files to keep (today's included), at least 1. now is the
// clock (nil: time.Now); tests pass their own.
func Open(path string, keepDays int, now func() time.Time) (*Writer, error) {
	if keepDays < 1 {
		return nil, fmt.Errorf("log keep_days %d: want at least 1", keepDays)
	}
	if now == nil {
		now = time.Now
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	if stem == "" {
		return nil, fmt.Errorf("log path %q: needs a file name", path)
	}
	w := &Writer{
		dir: filepath.Clean(dir), stem: stem, ext: ext, keep: keepDays, now: now,
		dated: regexp.MustCompile(`^` + regexp.QuoteMeta(stem) + `\.(\d{4}-\d{2}-\d{2})` + regexp.QuoteMeta(ext) + `$`),
	}
	if err := os.MkdirAll(w.dir, 0o750); err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.rotate(w.today()); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) today() string { return w.now().UTC().Format(dayLayout) }

// Name is the file written now.
func (w *Writer) Name() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fileFor(w.day)
}

func (w *Writer) fileFor(day string) string {
	return filepath.Join(w.dir, w.stem+"."+day+w.ext)
}

func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, os.ErrClosed
	}
	if day := w.today(); day != w.day {
		if err := w.rotate(day); err != nil {
			// Keep writing to the old file rather than losing the line.
			fmt.Fprintf(os.Stderr, "log rotation: %v\n", err)
		}
	}
	return w.f.Write(p)
}

// rotate switches to day's file, then deletes the oldest files beyond keep.
func (w *Writer) rotate(day string) error {
	f, err := os.OpenFile(w.fileFor(day), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	if w.f != nil {
		w.f.Close()
	}
	w.f, w.day = f, day
	return w.prune()
}

func (w *Writer) prune() error {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return err
	}
	var days []string
	for _, e := range entries {
		if m := w.dated.FindStringSubmatch(e.Name()); m != nil && e.Type().IsRegular() {
			if _, err := time.Parse(dayLayout, m[1]); err == nil {
				days = append(days, m[1])
			}
		}
	}
	slices.Sort(days) // ISO dates sort by time
	var errs []error
	for len(days) > w.keep {
		if days[0] != w.day { // never the file in use, even with a clock set back
			if err := os.Remove(w.fileFor(days[0])); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		days = days[1:]
	}
	return errors.Join(errs...)
}

// Close closes the current file; later writes fail.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
