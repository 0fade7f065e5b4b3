package api

import (
	"net/http"
	"strconv"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/wire"
)

func (s *Server) listSchedules(w http.ResponseWriter, r *http.Request) {
	serveAll(s, w, r, s.console.ListSchedules)
}

func (s *Server) upsertSchedule(w http.ResponseWriter, r *http.Request) {
	var sch wire.Schedule
	if isYAML(mediaType(r)) {
		body, err := readBody(w, r, maxBody)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if sch, err = console.ScheduleYAML(body); err != nil {
			s.fail(w, r, err)
			return
		}
	} else if err := decodeJSON(w, r, &sch); err != nil {
		s.fail(w, r, err)
		return
	}
	resp, err := s.console.UpsertSchedule(r.Context(), sch, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) deleteSchedule(w http.ResponseWriter, r *http.Request) {
	if err := s.console.DeleteSchedule(r.Context(), r.PathValue("id"), caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) disableSchedule(w http.ResponseWriter, r *http.Request) {
	cascade := false
	if v := r.URL.Query().Get("cascade"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.fail(w, r, badRequest("cascade must be true or false"))
			return
		}
		cascade = b
	}
	if err := s.console.DisableSchedule(r.Context(), r.PathValue("id"), cascade, caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) cronNext(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	resp, err := s.console.CronNext(q.Get("cron"), intQuery(q, "n"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}
