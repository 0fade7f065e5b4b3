// Package accounts holds the console's user accounts (kanade's account API,
// spec kanade-latest-features §1): argon2id passwords, roles, page
// allow-lists and permission groups, TOTP, password setup links, login
// throttling and the bootstrap of the first admin. Both front doors (the
// HTTP API and the kanade-console account command) call the Service; it
// knows neither.
package accounts

import (
	"errors"
	"net/http"
)

// Role is viewer < operator < admin.
type Role string

const (
	Viewer   Role = "viewer"
	Operator Role = "operator"
	Admin    Role = "admin"
)

// Rank orders roles; an unknown role ranks below viewer.
func (r Role) Rank() int {
	switch r {
	case Viewer:
		return 1
	case Operator:
		return 2
	case Admin:
		return 3
	}
	return 0
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r.Rank() > 0 }

// AtLeast reports whether r may use a route that requires min.
func (r Role) AtLeast(min Role) bool { return r.Rank() >= min.Rank() }

// HighestRole is the highest parseable entry of a token's roles claim,
// viewer when there is none (spec §1.2).
func HighestRole(roles []string) Role {
	best := Viewer
	for _, s := range roles {
		if r := Role(s); r.Rank() > best.Rank() {
			best = r
		}
	}
	return best
}

// Kinds of identity.
const (
	KindAccount      = "account"       // a signed-in user (JWT)
	KindStaticToken  = "static-token"  // the static service token: admin
	KindAuthDisabled = "auth-disabled" // KANADE_AUTH_DISABLE: admin
	KindOpen         = "open"          // open-loopback mode: admin
	KindDesktop      = "desktop"       // the desktop app's own operator: admin
)

// Identity is who makes a request, after the database had its say.
type Identity struct {
	Kind string
	// Sub is the token subject: the username for accounts,
	// "static-token", "auth-disabled", … otherwise.
	Sub string
	// Username is set for accounts only.
	Username string
	Role     Role
	// Features is the effective page allow-list; nil means unrestricted.
	Features []string
	// Source is the X-Kanade-Source header (cli, spa) for the audit.
	Source string
}

// Actor is the audit actor: the username for accounts, "operator" for the
// identities that are not an account (as kanade 0.29 recorded everyone).
func (id Identity) Actor() string {
	if id.Username != "" {
		return id.Username
	}
	return "operator"
}

// Unrestricted reports whether the identity may open every page.
func (id Identity) Unrestricted() bool { return id.Features == nil }

// Holds reports whether the allow-list grants feature.
func (id Identity) Holds(feature string) bool {
	if id.Features == nil {
		return true
	}
	for _, f := range id.Features {
		if f == feature {
			return true
		}
	}
	return false
}

// Identities of the callers that are not an account; all are admins.
var (
	StaticTokenIdentity  = Identity{Kind: KindStaticToken, Sub: "static-token", Role: Admin}
	AuthDisabledIdentity = Identity{Kind: KindAuthDisabled, Sub: "auth-disabled", Role: Admin}
	OpenIdentity         = Identity{Kind: KindOpen, Sub: "", Role: Admin}
	DesktopIdentity      = Identity{Kind: KindDesktop, Sub: "", Role: Admin}
)

// Error is a refusal with its HTTP status and kanade's message.
type Error struct {
	Status int
	Msg    string
	// RetryAfter is set on 429: seconds until a retry may succeed.
	RetryAfter int
	Err        error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

func newError(status int, msg string) *Error { return &Error{Status: status, Msg: msg} }
func invalid(msg string) *Error              { return newError(http.StatusBadRequest, msg) }
func notFound(msg string) *Error             { return newError(http.StatusNotFound, msg) }
func conflict(msg string) *Error             { return newError(http.StatusConflict, msg) }
func unauthorized(msg string) *Error         { return newError(http.StatusUnauthorized, msg) }
func internal(msg string, err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Msg: msg, Err: err}
}

// StatusOf is err's HTTP status when it is an *Error, else 0.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// ErrInvalidCredentials is the one answer to a wrong name, a wrong password
// and a disabled account.
var ErrInvalidCredentials = unauthorized("invalid credentials")
