package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/store"
)

// Every auth mode through HTTP: /api/* is protected, /health and the SPA
// are not, and the caller's name, sub and role land in the audit.
func TestAuthModes(t *testing.T) {
	e := newEnv(t, 0)
	secret := "jwt-secret-for-tests"
	now := time.Now().Unix()
	mint := func(claims map[string]any) string {
		tok, err := auth.Mint(secret, claims)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	valid := mint(map[string]any{"sub": "alice", "aud": "kanade", "exp": now + 3600})
	expired := mint(map[string]any{"sub": "alice", "aud": "kanade", "exp": now - 3600})
	wrongAud := mint(map[string]any{"sub": "alice", "aud": "other", "exp": now + 3600})
	parts := strings.Split(valid, ".")
	algNone := "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + "."

	servers := map[string]*httptest.Server{
		"static": httptest.NewServer(New(e.c, builtSPA, quiet, Options{Auth: auth.New(auth.Config{StaticToken: "s3cret"})})),
		"jwt":    httptest.NewServer(New(e.c, builtSPA, quiet, Options{Auth: auth.New(auth.Config{JWTSecret: secret})})),
		"off":    httptest.NewServer(New(e.c, builtSPA, quiet, Options{Auth: auth.New(auth.Config{Disable: true, StaticToken: "s3cret"})})),
	}
	for _, s := range servers {
		defer s.Close()
	}
	// A JWT works for an account that exists (the database row decides).
	if _, err := e.c.Accounts().Create(context.Background(), accounts.StaticTokenIdentity, accounts.CreateRequest{Username: "alice", Role: accounts.Operator, Password: ptr("alice-password")}, ""); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		server, path, token string
		status              int
		body                string
	}{
		{"static", "/api/jobs", "", 401, `{"error":"missing bearer token"}`},
		{"static", "/api/jobs", "wrong", 401, `{"error":"invalid token: InvalidToken"}`}, // not the static token: checked as a JWT (kanade v0.4x)
		{"static", "/api/jobs", "s3cret", 200, "["},
		{"static", "/api/jobs", valid, 401, "invalid token: InvalidSignature"}, // signed with another secret than the console's session secret
		{"static", "/health", "", 200, "ok"},
		{"static", "/activity", "", 200, "<title>"},
		{"static", "/readyz", "", 200, `"ready":true`},
		{"static", "/metrics", "", 401, "missing bearer token"},
		{"jwt", "/api/jobs", valid, 200, "["},
		{"jwt", "/api/jobs", "", 401, "missing bearer token"},
		{"jwt", "/api/jobs", expired, 401, "invalid token: ExpiredSignature"},
		{"jwt", "/api/jobs", wrongAud, 401, "invalid token: InvalidAudience"},
		{"jwt", "/api/jobs", algNone, 401, "invalid token: InvalidAlgorithm"},
		{"jwt", "/api/jobs", "s3cret", 401, "invalid token"},
		{"jwt", "/api/nope", "", 401, "missing bearer token"},
		{"off", "/api/jobs", "", 200, "["},
	}
	for _, tc := range cases {
		env := e.with(t)
		env.srv = servers[tc.server]
		var r resp
		if tc.token != "" {
			r = env.do("GET", tc.path, "", "", "Authorization", "Bearer "+tc.token)
		} else {
			r = env.do("GET", tc.path, "", "")
		}
		if r.status != tc.status || !strings.Contains(r.body, tc.body) {
			t.Errorf("%s %s token=%.10q: %d %q, want %d containing %q", tc.server, tc.path, tc.token, r.status, r.body, tc.status, tc.body)
		}
	}

	// The JWT subject and X-Kanade-Source go into the audit payload.
	env := e.with(t)
	env.srv = servers["jwt"]
	r := env.do("POST", "/api/jobs", "application/json", jobJSON, "Authorization", "Bearer "+valid, "X-Kanade-Source", "spa")
	env.expect(r, 200)
	env.waitFor("audit", func() bool {
		rows, _, _ := e.c.ListAudit(context.Background(), auditQuery("job_upsert"))
		return len(rows) == 1 && rows[0].Actor == "alice" && strings.Contains(string(rows[0].Payload), `"sub":"alice"`) &&
			strings.Contains(string(rows[0].Payload), `"source":"spa"`) && strings.Contains(string(rows[0].Payload), `"actor_role":"operator"`)
	})
}

func auditQuery(action string) store.AuditQuery {
	return store.AuditQuery{Action: action, Page: store.Page{Limit: 10}}
}

func ptr[T any](v T) *T { return &v }
