package app

// Parity: every read op answers the same JSON through the binding as the
// HTTP API does for the same route, on one real console (embedded NATS,
// SQLite in a temp dir, simulated agents); every write op works through the
// binding, and errors carry the HTTP status. strictRecode is on, so a field
// the backend adds without a binding type field fails here.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

var quiet = slog.New(slog.DiscardHandler)

// opNamesFromOpsTS reads the op names of the SPA's op table.
func opNamesFromOpsTS(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "frontend", "src", "api", "ops.ts"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	start := strings.Index(s, "export const ops = {")
	end := strings.Index(s, "} as const satisfies")
	if start < 0 || end < start {
		t.Fatal("ops.ts: op table not found")
	}
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^  ([A-Z][A-Za-z]+): \{`).FindAllStringSubmatch(s[start:end], -1) {
		names = append(names, m[1])
	}
	return names
}

type testHost struct {
	ctx context.Context
	c   *console.Console
	srv *api.Server
}

func (h *testHost) Core() (context.Context, *console.Console, error) { return h.ctx, h.c, nil }
func (h *testHost) Settings() SettingsState                          { return SettingsState{} }
func (h *testHost) ApplySettings(Settings) (SettingsState, error) {
	return SettingsState{}, BadRequest("not in tests")
}
func (h *testHost) OpenAPI() (map[string]any, error) {
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/api/openapi.json", nil))
	var doc map[string]any
	return doc, json.Unmarshal(rec.Body.Bytes(), &doc)
}
func (h *testHost) Metrics() (string, error) {
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/metrics", nil))
	return rec.Body.String(), nil
}

func startParity(t *testing.T) (*App, *httptest.Server, *console.Console) {
	t.Helper()
	strictRecode = true
	t.Cleanup(func() { strictRecode = false })
	dir := t.TempDir()
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "off", DemoAgents: 3}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	srv := api.New(c, nil, quiet)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		c.Stop(context.Background())
	})
	return New(&testHost{ctx: context.Background(), c: c, srv: srv}, quiet), hs, c
}

// wailsCall does what the Wails runtime does with a call from the SPA: the
// request object arrives as JSON and is decoded into the method's request
// type; the result goes back as JSON.
func wailsCall[Req any, Res any](t *testing.T, fn func(Req) (Res, error), req string) (json.RawMessage, error) {
	t.Helper()
	var r Req
	if err := json.Unmarshal([]byte(req), &r); err != nil {
		t.Fatalf("decoding the request %s: %v", req, err)
	}
	out, err := fn(r)
	if err != nil {
		return nil, err
	}
	b, merr := json.Marshal(out)
	if merr != nil {
		t.Fatal(merr)
	}
	return b, nil
}

func httpGet(t *testing.T, hs *httptest.Server, path string, list bool) (int, json.RawMessage) {
	t.Helper()
	resp, err := http.Get(hs.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if list && resp.StatusCode == 200 {
		total, _ := strconv.Atoi(resp.Header.Get("X-Total-Count"))
		return resp.StatusCode, json.RawMessage(fmt.Sprintf(`{"items":%s,"total":%d}`, body, total))
	}
	return resp.StatusCode, body
}

func normalize(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return v
}

// same compares a binding answer with the HTTP answer, retrying a few times
// for views that move on their own (heartbeats, counters).
func same(t *testing.T, name string, bind func() (json.RawMessage, error), path string, list bool, ignore ...string) {
	t.Helper()
	var b, h json.RawMessage
	for try := 0; try < 8; try++ {
		var err error
		b, err = bind()
		if err != nil {
			t.Errorf("%s: binding error %v", name, err)
			return
		}
		var status int
		status, h = httpGet(t, hs(t), path, list)
		if status != 200 && status != 503 {
			t.Errorf("%s: HTTP %d %s", name, status, h)
			return
		}
		bv, hv := normalize(t, b), normalize(t, h)
		for _, k := range ignore {
			delete(bv.(map[string]any), k)
			delete(hv.(map[string]any), k)
		}
		if reflect.DeepEqual(bv, hv) {
			return
		}
		time.Sleep(150 * time.Millisecond)
	}
	t.Errorf("%s differs\n binding: %s\n    HTTP: %s", name, b, h)
}

var curHS *httptest.Server

func hs(*testing.T) *httptest.Server { return curHS }

func TestBindingsAnswerLikeTheHTTPAPI(t *testing.T) {
	a, server, c := startParity(t)
	curHS = server
	ctx := context.Background()

	// Agents: heartbeats straight on the console's NATS connection.
	nc := c.Broker().Conn()
	for _, pc := range []string{"PC-A", "PC-B"} {
		hb := fmt.Sprintf(`{"pc_id":%q,"at":%q,"agent_version":"0.29.0","hostname":%q,"os_family":"windows"}`, pc, time.Now().UTC().Format(time.RFC3339Nano), strings.ToLower(pc))
		if err := nc.Publish(wire.SubjectHeartbeat(pc), []byte(hb)); err != nil {
			t.Fatal(err)
		}
	}
	// The demo agents are there too: wait for these two by name.
	for _, pc := range []string{"PC-A", "PC-B"} {
		for deadline := time.Now().Add(20 * time.Second); ; {
			if _, err := c.GetAgent(ctx, pc); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("heartbeat of %s not projected", pc)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Writes through the bindings.
	must := func(what string, _ json.RawMessage, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	b, err := wailsCall(t, a.UpsertJobYaml, `{"yaml":"id: parity-job\nversion: 1.0.0\ndescription: parity\nexecute:\n  shell: powershell\n  script: echo parity\n  timeout: 1m\n"}`)
	must("UpsertJobYaml", b, err)
	b, err = wailsCall(t, a.UpsertJob, `{"id":"parity-inv","version":"2","description":null,"execute":{"shell":"powershell","script":"echo {}","timeout":"30s","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"Name","label":"Name"}]},"staleness":{"mode":"cached"}}`)
	must("UpsertJob", b, err)
	b, err = wailsCall(t, a.UpsertSchedule, `{"id":"parity-sched","cron":"0 0 3 * * *","job_id":"parity-job","target":{"groups":["g1"]},"enabled":false}`)
	must("UpsertSchedule", b, err)
	b, err = wailsCall(t, a.UpsertScheduleYaml, `{"yaml":"id: parity-sched2\ncron: 0 0 4 * * *\njob_id: parity-job\ntarget:\n  all: true\nenabled: false\n"}`)
	must("UpsertScheduleYaml", b, err)
	b, err = wailsCall(t, a.SetAgentGroups, `{"pc_id":"PC-A","groups":["g1","g2"]}`)
	must("SetAgentGroups", b, err)
	b, err = wailsCall(t, a.AddAgentGroup, `{"pc_id":"PC-B","group":"g1"}`)
	must("AddAgentGroup", b, err)
	b, err = wailsCall(t, a.RemoveAgentGroup, `{"pc_id":"PC-A","group":"g2"}`)
	must("RemoveAgentGroup", b, err)
	if string(b) != `{"groups":["g1"]}` {
		t.Errorf("RemoveAgentGroup: %s", b)
	}
	b, err = wailsCall(t, a.PutGlobalConfig, `{"heartbeat_interval":"20s"}`)
	must("PutGlobalConfig", b, err)
	b, err = wailsCall(t, a.PutGroupConfig, `{"name":"g1","target_version_jitter":"5m"}`)
	must("PutGroupConfig", b, err)
	if string(b) != `{"target_version_jitter":"5m"}` {
		t.Errorf("PutGroupConfig kept the path key: %s", b)
	}
	b, err = wailsCall(t, a.PutPcConfig, `{"pc_id":"PC-B","heartbeat_interval":"45s"}`)
	must("PutPcConfig", b, err)

	// A run on a simulated agent, and an exec fan-out.
	run, err := wailsCall(t, a.RunScript, `{"pc_id":"DEMO-00001","shell":"powershell","script":"echo parity-run","timeout_secs":20}`)
	must("RunScript", run, err)
	var res ExecResult
	json.Unmarshal(run, &res)
	if strings.TrimSpace(res.Stdout) != "parity-run" || res.ExitCode != 0 {
		t.Errorf("RunScript: %s", run)
	}
	ex, err := wailsCall(t, a.ExecJob, `{"job_id":"parity-job","target":{"pcs":["DEMO-00001","DEMO-00002"]}}`)
	must("ExecJob", ex, err)
	var exr ExecResponse
	json.Unmarshal(ex, &exr)
	if exr.TargetCount != 2 || exr.ExecID == "" {
		t.Errorf("ExecJob: %s", ex)
	}
	// Wait until both results of the exec are projected.
	for deadline := time.Now().Add(30 * time.Second); ; {
		d, err := c.GetExecution(ctx, exr.ExecID, store.FullDetail)
		if err == nil && len(d.Results) == 2 && d.Execution.Status == "completed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("exec %s did not complete: %+v %v", exr.ExecID, d, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Reads: binding JSON == HTTP JSON.
	bind := func(f func() (json.RawMessage, error)) func() (json.RawMessage, error) { return f }
	same(t, "GetStatus", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetStatus, `{}`) }), "/api/status", false)
	same(t, "GetFleetHealth", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetFleetHealth, `{}`) }), "/api/health/fleet", false, "observed_at")
	same(t, "GetJetStreamStatus", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetJetStreamStatus, `{}`) }), "/api/jetstream/status", false)
	same(t, "GetReady", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetReady, `{}`) }), "/readyz", false)
	same(t, "Healthz", bind(func() (json.RawMessage, error) { return wailsCall(t, a.Healthz, `{}`) }), "/healthz", false)
	same(t, "ListDeadLetters", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListDeadLetters, `{}`) }), "/api/dead-letters", true)
	same(t, "ListAgents", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListAgents, `{"limit":10,"q":"PC"}`) }), "/api/agents?limit=10&q=PC", true)
	same(t, "ListAgents group", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListAgents, `{"group":"g1","status":"online"}`) }), "/api/agents?group=g1&status=online", true)
	same(t, "GetAgent", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetAgent, `{"pc_id":"PC-A"}`) }), "/api/agents/PC-A", false)
	same(t, "GetAgentGroups", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetAgentGroups, `{"pc_id":"PC-A"}`) }), "/api/agents/PC-A/groups", false)
	same(t, "ListGroups", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListGroups, `{}`) }), "/api/groups", true)
	same(t, "GetEffectiveConfig", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetEffectiveConfig, `{"pc_id":"PC-A"}`) }), "/api/agents/PC-A/effective_config", false)
	same(t, "GetGlobalConfig", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetGlobalConfig, `{}`) }), "/api/config", false)
	same(t, "GetGroupConfig", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetGroupConfig, `{"name":"g1"}`) }), "/api/groups/g1/config", false)
	same(t, "GetPcConfig", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetPcConfig, `{"pc_id":"PC-B"}`) }), "/api/pcs/PC-B/config", false)
	same(t, "ListResults", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListResults, `{"limit":5}`) }), "/api/results?limit=5", true)
	same(t, "ListResults preview", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.ListResults, `{"preview":3,"pc_id":"DEMO-00001","since":"2020-01-01T00:00:00Z"}`)
	}), "/api/results?preview=3&pc_id=DEMO-00001&since=2020-01-01T00:00:00Z", true)
	same(t, "GetResult", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetResult, `{"result_id":"`+res.ResultID+`"}`) }), "/api/results/"+res.ResultID, false)
	same(t, "ListExecutions", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListExecutions, `{"job_id":"parity-job"}`) }), "/api/executions?job_id=parity-job", true)
	same(t, "GetExecution", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetExecution, `{"exec_id":"`+exr.ExecID+`"}`) }), "/api/executions/"+exr.ExecID, false)
	same(t, "GetExecution limited", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.GetExecution, `{"exec_id":"`+exr.ExecID+`","results_limit":1,"inflight_limit":0}`)
	}), "/api/executions/"+exr.ExecID+"?results_limit=1&inflight_limit=0", false)
	same(t, "ListAudit", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListAudit, `{"limit":100,"actor":"operator"}`) }), "/api/audit?limit=100&actor=operator", true)
	same(t, "ListJobs", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListJobs, `{"limit":2,"offset":1}`) }), "/api/jobs?limit=2&offset=1", true)
	same(t, "GetScriptStatus", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetScriptStatus, `{}`) }), "/api/scripts/status", false)
	same(t, "ListSchedules", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListSchedules, `{}`) }), "/api/schedules", true)
	same(t, "ListInventoryJobs", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListInventoryJobs, `{}`) }), "/api/inventory/jobs", true)
	same(t, "GetInventoryByJob", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.GetInventoryByJob, `{"manifest_id":"demo-inventory"}`)
	}), "/api/inventory/by-job/demo-inventory", false)
	same(t, "ListPcInventory", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListPcInventory, `{"pc_id":"DEMO-00001"}`) }), "/api/inventory/DEMO-00001", true)
	same(t, "ListReleases", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListReleases, `{}`) }), "/api/agents/releases", true)
	same(t, "CronNext", bind(func() (json.RawMessage, error) { return wailsCall(t, a.CronNext, `{"cron":"0 0 3 * * *","n":3}`) }), "/api/cron/next?cron=0+0+3+*+*+*&n=3", false)
	same(t, "GetConnectInfo", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetConnectInfo, `{}`) }), "/api/connect", false)
	same(t, "GetDemo", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetDemo, `{}`) }), "/api/demo", false)
	same(t, "GetOpenAPI", bind(func() (json.RawMessage, error) { return wailsCall(t, a.GetOpenAPI, `{}`) }), "/api/openapi.json", false)

	text, err := a.GetAgentLogs(AgentLogsRequest{PCID: "DEMO-00002", Tail: int64p(5)})
	if err != nil || text == "" {
		t.Errorf("GetAgentLogs: %q %v", text, err)
	}
	if m, err := a.GetMetrics(Empty{}); err != nil || !strings.Contains(m, "kanade_projector_messages_total") {
		t.Errorf("GetMetrics: %v %.200s", err, m)
	}
	if h, err := a.Health(Empty{}); h != "ok" || err != nil {
		t.Errorf("Health: %q %v", h, err)
	}
	// Ping waits for the PC's next heartbeat: send one while it waits.
	go func() {
		time.Sleep(500 * time.Millisecond)
		nc.Publish(wire.SubjectHeartbeat("PC-A"), []byte(fmt.Sprintf(`{"pc_id":"PC-A","at":%q,"agent_version":"0.29.1"}`, time.Now().UTC().Format(time.RFC3339Nano))))
	}()
	ping, err := wailsCall(t, a.PingAgent, `{"pc_id":"PC-A","wait_secs":10}`)
	if err != nil || !strings.Contains(string(ping), `"agent_version":"0.29.1"`) {
		t.Errorf("PingAgent: %s %v", ping, err)
	}

	// Errors: the HTTP status inside the JSON message.
	wantErr := func(name string, err error, status int, contains string) {
		t.Helper()
		je, ok := err.(*JSONError)
		if !ok {
			t.Errorf("%s: error %T %v, want *JSONError", name, err, err)
			return
		}
		if je.Status != status || !strings.Contains(je.Message, contains) {
			t.Errorf("%s: got %d %q, want %d containing %q", name, je.Status, je.Message, status, contains)
		}
	}
	_, err = wailsCall(t, a.GetResult, `{"result_id":"nope"}`)
	wantErr("GetResult missing", err, 404, "not found")
	_, err = wailsCall(t, a.GetAgent, `{"pc_id":"nope"}`)
	wantErr("GetAgent missing", err, 404, "not found")
	err = a.DeleteJob(IDRequest{ID: "parity-job"})
	wantErr("DeleteJob referenced", err, 409, "parity-sched")
	if err == nil || !strings.Contains(err.Error(), `"schedules":["parity-sched","parity-sched2"]`) {
		t.Errorf("DeleteJob referenced: %v, want the schedules as a list like the HTTP 409", err)
	}
	_, err = wailsCall(t, a.ListAgents, `{"status":"sleepy"}`)
	wantErr("ListAgents status", err, 400, "online or stale")
	_, err = wailsCall(t, a.ListResults, `{"since":"yesterday"}`)
	wantErr("ListResults since", err, 400, "RFC 3339")
	_, err = wailsCall(t, a.GetExecution, `{"exec_id":"x","results_limit":10001}`)
	wantErr("GetExecution results_limit", err, 400, "results_limit must be an integer from 0 to 10000")
	_, err = wailsCall(t, a.StartDemo, `{"agents":2}`)
	wantErr("StartDemo while running", err, 409, "already running")
	_, err = wailsCall(t, a.CronNext, `{"cron":"not a cron"}`)
	wantErr("CronNext", err, 400, "")
	_, err = wailsCall(t, a.UpsertJobYaml, `{"yaml":"id: [unclosed"}`)
	wantErr("UpsertJobYaml", err, 422, "invalid manifest YAML")
	_, err = wailsCall(t, a.UpsertJob, `{"id":"x","version":"1","execute":{"shell":"powershell","script":"s","timeout":"1m"},"surprise":true}`)
	wantErr("UpsertJob unknown key", err, 422, "")
	_, err = wailsCall(t, a.PutPcConfig, `{"pc_id":"PC-A","heartbeat_interval":30}`)
	wantErr("PutPcConfig wrong type", err, 422, "")
	_, err = wailsCall(t, a.PingAgent, `{"pc_id":"PC-A","wait_secs":9999}`)
	wantErr("PingAgent wait", err, 400, "wait_secs")
	_, err = wailsCall(t, a.PublishAgent, `{"filename":"a.exe","data_base64":"!!!"}`)
	wantErr("PublishAgent base64", err, 400, "base64")
	_, err = wailsCall(t, a.RunScript, `{"pc_id":"bad pc","script":"echo x"}`)
	wantErr("RunScript pc_id", err, 400, "pc_id")

	// Deletes and kills.
	for name, err := range map[string]error{
		"DisableSchedule":   a.DisableSchedule(DisableScheduleRequest{ID: "parity-sched2"}),
		"DeleteSchedule":    a.DeleteSchedule(IDRequest{ID: "parity-sched"}),
		"DeleteGroupConfig": a.DeleteGroupConfig(GroupRequest{Name: "g1"}),
		"DeletePcConfig":    a.DeletePcConfig(PcRequest{PCID: "PC-B"}),
		"RevokeScript":      a.RevokeScript(CmdRequest{CmdID: "parity-inv"}),
		"UnrevokeScript":    a.UnrevokeScript(CmdRequest{CmdID: "parity-inv"}),
		"KillJob":           a.KillJob(JobRequest{JobID: "parity-inv"}),
		"KillExecution":     a.KillExecution(ExecutionRequest{ExecID: exr.ExecID}),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The audit log names the desktop caller: actor operator, source desktop.
	for deadline := time.Now().Add(15 * time.Second); ; {
		b, err := wailsCall(t, a.ListAudit, `{"limit":1000,"actor":"operator"}`)
		if err == nil && strings.Contains(string(b), `"source":"desktop"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no audit entry with source desktop: %s %v", b, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func int64p(n int64) *int64 { return &n }
