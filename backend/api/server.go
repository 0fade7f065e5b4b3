// Package api is the HTTP layer of `kanade-console serve`: thin handlers over
// the console's service methods, the embedded SPA, and the middleware around
// them. Handlers hold no business logic.
package api

import (
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/kanade-console/kanade-console/backend/console"
)

// Server holds what handlers need.
type Server struct {
	console *console.Console
	spa     fs.FS
	log     *slog.Logger
	mux     *http.ServeMux
}

// New builds the handler tree. spa is the built frontend (frontend.Dist()).
func New(c *console.Console, spa fs.FS, log *slog.Logger) *Server {
	s := &Server{console: c, spa: spa, log: log.With("component", "http"), mux: http.NewServeMux()}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /health", s.health)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)

	// Anything under /api/ that no route claimed is a JSON 404, never the SPA
	// (kanade 0.29 answered index.html with 200, which hid typos in scripts).
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API route: "+r.Method+" "+r.URL.Path)
	})
	s.mux.HandleFunc("/", s.serveSPA)
}

// ServeHTTP logs each request after it is served.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
