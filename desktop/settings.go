package desktop

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
)

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
