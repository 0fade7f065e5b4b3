// Package config resolves the console's settings from, in order of
// precedence, command-line flags, environment variables, a kanade
// backend.toml-compatible file, and built-in defaults.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/kanade-console/kanade-console/backend/hostos"
	"github.com/kanade-console/kanade-console/backend/retention"
	"github.com/kanade-console/kanade-console/backend/teravars"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Config is every setting of a console process.
type Config struct {
	ConfigPath string // the TOML file read, if any
	ConfigFrom string // which rule chose it: --config, KANADE_BACKEND_CONFIG, default path

	Addr string // HTTP listen address
	// AllowedHosts are Host names the HTTP server answers to besides the
	// loopback names and the bind host ("*.suffix" allowed); see api/guard.go.
	AllowedHosts []string
	DataDir      string // SQLite file, embedded JetStream store
	SQLitePath   string
	NATSURL      string // external NATS; empty = embedded server
	NATSListen   string // embedded server's client address or "off"
	NATSToken    string
	LogLevel     slog.Level
	LogPath      string
	// LogKeepDays is how many daily files of LogPath are kept (0.29's
	// [log] keep_days); 0 writes LogPath as one plain file.
	LogKeepDays int
	DemoAgents  int
	// Rebuild moves the database aside at start and rebuilds it from the
	// streams (--rebuild, this start only). RebuildOnDamage does the same
	// when the start-up integrity check finds the file damaged
	// (--rebuild-on-damage, [db] rebuild_on_damage).
	Rebuild         bool
	RebuildOnDamage bool
	// Retention is how long the sweep keeps results, executions, audit
	// entries and dead letters; zero keeps them forever.
	Retention retention.Policy

	AuthDisable bool
	StaticToken string
	JWTSecret   string
	// BootstrapAdminUser/Password seed the first account of an empty users
	// table (KANADE_BOOTSTRAP_ADMIN_USER; the password from the registry,
	// then KANADE_BOOTSTRAP_ADMIN_PASSWORD). Without a password the first
	// admin gets a one-time setup link instead (never a default password).
	BootstrapAdminUser     string
	BootstrapAdminPassword string

	// NATSReplicas is the replica count of every stream and bucket the
	// console creates (1 when unset). NATSReplicasExplicit records that the
	// operator asked for it (flag, env or file): only then are existing
	// resources with fewer replicas scaled up.
	NATSReplicas         int
	NATSReplicasExplicit bool
	// NATSTLSCert/NATSTLSKey turn on TLS for the embedded server's agent
	// listener; TLSCert/TLSKey for the HTTP listener of serve.
	NATSTLSCert string
	NATSTLSKey  string
	TLSCert     string
	TLSKey      string
	// Role credentials of the embedded server, beside the 0.29 token: an
	// agent user limited to the agent's subjects and an operator user with
	// full rights.
	NATSAgentUser        string
	NATSAgentPassword    string
	NATSOperatorUser     string
	NATSOperatorPassword string
	// SecretSources says where each secret came from ("registry HKLM\…",
	// "env NAME"), for the start log; never the values.
	SecretSources []SecretSource
	// Warnings are problems worth a log line that did not stop the start
	// (an unreadable registry value).
	Warnings []string
}

// SecretSource is where one secret was found.
type SecretSource struct {
	Secret string // "nats token", "static token", "jwt secret"
	Source string // "" when set nowhere
}

// DefaultAddr is loopback: without a configured secret the API is only safe
// where nobody else can reach it.
const (
	DefaultAddr       = "127.0.0.1:8080"
	DefaultNATSListen = "127.0.0.1:4222"
	// DefaultLogKeepDays is kanade 0.29's [log] keep_days default.
	DefaultLogKeepDays = 14
)

// DefaultDataDir is where a console keeps its state when --data is not given.
func DefaultDataDir() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "kanade-console")
	}
	return "kanade-data"
}

// Env reads an environment variable; tests pass a map-backed one.
type Env func(key string) (string, bool)

// Host is what Parse asks the operating system besides the flags.
type Host struct {
	Env Env // nil: the process environment
	// Registry holds kanade's secrets on Windows; they win over Env as in
	// 0.29. nil: secrets come from Env only.
	Registry hostos.Registry
	// GOOS and Exists find backend.toml at the OS default path when no
	// flag or variable names one; a nil Exists skips that fallback.
	GOOS   string
	Exists func(path string) bool
	// System is what a backend.toml template sees as system.* (nil: this
	// machine, teravars.DetectSystem); tests render as another OS.
	System func() teravars.System
}

// SystemHost is the real OS as kanade-backend 0.29 sees it: environment,
// registry, and %ProgramData%\Kanade\config\backend.toml or
// /etc/kanade/backend.toml when present. serve uses it.
func SystemHost() Host {
	sys := hostos.CurrentSystem()
	return Host{Env: os.LookupEnv, Registry: hostos.SystemRegistry(), GOOS: sys.GOOS, Exists: sys.Exists}
}

// Parse is ParseHost with the environment only: no registry, no default
// config file (the desktop app and tests).
func Parse(name string, args []string, env Env, stderr io.Writer) (Config, error) {
	return ParseHost(name, args, Host{Env: env}, stderr)
}

// flagValues are the values of the flags ParseHost defines.
type flagValues struct {
	configPath *string
	addr       *string
	dataDir    *string
	natsURL    *string
	natsListen *string
	logLevel   *string
	demo       *int
	allowed    *string
	rebuild    *bool
	rebuildDmg *bool
	replicas   *int
	natsCert   *string
	natsKey    *string
	httpCert   *string
	httpKey    *string
	agentUser  *string
	agentPass  *string
	operUser   *string
	operPass   *string
	retain     map[string]*string
}

// defineFlags defines every flag of serve (and of the desktop app) on fs: the
// one list both ParseHost and FlagsGiven read.
func defineFlags(fs *flag.FlagSet) *flagValues {
	return &flagValues{
		configPath: fs.String("config", "", "kanade backend.toml-compatible config file (env KANADE_BACKEND_CONFIG)"),
		addr:       fs.String("addr", DefaultAddr, "HTTP listen address host:port"),
		dataDir:    fs.String("data", "", "data directory: SQLite file and embedded JetStream store (default "+DefaultDataDir()+")"),
		natsURL:    fs.String("nats-url", "", "external NATS URL (env KANADE_NATS_URL); empty starts the embedded server"),
		natsListen: fs.String("nats-listen", DefaultNATSListen, `embedded NATS client address host:port, or "off"`),
		logLevel:   fs.String("log-level", "info", "log level: debug, info, warn or error"),
		demo:       fs.Int("demo-agents", 0, "also run N simulated agents"),
		allowed:    fs.String("allowed-hosts", "", "comma-separated Host names the HTTP server answers to besides loopback names and the --addr host, e.g. console.lan,*.ts.net"),
		rebuild:    fs.Bool("rebuild", false, "move the SQLite file aside and rebuild it from the streams (this start only)"),
		rebuildDmg: fs.Bool("rebuild-on-damage", false, "check the SQLite file before start and rebuild it from the streams if it is damaged ([db] rebuild_on_damage)"),
		replicas:   fs.Int("nats-replicas", 0, "replicas of every stream and bucket the console creates (env KANADE_NATS_REPLICAS; default 1); also scales existing ones up"),
		natsCert:   fs.String("nats-tls-cert", "", "TLS certificate (PEM) for the embedded NATS agent listener"),
		natsKey:    fs.String("nats-tls-key", "", "TLS private key (PEM) for the embedded NATS agent listener"),
		httpCert:   fs.String("tls-cert", "", "TLS certificate (PEM) for the HTTP listener"),
		httpKey:    fs.String("tls-key", "", "TLS private key (PEM) for the HTTP listener"),
		agentUser:  fs.String("nats-agent-user", "", "embedded NATS: user name of the agent credential (agent subjects only; env KANADE_NATS_AGENT_USER)"),
		agentPass:  fs.String("nats-agent-password", "", "embedded NATS: password of the agent credential (env KANADE_NATS_AGENT_PASSWORD)"),
		operUser:   fs.String("nats-operator-user", "", "embedded NATS: user name of the operator credential (full rights; env KANADE_NATS_OPERATOR_USER)"),
		operPass:   fs.String("nats-operator-password", "", "embedded NATS: password of the operator credential (env KANADE_NATS_OPERATOR_PASSWORD)"),
		retain:     retentionFlags(fs),
	}
}

func retentionFlags(fs *flag.FlagSet) map[string]*string {
	retain := map[string]*string{}
	for _, r := range retentionKeys {
		retain[r.flag] = fs.String(r.flag, "", fmt.Sprintf("keep %s this long, e.g. 30d or 1h 30m; 0 keeps them forever (default %s)", r.what, humanDays(*r.field(&retention.Default))))
	}
	return retain
}

// FlagsGiven reports which of serve's flags args set, by the same flag set
// ParseHost reads (the desktop app marks those settings as pinned by the
// command line). Bad args are ParseHost's to report; here they give an error.
func FlagsGiven(args []string) (map[string]bool, error) {
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	defineFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set, nil
}

// ParseHost reads the flags of a subcommand (args exclude the subcommand
// name), then fills what they leave unset from env (secrets: registry, then
// env), the TOML file and defaults. The error is one line that names the bad
// flag, key or path.
func ParseHost(name string, args []string, host Host, stderr io.Writer) (Config, error) {
	env := host.Env
	if env == nil {
		env = os.LookupEnv
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	v := defineFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, err
		}
		return Config{}, fmt.Errorf("%s: %v", name, firstLine(err.Error()))
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// Defaults, then the file, then env, then explicit flags.
	cfg := Config{Addr: DefaultAddr, NATSListen: DefaultNATSListen, LogLevel: slog.LevelInfo, LogKeepDays: DefaultLogKeepDays, Retention: retention.Default}
	sys := hostos.System{GOOS: host.GOOS, Env: env, Exists: host.Exists}
	if path, from := sys.ConfigPath(*v.configPath); path != "" {
		system := host.System
		if system == nil {
			system = teravars.DetectSystem
		}
		if err := applyFile(&cfg, path, env, system); err != nil {
			return Config{}, err
		}
		cfg.ConfigPath, cfg.ConfigFrom = path, from
	}

	if v, ok := env("KANADE_NATS_URL"); ok && v != "" {
		cfg.NATSURL = v
	}
	if _, ok := env("KANADE_AUTH_DISABLE"); ok {
		cfg.AuthDisable = true // presence alone, like kanade
	}
	for _, sec := range []struct {
		secret hostos.Secret
		field  *string
	}{
		{hostos.NATSToken, &cfg.NATSToken},
		{hostos.StaticToken, &cfg.StaticToken},
		{hostos.JWTSecret, &cfg.JWTSecret},
		{hostos.BootstrapAdminPassword, &cfg.BootstrapAdminPassword},
	} {
		r := hostos.Lookup(sec.secret, host.Registry, env)
		if r.RegistryErr != nil {
			cfg.Warnings = append(cfg.Warnings, "registry: "+r.RegistryErr.Error()+" (using the environment)")
		}
		if r.Found {
			*sec.field = r.Value
		}
		cfg.SecretSources = append(cfg.SecretSources, SecretSource{Secret: sec.secret.Name, Source: r.Source})
	}
	cfg.StaticToken = strings.TrimSpace(cfg.StaticToken)
	if v, ok := env("KANADE_NATS_REPLICAS"); ok && v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("KANADE_NATS_REPLICAS %q: want a number 1-5", v)
		}
		cfg.NATSReplicas, cfg.NATSReplicasExplicit = n, true
	}
	for key, field := range map[string]*string{
		"KANADE_NATS_AGENT_USER": &cfg.NATSAgentUser, "KANADE_NATS_AGENT_PASSWORD": &cfg.NATSAgentPassword,
		"KANADE_NATS_OPERATOR_USER": &cfg.NATSOperatorUser, "KANADE_NATS_OPERATOR_PASSWORD": &cfg.NATSOperatorPassword,
		"KANADE_BOOTSTRAP_ADMIN_USER": &cfg.BootstrapAdminUser,
	} {
		if v, ok := env(key); ok {
			*field = v
		}
	}

	if set["addr"] {
		cfg.Addr = *v.addr
	}
	if set["allowed-hosts"] {
		cfg.AllowedHosts = splitList(*v.allowed)
	}
	if set["data"] {
		cfg.DataDir = *v.dataDir
	}
	if set["nats-url"] {
		cfg.NATSURL = *v.natsURL
	}
	if set["nats-listen"] {
		cfg.NATSListen = *v.natsListen
	}
	if set["log-level"] {
		lvl, err := parseLevel(*v.logLevel)
		if err != nil {
			return Config{}, fmt.Errorf("--log-level: %w", err)
		}
		cfg.LogLevel = lvl
	}
	if set["demo-agents"] {
		cfg.DemoAgents = *v.demo
	}
	cfg.Rebuild = *v.rebuild
	if set["rebuild-on-damage"] {
		cfg.RebuildOnDamage = *v.rebuildDmg
	}
	if set["nats-replicas"] {
		cfg.NATSReplicas, cfg.NATSReplicasExplicit = *v.replicas, true
	}
	for name, pair := range map[string][2]*string{
		"nats-tls-cert": {v.natsCert, &cfg.NATSTLSCert}, "nats-tls-key": {v.natsKey, &cfg.NATSTLSKey},
		"tls-cert": {v.httpCert, &cfg.TLSCert}, "tls-key": {v.httpKey, &cfg.TLSKey},
		"nats-agent-user": {v.agentUser, &cfg.NATSAgentUser}, "nats-agent-password": {v.agentPass, &cfg.NATSAgentPassword},
		"nats-operator-user": {v.operUser, &cfg.NATSOperatorUser}, "nats-operator-password": {v.operPass, &cfg.NATSOperatorPassword},
	} {
		if set[name] {
			*pair[1] = *pair[0]
		}
	}
	for _, r := range retentionKeys {
		if !set[r.flag] {
			continue
		}
		d, err := parseRetention(*v.retain[r.flag])
		if err != nil {
			return Config{}, fmt.Errorf("--%s: %w", r.flag, err)
		}
		*r.field(&cfg.Retention) = d
	}

	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir()
	}
	if cfg.SQLitePath == "" {
		cfg.SQLitePath = filepath.Join(cfg.DataDir, "kanade.db")
	}
	if err := cfg.validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// fileConfig is backend.toml: kanade's four tables plus a [console] table for
// what only the console has. Every key is optional here; flags and defaults
// fill the rest.
type fileConfig struct {
	Server struct {
		Bind         *string  `toml:"bind"`
		AllowedHosts []string `toml:"allowed_hosts"`
		TLSCert      *string  `toml:"tls_cert"`
		TLSKey       *string  `toml:"tls_key"`
	} `toml:"server"`
	NATS struct {
		URL              *string `toml:"url"`
		Listen           *string `toml:"listen"`
		Replicas         *int    `toml:"replicas"`
		TLSCert          *string `toml:"tls_cert"`
		TLSKey           *string `toml:"tls_key"`
		AgentUser        *string `toml:"agent_user"`
		AgentPassword    *string `toml:"agent_password"`
		OperatorUser     *string `toml:"operator_user"`
		OperatorPassword *string `toml:"operator_password"`
	} `toml:"nats"`
	DB struct {
		SQLitePath      *string `toml:"sqlite_path"`
		RebuildOnDamage *bool   `toml:"rebuild_on_damage"`
	} `toml:"db"`
	Log struct {
		Path     *string `toml:"path"`
		Level    *string `toml:"level"`
		KeepDays *int    `toml:"keep_days"` // daily files kept; 0 = no file (stderr only), as in 0.29
	} `toml:"log"`
	Retention map[string]string `toml:"retention"`
	Console   struct {
		DataDir    *string `toml:"data_dir"`
		DemoAgents *int    `toml:"demo_agents"`
	} `toml:"console"`
	// kanade renders backend.toml through teravars, and so do we (see
	// package teravars); afterwards [vars] is still in the file but means nothing.
	Vars map[string]any `toml:"vars"`
}

// applyFile reads backend.toml into cfg. A file with template syntax is
// rendered first, with env behind env(); one without is decoded as it is.
func applyFile(cfg *Config, path string, env Env, system func() teravars.System) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config %s: %s", path, firstLine(err.Error()))
	}
	text := string(raw)
	rendered := false
	sourceLine := func(line int) int { return line }
	if teravars.HasSyntax(text) {
		out, err := teravars.Render(text, teravars.Context{System: system(), Env: env})
		if err != nil {
			return fmt.Errorf("config %s: %s", path, firstLine(err.Error()))
		}
		text, rendered, sourceLine = out.Text(), true, out.SourceLine
	}
	var fc fileConfig
	md, err := toml.Decode(text, &fc)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			msg := firstLine(perr.Message)
			if rendered {
				// The line is the user's, but the text TOML choked on is
				// the rendered one; the usual culprit is a Windows path
				// inserted into a "…" string, where \ starts an escape.
				msg += " (after rendering the template"
				if strings.Contains(msg, "escape") {
					msg += "; put inserted Windows paths in '…' literal strings"
				}
				msg += ")"
			}
			return fmt.Errorf("config %s: line %d: %s", path, sourceLine(perr.Position.Line), msg)
		}
		return fmt.Errorf("config %s: %s", path, firstLine(err.Error()))
	}
	for _, key := range md.Undecoded() {
		if len(key) > 0 && key[0] == "vars" {
			continue
		}
		return fmt.Errorf("config %s: unknown key %q", path, key.String())
	}
	if v := fc.Server.Bind; v != nil {
		cfg.Addr = *v
	}
	if v := fc.Server.AllowedHosts; v != nil {
		cfg.AllowedHosts = splitList(strings.Join(v, ","))
	}
	if v := fc.NATS.URL; v != nil {
		cfg.NATSURL = *v
	}
	if v := fc.NATS.Listen; v != nil {
		cfg.NATSListen = *v
	}
	if v := fc.DB.SQLitePath; v != nil {
		cfg.SQLitePath = *v
	}
	if v := fc.DB.RebuildOnDamage; v != nil {
		cfg.RebuildOnDamage = *v
	}
	if v := fc.NATS.Replicas; v != nil {
		cfg.NATSReplicas, cfg.NATSReplicasExplicit = *v, true
	}
	for from, to := range map[*string]*string{
		fc.Server.TLSCert: &cfg.TLSCert, fc.Server.TLSKey: &cfg.TLSKey,
		fc.NATS.TLSCert: &cfg.NATSTLSCert, fc.NATS.TLSKey: &cfg.NATSTLSKey,
		fc.NATS.AgentUser: &cfg.NATSAgentUser, fc.NATS.AgentPassword: &cfg.NATSAgentPassword,
		fc.NATS.OperatorUser: &cfg.NATSOperatorUser, fc.NATS.OperatorPassword: &cfg.NATSOperatorPassword,
	} {
		if from != nil {
			*to = *from
		}
	}
	if v := fc.Log.Path; v != nil {
		cfg.LogPath = *v
	}
	if v := fc.Log.Level; v != nil {
		lvl, err := parseLevel(*v)
		if err != nil {
			return fmt.Errorf("config %s: log.level: %w", path, err)
		}
		cfg.LogLevel = lvl
	}
	if v := fc.Log.KeepDays; v != nil {
		if *v < 0 {
			return fmt.Errorf("config %s: log.keep_days must not be negative", path)
		}
		cfg.LogKeepDays = *v
		if *v == 0 {
			cfg.LogPath = "" // 0.29: keep_days = 0 logs to stdout only
		}
	}
	if v := fc.Console.DataDir; v != nil {
		cfg.DataDir = *v
	}
	for key, v := range fc.Retention {
		r, ok := retentionByKey(key)
		if !ok {
			return fmt.Errorf("config %s: unknown key \"retention.%s\" (want results, executions, audit, dead_letters, inventory_history or reap_inflight_after)", path, key)
		}
		d, err := parseRetention(v)
		if err != nil {
			return fmt.Errorf("config %s: retention.%s: %w", path, key, err)
		}
		*r.field(&cfg.Retention) = d
	}
	if v := fc.Console.DemoAgents; v != nil {
		cfg.DemoAgents = *v
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	// kanade's level is a tracing filter such as "info" or "kanade=debug";
	// take the last directive's level.
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexAny(s, ",="); i >= 0 {
		s = s[i+1:]
	}
	switch s {
	case "trace", "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown level %q (want debug, info, warn or error)", s)
}

func (c *Config) validate() error {
	if err := checkHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q: %w", c.Addr, err)
	}
	if c.NATSListen != "off" {
		if err := checkHostPort(c.NATSListen); err != nil {
			return fmt.Errorf(`--nats-listen %q: %w (or "off")`, c.NATSListen, err)
		}
	}
	if c.NATSURL != "" {
		for _, part := range strings.Split(c.NATSURL, ",") {
			u, err := url.Parse(strings.TrimSpace(part))
			if err != nil || u.Host == "" || !validScheme(u.Scheme) {
				return fmt.Errorf("--nats-url %q: want nats://host:port (also tls://, ws://, wss://; comma-separated for a cluster)", c.NATSURL)
			}
		}
	}
	if c.NATSReplicasExplicit && (c.NATSReplicas < 1 || c.NATSReplicas > 5) {
		return fmt.Errorf("--nats-replicas %d: want 1-5 (JetStream's limit)", c.NATSReplicas)
	}
	if c.NATSReplicas == 0 {
		c.NATSReplicas = 1
	}
	if c.NATSReplicas > 1 && c.NATSURL == "" {
		return fmt.Errorf("--nats-replicas %d needs a NATS cluster: the embedded server is a single node (give --nats-url with the cluster's URLs)", c.NATSReplicas)
	}
	if err := pairSet("--nats-tls-cert", c.NATSTLSCert, "--nats-tls-key", c.NATSTLSKey); err != nil {
		return err
	}
	if err := pairSet("--tls-cert", c.TLSCert, "--tls-key", c.TLSKey); err != nil {
		return err
	}
	if err := pairSet("--nats-agent-user", c.NATSAgentUser, "--nats-agent-password", c.NATSAgentPassword); err != nil {
		return err
	}
	if err := pairSet("--nats-operator-user", c.NATSOperatorUser, "--nats-operator-password", c.NATSOperatorPassword); err != nil {
		return err
	}
	if c.NATSAgentUser != "" && c.NATSAgentUser == c.NATSOperatorUser {
		return fmt.Errorf("--nats-agent-user and --nats-operator-user are both %q: the two roles need different names", c.NATSAgentUser)
	}
	if c.DemoAgents < 0 {
		return fmt.Errorf("--demo-agents %d: must not be negative", c.DemoAgents)
	}
	if err := checkWritableDir(c.DataDir); err != nil {
		return fmt.Errorf("data dir %s: %w", c.DataDir, err)
	}
	if dir := filepath.Dir(c.SQLitePath); dir != c.DataDir {
		if err := checkWritableDir(dir); err != nil {
			return fmt.Errorf("db.sqlite_path %s: %w", c.SQLitePath, err)
		}
	}
	return nil
}

// CheckAgentListener refuses an embedded agent listener other hosts can
// reach when no NATS credential is configured: anyone on the LAN could then
// publish commands to every PC. Callers run it once every source of the
// token (the desktop's settings too) has been applied.
func (c Config) CheckAgentListener() error {
	if c.NATSURL != "" || c.NATSListen == "off" || c.NATSToken != "" || c.NATSAgentUser != "" || c.NATSOperatorUser != "" {
		return nil
	}
	if host, _, _ := net.SplitHostPort(c.NATSListen); isLoopbackHost(host) {
		return nil
	}
	return fmt.Errorf("refusing to open the agent listener on %s without credentials: set KANADE_NATS_TOKEN or --nats-agent-user/--nats-agent-password, or bind --nats-listen to 127.0.0.1", c.NATSListen)
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// pairSet refuses one half of a pair (cert without key, user without
// password).
func pairSet(aName, a, bName, b string) error {
	if (a == "") != (b == "") {
		return fmt.Errorf("%s and %s go together: give both or neither", aName, bName)
	}
	return nil
}

func validScheme(s string) bool {
	switch s {
	case "nats", "tls", "ws", "wss":
		return true
	}
	return false
}

func checkHostPort(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return errors.New("want host:port")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return errors.New("port must be a number 0-65535")
	}
	return nil
}

// checkWritableDir creates dir if needed and proves a file can be written
// there, so a read-only or misnamed data dir fails at start with its name,
// not later inside SQLite or JetStream.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create: %w", unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("not writable: %w", unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// splitList reads "a, b,,c" as [a b c].
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// retentionKey ties a retention setting's flag and TOML key to its field.
type retentionKey struct {
	flag, key, what string
	field           func(*retention.Policy) *time.Duration
}

var retentionKeys = []retentionKey{
	{"retain-results", "results", "execution results", func(r *retention.Policy) *time.Duration { return &r.Results }},
	{"retain-executions", "executions", "executions", func(r *retention.Policy) *time.Duration { return &r.Executions }},
	{"retain-audit", "audit", "audit entries", func(r *retention.Policy) *time.Duration { return &r.Audit }},
	{"retain-dead-letters", "dead_letters", "dead letters", func(r *retention.Policy) *time.Duration { return &r.DeadLetters }},
	{"retain-inventory-history", "inventory_history", "inventory history (changes, first_seen)", func(r *retention.Policy) *time.Duration { return &r.InventoryHistory }},
	// Not a deletion: after this long an in-flight run without its result
	// is stamped reaped and leaves status=running (kanade's reaper).
	{"reap-inflight-after", "reap_inflight_after", "in-flight runs without a result as running", func(r *retention.Policy) *time.Duration { return &r.ReapInflight }},
}

func retentionByKey(key string) (retentionKey, bool) {
	for _, r := range retentionKeys {
		if r.key == key {
			return r, true
		}
	}
	return retentionKey{}, false
}

// parseRetention reads a humantime duration ("90d", "1h 30m"); "0" keeps
// rows forever. Less than an hour is refused: it would delete what operators
// are still looking at.
func parseRetention(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	d, err := wire.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 90d or 12h (0 keeps forever)", s)
	}
	if d > 0 && d < time.Hour {
		return 0, fmt.Errorf("%q is shorter than an hour; use 0 to keep forever", s)
	}
	return d, nil
}

func humanDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
