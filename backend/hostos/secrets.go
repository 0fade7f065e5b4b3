// Package hostos is what the console asks the operating system it runs on,
// the way kanade-backend 0.29 asks it: secrets from the Windows registry
// before the environment, and the per-OS place of backend.toml. The OS calls
// sit behind small interfaces so the lookup rules are tested on every OS.
package hostos

import (
	"errors"
	"strings"
)

// Registry reads string values under HKEY_LOCAL_MACHINE. ok is false when
// the key or the value does not exist; err is any other failure (access
// denied, wrong value type).
type Registry interface {
	ReadString(key, value string) (s string, ok bool, err error)
}

// NoRegistry is the registry of an OS without one: every value is missing.
type NoRegistry struct{}

func (NoRegistry) ReadString(string, string) (string, bool, error) { return "", false, nil }

// Secret names where kanade 0.29 looks for one secret: a registry value
// under HKLM first, then an environment variable.
type Secret struct {
	Name          string // for logs and errors, e.g. "nats token"
	RegistryKey   string // under HKLM, e.g. SOFTWARE\kanade\agent
	RegistryValue string // e.g. NatsToken
	Env           string // e.g. KANADE_NATS_TOKEN
}

// The three secrets of kanade 0.29, with its exact registry paths and
// variable names. NatsToken sits under the agent's key because the agent,
// the backend and the CLI share it.
var (
	NATSToken   = Secret{Name: "nats token", RegistryKey: `SOFTWARE\kanade\agent`, RegistryValue: "NatsToken", Env: "KANADE_NATS_TOKEN"}
	StaticToken = Secret{Name: "static token", RegistryKey: `SOFTWARE\kanade\backend`, RegistryValue: "StaticToken", Env: "KANADE_AUTH_STATIC_TOKEN"}
	JWTSecret   = Secret{Name: "jwt secret", RegistryKey: `SOFTWARE\kanade\backend`, RegistryValue: "JwtSecret", Env: "KANADE_JWT_SECRET"}
	// BootstrapAdminPassword is the first admin's password (kanade v0.4x).
	BootstrapAdminPassword = Secret{Name: "bootstrap admin password", RegistryKey: `SOFTWARE\kanade\backend`, RegistryValue: "BootstrapAdminPassword", Env: "KANADE_BOOTSTRAP_ADMIN_PASSWORD"}
)

// RegistryPath is the value's full name, as an operator types it in regedit.
func (s Secret) RegistryPath() string {
	return `HKLM\` + s.RegistryKey + `\` + s.RegistryValue
}

// Resolved is a secret and where it came from. Source is "registry
// HKLM\…", "env NAME" or "" (not set); it is safe to log, Value never is.
type Resolved struct {
	Value  string
	Source string
	Found  bool
	// RegistryErr is a registry failure other than "not there" (the
	// lookup then fell through to the environment); worth a warning.
	RegistryErr error
}

// Lookup resolves s like kanade 0.29: a non-empty registry value wins;
// otherwise the environment variable when it is set; otherwise not found.
// Surrounding whitespace (a pasted newline in regedit) is trimmed from the
// registry value.
func Lookup(s Secret, reg Registry, env func(string) (string, bool)) Resolved {
	var r Resolved
	if reg != nil {
		v, ok, err := reg.ReadString(s.RegistryKey, s.RegistryValue)
		switch {
		case err != nil:
			r.RegistryErr = errors.New(s.RegistryPath() + ": " + err.Error())
		case ok && strings.TrimSpace(v) != "":
			r.Value, r.Source, r.Found = strings.TrimSpace(v), "registry "+s.RegistryPath(), true
			return r
		}
	}
	if env != nil {
		if v, ok := env(s.Env); ok {
			r.Value, r.Source, r.Found = v, "env "+s.Env, true
		}
	}
	return r
}
