package hostos

import (
	"os"
	"runtime"
)

// ConfigEnv is the variable kanade 0.29 reads backend.toml's path from.
const ConfigEnv = "KANADE_BACKEND_CONFIG"

// System is the OS facts the config lookup needs; tests fill in their own.
type System struct {
	GOOS   string
	Env    func(string) (string, bool)
	Exists func(path string) bool // a regular file is there
}

// CurrentSystem is this process's OS, environment and file system.
func CurrentSystem() System {
	return System{GOOS: runtime.GOOS, Env: os.LookupEnv, Exists: fileExists}
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// DefaultConfigPath is 0.29's <config_dir>/backend.toml:
// %ProgramData%\Kanade\config\backend.toml on Windows, /etc/kanade/backend.toml
// elsewhere.
func (s System) DefaultConfigPath() string {
	if s.GOOS == "windows" {
		return s.ProgramData() + `\Kanade\config\backend.toml`
	}
	return "/etc/kanade/backend.toml"
}

// ProgramData is %ProgramData% (C:\ProgramData when unset).
func (s System) ProgramData() string {
	if s.Env != nil {
		if v, ok := s.Env("ProgramData"); ok && v != "" {
			return v
		}
	}
	return `C:\ProgramData`
}

// ConfigPath finds backend.toml as 0.29 does: the --config flag (even when
// the file is missing: reading it then fails with its name), then a
// non-empty KANADE_BACKEND_CONFIG, then the OS default path, but only when
// a file is there (the console has defaults for everything, so no file is
// fine). from says which rule chose it, for the log; "" means none.
func (s System) ConfigPath(flagValue string) (path, from string) {
	if flagValue != "" {
		return flagValue, "--config"
	}
	if s.Env != nil {
		if v, ok := s.Env(ConfigEnv); ok && v != "" {
			return v, ConfigEnv
		}
	}
	if s.Exists != nil {
		if p := s.DefaultConfigPath(); s.Exists(p) {
			return p, "default path"
		}
	}
	return "", ""
}
