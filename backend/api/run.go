package api

import (
	"net/http"

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
	res, err := s.console.Run(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
