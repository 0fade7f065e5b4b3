package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/service"
)

// runService is `kanade-console service ACTION`.
func runService(args []string, stdout, stderr io.Writer) error {
	cmd, err := service.ParseCommand(args)
	if err != nil {
		fmt.Fprint(stderr, service.Usage)
		return err
	}
	m, err := service.NewManager()
	if err != nil {
		return err
	}
	name := serviceName(runtime.GOOS)
	switch cmd.Action {
	case service.Install:
		serveArgs := service.ServiceArgs(runtime.GOOS, os.LookupEnv, cmd.ServeArgs)
		// A bad flag or config file shows now, not as a service that
		// fails to start.
		if _, err := config.ParseHost("serve", serveArgs[1:], config.SystemHost(), stderr); err != nil {
			return fmt.Errorf("service install: %w", err)
		}
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		if err := m.Install(exe, serveArgs, cmd.Replace); err != nil {
			return fmt.Errorf("service install: %w", err)
		}
		fmt.Fprintf(stdout, "installed %s: %s %s\nstart it with: kanade-console service start\n", name, exe, strings.Join(serveArgs, " "))
	case service.Uninstall:
		if cmd.IfOurs {
			program, perr := m.Program()
			exe, _ := os.Executable()
			if errors.Is(perr, service.ErrNotInstalled) || perr == nil && !service.Runs(program, exe) {
				fmt.Fprintf(stdout, "%s: not this console's, left alone\n", name)
				return nil
			}
		}
		err = m.Uninstall()
		if err == nil {
			fmt.Fprintf(stdout, "removed %s\n", name)
		}
	case service.Start:
		err = m.Start()
		if err == nil {
			fmt.Fprintf(stdout, "started %s\n", name)
		}
	case service.Stop:
		err = m.Stop()
		if err == nil {
			fmt.Fprintf(stdout, "stopped %s\n", name)
		}
	case service.Status:
		var st string
		st, err = m.Status()
		if err == nil {
			fmt.Fprintf(stdout, "%s: %s\n", name, st)
		}
	}
	if errors.Is(err, service.ErrNotInstalled) {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err != nil {
		return fmt.Errorf("service %s: %w", cmd.Action, err)
	}
	return nil
}

func serviceName(goos string) string {
	switch goos {
	case "windows":
		return "service " + service.WindowsName
	case "darwin":
		return "launchd daemon " + service.LaunchdLabel
	}
	return "systemd unit " + service.SystemdUnit
}
