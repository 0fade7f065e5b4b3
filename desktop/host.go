// Package desktop is the desktop app's host, shared by every build (no
// Wails import, so it is tested with plain `go test`): config resolution
// (flags > env > the settings file > backend.toml > defaults; settings.go),
// the console core's lifecycle (start, stop, restart on Apply) and the
// optional HTTP listener (this file), the window-state file (window.go),
// the single-instance lock (instance.go) and the display check
// (display.go). desktop_on.go in package main wires it into the Wails
// window; package app reaches it through app.Host.
package desktop

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/hostrun"
	"github.com/kanade-console/kanade-console/frontend"
)

// Files the desktop app keeps in its base dir (the --data dir, or the
// default data dir), next to the console's own state.
const (
	settingsFile    = "desktop.json"
	windowStateFile = "window.json"
	desktopLogFile  = "desktop.log"
	maxDesktopLog   = 8 << 20 // rotated to desktop.log.1 at start above this
)

// Host runs the console core for the window and implements
// app.Host for the bindings.
type Host struct {
	log      *slog.Logger
	version  string // the binary's, for Status and the settings page
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
	cur      *runningCore
	state    app.CoreState
	restarts int
}

// runningCore is one running console plus its optional HTTP listener.
type runningCore struct {
	cfg     config.Config
	eff     app.Settings
	c       *console.Console
	ctx     context.Context
	cancel  context.CancelFunc
	unsub   func()
	started time.Time

	docs *api.Server // the API, for its OpenAPI document and metrics text (no listener)

	srv      *http.Server
	httpURL  string
	httpAuth string
	httpErr  string
}

// NewHost resolves the base dir from the command line (flags, env,
// backend.toml, defaults) and reads the settings saved there.
func NewHost(args []string, env config.Env, stderr io.Writer, version string) (*Host, error) {
	if env == nil {
		env = os.LookupEnv
	}
	initial, err := config.Parse("kanade-console", args, env, stderr)
	if err != nil {
		return nil, err
	}
	h := &Host{
		args: args, env: env, baseDir: initial.DataDir, initial: initial, version: version,
		file:   filepath.Join(initial.DataDir, settingsFile),
		pinned: pinnedFields(args, env),
		log:    slog.New(slog.DiscardHandler),
	}
	h.state = app.CoreState{State: "starting", DataDir: initial.DataDir}
	return h, nil
}

// BaseDir is where the host keeps its files (the --data dir, or the
// default data dir).
func (h *Host) BaseDir() string { return h.baseDir }

// Log is the host's logger (discarding until OpenLog).
func (h *Host) Log() *slog.Logger { return h.log }

// OpenLog sends the log to stderr and <base>/desktop.log (or [log] path),
// rotating an oversized file once.
func (h *Host) OpenLog(stderr io.Writer) (func(), error) {
	cfg := h.initial
	if cfg.LogPath == "" {
		cfg.LogPath = filepath.Join(h.baseDir, desktopLogFile)
		cfg.LogKeepDays = 0 // one plain file, rotated by size below
		if fi, err := os.Stat(cfg.LogPath); err == nil && fi.Size() > maxDesktopLog {
			os.Rename(cfg.LogPath, cfg.LogPath+".1")
		}
	}
	log, closeFn, err := hostrun.NewLogger(cfg, stderr)
	if err != nil {
		return nil, err
	}
	h.log = log
	return closeFn, nil
}

// SetEmitter connects console events to the window (runtime.EventsEmit).
func (h *Host) SetEmitter(fn func(name string, data any)) { h.emitFunc.Store(&fn) }

func (h *Host) emit(name string, data any) {
	if fn := h.emitFunc.Load(); fn != nil {
		(*fn)(name, data)
	}
}

// Start brings the first core up from the saved settings. A bad settings
// file is reported and ignored (the command line still applies); a core
// that cannot start leaves the window usable with the error shown.
func (h *Host) Start() error {
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
func (h *Host) Stop() {
	h.applyMu.Lock()
	defer h.applyMu.Unlock()
	old := h.swap(nil)
	h.stopCore(old)
	h.mu.Lock()
	h.state.State = "stopped"
	h.mu.Unlock()
}

func (h *Host) startCore(cfg config.Config, eff app.Settings) (*runningCore, error) {
	c := console.New(cfg, h.log, console.Options{Version: h.version})
	startCtx, cancelStart := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelStart()
	if err := c.Start(startCtx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	core := &runningCore{cfg: cfg, eff: eff, c: c, ctx: ctx, cancel: cancel, started: time.Now().UTC()}
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
func (h *Host) startHTTP(core *runningCore) {
	authCfg := authConfig(core.cfg)
	if err := auth.CheckExposure(core.cfg.Addr, authCfg); err != nil {
		core.httpErr = err.Error()
		h.log.Warn("HTTP listener not started", "err", err)
		return
	}
	ln, err := net.Listen("tcp", core.cfg.Addr)
	if err != nil {
		core.httpErr = fmt.Sprintf("listen %s: %v", core.cfg.Addr, hostrun.UnwrapNetErr(err))
		h.log.Warn("HTTP listener not started", "err", core.httpErr)
		return
	}
	httpTLS, err := hostrun.LoadHTTPTLS(core.cfg)
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

func (h *Host) stopCore(core *runningCore) {
	if core == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), hostrun.ShutdownGrace)
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
func (h *Host) swap(core *runningCore) *runningCore {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.cur
	h.cur = core
	if core == nil {
		h.state.State = "starting"
	}
	return old
}

func (h *Host) setCore(core *runningCore, err error) {
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
func (h *Host) Core() (context.Context, *console.Console, error) {
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
func (h *Host) Settings() app.SettingsState {
	h.mu.RLock()
	defer h.mu.RUnlock()
	st := app.SettingsState{Saved: h.saved, Pinned: h.pinned, File: h.file, Core: h.state, Version: h.version}
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
func (h *Host) ApplySettings(s app.Settings) (app.SettingsState, error) {
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
		var back *runningCore
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
func (h *Host) OpenAPI() (map[string]any, error) {
	core, err := h.running()
	if err != nil {
		return nil, err
	}
	return core.docs.OpenAPIDocument(), nil
}

// Metrics implements app.Host with the Prometheus text of /metrics.
func (h *Host) Metrics() (string, error) {
	core, err := h.running()
	if err != nil {
		return "", err
	}
	return core.docs.MetricsText()
}

// running is the running core, for the documents the HTTP API also serves.
func (h *Host) running() (*runningCore, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.cur == nil {
		return nil, app.ErrUnavailable("the console core is not running")
	}
	return h.cur, nil
}
