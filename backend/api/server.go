// Package api is the HTTP layer of `kanade-console serve`: thin handlers over
// the console's service methods, the embedded SPA, auth, metrics and the
// OpenAPI description. Handlers hold no business logic.
package api

import (
	"context"
	"github.com/prometheus/client_golang/prometheus"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

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

	metrics *prometheus.Registry     // this server's /metrics (metrics.go)
	latency *prometheus.HistogramVec // kanade_http_request_duration_seconds{route}
}

// route is one registered endpoint; the table also feeds /api/openapi.json.
type route struct {
	method, path, summary string
	handler               http.HandlerFunc
	public                bool // no auth (kanade's /health)
	api                   api  // parameters, body and answer (openapi.go)
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
		{"GET", "/health", "Liveness text \"ok\" (public)", s.health, true, textOut()},
		{"GET", "/api/agents", "List agents", s.listAgents, false, listOf[store.AgentRow](with(pagingOrAll, strQ("q", "substring of pc_id or hostname"), enumQ("status", "heartbeat within 2 minutes (online) or not (stale)", "online", "stale"), strQ("group", "member of this group"))...)},
		{"GET", "/api/agents/{pc_id}", "One agent", s.getAgent, false, returns[store.AgentRow]()},
		{"GET", "/api/agents/{pc_id}/groups", "A PC's groups", s.getAgentGroups, false, returns[wire.AgentGroups]()},
		{"PUT", "/api/agents/{pc_id}/groups", "Replace a PC's groups", s.putAgentGroups, false, returns[wire.AgentGroups]().takes(bodyOf[groupsBody]())},
		{"POST", "/api/agents/{pc_id}/groups", "Add a group to a PC", s.addAgentGroup, false, returns[wire.AgentGroups]().takes(bodyOf[groupBody]())},
		{"DELETE", "/api/agents/{pc_id}/groups/{group}", "Remove a group from a PC", s.removeAgentGroup, false, returns[wire.AgentGroups]()},
		{"GET", "/api/agents/{pc_id}/effective_config", "A PC's resolved config", s.effectiveConfig, false, returns[execution.EffectiveConfigResponse]()},
		{"GET", "/api/config", "Global config scope", s.getConfig, false, returns[wire.ConfigScope]()},
		{"PUT", "/api/config", "Replace the global config scope", s.putConfig, false, returns[wire.ConfigScope]().takes(bodyOf[wire.ConfigScope]())},
		{"GET", "/api/groups/{name}/config", "Group config scope", s.getConfig, false, returns[wire.ConfigScope]()},
		{"PUT", "/api/groups/{name}/config", "Replace a group config scope", s.putConfig, false, returns[wire.ConfigScope]().takes(bodyOf[wire.ConfigScope]())},
		{"DELETE", "/api/groups/{name}/config", "Delete a group config scope", s.deleteConfig, false, noContent204()},
		{"GET", "/api/pcs/{pc_id}/config", "PC config scope", s.getConfig, false, returns[wire.ConfigScope]()},
		{"PUT", "/api/pcs/{pc_id}/config", "Replace a PC config scope", s.putConfig, false, returns[wire.ConfigScope]().takes(bodyOf[wire.ConfigScope]())},
		{"DELETE", "/api/pcs/{pc_id}/config", "Delete a PC config scope", s.deleteConfig, false, noContent204()},
		{"GET", "/api/results", "List results", s.listResults, false, listOf[store.ResultRow](with(paging, strQ("pc_id", ""), strQ("job_id", ""), strQ("exec_id", ""), enumQ("status", "", "success", "failure"), timeQ("since", "finished at or after"), timeQ("until", "finished before"), strQ("q", "substring of stdout or stderr"), intQ("preview", "cut stdout and stderr to this many characters", 0, 1, 0))...)},
		{"GET", "/api/results/{result_id}", "One result with full output", s.getResult, false, returns[store.ResultRow]()},
		{"GET", "/api/executions", "List executions", s.listExecutions, false, listOf[store.ExecutionRow](with(paging, strQ("job_id", ""), strQ("status", "execution status"))...)},
		{"GET", "/api/executions/{exec_id}", "One execution with per-PC results", s.getExecution, false, returns[store.ExecutionDetail](intQ("results_limit", "per-PC results to include", store.FullDetail.Results, 0, store.MaxExecutionResults), intQ("inflight_limit", "in-flight runs to include", store.FullDetail.Inflight, 0, store.MaxExecutionResults))},
		{"GET", "/api/audit", "List audit events", s.listAudit, false, listOf[store.AuditEntry](with(paging, strQ("actor", ""), strQ("action", ""), timeQ("since", ""), timeQ("until", ""))...)},
		{"POST", "/api/exec/{job_id}", "Fan a job out", s.execJob, false, returns[wire.ExecResponse]().takes(bodyOf[wire.FanoutPlan]())},
		{"GET", "/api/schedules", "List schedules", s.listSchedules, false, listOf[scheduler.Listed](pagingOrAll...)},
		{"POST", "/api/schedules", "Create or replace a schedule (JSON or YAML)", s.upsertSchedule, false, returns[scheduler.UpsertResponse]().takes(bodyOf[wire.Schedule]()).orYAML()},
		{"DELETE", "/api/schedules/{id}", "Delete a schedule", s.deleteSchedule, false, noContent204()},
		{"POST", "/api/schedules/{id}/disable", "Disable a schedule (cascade=true also revokes its job)", s.disableSchedule, false, noContent204(boolQ("cascade", "also revoke the schedule's job"))},
		{"POST", "/api/run", "Run a script on one PC and wait for the result", s.run, false, returns[wire.ExecResult]().takes(bodyOf[runBody]())},
		{"POST", "/api/agents/{pc_id}/ping", "Wait for a PC's next heartbeat", s.pingAgent, false, returns[pingResponse](intQ("wait_secs", "how long to wait", 45, 1, 600))},
		{"GET", "/api/scripts/status", "ACTIVE/REVOKED per job", s.scriptStatus, false, returns[map[string]string]()},
		{"POST", "/api/scripts/{cmd_id}/revoke", "Revoke a job", s.revokeScript, false, noContent204()},
		{"POST", "/api/scripts/{cmd_id}/unrevoke", "Unrevoke a job", s.unrevokeScript, false, noContent204()},
		{"GET", "/api/jobs", "The job catalog", s.listJobs, false, listOf[execution.Job](pagingOrAll...)},
		{"POST", "/api/jobs", "Create or replace a job (Manifest JSON or YAML)", s.upsertJob, false, returns[execution.UpsertJobResponse]().takes(bodyOf[wire.Manifest]()).orYAML()},
		{"DELETE", "/api/jobs/{id}", "Delete a job (409 while scheduled)", s.deleteJob, false, noContent204()},
		{"POST", "/api/jobs/{job_id}/kill", "Kill every pending or running exec of a job", s.killJob, false, noContent204()},
		{"GET", "/api/jetstream/status", "Which kanade streams, buckets and stores exist", s.jetstreamStatus, false, returns[broker.Resources]()},
		{"GET", "/api/health/fleet", "Fleet health roll-up (503 when degraded)", s.fleetHealth, false, returns[console.FleetHealth]().alsoOn(http.StatusServiceUnavailable)},
		{"GET", "/api/inventory/jobs", "Inventory probes of the catalog", s.inventoryJobs, false, listOf[console.InventoryJob](pagingOrAll...)},
		{"GET", "/api/inventory/by-job/{manifest_id}", "Every PC's facts for one probe", s.inventoryByJob, false, returns[console.InventoryByJob](pagingOrAll...).counted()},
		{"GET", "/api/inventory/{pc_id}", "One PC's facts for every probe", s.inventoryOfPC, false, listOf[store.InventoryRow]()},
		{"GET", "/api/agents/{pc_id}/logs", "Tail of an agent's log (text)", s.agentLogs, false, textOut(intQ("tail", "lines from the end", 500, 1, 1<<32-1))},
		{"GET", "/api/agents/releases", "Stored agent versions", s.listReleases, false, listOf[execution.Release](pagingOrAll...)},
		{"DELETE", "/api/agents/releases/{version}", "Delete an agent version (409 while targeted)", s.deleteRelease, false, noContent204()},
		{"POST", "/api/agents/rollout", "Point a config scope at an agent version", s.rollout, false, returns[execution.RolloutResponse]().takes(bodyOf[execution.RolloutRequest]())},
		{"POST", "/api/agents/publish", "Upload an agent binary (multipart field file, 64 MiB)", s.publish, false, returns[execution.PublishResponse]().uploads()},
		// beyond 0.29
		{"GET", "/healthz", "Process liveness", s.healthz, true, returns[map[string]string]()},
		{"GET", "/readyz", "Readiness: database, NATS, bootstrap (503 until ready)", s.readyz, true, returns[console.Readiness]().alsoOn(http.StatusServiceUnavailable)},
		{"GET", "/api/status", "Projectors, scheduler leader, NATS connection", s.status, false, returns[console.Status]()},
		{"GET", "/api/groups", "Groups with member counts", s.listGroups, false, listOf[store.GroupCount]()},
		{"POST", "/api/executions/{exec_id}/kill", "Kill one exec", s.killExecution, false, noContent204()},
		{"GET", "/api/dead-letters", "Messages that could not be decoded", s.listDeadLetters, false, listOf[store.DeadLetterRow](paging...)},
		{"GET", "/api/cron/next", "Next fire times of a cron expression", s.cronNext, false, returns[cronNextResponse](strQ("cron", "the expression (6 or 7 fields, seconds first)"), intQ("n", "how many", 5, 1, 100))},
		{"GET", "/api/connect", "Where agents connect: NATS URLs, token, real agents reporting", s.connectInfo, false, returns[console.ConnectInfo]()},
		{"GET", "/api/demo", "The demo fleet of simulated agents", s.demoStatus, false, returns[console.DemoStatus]()},
		{"POST", "/api/demo", "Start a demo fleet", s.startDemo, false, returns[console.DemoStatus]().takes(bodyOf[console.DemoStart]())},
		{"DELETE", "/api/demo", "Stop the demo fleet and remove its agents", s.stopDemo, false, returns[console.DemoStatus]()},
		{"GET", "/api/openapi.json", "This description", s.openapi, false, returns[map[string]any]()},
		{"GET", "/metrics", "Prometheus metrics", s.metricsHandler, false, textOut()},
	}
	long := map[string]bool{"POST /api/run": true, "POST /api/agents/{pc_id}/ping": true, "POST " + publishPath: true}
	for _, rt := range s.routes {
		h := rt.handler
		if long[rt.method+" "+rt.path] {
			h = s.longRoute(h)
		}
		s.mux.HandleFunc(rt.method+" "+rt.path, h)
	}
	// Anything under /api/ that no route claimed is a JSON 404, never the SPA
	// (kanade 0.29 answered index.html with 200, which hid typos in scripts).
	s.mux.HandleFunc("/api/", s.apiMiss)
	s.mux.HandleFunc("/", s.serveSPA)
}

// ServeHTTP authenticates API calls, serves, and records latency per route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	securityHeaders(rec.Header())
	if !s.probe(r) && !s.guard(rec, r) {
		s.observe(r, "refused", rec.status, start)
		return
	}
	if s.protected(r.URL.Path) {
		c, err := s.auth.Authenticate(r.Header.Get("Authorization"))
		if err != nil {
			writeError(rec, http.StatusUnauthorized, err.Error())
			s.observe(r, "unauthorized", rec.status, start)
			return
		}
		if c.Sub != "" {
			r = r.WithContext(context.WithValue(r.Context(), identityKey{}, c.Sub))
		}
	}
	if s.checker != nil {
		s.validating(rec, r, s.mux.ServeHTTP)
	} else {
		s.mux.ServeHTTP(rec, r)
	}
	s.observe(r, r.Pattern, rec.status, start)
}

// protected: like 0.29, /api/* needs a token and the SPA does not; /metrics
// is protected too, /healthz and /readyz are for probes and stay open.
func (s *Server) protected(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/metrics"
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
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
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
