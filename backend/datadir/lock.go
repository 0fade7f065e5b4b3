// Package datadir guards a console's data directory: one console process per
// directory, held by an OS file lock for the life of the process.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofrs/flock"
)

// LockFile is the lock's name inside the data directory.
const LockFile = "console.lock"

// ErrInUse is wrapped by Lock's error when another process holds the lock.
var ErrInUse = errors.New("data dir in use by another console")

// Lock holds a data directory. The OS drops the lock when the process ends,
// however it ends, so a crash never leaves a stale lock behind.
type Lock struct {
	fl *flock.Flock
}

// Acquire locks dir (creating it if needed) without waiting. When another
// process holds it, the error names the directory and, where the platform
// lets us read it, the holder's pid. Two consoles on one directory would
// write one SQLite file and one JetStream store, and lose acknowledged data.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir %s: %w", dir, unwrap(err))
	}
	path := filepath.Join(dir, LockFile)
	fl := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o640))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("data dir %s: cannot lock %s: %w", dir, LockFile, unwrap(err))
	}
	if !ok {
		holder := "another process"
		if pid := readPID(path); pid > 0 {
			holder = fmt.Sprintf("pid %d", pid)
		}
		return nil, fmt.Errorf("data dir %s is in use by another kanade console (%s): %w; stop that console or start this one with another --data", dir, holder, ErrInUse)
	}
	// The pid is for the message above; the lock itself is what counts.
	// (On Windows the locked range cannot be read by others, so the
	// message says "another process" there.)
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0); err == nil {
		_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
		_ = f.Close()
	}
	return &Lock{fl: fl}, nil
}

// Release unlocks; the file stays (removing it would race a starting console).
func (l *Lock) Release() error {
	if l == nil || l.fl == nil {
		return nil
	}
	return l.fl.Unlock()
}

func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return pid
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
