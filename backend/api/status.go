package api

import (
	"net/http"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func (s *Server) jetstreamStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.console.JetStreamStatus(r.Context()))
}

// fleetHealth answers 503 with the same body when degraded, like 0.29.
func (s *Server) fleetHealth(w http.ResponseWriter, r *http.Request) {
	h := s.console.FleetHealth(r.Context())
	status := http.StatusOK
	if h.Status == "degraded" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.console.Status(r.Context()))
}
