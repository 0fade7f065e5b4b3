package api

import (
	"net/http"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
)

func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var body struct {
		execution.RunRequest
		// job_id: the pre-0.29 name of exec_id, still sent by older CLIs.
		JobID *string `json:"job_id"`
	}
	if err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	req := body.RunRequest
	if req.ExecID == nil {
		req.ExecID = body.JobID
	}
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

// runBody is POST /api/run's body: a RunRequest, with 0.29's job_id
// accepted for exec_id.
type runBody struct {
	execution.RunRequest
	JobID *string `json:"job_id"`
}
