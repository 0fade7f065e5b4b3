package api

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// serveSPA serves the embedded frontend: an exact file when it exists, a real
// 404 for a missing hashed asset (a stale tab must see the failure, not HTML
// in place of JavaScript; nor may a browser get HTML as its favicon), and index.html for every other path so client
// routes survive a reload.
func (s *Server) serveSPA(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name != "" && !strings.HasPrefix(path.Base(name), ".") {
		if data, err := fs.ReadFile(s.spa, name); err == nil {
			if ct := contentType(name); ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			w.Write(data)
			return
		}
	}
	if strings.HasPrefix(name, "assets/") || name == "favicon.ico" {
		http.NotFound(w, r)
		return
	}
	index, err := fs.ReadFile(s.spa, "index.html")
	if errors.Is(err, fs.ErrNotExist) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("kanade console: the web UI was not built into this binary; run `make build` (or `npm ci && npm run build` in frontend/) and rebuild.\nThe API is available under /api/.\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(index)
}

// contentType is the type of an embedded file. Go's built-in table has no
// .ico and the system's (/etc/mime.types, the Windows registry) may lack it:
// the favicon must never depend on the host.
func contentType(name string) string {
	if path.Ext(name) == ".ico" {
		return "image/x-icon"
	}
	return mime.TypeByExtension(path.Ext(name))
}
