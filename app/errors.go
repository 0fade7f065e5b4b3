package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/store"
)

// JSONError is the error every bound method returns: its message is the
// JSON {"status": N, "error": "..."} the SPA's Wails transport parses into
// an ApiError with that HTTP status.
type JSONError struct {
	Status  int    `json:"status"`
	Message string `json:"error"`
}

func (e *JSONError) Error() string {
	b, err := json.Marshal(e)
	if err != nil { // cannot happen for a string and an int
		return fmt.Sprintf(`{"status":%d,"error":"unprintable error"}`, e.Status)
	}
	return string(b)
}

// statusError carries an explicit status for request errors the adapter
// itself finds (the HTTP front door answers them with the same codes).
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &statusError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func unprocessable(format string, args ...any) error {
	return &statusError{http.StatusUnprocessableEntity, fmt.Sprintf(format, args...)}
}

func tooLarge(format string, args ...any) error {
	return &statusError{http.StatusRequestEntityTooLarge, fmt.Sprintf(format, args...)}
}

// toJSONError maps any error to the SPA's contract with kanade 0.29's
// status codes (api.HTTPStatus), like the HTTP API does.
func toJSONError(err error) *JSONError {
	var je *JSONError
	if errors.As(err, &je) {
		return je
	}
	var se *statusError
	if errors.As(err, &se) {
		return &JSONError{Status: se.status, Message: se.msg}
	}
	msg := err.Error()
	if errors.Is(err, store.ErrNotFound) {
		msg = "not found"
	}
	return &JSONError{Status: api.HTTPStatus(err), Message: msg}
}
