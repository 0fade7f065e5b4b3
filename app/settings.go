package app

import (
	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/api"
)

// Desktop-only bindings (not HTTP ops): the settings the Settings page edits.

// NATS modes of Settings.NATSMode.
const (
	NATSEmbedded = "embedded"
	NATSExternal = "external"
)

// Settings are the desktop app's saved choices (desktop.json in the data
// dir). Command-line flags and environment variables win over them for the
// fields they set (SettingsState.Pinned says which).
type Settings struct {
	// NATSMode is "embedded" (start nats-server in-process, the default) or
	// "external" (connect to NATSURL).
	NATSMode string `json:"nats_mode"`
	// NATSURL is the external NATS (nats://host:port, comma-separated for a
	// cluster).
	NATSURL string `json:"nats_url"`
	// NATSToken is the token presented to an external NATS or, embedded, the
	// token agents must present.
	NATSToken string `json:"nats_token"`
	// NATSListen is where the embedded server listens for agents
	// (host:port, "off" = in-process only). Default 127.0.0.1:4222.
	NATSListen string `json:"nats_listen"`
	// DataDir holds the SQLite file and the embedded JetStream store;
	// empty = the directory desktop.json lives in.
	DataDir string `json:"data_dir"`
	// HTTPEnabled turns on the optional HTTP listener (web UI and /api/*
	// for the kanade CLI and teammates). Off by default.
	HTTPEnabled bool   `json:"http_enabled"`
	HTTPAddr    string `json:"http_addr"`
	// HTTPToken is the static bearer token the listener requires. Without
	// one (and without KANADE_JWT_SECRET) it may only listen on loopback.
	HTTPToken string `json:"http_token"`
	// NATSTLSCert/NATSTLSKey (PEM files) put TLS on the embedded agent
	// listener; HTTPTLSCert/HTTPTLSKey on the HTTP listener.
	NATSTLSCert string `json:"nats_tls_cert"`
	NATSTLSKey  string `json:"nats_tls_key"`
	HTTPTLSCert string `json:"http_tls_cert"`
	HTTPTLSKey  string `json:"http_tls_key"`
	// NATSAgentUser/NATSAgentPassword are the embedded server's agent
	// credential (agent subjects only), beside the token.
	NATSAgentUser     string `json:"nats_agent_user"`
	NATSAgentPassword string `json:"nats_agent_password"`
}

// CoreState describes the running console core.
type CoreState struct {
	// State is "running", "starting" or "failed".
	State        string `json:"state"`
	Error        string `json:"error,omitempty"`
	StartedAt    string `json:"started_at,omitempty"`
	Restarts     int    `json:"restarts"`
	DataDir      string `json:"data_dir"`
	NATSEmbedded bool   `json:"nats_embedded"`
	// NATSURL is the URL the core's NATS is reached at (for agents, when
	// embedded with a listener).
	NATSURL string `json:"nats_url"`
	// HTTPURL is set while the optional HTTP listener runs; HTTPError says
	// why it does not when it is enabled.
	HTTPURL   string `json:"http_url,omitempty"`
	HTTPAuth  string `json:"http_auth,omitempty"`
	HTTPError string `json:"http_error,omitempty"`
}

// SettingsState is what the Settings page shows.
type SettingsState struct {
	// Saved is the content of the settings file (what Apply wrote).
	Saved Settings `json:"saved"`
	// Effective is what the running core uses: Saved with the pinned
	// fields replaced and defaults filled in.
	Effective Settings `json:"effective"`
	// Pinned maps a settings field (its JSON name) to the flag or
	// environment variable that overrides it for this run.
	Pinned map[string]string `json:"pinned"`
	// File is the settings file's path.
	File string    `json:"file"`
	Core CoreState `json:"core"`
	// Version is the app's version.
	Version string `json:"version"`
}

// GetSettings reports the saved and effective settings and the core state.
func (a *App) GetSettings(_ Empty) (SettingsState, error) {
	if a.host == nil {
		return SettingsState{}, toJSONError(errUnavailable("no desktop host"))
	}
	if err := a.maySeeSettings(); err != nil {
		return SettingsState{}, err
	}
	return a.host.Settings(), nil
}

// ApplySettings validates and saves the settings, then restarts the console
// core with them (Stop, New, Start) without restarting the app. Invalid
// settings are a 400 and change nothing; when the new core cannot start, the
// previous settings stay in force and the error says why.
func (a *App) ApplySettings(req Settings) (SettingsState, error) {
	if a.host == nil {
		return SettingsState{}, toJSONError(errUnavailable("no desktop host"))
	}
	if err := a.maySeeSettings(); err != nil {
		return SettingsState{}, err
	}
	before := a.host.Settings().Effective
	a.log.Info("applying settings", "nats_mode", req.NATSMode, "http_enabled", req.HTTPEnabled)
	st, err := a.host.ApplySettings(req)
	if after := a.host.Settings().Effective; after.HTTPEnabled != before.HTTPEnabled || after.DataDir != before.DataDir {
		// The window now talks to other accounts (or to none): it signs in
		// again if the listener is on (session.go).
		a.sess.clear()
	}
	if err != nil {
		return st, toJSONError(err)
	}
	return st, nil
}

// maySeeSettings: the Settings bindings have no HTTP route. They hold the
// listener's static token and the NATS credentials, and Apply restarts the
// console and decides who may reach it, so while the listener is on only a
// signed-in admin whose pages include "settings" may read or apply them
// (api.PageDenial: the HTTP gate's page and role checks; the SPA offers the
// page to admins only). With the listener off the window is the desktop
// admin. Locked out (no admin account and the listener on)? Set
// "http_enabled": false in desktop.json and start the app again.
func (a *App) maySeeSettings() error {
	if !a.signInRequired() {
		return nil
	}
	ctx, c, err := a.core()
	if err != nil {
		return toJSONError(err)
	}
	id, err := a.identify(ctx, c)
	if err != nil {
		return toJSONError(err)
	}
	if d := api.PageDenial(id, "settings", accounts.Admin); d != nil {
		return denied(d)
	}
	return nil
}

// BadRequest is the 400 a host returns for invalid settings.
func BadRequest(msg string) error { return &JSONError{Status: 400, Message: msg} }
