package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

// exitsAtOnce runs the binary and returns its exit code and stderr; "at once"
// means well before the 30 s the embedded server's readiness wait used to take.
func exitsAtOnce(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, strings.TrimSpace(stderr.String())
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%v still running after 20 s\n%s", args, stderr.String())
		return 0, ""
	}
}

// The last stderr line is the one-line error run prints; the log lines
// before it (if any) are the console's start log.
func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

// Issue 14 item 3 / issue 16 item 4: a busy embedded-NATS port and a second
// console on the same data dir exit 2 at once with one line that names the
// port or path and what to do.
func TestFailFastBusyNATSPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	code, out := exitsAtOnce(t, "serve", "--data", t.TempDir(), "--addr", fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t)), "--nats-listen", busy.Addr().String())
	line := lastLine(out)
	if code != 2 || !strings.Contains(line, "--nats-listen "+busy.Addr().String()) || !strings.Contains(line, "address already in use") || !strings.Contains(line, "another --nats-listen") {
		t.Fatalf("exit %d, last line %q\n%s", code, line, out)
	}
}

func TestFailFastBusyHTTPPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	code, out := exitsAtOnce(t, "serve", "--data", t.TempDir(), "--addr", busy.Addr().String(), "--nats-listen", "off")
	if code != 2 || strings.Count(out, "\n") != 0 || !strings.Contains(out, "--addr "+busy.Addr().String()) || !strings.Contains(out, "address already in use") || !strings.Contains(out, "another --addr") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

func TestSecondConsoleOnOneDataDirIsRefused(t *testing.T) {
	data := t.TempDir()
	first := startServe(t, "--data", data, "--nats-listen", fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t)))
	first.waitReady(t)
	// Another NATS port and HTTP port, so only the data dir is shared.
	code, out := exitsAtOnce(t, "serve", "--data", data, "--addr", fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t)), "--nats-listen", fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t)))
	line := lastLine(out)
	want := fmt.Sprintf("data dir %s is in use by another kanade console (pid %d)", data, first.cmd.Process.Pid)
	if code != 2 || !strings.Contains(line, want) || !strings.Contains(line, "another --data") {
		t.Fatalf("exit %d, last line %q, want it to contain %q\n%s", code, line, want, out)
	}
	if strings.Contains(out, "JetStream") {
		t.Fatalf("the second console got as far as NATS:\n%s", out)
	}
	first.stop(t)
	// The lock goes with the process: the same dir starts again.
	again := startServe(t, "--data", data, "--nats-listen", "off")
	again.waitReady(t)
	again.stop(t)
	// Even after a SIGKILL, which runs no cleanup.
	killed := startServe(t, "--data", data, "--nats-listen", "off")
	killed.cmd.Process.Kill()
	<-killed.done
	b, _ := os.ReadFile(filepath.Join(data, "console.lock"))
	if strings.TrimSpace(string(b)) != strconv.Itoa(killed.cmd.Process.Pid) {
		t.Errorf("lock file holds %q, want the pid %d", b, killed.cmd.Process.Pid)
	}
	after := startServe(t, "--data", data, "--nats-listen", "off")
	after.waitReady(t)
	after.stop(t)
}

// An existing data dir this process cannot write. Root ignores modes (CI
// runs as root), so there the directory gets the immutable flag instead.
func TestUnwritableDataDirFailsFast(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
			t.Fatalf("chattr +i (root ignores modes, so the test needs the immutable flag): %v %s", err, out)
		}
		defer exec.Command("chattr", "-i", dir).Run()
	}
	code, out := exitsAtOnce(t, "serve", "--data", dir, "--nats-listen", "off")
	if code != 2 || !strings.Contains(out, "data dir "+dir) || !strings.Contains(out, "not writable") || strings.Count(out, "\n") != 0 {
		t.Fatalf("exit %d: %q", code, out)
	}
}
