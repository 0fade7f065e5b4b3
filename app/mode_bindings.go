//go:build bindings

package app

// GeneratingBindings is true in the binary `wails generate module` builds
// (tag "bindings"): wails.Run then writes frontend/wailsjs and returns, so
// the desktop entry point must skip everything that needs a display or
// starts the console.
const GeneratingBindings = true
