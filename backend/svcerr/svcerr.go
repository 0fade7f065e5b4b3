// Package svcerr is the vocabulary the console's services share with their
// callers: the kinds of error a service method returns and who called it.
// It imports nothing of ours, so the scheduler, the execution service, the
// console and both front doors can use it without depending on each other.
// The front doors decide what a kind means to them (the HTTP API maps it to
// kanade 0.29's status codes in backend/api).
package svcerr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the front doors.
type Kind int

const (
	KindInternal       Kind = iota
	KindInvalid             // bad input
	KindNotFound            // no such thing
	KindConflict            // e.g. a job still referenced by a schedule
	KindUnavailable         // a bucket or store is missing, NATS down
	KindBadGateway          // publishing to NATS failed, agent unreachable
	KindTimeout             // no answer from the agent in time
	KindGatewayTimeout      // an agent request/reply timed out
	KindUnprocessable       // a body of the wrong shape (e.g. a key 0.29 refuses)
	KindTooLarge            // a request body over its limit
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

// New returns an Error of kind wrapping err (may be nil) with a formatted
// message.
func New(kind Kind, err error, format string, args ...any) *Error {
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

// Caller is who asked: the audit actor ("operator" for people, "scheduler"
// for fires) plus, for HTTP callers, the token subject and X-Kanade-Source.
type Caller struct {
	Actor  string
	Sub    string
	Source string
	Role   string
}

// Operator is a caller without auth details (the desktop app's own user).
var Operator = Caller{Actor: "operator", Source: "desktop", Role: "admin"}

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
