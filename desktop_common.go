package main

// The desktop app's host, shared by every build (no Wails import, so it is
// tested with plain `go test`): config resolution (flags > env > the
// settings file > backend.toml > defaults), the console core's lifecycle
// (start, stop, restart on Apply), the optional HTTP listener, the settings
// and window-state files, the single-instance id and the display check.
// desktop_on.go wires it into the Wails window.

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/frontend"
)

func fail(err error) int {
	fmt.Fprintf(os.Stderr, "kanade-console: %v\n", err)
	return 2
}

// Files the desktop app keeps in its base dir (the --data dir, or the
// default data dir), next to the console's own state.
const (
	settingsFile    = "desktop.json"
	windowStateFile = "window.json"
	desktopLogFile  = "desktop.log"
	maxDesktopLog   = 8 << 20 // rotated to desktop.log.1 at start above this
)

// noDisplay reports why a window cannot open here ("" when it can): on
// Linux GTK needs an X11 or Wayland display, and initialising it without
// one panics inside Wails. An X11 DISPLAY (without Wayland) is also dialled,
// so a stale DISPLAY gets the same one-line answer.
func noDisplay(goos string, getenv func(string) string) string {
	if goos != "linux" {
		return ""
	}
	const serve = "; run `kanade-console serve` for the headless console (web UI and API over HTTP)"
	display, wayland := getenv("DISPLAY"), getenv("WAYLAND_DISPLAY")
	switch {
	case display == "" && wayland == "":
		return "no display (DISPLAY and WAYLAND_DISPLAY are unset)" + serve
	case wayland == "":
		if err := dialX11(display); err != nil {
			return fmt.Sprintf("cannot reach the X display %s (%v)", display, err) + serve
		}
	}
	return ""
}

// dialX11 checks that an X server answers at DISPLAY ([host]:N[.S]).
var dialX11 = func(display string) error {
	host, rest, ok := strings.Cut(display, ":")
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 0 {
		return errors.New("not a [host]:display value")
	}
	if strings.HasPrefix(host, "/") { // a launchd-style socket path: trust it
		return nil
	}
	if host == "" || host == "unix" {
		path := "/tmp/.X11-unix/X" + num
		for _, addr := range []string{path, "@" + path} {
			if c, err := net.DialTimeout("unix", addr, 2*time.Second); err == nil {
				c.Close()
				return nil
			}
		}
		return fmt.Errorf("no X server socket %s", path)
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), 2*time.Second)
	if err != nil {
		return unwrapNetErr(err)
	}
	c.Close()
	return nil
}

// instanceID names the single-instance lock of a base dir.
func instanceID(baseDir string) string {
	abs, err := filepath.Abs(baseDir)
	if err != nil {
		abs = baseDir
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	return "kanade-console-" + hex.EncodeToString(sum[:8])
}

// ---- single instance (Linux fallback) ----

// On Linux, Wails' SingleInstanceLock needs a D-Bus session bus and is
// silently off without one (CI, ssh -X, minimal desktops). An abstract unix
// socket named after the base dir is a lock the kernel drops with the
// process, and it carries the "focus" request from a second launch. Other
// systems rely on Wails' lock (a named mutex on Windows, a distributed
// notification on macOS).

// instanceLock holds the lock; Focus requests arrive on its channel.
type instanceLock struct {
	ln    net.Listener
	Focus chan struct{}
}

// acquireInstance takes the lock for id. other is true when another
// instance holds it (it was asked to focus its window). On systems without
// the fallback it returns (nil, false, nil).
func acquireInstance(id string) (lock *instanceLock, other bool, err error) {
	if runtime.GOOS != "linux" {
		return nil, false, nil
	}
	name := "@" + id
	ln, err := net.Listen("unix", name)
	if err != nil {
		conn, derr := net.DialTimeout("unix", name, 2*time.Second)
		if derr != nil {
			return nil, false, fmt.Errorf("single-instance lock: %v", err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(2 * time.Second))
		fmt.Fprintln(conn, "focus")
		io.ReadAll(conn) // wait for the first instance to take it
		return nil, true, nil
	}
	l := &instanceLock{ln: ln, Focus: make(chan struct{}, 1)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 16)
			conn.SetDeadline(time.Now().Add(2 * time.Second))
			n, _ := conn.Read(buf)
			if strings.TrimSpace(string(buf[:n])) == "focus" {
				select {
				case l.Focus <- struct{}{}:
				default:
				}
			}
			conn.Close()
		}
	}()
	return l, false, nil
}

func (l *instanceLock) Close() {
	if l != nil {
		l.ln.Close()
	}
}

// ---- window state ----

// windowState is the window's last size and position (window.json).
type windowState struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	X         int  `json:"x"`
	Y         int  `json:"y"`
	HasPos    bool `json:"has_position"`
	Maximised bool `json:"maximised"`
}

const (
	defaultWidth, defaultHeight = 1280, 800
	minWidth, minHeight         = 800, 560
	maxWindowSide               = 16384
)

// loadWindowState reads window.json, falling back to the default size for
// a missing, corrupt or absurd file.
func loadWindowState(dir string) windowState {
	ws := windowState{Width: defaultWidth, Height: defaultHeight}
	b, err := os.ReadFile(filepath.Join(dir, windowStateFile))
	if err != nil {
		return ws
	}
	var got windowState
	if json.Unmarshal(b, &got) != nil {
		return ws
	}
	if got.Width >= minWidth && got.Width <= maxWindowSide && got.Height >= minHeight && got.Height <= maxWindowSide {
		ws.Width, ws.Height = got.Width, got.Height
	}
	if got.HasPos && got.X > -maxWindowSide && got.X < maxWindowSide && got.Y > -maxWindowSide && got.Y < maxWindowSide {
		ws.X, ws.Y, ws.HasPos = got.X, got.Y, true
	}
	ws.Maximised = got.Maximised
	return ws
}

func saveWindowState(dir string, ws windowState) error {
	return writeFileAtomic(filepath.Join(dir, windowStateFile), ws, 0o644)
}

func writeFileAtomic(path string, v any, perm os.FileMode) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ---- settings and config resolution ----

// pinnedFields reports which settings the command line and the environment
// override for this run: settings field -> "--flag" or "ENV_VAR".
func pinnedFields(args []string, env config.Env) map[string]string {
	pinned := map[string]string{}
	pin := func(by string, fields ...string) {
		for _, f := range fields {
			if _, ok := pinned[f]; !ok {
				pinned[f] = by
			}
		}
	}
	// config's own flag set, so every serve flag parses (bad args are
	// reported by config.Parse, which runs first).
	given, _ := config.FlagsGiven(args)
	for _, name := range slices.Sorted(maps.Keys(given)) {
		switch name {
		case "data":
			pin("--data", "data_dir")
		case "nats-url":
			pin("--nats-url", "nats_mode", "nats_url")
		case "nats-listen":
			pin("--nats-listen", "nats_listen")
		case "addr":
			pin("--addr", "http_enabled", "http_addr")
		case "nats-tls-cert", "nats-tls-key":
			pin("--"+name, "nats_tls_cert", "nats_tls_key")
		case "tls-cert", "tls-key":
			pin("--"+name, "http_tls_cert", "http_tls_key")
		case "nats-agent-user", "nats-agent-password":
			pin("--"+name, "nats_agent_user", "nats_agent_password")
		}
	}
	if v, ok := env("KANADE_NATS_URL"); ok && v != "" {
		pin("KANADE_NATS_URL", "nats_mode", "nats_url")
	}
	if _, ok := env("KANADE_NATS_TOKEN"); ok {
		pin("KANADE_NATS_TOKEN", "nats_token")
	}
	if _, ok := env("KANADE_AUTH_STATIC_TOKEN"); ok {
		pin("KANADE_AUTH_STATIC_TOKEN", "http_token")
	}
	for _, name := range []string{"KANADE_NATS_AGENT_USER", "KANADE_NATS_AGENT_PASSWORD"} {
		if _, ok := env(name); ok {
			pin(name, "nats_agent_user", "nats_agent_password")
		}
	}
	return pinned
}

// loadSettings reads desktop.json; a missing file is the zero Settings
// (everything from flags, env, backend.toml and defaults).
func loadSettings(path string) (app.Settings, error) {
	var s app.Settings
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return app.Settings{}, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

// resolveConfig turns saved settings into the console's config: the
// settings become flags placed before the real command line, so explicit
// flags win, and fields the environment pins are left out, so env wins too;
// config.Parse then validates everything with its usual messages.
func resolveConfig(s app.Settings, args []string, env config.Env, pinned map[string]string) (config.Config, app.Settings, error) {
	var pre []string
	free := func(field string) bool { _, ok := pinned[field]; return !ok }
	switch s.NATSMode {
	case "":
	case app.NATSEmbedded:
		if free("nats_mode") {
			pre = append(pre, "--nats-url=")
		}
	case app.NATSExternal:
		if strings.TrimSpace(s.NATSURL) == "" {
			return config.Config{}, app.Settings{}, errors.New("external NATS needs a URL (nats://host:4222)")
		}
		if free("nats_url") {
			pre = append(pre, "--nats-url="+strings.TrimSpace(s.NATSURL))
		}
	default:
		return config.Config{}, app.Settings{}, fmt.Errorf("nats_mode %q: want embedded or external", s.NATSMode)
	}
	if v := strings.TrimSpace(s.NATSListen); v != "" && free("nats_listen") {
		pre = append(pre, "--nats-listen="+v)
	}
	if v := strings.TrimSpace(s.DataDir); v != "" && free("data_dir") {
		pre = append(pre, "--data="+v)
	}
	for _, p := range []struct{ field, flag, value string }{
		{"nats_tls_cert", "--nats-tls-cert=", s.NATSTLSCert}, {"nats_tls_key", "--nats-tls-key=", s.NATSTLSKey},
		{"http_tls_cert", "--tls-cert=", s.HTTPTLSCert}, {"http_tls_key", "--tls-key=", s.HTTPTLSKey},
		{"nats_agent_user", "--nats-agent-user=", s.NATSAgentUser}, {"nats_agent_password", "--nats-agent-password=", s.NATSAgentPassword},
	} {
		if v := strings.TrimSpace(p.value); v != "" && free(p.field) {
			pre = append(pre, p.flag+v)
		}
	}
	httpEnabled, httpAddr := s.HTTPEnabled, strings.TrimSpace(s.HTTPAddr)
	if by, ok := pinned["http_addr"]; ok && by == "--addr" {
		httpEnabled = true
		httpAddr = "" // the flag's value, below
	} else if httpEnabled {
		if httpAddr == "" {
			httpAddr = config.DefaultAddr
		}
		pre = append(pre, "--addr="+httpAddr)
	}
	cfg, err := config.Parse("kanade-console", append(pre, args...), env, io.Discard)
	if err != nil {
		return config.Config{}, app.Settings{}, err
	}
	if free("nats_token") && s.NATSToken != "" {
		cfg.NATSToken = s.NATSToken
	}
	if free("http_token") && strings.TrimSpace(s.HTTPToken) != "" {
		cfg.StaticToken = strings.TrimSpace(s.HTTPToken)
	}
	if err := cfg.CheckAgentListener(); err != nil {
		return config.Config{}, app.Settings{}, fmt.Errorf("agent listener: %v (set a NATS token in the settings)", err)
	}
	eff := app.Settings{
		NATSMode: app.NATSEmbedded, NATSURL: cfg.NATSURL, NATSToken: cfg.NATSToken, NATSListen: cfg.NATSListen,
		DataDir: cfg.DataDir, HTTPEnabled: httpEnabled, HTTPAddr: cfg.Addr, HTTPToken: cfg.StaticToken,
		NATSTLSCert: cfg.NATSTLSCert, NATSTLSKey: cfg.NATSTLSKey, HTTPTLSCert: cfg.TLSCert, HTTPTLSKey: cfg.TLSKey,
		NATSAgentUser: cfg.NATSAgentUser, NATSAgentPassword: cfg.NATSAgentPassword,
	}
	if cfg.NATSURL != "" {
		eff.NATSMode = app.NATSExternal
	}
	if !httpEnabled && s.HTTPAddr != "" {
		eff.HTTPAddr = s.HTTPAddr
	}
	if eff.HTTPEnabled {
		if err := auth.CheckExposure(cfg.Addr, authConfig(cfg)); err != nil {
			return config.Config{}, app.Settings{}, fmt.Errorf("HTTP listener: %v (set an HTTP token in the settings)", err)
		}
	}
	return cfg, eff, nil
}

func authConfig(cfg config.Config) auth.Config {
	return auth.Config{Disable: cfg.AuthDisable, StaticToken: cfg.StaticToken, JWTSecret: cfg.JWTSecret}
}

// ---- the host ----

// desktopHost runs the console core for the window and implements
// app.Host for the bindings.
type desktopHost struct {
	log      *slog.Logger
	args     []string
	env      config.Env
	baseDir  string
	file     string
	pinned   map[string]string
	initial  config.Config // from the command line, env and backend.toml
	emitFunc atomic.Pointer[func(name string, data any)]

	applyMu sync.Mutex // one Apply (restart) at a time

	mu       sync.RWMutex
	saved    app.Settings
	cur      *desktopCore
	state    app.CoreState
	restarts int
}

// desktopCore is one running console plus its optional HTTP listener.
type desktopCore struct {
	cfg     config.Config
	eff     app.Settings
	c       *console.Console
	ctx     context.Context
	cancel  context.CancelFunc
	unsub   func()
	started time.Time

	docs *api.Server // in-process handler for GetOpenAPI / GetMetrics

	srv      *http.Server
	httpURL  string
	httpAuth string
	httpErr  string
}

// newDesktopHost resolves the base dir from the command line (flags, env,
// backend.toml, defaults) and reads the settings saved there.
func newDesktopHost(args []string, env config.Env, stderr io.Writer) (*desktopHost, error) {
	if env == nil {
		env = os.LookupEnv
	}
	initial, err := config.Parse("kanade-console", args, env, stderr)
	if err != nil {
		return nil, err
	}
	h := &desktopHost{
		args: args, env: env, baseDir: initial.DataDir, initial: initial,
		file:   filepath.Join(initial.DataDir, settingsFile),
		pinned: pinnedFields(args, env),
		log:    slog.New(slog.DiscardHandler),
	}
	h.state = app.CoreState{State: "starting", DataDir: initial.DataDir}
	return h, nil
}

// openLog sends the log to stderr and <base>/desktop.log (or [log] path),
// rotating an oversized file once.
func (h *desktopHost) openLog(stderr io.Writer) (func(), error) {
	cfg := h.initial
	if cfg.LogPath == "" {
		cfg.LogPath = filepath.Join(h.baseDir, desktopLogFile)
		cfg.LogKeepDays = 0 // one plain file, rotated by size below
		if fi, err := os.Stat(cfg.LogPath); err == nil && fi.Size() > maxDesktopLog {
			os.Rename(cfg.LogPath, cfg.LogPath+".1")
		}
	}
	log, closeFn, err := newLogger(cfg, stderr)
	if err != nil {
		return nil, err
	}
	h.log = log
	return closeFn, nil
}

// SetEmitter connects console events to the window (runtime.EventsEmit).
func (h *desktopHost) SetEmitter(fn func(name string, data any)) { h.emitFunc.Store(&fn) }

func (h *desktopHost) emit(name string, data any) {
	if fn := h.emitFunc.Load(); fn != nil {
		(*fn)(name, data)
	}
}

// Start brings the first core up from the saved settings. A bad settings
// file is reported and ignored (the command line still applies); a core
// that cannot start leaves the window usable with the error shown.
func (h *desktopHost) Start() error {
	saved, err := loadSettings(h.file)
	if err != nil {
		h.log.Warn("ignoring the settings file", "err", err)
	}
	cfg, eff, err := resolveConfig(saved, h.args, h.env, h.pinned)
	if err != nil {
		h.log.Warn("saved settings are not usable; using the command line and defaults", "err", err)
		saved = app.Settings{}
		if cfg, eff, err = resolveConfig(saved, h.args, h.env, h.pinned); err != nil {
			return err
		}
	}
	h.mu.Lock()
	h.saved = saved
	h.mu.Unlock()
	core, err := h.startCore(cfg, eff)
	h.setCore(core, err)
	return err
}

// Stop stops the running core gracefully (drains NATS, closes SQLite).
func (h *desktopHost) Stop() {
	h.applyMu.Lock()
	defer h.applyMu.Unlock()
	old := h.swap(nil)
	h.stopCore(old)
	h.mu.Lock()
	h.state.State = "stopped"
	h.mu.Unlock()
}

func (h *desktopHost) startCore(cfg config.Config, eff app.Settings) (*desktopCore, error) {
	console.Version = version
	c := console.New(cfg, h.log)
	startCtx, cancelStart := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelStart()
	if err := c.Start(startCtx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	core := &desktopCore{cfg: cfg, eff: eff, c: c, ctx: ctx, cancel: cancel, started: time.Now().UTC()}
	core.unsub = c.Subscribe(func(ev console.Event) {
		h.log.Debug("ui event", "name", ev.Name, "count", ev.Count)
		h.emit(ev.Name, ev)
	})
	core.docs = api.New(c, frontend.Dist(), h.log, api.Options{Auth: auth.New(auth.Config{Disable: true})})
	if eff.HTTPEnabled {
		h.startHTTP(core)
	}
	h.log.Info("console core running", "data", cfg.DataDir, "nats", c.Broker().ClientURL(), "embedded", c.Broker().Embedded(), "http", core.httpURL)
	return core, nil
}

// startHTTP serves the web UI and /api/* for the CLI and teammates, with the
// auth rules of serve. A failure is recorded on the core, not fatal.
func (h *desktopHost) startHTTP(core *desktopCore) {
	authCfg := authConfig(core.cfg)
	if err := auth.CheckExposure(core.cfg.Addr, authCfg); err != nil {
		core.httpErr = err.Error()
		h.log.Warn("HTTP listener not started", "err", err)
		return
	}
	ln, err := net.Listen("tcp", core.cfg.Addr)
	if err != nil {
		core.httpErr = fmt.Sprintf("listen %s: %v", core.cfg.Addr, unwrapNetErr(err))
		h.log.Warn("HTTP listener not started", "err", core.httpErr)
		return
	}
	httpTLS, err := loadHTTPTLS(core.cfg)
	if err != nil {
		ln.Close()
		core.httpErr = err.Error()
		h.log.Warn("HTTP listener not started", "err", err)
		return
	}
	scheme := "http://"
	if httpTLS != nil {
		ln, scheme = tls.NewListener(ln, httpTLS), "https://"
	}
	verifier := auth.New(authCfg)
	core.srv = api.New(core.c, frontend.Dist(), h.log, api.Options{Auth: verifier, BindAddr: core.cfg.Addr, AllowedHosts: core.cfg.AllowedHosts}).
		HTTPServer(slog.NewLogLogger(h.log.Handler(), slog.LevelWarn))
	core.httpURL = scheme + ln.Addr().String()
	core.httpAuth = verifier.Mode()
	go core.srv.Serve(ln)
	h.log.Info("HTTP listener serving", "url", core.httpURL, "auth", core.httpAuth)
}

func (h *desktopHost) stopCore(core *desktopCore) {
	if core == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if core.srv != nil {
		core.srv.Shutdown(ctx)
	}
	core.unsub()
	core.cancel()
	if err := core.c.Stop(ctx); err != nil {
		h.log.Warn("console core stop", "err", err)
	}
}

// swap replaces the running core (nil while restarting) and returns the old.
func (h *desktopHost) swap(core *desktopCore) *desktopCore {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.cur
	h.cur = core
	if core == nil {
		h.state.State = "starting"
	}
	return old
}

func (h *desktopHost) setCore(core *desktopCore, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cur = core
	st := app.CoreState{Restarts: h.restarts, DataDir: h.state.DataDir}
	if core == nil {
		st.State = "failed"
		if err != nil {
			st.Error = err.Error()
		}
	} else {
		st.State = "running"
		st.StartedAt = core.started.Format(time.RFC3339)
		st.DataDir = core.cfg.DataDir
		st.NATSEmbedded = core.c.Broker().Embedded()
		st.NATSURL = core.c.Broker().ClientURL()
		st.HTTPURL, st.HTTPAuth, st.HTTPError = core.httpURL, core.httpAuth, core.httpErr
	}
	h.state = st
}

// Core implements app.Host.
func (h *desktopHost) Core() (context.Context, *console.Console, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.cur == nil {
		if h.state.State == "failed" {
			return nil, nil, app.ErrUnavailable("the console core is not running: " + h.state.Error + " (fix it in Settings)")
		}
		return nil, nil, app.ErrUnavailable("the console core is starting; try again in a moment")
	}
	return h.cur.ctx, h.cur.c, nil
}

// Settings implements app.Host.
func (h *desktopHost) Settings() app.SettingsState {
	h.mu.RLock()
	defer h.mu.RUnlock()
	st := app.SettingsState{Saved: h.saved, Pinned: h.pinned, File: h.file, Core: h.state, Version: version}
	if h.cur != nil {
		st.Effective = h.cur.eff
	} else if _, eff, err := resolveConfig(h.saved, h.args, h.env, h.pinned); err == nil {
		st.Effective = eff
	}
	return st
}

// ApplySettings implements app.Host: validate, restart the core with the
// new settings, save them. If the new core does not come up (a busy port,
// an unreachable data dir), the previous core is started again and nothing
// is saved.
func (h *desktopHost) ApplySettings(s app.Settings) (app.SettingsState, error) {
	h.applyMu.Lock()
	defer h.applyMu.Unlock()
	s.NATSURL, s.NATSListen, s.DataDir, s.HTTPAddr = strings.TrimSpace(s.NATSURL), strings.TrimSpace(s.NATSListen), strings.TrimSpace(s.DataDir), strings.TrimSpace(s.HTTPAddr)
	cfg, eff, err := resolveConfig(s, h.args, h.env, h.pinned)
	if err != nil {
		return h.Settings(), app.BadRequest(err.Error())
	}
	h.log.Info("restarting the console core with new settings", "nats_mode", eff.NATSMode, "nats_listen", eff.NATSListen, "data", eff.DataDir, "http", eff.HTTPEnabled)
	old := h.swap(nil)
	h.emit("kanade:core", map[string]string{"state": "restarting"})
	var prev *config.Config
	var prevEff app.Settings
	if old != nil {
		prev, prevEff = &old.cfg, old.eff
	}
	h.stopCore(old)

	core, err := h.startCore(cfg, eff)
	if err == nil && eff.HTTPEnabled && core.httpErr != "" {
		err = errors.New(core.httpErr)
		h.stopCore(core)
		core = nil
	}
	if err != nil {
		h.log.Warn("new settings did not start; going back", "err", err)
		var back *desktopCore
		var backErr error = err
		if prev != nil {
			back, backErr = h.startCore(*prev, prevEff)
		}
		h.setCore(back, backErr)
		h.emit("kanade:core", map[string]string{"state": h.Settings().Core.State})
		return h.Settings(), &app.JSONError{Status: http.StatusInternalServerError, Message: "could not apply the settings: " + err.Error() + "; the previous settings are still in force"}
	}
	h.mu.Lock()
	h.restarts++
	h.mu.Unlock()
	h.setCore(core, nil)
	saveErr := writeFileAtomic(h.file, s, 0o600)
	if saveErr == nil {
		h.mu.Lock()
		h.saved = s
		h.mu.Unlock()
	}
	h.emit("kanade:core", map[string]string{"state": "running"})
	if saveErr != nil {
		return h.Settings(), &app.JSONError{Status: http.StatusInternalServerError, Message: "applied, but saving " + h.file + " failed: " + saveErr.Error()}
	}
	return h.Settings(), nil
}

// OpenAPI implements app.Host with the HTTP API's own document.
func (h *desktopHost) OpenAPI() (map[string]any, error) {
	status, body, err := h.document("/api/openapi.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("openapi: status %d: %v", status, err)
	}
	return doc, nil
}

// Metrics implements app.Host with the Prometheus text of /metrics.
func (h *desktopHost) Metrics() (string, error) {
	status, body, err := h.document("/metrics")
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("metrics: status %d", status)
	}
	return string(body), nil
}

// document renders one GET of the HTTP API in-process (no listener).
func (h *desktopHost) document(path string) (int, []byte, error) {
	h.mu.RLock()
	core := h.cur
	h.mu.RUnlock()
	if core == nil {
		return 0, nil, app.ErrUnavailable("the console core is not running")
	}
	rec := httptest.NewRecorder()
	// A loopback Host: the API's browser guard answers only to those here.
	req := httptest.NewRequestWithContext(core.ctx, http.MethodGet, "http://localhost"+path, nil)
	core.docs.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes(), nil
}
