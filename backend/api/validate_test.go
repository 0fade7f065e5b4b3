package api

import (
	"net/http"
	"strings"
	"testing"
)

// Issue 16 item 8: a client's mistake is a 400 that says what is wrong,
// never a 5xx (was 502 "nats: invalid key" and 500 "LIKE pattern too
// complex").
func TestClientMistakesAre400(t *testing.T) {
	e := newEnv(t, 0)
	long := strings.Repeat("a", 50_000)
	longID := strings.Repeat("j", 256)
	cases := []struct {
		method, path, contentType, body, want string
	}{
		{"DELETE", "/api/jobs/..%2fx", "", "", "job_id"},
		{"DELETE", "/api/jobs/" + longID, "", "", "longer than 255"},
		{"POST", "/api/jobs/..%2fx/kill", "", "", "job_id"},
		{"POST", "/api/scripts/..%2fx/revoke", "", "", "job_id"},
		{"POST", "/api/scripts/a%20b/unrevoke", "", "", "job_id"},
		{"POST", "/api/exec/..%2fx", "application/json", `{"target":{"all":true}}`, "job_id"},
		{"DELETE", "/api/schedules/..%2fx", "", "", "schedule id"},
		{"POST", "/api/schedules/x..y/disable", "", "", "schedule id"},
		{"GET", "/api/agents/..%2fx", "", "", "pc_id"},
		{"GET", "/api/agents/..%2fx/groups", "", "", "pc_id"},
		{"PUT", "/api/agents/..%2fx/groups", "application/json", `{"groups":["a"]}`, "pc_id"},
		{"POST", "/api/agents/PC1/groups", "application/json", `{"group":"..\/x"}`, "group"},
		{"DELETE", "/api/agents/PC1/groups/..%2fx", "", "", "group"},
		{"GET", "/api/agents/..%2fx/effective_config", "", "", "pc_id"},
		{"POST", "/api/agents/..%2fx/ping?wait_secs=1", "", "", "pc_id"},
		{"GET", "/api/agents/..%2fx/logs", "", "", "pc_id"},
		{"GET", "/api/groups/..%2fx/config", "", "", "config scope"},
		{"PUT", "/api/pcs/..%2fx/config", "application/json", `{}`, "config scope"},
		{"DELETE", "/api/groups/.x/config", "", "", "config scope"},
		{"GET", "/api/inventory/by-job/..%2fx", "", "", "manifest_id"},
		{"GET", "/api/inventory/..%2fx", "", "", "pc_id"},
		{"DELETE", "/api/agents/releases/..%2fx", "", "", "version"},
		{"GET", "/api/agents?q=" + long, "", "", "q is 50000 characters"},
		{"GET", "/api/agents?group=" + long, "", "", "group"},
		{"GET", "/api/results?q=" + long, "", "", "q"},
		{"GET", "/api/results?pc_id=" + long, "", "", "pc_id"},
		{"GET", "/api/executions?job_id=" + long, "", "", "job_id"},
		{"GET", "/api/audit?actor=" + long, "", "", "actor"},
	}
	for _, tc := range cases {
		name := tc.method + " " + tc.path
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			e := e.with(t)
			e.expect(e.do(tc.method, tc.path, tc.contentType, tc.body), http.StatusBadRequest, tc.want)
		})
	}
	// Still fine: the longest allowed id and filter, and ids with dots.
	e.expect(e.get("/api/agents?q="+strings.Repeat("a", 256)), 200)
	e.expect(e.get("/api/agents/"+strings.Repeat("p", 255)), 404)
	e.expect(e.get("/api/agents/pc.example.lan"), 404)
}
