package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/store"
)

func (s *Server) listExecutions(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	rows, total, err := s.console.ListExecutions(r.Context(), store.ExecutionQuery{JobID: q.Get("job_id"), Status: q.Get("status"), Page: p})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) getExecution(w http.ResponseWriter, r *http.Request) {
	lim := store.FullDetail
	q := r.URL.Query()
	var err error
	if lim.Results, err = boundedInt(q, "results_limit", lim.Results, 0, store.MaxExecutionResults); err != nil {
		s.fail(w, r, err)
		return
	}
	if lim.Inflight, err = boundedInt(q, "inflight_limit", lim.Inflight, 0, store.MaxExecutionResults); err != nil {
		s.fail(w, r, err)
		return
	}
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
