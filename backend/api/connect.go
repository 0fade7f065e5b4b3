package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/console"
)

// The "Connect agents" guide: where agents connect (with the NATS token, so
// only behind auth like every /api/ route) and the demo fleet.

func (s *Server) connectInfo(w http.ResponseWriter, r *http.Request) {
	info, err := s.console.ConnectInfo(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) demoStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.console.DemoStatus())
}

func (s *Server) startDemo(w http.ResponseWriter, r *http.Request) {
	var req console.DemoStart
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.console.StartDemo(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("demo fleet started from the UI", "agents", req.Agents, "by", caller(r).Actor)
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) stopDemo(w http.ResponseWriter, r *http.Request) {
	st, err := s.console.StopDemo(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
