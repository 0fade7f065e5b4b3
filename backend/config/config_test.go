package config

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/retention"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeTOML(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "backend.toml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Parse("serve", []string{"--data", dir}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.NATSListen != "127.0.0.1:4222" || cfg.NATSURL != "" || cfg.LogLevel != slog.LevelInfo {
		t.Fatalf("defaults = %+v", cfg)
	}
	if cfg.SQLitePath != filepath.Join(dir, "kanade.db") {
		t.Fatalf("sqlite path = %s", cfg.SQLitePath)
	}
}

// flags > env > TOML > defaults
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := writeTOML(t, `
[server]
bind = "127.0.0.1:9001"
[nats]
url = "nats://file:4222"
[db]
sqlite_path = "`+filepath.Join(dir, "file.db")+`"
[log]
path = "/tmp/x.log"
level = "kanade=debug"
keep_days = 3
[console]
data_dir = "`+dir+`"
[vars]
anything = "goes"
`)
	cfg, err := Parse("serve", []string{"--config", file}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9001" || cfg.NATSURL != "nats://file:4222" || cfg.LogLevel != slog.LevelDebug || cfg.DataDir != dir || cfg.SQLitePath != filepath.Join(dir, "file.db") {
		t.Fatalf("from file: %+v", cfg)
	}

	env := envOf(map[string]string{"KANADE_BACKEND_CONFIG": file, "KANADE_NATS_URL": "nats://env:4222", "KANADE_NATS_TOKEN": "tok", "KANADE_AUTH_DISABLE": "", "KANADE_AUTH_STATIC_TOKEN": " st ", "KANADE_JWT_SECRET": "js"})
	cfg, err = Parse("serve", nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConfigPath != file || cfg.NATSURL != "nats://env:4222" || cfg.NATSToken != "tok" || !cfg.AuthDisable || cfg.StaticToken != "st" || cfg.JWTSecret != "js" {
		t.Fatalf("env over file: %+v", cfg)
	}

	cfg, err = Parse("serve", []string{"--nats-url", "nats://flag:4222", "--addr", "127.0.0.1:9002"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NATSURL != "nats://flag:4222" || cfg.Addr != "127.0.0.1:9002" {
		t.Fatalf("flags over env: %+v", cfg)
	}
}

func TestBadInputIsOneLineNamingTheProblem(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notADir, nil, 0o644)
	data := t.TempDir()

	cases := []struct {
		name string
		args []string
		file string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "", "bogus"},
		{"extra arg", []string{"--data", data, "extra"}, "", `unexpected argument "extra"`},
		{"bad addr", []string{"--data", data, "--addr", "nowhere"}, "", "--addr"},
		{"bad port", []string{"--data", data, "--addr", "127.0.0.1:99999"}, "", "--addr"},
		{"bad nats url", []string{"--data", data, "--nats-url", "http://x"}, "", "--nats-url"},
		{"bad nats listen", []string{"--data", data, "--nats-listen", "4222"}, "", "--nats-listen"},
		{"bad level", []string{"--data", data, "--log-level", "loud"}, "", "--log-level"},
		{"negative demo", []string{"--data", data, "--demo-agents", "-1"}, "", "--demo-agents"},
		{"bad demo", []string{"--data", data, "--demo-agents", "many"}, "", "demo-agents"},
		{"data is a file", []string{"--data", notADir}, "", "data dir"},
		{"data under a file", []string{"--data", filepath.Join(notADir, "sub")}, "", "data dir"},
		// /proc refuses new entries even to root, which CI runs as.
		{"unwritable data", []string{"--data", "/proc/kanade-console-test"}, "", "data dir"},
		{"unwritable sqlite dir", []string{"--data", data}, "[db]\nsqlite_path = \"/proc/kanade-console-test/k.db\"\n", "sqlite_path"},
		{"missing config", []string{"--data", data, "--config", "/nonexistent/backend.toml"}, "", "/nonexistent/backend.toml"},
		{"unknown key", []string{"--data", data}, "[server]\nbind = \"127.0.0.1:1\"\nport = 3\n", `unknown key "server.port"`},
		{"unknown table", []string{"--data", data}, "[srever]\nbind = \"x\"\n", `unknown key "srever`},
		{"bad toml", []string{"--data", data}, "[server\nbind=", "line "},
		{"wrong type", []string{"--data", data}, "[server]\nbind = 8080\n", "config"},
		{"bad file level", []string{"--data", data}, "[log]\nlevel = \"loud\"\n", "log.level"},
		{"bad retention flag", []string{"--data", data, "--retain-results", "ninety days"}, "", "--retain-results"},
		{"retention too short", []string{"--data", data, "--retain-audit", "5m"}, "", "shorter than an hour"},
		{"bad retention key", []string{"--data", data}, "[retention]\nresultz = \"30d\"\n", `unknown key "retention.resultz"`},
		{"bad retention value", []string{"--data", data}, "[retention]\nresults = \"soon\"\n", "retention.results"},
		{"retention not a string", []string{"--data", data}, "[retention]\nresults = 30\n", "config"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = append(args, "--config", writeTOML(t, tc.file))
			}
			_, err := Parse("serve", args, envOf(nil), io.Discard)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

// Retention: kanade's #486 defaults; the file and flags override per table;
// 0 keeps forever.
func TestRetention(t *testing.T) {
	data := t.TempDir()
	cfg, err := Parse("serve", []string{"--data", data}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	if cfg.Retention != (retention.Policy{Results: 90 * day, Executions: 90 * day, Audit: 365 * day, DeadLetters: 30 * day, ReapInflight: day, InventoryHistory: 90 * day}) {
		t.Fatalf("default retention = %+v", cfg.Retention)
	}
	file := writeTOML(t, "[retention]\nresults = \"30d\"\naudit = \"0\"\ndead_letters = \"1d 12h\"\nreap_inflight_after = \"2d\"\ninventory_history = \"365d\"\n")
	cfg, err = Parse("serve", []string{"--data", data, "--config", file, "--retain-results", "7d", "--retain-executions", "0"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := retention.Policy{Results: 7 * day, Executions: 0, Audit: 0, DeadLetters: 36 * time.Hour, ReapInflight: 2 * day, InventoryHistory: 365 * day}
	if cfg.Retention != want {
		t.Fatalf("retention = %+v, want %+v", cfg.Retention, want)
	}
	cfg, err = Parse("serve", []string{"--data", data, "--config", file, "--reap-inflight-after", "6h"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = retention.Policy{Results: 30 * day, Executions: 90 * day, Audit: 0, DeadLetters: 36 * time.Hour, ReapInflight: 6 * time.Hour, InventoryHistory: 365 * day}
	if cfg.Retention != want {
		t.Fatalf("retention = %+v, want %+v", cfg.Retention, want)
	}
}

func TestAllowedHosts(t *testing.T) {
	dir := t.TempDir()
	file := writeTOML(t, "[server]\nallowed_hosts = [\"console.lan\", \" *.ts.net \"]\n")
	cfg, err := Parse("serve", []string{"--data", dir, "--config", file}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.AllowedHosts, "|") != "console.lan|*.ts.net" {
		t.Fatalf("file allowed_hosts = %q", cfg.AllowedHosts)
	}
	cfg, err = Parse("serve", []string{"--data", dir, "--config", file, "--allowed-hosts", "a.example, b.example,"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.AllowedHosts, "|") != "a.example|b.example" {
		t.Fatalf("flag allowed_hosts = %q", cfg.AllowedHosts)
	}
}

func TestNATSReplicas(t *testing.T) {
	dir := t.TempDir()
	cluster := []string{"--data", dir, "--nats-url", "nats://a:4222,nats://b:4222"}
	cases := []struct {
		name     string
		args     []string
		env      map[string]string
		file     string
		want     int
		explicit bool
		err      string
	}{
		{name: "default", args: []string{"--data", dir}, want: 1},
		{name: "flag", args: append(cluster, "--nats-replicas", "3"), want: 3, explicit: true},
		{name: "env", args: cluster, env: map[string]string{"KANADE_NATS_REPLICAS": "3"}, want: 3, explicit: true},
		{name: "file", args: cluster, file: "[nats]\nreplicas = 3\n", want: 3, explicit: true},
		{name: "flag over env", args: append(cluster, "--nats-replicas", "5"), env: map[string]string{"KANADE_NATS_REPLICAS": "3"}, want: 5, explicit: true},
		{name: "explicit 1", args: append(cluster, "--nats-replicas", "1"), want: 1, explicit: true},
		{name: "embedded", args: []string{"--data", dir, "--nats-replicas", "3"}, err: "needs a NATS cluster"},
		{name: "zero", args: append(cluster, "--nats-replicas", "0"), err: "want 1-5"},
		{name: "six", args: append(cluster, "--nats-replicas", "6"), err: "want 1-5"},
		{name: "bad env", args: cluster, env: map[string]string{"KANADE_NATS_REPLICAS": "three"}, err: "KANADE_NATS_REPLICAS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = append(slices.Clone(args), "--config", writeTOML(t, tc.file))
			}
			cfg, err := Parse("serve", args, envOf(tc.env), io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.NATSReplicas != tc.want || cfg.NATSReplicasExplicit != tc.explicit {
				t.Fatalf("replicas %d explicit %v, want %d %v", cfg.NATSReplicas, cfg.NATSReplicasExplicit, tc.want, tc.explicit)
			}
		})
	}
}

func TestCheckAgentListener(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{NATSListen: "127.0.0.1:4222"}, true},
		{Config{NATSListen: "localhost:4222"}, true},
		{Config{NATSListen: "[::1]:4222"}, true},
		{Config{NATSListen: "off"}, true},
		{Config{NATSListen: "0.0.0.0:4222", NATSURL: "nats://x:4222"}, true},
		{Config{NATSListen: "0.0.0.0:4222", NATSToken: "t"}, true},
		{Config{NATSListen: "0.0.0.0:4222", NATSAgentUser: "a"}, true},
		{Config{NATSListen: "0.0.0.0:4222", NATSOperatorUser: "o"}, true},
		{Config{NATSListen: "0.0.0.0:4222"}, false},
		{Config{NATSListen: ":4222"}, false},
		{Config{NATSListen: "192.168.1.5:4222"}, false},
	} {
		err := tc.cfg.CheckAgentListener()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.cfg, err)
		}
		if err != nil && !strings.Contains(err.Error(), "refusing to open the agent listener on "+tc.cfg.NATSListen) {
			t.Errorf("message %q", err)
		}
	}
}
