//go:build desktop

package main

import (
	"errors"
	"io"
	"os"
	"runtime"
)

// runDesktop opens the Wails window. Until the desktop issue lands it only
// checks for a display and says what works today.
func runDesktop(_ []string, _ io.Writer) int {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return fail(errors.New("no display (DISPLAY/WAYLAND_DISPLAY unset); run `kanade-console serve` for the headless console"))
	}
	return fail(errors.New("the desktop window is not built yet; run `kanade-console serve` and open the printed URL"))
}
