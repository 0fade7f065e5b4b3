// Package api is the HTTP layer of `kanade-console serve`: thin handlers over
// the console's service methods, the embedded SPA, auth, metrics and the
// OpenAPI description. Handlers hold no business logic.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/metrics"
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
	metrics  *metrics.Registry

	histMu sync.Mutex
	hists  map[string]*metrics.Histogram
}

// route is one registered endpoint; the table also feeds /api/openapi.json.
type route struct {
	method, path, summary string
	handler               http.HandlerFunc
	public                bool // no auth (kanade's /health)
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
	s := &Server{console: c, spa: spa, log: log.With("component", "http"), auth: o.Auth, mux: http.NewServeMux(), metrics: &metrics.Registry{}, hists: map[string]*metrics.Histogram{}}
	s.hosts = newHostPolicy(o.Auth.Mode(), o.BindAddr, o.AllowedHosts)
	s.timeouts, s.uploads = o.Timeouts.orDefaults(), make(chan struct{}, uploadSlots)
	s.register()
	s.registerMetrics()
	return s
}

func (s *Server) register() {
	s.routes = []route{
		// kanade 0.29
		{"GET", "/health", "Liveness text \"ok\" (public)", s.health, true},
		{"GET", "/api/agents", "List agents (q, status, group, limit, offset)", s.listAgents, false},
		{"GET", "/api/agents/{pc_id}", "One agent", s.getAgent, false},
		{"GET", "/api/agents/{pc_id}/groups", "A PC's groups", s.getAgentGroups, false},
		{"PUT", "/api/agents/{pc_id}/groups", "Replace a PC's groups", s.putAgentGroups, false},
		{"POST", "/api/agents/{pc_id}/groups", "Add a group to a PC", s.addAgentGroup, false},
		{"DELETE", "/api/agents/{pc_id}/groups/{group}", "Remove a group from a PC", s.removeAgentGroup, false},
		{"GET", "/api/agents/{pc_id}/effective_config", "A PC's resolved config", s.effectiveConfig, false},
		{"GET", "/api/config", "Global config scope", s.getConfig, false},
		{"PUT", "/api/config", "Replace the global config scope", s.putConfig, false},
		{"GET", "/api/groups/{name}/config", "Group config scope", s.getConfig, false},
		{"PUT", "/api/groups/{name}/config", "Replace a group config scope", s.putConfig, false},
		{"DELETE", "/api/groups/{name}/config", "Delete a group config scope", s.deleteConfig, false},
		{"GET", "/api/pcs/{pc_id}/config", "PC config scope", s.getConfig, false},
		{"PUT", "/api/pcs/{pc_id}/config", "Replace a PC config scope", s.putConfig, false},
		{"DELETE", "/api/pcs/{pc_id}/config", "Delete a PC config scope", s.deleteConfig, false},
		{"GET", "/api/results", "List results (pc_id, job_id, exec_id, status, since, until, q, preview, limit, offset)", s.listResults, false},
		{"GET", "/api/results/{result_id}", "One result with full output", s.getResult, false},
		{"GET", "/api/executions", "List executions (job_id, status, limit, offset)", s.listExecutions, false},
		{"GET", "/api/executions/{exec_id}", "One execution with per-PC results", s.getExecution, false},
		{"GET", "/api/audit", "List audit events (actor, action, since, until, limit, offset)", s.listAudit, false},
		{"POST", "/api/exec/{job_id}", "Fan a job out (FanoutPlan body)", s.execJob, false},
		{"GET", "/api/schedules", "List schedules", s.listSchedules, false},
		{"POST", "/api/schedules", "Create or replace a schedule (JSON or YAML)", s.upsertSchedule, false},
		{"DELETE", "/api/schedules/{id}", "Delete a schedule", s.deleteSchedule, false},
		{"POST", "/api/schedules/{id}/disable", "Disable a schedule (cascade=true also revokes its job)", s.disableSchedule, false},
		{"POST", "/api/run", "Run a script on one PC and wait for the result", s.run, false},
		{"POST", "/api/agents/{pc_id}/ping", "Wait for a PC's next heartbeat (wait_secs)", s.pingAgent, false},
		{"GET", "/api/scripts/status", "ACTIVE/REVOKED per job", s.scriptStatus, false},
		{"POST", "/api/scripts/{cmd_id}/revoke", "Revoke a job", s.revokeScript, false},
		{"POST", "/api/scripts/{cmd_id}/unrevoke", "Unrevoke a job", s.unrevokeScript, false},
		{"GET", "/api/jobs", "The job catalog", s.listJobs, false},
		{"POST", "/api/jobs", "Create or replace a job (Manifest JSON or YAML)", s.upsertJob, false},
		{"DELETE", "/api/jobs/{id}", "Delete a job (409 while scheduled)", s.deleteJob, false},
		{"POST", "/api/jobs/{job_id}/kill", "Kill every pending or running exec of a job", s.killJob, false},
		{"GET", "/api/jetstream/status", "Which kanade streams, buckets and stores exist", s.jetstreamStatus, false},
		{"GET", "/api/health/fleet", "Fleet health roll-up (503 when degraded)", s.fleetHealth, false},
		{"GET", "/api/inventory/jobs", "Inventory probes of the catalog", s.inventoryJobs, false},
		{"GET", "/api/inventory/by-job/{manifest_id}", "Every PC's facts for one probe", s.inventoryByJob, false},
		{"GET", "/api/inventory/{pc_id}", "One PC's facts for every probe", s.inventoryOfPC, false},
		{"GET", "/api/agents/{pc_id}/logs", "Tail of an agent's log (text)", s.agentLogs, false},
		{"GET", "/api/agents/releases", "Stored agent versions", s.listReleases, false},
		{"DELETE", "/api/agents/releases/{version}", "Delete an agent version (409 while targeted)", s.deleteRelease, false},
		{"POST", "/api/agents/rollout", "Point a config scope at an agent version", s.rollout, false},
		{"POST", "/api/agents/publish", "Upload an agent binary (multipart field file, 64 MiB)", s.publish, false},
		// beyond 0.29
		{"GET", "/healthz", "Process liveness", s.healthz, true},
		{"GET", "/readyz", "Readiness: database, NATS, bootstrap (503 until ready)", s.readyz, true},
		{"GET", "/api/status", "Projectors, scheduler leader, NATS connection", s.status, false},
		{"GET", "/api/groups", "Groups with member counts", s.listGroups, false},
		{"POST", "/api/executions/{exec_id}/kill", "Kill one exec", s.killExecution, false},
		{"GET", "/api/dead-letters", "Messages that could not be decoded", s.listDeadLetters, false},
		{"GET", "/api/cron/next", "Next fire times of a cron expression (cron, n)", s.cronNext, false},
		{"GET", "/api/connect", "Where agents connect: NATS URLs, token, real agents reporting", s.connectInfo, false},
		{"GET", "/api/demo", "The demo fleet of simulated agents", s.demoStatus, false},
		{"POST", "/api/demo", "Start a demo fleet ({agents, first_run})", s.startDemo, false},
		{"DELETE", "/api/demo", "Stop the demo fleet and remove its agents", s.stopDemo, false},
		{"GET", "/api/openapi.json", "This description", s.openapi, false},
		{"GET", "/metrics", "Prometheus metrics", s.metricsHandler, false},
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
	s.mux.ServeHTTP(rec, r)
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
	s.histogram(pattern).Observe(took.Seconds())
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
