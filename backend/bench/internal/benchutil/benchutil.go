// Package benchutil is what the benchmark programs under backend/bench share:
// building the console binary, running it as a separate process on free
// loopback ports, reading its CPU time and memory from /proc, small HTTP
// helpers, percentiles and a description of the machine.
//
// It is only used by benchmark programs (package main under backend/bench),
// never by tests or the console itself.
package benchutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

var (
	exitMu    sync.Mutex
	atExit    []func()
	exitFired bool
)

// AtExit registers cleanup that Fatal (and Cleanup) run, newest first: a
// failed benchmark must not leave a console process or a temp dir behind.
func AtExit(fn func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	atExit = append(atExit, fn)
}

// Cleanup runs the AtExit functions once.
func Cleanup() {
	exitMu.Lock()
	if exitFired {
		exitMu.Unlock()
		return
	}
	exitFired = true
	fns := atExit
	exitMu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// Check ends the program on err, after Cleanup.
func Check(err error) {
	if err != nil {
		Fatalf("%v", err)
	}
}

// Fatalf prints, cleans up and exits with status 1.
func Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchmark failed: "+format+"\n", args...)
	Cleanup()
	os.Exit(1)
}

// ClockTicks is USER_HZ, the unit of utime/stime in /proc/<pid>/stat. It is
// 100 on every Linux architecture Go supports (sysconf is out of reach
// without cgo).
const ClockTicks = 100

// ModuleRoot finds the directory of go.mod (the console's main package).
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the kanade-console module (run from the repository)")
	}
	return filepath.Dir(mod), nil
}

// Build compiles the console into out with extra go build arguments and the
// given extra environment (e.g. CGO_ENABLED=0), and returns the build time.
// A failed build is retried twice after a pause: the embedded frontend/dist
// may be being rebuilt by someone else at that moment.
func Build(out string, env []string, args ...string) (time.Duration, error) {
	root, err := ModuleRoot()
	if err != nil {
		return 0, err
	}
	var took time.Duration
	for attempt := 0; ; attempt++ {
		took, err = build(root, out, env, args)
		if err == nil || attempt == 2 {
			return took, err
		}
		fmt.Fprintf(os.Stderr, "build failed, retrying in 10 s: %v\n", err)
		time.Sleep(10 * time.Second)
	}
}

func build(root, out string, env, args []string) (time.Duration, error) {
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, args...), ".")...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("go build: %v\n%s", err, stderr.String())
	}
	return time.Since(start), nil
}

// FreePort asks the kernel for a free loopback TCP port.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Console is a `kanade-console serve` child process.
type Console struct {
	Cmd     *exec.Cmd
	PID     int
	Addr    string // host:port of the HTTP API
	NATSURL string // nats://127.0.0.1:port of the embedded server
	Data    string
	Started time.Time // just before exec
	LogPath string
	logFile *os.File
	done    chan error
}

// StartConsole starts bin serve on dataDir with free ports; its stderr goes to
// <logDir>/console-<n>.log. It does not wait for readiness.
func StartConsole(bin, dataDir, logDir string, extra ...string) (*Console, error) {
	hp, err := FreePort()
	if err != nil {
		return nil, err
	}
	np, err := FreePort()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, err
	}
	lf, err := os.CreateTemp(logDir, "console-*.log")
	if err != nil {
		return nil, err
	}
	c := &Console{
		Addr: fmt.Sprintf("127.0.0.1:%d", hp), NATSURL: fmt.Sprintf("nats://127.0.0.1:%d", np),
		Data: dataDir, LogPath: lf.Name(), logFile: lf, done: make(chan error, 1),
	}
	args := append([]string{"serve", "--data", dataDir, "--addr", c.Addr, "--nats-listen", fmt.Sprintf("127.0.0.1:%d", np)}, extra...)
	c.Cmd = exec.Command(bin, args...)
	c.Cmd.Stdout, c.Cmd.Stderr = lf, lf
	c.Cmd.Env = cleanEnv()
	c.Started = time.Now()
	if err := c.Cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	c.PID = c.Cmd.Process.Pid
	go func() { c.done <- c.Cmd.Wait() }()
	AtExit(func() {
		if c.Cmd.ProcessState == nil {
			_ = c.Cmd.Process.Kill()
		}
	})
	return c, nil
}

// ConsoleEnv is added to the environment of every console started (e.g.
// GODEBUG=gctrace=1 for a diagnostic run).
var ConsoleEnv []string

// cleanEnv drops KANADE_* variables so the child runs on its defaults
// (embedded NATS, open on loopback) whatever the caller's shell holds.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KANADE_") {
			env = append(env, kv)
		}
	}
	return append(env, ConsoleEnv...)
}

// URL is the console's base URL plus path.
func (c *Console) URL(path string) string { return "http://" + c.Addr + path }

// WaitReady polls /readyz every poll until it answers 200 and returns the
// time from process start.
func (c *Console) WaitReady(ctx context.Context, poll time.Duration) (time.Duration, error) {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case err := <-c.done:
			c.done <- err
			return 0, fmt.Errorf("console exited before ready (%v); log: %s", err, c.tail())
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.URL("/readyz"), nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(c.Started), nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("console not ready: %w; log: %s", ctx.Err(), c.tail())
		case <-time.After(poll):
		}
	}
}

func (c *Console) tail() string {
	b, _ := os.ReadFile(c.LogPath)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// Stop sends SIGTERM and waits (killing after timeout); it returns how long
// the graceful stop took.
func (c *Console) Stop(timeout time.Duration) (time.Duration, error) {
	defer c.logFile.Close()
	start := time.Now()
	_ = c.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		return time.Since(start), err
	case <-time.After(timeout):
		_ = c.Cmd.Process.Kill()
		<-c.done
		return time.Since(start), fmt.Errorf("console did not stop within %s; killed", timeout)
	}
}

// CPUTicks is utime+stime of pid in clock ticks (see ClockTicks).
func CPUTicks(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may contain spaces; fields after it are
	// counted from the closing parenthesis.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime is field 14, stime field 15.
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("bad utime/stime in /proc stat")
	}
	return ut + st, nil
}

// CPUMeter measures the CPU a process uses over a wall-clock window.
type CPUMeter struct {
	pid   int
	ticks uint64
	at    time.Time
}

// StartCPU begins a window.
func StartCPU(pid int) (*CPUMeter, error) {
	t, err := CPUTicks(pid)
	if err != nil {
		return nil, err
	}
	return &CPUMeter{pid: pid, ticks: t, at: time.Now()}, nil
}

// CPU is the outcome of a window: seconds of CPU over seconds of wall time.
type CPU struct {
	CPUSeconds  float64
	WallSeconds float64
}

// PctOfCore is CPU as % of one core.
func (c CPU) PctOfCore() float64 { return 100 * c.CPUSeconds / c.WallSeconds }

// PctOfMachine is CPU as % of all cores of the machine.
func (c CPU) PctOfMachine() float64 { return c.PctOfCore() / float64(runtime.NumCPU()) }

// Stop ends the window.
func (m *CPUMeter) Stop() (CPU, error) {
	t, err := CPUTicks(m.pid)
	if err != nil {
		return CPU{}, err
	}
	return CPU{CPUSeconds: float64(t-m.ticks) / ClockTicks, WallSeconds: time.Since(m.at).Seconds()}, nil
}

// Mem is the resident memory of a process in bytes.
type Mem struct {
	RSS, HWM uint64 // VmRSS now, VmHWM (peak RSS)
}

// MemOf reads VmRSS and VmHWM from /proc/<pid>/status.
func MemOf(pid int) (Mem, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Mem{}, err
	}
	var m Mem
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseUint(f[0], 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = n * 1024
		case "VmHWM":
			m.HWM = n * 1024
		}
	}
	return m, nil
}

// MB formats bytes as MB (10^6, like the targets).
func MB(b uint64) float64 { return float64(b) / 1e6 }

// Client is a keep-alive HTTP client for one console.
var Client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

// GetJSON fetches url into v (v may be nil) and returns the X-Total-Count
// header and body size.
func GetJSON(ctx context.Context, url string, v any) (total string, size int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", 0, err
	}
	resp, err := Client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return "", len(body), fmt.Errorf("GET %s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			return "", len(body), fmt.Errorf("GET %s: decode: %w", url, err)
		}
	}
	return resp.Header.Get("X-Total-Count"), len(body), nil
}

// PostJSON posts body (marshalled unless it is []byte) and decodes the
// answer into v (v may be nil).
func PostJSON(ctx context.Context, url string, body, v any) error {
	data, ok := body.([]byte)
	if !ok {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s: %s", url, resp.Status, strings.TrimSpace(string(out)))
	}
	if v != nil && len(out) > 0 {
		return json.Unmarshal(out, v)
	}
	return nil
}

// Dist summarises a set of durations.
type Dist struct {
	N                  int
	Min, P50, P90, P99 time.Duration
	Max, Mean          time.Duration
}

// Summarise sorts a copy of ds and reads its percentiles (nearest rank).
func Summarise(ds []time.Duration) Dist {
	if len(ds) == 0 {
		return Dist{}
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Dist{N: len(s), Min: s[0], P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}

// Ms formats a duration in milliseconds.
func Ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/1e6) }

// Verdict compares a measured value with a target where lower is better:
// "met (x0.42 of target)" or "short by 1.8x (… over)".
func Verdict(measured, target float64, unit string) string {
	if measured <= target {
		return fmt.Sprintf("met (%.2fx of target)", measured/target)
	}
	return fmt.Sprintf("SHORT by %.2fx (%.4g %s over %.4g %s)", measured/target, measured-target, unit, target, unit)
}

// Machine describes where the numbers were taken.
func Machine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d CPUs (GOMAXPROCS %d), %s %s/%s", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if m, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(m), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				f := strings.Fields(line)
				if len(f) >= 2 {
					kb, _ := strconv.ParseUint(f[1], 10, 64)
					fmt.Fprintf(&b, ", %.1f GiB RAM", float64(kb)/(1<<20))
				}
			}
		}
	}
	if k, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		fmt.Fprintf(&b, ", kernel %s", strings.TrimSpace(string(k)))
	}
	if cpu, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(cpu), "\n") {
			if strings.HasPrefix(line, "model name") {
				if _, v, ok := strings.Cut(line, ":"); ok {
					fmt.Fprintf(&b, ", %s", strings.TrimSpace(v))
				}
				break
			}
		}
	}
	return b.String()
}

// LoadAvg is /proc/loadavg's first three fields (other processes may share
// the machine; this shows how busy it was).
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// Header prints the common first lines of a benchmark's output.
func Header(w io.Writer, name string) {
	fmt.Fprintf(w, "kanade console %s benchmark — %s\n", name, time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "machine: %s\n", Machine())
	fmt.Fprintf(w, "load average at start: %s (other processes may be running)\n\n", LoadAvg())
}
