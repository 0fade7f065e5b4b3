package service

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Runner runs a service-manager command (systemctl, launchctl) and returns
// its combined output; tests record the calls instead.
type Runner func(name string, args ...string) ([]byte, error)

// Systemd manages kanade-console.service: the unit file in Dir and
// systemctl through Run.
type Systemd struct {
	Dir string // /etc/systemd/system
	Run Runner
}

func (m Systemd) unitPath() string { return filepath.Join(m.Dir, SystemdUnit) }

func (m Systemd) Install(exe string, args []string, replace bool) error {
	if _, err := os.Stat(m.unitPath()); err == nil && !replace {
		return fmt.Errorf("%s exists (use --replace to rewrite it)", m.unitPath())
	}
	if err := os.WriteFile(m.unitPath(), []byte(RenderSystemdUnit(exe, args)), 0o644); err != nil {
		return err
	}
	if err := m.ctl("daemon-reload"); err != nil {
		return err
	}
	return m.ctl("enable", SystemdUnit)
}

func (m Systemd) Uninstall() error {
	if _, err := os.Stat(m.unitPath()); errors.Is(err, fs.ErrNotExist) {
		return ErrNotInstalled
	}
	m.ctl("disable", "--now", SystemdUnit) // best effort: a stopped unit is fine
	if err := os.Remove(m.unitPath()); err != nil {
		return err
	}
	return m.ctl("daemon-reload")
}

// Program is the unit's ExecStart.
func (m Systemd) Program() (string, error) {
	b, err := os.ReadFile(m.unitPath())
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNotInstalled
	}
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
			return v, nil
		}
	}
	return "", nil
}

func (m Systemd) Start() error { return m.ctl("start", SystemdUnit) }
func (m Systemd) Stop() error  { return m.ctl("stop", SystemdUnit) }

func (m Systemd) Status() (string, error) {
	if _, err := os.Stat(m.unitPath()); errors.Is(err, fs.ErrNotExist) {
		return "not installed", nil
	}
	// is-active exits non-zero for anything but active; its output is the state.
	out, _ := m.Run("systemctl", "is-active", SystemdUnit)
	return strings.TrimSpace(string(out)), nil
}

func (m Systemd) ctl(args ...string) error {
	if out, err := m.Run("systemctl", args...); err != nil {
		return fmt.Errorf("systemctl %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Launchd manages the dev.kanade.console daemon: the plist in Dir and
// launchctl through Run.
type Launchd struct {
	Dir    string // /Library/LaunchDaemons
	LogDir string // /Library/Logs/kanade-console
	Run    Runner
}

func (m Launchd) plistPath() string { return filepath.Join(m.Dir, LaunchdLabel+".plist") }

func (m Launchd) Install(exe string, args []string, replace bool) error {
	if _, err := os.Stat(m.plistPath()); err == nil {
		if !replace {
			return fmt.Errorf("%s exists (use --replace to rewrite it)", m.plistPath())
		}
		m.Run("launchctl", "unload", m.plistPath())
	}
	if err := os.MkdirAll(m.LogDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(m.plistPath(), []byte(RenderLaunchdPlist(exe, args, m.LogDir)), 0o644); err != nil {
		return err
	}
	return m.ctl("load", "-w", m.plistPath())
}

func (m Launchd) Uninstall() error {
	if _, err := os.Stat(m.plistPath()); errors.Is(err, fs.ErrNotExist) {
		return ErrNotInstalled
	}
	m.Run("launchctl", "unload", "-w", m.plistPath())
	return os.Remove(m.plistPath())
}

// Program is the plist's text (its ProgramArguments name the executable).
func (m Launchd) Program() (string, error) {
	b, err := os.ReadFile(m.plistPath())
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNotInstalled
	}
	return string(b), err
}

func (m Launchd) Start() error { return m.ctl("start", LaunchdLabel) }
func (m Launchd) Stop() error  { return m.ctl("stop", LaunchdLabel) }

func (m Launchd) Status() (string, error) {
	if _, err := os.Stat(m.plistPath()); errors.Is(err, fs.ErrNotExist) {
		return "not installed", nil
	}
	out, err := m.Run("launchctl", "list", LaunchdLabel)
	if err != nil {
		return "installed, not loaded", nil
	}
	if strings.Contains(string(out), `"PID" =`) {
		return "running", nil
	}
	return "stopped", nil
}

func (m Launchd) ctl(args ...string) error {
	if out, err := m.Run("launchctl", args...); err != nil {
		return fmt.Errorf("launchctl %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
