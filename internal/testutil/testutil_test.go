package testutil

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPollReturnsOnceCheckPasses(t *testing.T) {
	n := 0
	err := Poll(time.Minute, func() error {
		n++
		if n < 3 {
			return fmt.Errorf("n = %d", n)
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("Poll = %v after %d checks, want nil after 3", err, n)
	}
}

func TestPollReportsTheLastError(t *testing.T) {
	n := 0
	start := time.Now()
	err := Poll(30*time.Millisecond, func() error {
		n++
		return fmt.Errorf("check %d", n)
	})
	if err == nil || err.Error() != fmt.Sprintf("check %d", n) {
		t.Fatalf("Poll = %v, want the last error (check %d)", err, n)
	}
	if took := time.Since(start); took < 30*time.Millisecond {
		t.Fatalf("gave up after %v, before the timeout", took)
	}
	if n < 2 {
		t.Fatalf("checked %d times in 30 ms", n)
	}
}

func TestCondNamesWhatWasAwaited(t *testing.T) {
	ok := false
	check := Cond("the leader", func() bool { return ok })
	if err := check(); err == nil || !strings.Contains(err.Error(), "the leader") {
		t.Fatalf("Cond error = %v", err)
	}
	ok = true
	if err := check(); err != nil {
		t.Fatalf("Cond = %v once the condition holds", err)
	}
}

// fakeTB records Fatalf instead of ending the test.
type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
}

func TestWaitForFailsWithTheLastError(t *testing.T) {
	tb := &fakeTB{TB: t}
	WaitFor(tb, 10*time.Millisecond, func() error { return errors.New("3 of 5 results") })
	if !strings.Contains(tb.msg, "3 of 5 results") || !strings.Contains(tb.msg, "timed out after 10ms") {
		t.Fatalf("failure message %q", tb.msg)
	}
	tb = &fakeTB{TB: t}
	WaitFor(tb, time.Second, func() error { return nil })
	if tb.msg != "" {
		t.Fatalf("WaitFor failed on a passing check: %q", tb.msg)
	}
}

// FreePort never hands out a port twice in one process, even when the
// system offers the same one again right after it was closed.
func TestFreePortNeverRepeats(t *testing.T) {
	seen := map[int]bool{}
	for range 200 {
		p := FreePort(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
	}
}
