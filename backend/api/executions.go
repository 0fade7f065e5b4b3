package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/console"
)

func (s *Server) listExecutions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	eq, err := console.ExecutionsRequest{Paging: pagingOf(q), JobID: q.Get("job_id"), Status: q.Get("status")}.Query()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, total, err := s.console.ListExecutions(r.Context(), eq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) getExecution(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lim := console.DetailRequest{ResultsLimit: intQuery(q, "results_limit"), InflightLimit: intQuery(q, "inflight_limit")}.Limits()
	d, err := s.console.GetExecution(r.Context(), r.PathValue("exec_id"), lim)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) killExecution(w http.ResponseWriter, r *http.Request) {
	if err := s.console.KillExec(r.Context(), r.PathValue("exec_id"), caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}
