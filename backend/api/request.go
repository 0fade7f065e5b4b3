package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
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
	if st := accounts.StatusOf(err); st != 0 {
		return st
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
	var inUse *execution.JobInUseError
	if errors.As(err, &inUse) {
		writeJSON(w, status, jobInUseBody{Error: msg, Schedules: inUse.Schedules})
		return
	}
	writeError(w, status, msg)
}

// intQuery reads an optional integer query parameter. Text that is not an
// integer reads as console.NotAnInteger, which every console rule refuses,
// so the client gets the rule's one message for both.
func intQuery(q url.Values, name string) *int {
	v := q.Get(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		n = console.NotAnInteger
	}
	return &n
}

// pagingOf reads limit and offset; console.Paging checks them.
func pagingOf(q url.Values) console.Paging {
	return console.Paging{Limit: intQuery(q, "limit"), Offset: intQuery(q, "offset")}
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
			return nil, console.BodyTooLarge(int(limit))
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
	return console.DecodeJSON(body, v)
}

// caller is who made the request, for audit payloads: the account's
// username as actor, its sub and role (console.CallerOf).
func caller(r *http.Request) svcerr.Caller {
	id, ok := identity(r)
	if !ok {
		return svcerr.Caller{Actor: "operator", Source: r.Header.Get("X-Kanade-Source")}
	}
	return console.CallerOf(id)
}

func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

func asAccountsError(err error, target **accounts.Error) bool { return errors.As(err, target) }
