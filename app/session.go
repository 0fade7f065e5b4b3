package app

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/frontend"
)

// Who calls the bindings (issue 15, item 5).
//
// With the desktop's HTTP listener OFF (its effective settings), the window
// is the only door and its local user owns the data dir: the caller is the
// desktop admin (accounts.DesktopIdentity), signed in automatically.
//
// With the listener ON, teammates reach the same console over HTTP and sign
// in; the window then signs in too, like a browser tab: App keeps one
// in-memory session (one window = one user, nothing on disk), set by
// AuthLogin and cleared by AuthLogout, by its expiry (the JWT lifetime of
// an HTTP sign-in) and by a Settings Apply that changes who the window is
// talking to (the listener switched on or off, or another data dir, whose
// accounts are others): the next call answers 401 and the SPA shows its
// sign-in page. The account's database row decides on every call (Resolve),
// so a disabled or demoted account loses access on its next call, as over
// HTTP.
//
// Every op is authorized with the HTTP route's own rule: the op's route
// comes from the SPA's op tables (frontend.OpRoute reads ops.ts and auth.ts,
// the one op → route map), and the decision is backend/api's (api.Authorize,
// the function its HTTP gate calls), so the two doors cannot disagree.
// Why read the TypeScript tables rather than keep an op → route map in Go:
// a Go map would be a second copy, kept in step only by a test, and every
// new op would need an entry in both; with the tables embedded, an op is
// authorized by its route as soon as the SPA declares it. An op that no
// table names is refused (500, never let through), and the tests fail if
// the tables stop parsing (frontend.TestOpTablesParse) or an op's answer
// leaves the matrix (TestBindingRouteMatrix). Ops that are not routes
// (GetSettings, ApplySettings, AuthLogout) say their own rule where they
// are defined.

// session is the window's signed-in account.
type session struct {
	mu       sync.Mutex
	username string
	exp      time.Time
}

func (s *session) set(username string, exp time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.username, s.exp = username, exp
}

func (s *session) clear() { s.set("", time.Time{}) }

// current is the signed-in username, "" when none (or expired).
func (s *session) current(now time.Time) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.username == "" {
		return "", false
	}
	if !s.exp.IsZero() && !now.Before(s.exp) {
		return s.username, false
	}
	return s.username, true
}

// desktopSource is the audit source of every binding call.
const desktopSource = "desktop"

// Messages of the 401s the bindings' sign-in check answers.
const (
	msgNotSignedIn    = "not signed in"
	msgSessionExpired = "session expired"
)

// signInRequired reports whether the window must sign in: the desktop's
// effective settings have the HTTP listener on and it asks its callers for
// credentials. A listener open on loopback (no token, no JWT secret) or with
// auth disabled lets every HTTP caller in as the admin, so asking the
// window's own user to sign in would protect nothing and could lock them out
// of a console without accounts. A listener whose mode is not known yet
// (starting, or failed to start) asks, to be safe.
func (a *App) signInRequired() bool {
	if a.host == nil {
		return false
	}
	st := a.host.Settings()
	if !st.Effective.HTTPEnabled {
		return false
	}
	switch st.Core.HTTPAuth {
	case auth.ModeOpenLoopback, auth.ModeDisabled:
		return false
	}
	return true
}

// identify is the window's caller for one call: the desktop admin when the
// listener is off, else the signed-in account as its row says now.
func (a *App) identify(ctx context.Context, c *console.Console) (accounts.Identity, error) {
	if !a.signInRequired() {
		id := accounts.DesktopIdentity
		id.Source = desktopSource
		return id, nil
	}
	user, ok := a.sess.current(time.Now())
	if !ok {
		if user != "" {
			a.sess.clear()
			return accounts.Identity{}, &JSONError{Status: http.StatusUnauthorized, Message: msgSessionExpired}
		}
		return accounts.Identity{}, &JSONError{Status: http.StatusUnauthorized, Message: msgNotSignedIn}
	}
	acc := c.Accounts()
	if acc == nil {
		return accounts.Identity{}, &JSONError{Status: http.StatusUnauthorized, Message: "auth backend unavailable"}
	}
	id, err := acc.Resolve(ctx, user)
	if err != nil {
		return accounts.Identity{}, &JSONError{Status: http.StatusUnauthorized, Message: err.Error()}
	}
	id.Source = desktopSource
	return id, nil
}

// authorizeOp runs the HTTP gate's rule for op: public routes need nobody;
// the others a caller (401) whom api.Authorize lets in (403 with the
// required and actual role, the HTTP body). An op no table names is
// refused: a binding without a route has no rule to follow.
func (a *App) authorizeOp(ctx context.Context, c *console.Console, op string) (accounts.Identity, error) {
	route, ok := frontend.OpRoute(op)
	if !ok {
		return accounts.Identity{}, &JSONError{Status: http.StatusInternalServerError, Message: "op " + op + " has no route in the SPA's op tables"}
	}
	need, ok := api.RouteAccess(route.Method, route.Path)
	if !ok {
		return accounts.Identity{}, &JSONError{Status: http.StatusInternalServerError, Message: "op " + op + ": " + route.Method + " " + route.Path + " is not a route"}
	}
	id, err := a.identify(ctx, c)
	if need == "public" {
		return id, nil // an anonymous window may call it; id is empty then
	}
	if err != nil {
		return accounts.Identity{}, err
	}
	if d := api.Authorize(id, route.Method, route.Path); d != nil {
		return accounts.Identity{}, denied(d)
	}
	return id, nil
}

// denied is a 403 with the HTTP body's fields.
func denied(d *api.Denial) error {
	return &JSONError{Status: http.StatusForbidden, Message: d.Error, Required: d.Required, Role: d.Role}
}

type identityKey struct{}

func withIdentity(ctx context.Context, id accounts.Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// identityOf is the caller do authorized for this call.
func identityOf(ctx context.Context) accounts.Identity {
	id, _ := ctx.Value(identityKey{}).(accounts.Identity)
	return id
}

// callerOf is the audit caller of this call: the account's username as
// actor, its sub and role, source desktop ("operator", admin, for the
// desktop's own user, as before accounts).
func callerOf(ctx context.Context) svcerr.Caller {
	return console.CallerOf(identityOf(ctx))
}
