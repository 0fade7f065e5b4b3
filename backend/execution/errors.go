// Package execution is the console's write side toward agents: exec fan-out
// (all, groups, pcs, durable waves), kill, revoke, the job and schedule
// catalogs with their cascades, ad-hoc run and ping. Both front doors (HTTP
// and Wails) call these methods; nothing here knows about either.
package execution

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kanade-console/kanade-console/backend/store"
)

// Kind classifies an error for the front doors, which map it to a status
// code (kanade 0.29's codes) or a UI message.
type Kind int

const (
	KindInternal       Kind = iota
	KindInvalid             // 400: bad input
	KindNotFound            // 404
	KindConflict            // 409: e.g. a job still referenced by a schedule
	KindUnavailable         // 503: a bucket or store is missing, NATS down
	KindBadGateway          // 502: publishing to NATS failed, agent unreachable
	KindTimeout             // 408: no answer from the agent in time
	KindGatewayTimeout      // 504: an agent request/reply timed out
	KindUnprocessable       // 422: a body of the wrong shape (e.g. a key 0.29 refuses)
	KindTooLarge            // 413: a request body over its limit
)

// Error is an error with a Kind and an operator-readable message.
type Error struct {
	Kind Kind
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// JobInUseError refuses a job delete while schedules still name the job.
// The front doors answer its message and, for clients that link to them,
// the schedules as a list (409 {"error", "schedules"}).
type JobInUseError struct {
	JobID     string
	Schedules []string
}

func (e *JobInUseError) Error() string {
	return fmt.Sprintf("job %s is referenced by schedule(s) %s; delete or change them first", e.JobID, strings.Join(e.Schedules, ", "))
}

func newErr(kind Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Err: err}
}

// KindOf reports the Kind of err (KindInternal for plain errors).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// HTTPStatus maps an error to kanade 0.29's status codes; both front doors
// use it (the HTTP API as the response status, the Wails bindings inside
// their JSON error).
func HTTPStatus(err error) int {
	if errors.Is(err, store.ErrNotFound) {
		return http.StatusNotFound
	}
	if errors.Is(err, store.ErrInvalidFilter) {
		return http.StatusBadRequest
	}
	switch KindOf(err) {
	case KindInvalid:
		return http.StatusBadRequest
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindUnavailable:
		return http.StatusServiceUnavailable
	case KindBadGateway:
		return http.StatusBadGateway
	case KindTimeout:
		return http.StatusRequestTimeout
	case KindGatewayTimeout:
		return http.StatusGatewayTimeout
	case KindUnprocessable:
		return http.StatusUnprocessableEntity
	case KindTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}
