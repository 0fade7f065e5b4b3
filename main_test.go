package main

// These tests run the real binary, the way an operator does: flags in, exit
// code and one-line errors out, a NATS client and HTTP from outside.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kanade-console-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "kanade-console")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the binary failed:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestBadInvocationsExitWithOneLine(t *testing.T) {
	data := t.TempDir()
	badTOML := filepath.Join(t.TempDir(), "backend.toml")
	os.WriteFile(badTOML, []byte("[server]\nbind = \"127.0.0.1:1\"\nlisten = 1\n"), 0o644)
	busy, _ := net.Listen("tcp", "127.0.0.1:0")
	defer busy.Close()

	cases := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"bogus"}, nil, `unknown command "bogus"`},
		{[]string{"serve", "--no-such-flag"}, nil, "no-such-flag"},
		{[]string{"serve", "--data", data, "--addr", "localhost"}, nil, "--addr"},
		{[]string{"serve", "--data", data, "--nats-url", "ftp://x"}, nil, "--nats-url"},
		{[]string{"serve", "--data", "/proc/kanade-test"}, nil, "data dir /proc/kanade-test"},
		{[]string{"serve", "--data", data, "--config", badTOML}, nil, `unknown key "server.listen"`},
		{[]string{"serve", "--data", data}, []string{"KANADE_BACKEND_CONFIG=/nonexistent.toml"}, "/nonexistent.toml"},
		{[]string{"serve", "--data", data, "--addr", busy.Addr().String(), "--nats-listen", "off"}, nil, "address already in use"},
		{[]string{"sim"}, nil, "--nats-url"},
		// No built-in secret: open only on loopback.
		{[]string{"serve", "--data", data, "--addr", "0.0.0.0:0", "--nats-listen", "off"}, nil, "refusing to serve the API on 0.0.0.0:0 without authentication"},
	}
	for _, tc := range cases {
		cmd := exec.Command(binary, tc.args...)
		cmd.Env = append(os.Environ(), tc.env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() == 0 {
			t.Errorf("%v: err = %v, want a non-zero exit", tc.args, err)
			continue
		}
		out := strings.TrimSpace(stderr.String())
		if strings.Count(out, "\n") != 0 && !strings.Contains(tc.args[len(tc.args)-1], "no-such-flag") {
			t.Errorf("%v: stderr has several lines: %q", tc.args, out)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%v: stderr %q does not mention %q", tc.args, out, tc.want)
		}
	}
}

func TestVersion(t *testing.T) {
	out, err := exec.Command(binary, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "kanade-console ") {
		t.Fatalf("version: %q %v", out, err)
	}
}

type running struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan error
}

// syncBuffer is the child's stderr, written by exec's copier goroutine while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
	cmd := exec.Command(binary, append([]string{"serve", "--addr", addr}, args...)...)
	r := &running{cmd: cmd, url: "http://" + addr, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	testutil.WaitFor(t, 30*time.Second, func() error {
		select {
		case err := <-r.done:
			t.Fatalf("serve exited early: %v\n%s", err, r.stderr.String())
		default:
		}
		resp, err := http.Get(r.url + "/health")
		if err != nil {
			return fmt.Errorf("serve does not answer /health (%v)\n%s", err, r.stderr.String())
		}
		resp.Body.Close()
		return nil
	})
	return r
}

func (r *running) readyz(t *testing.T) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(r.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func (r *running) waitReady(t *testing.T) {
	t.Helper()
	testutil.WaitFor(t, 30*time.Second, func() error {
		if status, body := r.readyz(t); status != 200 {
			return fmt.Errorf("not ready: %d %v\n%s", status, body, r.stderr.String())
		}
		return nil
	})
}

// stop sends SIGTERM and requires a clean exit inside the 10 s grace.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, r.stderr.String())
		}
	case <-time.After(12 * time.Second):
		t.Fatalf("no exit within 10 s of SIGTERM\n%s", r.stderr.String())
	}
}

func checkResources(t *testing.T, natsURL string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatalf("NATS client on %s: %v", natsURL, err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	var streams []string
	for name := range js.StreamNames(ctx).Name() {
		streams = append(streams, name)
	}
	joined := strings.Join(streams, ",")
	for _, want := range []string{"INVENTORY", "RESULTS", "EXEC", "EVENTS", "AUDIT", "KV_script_current", "KV_script_status", "KV_agents_state", "KV_agent_config", "KV_agent_groups", "KV_schedules", "KV_jobs", "OBJ_agent_releases"} {
		if !strings.Contains(joined, want) {
			t.Errorf("stream %s missing; have %s", want, joined)
		}
	}
	s, err := js.Stream(ctx, "EXEC")
	if err != nil || s.CachedInfo().Config.MaxMsgsPerSubject != 1 {
		t.Errorf("EXEC: %v", err)
	}
	return js
}

// The README's promise: one command brings up a working broker endpoint and
// store; a restart on the same data dir keeps everything.
func TestServeEmbeddedAndRestart(t *testing.T) {
	data := t.TempDir()
	natsAddr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
	r := startServe(t, "--data", data, "--nats-listen", natsAddr)
	r.waitReady(t)
	js := checkResources(t, "nats://"+natsAddr)
	ctx := context.Background()
	kv, _ := js.KeyValue(ctx, "jobs")
	if _, err := kv.Put(ctx, "probe", []byte(`{"id":"probe"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "audit.operator.exec.probe", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	resp, _ := http.Get(r.url + "/")
	resp.Body.Close()
	r.stop(t)

	r = startServe(t, "--data", data, "--nats-listen", natsAddr)
	r.waitReady(t)
	js = checkResources(t, "nats://"+natsAddr)
	kv, _ = js.KeyValue(ctx, "jobs")
	if e, err := kv.Get(ctx, "probe"); err != nil || string(e.Value()) != `{"id":"probe"}` {
		t.Fatalf("jobs/probe after restart: %v", err)
	}
	s, _ := js.Stream(ctx, "AUDIT")
	if info, _ := s.Info(ctx); info.State.Msgs != 1 {
		t.Fatalf("AUDIT after restart has %d msgs", info.State.Msgs)
	}
	r.stop(t)
}

// Against an external NATS that is down at start, serve stays up, says why it
// is not ready, and bootstraps once the server appears.
func TestServeExternalNATSDownAtStart(t *testing.T) {
	port := testutil.FreePort(t)
	r := startServe(t, "--data", t.TempDir(), "--nats-url", fmt.Sprintf("nats://127.0.0.1:%d", port))
	status, body := r.readyz(t)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with NATS down = %d %v", status, body)
	}
	if checks, _ := body["checks"].(map[string]any); checks["nats"] != "not connected" {
		t.Fatalf("readyz checks = %v", body)
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	r.waitReady(t)
	checkResources(t, ns.ClientURL())
	if !strings.Contains(r.stderr.String(), "retrying") {
		t.Errorf("log does not say it is retrying:\n%s", r.stderr.String())
	}
	r.stop(t)
}
