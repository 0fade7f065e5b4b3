package api

import (
	"context"
	"net/http"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// serveAll answers a list the service returns whole (catalog-sized lists:
// jobs, schedules, releases, inventory probes): every row without limit,
// like 0.29, else the page (list.go).
func serveAll[T any](s *Server, w http.ResponseWriter, r *http.Request, fetch func(context.Context) ([]T, error)) {
	p, err := pageOrAll(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := fetch(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	streamSlice(s, w, r, all, p)
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	serveAll(s, w, r, s.console.ListJobRows)
}

// manifestBody reads a Manifest as JSON or, like kanade 0.32, YAML.
func manifestBody(w http.ResponseWriter, r *http.Request) (wire.Manifest, error) {
	var m wire.Manifest
	mt := mediaType(r)
	if !isYAML(mt) {
		return m, decodeJSON(w, r, &m)
	}
	body, err := readBody(w, r, maxBody)
	if err != nil {
		return m, err
	}
	return console.ManifestYAML(body)
}

func (s *Server) upsertJob(w http.ResponseWriter, r *http.Request) {
	m, err := manifestBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp, err := s.console.UpsertJob(r.Context(), m, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) deleteJob(w http.ResponseWriter, r *http.Request) {
	if err := s.console.DeleteJob(r.Context(), r.PathValue("id"), caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) killJob(w http.ResponseWriter, r *http.Request) {
	if err := s.console.KillJob(r.Context(), r.PathValue("job_id"), caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) scriptStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.console.ScriptStatus(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) revokeScript(w http.ResponseWriter, r *http.Request)   { s.setScript(w, r, true) }
func (s *Server) unrevokeScript(w http.ResponseWriter, r *http.Request) { s.setScript(w, r, false) }

func (s *Server) setScript(w http.ResponseWriter, r *http.Request, revoked bool) {
	if err := s.console.SetScriptStatus(r.Context(), r.PathValue("cmd_id"), revoked, caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) execJob(w http.ResponseWriter, r *http.Request) {
	var plan wire.FanoutPlan
	if err := decodeJSON(w, r, &plan); err != nil {
		s.fail(w, r, err)
		return
	}
	resp, err := s.console.Exec(r.Context(), r.PathValue("job_id"), plan, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}
