//go:build windows

package service

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
	"golang.org/x/sys/windows/svc/mgr"
)

// NewManager is the Windows Service Control Manager.
func NewManager() (Manager, error) { return scm{}, nil }

type scm struct{}

func (scm) connect() (*mgr.Mgr, error) {
	m, err := mgr.Connect()
	if err != nil {
		return nil, fmt.Errorf("service control manager: %w (run as Administrator)", err)
	}
	return m, nil
}

func (s scm) open() (*mgr.Mgr, *mgr.Service, error) {
	m, err := s.connect()
	if err != nil {
		return nil, nil, err
	}
	svcHandle, err := m.OpenService(WindowsName)
	if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		m.Disconnect()
		return nil, nil, ErrNotInstalled
	}
	if err != nil {
		m.Disconnect()
		return nil, nil, err
	}
	return m, svcHandle, nil
}

func (s scm) Install(exe string, args []string, replace bool) error {
	m, err := s.connect()
	if err != nil {
		return err
	}
	defer m.Disconnect()
	if existing, err := m.OpenService(WindowsName); err == nil {
		defer existing.Close()
		if !replace {
			return fmt.Errorf("service %s exists (kanade-backend 0.29?): stop it and run 'kanade-console service install --replace', or 'kanade-console service uninstall' first", WindowsName)
		}
		c, err := existing.Config()
		if err != nil {
			return err
		}
		if old, err := windows.DecomposeCommandLine(c.BinaryPathName); err == nil && len(old) > 0 {
			args = CarryConfig(old[1:], args)
		}
		c.BinaryPathName = commandLine(exe, args)
		c.DisplayName, c.Description = DisplayName, Description
		c.StartType = mgr.StartAutomatic
		if err := existing.UpdateConfig(c); err != nil {
			return err
		}
		return setRecovery(existing)
	}
	created, err := m.CreateService(WindowsName, exe, mgr.Config{
		DisplayName: DisplayName, Description: Description, StartType: mgr.StartAutomatic,
	}, args...)
	if err != nil {
		return err
	}
	defer created.Close()
	// The event source lets start failures reach the Application log; a
	// source left by an earlier install is fine.
	eventlog.InstallAsEventCreate(WindowsName, eventlog.Error|eventlog.Warning|eventlog.Info)
	return setRecovery(created)
}

// commandLine is the service's ImagePath, quoted as CreateService does.
func commandLine(exe string, args []string) string {
	s := syscall.EscapeArg(exe)
	for _, a := range args {
		s += " " + syscall.EscapeArg(a)
	}
	return s
}

// setRecovery restarts the service 5 s after a failure (a start that
// cannot reach NATS or bind its port exits non-zero).
func setRecovery(s *mgr.Service) error {
	actions := []mgr.RecoveryAction{
		{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 30 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 60 * time.Second},
	}
	if err := s.SetRecoveryActions(actions, 24*60*60); err != nil {
		return fmt.Errorf("recovery actions: %w", err)
	}
	return s.SetRecoveryActionsOnNonCrashFailures(true)
}

func (s scm) Uninstall() error {
	m, service, err := s.open()
	if err != nil {
		return err
	}
	defer m.Disconnect()
	defer service.Close()
	if st, err := service.Query(); err == nil && st.State != svc.Stopped {
		stopAndWait(service)
	}
	if err := service.Delete(); err != nil {
		return err
	}
	eventlog.Remove(WindowsName)
	return nil
}

func (s scm) Program() (string, error) {
	m, service, err := s.open()
	if err != nil {
		return "", err
	}
	defer m.Disconnect()
	defer service.Close()
	c, err := service.Config()
	if err != nil {
		return "", err
	}
	return c.BinaryPathName, nil
}

func (s scm) Start() error {
	m, service, err := s.open()
	if err != nil {
		return err
	}
	defer m.Disconnect()
	defer service.Close()
	return service.Start()
}

func (s scm) Stop() error {
	m, service, err := s.open()
	if err != nil {
		return err
	}
	defer m.Disconnect()
	defer service.Close()
	return stopAndWait(service)
}

// stopAndWait asks the service to stop and waits (at most 30 s) until the
// SCM reports it stopped: the console drains within its 10 s grace.
func stopAndWait(service *mgr.Service) error {
	st, err := service.Control(svc.Stop)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for st.State != svc.Stopped {
		if time.Now().After(deadline) {
			return fmt.Errorf("service %s still %s after 30 s", WindowsName, stateName(st.State))
		}
		time.Sleep(300 * time.Millisecond)
		if st, err = service.Query(); err != nil {
			return err
		}
	}
	return nil
}

func (s scm) Status() (string, error) {
	m, service, err := s.open()
	if errors.Is(err, ErrNotInstalled) {
		return "not installed", nil
	}
	if err != nil {
		return "", err
	}
	defer m.Disconnect()
	defer service.Close()
	st, err := service.Query()
	if err != nil {
		return "", err
	}
	c, err := service.Config()
	if err != nil {
		return stateName(st.State), nil
	}
	return fmt.Sprintf("%s (%s)", stateName(st.State), c.BinaryPathName), nil
}

func stateName(s svc.State) string {
	switch s {
	case svc.Stopped:
		return "stopped"
	case svc.StartPending:
		return "starting"
	case svc.StopPending:
		return "stopping"
	case svc.Running:
		return "running"
	case svc.ContinuePending:
		return "continuing"
	case svc.PausePending:
		return "pausing"
	case svc.Paused:
		return "paused"
	}
	return fmt.Sprintf("state %d", s)
}
