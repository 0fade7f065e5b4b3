package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/auth"
)

const staticToken = "s3cret-static"

// tokenEnv is a console whose API wants tokens (static token + sign-in
// JWTs) and one account per role.
type tokenEnv struct {
	*env
	acc    *accounts.Service
	tokens map[string]string // role -> JWT
}

func newTokenEnv(t *testing.T) *tokenEnv {
	e := newEnv(t, 0)
	srv := httptest.NewServer(New(e.c, builtSPA, quiet, Options{Auth: auth.New(auth.Config{StaticToken: staticToken})}))
	t.Cleanup(srv.Close)
	e.srv = srv
	te := &tokenEnv{env: e, acc: e.c.Accounts(), tokens: map[string]string{}}
	for _, role := range []accounts.Role{accounts.Viewer, accounts.Operator, accounts.Admin} {
		te.createAccount(string(role)+"-user", role, string(role)+"-password")
		te.tokens[string(role)] = te.mint(string(role)+"-user", role)
	}
	return te
}

func (te *tokenEnv) createAccount(name string, role accounts.Role, pw string) {
	te.t.Helper()
	if _, err := te.acc.Create(context.Background(), accounts.StaticTokenIdentity, accounts.CreateRequest{Username: name, Role: role, Password: &pw}, ""); err != nil {
		te.t.Fatal(err)
	}
}

func (te *tokenEnv) mint(name string, role accounts.Role) string {
	te.t.Helper()
	tok, err := te.acc.Mint(name, role, time.Now().Add(time.Hour).Unix())
	if err != nil {
		te.t.Fatal(err)
	}
	return tok
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// TestRouteMatrix is generated from the route table: every route, called
// as anonymous, viewer, operator, admin, the static token, with
// KANADE_AUTH_DISABLE and in the open loopback mode, answers 401, 403 or
// neither exactly as its role says. Handlers see placeholder parameters and
// no body, so a permitted call ends in 2xx or a 4xx of its own (400, 404,
// 415, …), never 401/403.
func TestRouteMatrix(t *testing.T) {
	te := newTokenEnv(t)
	off := httptest.NewServer(New(te.c, builtSPA, quiet, Options{Auth: auth.New(auth.Config{Disable: true})}))
	defer off.Close()
	open := httptest.NewServer(New(te.c, builtSPA, quiet))
	defer open.Close()

	type caller struct {
		name    string
		srv     *httptest.Server
		headers []string
		role    accounts.Role // "" = anonymous
	}
	callers := []caller{
		{"anonymous", te.srv, nil, ""},
		{"viewer", te.srv, bearer(te.tokens["viewer"]), accounts.Viewer},
		{"operator", te.srv, bearer(te.tokens["operator"]), accounts.Operator},
		{"admin", te.srv, bearer(te.tokens["admin"]), accounts.Admin},
		{"static-token", te.srv, bearer(staticToken), accounts.Admin},
		{"auth-disabled", off, nil, accounts.Admin},
		{"open-loopback", open, nil, accounts.Admin},
	}
	te.createAccount("no-pages", accounts.Admin, "no-pages-password")
	if err := te.acc.Update(context.Background(), accounts.StaticTokenIdentity, "no-pages", accounts.UpdateRequest{AllowedFeatures: accounts.Optional[[]string]{Set: true, Value: []string{}}}); err != nil {
		t.Fatal(err)
	}
	noPages := te.mint("no-pages", accounts.Admin)
	routes := New(te.c, builtSPA, quiet).routes
	for _, rt := range routes {
		if rt.access == "" {
			t.Fatalf("%s %s has no access", rt.method, rt.path)
		}
		path := pathParam.ReplaceAllString(rt.path, "matrix-x") + "?wait_secs=1&tail=1"
		// An admin whose allow-list is empty keeps only the public routes
		// and kanade's commons (me, change-password, mfa); the page gate
		// answers every other route.
		env := te.with(t)
		r := env.do(rt.method, path, "", "", bearer(noPages)...)
		switch {
		case rt.access == needPublic || commonsForRestricted[rt.path]:
			if r.status == 401 || r.status == 403 {
				t.Errorf("%s %s as an admin without pages: %d %s", rt.method, rt.path, r.status, r.body)
			}
		case r.status != 403 || !strings.Contains(r.body, "account not permitted to access this"):
			t.Errorf("%s %s as an admin without pages: %d %s, want the page gate's 403", rt.method, rt.path, r.status, r.body)
		}
		for _, c := range callers {
			env := te.with(t)
			env.srv = c.srv
			r := env.do(rt.method, path, "", "", c.headers...)
			var want string
			switch {
			case rt.access == needPublic:
				want = "open"
			case c.role == "":
				want = "401"
			case c.role.AtLeast(rt.access.role()):
				want = "open"
			default:
				want = "403"
			}
			got := "open"
			if r.status == 401 || r.status == 403 {
				got = strconv.Itoa(r.status)
			}
			if got != want {
				t.Errorf("%s %s as %s: %d %s, want %s", rt.method, rt.path, c.name, r.status, r.body, want)
				continue
			}
			if want == "403" {
				var body errorBody
				r.json(t, &body)
				if body.Required != string(rt.access) || body.Role != string(c.role) || body.Error != fmt.Sprintf("%s role required (caller is %s)", rt.access, c.role) {
					t.Errorf("%s %s as %s: 403 body %s", rt.method, rt.path, c.name, r.body)
				}
			}
		}
	}
}

// Each role's place in the matrix is the spec's: reads viewer, fleet
// mutations operator, accounts admin, sign-in public.
func TestRouteRoles(t *testing.T) {
	s := &Server{mux: http.NewServeMux()}
	s.register()
	for _, rt := range s.routes {
		key := rt.method + " " + rt.path
		switch {
		case strings.HasPrefix(rt.path, "/api/accounts") || strings.HasPrefix(rt.path, "/api/permission-groups"):
			if rt.access != needAdmin {
				t.Errorf("%s: %s, want admin", key, rt.access)
			}
		case key == "POST /api/auth/login" || key == "GET /api/version" || key == "POST /api/auth/forgot-password" || strings.HasPrefix(rt.path, "/api/auth/password-setup/") ||
			rt.path == "/health" || rt.path == "/healthz" || rt.path == "/readyz":
			if rt.access != needPublic {
				t.Errorf("%s: %s, want public", key, rt.access)
			}
		case strings.HasPrefix(rt.path, "/api/auth/"):
			if rt.access != needViewer {
				t.Errorf("%s: %s, want viewer (self-service)", key, rt.access)
			}
		case rt.method == "GET" && key != "GET /api/connect":
			if rt.access != needViewer {
				t.Errorf("%s: %s, want viewer", key, rt.access)
			}
		default:
			if rt.access != needOperator {
				t.Errorf("%s: %s, want operator", key, rt.access)
			}
		}
	}
}

func loginHTTP(e *env, user, pw, code string, headers ...string) resp {
	body, _ := json.Marshal(map[string]string{"username": user, "password": pw, "totp_code": code})
	return e.do("POST", "/api/auth/login", "application/json", string(body), headers...)
}

func TestSignInMFAAndThrottleOverHTTP(t *testing.T) {
	te := newTokenEnv(t)
	e := te.env
	r := loginHTTP(e, "operator-user", "operator-password", "")
	e.expect(r, 200, `"token":`, `"role":"operator"`, `"must_change_pw":false`, `"exp":`)
	var lr accounts.LoginResponse
	r.json(t, &lr)
	tok := lr.Token
	e.expect(e.do("GET", "/api/auth/me", "", "", bearer(tok)...), 200, `"username":"operator-user"`, `"allowed_features":null`, `"mfa_enabled":false`)

	// TOTP enrolment, then the two-step login.
	r = e.do("POST", "/api/auth/mfa/init", "", "", bearer(tok)...)
	e.expect(r, 200, `"otpauth_url":"otpauth://totp/kanade:operator-user?`)
	var init accounts.MFAInit
	r.json(t, &init)
	code, _ := accounts.TOTPCode(init.Secret, time.Now())
	e.expect(e.do("POST", "/api/auth/mfa/verify", "application/json", `{"secret":"`+init.Secret+`","code":"000000"}`, bearer(tok)...), 400, "invalid code")
	e.expect(e.do("POST", "/api/auth/mfa/verify", "application/json", `{"secret":"`+init.Secret+`","code":"`+code+`"}`, bearer(tok)...), 204)
	e.expect(loginHTTP(e, "operator-user", "operator-password", ""), 200, `{"mfa_required":true}`)
	e.expect(loginHTTP(e, "operator-user", "operator-password", "999999"), 401, "invalid credentials")
	code, _ = accounts.TOTPCode(init.Secret, time.Now())
	e.expect(loginHTTP(e, "operator-user", "operator-password", code), 200, `"token":`)
	e.expect(e.do("POST", "/api/auth/mfa/disable", "application/json", `{"code":"`+code+`"}`, bearer(tok)...), 204)

	// Throttling: five failures lock the name, with Retry-After.
	for range 5 {
		e.expect(loginHTTP(e, "viewer-user", "wrong-password", "", "X-Forwarded-For", "192.0.2.7"), 401)
	}
	r = loginHTTP(e, "viewer-user", "viewer-password", "", "X-Forwarded-For", "192.0.2.8")
	e.expect(r, 429, "too many login attempts; try again later")
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 890 || secs > 901 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}

	// change-password: the old one must be right; then the new one works.
	e.expect(e.do("POST", "/api/auth/change-password", "application/json", `{"old_password":"nope","new_password":"brand-new-pw"}`, bearer(tok)...), 401, "old password incorrect")
	e.expect(e.do("POST", "/api/auth/change-password", "application/json", `{"old_password":"operator-password","new_password":"short"}`, bearer(tok)...), 400, "new password too short (min 8 chars)")
	e.expect(e.do("POST", "/api/auth/change-password", "application/json", `{"old_password":"operator-password","new_password":"brand-new-pw"}`, bearer(tok)...), 204)
	e.expect(loginHTTP(e, "operator-user", "brand-new-pw", ""), 200, `"token":`)
	e.expect(e.do("POST", "/api/auth/forgot-password", "application/json", `{"username":"operator-user"}`), 200)
	e.expect(e.do("GET", "/api/version", "", ""), 200, `"version":`)
}

// The database row decides on every request: a disabled account gets 401
// and a demoted one 403 on its next request with the same token.
func TestDisabledAndDemotedMidSession(t *testing.T) {
	te := newTokenEnv(t)
	e := te.env
	admin := bearer(te.tokens["admin"])
	te.createAccount("erin", accounts.Operator, "erin-password")
	tok := te.mint("erin", accounts.Operator)
	e.expect(e.do("POST", "/api/scripts/some-job/revoke", "", "", bearer(tok)...), 204)
	e.expect(e.do("PATCH", "/api/accounts/erin", "application/json", `{"role":"viewer"}`, admin...), 204)
	r := e.do("POST", "/api/scripts/some-job/unrevoke", "", "", bearer(tok)...)
	e.expect(r, 403, `"required":"operator"`, `"role":"viewer"`, "operator role required (caller is viewer)")
	e.expect(e.do("GET", "/api/jobs", "", "", bearer(tok)...), 200)
	e.expect(e.do("PATCH", "/api/accounts/erin", "application/json", `{"disabled":true}`, admin...), 204)
	e.expect(e.do("GET", "/api/jobs", "", "", bearer(tok)...), 401, "account disabled")
	e.expect(e.do("DELETE", "/api/accounts/erin", "", "", admin...), 204)
	e.expect(e.do("GET", "/api/jobs", "", "", bearer(tok)...), 401, "unknown account")
}

// Admin account and group management over HTTP, the setup link, and the
// page allow-lists the API enforces.
func TestAccountAdminAndPages(t *testing.T) {
	te := newTokenEnv(t)
	e := te.env
	admin := bearer(te.tokens["admin"])
	r := e.do("POST", "/api/accounts", "application/json", `{"username":"frank","role":"viewer"}`, admin...)
	e.expect(r, 201, `"setup_link_sent":false`, `"purpose":"setup"`, `/password-setup/`)
	var created accounts.CreateResponse
	r.json(t, &created)
	tok := created.SetupLink.URL[strings.LastIndex(created.SetupLink.URL, "/")+1:]
	e.expect(e.do("POST", "/api/accounts", "application/json", `{"username":"frank","role":"viewer","password":"whatever-pw"}`, admin...), 409, "username already exists")
	e.expect(e.do("POST", "/api/accounts", "application/json", `{"username":"gina","role":"root","password":"whatever-pw"}`, admin...), 400, "role must be viewer/operator/admin")
	e.expect(e.do("GET", "/api/auth/password-setup/"+tok, "", ""), 200, `{"username":"frank","purpose":"setup"}`)
	e.expect(e.do("POST", "/api/auth/password-setup/"+tok, "application/json", `{"password":"frank-password"}`), 200)
	e.expect(e.do("POST", "/api/auth/password-setup/"+tok, "application/json", `{"password":"frank-password"}`), 404, "invalid link")
	e.expect(e.do("POST", "/api/accounts/frank/reset-link", "", "", admin...), 200, `"purpose":"reset"`, `"link":"http://`)

	e.expect(e.do("POST", "/api/permission-groups", "application/json", `{"name":"helpdesk","features":["jobs","audit"]}`, admin...), 201)
	e.expect(e.do("PATCH", "/api/permission-groups/helpdesk", "application/json", `{"features":["audit","run"]}`, admin...), 204)
	e.expect(e.do("GET", "/api/permission-groups", "", "", admin...), 200, `"name":"helpdesk"`, `"features":["run","audit"]`, `"member_count":0`)
	e.expect(e.do("PATCH", "/api/accounts/frank", "application/json", `{"permission_group":"helpdesk"}`, admin...), 204)
	e.expect(e.do("GET", "/api/accounts", "", "", admin...), 200, `"username":"frank"`, `"permission_group":"helpdesk"`, `"disabled":0`)

	frank := bearer(te.mint("frank", accounts.Viewer))
	e.expect(e.do("GET", "/api/audit", "", "", frank...), 200)
	e.expect(e.do("GET", "/api/agents", "", "", frank...), 200) // shared read: run is one of its pages
	e.expect(e.do("GET", "/api/auth/me", "", "", frank...), 200, `"allowed_features":["run","audit"]`)
	r = e.do("GET", "/api/jobs", "", "", frank...)
	e.expect(r, 403, "account not permitted to access this page (requires jobs)")
	e.expect(e.do("GET", "/api/status", "", "", frank...), 403, "account not permitted to access this route")
	e.expect(e.do("DELETE", "/api/permission-groups/helpdesk", "", "", admin...), 409, "group still has member(s); reassign them first")
	e.expect(e.do("PATCH", "/api/accounts/frank", "application/json", `{"permission_group":null}`, admin...), 204)
	e.expect(e.do("DELETE", "/api/permission-groups/helpdesk", "", "", admin...), 204)
	e.expect(e.do("GET", "/api/jobs", "", "", frank...), 200)
	e.expect(e.do("PATCH", "/api/accounts/admin-user", "application/json", `{"role":"viewer"}`, bearer(staticToken)...), 204) // another admin exists (bootstrap "admin")
	e.expect(e.do("GET", "/api/auth/me", "", "", bearer(staticToken)...), 200, `"role":"admin"`, `"kind":"static-token"`)

	// The audit names the admin who did it (actor, sub, actor_role), with
	// kanade's account.* / permission_group.* actions and payloads.
	for _, want := range []struct{ action, actor, payload string }{
		{"account.create", "admin-user", `"setup_link_sent":false`},
		{"account.update", "admin-user", `"permission_group_changed":true`},
		{"account.reset_link", "admin-user", `"delivered":false`},
		{"permission_group.create", "admin-user", `"features":["audit","jobs"]`},
		{"permission_group.delete", "admin-user", `"actor_role":"admin"`},
		{"account.password_set_via_link", "auth", `"username":"frank"`},
		{"account.update", "operator", `"sub":"static-token"`},
	} {
		e.waitFor(want.action+" by "+want.actor, func() bool {
			rows, _, _ := e.c.ListAudit(context.Background(), auditQuery(want.action))
			for _, r := range rows {
				if r.Actor == want.actor && strings.Contains(string(r.Payload), want.payload) {
					return true
				}
			}
			return false
		})
	}
}
