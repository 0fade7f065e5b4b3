package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// scopeKey maps a config route to its agent_config key.
func scopeKey(r *http.Request) string {
	switch {
	case r.PathValue("name") != "":
		return wire.ConfigKeyGroup(r.PathValue("name"))
	case r.PathValue("pc_id") != "":
		return wire.ConfigKeyPC(r.PathValue("pc_id"))
	}
	return wire.ConfigKeyGlobal
}

func (s *Server) getConfig(w http.ResponseWriter, r *http.Request) {
	scope, err := s.console.ConfigScope(r.Context(), scopeKey(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, scope)
}

func (s *Server) putConfig(w http.ResponseWriter, r *http.Request) {
	var scope wire.ConfigScope
	if err := decodeJSON(w, r, &scope); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.console.PutConfigScope(r.Context(), scopeKey(r), scope, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteConfig(w http.ResponseWriter, r *http.Request) {
	if err := s.console.DeleteConfigScope(r.Context(), scopeKey(r), caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}
