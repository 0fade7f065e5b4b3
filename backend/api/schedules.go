package api

import (
	"net/http"
	"strconv"
	"time"

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
		if sch, err = wire.ParseScheduleYAML(body); err != nil {
			s.fail(w, r, &httpError{http.StatusUnprocessableEntity, "invalid schedule YAML: " + err.Error()})
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
	expr := r.URL.Query().Get("cron")
	n := 5
	if v := r.URL.Query().Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > 100 {
			s.fail(w, r, badRequest("n must be 1-100"))
			return
		}
	}
	times, err := s.console.CronNext(expr, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cronNextResponse{expr, times})
}

// cronNextResponse is GET /api/cron/next's answer.
type cronNextResponse struct {
	Cron string      `json:"cron"`
	Next []time.Time `json:"next"`
}
