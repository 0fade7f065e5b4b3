package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/console"
)

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	aq, err := console.AuditRequest{Paging: pagingOf(q), Actor: q.Get("actor"), Action: q.Get("action"), Since: q.Get("since"), Until: q.Get("until")}.Query()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, total, err := s.console.ListAudit(r.Context(), aq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) listDeadLetters(w http.ResponseWriter, r *http.Request) {
	p, err := pagingOf(r.URL.Query()).Page(console.DefaultLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, total, err := s.console.ListDeadLetters(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}
