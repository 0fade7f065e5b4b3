package desktop

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/hostrun"
)

// NoDisplay reports why a window cannot open here ("" when it can): on
// Linux GTK needs an X11 or Wayland display, and initialising it without
// one panics inside Wails. An X11 DISPLAY (without Wayland) is also dialled,
// so a stale DISPLAY gets the same one-line answer.
func NoDisplay(goos string, getenv func(string) string) string {
	return noDisplay(goos, getenv, dialX11)
}

// noDisplay is NoDisplay with the X11 check given (tests pass one that
// answers without a server).
func noDisplay(goos string, getenv func(string) string, dial func(display string) error) string {
	if goos != "linux" {
		return ""
	}
	const serve = "; run `kanade-console serve` for the headless console (web UI and API over HTTP)"
	display, wayland := getenv("DISPLAY"), getenv("WAYLAND_DISPLAY")
	switch {
	case display == "" && wayland == "":
		return "no display (DISPLAY and WAYLAND_DISPLAY are unset)" + serve
	case wayland == "":
		if err := dial(display); err != nil {
			return fmt.Sprintf("cannot reach the X display %s (%v)", display, err) + serve
		}
	}
	return ""
}

// dialX11 checks that an X server answers at DISPLAY ([host]:N[.S]).
func dialX11(display string) error {
	host, rest, ok := strings.Cut(display, ":")
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 0 {
		return errors.New("not a [host]:display value")
	}
	if strings.HasPrefix(host, "/") { // a launchd-style socket path: trust it
		return nil
	}
	if host == "" || host == "unix" {
		path := "/tmp/.X11-unix/X" + num
		for _, addr := range []string{path, "@" + path} {
			if c, err := net.DialTimeout("unix", addr, 2*time.Second); err == nil {
				c.Close()
				return nil
			}
		}
		return fmt.Errorf("no X server socket %s", path)
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), 2*time.Second)
	if err != nil {
		return hostrun.UnwrapNetErr(err)
	}
	c.Close()
	return nil
}
