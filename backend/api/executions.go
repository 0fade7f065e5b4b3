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
	q := r.URL.Query()
	lim := store.DetailLimits{
		Results:  intParam(q, "results_limit", store.FullDetail.Results),
		Inflight: intParam(q, "inflight_limit", store.FullDetail.Inflight),
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
