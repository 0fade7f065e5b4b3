package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// env is a real console (embedded NATS with a listener, SQLite in a temp
// dir), its HTTP handler, a NATS client for side effects, and simulated
// agents.
type env struct {
	t     *testing.T
	c     *console.Console
	srv   *httptest.Server
	nc    *nats.Conn
	js    jetstream.JetStream
	fleet *fleetsim.Fleet
}

func newEnv(t *testing.T, agents int) *env {
	t.Helper()
	c := startReadyConsole(t, "127.0.0.1:0", quiet, 30*time.Second)
	e := &env{t: t, c: c, srv: httptest.NewServer(New(c, builtSPA, quiet))}
	t.Cleanup(func() {
		if e.fleet != nil {
			e.fleet.Stop()
		}
		e.srv.Close()
		c.Stop(context.Background())
	})
	nc, err := nats.Connect(c.Broker().ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	e.nc = nc
	e.js, _ = jetstream.New(nc)
	if agents > 0 {
		f, err := fleetsim.New(fleetsim.Config{Agents: agents, Prefix: "SIM", HeartbeatInterval: 500 * time.Millisecond, TimeScale: 0.01, Seed: 1, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := f.Start(ctx, c.Broker().ClientURL()); err != nil {
			t.Fatal(err)
		}
		e.fleet = f
		e.waitFor("agents online", func() bool {
			var n int
			c.Store().Reader().QueryRow("SELECT count(*) FROM agents").Scan(&n)
			return n == agents
		})
	}
	return e
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

func (e *env) do(method, path, contentType, body string, headers ...string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	checkResponse(e.t, req, res.StatusCode, res.Header, b)
	return resp{res.StatusCode, res.Header, string(b)}
}

// with is e reporting to a subtest's t.
func (e *env) with(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

func (e *env) get(path string) resp { return e.do("GET", path, "", "") }
func (e *env) postJSON(path, body string) resp {
	return e.do("POST", path, "application/json", body, "X-Kanade-Source", "cli")
}

func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	testutil.WaitFor(e.t, 20*time.Second, testutil.Cond(what, cond))
}

func (e *env) kvGet(bucket, key string) string {
	kv, err := e.js.KeyValue(context.Background(), bucket)
	if err != nil {
		e.t.Fatal(err)
	}
	en, err := kv.Get(context.Background(), key)
	if err != nil {
		return ""
	}
	return string(en.Value())
}

func (e *env) expect(r resp, status int, contains ...string) {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	for _, c := range contains {
		if !strings.Contains(r.body, c) {
			e.t.Fatalf("body %s does not contain %s", r.body, c)
		}
	}
}

const jobJSON = `{"id":"inventory-hw","version":"1.2.0","description":"Hardware inventory probe","execute":{"shell":"powershell","script":"Get-CimInstance Win32_ComputerSystem | ConvertTo-Json","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"Name","label":"Hostname"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}],"summary":[{"field":"Name","label":"Hostname"}]},"staleness":{"mode":"cached"}}`

// The kanade CLI's request shapes (api §8) replayed as HTTP, in the order an
// operator uses them, checking what the CLI prints from each answer and the
// side effects on NATS, KV and SQLite.
func TestCLIFlow(t *testing.T) {
	e := newEnv(t, 3)
	// kanade job create manifest.yaml → POST /api/jobs (JSON)
	r := e.postJSON("/api/jobs", jobJSON)
	e.expect(r, 200, `"id":"inventory-hw"`, `"version":"1.2.0"`, `"inventory":true`, `"description":"Hardware inventory probe"`)
	if e.kvGet(wire.BucketJobs, "inventory-hw") != jobJSON {
		t.Fatalf("jobs KV = %s", e.kvGet(wire.BucketJobs, "inventory-hw"))
	}
	// kanade job list
	r = e.get("/api/jobs")
	e.expect(r, 200, `"id":"inventory-hw"`)
	if r.header.Get("X-Total-Count") != "1" || !strings.HasPrefix(r.body, "[") {
		t.Fatalf("job list = %s %v", r.body, r.header)
	}
	// kanade exec inventory-hw --all
	r = e.postJSON("/api/exec/inventory-hw", `{"target":{"all":true}}`)
	var ex wire.ExecResponse
	r.json(t, &ex)
	e.expect(r, 200, `"subjects":["commands.all"]`)
	if ex.TargetCount != 3 || ex.Version != "1.2.0" {
		t.Fatalf("exec = %+v", ex)
	}
	if e.kvGet(wire.BucketScriptCurrent, "inventory-hw") != "1.2.0" {
		t.Fatal("version not pinned")
	}
	// The three simulated agents answer; the execution completes.
	e.waitFor("execution completed", func() bool {
		r := e.get("/api/executions/" + ex.ExecID)
		return strings.Contains(r.body, `"status":"completed"`)
	})
	r = e.get("/api/executions/" + ex.ExecID)
	var detail struct {
		Execution map[string]any   `json:"execution"`
		Results   []map[string]any `json:"results"`
	}
	r.json(t, &detail)
	if len(detail.Results) != 3 || detail.Execution["target_count"] != 3.0 || detail.Results[0]["stdout"] != nil {
		t.Fatalf("execution detail = %s", r.body)
	}
	// A page that polls a big exec asks for fewer rows.
	r = e.get("/api/executions/" + ex.ExecID + "?results_limit=1&inflight_limit=0")
	detail.Results = nil
	r.json(t, &detail)
	if len(detail.Results) != 1 || detail.Execution["success_count"].(float64)+detail.Execution["failure_count"].(float64) != 3 {
		t.Fatalf("limited execution detail = %s", r.body)
	}
	for _, bad := range []string{"results_limit=-1", "results_limit=10001", "inflight_limit=x"} {
		e.expect(e.get("/api/executions/"+ex.ExecID+"?"+bad), 400, "must be an integer from 0 to 10000")
	}
	// --groups and --pcs, with --jitter
	r = e.postJSON("/api/exec/inventory-hw", `{"target":{"groups":["canary","wave1"]},"jitter":"30s"}`)
	e.expect(r, 200, `"subjects":["commands.group.canary","commands.group.wave1"]`)
	r = e.postJSON("/api/exec/inventory-hw", `{"target":{"pcs":["SIM-00001","SIM-00002"]}}`)
	e.expect(r, 200, `"target_count":2`, `"commands.pc.SIM-00001"`)
	// kanade schedule create (YAML parsed by the CLI, sent as JSON)
	r = e.postJSON("/api/schedules", `{"id":"hourly-inventory","cron":"0 0 * * * *","job_id":"inventory-hw","target":{"groups":["canary","wave1"],"pcs":[],"all":false},"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"30m"}]},"jitter":"5m","mode":"once_per_pc","cooldown":"1d","starting_deadline":"30m"}`)
	e.expect(r, 200, `{"id":"hourly-inventory","cron":"0 0 * * * *","enabled":true,"job_id":"inventory-hw"}`)
	// kanade schedule list
	r = e.get("/api/schedules")
	e.expect(r, 200, `"id":"hourly-inventory"`, `"mode":"once_per_pc"`, `"runs_on":"backend"`)
	// kanade job delete while scheduled → 409 naming the schedule: in the
	// message (what the CLI prints) and as a list (what the SPA links)
	r = e.do("DELETE", "/api/jobs/inventory-hw", "", "")
	e.expect(r, 409, `"error":"job inventory-hw is referenced by schedule(s) hourly-inventory; delete or change them first"`, `"schedules":["hourly-inventory"]`)
	// kanade schedule disable --cascade
	r = e.do("POST", "/api/schedules/hourly-inventory/disable?cascade=true", "", "")
	e.expect(r, 204)
	if e.kvGet(wire.BucketScriptStatus, "inventory-hw") != "REVOKED" {
		t.Fatal("cascade did not revoke")
	}
	if !strings.Contains(e.kvGet(wire.BucketSchedules, "hourly-inventory"), `"enabled":false`) {
		t.Fatal("schedule not disabled")
	}
	// kanade schedule delete, then job delete
	e.expect(e.do("DELETE", "/api/schedules/hourly-inventory", "", ""), 204)
	e.expect(e.do("DELETE", "/api/jobs/inventory-hw", "", ""), 204)
	if e.kvGet(wire.BucketJobs, "inventory-hw") != "" {
		t.Fatal("job still in KV")
	}
	// Every mutation was audited with the CLI source.
	e.waitFor("audit", func() bool {
		r := e.get("/api/audit?action=exec&limit=10")
		return r.header.Get("X-Total-Count") == "3"
	})
	r = e.get("/api/audit?action=exec&limit=1")
	e.expect(r, 200, `"actor":"operator"`, `"source":"cli"`, `"wave_mode":false`)
}

// One table entry per route family: status code, shape and side effects.
func TestRoutes029(t *testing.T) {
	e := newEnv(t, 2)
	pc := "SIM-00001"
	e.expect(e.postJSON("/api/jobs", jobJSON), 200)

	t.Run("agents", func(t *testing.T) {
		e := e.with(t)
		r := e.get("/api/agents")
		e.expect(r, 200, `"pc_id":"SIM-00001"`, `"os_family":"windows"`, `"agent_version":"0.29.0"`, `"online":true`)
		if r.header.Get("X-Total-Count") != "2" {
			t.Fatalf("total = %s", r.header.Get("X-Total-Count"))
		}
		e.expect(e.get("/api/agents?q=00002&limit=5"), 200, `"SIM-00002"`)
		if r := e.get("/api/agents?q=nobody"); r.body != "[]\n" {
			t.Fatalf("search miss = %q", r.body)
		}
		e.expect(e.get("/api/agents?limit=1&offset=1"), 200, `"pc_id"`)
		e.expect(e.get("/api/agents?limit=x"), 400, "limit")
		e.expect(e.get("/api/agents?status=asleep"), 400, "status")
		e.expect(e.get("/api/agents/"+pc), 200, `"pc_id":"SIM-00001"`, `"hostname":"SIM-00001"`)
		e.expect(e.get("/api/agents/NOPE"), 404, `{"error":"not found"}`)
	})
	t.Run("groups", func(t *testing.T) {
		e := e.with(t)
		e.expect(e.get("/api/agents/"+pc+"/groups"), 200, `{"groups":[]}`)
		e.expect(e.do("PUT", "/api/agents/"+pc+"/groups", "application/json", `{"groups":["wave1","canary","canary"]}`), 200, `{"groups":["canary","wave1"]}`)
		if e.kvGet(wire.BucketAgentGroups, pc) != `{"groups":["canary","wave1"]}` {
			t.Fatalf("KV = %s", e.kvGet(wire.BucketAgentGroups, pc))
		}
		e.expect(e.postJSON("/api/agents/"+pc+"/groups", `{"group":"dept-eng"}`), 200, `{"groups":["canary","dept-eng","wave1"]}`)
		e.expect(e.postJSON("/api/agents/"+pc+"/groups", `{"group":"  "}`), 400, "blank")
		e.expect(e.postJSON("/api/agents/"+pc+"/groups", `{"group":"a.b"}`), 400)
		e.expect(e.do("DELETE", "/api/agents/"+pc+"/groups/wave1", "", ""), 200, `{"groups":["canary","dept-eng"]}`)
		e.waitFor("group mirror", func() bool { return strings.Contains(e.get("/api/groups").body, `"group":"canary","members":1`) })
		e.expect(e.get("/api/agents?group=canary"), 200, `"groups":["canary","dept-eng"]`)
	})
	t.Run("config", func(t *testing.T) {
		e := e.with(t)
		e.expect(e.get("/api/config"), 200, `{}`)
		e.expect(e.do("PUT", "/api/config", "application/json", `{"target_version":"0.29.0","target_version_jitter":"30m","heartbeat_interval":"30s"}`), 200, `"target_version":"0.29.0"`)
		e.expect(e.do("PUT", "/api/groups/canary/config", "application/json", `{"target_version":"0.29.1"}`), 200)
		e.expect(e.do("PUT", "/api/groups/dept-eng/config", "application/json", `{"target_version":"0.29.2"}`), 200)
		e.expect(e.do("PUT", "/api/pcs/"+pc+"/config", "application/json", `{"heartbeat_interval":"1m"}`), 200)
		if e.kvGet(wire.BucketAgentConfig, "groups.canary") != `{"target_version":"0.29.1"}` {
			t.Fatal("group scope KV")
		}
		r := e.get("/api/agents/" + pc + "/effective_config")
		e.expect(r, 200, `"pc_id":"SIM-00001"`, `"target_version":"0.29.2"`, `"heartbeat_interval":"1m"`, `"target_version_jitter":"30m"`, "canary", "dept-eng")
		e.expect(e.do("PUT", "/api/config", "application/json", `{"heartbeat_interval":"soon"}`), 400)
		e.expect(e.do("PUT", "/api/config", "text/plain", `{}`), 415)
		e.expect(e.do("DELETE", "/api/groups/dept-eng/config", "", ""), 204)
		e.expect(e.do("DELETE", "/api/pcs/"+pc+"/config", "", ""), 204)
		e.expect(e.get("/api/pcs/"+pc+"/config"), 200, `{}`)
	})
	var execID string
	t.Run("exec, results, executions", func(t *testing.T) {
		e := e.with(t)
		r := e.postJSON("/api/exec/inventory-hw", `{"target":{"all":true}}`)
		e.expect(r, 200)
		var ex wire.ExecResponse
		r.json(t, &ex)
		execID = ex.ExecID
		e.waitFor("results", func() bool { return e.get("/api/results?exec_id="+execID).header.Get("X-Total-Count") == "2" })
		r = e.get("/api/results?exec_id=" + execID + "&preview=5")
		e.expect(r, 200, `"stdout_truncated":`, `"job_id":"inventory-hw"`)
		var rows []map[string]any
		r.json(t, &rows)
		id := rows[0]["result_id"].(string)
		e.expect(e.get("/api/results/"+id), 200, `"result_id":"`+id+`"`, `"exec_id":"`+execID+`"`)
		e.expect(e.get("/api/results/nope"), 404)
		e.expect(e.get("/api/results?pc_id="+pc+"&status=success"), 200)
		e.expect(e.get("/api/results?status=maybe"), 400)
		e.expect(e.get("/api/results?since=yesterday"), 400)
		e.expect(e.get("/api/results?since=2020-01-01T00:00:00Z&until=2100-01-01T00:00:00%2B09:00"), 200, `"result_id"`)
		e.expect(e.get("/api/executions?job_id=inventory-hw"), 200, `"exec_id":"`+execID+`"`)
		e.expect(e.get("/api/executions/nope"), 404)
		e.expect(e.postJSON("/api/exec/nope", `{"target":{"all":true}}`), 404, "not in the catalog")
		e.expect(e.postJSON("/api/exec/inventory-hw", `{"target":{}}`), 400, "nothing to run on")
		e.expect(e.postJSON("/api/exec/inventory-hw", `{"target":`), 400, "malformed")
		e.expect(e.postJSON("/api/exec/inventory-hw", `{"target":{"all":"yes"}}`), 422)
		e.expect(e.do("POST", "/api/exec/inventory-hw", "text/plain", `{"target":{"all":true}}`), 415)
		// Inventory facts from the simulated probe.
		e.waitFor("inventory", func() bool {
			return strings.Contains(e.get("/api/inventory/by-job/inventory-hw").body, `"pc_id":"SIM-00001"`)
		})
		e.expect(e.get("/api/inventory/jobs"), 200, `"manifest_id":"inventory-hw"`, `"summary":[{"field":"Name","label":"Hostname"}]`)
		e.expect(e.get("/api/inventory/by-job/inventory-hw"), 200, `"display":[{"field":"Name"`, `"facts":{`)
		e.expect(e.get("/api/inventory/"+pc), 200, `"job_id":"inventory-hw"`, `"facts":{`)
	})
	t.Run("run and ping", func(t *testing.T) {
		e := e.with(t)
		r := e.postJSON("/api/run", `{"pc_id":"SIM-00002","shell":"ps","script":"echo hello","timeout_secs":30}`)
		e.expect(r, 200, `"pc_id":"SIM-00002"`, `"stdout":"hello\n"`, `"exit_code":0`)
		r = e.postJSON("/api/run", `{"pc_id":"SIM-00002","script":"exit 3","job_id":"my-exec"}`)
		e.expect(r, 200, `"exit_code":3`, `"exec_id":"my-exec"`)
		e.expect(e.postJSON("/api/run", `{"pc_id":"SIM-00002","shell":"bash","script":"x"}`), 400, "shell")
		e.expect(e.postJSON("/api/run", `{"pc_id":"OFFLINE","script":"echo","timeout_secs":1}`), 408, "no result")
		e.expect(e.do("POST", "/api/agents/"+pc+"/ping?wait_secs=10", "", ""), 200, `"heartbeat":{"pc_id":"SIM-00001"`)
		e.expect(e.do("POST", "/api/agents/OFFLINE/ping?wait_secs=1", "", ""), 408)
		e.expect(e.get("/api/agents/"+pc+"/logs?tail=3"), 200)
		if r := e.get("/api/agents/OFFLINE/logs"); r.status != 502 && r.status != 504 {
			t.Fatalf("logs of an offline agent = %d", r.status)
		}
	})
	t.Run("scripts and kill", func(t *testing.T) {
		e := e.with(t)
		e.expect(e.do("POST", "/api/scripts/inventory-hw/revoke", "", ""), 204)
		e.expect(e.get("/api/scripts/status"), 200, `"inventory-hw":"REVOKED"`)
		e.expect(e.do("POST", "/api/scripts/inventory-hw/unrevoke", "", ""), 204)
		e.expect(e.get("/api/scripts/status"), 200, `"inventory-hw":"ACTIVE"`)
		sub, _ := e.nc.SubscribeSync("kill.>")
		e.nc.Flush()
		e.expect(e.do("POST", "/api/executions/"+execID+"/kill", "", ""), 204)
		if m, err := sub.NextMsg(5 * time.Second); err != nil || m.Subject != "kill."+execID {
			t.Fatalf("kill = %v %v", m, err)
		}
		e.expect(e.do("POST", "/api/jobs/inventory-hw/kill", "", ""), 204) // nothing running: still 204
	})
	t.Run("status endpoints", func(t *testing.T) {
		e := e.with(t)
		e.expect(e.get("/api/jetstream/status"), 200, `"streams":[{"name":"INVENTORY","exists":true}`, `"kv_buckets":`, `"object_stores":[{"name":"agent_releases","exists":true}]`)
		e.expect(e.get("/api/health/fleet"), 200, `"status":"ok"`, `"known":2`, `"window_hours":24`, `"all_ok":true`)
		e.expect(e.get("/api/status"), 200, `"projectors":[`, `"is_leader":true`, `"embedded":true`)
		e.expect(e.get("/api/dead-letters"), 200)
		e.expect(e.get("/api/cron/next?cron=0+0+*+*+*+*&n=3"), 200, `"next":[`)
		e.expect(e.get("/api/cron/next?cron=every+tuesday"), 400, "invalid cron")
		r := e.get("/metrics")
		e.expect(r, 200, "kanade_http_request_duration_seconds_bucket", `kanade_projector_messages_total{projector="results"}`, "kanade_agents_online 2",
			`kanade_projector_batches_total{projector="results"}`, "kanade_dead_letters_dropped_total 0", "# TYPE kanade_http_request_duration_seconds histogram",
			"go_goroutines", "process_cpu_seconds_total") // client_golang's Go and process collectors
	})
	t.Run("yaml bodies", func(t *testing.T) {
		e := e.with(t)
		yml := "id: yaml-job\nversion: 1.0.0\nexecute:\n  shell: cmd\n  script: echo hi\n  timeout: 1m\n"
		e.expect(e.do("POST", "/api/jobs", "application/yaml", yml), 200, `"id":"yaml-job"`)
		e.expect(e.do("POST", "/api/jobs", "text/yaml", "id: x\nversion: 1\nexecute: {shell: cmd, script: a, timeout: 1m}\ntarget: all\n"), 422, "target")
		e.expect(e.do("POST", "/api/schedules", "application/x-yaml", "id: s1\ncron: \"*/5 * * * * *\"\njob_id: yaml-job\ntarget: { all: true }\n"), 200, `"id":"s1"`)
		e.expect(e.do("POST", "/api/schedules", "application/yaml", "id: s2\ncron: \"bad cron\"\njob_id: yaml-job\ntarget: { all: true }\n"), 400, "cron")
		e.expect(e.do("POST", "/api/schedules", "application/yaml", "id: s3\ncron: \"* * * * * *\"\njob_id: no-such-job\ntarget: { all: true }\n"), 400, "not in the catalog")
		e.expect(e.do("DELETE", "/api/schedules/s1", "", ""), 204)
	})
	t.Run("releases", func(t *testing.T) {
		e := e.with(t)
		e.expect(e.get("/api/agents/releases"), 200, `[]`)
		e.expect(e.postJSON("/api/agents/rollout", `{"version":"9.9.9","scope":{"type":"global"}}`), 404, "no release")
		e.expect(e.postJSON("/api/agents/rollout", `{"version":"9.9.9","scope":{"type":"planet"}}`), 400)
		e.expect(upload(t, e, "file", []byte("not a PE file")), 400, "version")
		e.expect(upload(t, e, "other", []byte("x")), 400, "file")
		e.expect(e.do("DELETE", "/api/agents/releases/9.9.9", "", ""), 404)

		// A release stored earlier (as publish would): rollout points a scope
		// at it, and delete is refused while a scope targets it.
		obs, err := e.js.ObjectStore(context.Background(), wire.ObjectStoreAgentReleases)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := obs.PutBytes(context.Background(), "0.30.0", []byte("MZ fake agent")); err != nil {
			t.Fatal(err)
		}
		e.expect(e.get("/api/agents/releases"), 200, `"version":"0.30.0"`, `"size":13`, `"digest":"SHA-256=`)
		e.expect(e.postJSON("/api/agents/rollout", `{"version":"0.30.0","scope":{"type":"group","value":"canary"},"jitter":"30m"}`), 200,
			`{"version":"0.30.0","scope_key":"groups.canary","scope_label":"group:canary","jitter":"30m"}`)
		if got := e.kvGet(wire.BucketAgentConfig, "groups.canary"); got != `{"target_version":"0.30.0","target_version_jitter":"30m"}` {
			t.Fatalf("agent_config groups.canary = %s", got)
		}
		e.expect(e.postJSON("/api/agents/rollout", `{"version":"0.30.0","scope":{"type":"pc","value":"SIM-00002"},"jitter":"soon"}`), 400, "jitter")
		e.expect(e.do("DELETE", "/api/agents/releases/0.30.0", "", ""), 409, "group:canary")
		e.expect(e.do("PUT", "/api/groups/canary/config", "application/json", `{}`), 200)
		e.expect(e.do("DELETE", "/api/agents/releases/0.30.0", "", ""), 204)
		e.expect(e.get("/api/agents/releases"), 200, `[]`)
	})
	t.Run("limits and unknown routes", func(t *testing.T) {
		e := e.with(t)
		big := `{"group":"` + strings.Repeat("x", 2<<20) + `"}`
		e.expect(e.postJSON("/api/agents/"+pc+"/groups", big), 413)
		e.expect(e.get("/api/nope"), 404, `{"error":"no such API route: GET /api/nope"}`)
		e.expect(e.do("PATCH", "/api/jobs", "", ""), 405)
	})
}

func upload(t *testing.T, e *env, field string, data []byte) resp {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, "kanade-agent.exe")
	fw.Write(data)
	mw.WriteField("version", "ignored")
	mw.Close()
	return e.do("POST", "/api/agents/publish", mw.FormDataContentType(), buf.String())
}

// The OpenAPI description lists exactly the registered routes, and each of
// them reaches a handler (not the JSON 404 of unknown paths).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, 0)
	r := e.get("/api/openapi.json")
	e.expect(r, 200, `"openapi":"3.1.0"`)
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	r.json(t, &doc)
	srv := New(e.c, builtSPA, quiet)
	count := 0
	for _, rt := range srv.routes {
		if doc.Paths[rt.path][strings.ToLower(rt.method)] == nil {
			t.Errorf("%s %s missing from openapi.json", rt.method, rt.path)
		}
		count++
		path := pathParam.ReplaceAllString(rt.path, "x")
		req := httptest.NewRequest(rt.method, path, nil)
		if pattern := routePattern(srv.mux, req); pattern != rt.method+" "+rt.path {
			t.Errorf("%s %s is served by %q", rt.method, path, pattern)
		}
	}
	n := 0
	for _, ops := range doc.Paths {
		n += len(ops)
	}
	if n != count {
		t.Fatalf("openapi has %d operations, the server %d routes", n, count)
	}
	// 45 kanade 0.29 routes + 9 console extensions + 4 of the connect guide
	// + 19 of kanade v0.4x's accounts (with /api/version) + 1 of v0.30's
	// live runs (the result tail) + 5 of the inventory search and history
	// (kanade v0.31-v0.35).
	if count != 83 {
		t.Fatalf("%d routes registered, want 83", count)
	}
}
