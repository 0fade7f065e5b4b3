package config

import (
	"io"
	"os"
	"slices"
	"testing"
)

// fakeRegistry is HKLM as `key\value` -> string.
type fakeRegistry map[string]string

func (f fakeRegistry) ReadString(key, value string) (string, bool, error) {
	v, ok := f[key+`\`+value]
	return v, ok, nil
}

// Secrets: registry first, then env, as 0.29; the sources are reported,
// the values are not.
func TestSecretsRegistryThenEnv(t *testing.T) {
	data := t.TempDir()
	env := envOf(map[string]string{"KANADE_NATS_TOKEN": "env-nats", "KANADE_AUTH_STATIC_TOKEN": "env-static", "KANADE_JWT_SECRET": "env-jwt"})
	for _, tc := range []struct {
		name                 string
		reg                  fakeRegistry
		nats, static, jwt    string
		natsFrom, staticFrom string
	}{
		{name: "no registry values", reg: fakeRegistry{},
			nats: "env-nats", static: "env-static", jwt: "env-jwt",
			natsFrom: "env KANADE_NATS_TOKEN", staticFrom: "env KANADE_AUTH_STATIC_TOKEN"},
		{name: "registry wins", reg: fakeRegistry{
			`SOFTWARE\kanade\agent\NatsToken`:     "reg-nats",
			`SOFTWARE\kanade\backend\StaticToken`: " reg-static\n",
			`SOFTWARE\kanade\backend\JwtSecret`:   "reg-jwt",
		},
			nats: "reg-nats", static: "reg-static", jwt: "reg-jwt",
			natsFrom: `registry HKLM\SOFTWARE\kanade\agent\NatsToken`, staticFrom: `registry HKLM\SOFTWARE\kanade\backend\StaticToken`},
		{name: "per secret", reg: fakeRegistry{`SOFTWARE\kanade\agent\NatsToken`: "reg-nats", `SOFTWARE\kanade\backend\BootstrapAdminPassword`: "reg-first-admin"},
			nats: "reg-nats", static: "env-static", jwt: "env-jwt",
			natsFrom: `registry HKLM\SOFTWARE\kanade\agent\NatsToken`, staticFrom: "env KANADE_AUTH_STATIC_TOKEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseHost("serve", []string{"--data", data}, Host{Env: env, Registry: tc.reg}, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.NATSToken != tc.nats || cfg.StaticToken != tc.static || cfg.JWTSecret != tc.jwt {
				t.Fatalf("secrets = %q %q %q, want %q %q %q", cfg.NATSToken, cfg.StaticToken, cfg.JWTSecret, tc.nats, tc.static, tc.jwt)
			}
			from := map[string]string{}
			for _, s := range cfg.SecretSources {
				from[s.Secret] = s.Source
			}
			if from["nats token"] != tc.natsFrom || from["static token"] != tc.staticFrom {
				t.Fatalf("sources = %+v", cfg.SecretSources)
			}
			// The first admin's password is read like the other secrets.
			if tc.name == "per secret" && (cfg.BootstrapAdminPassword != "reg-first-admin" || from["bootstrap admin password"] != `registry HKLM\SOFTWARE\kanade\backend\BootstrapAdminPassword`) {
				t.Fatalf("bootstrap admin password %q from %q", cfg.BootstrapAdminPassword, from["bootstrap admin password"])
			}
		})
	}

	// Parse (desktop, tests) reads no registry.
	cfg, err := Parse("serve", []string{"--data", data}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NATSToken != "" || !slices.Equal(cfg.SecretSources, []SecretSource{{"nats token", ""}, {"static token", ""}, {"jwt secret", ""}, {"bootstrap admin password", ""}}) {
		t.Fatalf("no secrets: %+v", cfg.SecretSources)
	}
}

// The default backend.toml is read only through a Host that can look for
// it, and only when it is there.
func TestDefaultConfigFile(t *testing.T) {
	data := t.TempDir()
	file := writeTOML(t, "[server]\nbind = \"127.0.0.1:9009\"\n")
	onlyFile := func(p string) bool { return p == "/etc/kanade/backend.toml" }
	// The variable wins over a present default file.
	cfg, err := ParseHost("serve", []string{"--data", data}, Host{Env: envOf(map[string]string{"KANADE_BACKEND_CONFIG": file}), GOOS: "linux", Exists: onlyFile}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConfigPath != file || cfg.ConfigFrom != "KANADE_BACKEND_CONFIG" || cfg.Addr != "127.0.0.1:9009" {
		t.Fatalf("env config: %+v", cfg)
	}
	// The Windows default under %ProgramData% is the file read (on Linux
	// a name with backslashes is one file name, so a real file stands in).
	pd := t.TempDir()
	win := pd + `\Kanade\config\backend.toml`
	if err := os.WriteFile(win, []byte("[server]\nbind = \"127.0.0.1:9010\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err = ParseHost("serve", []string{"--data", data}, Host{Env: envOf(map[string]string{"ProgramData": pd}), GOOS: "windows", Exists: func(p string) bool { return p == win }}, io.Discard)
	if err != nil || cfg.ConfigPath != win || cfg.ConfigFrom != "default path" || cfg.Addr != "127.0.0.1:9010" {
		t.Fatalf("windows default path: %+v, %v", cfg, err)
	}
	// No file at the default path: defaults, no error.
	cfg, err = ParseHost("serve", []string{"--data", data}, Host{Env: envOf(nil), GOOS: "linux", Exists: func(string) bool { return false }}, io.Discard)
	if err != nil || cfg.ConfigPath != "" || cfg.Addr != DefaultAddr {
		t.Fatalf("no default file: %+v, %v", cfg, err)
	}
}

// [log] keep_days: default 14; 0 means no file, as in 0.29.
func TestLogKeepDays(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		file     string
		path     string
		keepDays int
	}{
		{"[log]\npath = \"/var/log/k/backend.log\"\n", "/var/log/k/backend.log", 14},
		{"[log]\npath = \"/var/log/k/backend.log\"\nkeep_days = 3\n", "/var/log/k/backend.log", 3},
		{"[log]\npath = \"/var/log/k/backend.log\"\nkeep_days = 0\n", "", 0},
		{"[log]\nkeep_days = 0\npath = \"/var/log/k/backend.log\"\n", "", 0},
	} {
		cfg, err := Parse("serve", []string{"--data", data, "--config", writeTOML(t, tc.file)}, envOf(nil), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.LogPath != tc.path || cfg.LogKeepDays != tc.keepDays {
			t.Errorf("%q: path %q keep %d, want %q %d", tc.file, cfg.LogPath, cfg.LogKeepDays, tc.path, tc.keepDays)
		}
	}
}
