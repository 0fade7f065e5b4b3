package api

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/auth"
)

// The guide's routes: the connect info (with the NATS URL agents use) and
// the demo fleet's start, conflict, status and stop; none of them answers
// without the API token.
func TestConnectAndDemoRoutes(t *testing.T) {
	e := newEnv(t, 0)
	r := e.get("/api/connect")
	e.expect(r, 200, `"embedded":true`, `"url":"`+e.c.Broker().ClientURL()+`"`, `"loopback_only":true`, `"agents":{"known":0`, `"prefix":"DEMO"`)

	e.expect(e.postJSON("/api/demo", `{"agents":0}`), 400, "agents must be 1-1000")
	e.expect(e.do("POST", "/api/demo", "text/plain", `{"agents":2}`), 415)
	e.expect(e.postJSON("/api/demo", `{"agents":2,"first_run":true}`), 200, `"running":true`, `"agents":2`, `"first_exec_id":"`)
	e.expect(e.postJSON("/api/demo", `{"agents":2}`), 409, "already running")
	e.expect(e.get("/api/demo"), 200, `"running":true`)
	e.waitFor("the demo agents", func() bool { return strings.Contains(e.get("/api/agents").body, `"pc_id":"DEMO-00002"`) })
	// Demo agents are not the real agents the guide waits for.
	e.expect(e.get("/api/connect"), 200, `"agents":{"known":0`, `"running":true`)
	e.expect(e.do("DELETE", "/api/demo", "", ""), 200, `"running":false`)
	e.expect(e.get("/api/agents"), 200, `[]`)

	// Behind auth: the token is never served to an anonymous caller.
	locked := httptest.NewServer(New(e.c, builtSPA, quiet, Options{Auth: auth.New(auth.Config{StaticToken: "s3cret"})}))
	defer locked.Close()
	open := e.srv
	e.srv = locked
	for _, m := range []string{"GET /api/connect", "GET /api/demo", "POST /api/demo", "DELETE /api/demo"} {
		method, path, _ := strings.Cut(m, " ")
		e.expect(e.do(method, path, "application/json", `{"agents":1}`), 401, "missing bearer token")
	}
	e.expect(e.do("GET", "/api/connect", "", "", "Authorization", "Bearer s3cret"), 200, `"urls":[`)
	e.srv = open
}
