package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/store"
)

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	aq := store.AuditQuery{Actor: q.Get("actor"), Action: q.Get("action"), Page: p}
	if aq.Since, err = timeParam(r, "since"); err != nil {
		s.fail(w, r, err)
		return
	}
	if aq.Until, err = timeParam(r, "until"); err != nil {
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
	p, err := page(r)
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
