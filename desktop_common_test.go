package main

// Tests of the desktop host (desktop_common.go): everything the window does
// that does not need a display.

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/backend/config"
)

func envOf(m map[string]string) config.Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestNoDisplayPointsAtServe(t *testing.T) {
	none := func(string) string { return "" }
	if why := noDisplay("linux", none); !strings.Contains(why, "kanade-console serve") || strings.Contains(why, "\n") {
		t.Errorf("linux without a display: %q", why)
	}
	for _, env := range []string{"DISPLAY", "WAYLAND_DISPLAY"} {
		get := func(k string) string {
			if k == env {
				return ":0"
			}
			return ""
		}
		saved := dialX11
		dialX11 = func(string) error { return nil }
		if why := noDisplay("linux", get); why != "" {
			t.Errorf("%s set: %q", env, why)
		}
		dialX11 = saved
	}
	if why := noDisplay("windows", none); why != "" {
		t.Errorf("windows: %q", why)
	}
	// A DISPLAY nobody answers at gets the same kind of message.
	stale := func(k string) string {
		if k == "DISPLAY" {
			return ":4711"
		}
		return ""
	}
	if why := noDisplay("linux", stale); !strings.Contains(why, "cannot reach the X display :4711") || !strings.Contains(why, "serve") {
		t.Errorf("stale DISPLAY: %q", why)
	}
	if err := dialX11("nonsense"); err == nil {
		t.Error("dialX11 accepted a malformed DISPLAY")
	}
}

func TestInstanceIDFollowsTheDataDir(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if instanceID(a) != instanceID(a+string(filepath.Separator)) {
		t.Error("the id depends on a trailing separator")
	}
	if instanceID(a) == instanceID(b) {
		t.Error("two data dirs share an id")
	}
	if id := instanceID(a); !strings.HasPrefix(id, "kanade-console-") || strings.ContainsAny(id, "/\\ .") {
		t.Errorf("id %q is not usable as a D-Bus name part", id)
	}
}

func TestWindowStateRoundTripAndSanity(t *testing.T) {
	dir := t.TempDir()
	if ws := loadWindowState(dir); ws.Width != defaultWidth || ws.Height != defaultHeight || ws.HasPos {
		t.Errorf("missing file: %+v", ws)
	}
	want := windowState{Width: 1400, Height: 900, X: 30, Y: 40, HasPos: true}
	if err := saveWindowState(dir, want); err != nil {
		t.Fatal(err)
	}
	if got := loadWindowState(dir); got != want {
		t.Errorf("round trip: %+v", got)
	}
	os.WriteFile(filepath.Join(dir, windowStateFile), []byte(`{"width":20,"height":99999,"x":999999,"has_position":true,"maximised":true}`), 0o644)
	if ws := loadWindowState(dir); ws.Width != defaultWidth || ws.HasPos || !ws.Maximised {
		t.Errorf("absurd file: %+v", ws)
	}
	os.WriteFile(filepath.Join(dir, windowStateFile), []byte(`{not json`), 0o644)
	if ws := loadWindowState(dir); ws.Width != defaultWidth {
		t.Errorf("corrupt file: %+v", ws)
	}
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

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Apply restarts the core with new settings, saves them, and serves HTTP
// when asked; a bad or failing Apply leaves the running settings in force.
func TestApplyRestartsTheCore(t *testing.T) {
	base := t.TempDir()
	h, err := newDesktopHost([]string{"--data", base, "--nats-listen", "off"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	_, c1, err := h.Core()
	if err != nil {
		t.Fatal(err)
	}
	var evMu sync.Mutex
	var events []string
	h.SetEmitter(func(name string, _ any) { evMu.Lock(); events = append(events, name); evMu.Unlock() })
	st := h.Settings()
	if st.Core.State != "running" || st.Core.HTTPURL != "" || st.Pinned["nats_listen"] != "--nats-listen" || st.File != filepath.Join(base, settingsFile) {
		t.Fatalf("initial state: %+v", st)
	}

	// Turn the HTTP listener on.
	addr := freeAddr(t)
	st, err = h.ApplySettings(app.Settings{NATSMode: app.NATSEmbedded, HTTPEnabled: true, HTTPAddr: addr, HTTPToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	_, c2, _ := h.Core()
	if c2 == c1 || st.Core.State != "running" || st.Core.Restarts != 1 || st.Core.HTTPURL != "http://"+addr || st.Core.HTTPAuth != "static" {
		t.Fatalf("after apply: %+v", st.Core)
	}
	resp, err := http.Get("http://" + addr + "/api/agents")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/api without the token: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/agents", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api with the token: %v %v", resp, err)
	}
	resp.Body.Close()
	var saved app.Settings
	b, _ := os.ReadFile(st.File)
	if err := json.Unmarshal(b, &saved); err != nil || !saved.HTTPEnabled || saved.HTTPAddr != addr {
		t.Errorf("saved: %s %v", b, err)
	}
	if fi, _ := os.Stat(st.File); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("settings file mode %v (it holds tokens)", fi.Mode().Perm())
	}
	evMu.Lock()
	if len(events) == 0 || events[len(events)-1] != "kanade:core" {
		t.Errorf("events: %v", events)
	}
	evMu.Unlock()

	// Invalid settings: 400, nothing changes.
	_, err = h.ApplySettings(app.Settings{HTTPEnabled: true, HTTPAddr: "0.0.0.0:1"})
	if je, ok := err.(*app.JSONError); !ok || je.Status != 400 {
		t.Fatalf("exposed listener without a token: %v", err)
	}
	if _, c3, _ := h.Core(); c3 != c2 {
		t.Error("an invalid apply restarted the core")
	}

	// A busy port: the new core is refused and the previous settings come back.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, err = h.ApplySettings(app.Settings{HTTPEnabled: true, HTTPAddr: busy.Addr().String()})
	if je, ok := err.(*app.JSONError); !ok || je.Status != 500 || !strings.Contains(je.Message, "previous settings") {
		t.Fatalf("busy port: %v", err)
	}
	st = h.Settings()
	if st.Core.State != "running" || st.Core.HTTPURL != "http://"+addr || st.Saved.HTTPAddr != addr {
		t.Errorf("after a failed apply: %+v saved %+v", st.Core, st.Saved)
	}
	if _, _, err := h.Core(); err != nil {
		t.Errorf("core after a failed apply: %v", err)
	}

	// A new process picks the saved settings up.
	h.Stop()
	h2, err := newDesktopHost([]string{"--data", base, "--nats-listen", "off"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.Start(); err != nil {
		t.Fatal(err)
	}
	defer h2.Stop()
	if st := h2.Settings(); st.Core.HTTPURL != "http://"+addr {
		t.Errorf("restarted app: %+v", st.Core)
	}
	// OpenAPI and Metrics come from the in-process handler.
	if doc, err := h2.OpenAPI(); err != nil || doc["openapi"] != "3.1.0" {
		t.Errorf("OpenAPI: %v %v", doc["openapi"], err)
	}
	if m, err := h2.Metrics(); err != nil || !strings.Contains(m, "kanade_") {
		t.Errorf("Metrics: %v", err)
	}
}

func TestSecondInstanceAsksTheFirstToFocus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the socket fallback is Linux-only; elsewhere Wails' lock does this")
	}
	id := instanceID(t.TempDir())
	first, other, err := acquireInstance(id)
	if err != nil || other || first == nil {
		t.Fatalf("first: %v %v %v", first, other, err)
	}
	defer first.Close()
	second, other, err := acquireInstance(id)
	if err != nil || !other || second != nil {
		t.Fatalf("second: %v %v %v", second, other, err)
	}
	select {
	case <-first.Focus:
	case <-time.After(5 * time.Second):
		t.Fatal("the first instance was not asked to focus")
	}
	first.Close()
	third, other, err := acquireInstance(id)
	if err != nil || other {
		t.Fatalf("after the first exits: %v %v", other, err)
	}
	third.Close()
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
