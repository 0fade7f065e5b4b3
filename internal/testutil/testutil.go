// Package testutil holds what the module's tests share: WaitFor, the one
// way a test waits for something that happens asynchronously. Only tests
// import it.
package testutil

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// WaitFor calls check until it returns nil and fails the test when timeout
// passes first, with check's last error: a wait that times out says what
// it last saw, not only that it waited (nats-server's checkFor). The poll
// interval starts at 1 ms and doubles up to 50 ms, so fast conditions are
// seen fast and slow ones do not spin.
func WaitFor(t testing.TB, timeout time.Duration, check func() error) {
	t.Helper()
	if err := Poll(timeout, check); err != nil {
		t.Fatalf("timed out after %v: %v", timeout, err)
	}
}

// Poll is WaitFor without a test: it returns nil once check does, or
// check's last error when timeout passes first. For waits on goroutines
// other than the test's, where t.Fatal must not be called.
func Poll(timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	interval := time.Millisecond
	for {
		err := check()
		if err == nil {
			return nil
		}
		if !time.Now().Before(deadline) {
			return err
		}
		time.Sleep(min(interval, time.Until(deadline)+time.Millisecond))
		interval = min(2*interval, 50*time.Millisecond)
	}
}

// Cond turns a yes/no condition into a WaitFor check whose error names what
// was awaited. Prefer a check that returns what it saw; Cond is for
// conditions with nothing more to say.
func Cond(what string, ok func() bool) func() error {
	err := errors.New("still waiting for " + what)
	return func() error {
		if ok() {
			return nil
		}
		return err
	}
}

// Waiting prefixes check's errors with what is awaited, for a timeout
// message that names it.
func Waiting(what string, check func() error) func() error {
	return func() error {
		if err := check(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
}
