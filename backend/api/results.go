package api

import (
	"net/http"
	"strconv"

	"github.com/kanade-console/kanade-console/backend/store"
)

func (s *Server) listResults(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	rq := store.ResultQuery{PCID: q.Get("pc_id"), JobID: q.Get("job_id"), ExecID: q.Get("exec_id"), Status: q.Get("status"), Q: q.Get("q"), Page: p}
	if rq.Status != "" && rq.Status != "success" && rq.Status != "failure" {
		s.fail(w, r, badRequest("status must be success or failure"))
		return
	}
	if rq.Since, err = timeParam(r, "since"); err != nil {
		s.fail(w, r, err)
		return
	}
	if rq.Until, err = timeParam(r, "until"); err != nil {
		s.fail(w, r, err)
		return
	}
	if v := q.Get("preview"); v != "" {
		if rq.Preview, err = strconv.Atoi(v); err != nil || rq.Preview < 1 {
			s.fail(w, r, badRequest("preview must be a positive number of characters"))
			return
		}
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
