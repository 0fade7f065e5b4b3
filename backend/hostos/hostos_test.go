package hostos

import (
	"errors"
	"testing"
)

// fakeRegistry is HKLM as a map of `key\value` -> string; errs fail a read.
type fakeRegistry struct {
	values map[string]string
	errs   map[string]error
}

func (f fakeRegistry) ReadString(key, value string) (string, bool, error) {
	if err := f.errs[key+`\`+value]; err != nil {
		return "", false, err
	}
	v, ok := f.values[key+`\`+value]
	return v, ok, nil
}

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestSecretNamesAre029s(t *testing.T) {
	for _, tc := range []struct {
		s         Secret
		path, env string
	}{
		{NATSToken, `HKLM\SOFTWARE\kanade\agent\NatsToken`, "KANADE_NATS_TOKEN"},
		{StaticToken, `HKLM\SOFTWARE\kanade\backend\StaticToken`, "KANADE_AUTH_STATIC_TOKEN"},
		{JWTSecret, `HKLM\SOFTWARE\kanade\backend\JwtSecret`, "KANADE_JWT_SECRET"},
	} {
		if tc.s.RegistryPath() != tc.path || tc.s.Env != tc.env {
			t.Errorf("%s: %s / %s, want %s / %s", tc.s.Name, tc.s.RegistryPath(), tc.s.Env, tc.path, tc.env)
		}
	}
}

func TestLookupRegistryThenEnv(t *testing.T) {
	denied := errors.New("Access is denied.")
	for _, tc := range []struct {
		name    string
		reg     Registry
		env     map[string]string
		want    Resolved
		wantErr bool
	}{
		{name: "registry wins over env",
			reg:  fakeRegistry{values: map[string]string{`SOFTWARE\kanade\agent\NatsToken`: "from-reg"}},
			env:  map[string]string{"KANADE_NATS_TOKEN": "from-env"},
			want: Resolved{Value: "from-reg", Source: `registry HKLM\SOFTWARE\kanade\agent\NatsToken`, Found: true}},
		{name: "registry value trimmed",
			reg:  fakeRegistry{values: map[string]string{`SOFTWARE\kanade\agent\NatsToken`: " tok\r\n"}},
			want: Resolved{Value: "tok", Source: `registry HKLM\SOFTWARE\kanade\agent\NatsToken`, Found: true}},
		{name: "empty registry value falls through to env",
			reg:  fakeRegistry{values: map[string]string{`SOFTWARE\kanade\agent\NatsToken`: "  "}},
			env:  map[string]string{"KANADE_NATS_TOKEN": "from-env"},
			want: Resolved{Value: "from-env", Source: "env KANADE_NATS_TOKEN", Found: true}},
		{name: "missing registry value, env set",
			reg:  fakeRegistry{},
			env:  map[string]string{"KANADE_NATS_TOKEN": "from-env"},
			want: Resolved{Value: "from-env", Source: "env KANADE_NATS_TOKEN", Found: true}},
		{name: "no registry (linux), env set",
			reg:  NoRegistry{},
			env:  map[string]string{"KANADE_NATS_TOKEN": "from-env"},
			want: Resolved{Value: "from-env", Source: "env KANADE_NATS_TOKEN", Found: true}},
		{name: "nil registry",
			env:  map[string]string{"KANADE_NATS_TOKEN": "x"},
			want: Resolved{Value: "x", Source: "env KANADE_NATS_TOKEN", Found: true}},
		{name: "registry error falls through to env and is reported",
			reg:     fakeRegistry{errs: map[string]error{`SOFTWARE\kanade\agent\NatsToken`: denied}},
			env:     map[string]string{"KANADE_NATS_TOKEN": "from-env"},
			want:    Resolved{Value: "from-env", Source: "env KANADE_NATS_TOKEN", Found: true},
			wantErr: true},
		{name: "set nowhere",
			reg:  fakeRegistry{},
			want: Resolved{}},
		{name: "another secret's value is not used",
			reg:  fakeRegistry{values: map[string]string{`SOFTWARE\kanade\backend\NatsToken`: "wrong key"}},
			want: Resolved{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Lookup(NATSToken, tc.reg, envOf(tc.env))
			if (got.RegistryErr != nil) != tc.wantErr {
				t.Fatalf("registry err = %v, want err %v", got.RegistryErr, tc.wantErr)
			}
			got.RegistryErr = nil
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestConfigPath(t *testing.T) {
	exists := func(files ...string) func(string) bool {
		return func(p string) bool {
			for _, f := range files {
				if f == p {
					return true
				}
			}
			return false
		}
	}
	for _, tc := range []struct {
		name     string
		sys      System
		flag     string
		wantPath string
		wantFrom string
	}{
		{"flag wins even when missing", System{GOOS: "linux", Env: envOf(map[string]string{"KANADE_BACKEND_CONFIG": "/env.toml"}), Exists: exists("/etc/kanade/backend.toml")},
			"/missing.toml", "/missing.toml", "--config"},
		{"env before default", System{GOOS: "linux", Env: envOf(map[string]string{"KANADE_BACKEND_CONFIG": "/env.toml"}), Exists: exists("/etc/kanade/backend.toml")},
			"", "/env.toml", "KANADE_BACKEND_CONFIG"},
		{"empty env ignored", System{GOOS: "linux", Env: envOf(map[string]string{"KANADE_BACKEND_CONFIG": ""}), Exists: exists("/etc/kanade/backend.toml")},
			"", "/etc/kanade/backend.toml", "default path"},
		{"linux default when present", System{GOOS: "linux", Env: envOf(nil), Exists: exists("/etc/kanade/backend.toml")},
			"", "/etc/kanade/backend.toml", "default path"},
		{"darwin default when present", System{GOOS: "darwin", Env: envOf(nil), Exists: exists("/etc/kanade/backend.toml")},
			"", "/etc/kanade/backend.toml", "default path"},
		{"linux default absent", System{GOOS: "linux", Env: envOf(nil), Exists: exists()},
			"", "", ""},
		{"windows ProgramData", System{GOOS: "windows", Env: envOf(map[string]string{"ProgramData": `D:\PD`}), Exists: exists(`D:\PD\Kanade\config\backend.toml`)},
			"", `D:\PD\Kanade\config\backend.toml`, "default path"},
		{"windows ProgramData unset", System{GOOS: "windows", Env: envOf(nil), Exists: exists(`C:\ProgramData\Kanade\config\backend.toml`)},
			"", `C:\ProgramData\Kanade\config\backend.toml`, "default path"},
		{"windows ignores /etc", System{GOOS: "windows", Env: envOf(nil), Exists: exists("/etc/kanade/backend.toml")},
			"", "", ""},
		{"no file check: no default", System{GOOS: "linux", Env: envOf(nil)},
			"", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, from := tc.sys.ConfigPath(tc.flag)
			if path != tc.wantPath || from != tc.wantFrom {
				t.Fatalf("ConfigPath(%q) = %q from %q, want %q from %q", tc.flag, path, from, tc.wantPath, tc.wantFrom)
			}
		})
	}
}
