package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/kanade-console/kanade-console/backend/execution"
)

func (s *Server) listReleases(w http.ResponseWriter, r *http.Request) {
	serveAll(s, w, r, s.console.ListReleases)
}

func (s *Server) deleteRelease(w http.ResponseWriter, r *http.Request) {
	if err := s.console.DeleteRelease(r.Context(), r.PathValue("version"), caller(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) rollout(w http.ResponseWriter, r *http.Request) {
	var req execution.RolloutRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	resp, err := s.console.Rollout(r.Context(), req, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// publish takes the agent binary from the multipart field "file" (64 MiB).
func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	if !s.acquireUpload(w) {
		return
	}
	defer s.releaseUpload()
	r.Body = http.MaxBytesReader(w, r.Body, maxPublishBody)
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, r, badRequest("expected a multipart/form-data body with a file field"))
		return
	}
	var data []byte
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.fail(w, r, bodyErr(err))
			return
		}
		if part.FormName() != "file" {
			continue // e.g. the legacy "version" field, read and ignored like 0.29
		}
		// One byte over the limit is enough for PublishRelease to refuse it.
		data, err = io.ReadAll(io.LimitReader(part, execution.MaxReleaseBytes+1))
		if err != nil {
			s.fail(w, r, bodyErr(err))
			return
		}
	}
	if data == nil {
		s.fail(w, r, badRequest("missing multipart field \"file\""))
		return
	}
	resp, err := s.console.PublishRelease(r.Context(), data, caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func bodyErr(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &httpError{http.StatusRequestEntityTooLarge, "request body too large"}
	}
	return badRequest("reading the upload: %v", err)
}
