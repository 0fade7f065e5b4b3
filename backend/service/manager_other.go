//go:build !windows

package service

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
)

// NewManager is this OS's service manager.
func NewManager() (Manager, error) {
	run := func(name string, args ...string) ([]byte, error) { return exec.Command(name, args...).CombinedOutput() }
	switch runtime.GOOS {
	case "linux":
		return Systemd{Dir: "/etc/systemd/system", Run: run}, nil
	case "darwin":
		return Launchd{Dir: "/Library/LaunchDaemons", LogDir: "/Library/Logs/kanade-console", Run: run}, nil
	}
	return nil, fmt.Errorf("service: not supported on %s", runtime.GOOS)
}

// IsService reports whether the Windows SCM started this process; never
// elsewhere (systemd and launchd run serve as a plain process).
func IsService() bool { return false }

// Run is for the Windows SCM only.
func Run(func(context.Context) error) error {
	return errors.New("service: not started by the Windows Service Control Manager")
}
