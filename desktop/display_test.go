package desktop

import (
	"strings"
	"testing"
)

func TestNoDisplayPointsAtServe(t *testing.T) {
	none := func(string) string { return "" }
	if why := NoDisplay("linux", none); !strings.Contains(why, "kanade-console serve") || strings.Contains(why, "\n") {
		t.Errorf("linux without a display: %q", why)
	}
	for _, env := range []string{"DISPLAY", "WAYLAND_DISPLAY"} {
		get := func(k string) string {
			if k == env {
				return ":0"
			}
			return ""
		}
		answers := func(string) error { return nil }
		if why := noDisplay("linux", get, answers); why != "" {
			t.Errorf("%s set: %q", env, why)
		}
	}
	if why := NoDisplay("windows", none); why != "" {
		t.Errorf("windows: %q", why)
	}
	// A DISPLAY nobody answers at gets the same kind of message.
	stale := func(k string) string {
		if k == "DISPLAY" {
			return ":4711"
		}
		return ""
	}
	if why := NoDisplay("linux", stale); !strings.Contains(why, "cannot reach the X display :4711") || !strings.Contains(why, "serve") {
		t.Errorf("stale DISPLAY: %q", why)
	}
	if err := dialX11("nonsense"); err == nil {
		t.Error("dialX11 accepted a malformed DISPLAY")
	}
}
