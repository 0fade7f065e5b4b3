// Package service runs the console as an OS service: under the Windows
// Service Control Manager as kanade-backend 0.29's KanadeBackend, as a
// systemd unit on Linux and a launchd daemon on macOS. It parses the
// `kanade-console service …` command, renders the unit files and talks to
// the service managers; the OS calls sit behind Manager and a command
// runner so the rules are tested on Linux.
package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Names of the service on each OS. WindowsName is 0.29's, so the console
// takes the place of an installed kanade-backend.
const (
	WindowsName  = "KanadeBackend"
	DisplayName  = "Kanade Backend (kanade console)"
	Description  = "kanade console: kanade endpoint-management backend (NATS JetStream, SQLite projection, web UI and /api/*)"
	SystemdUnit  = "kanade-console.service"
	LaunchdLabel = "dev.kanade.console"
)

// Action is what `kanade-console service ACTION` does.
type Action string

const (
	Install   Action = "install"
	Uninstall Action = "uninstall"
	Start     Action = "start"
	Stop      Action = "stop"
	Status    Action = "status"
)

// Command is a parsed `service` command line.
type Command struct {
	Action Action
	// ServeArgs are the `serve` flags the service starts with (install only).
	ServeArgs []string
	// Replace updates an existing service of the same name in place (an
	// installed kanade-backend 0.29) instead of refusing.
	Replace bool
	// IfOurs uninstalls only a service that runs this executable, so an
	// app uninstaller never removes kanade-backend 0.29's service.
	IfOurs bool
}

// Usage is the help text of `kanade-console service`.
const Usage = `usage:
  kanade-console service install [--replace] [serve flags]
  kanade-console service uninstall [--if-ours]
  kanade-console service start|stop|status

install registers "kanade-console serve [serve flags]" with the OS service
manager: the Windows service KanadeBackend (automatic start, restart on
failure), the systemd unit kanade-console.service, or the launchd daemon
dev.kanade.console. Without --data the service keeps its state in
%ProgramData%\Kanade\console, /var/lib/kanade-console or
/Library/Application Support/kanade-console. --replace updates an existing
KanadeBackend service (kanade-backend 0.29) to run the console instead.
`

// ErrUsage marks a malformed command line; the caller prints Usage.
var ErrUsage = errors.New("service: usage")

// ParseCommand reads the arguments after `service`.
func ParseCommand(args []string) (Command, error) {
	if len(args) == 0 {
		return Command{}, fmt.Errorf("%w: want install, uninstall, start, stop or status", ErrUsage)
	}
	c := Command{Action: Action(args[0])}
	rest := args[1:]
	switch c.Action {
	case Install:
		for _, a := range rest {
			switch a {
			case "--replace", "-replace":
				c.Replace = true
			default:
				c.ServeArgs = append(c.ServeArgs, a)
			}
		}
		return c, nil
	case Uninstall:
		for _, a := range rest {
			if a != "--if-ours" && a != "-if-ours" {
				return Command{}, fmt.Errorf("%w: service uninstall takes only --if-ours (got %q)", ErrUsage, a)
			}
			c.IfOurs = true
		}
		return c, nil
	case Start, Stop, Status:
		if len(rest) > 0 {
			return Command{}, fmt.Errorf("%w: service %s takes no arguments (got %q)", ErrUsage, c.Action, rest[0])
		}
		return c, nil
	}
	return Command{}, fmt.Errorf("%w: unknown action %q (want install, uninstall, start, stop or status)", ErrUsage, args[0])
}

// HasFlag reports whether args set the flag name (-name, --name, with or
// without =value).
func HasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimLeft(a, "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// DefaultDataDir is where an installed service keeps its state unless its
// flags say otherwise: a machine-wide directory, not the service account's
// profile.
func DefaultDataDir(goos string, env func(string) (string, bool)) string {
	switch goos {
	case "windows":
		pd := `C:\ProgramData`
		if v, ok := env("ProgramData"); ok && v != "" {
			pd = v
		}
		return pd + `\Kanade\console`
	case "darwin":
		return "/Library/Application Support/kanade-console"
	}
	return "/var/lib/kanade-console"
}

// ServiceArgs is the service's command line after the executable: serve,
// the given flags, and --data when they have none.
func ServiceArgs(goos string, env func(string) (string, bool), serveArgs []string) []string {
	args := append([]string{"serve"}, serveArgs...)
	if !HasFlag(serveArgs, "data") {
		args = append(args, "--data", DefaultDataDir(goos, env))
	}
	return slices.Clip(args)
}

// CarryConfig keeps the --config of a replaced service (kanade-backend
// 0.29 started with a non-default backend.toml, say): oldArgs is its
// command line after the executable. Flags given for the new service win.
func CarryConfig(oldArgs, newArgs []string) []string {
	if HasFlag(newArgs, "config") {
		return newArgs
	}
	for i, a := range oldArgs {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if !hasValue {
			if i+1 >= len(oldArgs) {
				break
			}
			value = oldArgs[i+1]
		}
		return append(slices.Clip(newArgs), "--config", value)
	}
	return newArgs
}

// supervise runs run until it returns, or until stop closes: then it
// cancels run's context (the drain SIGTERM starts in serve) and waits for
// run to finish. The Windows service handler drives it.
func supervise(run func(context.Context) error, stop <-chan struct{}) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	select {
	case err := <-done:
		return err
	case <-stop:
		cancel()
		return <-done
	}
}

// Manager installs and controls the console's service on one OS.
type Manager interface {
	Install(exe string, args []string, replace bool) error
	Uninstall() error
	Start() error
	Stop() error
	// Status is one line for an operator, e.g. "running" or "not installed".
	Status() (string, error)
	// Program is the installed service's command line (ErrNotInstalled
	// when there is none).
	Program() (string, error)
}

// Runs reports whether a service command line starts exe (paths compare
// without case: Windows paths are case-insensitive).
func Runs(program, exe string) bool {
	return exe != "" && strings.Contains(strings.ToLower(program), strings.ToLower(exe))
}

// ErrNotInstalled is returned when the service is not there.
var ErrNotInstalled = errors.New("service is not installed")
