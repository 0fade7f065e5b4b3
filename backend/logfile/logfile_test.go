package logfile

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for the writer.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDailyRotationKeepsNewestFiles(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 12, 1, 23, 59, 0, 0, time.UTC)}
	w, err := Open(filepath.Join(dir, "logs", "backend.log"), 3, c.now)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got, want := w.Name(), filepath.Join(dir, "logs", "backend.2026-12-01.log"); got != want {
		t.Fatalf("name = %s, want %s", got, want)
	}
	w.Write([]byte("day1\n"))
	for day := 2; day <= 5; day++ {
		c.set(time.Date(2026, 12, day, 0, 0, 1, 0, time.UTC))
		w.Write([]byte("line\n"))
	}
	want := []string{"backend.2026-12-03.log", "backend.2026-12-04.log", "backend.2026-12-05.log"}
	if got := files(t, filepath.Join(dir, "logs")); !slices.Equal(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
	if got := read(t, filepath.Join(dir, "logs", "backend.2026-12-05.log")); got != "line\n" {
		t.Fatalf("today's file = %q", got)
	}
}

func TestRotationUsesUTCDate(t *testing.T) {
	dir := t.TempDir()
	tokyo := time.FixedZone("JST", 9*3600)
	c := &clock{t: time.Date(2026, 12, 2, 8, 0, 0, 0, tokyo)} // 2026-12-01 23:00 UTC
	w, err := Open(filepath.Join(dir, "app.log"), 14, c.now)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if filepath.Base(w.Name()) != "app.2026-12-01.log" {
		t.Fatalf("name = %s", w.Name())
	}
}

func TestOpenAppendsAndPrunesOldFilesAtStart(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"backend.2026-11-01.log", "backend.2026-11-02.log", "backend.2026-11-03.log", "backend.2026-12-07.log", "other.2026-11-01.log", "backend.log", "backend.2026-13-45.log"} {
		os.WriteFile(filepath.Join(dir, name), []byte("old\n"), 0o644)
	}
	c := &clock{t: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
	w, err := Open(filepath.Join(dir, "backend.log"), 2, c.now)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("new\n"))
	w.Close()
	// Unrelated names (another stem, the undated file, an impossible date) stay.
	want := []string{"backend.2026-11-03.log", "backend.2026-12-07.log", "backend.2026-13-45.log", "backend.log", "other.2026-11-01.log"}
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
	if got := read(t, filepath.Join(dir, "backend.2026-12-07.log")); got != "old\nnew\n" {
		t.Fatalf("today's file = %q (appends)", got)
	}
}

func TestClockSetBackKeepsFileInUse(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)}
	w, err := Open(filepath.Join(dir, "b.log"), 1, c.now)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c.set(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if _, err := w.Write([]byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, w.Name()); got != "x\n" {
		t.Fatalf("current file %s = %q", w.Name(), got)
	}
}

func TestOpenRejects(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "b.log"), 0, nil); err == nil {
		t.Fatal("keep 0 accepted")
	}
	if _, err := Open(t.TempDir()+"/", 3, nil); err == nil {
		t.Fatal("a directory path accepted")
	}
}

func TestWriteAfterClose(t *testing.T) {
	w, err := Open(filepath.Join(t.TempDir(), "b.log"), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := w.Write([]byte("x")); err == nil {
		t.Fatal("write after close succeeded")
	}
}
