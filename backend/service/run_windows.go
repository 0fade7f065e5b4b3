//go:build windows

package service

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
)

// IsService reports whether the Windows Service Control Manager started
// this process (0.29 asks the same before falling back to console mode).
func IsService() bool {
	ok, err := svc.IsWindowsService()
	return err == nil && ok
}

// Run serves the SCM until it says stop: run gets a context that is
// cancelled on Stop or Shutdown (the same drain as SIGTERM) and the SCM
// sees the service stopped when run returns. A run that fails is reported
// to the event log and as a service-specific exit code, so the recovery
// actions restart it.
func Run(run func(ctx context.Context) error) error {
	h := &handler{run: run}
	if err := svc.Run(WindowsName, h); err != nil {
		return err
	}
	return h.err
}

type handler struct {
	run func(ctx context.Context) error
	err error
}

func (h *handler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- supervise(h.run, stop) }()
	running := svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	status <- running
	for {
		select {
		case err := <-done:
			return h.finish(err)
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				if stop == nil {
					continue // already stopping
				}
				// The console drains within 10 s; the hint covers that.
				status <- svc.Status{State: svc.StopPending, WaitHint: uint32((20 * time.Second).Milliseconds())}
				close(stop)
				stop = nil
			}
		}
	}
}

func (h *handler) finish(err error) (bool, uint32) {
	h.err = err
	if err == nil {
		return false, 0
	}
	if l, lerr := eventlog.Open(WindowsName); lerr == nil {
		l.Error(1, fmt.Sprintf("kanade console stopped: %v", err))
		l.Close()
	}
	return true, 1
}
