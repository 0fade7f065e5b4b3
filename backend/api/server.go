// Package api is the HTTP layer of `kanade-console serve`: thin handlers over
// the console's service methods, the embedded SPA, auth, metrics and the
// OpenAPI description. Handlers hold no business logic.
package api

import (
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/scheduler"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Options configure the server.
type Options struct {
	// Auth checks bearer tokens on /api/*; nil means open.
	Auth *auth.Verifier
	// BindAddr is the listen address; its host is an allowed Host name.
	BindAddr string
	// AllowedHosts are further Host names (or "*.suffix") the server
	// answers to; see guard.go.
	AllowedHosts []string
	// Timeouts of HTTPServer; zero fields take DefaultTimeouts.
	Timeouts Timeouts
	// ValidateResponses checks every response against /api/openapi.json
	// and logs mismatches (openapi_validate.go); for test runs.
	ValidateResponses bool
}

// Server holds what handlers need.
type Server struct {
	console  *console.Console
	spa      fs.FS
	log      *slog.Logger
	auth     *auth.Verifier
	hosts    hostPolicy
	timeouts Timeouts
	uploads  chan struct{} // upload slots (limits.go)
	mux      *http.ServeMux
	routes   []route
	checker  *ResponseChecker // nil unless Options.ValidateResponses

	verifierOnce sync.Once // verifier(): the accounts' session secret

	metrics *prometheus.Registry     // this server's /metrics (metrics.go)
	latency *prometheus.HistogramVec // kanade_http_request_duration_seconds{route}
}

// route is one registered endpoint; the table also feeds /api/openapi.json.
type route struct {
	method, path, summary string
	handler               http.HandlerFunc
	access                access // who may call it (access.go)
	api                   api    // parameters, body and answer (openapi.go)
}

// New builds the handler tree. spa is the built frontend (frontend.Dist()).
func New(c *console.Console, spa fs.FS, log *slog.Logger, opts ...Options) *Server {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Auth == nil {
		o.Auth = auth.New(auth.Config{})
	}
	s := &Server{console: c, spa: spa, log: log.With("component", "http"), auth: o.Auth, mux: http.NewServeMux()}
	s.hosts = newHostPolicy(o.Auth.Mode(), o.BindAddr, o.AllowedHosts)
	s.timeouts, s.uploads = o.Timeouts.orDefaults(), make(chan struct{}, uploadSlots)
	s.register()
	s.newMetrics()
	if o.ValidateResponses {
		c, err := newResponseChecker(s.routes)
		if err != nil {
			panic("api: the OpenAPI description does not load: " + err.Error()) // a bug, caught by TestOpenAPIValidates
		}
		s.checker = c
		s.log.Info("validating every response against /api/openapi.json")
	}
	return s
}

func (s *Server) register() {
	s.routes = []route{
		// kanade 0.29
		{"GET", "/health", "Liveness text \"ok\" (public)", s.health, needPublic, textOut()},
		{"GET", "/api/agents", "List agents", s.listAgents, needViewer, listOf[store.AgentRow](with(pagingOrAll, strQ("q", "substring of pc_id or hostname"), enumQ("status", "heartbeat within 2 minutes (online) or not (stale)", "online", "stale"), strQ("group", "member of this group"))...)},
		{"GET", "/api/agents/{pc_id}", "One agent", s.getAgent, needViewer, returns[store.AgentRow]()},
		{"GET", "/api/agents/{pc_id}/groups", "A PC's groups", s.getAgentGroups, needViewer, returns[wire.AgentGroups]()},
		{"PUT", "/api/agents/{pc_id}/groups", "Replace a PC's groups", s.putAgentGroups, needOperator, returns[wire.AgentGroups]().takes(bodyOf[groupsBody]())},
		{"POST", "/api/agents/{pc_id}/groups", "Add a group to a PC", s.addAgentGroup, needOperator, returns[wire.AgentGroups]().takes(bodyOf[groupBody]())},
		{"DELETE", "/api/agents/{pc_id}/groups/{group}", "Remove a group from a PC", s.removeAgentGroup, needOperator, returns[wire.AgentGroups]()},
		{"GET", "/api/agents/{pc_id}/effective_config", "A PC's resolved config", s.effectiveConfig, needViewer, returns[execution.EffectiveConfigResponse]()},
		{"GET", "/api/config", "Global config scope", s.getConfig, needViewer, returns[wire.ConfigScope]()},
		{"PUT", "/api/config", "Replace the global config scope", s.putConfig, needOperator, returns[wire.ConfigScope]().takes(bodyOf[wire.ConfigScope]())},
		{"GET", "/api/groups/{name}/config", "Group config scope", s.getConfig, needViewer, returns[wire.ConfigScope]()},
		{"PUT", "/api/groups/{name}/config", "Replace a group config scope", s.putConfig, needOperator, returns[wire.ConfigScope]().takes(bodyOf[wire.ConfigScope]())},
		{"DELETE", "/api/groups/{name}/config", "Delete a group config scope", s.deleteConfig, needOperator, noContent204()},
		{"GET", "/api/pcs/{pc_id}/config", "PC config scope", s.getConfig, needViewer, returns[wire.ConfigScope]()},
		{"PUT", "/api/pcs/{pc_id}/config", "Replace a PC config scope", s.putConfig, needOperator, returns[wire.ConfigScope]().takes(bodyOf[wire.ConfigScope]())},
		{"DELETE", "/api/pcs/{pc_id}/config", "Delete a PC config scope", s.deleteConfig, needOperator, noContent204()},
		{"GET", "/api/results", "List results", s.listResults, needViewer, listOf[store.ResultRow](with(paging, strQ("pc_id", ""), strQ("job_id", ""), strQ("exec_id", ""), enumQ("status", "success, failure (skips excluded), skipped, or running (in-flight runs: exit_code and finished_at null)", console.ResultStatuses...), timeQ("since", "recorded (running: started) at or after"), timeQ("until", "recorded (running: started) before"), strQ("q", "substring of stdout or stderr"), intQ("preview", "cut stdout and stderr to this many characters", 0, 1, 0))...)},
		{"GET", "/api/results/{result_id}", "One result with full output (or an in-flight run)", s.getResult, needViewer, returns[store.ResultRow]()},
		{"GET", "/api/results/{result_id}/tail", "Live output of a running result (from its agent, 3 s) or the stored output of a finished one", s.resultTail, needViewer, returns[console.ResultTail]()},
		{"GET", "/api/executions", "List executions", s.listExecutions, needViewer, listOf[store.ExecutionRow](with(paging, strQ("job_id", ""), strQ("status", "execution status"))...)},
		{"GET", "/api/executions/{exec_id}", "One execution with per-PC results", s.getExecution, needViewer, returns[store.ExecutionDetail](intQ("results_limit", "per-PC results to include", store.FullDetail.Results, 0, store.MaxExecutionResults), intQ("inflight_limit", "in-flight runs to include", store.FullDetail.Inflight, 0, store.MaxExecutionResults))},
		{"GET", "/api/audit", "List audit events", s.listAudit, needViewer, listOf[store.AuditEntry](with(paging, strQ("actor", ""), strQ("action", ""), timeQ("since", ""), timeQ("until", ""))...)},
		{"POST", "/api/exec/{job_id}", "Fan a job out", s.execJob, needOperator, returns[wire.ExecResponse]().takes(bodyOf[wire.FanoutPlan]())},
		{"GET", "/api/schedules", "List schedules", s.listSchedules, needViewer, listOf[scheduler.Listed](pagingOrAll...)},
		{"POST", "/api/schedules", "Create or replace a schedule (JSON or YAML)", s.upsertSchedule, needOperator, returns[scheduler.UpsertResponse]().takes(bodyOf[wire.Schedule]()).orYAML()},
		{"DELETE", "/api/schedules/{id}", "Delete a schedule", s.deleteSchedule, needOperator, noContent204()},
		{"POST", "/api/schedules/{id}/disable", "Disable a schedule (cascade=true also revokes its job)", s.disableSchedule, needOperator, noContent204(boolQ("cascade", "also revoke the schedule's job"))},
		{"POST", "/api/run", "Run a script on one PC and wait for the result", s.run, needOperator, returns[wire.ExecResult]().takes(bodyOf[console.RunBody]())},
		{"POST", "/api/agents/{pc_id}/ping", "Wait for a PC's next heartbeat", s.pingAgent, needOperator, returns[console.PingResponse](intQ("wait_secs", "how long to wait", 45, 1, 600))},
		{"GET", "/api/scripts/status", "ACTIVE/REVOKED per job", s.scriptStatus, needViewer, returns[map[string]string]()},
		{"POST", "/api/scripts/{cmd_id}/revoke", "Revoke a job", s.revokeScript, needOperator, noContent204()},
		{"POST", "/api/scripts/{cmd_id}/unrevoke", "Unrevoke a job", s.unrevokeScript, needOperator, noContent204()},
		{"GET", "/api/jobs", "The job catalog, each job with live counters of its pending and running executions", s.listJobs, needViewer, listOf[console.JobRow](pagingOrAll...)},
		{"POST", "/api/jobs", "Create or replace a job (Manifest JSON or YAML)", s.upsertJob, needOperator, returns[execution.UpsertJobResponse]().takes(bodyOf[wire.Manifest]()).orYAML()},
		{"DELETE", "/api/jobs/{id}", "Delete a job (409 while scheduled)", s.deleteJob, needOperator, noContent204().conflictsWith(bodyOf[jobInUseBody]())},
		{"POST", "/api/jobs/{job_id}/kill", "Kill every pending or running exec of a job", s.killJob, needOperator, noContent204()},
		{"GET", "/api/jetstream/status", "Which kanade streams, buckets and stores exist", s.jetstreamStatus, needViewer, returns[broker.Resources]()},
		{"GET", "/api/health/fleet", "Fleet health roll-up (503 when degraded)", s.fleetHealth, needViewer, returns[console.FleetHealth]().alsoOn(http.StatusServiceUnavailable)},
		{"GET", "/api/inventory/jobs", "Inventory probes of the catalog", s.inventoryJobs, needViewer, listOf[console.InventoryJob](pagingOrAll...)},
		{"GET", "/api/inventory/by-job/{manifest_id}", "Every PC's facts for one probe", s.inventoryByJob, needViewer, returns[console.InventoryByJob](pagingOrAll...).counted()},
		{"GET", "/api/inventory/{pc_id}", "One PC's facts for every probe", s.inventoryOfPC, needViewer, listOf[store.InventoryRow]()},
		// kanade v0.31-v0.35 inventory search and history
		{"GET", "/api/inventory/{manifest_id}/search/{field}", "Search a probe's explode table: every other query parameter is a filter <col>=v or <col>__<op>=v (op: eq ne lt le gt ge prefix contains suffix)", s.inventorySearch, needViewer, listOf[store.ExplodeRow](intQ("limit", "page size (default 1000, at most 5000)", console.SearchDefaultLimit, 1, console.InventoryMaxLimit), intQ("offset", "rows to skip", 0, 0, 0))},
		{"GET", "/api/inventory/{manifest_id}/search-scalars", "Search a probe's PCs by its scalar display fields (number and bytes compare as numbers): every other query parameter is a filter <field>=v or <field>__<op>=v", s.inventoryScalarSearch, needViewer, listOf[store.ExplodeRow](intQ("limit", "page size (default 1000, at most 5000)", console.SearchDefaultLimit, 1, console.InventoryMaxLimit), intQ("offset", "rows to skip", 0, 0, 0))},
		{"GET", "/api/inventory/{manifest_id}/history/pc/{pc_id}", "One PC's inventory changes, newest first", s.inventoryHistory, needViewer, listOf[store.HistoryRow](historyParams(console.HistoryDefaultLimit, false)...)},
		{"GET", "/api/inventory/{manifest_id}/history/search", "Inventory changes across PCs (identity.<key>=v filters on the row identity)", s.inventoryFleetHistory, needViewer, listOf[store.HistoryRow](historyParams(console.HistoryDefaultLimit, true)...)},
		{"GET", "/api/inventory/{manifest_id}/history/first_seen", "Per PC the earliest matching change, earliest first (identity.<key>=v filters)", s.inventoryFirstSeen, needViewer, listOf[store.FirstSeen](historyParams(console.FirstSeenDefaultLimit, false)...)},
		{"GET", "/api/agents/{pc_id}/logs", "Tail of an agent's log (text)", s.agentLogs, needViewer, textOut(intQ("tail", "lines from the end", 500, 1, 1<<32-1))},
		{"GET", "/api/agents/releases", "Stored agent versions", s.listReleases, needViewer, listOf[execution.Release](pagingOrAll...)},
		{"DELETE", "/api/agents/releases/{version}", "Delete an agent version (409 while targeted)", s.deleteRelease, needOperator, noContent204()},
		{"POST", "/api/agents/rollout", "Point a config scope at an agent version", s.rollout, needOperator, returns[execution.RolloutResponse]().takes(bodyOf[execution.RolloutRequest]())},
		{"POST", "/api/agents/publish", "Upload an agent binary (multipart field file, 64 MiB)", s.publish, needOperator, returns[execution.PublishResponse]().uploads()},
		// beyond 0.29
		{"GET", "/healthz", "Process liveness", s.healthz, needPublic, returns[map[string]string]()},
		{"GET", "/readyz", "Readiness: database, NATS, bootstrap (503 until ready)", s.readyz, needPublic, returns[console.Readiness]().alsoOn(http.StatusServiceUnavailable)},
		{"GET", "/api/status", "Projectors, scheduler leader, NATS connection", s.status, needViewer, returns[console.Status]()},
		{"GET", "/api/groups", "Groups with member counts", s.listGroups, needViewer, listOf[store.GroupCount](pagingOrAll...)},
		{"POST", "/api/executions/{exec_id}/kill", "Kill one exec", s.killExecution, needOperator, noContent204()},
		{"GET", "/api/dead-letters", "Messages that could not be decoded", s.listDeadLetters, needViewer, listOf[store.DeadLetterRow](paging...)},
		{"GET", "/api/cron/next", "Next fire times of a cron expression", s.cronNext, needViewer, returns[console.CronNextResponse](strQ("cron", "the expression (6 or 7 fields, seconds first)"), intQ("n", "how many", 5, 1, 100))},
		{"GET", "/api/connect", "Where agents connect: NATS URLs, token, real agents reporting", s.connectInfo, needOperator, returns[console.ConnectInfo]()},
		{"GET", "/api/demo", "The demo fleet of simulated agents", s.demoStatus, needViewer, returns[console.DemoStatus]()},
		{"POST", "/api/demo", "Start a demo fleet", s.startDemo, needOperator, returns[console.DemoStatus]().takes(bodyOf[console.DemoStart]())},
		{"DELETE", "/api/demo", "Stop the demo fleet and remove its agents", s.stopDemo, needOperator, returns[console.DemoStatus]()},
		{"GET", "/api/openapi.json", "This description", s.openapi, needViewer, returns[map[string]any]()},
		{"GET", "/metrics", "Prometheus metrics", s.metricsHandler, needViewer, textOut()},
		// kanade v0.4x accounts (issue 15)
		{"GET", "/api/version", "The console's version (public)", s.version, needPublic, returns[versionBody]()},
		{"POST", "/api/auth/login", "Sign in: a token, or mfa_required when a TOTP code is due (public)", s.login, needPublic, returns[accounts.LoginResponse]().takes(bodyOf[accounts.LoginRequest]())},
		{"GET", "/api/auth/me", "The caller: name, role, pages, MFA", s.authMe, needViewer, returns[accounts.Me]()},
		{"POST", "/api/auth/change-password", "Change the caller's password", s.changePassword, needViewer, noContent204().takes(bodyOf[accounts.ChangePasswordRequest]())},
		{"POST", "/api/auth/mfa/init", "A candidate TOTP secret (nothing stored)", s.mfaInit, needViewer, returns[accounts.MFAInit]()},
		{"POST", "/api/auth/mfa/verify", "Turn TOTP on (or rotate it) with a code of the new secret", s.mfaVerify, needViewer, noContent204().takes(bodyOf[accounts.MFAVerifyRequest]())},
		{"POST", "/api/auth/mfa/disable", "Turn TOTP off with a current code", s.mfaDisable, needViewer, noContent204().takes(bodyOf[accounts.MFACodeRequest]())},
		{"GET", "/api/auth/password-setup/{token}", "Who a password link is for (public)", s.passwordSetupInfo, needPublic, returns[accounts.LinkInfo]()},
		{"POST", "/api/auth/password-setup/{token}", "Set a password with a link, once (public)", s.passwordSetup, needPublic, noContent204().takes(bodyOf[accounts.SetPasswordRequest]()).answers(http.StatusOK)},
		{"POST", "/api/auth/forgot-password", "Ask for a reset link; always 200 (public; the console sends no mail)", s.forgotPassword, needPublic, noContent204().takes(bodyOf[forgotBody]()).answers(http.StatusOK)},
		{"GET", "/api/accounts", "List accounts", s.listAccounts, needAdmin, returns[[]accounts.UserRow]()},
		{"POST", "/api/accounts", "Create an account (without a password: a setup link in the answer)", s.createAccount, needAdmin, returns[accounts.CreateResponse]().takes(bodyOf[accounts.CreateRequest]()).answers(http.StatusCreated)},
		{"PATCH", "/api/accounts/{username}", "Change an account's role, password, disabled flag, email or pages", s.updateAccount, needAdmin, noContent204().takes(bodyOf[accounts.UpdateBody]())},
		{"DELETE", "/api/accounts/{username}", "Delete an account", s.deleteAccount, needAdmin, noContent204()},
		{"POST", "/api/accounts/{username}/reset-link", "A password reset link (72 h, single use) for an account", s.resetLink, needAdmin, returns[accounts.Link]()},
		{"GET", "/api/permission-groups", "List permission groups", s.listPermissionGroups, needAdmin, returns[[]accounts.Group]()},
		{"POST", "/api/permission-groups", "Create a permission group", s.createPermissionGroup, needAdmin, noContent204().takes(bodyOf[accounts.GroupRequest]()).answers(http.StatusCreated)},
		{"PATCH", "/api/permission-groups/{name}", "Replace a permission group's pages", s.updatePermissionGroup, needAdmin, noContent204().takes(bodyOf[accounts.GroupRequest]())},
		{"DELETE", "/api/permission-groups/{name}", "Delete a permission group without members", s.deletePermissionGroup, needAdmin, noContent204()},
	}
	long := map[string]bool{"POST /api/run": true, "POST /api/agents/{pc_id}/ping": true, "POST " + publishPath: true}
	for _, rt := range s.routes {
		h := rt.handler
		if long[rt.method+" "+rt.path] {
			h = s.longRoute(h)
		}
		pattern, tail := muxPattern(rt)
		gated := s.gate(rt, h)
		if tail != "" {
			inner := gated
			gated = func(w http.ResponseWriter, r *http.Request) {
				if path.Base(r.URL.Path) != tail {
					s.apiMiss(w, r)
					return
				}
				inner(w, r)
			}
		}
		s.mux.HandleFunc(pattern, gated)
	}
	// Anything under /api/ that no route claimed is a JSON 404, never the SPA
	// (kanade 0.29 answered index.html with 200, which hid typos in scripts).
	s.mux.HandleFunc("/api/", s.apiMiss)
	s.mux.HandleFunc("/", s.serveSPA)
}

// literalTails are routes whose literal last segment Go's mux cannot tell
// from a sibling's wildcard: /api/inventory/by-job/{manifest_id} and
// /api/inventory/{manifest_id}/search-scalars both match
// /api/inventory/by-job/search-scalars, and the mux refuses two patterns
// with neither more specific. kanade's router prefers the literal segment
// (by-job), and so does this one: such a route is registered with a
// wildcard last segment ({route_tail}), which by-job's pattern beats, and
// any other last segment is the JSON 404 of an unknown route.
var literalTails = map[string]string{"GET /api/inventory/{manifest_id}/search-scalars": "search-scalars"}

const routeTail = "route_tail"

// muxPattern is the pattern rt is registered under, and the literal its
// {route_tail} must equal (empty for the routes registered as they read).
func muxPattern(rt route) (pattern, tail string) {
	pattern = rt.method + " " + rt.path
	if tail = literalTails[pattern]; tail != "" {
		pattern = strings.TrimSuffix(pattern, tail) + "{" + routeTail + "}"
	}
	return pattern, tail
}

// tailOfPattern maps a {route_tail} registration to its literal.
var tailOfPattern = func() map[string]string {
	m := map[string]string{}
	for p, tail := range literalTails {
		m[strings.TrimSuffix(p, tail)+"{"+routeTail+"}"] = tail
	}
	return m
}()

// routePattern is the route-table pattern mux serves r with ("" for
// none): a {route_tail} registration stands for its route only when r's
// last segment is the literal.
func routePattern(mux *http.ServeMux, r *http.Request) string {
	_, p := mux.Handler(r)
	if tail, ok := tailOfPattern[p]; ok {
		if path.Base(r.URL.Path) != tail {
			return ""
		}
		return strings.TrimSuffix(p, "{"+routeTail+"}") + tail
	}
	return p
}

// ServeHTTP guards, serves, and records latency per route. Each route
// authenticates and authorizes its caller itself (gate, access.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	securityHeaders(rec.Header())
	if !s.probe(r) && !s.guard(rec, r) {
		s.observe(r, "refused", rec.status, start)
		return
	}
	if s.checker != nil {
		s.validating(rec, r, s.mux.ServeHTTP)
	} else {
		s.mux.ServeHTTP(rec, r)
	}
	s.observe(r, r.Pattern, rec.status, start)
}

// probe: the public liveness/readiness GETs stay reachable under any Host
// name (an orchestrator probes the pod's address); they reveal nothing.
func (s *Server) probe(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	switch r.URL.Path {
	case "/health", "/healthz", "/readyz":
		return true
	}
	return false
}

func (s *Server) observe(r *http.Request, pattern string, status int, start time.Time) {
	took := time.Since(start)
	if pattern == "" || pattern == "/" {
		pattern = "spa"
	}
	s.latency.WithLabelValues(pattern).Observe(took.Seconds())
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", status, "took", took)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// apiMiss answers an /api/ request no route took: 405 when the path exists
// with other methods, else a JSON 404.
func (s *Server) apiMiss(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authenticated(w, r); !ok {
		return // like 0.29: an anonymous caller learns nothing of the routes
	}
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if pattern := routePattern(s.mux, probe); pattern != "/api/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+" (allowed: "+strings.Join(allowed, ", ")+")")
		return
	}
	writeError(w, http.StatusNotFound, "no such API route: "+r.Method+" "+r.URL.Path)
}
