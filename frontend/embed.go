// Package frontend embeds the built single-page app (frontend/dist) so that
// both the Wails desktop shell and the headless HTTP server can serve it.
//
// Build the SPA with `npm ci && npm run build` in this directory before
// building the Go binaries. On a fresh clone dist/ only holds the committed
// .gitkeep, which keeps the embed pattern valid so that `go vet ./...` and
// `go test ./...` work without Node; Dist() then has no index.html.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built SPA as a file system rooted at dist/ (index.html,
// assets/...). It also contains the empty placeholder file ".gitkeep".
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub only fails for an invalid path; "dist" is valid.
		panic("frontend: " + err.Error())
	}
	return sub
}

// Built reports whether Dist holds a built SPA (an index.html), as opposed to
// only the placeholder committed for fresh clones.
func Built() bool {
	_, err := fs.Stat(Dist(), "index.html")
	return err == nil
}
