//go:build !bindings

package app

// GeneratingBindings is true only in the `wails generate module` build.
const GeneratingBindings = false
