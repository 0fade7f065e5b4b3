package app

// The role matrix through the Wails bindings (issue 15, Done-when 1): the
// window signs in while the desktop's HTTP listener is on, and every bound
// op answers 401/403/open exactly as its HTTP route's access says, on one
// real console (embedded NATS, SQLite in a temp dir).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/frontend"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// signInHost is a desktop host whose HTTP listener setting a test flips;
// ApplySettings applies only that flag, like the real host's restart.
type signInHost struct {
	c      *console.Console
	srv    *api.Server
	httpOn *atomic.Bool
	mode   string // the listener's auth mode; "" = static token
}

func (h signInHost) Core() (context.Context, *console.Console, error) {
	return context.Background(), h.c, nil
}
func (h signInHost) Settings() SettingsState {
	st := SettingsState{Effective: Settings{HTTPEnabled: h.httpOn.Load()}}
	if st.Effective.HTTPEnabled {
		st.Core.HTTPAuth = h.mode
		if h.mode == "" {
			st.Core.HTTPAuth = auth.ModeStatic
		}
	}
	return st
}
func (h signInHost) ApplySettings(s Settings) (SettingsState, error) {
	h.httpOn.Store(s.HTTPEnabled)
	return h.Settings(), nil
}
func (h signInHost) OpenAPI() (map[string]any, error) { return h.srv.OpenAPIDocument(), nil }
func (h signInHost) Metrics() (string, error)         { return h.srv.MetricsText() }

type signInEnv struct {
	c    *console.Console
	srv  *api.Server
	http *httptest.Server // the listener: static token + the accounts' JWTs
	on   *atomic.Bool     // the listener setting of every window of env
	off  *atomic.Bool     // a second host with the listener off
}

func startSignIn(t *testing.T) *signInEnv {
	t.Helper()
	dir := t.TempDir()
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "off", Addr: "127.0.0.1:8080"}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	srv := api.New(c, nil, quiet, api.Options{Auth: auth.New(auth.Config{StaticToken: "matrix-static-token"})})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		c.Stop(context.Background())
	})
	e := &signInEnv{c: c, srv: srv, http: hs, on: new(atomic.Bool), off: new(atomic.Bool)}
	e.on.Store(true)
	for _, role := range []accounts.Role{accounts.Viewer, accounts.Operator, accounts.Admin} {
		e.createAccount(t, string(role)+"-user", role, nil)
	}
	return e
}

// window is a new desktop window (its own session) on the listener-on host.
func (e *signInEnv) window() *App {
	return New(signInHost{c: e.c, srv: e.srv, httpOn: e.on}, quiet)
}

// desktopWindow is a window of a host whose listener is off.
func (e *signInEnv) desktopWindow() *App {
	return New(signInHost{c: e.c, srv: e.srv, httpOn: e.off}, quiet)
}

// TestOpenListenerKeepsTheWindowAdmin: a listener that lets every HTTP
// caller in (open on loopback, or auth disabled) does not make the window
// sign in, so a console without accounts cannot lock its own user out; a
// listener whose mode is not known yet (starting or failed) asks.
func TestOpenListenerKeepsTheWindowAdmin(t *testing.T) {
	e := startSignIn(t)
	for _, tc := range []struct{ mode, want string }{
		{auth.ModeOpenLoopback, "open"},
		{auth.ModeDisabled, "open"},
		{auth.ModeJWT, "401"},
		{auth.ModeStatic, "401"},
	} {
		w := New(signInHost{c: e.c, srv: e.srv, httpOn: e.on, mode: tc.mode}, quiet)
		_, err := w.ListAccounts(Empty{}) // admin only
		if got := classify(err); got.class != tc.want {
			t.Errorf("listener %s: ListAccounts is %s, want %s", tc.mode, got.class, tc.want)
		}
		if _, err := w.GetMe(Empty{}); (err == nil) != (tc.want == "open") {
			t.Errorf("listener %s: GetMe err %v", tc.mode, err)
		}
	}
}

func password(user string) string { return user + "-password" }

func (e *signInEnv) createAccount(t *testing.T, name string, role accounts.Role, features *[]string) {
	t.Helper()
	pw := password(name)
	if _, err := e.c.Accounts().Create(context.Background(), accounts.StaticTokenIdentity, accounts.CreateRequest{Username: name, Role: role, Password: &pw, AllowedFeatures: features}, ""); err != nil {
		t.Fatal(err)
	}
}

// signIn signs a new window in and returns it with the token the same
// sign-in would give an HTTP client.
func (e *signInEnv) signIn(t *testing.T, user string) (*App, string) {
	t.Helper()
	w := e.window()
	resp, err := w.AuthLogin(accounts.LoginRequest{Username: user, Password: password(user)})
	if err != nil || resp.Token == "" {
		t.Fatalf("sign in %s: %+v %v", user, resp, err)
	}
	return w, resp.Token
}

// outcome classifies an answer as the matrix tests do: "401" (the sign-in
// check refused), "403" (the role or page check refused) or "open" (the
// route's rule let the caller in; the op may still fail on its own, e.g.
// 400 for the placeholder request or 401 for a wrong password).
type outcome struct {
	class string
	je    *JSONError
}

func classify(err error) outcome {
	if err == nil {
		return outcome{class: "open"}
	}
	var je *JSONError
	if !errors.As(err, &je) {
		return outcome{class: "not a JSONError: " + err.Error()}
	}
	switch {
	case je.Status == http.StatusUnauthorized && (je.Message == msgNotSignedIn || je.Message == msgSessionExpired || je.Message == "account disabled"):
		return outcome{"401", je}
	case je.Status == http.StatusForbidden && je.Required != "":
		return outcome{"403", je}
	}
	return outcome{"open", je}
}

// placeholder is every op's request: each path parameter "matrix-x" and
// the waits short, as TestRouteMatrix calls the routes.
const placeholder = `{"pc_id":"matrix-x","name":"matrix-x","group":"matrix-x","result_id":"matrix-x","exec_id":"matrix-x","job_id":"matrix-x","id":"matrix-x","cmd_id":"matrix-x","manifest_id":"matrix-x","version":"matrix-x","username":"matrix-x","wait_secs":1,"tail":1}`

// callOp calls the binding of op with the placeholder request, decoded as
// the Wails runtime decodes the SPA's argument.
func callOp(t *testing.T, a *App, op string) error {
	t.Helper()
	m := reflect.ValueOf(a).MethodByName(op)
	req := reflect.New(m.Type().In(0))
	if err := json.Unmarshal([]byte(placeholder), req.Interface()); err != nil {
		t.Fatalf("%s: the placeholder request does not decode: %v", op, err)
	}
	out := m.Call([]reflect.Value{req.Elem()})
	if err, _ := out[len(out)-1].Interface().(error); err != nil {
		return err
	}
	return nil
}

// boundOps are the ops of the SPA's op tables that App binds, sorted.
func boundOps(t *testing.T) []frontend.Op {
	t.Helper()
	all, err := frontend.Ops()
	if err != nil {
		t.Fatal(err)
	}
	var out []frontend.Op
	for _, op := range all {
		if _, ok := reflect.TypeOf(&App{}).MethodByName(op.Name); ok {
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

var pathParamRE = regexp.MustCompile(`\{[a-z_]+\}`)

// httpOutcome calls op's route on the HTTP listener with token, classified
// like a binding answer.
func (e *signInEnv) httpOutcome(t *testing.T, op frontend.Op, token string) string {
	t.Helper()
	req, _ := http.NewRequest(op.Method, e.http.URL+pathParamRE.ReplaceAllString(op.Path, "matrix-x")+"?wait_secs=1&tail=1", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	switch resp.StatusCode {
	case 401:
		return "401"
	case 403:
		var d api.Denial
		json.Unmarshal(raw, &d)
		return "403 " + d.Error
	}
	return "open"
}

// TestBindingRouteMatrix is generated from the route table and the op
// tables: every bound op, called as anonymous (listener on, not signed in),
// viewer, operator and admin (listener on, signed in) and as the desktop
// admin (listener off), answers 401, 403 or neither exactly as its route's
// access says (TestRouteMatrix's expectations for HTTP), with the HTTP 403
// body's required and actual role.
func TestBindingRouteMatrix(t *testing.T) {
	e := startSignIn(t)
	type caller struct {
		name string
		app  *App
		role accounts.Role // "" = anonymous
	}
	viewer, _ := e.signIn(t, "viewer-user")
	operator, _ := e.signIn(t, "operator-user")
	admin, _ := e.signIn(t, "admin-user")
	callers := []caller{
		{"anonymous", e.window(), ""},
		{"viewer", viewer, accounts.Viewer},
		{"operator", operator, accounts.Operator},
		{"admin", admin, accounts.Admin},
		{"desktop-admin", e.desktopWindow(), accounts.Admin},
	}
	ops := boundOps(t)
	if len(ops) < 75 { // the 60 of ops.ts, the account ops, the sign-in ops
		t.Fatalf("only %d bound ops found", len(ops))
	}
	for _, op := range ops {
		need, ok := api.RouteAccess(op.Method, op.Path)
		if !ok {
			t.Errorf("%s: %s %s is not in the route table", op.Name, op.Method, op.Path)
			continue
		}
		for _, c := range callers {
			var want string
			switch {
			case need == "public":
				want = "open"
			case c.role == "":
				want = "401"
			case c.role.AtLeast(accounts.Role(need)):
				want = "open"
			default:
				want = "403"
			}
			got := classify(callOp(t, c.app, op.Name))
			if got.class != want {
				t.Errorf("%s (%s %s, %s) as %s: %s %v, want %s", op.Name, op.Method, op.Path, need, c.name, got.class, got.je, want)
				continue
			}
			if want == "403" {
				if got.je.Required != need || got.je.Role != string(c.role) || got.je.Message != fmt.Sprintf("%s role required (caller is %s)", need, c.role) {
					t.Errorf("%s as %s: 403 %+v", op.Name, c.name, got.je)
				}
			}
		}
	}
}

// The page gate (spec §1.13) through the bindings is the HTTP door's: an
// admin with no pages and an account allowed only the audit page get, op by
// op, the answer the HTTP listener gives their own token.
func TestBindingPageGate(t *testing.T) {
	e := startSignIn(t)
	e.createAccount(t, "no-pages", accounts.Admin, &[]string{})
	e.createAccount(t, "audit-only", accounts.Operator, &[]string{"audit"})
	for _, user := range []string{"no-pages", "audit-only"} {
		w, token := e.signIn(t, user)
		gated := 0
		for _, op := range boundOps(t) {
			if op.Name == "AuthLogin" {
				continue // its answer is the throttle's, not the gate's
			}
			got := classify(callOp(t, w, op.Name))
			b := got.class
			if got.class == "403" {
				b = "403 " + got.je.Message
				gated++
			}
			if h := e.httpOutcome(t, op, token); b != h {
				t.Errorf("%s as %s: binding %s, HTTP %s", op.Name, user, b, h)
			}
		}
		if gated < 50 {
			t.Errorf("%s: only %d ops gated", user, gated)
		}
	}
	// The spot checks the HTTP matrix makes.
	w, _ := e.signIn(t, "audit-only")
	if _, err := w.ListAudit(console.AuditRequest{}); err != nil {
		t.Errorf("audit-only: ListAudit %v", err)
	}
	if _, err := w.ListJobs(console.Paging{}); classify(err).class != "403" || !strings.Contains(err.Error(), "requires jobs") {
		t.Errorf("audit-only: ListJobs %v", err)
	}
	if me, err := w.GetMe(Empty{}); err != nil || me.Username != "audit-only" || len(me.AllowedFeatures) != 1 {
		t.Errorf("audit-only: me %+v %v", me, err)
	}
}

// Sign-in through the bindings with the MFA two-step; the audit names the
// account; sign-out ends the session.
func TestBindingSignInWithMFA(t *testing.T) {
	e := startSignIn(t)
	w := e.window()
	if _, err := w.GetMe(Empty{}); classify(err).class != "401" {
		t.Fatalf("me before sign-in: %v", err)
	}
	if _, err := w.AuthLogin(accounts.LoginRequest{Username: "operator-user", Password: "wrong"}); err == nil || !strings.Contains(err.Error(), `"status":401`) || !strings.Contains(err.Error(), "invalid credentials") {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := w.GetMe(Empty{}); classify(err).class != "401" {
		t.Fatalf("a failed sign-in signed in: %v", err)
	}
	if _, err := w.AuthLogin(accounts.LoginRequest{Username: "operator-user", Password: password("operator-user")}); err != nil {
		t.Fatal(err)
	}
	// Enrol TOTP from the profile page's ops.
	init, err := w.AuthMfaInit(Empty{})
	if err != nil || init.Secret == "" {
		t.Fatalf("mfa init: %+v %v", init, err)
	}
	code, err := accounts.TOTPCode(init.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AuthMfaVerify(accounts.MFAVerifyRequest{Secret: init.Secret, Code: code}); err != nil {
		t.Fatalf("mfa verify: %v", err)
	}
	if me, err := w.GetMe(Empty{}); err != nil || !me.MFAEnabled || me.Username != "operator-user" || me.Kind != accounts.KindAccount {
		t.Fatalf("me: %+v %v", me, err)
	}
	if err := w.AuthLogout(Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.GetMe(Empty{}); classify(err).class != "401" {
		t.Fatalf("me after sign-out: %v", err)
	}

	// Two steps: the password first, then the code.
	resp, err := w.AuthLogin(accounts.LoginRequest{Username: "operator-user", Password: password("operator-user")})
	if err != nil || !resp.MFARequired || resp.Token != "" {
		t.Fatalf("step one: %+v %v", resp, err)
	}
	if _, err := w.GetMe(Empty{}); classify(err).class != "401" {
		t.Fatalf("signed in before the code: %v", err)
	}
	if _, err := w.AuthLogin(accounts.LoginRequest{Username: "operator-user", Password: password("operator-user"), TOTPCode: "000000"}); err == nil || !strings.Contains(err.Error(), `"status":401`) {
		t.Fatalf("wrong code: %v", err)
	}
	code, _ = accounts.TOTPCode(init.Secret, time.Now())
	resp, err = w.AuthLogin(accounts.LoginRequest{Username: "operator-user", Password: password("operator-user"), TOTPCode: code})
	if err != nil || resp.Token == "" || resp.Role != accounts.Operator {
		t.Fatalf("step two: %+v %v", resp, err)
	}

	// A mutation is audited under the account, source desktop.
	if _, err := wailsCall(t, w.UpsertJobYaml, `{"yaml":"id: signed-in-job\nversion: 1.0.0\nexecute:\n  shell: powershell\n  script: echo x\n  timeout: 1m\n"}`); err != nil {
		t.Fatal(err)
	}
	waitAudit(t, w, "operator-user", func(payload string) bool {
		return strings.Contains(payload, `"source":"desktop"`) && strings.Contains(payload, `"sub":"operator-user"`) && strings.Contains(payload, `"actor_role":"operator"`)
	})
	// The account ops audit the signed-in admin too.
	a, _ := e.signIn(t, "admin-user")
	if _, err := wailsCall(t, a.CreateAccount, `{"username":"newbie","role":"viewer"}`); err != nil {
		t.Fatal(err)
	}
	waitAudit(t, a, "admin-user", func(payload string) bool { return strings.Contains(payload, `"source":"desktop"`) })
}

// waitAudit waits for an audit entry by actor whose payload passes ok.
func waitAudit(t *testing.T, a *App, actor string, ok func(payload string) bool) {
	t.Helper()
	testutil.WaitFor(t, 10*time.Second, func() error {
		page, err := a.ListAudit(console.AuditRequest{Actor: actor})
		if err != nil {
			return err
		}
		last := "none"
		for _, en := range page.Items {
			last = string(en.Payload)
			if ok(last) {
				return nil
			}
		}
		return fmt.Errorf("no audit entry by %s as expected; last: %s", actor, last)
	})
}

// The database row decides on every call: a demoted account loses the
// operator's ops on its next call, a disabled one everything.
func TestBindingDemotedAndDisabledMidSession(t *testing.T) {
	e := startSignIn(t)
	e.createAccount(t, "mallory", accounts.Operator, nil)
	w, _ := e.signIn(t, "mallory")
	admin, _ := e.signIn(t, "admin-user")
	if err := w.RevokeScript(CmdRequest{CmdID: "some-job"}); err != nil {
		t.Fatalf("operator revoke: %v", err)
	}
	if _, err := wailsCall(t, noResult(admin.UpdateAccount), `{"username":"mallory","role":"viewer"}`); err != nil {
		t.Fatal(err)
	}
	err := w.RevokeScript(CmdRequest{CmdID: "some-job"})
	if o := classify(err); o.class != "403" || o.je.Required != "operator" || o.je.Role != "viewer" {
		t.Fatalf("demoted revoke: %v", err)
	}
	if _, err := w.ListJobs(console.Paging{}); err != nil {
		t.Fatalf("demoted read: %v", err)
	}
	if _, err := wailsCall(t, noResult(admin.UpdateAccount), `{"username":"mallory","disabled":true}`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ListJobs(console.Paging{}); classify(err).class != "401" || !strings.Contains(err.Error(), "account disabled") {
		t.Fatalf("disabled read: %v", err)
	}
	if _, err := wailsCall(t, noResult(admin.DeleteAccount), `{"username":"mallory"}`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.GetMe(Empty{}); err == nil || !strings.Contains(err.Error(), `"status":401`) {
		t.Fatalf("deleted me: %v", err)
	}
}

// Settings: with the listener on only a signed-in admin (with the settings
// page) reads or applies them; an
// Apply that switches the listener clears the window's session (off: the
// window is the desktop admin; on again: it signs in anew).
func TestSettingsApplyAndTheSession(t *testing.T) {
	e := startSignIn(t)
	anon := e.window()
	if _, err := anon.ApplySettings(Settings{HTTPEnabled: false}); classify(err).class != "401" {
		t.Fatalf("anonymous apply: %v", err)
	}
	op, _ := e.signIn(t, "operator-user")
	if _, err := op.ApplySettings(Settings{HTTPEnabled: false}); classify(err).class != "403" {
		t.Fatalf("operator apply: %v", err)
	}
	// Reading them too: they hold the listener's token.
	if st, err := anon.GetSettings(Empty{}); classify(err).class != "401" || st.Effective.HTTPEnabled {
		t.Fatalf("reading the settings signed out: %+v %v", st, err)
	}
	if _, err := op.GetSettings(Empty{}); classify(err).class != "403" {
		t.Fatalf("operator reads the settings: %v", err)
	}
	e.createAccount(t, "admin-no-settings", accounts.Admin, &[]string{"audit"})
	restricted, _ := e.signIn(t, "admin-no-settings")
	if _, err := restricted.GetSettings(Empty{}); classify(err).class != "403" || !strings.Contains(err.Error(), "requires settings") {
		t.Fatalf("admin without the settings page: %v", err)
	}
	admin, _ := e.signIn(t, "admin-user")
	if st, err := admin.GetSettings(Empty{}); err != nil || !st.Effective.HTTPEnabled {
		t.Fatalf("admin reads the settings: %+v %v", st, err)
	}
	if _, err := admin.ApplySettings(Settings{HTTPEnabled: false}); err != nil {
		t.Fatal(err)
	}
	if me, err := admin.GetMe(Empty{}); err != nil || me.Kind != accounts.KindDesktop || me.Role != accounts.Admin {
		t.Fatalf("listener off: %+v %v", me, err)
	}
	if me, err := anon.GetMe(Empty{}); err != nil || me.Kind != accounts.KindDesktop {
		t.Fatalf("listener off, another window: %+v %v", me, err)
	}
	if _, err := admin.ApplySettings(Settings{HTTPEnabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.GetMe(Empty{}); classify(err).class != "401" {
		t.Fatalf("listener on again: still signed in: %v", err)
	}
}

// An expired session is a 401 that says so, and is forgotten.
func TestSessionExpiry(t *testing.T) {
	var s session
	now := time.Now()
	s.set("helen", now.Add(time.Minute))
	if u, ok := s.current(now); !ok || u != "helen" {
		t.Fatalf("current: %q %v", u, ok)
	}
	if u, ok := s.current(now.Add(2 * time.Minute)); ok || u != "helen" {
		t.Fatalf("expired: %q %v", u, ok)
	}
	s.clear()
	if u, ok := s.current(now); ok || u != "" {
		t.Fatalf("cleared: %q %v", u, ok)
	}
}

// Every op of the account routes' table (auth.ts) that the window needs is
// bound: the admin pages, the sign-in page and the profile.
func TestSignInOpsAreBound(t *testing.T) {
	for _, name := range []string{"AuthLogin", "GetMe", "AuthChangePassword", "AuthMfaInit", "AuthMfaVerify", "AuthMfaDisable",
		"ListAccounts", "CreateAccount", "UpdateAccount", "DeleteAccount", "CreateResetLink",
		"ListPermissionGroups", "CreatePermissionGroup", "UpdatePermissionGroup", "DeletePermissionGroup"} {
		if _, ok := frontend.OpRoute(name); !ok {
			t.Errorf("%s is not in the op tables", name)
		}
		if _, ok := reflect.TypeOf(&App{}).MethodByName(name); !ok {
			t.Errorf("%s is not bound", name)
		}
	}
}

// The login throttle answers the window as it answers HTTP: after five
// failures the name is locked, 429 with the wait (HTTP's Retry-After).
func TestBindingLoginThrottle(t *testing.T) {
	e := startSignIn(t)
	w := e.window()
	for i := 0; i < 5; i++ {
		if _, err := w.AuthLogin(accounts.LoginRequest{Username: "viewer-user", Password: "wrong"}); classify(err).je == nil || classify(err).je.Status != 401 {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, err := w.AuthLogin(accounts.LoginRequest{Username: "viewer-user", Password: password("viewer-user")})
	var je *JSONError
	if !errors.As(err, &je) || je.Status != 429 || je.RetryAfter <= 0 || !strings.Contains(je.Error(), `"retry_after":`) {
		t.Fatalf("locked name: %v", err)
	}
	if _, err := w.GetMe(Empty{}); classify(err).class != "401" {
		t.Fatalf("signed in through a lock: %v", err)
	}
}
