package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/console"
)

func (s *Server) listResults(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rq, err := console.ResultsRequest{
		Paging: pagingOf(q), PCID: q.Get("pc_id"), JobID: q.Get("job_id"), ExecID: q.Get("exec_id"), Status: q.Get("status"),
		Since: q.Get("since"), Until: q.Get("until"), Q: q.Get("q"), Preview: intQuery(q, "preview"),
	}.Query()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, total, err := s.console.ListResults(r.Context(), rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) getResult(w http.ResponseWriter, r *http.Request) {
	row, err := s.console.GetResult(r.Context(), r.PathValue("result_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, row)
}

func (s *Server) resultTail(w http.ResponseWriter, r *http.Request) {
	tail, err := s.console.ResultTail(r.Context(), r.PathValue("result_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tail)
}
