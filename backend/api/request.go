package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Body limits: agent binaries may be 64 MiB (0.29's limit); every other body
// is small.
const (
	maxBody        = 1 << 20
	maxPublishBody = execution.MaxReleaseBytes + 1<<20 // multipart overhead
)

// httpError is an error with its status; handlers return it through fail.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// statusOf maps service errors to kanade 0.29's status codes.
func statusOf(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.status
	}
	return HTTPStatus(err)
}

// fail writes err as {"error": ...} with its status.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	msg := err.Error()
	if errors.Is(err, store.ErrNotFound) {
		msg = "not found"
	}
	if store.IsCorrupt(err) {
		// Not the request's fault, and not a mystery: say what to do.
		s.console.Store().NoteError(err)
		status = http.StatusServiceUnavailable
		msg = "the console's database file is damaged (" + err.Error() + "); restart the console with --rebuild to rebuild it from the streams"
	}
	if status >= 500 {
		s.log.Warn("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	writeError(w, status, msg)
}

// intParam reads an optional integer parameter whose range the service
// checks; text that is not an integer reads as -1, which every such range
// refuses, so the caller gets the service's one message for both.
func intParam(q url.Values, name string, def int) int {
	v := q.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// page reads limit (default 50, at most 1000) and offset.
func page(r *http.Request) (store.Page, error) {
	p := store.Page{Limit: 50}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, badRequest("limit must be a non-negative integer")
		}
		p.Limit = min(n, 1000)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, badRequest("offset must be a non-negative integer")
		}
		p.Offset = n
	}
	return p, nil
}

// timeParam reads an RFC 3339 query parameter.
func timeParam(r *http.Request, name string) (*time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	t, err := wire.ParseTime(v)
	if err != nil {
		return nil, badRequest("%s must be an RFC 3339 timestamp", name)
	}
	return &t, nil
}

// writeList sends a page: the plain array like 0.29, the total in a header.
func writeList[T any](w http.ResponseWriter, items []T, total int) {
	if items == nil {
		items = []T{}
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if total >= store.CountCap {
		w.Header().Set("X-Total-Count-Capped", "true")
	}
	writeJSON(w, http.StatusOK, items)
}

// readBody reads a request body under a size limit (413 above it).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", limit)}
		}
		return nil, badRequest("reading the body: %v", err)
	}
	return body, nil
}

func mediaType(r *http.Request) string {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.ToLower(mt)
}

func isYAML(mt string) bool {
	switch mt {
	case "application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml":
		return true
	}
	return false
}

// decodeJSON reads a JSON body into v with 0.29's codes: 415 without a JSON
// content type, 400 for malformed JSON, 422 for JSON of the wrong shape.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if mt := mediaType(r); mt != "application/json" {
		return &httpError{http.StatusUnsupportedMediaType, "expected Content-Type: application/json"}
	}
	body, err := readBody(w, r, maxBody)
	if err != nil {
		return err
	}
	return unmarshalBody(body, v)
}

func unmarshalBody(body []byte, v any) error {
	if !json.Valid(body) {
		return badRequest("malformed JSON body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return &httpError{http.StatusUnprocessableEntity, "invalid body: " + err.Error()}
	}
	return nil
}

// caller is who made the request, for audit payloads.
func caller(r *http.Request) svcerr.Caller {
	c := svcerr.Caller{Actor: "operator", Source: r.Header.Get("X-Kanade-Source")}
	if id, ok := r.Context().Value(identityKey{}).(string); ok {
		c.Sub = id
	}
	return c
}

type identityKey struct{}

func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
