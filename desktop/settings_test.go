package desktop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/backend/config"
)

func envOf(m map[string]string) config.Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestPinnedFields(t *testing.T) {
	p := pinnedFields([]string{"--data", "/d", "--nats-listen=127.0.0.1:1", "--demo-agents", "3"}, envOf(map[string]string{"KANADE_NATS_TOKEN": "", "KANADE_AUTH_STATIC_TOKEN": "x"}))
	want := map[string]string{"data_dir": "--data", "nats_listen": "--nats-listen", "nats_token": "KANADE_NATS_TOKEN", "http_token": "KANADE_AUTH_STATIC_TOKEN"}
	if len(p) != len(want) {
		t.Errorf("pinned %v, want %v", p, want)
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s pinned by %q, want %q", k, p[k], v)
		}
	}
	// A flag wins over the environment.
	p = pinnedFields([]string{"--nats-url", "nats://a:4222"}, envOf(map[string]string{"KANADE_NATS_URL": "nats://b:4222"}))
	if p["nats_url"] != "--nats-url" || p["nats_mode"] != "--nats-url" {
		t.Errorf("flag vs env: %v", p)
	}
	if p := pinnedFields([]string{"--addr", "127.0.0.1:9"}, envOf(nil)); p["http_enabled"] != "--addr" || p["http_addr"] != "--addr" {
		t.Errorf("--addr: %v", p)
	}
	// Flags the settings page has no field for still parse, so the others
	// stay pinned (a hand-kept flag list once lacked --retain-*, and any of
	// them unpinned --data).
	for _, extra := range [][]string{{"--retain-results", "30d"}, {"--rebuild"}, {"--allowed-hosts", "a.lan"}, {"--nats-replicas", "3"}} {
		args := append([]string{"--data", "/d"}, extra...)
		if p := pinnedFields(args, envOf(nil)); p["data_dir"] != "--data" {
			t.Errorf("%v: data_dir pinned by %q, want --data", args, p["data_dir"])
		}
	}
}

func TestResolveConfig(t *testing.T) {
	base := t.TempDir()
	other := t.TempDir()
	noEnv := envOf(nil)
	args := []string{"--data", base}
	pinned := pinnedFields(args, noEnv)

	// Nothing saved: the command line and defaults.
	cfg, eff, err := resolveConfig(app.Settings{}, args, noEnv, pinned)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != base || cfg.NATSURL != "" || cfg.NATSListen != config.DefaultNATSListen || eff.NATSMode != app.NATSEmbedded || eff.HTTPEnabled {
		t.Errorf("defaults: %+v %+v", cfg, eff)
	}

	// Saved settings apply where the command line is silent.
	s := app.Settings{NATSMode: app.NATSExternal, NATSURL: "nats://nats.example:4222", NATSToken: "t0k", DataDir: other, HTTPEnabled: true, HTTPAddr: "127.0.0.1:18123", HTTPToken: "sekrit"}
	cfg, eff, err = resolveConfig(s, nil, noEnv, pinnedFields(nil, noEnv))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NATSURL != s.NATSURL || cfg.NATSToken != "t0k" || cfg.DataDir != other || cfg.Addr != "127.0.0.1:18123" || cfg.StaticToken != "sekrit" {
		t.Errorf("settings: %+v", cfg)
	}
	if eff.NATSMode != app.NATSExternal || !eff.HTTPEnabled || eff.HTTPAddr != "127.0.0.1:18123" {
		t.Errorf("effective: %+v", eff)
	}

	// Flags and env win over the settings.
	args = []string{"--data", base, "--nats-listen", "off"}
	env := envOf(map[string]string{"KANADE_NATS_TOKEN": "from-env"})
	s = app.Settings{NATSMode: app.NATSEmbedded, NATSListen: "127.0.0.1:4999", NATSToken: "from-settings", DataDir: other}
	cfg, _, err = resolveConfig(s, args, env, pinnedFields(args, env))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NATSListen != "off" || cfg.DataDir != base || cfg.NATSToken != "from-env" {
		t.Errorf("precedence: listen %q data %q token %q", cfg.NATSListen, cfg.DataDir, cfg.NATSToken)
	}

	// Embedded in the settings beats a NATS URL from backend.toml.
	toml := filepath.Join(t.TempDir(), "backend.toml")
	os.WriteFile(toml, []byte("[nats]\nurl = \"nats://toml:4222\"\n"), 0o644)
	args = []string{"--config", toml, "--data", base}
	cfg, _, err = resolveConfig(app.Settings{NATSMode: app.NATSEmbedded}, args, noEnv, pinnedFields(args, noEnv))
	if err != nil || cfg.NATSURL != "" {
		t.Errorf("embedded over toml: %q %v", cfg.NATSURL, err)
	}

	// Refusals, with messages that name the problem.
	for _, c := range []struct {
		s    app.Settings
		want string
	}{
		{app.Settings{NATSMode: "carrier-pigeon"}, "nats_mode"},
		{app.Settings{NATSMode: app.NATSExternal}, "needs a URL"},
		{app.Settings{NATSMode: app.NATSExternal, NATSURL: "http://x"}, "--nats-url"},
		{app.Settings{NATSListen: "nonsense"}, "--nats-listen"},
		{app.Settings{HTTPEnabled: true, HTTPAddr: "0.0.0.0:8080"}, "without authentication"},
	} {
		_, _, err := resolveConfig(c.s, []string{"--data", base}, noEnv, pinnedFields([]string{"--data", base}, noEnv))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.s, err, c.want)
		}
	}
	// A token makes a non-loopback listener acceptable.
	if _, _, err := resolveConfig(app.Settings{HTTPEnabled: true, HTTPAddr: "0.0.0.0:8080", HTTPToken: "t"}, []string{"--data", base}, noEnv, pinned); err != nil {
		t.Errorf("exposed with a token: %v", err)
	}
}

// The Settings page's TLS and agent-credential fields become the serve
// flags; a LAN agent listener needs a token or the agent credential.
func TestResolveConfigSecureListeners(t *testing.T) {
	base := t.TempDir()
	noEnv := envOf(nil)
	args := []string{"--data", base}
	s := app.Settings{
		NATSListen: "0.0.0.0:4222", NATSAgentUser: "agent", NATSAgentPassword: "pw",
		NATSTLSCert: "/etc/k/nats.pem", NATSTLSKey: "/etc/k/nats-key.pem",
		HTTPEnabled: true, HTTPAddr: "127.0.0.1:8443", HTTPTLSCert: "/etc/k/http.pem", HTTPTLSKey: "/etc/k/http-key.pem",
	}
	cfg, eff, err := resolveConfig(s, args, noEnv, pinnedFields(args, noEnv))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NATSAgentUser != "agent" || cfg.NATSAgentPassword != "pw" || cfg.NATSTLSCert != s.NATSTLSCert || cfg.NATSTLSKey != s.NATSTLSKey || cfg.TLSCert != s.HTTPTLSCert || cfg.TLSKey != s.HTTPTLSKey {
		t.Errorf("config: %+v", cfg)
	}
	if eff.NATSAgentUser != "agent" || eff.HTTPTLSCert != s.HTTPTLSCert || eff.NATSTLSKey != s.NATSTLSKey {
		t.Errorf("effective: %+v", eff)
	}
	// A flag pins its pair.
	args = []string{"--data", base, "--nats-tls-cert", "/flag.pem", "--nats-tls-key", "/flag-key.pem"}
	pinned := pinnedFields(args, noEnv)
	if pinned["nats_tls_cert"] != "--nats-tls-cert" || pinned["nats_tls_key"] == "" {
		t.Errorf("pinned: %v", pinned)
	}
	if cfg, _, err = resolveConfig(s, args, noEnv, pinned); err != nil || cfg.NATSTLSCert != "/flag.pem" {
		t.Errorf("flag over settings: %q %v", cfg.NATSTLSCert, err)
	}
	// No credential at all on a LAN listener.
	_, _, err = resolveConfig(app.Settings{NATSListen: "0.0.0.0:4222"}, []string{"--data", base}, noEnv, pinnedFields(nil, noEnv))
	if err == nil || !strings.Contains(err.Error(), "refusing to open the agent listener on 0.0.0.0:4222") {
		t.Errorf("LAN listener without credentials: %v", err)
	}
	// The saved token is enough.
	if _, _, err := resolveConfig(app.Settings{NATSListen: "0.0.0.0:4222", NATSToken: "t"}, []string{"--data", base}, noEnv, pinnedFields(nil, noEnv)); err != nil {
		t.Errorf("LAN listener with a saved token: %v", err)
	}
}
