package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/store"
)

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query, err := console.AgentsRequest{Paging: pagingOf(q), Q: q.Get("q"), Status: q.Get("status"), Group: q.Get("group")}.Query(allRows)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if query.Limit < 0 {
		s.holdFor(w, s.timeouts.Long) // a whole fleet to a slow client
		var st *arrayStream
		err := s.console.EachAgent(r.Context(), query, func(total int) { st = startStream(w, total, "[") }, func(a store.AgentRow) error { return st.add(a) })
		if err == nil && st != nil {
			err = st.end("]")
		}
		switch {
		case err != nil && st == nil:
			s.fail(w, r, err)
		case err != nil:
			s.abortStream(r, err)
		}
		return
	}
	rows, total, err := s.console.ListAgents(r.Context(), query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) getAgent(w http.ResponseWriter, r *http.Request) {
	row, err := s.console.GetAgent(r.Context(), r.PathValue("pc_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, row)
}

func (s *Server) getAgentGroups(w http.ResponseWriter, r *http.Request) {
	g, err := s.console.AgentGroups(r.Context(), r.PathValue("pc_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) putAgentGroups(w http.ResponseWriter, r *http.Request) {
	var body groupsBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.console.SetAgentGroups(r.Context(), r.PathValue("pc_id"), body.Groups, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) addAgentGroup(w http.ResponseWriter, r *http.Request) {
	var body groupBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.console.ChangeAgentGroup(r.Context(), r.PathValue("pc_id"), body.Group, true, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) removeAgentGroup(w http.ResponseWriter, r *http.Request) {
	g, err := s.console.ChangeAgentGroup(r.Context(), r.PathValue("pc_id"), r.PathValue("group"), false, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) effectiveConfig(w http.ResponseWriter, r *http.Request) {
	eff, err := s.console.EffectiveConfig(r.Context(), r.PathValue("pc_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, eff)
}

func (s *Server) pingAgent(w http.ResponseWriter, r *http.Request) {
	wait, err := console.PingWait(intQuery(r.URL.Query(), "wait_secs"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.holdFor(w, wait)
	hb, err := s.console.Ping(r.Context(), r.PathValue("pc_id"), wait)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, console.PingResponse{Heartbeat: hb})
}

func (s *Server) agentLogs(w http.ResponseWriter, r *http.Request) {
	tail, err := console.LogTail(intQuery(r.URL.Query(), "tail"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text, err := s.console.Logs(r.Context(), r.PathValue("pc_id"), tail)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(text))
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	serveAll(s, w, r, s.console.ListGroups)
}

// Bodies and answers of the agent routes, named for /api/openapi.json.
type (
	groupsBody struct {
		Groups []string `json:"groups"`
	}
	groupBody struct {
		Group string `json:"group"`
	}
)
