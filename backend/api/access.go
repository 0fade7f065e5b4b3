package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/auth"
)

// access is the least a caller needs for a route. Every row of the route
// table names one (the field has no usable zero value: a route without it
// does not compile), so a new route cannot ship without a role.
type access string

const (
	needPublic   access = "public"   // no token: probes, sign-in, password links
	needViewer   access = "viewer"   // reads, and the caller's own account
	needOperator access = "operator" // mutations of the fleet
	needAdmin    access = "admin"    // accounts and permission groups
)

func (a access) role() accounts.Role { return accounts.Role(a) }

// The page allow-lists (spec §1.13) key on the route pattern.

// commonsForRestricted stay open to accounts with an allow-list.
var commonsForRestricted = map[string]bool{
	"/api/version": true, "/api/command-signing": true, "/api/auth/me": true, "/api/auth/change-password": true,
	"/api/auth/mfa/init": true, "/api/auth/mfa/verify": true, "/api/auth/mfa/disable": true,
}

// sharedOwners are read routes several pages use: holding any one of the
// features opens them (reads only).
var sharedOwners = map[string][]string{
	"/api/agents":           {"run", "exec", "inventory", "activity", "events", "logs", "analytics", "notifications", "rollout", "config"},
	"/api/agents/meta-keys": {"inventory", "activity", "events", "compliance", "collect"},
	"/api/agents/meta":      {"inventory", "activity", "events", "compliance", "collect"},
	"/api/groups":           {"groups", "config", "exec", "rollout"},
	"/api/jobs":             {"jobs", "exec"},
}

// featureOwner is kanade's feature_for_path for the routes this console
// has, plus its own routes (marked) given to the page that shows them.
var featureOwner = map[string]string{
	"/api/inventory/jobs":                  "inventory",
	"/api/inventory/by-job/{manifest_id}":  "inventory",
	"/api/inventory/{pc_id}":               "inventory",
	"/api/checks":                          "compliance",
	"/api/checks/{check_name}":             "compliance",
	"/api/analytics":                       "analytics",
	"/api/results":                         "activity",
	"/api/results/{result_id}":             "activity",
	"/api/results/{result_id}/tail":        "activity",
	"/api/executions":                      "activity",
	"/api/executions/{exec_id}":            "activity",
	"/api/executions/{exec_id}/kill":       "activity", // console
	"/api/audit":                           "audit",
	"/api/agents/{pc_id}/logs":             "logs",
	"/api/jobs":                            "jobs",
	"/api/jobs/{id}/yaml":                  "jobs",
	"/api/jobs/{id}":                       "jobs",
	"/api/jobs/{job_id}/kill":              "jobs",
	"/api/scripts/status":                  "jobs",
	"/api/scripts/{cmd_id}/revoke":         "jobs",
	"/api/scripts/{cmd_id}/unrevoke":       "jobs",
	"/api/schedules":                       "schedules",
	"/api/schedules/coverage":              "schedules",
	"/api/schedules/{id}":                  "schedules",
	"/api/schedules/{id}/disable":          "schedules",
	"/api/schedules/{id}/enable":           "schedules",
	"/api/cron/next":                       "schedules", // console
	"/api/groups":                          "groups",
	"/api/groups/{name}/email":             "groups",
	"/api/agents/releases":                 "rollout",
	"/api/agents/releases/{version}":       "rollout",
	"/api/agents/rollout":                  "rollout",
	"/api/agents/publish":                  "rollout",
	"/api/connect":                         "agent-install", // console: the agent config
	"/api/agents/{pc_id}/effective_config": "config",
	"/api/config":                          "config",
	"/api/config/defaults":                 "config",
	"/api/groups/{name}/config":            "config",
	"/api/pcs/{pc_id}/config":              "config",
	"/api/jetstream/status":                "jetstream",
	"/api/dead-letters":                    "jetstream", // console
	"/api/run":                             "run",
	"/api/exec/{job_id}":                   "exec",
	"/api/accounts":                        "accounts",
	"/api/accounts/{username}":             "accounts",
	"/api/accounts/{username}/reset-link":  "accounts",
	"/api/permission-groups":               "accounts",
	"/api/permission-groups/{name}":        "accounts",
}

// featureFor names the page that owns a route ("" for the commons).
func featureFor(pattern string) string {
	if f, ok := featureOwner[pattern]; ok {
		return f
	}
	if strings.HasPrefix(pattern, "/api/inventory/") {
		return "inventory" // every inventory read, the issue-17 history routes too
	}
	return ""
}

// featureDenial is kanade's page gate: "" when the allow-list lets the
// caller use the route, else the 403 message.
func featureDenial(id accounts.Identity, method, pattern string) string {
	if id.Unrestricted() || commonsForRestricted[pattern] {
		return ""
	}
	if owners, ok := sharedOwners[pattern]; ok && method == http.MethodGet {
		for _, f := range owners {
			if id.Holds(f) {
				return ""
			}
		}
	}
	if f := featureFor(pattern); f != "" {
		return pageDenial(id, f)
	}
	return "account not permitted to access this route"
}

// pageDenial is the gate's answer for a page's feature: "" when the
// allow-list holds it.
func pageDenial(id accounts.Identity, feature string) string {
	if id.Holds(feature) {
		return ""
	}
	return "account not permitted to access this page (requires " + feature + ")"
}

// Denial is a refusal of the authorization check: the 403 body of both
// front doors (kanade's message plus the required and the actual role).
type Denial struct {
	Error    string `json:"error"`
	Required string `json:"required,omitempty"`
	Role     string `json:"role,omitempty"`
}

// authorize decides whether id may call the route; nil means yes. The page
// gate runs first, as kanade's outer layer does. It is the one decision of
// both front doors: gate calls it for HTTP, Authorize for the desktop
// bindings (package app).
func authorize(id accounts.Identity, need access, method, pattern string) *Denial {
	if msg := featureDenial(id, method, pattern); msg != "" {
		return &Denial{Error: msg, Required: string(need), Role: string(id.Role)}
	}
	return RoleDenial(id, need.role())
}

// PageDenial is the gate's decision for something a page owns that has no
// route (the desktop's Settings bindings, page "settings"): the page's
// feature in the allow-list, then the role; nil means yes.
func PageDenial(id accounts.Identity, feature string, need accounts.Role) *Denial {
	if msg := pageDenial(id, feature); msg != "" {
		return &Denial{Error: msg, Required: string(need), Role: string(id.Role)}
	}
	return RoleDenial(id, need)
}

// RoleDenial is the role half of the check: nil when id's role is at least
// need.
func RoleDenial(id accounts.Identity, need accounts.Role) *Denial {
	if !id.Role.AtLeast(need) {
		return &Denial{Error: string(need) + " role required (caller is " + string(id.Role) + ")", Required: string(need), Role: string(id.Role)}
	}
	return nil
}

// routeAccess is the route table's access per "METHOD /pattern", built once
// from the table itself (register), so no second copy of the roles exists.
var routeAccess = sync.OnceValue(func() map[string]access {
	s := &Server{mux: http.NewServeMux()}
	s.register()
	m := make(map[string]access, len(s.routes))
	for _, rt := range s.routes {
		m[rt.method+" "+rt.path] = rt.access
	}
	return m
})

// RouteAccess is the least role a route of the table needs ("public",
// "viewer", "operator" or "admin"); ok is false for a route the table does
// not have.
func RouteAccess(method, pattern string) (need string, ok bool) {
	a, ok := routeAccess()[method+" "+pattern]
	return string(a), ok
}

// Authorize is the HTTP gate's decision for a caller that reaches a route by
// another door (the desktop bindings): nil when id may call method+pattern.
// A public route lets everyone in; a route the table does not have lets
// no one in (fail closed).
func Authorize(id accounts.Identity, method, pattern string) *Denial {
	need, ok := routeAccess()[method+" "+pattern]
	switch {
	case !ok:
		return &Denial{Error: "no such route: " + method + " " + pattern}
	case need == needPublic:
		return nil
	}
	return authorize(id, need, method, pattern)
}

type identityKey struct{}

// identity is the caller of an authenticated request (set by gate).
func identity(r *http.Request) (accounts.Identity, bool) {
	id, ok := r.Context().Value(identityKey{}).(accounts.Identity)
	return id, ok
}

func withIdentity(r *http.Request, id accounts.Identity) *http.Request {
	id.Source = r.Header.Get("X-Kanade-Source")
	return r.WithContext(context.WithValue(r.Context(), identityKey{}, id))
}

// identify authenticates a request (spec §1.1): KANADE_AUTH_DISABLE and
// the open loopback mode are admins; otherwise the bearer token is the
// static token (admin) or a JWT whose account row decides, on every
// request, whether it still works and with which role and pages.
func (s *Server) identify(r *http.Request) (accounts.Identity, error) {
	v := s.verifier()
	switch v.Mode() {
	case auth.ModeDisabled:
		return accounts.AuthDisabledIdentity, nil
	case auth.ModeOpenLoopback:
		return accounts.OpenIdentity, nil
	}
	c, err := v.Authenticate(r.Header.Get("Authorization"))
	if err != nil {
		return accounts.Identity{}, err
	}
	if c.Static {
		return accounts.StaticTokenIdentity, nil
	}
	acc := s.console.Accounts()
	if acc == nil {
		return accounts.Identity{}, &httpError{http.StatusUnauthorized, "auth backend unavailable"}
	}
	return acc.Resolve(r.Context(), c.Sub)
}

// verifier is the configured Verifier, taught the accounts' session secret
// once the console has opened its database.
func (s *Server) verifier() *auth.Verifier {
	s.verifierOnce.Do(func() {
		if acc := s.console.Accounts(); acc != nil {
			s.auth = s.auth.WithSessionSecret(acc.SessionSecret())
		}
	})
	return s.auth
}

// authenticated answers 401 and reports false when the request has no
// valid identity; otherwise it returns the request carrying it.
func (s *Server) authenticated(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	id, err := s.identify(r)
	if err != nil {
		writeError(w, http.StatusUnauthorized, err.Error())
		return r, false
	}
	return withIdentity(r, id), true
}

// gate wraps a route's handler with authentication and its role and page
// checks; public routes pass as they are.
func (s *Server) gate(rt route, h http.HandlerFunc) http.HandlerFunc {
	if rt.access == needPublic {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		r, ok := s.authenticated(w, r)
		if !ok {
			return
		}
		id, _ := identity(r)
		if d := authorize(id, rt.access, rt.method, rt.path); d != nil {
			writeJSON(w, http.StatusForbidden, errorBody(*d))
			return
		}
		h(w, r)
	}
}

func retryAfter(w http.ResponseWriter, secs int) {
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}
