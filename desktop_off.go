//go:build !desktop && !bindings

package main

import (
	"errors"
	"io"
)

// runDesktop in a headless-only build (plain `go build`, CGO_ENABLED=0)
// explains what to run instead.
func runDesktop(_ []string, _ io.Writer) int {
	return fail(errors.New("this is a headless build without the desktop window; run `kanade-console serve` (see `kanade-console help`)"))
}
