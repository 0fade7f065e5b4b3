package app

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/console"
)

// The bindings refuse bad ids and over-long filters with the HTTP API's 400
// (the same console checks), not a NATS or SQLite error.
func TestBindingsRefuseBadIDsAndLongFilters(t *testing.T) {
	a, _, _ := startParity(t)
	calls := map[string]func() error{
		"DeleteJob":      func() error { return a.DeleteJob(IDRequest{ID: "../x"}) },
		"KillJob":        func() error { return a.KillJob(JobRequest{JobID: "../x"}) },
		"RevokeScript":   func() error { return a.RevokeScript(CmdRequest{CmdID: "a b"}) },
		"DeleteSchedule": func() error { return a.DeleteSchedule(IDRequest{ID: "x..y"}) },
		"GetAgentGroups": func() error { _, err := a.GetAgentGroups(PcRequest{PCID: "../x"}); return err },
		"GetGroupConfig": func() error { _, err := a.GetGroupConfig(GroupRequest{Name: "../x"}); return err },
		"ListAgents q": func() error {
			_, err := a.ListAgents(console.AgentsRequest{Q: strings.Repeat("a", 50_000)})
			return err
		},
		"ListResults q": func() error { _, err := a.ListResults(console.ResultsRequest{Q: strings.Repeat("a", 300)}); return err },
	}
	for name, call := range calls {
		err := call()
		var je *JSONError
		if !errors.As(err, &je) || je.Status != http.StatusBadRequest {
			t.Errorf("%s: %v, want a 400", name, err)
		}
	}
}
