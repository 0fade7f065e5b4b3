package app

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
)

// JSONError is the error every bound method returns: its message is the
// JSON {"status": N, "error": "..."} the SPA's Wails transport parses into
// an ApiError with that HTTP status. A refused job delete also names the
// schedules, like the HTTP 409 body; a 403 the required and the caller's
// role, like the HTTP 403 body.
type JSONError struct {
	Status    int      `json:"status"`
	Message   string   `json:"error"`
	Schedules []string `json:"schedules,omitempty"`
	Required  string   `json:"required,omitempty"`
	Role      string   `json:"role,omitempty"`
	// RetryAfter is a 429's wait in seconds (HTTP sends it as Retry-After).
	RetryAfter int `json:"retry_after,omitempty"`
}

func (e *JSONError) Error() string {
	b, err := json.Marshal(e)
	if err != nil { // cannot happen for a string and an int
		return fmt.Sprintf(`{"status":%d,"error":"unprintable error"}`, e.Status)
	}
	return string(b)
}

// toJSONError maps any error to the SPA's contract with kanade 0.29's
// status codes (api.HTTPStatus), like the HTTP API does.
func toJSONError(err error) *JSONError {
	var je *JSONError
	if errors.As(err, &je) {
		return je
	}
	msg := err.Error()
	if errors.Is(err, store.ErrNotFound) {
		msg = "not found"
	}
	je = &JSONError{Status: api.HTTPStatus(err), Message: msg}
	var inUse *svcerr.JobInUseError
	if errors.As(err, &inUse) {
		je.Schedules = inUse.Schedules
	}
	return je
}

// invalid is a 400 for a request error only the bindings can find.
func invalid(format string, args ...any) error {
	return &svcerr.Error{Kind: svcerr.KindInvalid, Msg: fmt.Sprintf(format, args...)}
}

// need refuses a missing path parameter, like the HTTP mux that never
// routes an empty one.
func need(name, v string) error {
	if v == "" {
		return invalid("missing %s", name)
	}
	return nil
}
