package api

import (
	"net/http"
	"time"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/execution"
)

func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var body console.RunBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	req := body.Request()
	s.holdFor(w, runWait(req))
	res, err := s.console.Run(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// runWait is how long POST /api/run may wait for the agent: its
// timeout_secs (0.29's default when absent) and the grace the service adds.
func runWait(req execution.RunRequest) time.Duration {
	secs := uint64(execution.DefaultRunTimeout)
	if req.TimeoutSecs != nil && *req.TimeoutSecs <= 604800 {
		secs = *req.TimeoutSecs
	}
	return time.Duration(secs)*time.Second + time.Minute
}
