package api

import (
	"encoding/json"
	"net/http"
)

// writeJSON sends v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errorBody is every /api error: {"error": "..."}.
// A 403 of the role or page check also names the role the route needs and
// the caller's.
type errorBody struct {
	Error    string `json:"error"`
	Required string `json:"required,omitempty" doc:"403: the role the route needs"`
	Role     string `json:"role,omitempty" doc:"403: the caller's role"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}
