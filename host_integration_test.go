package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestServiceCommandUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"service"}, "want install, uninstall, start, stop or status"},
		{[]string{"service", "restart"}, `unknown action "restart"`},
		{[]string{"service", "status", "now"}, "takes no arguments"},
	} {
		var stderr bytes.Buffer
		cmd := exec.Command(binary, tc.args...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%v: err = %v, want exit 2", tc.args, err)
		}
		if !strings.Contains(stderr.String(), tc.want) || !strings.Contains(stderr.String(), "service install [--replace]") {
			t.Errorf("%v: stderr %q lacks %q and the usage", tc.args, stderr.String(), tc.want)
		}
	}
}

// serve with [log] path and keep_days writes today's dated file (UTC, as
// 0.29), deletes the oldest beyond keep_days, and logs where each secret
// came from without its value.
func TestServeLogsToDailyFileWithSecretSources(t *testing.T) {
	dir := t.TempDir()
	logDir := filepath.Join(dir, "logs")
	os.MkdirAll(logDir, 0o755)
	for _, old := range []string{"backend.2020-01-01.log", "backend.2020-01-02.log"} {
		os.WriteFile(filepath.Join(logDir, old), []byte("old\n"), 0o644)
	}
	cfgFile := filepath.Join(dir, "backend.toml")
	os.WriteFile(cfgFile, []byte("[log]\npath = '"+filepath.Join(logDir, "backend.log")+"'\nkeep_days = 2\n"), 0o644)
	t.Setenv("KANADE_BACKEND_CONFIG", cfgFile)
	t.Setenv("KANADE_AUTH_STATIC_TOKEN", "static-secret-value")

	r := startServe(t, "--data", filepath.Join(dir, "data"), "--nats-listen", "off")
	r.stop(t)

	today := "backend." + time.Now().UTC().Format("2006-01-02") + ".log"
	entries, _ := os.ReadDir(logDir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"backend.2020-01-02.log", today}; !slices.Equal(names, want) {
		// Just after UTC midnight the start and the stop may sit in two days.
		if len(names) != 2 || names[1] < today {
			t.Fatalf("log files = %v, want %v", names, want)
		}
	}
	b, err := os.ReadFile(filepath.Join(logDir, names[len(names)-1]))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b) + r.stderr.String()
	for _, want := range []string{
		`msg=config file=` + cfgFile + ` from=KANADE_BACKEND_CONFIG`,
		`msg=secret name="static token" source="env KANADE_AUTH_STATIC_TOKEN"`,
		`msg=secret name="nats token" source="not set"`,
		"shutting down",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(text, "static-secret-value") {
		t.Fatalf("a secret value reached the log:\n%s", text)
	}
}
