package app

// Parity: every read op answers the same JSON through the binding as the
// HTTP API does for the same route, on one real console (embedded NATS,
// SQLite in a temp dir, simulated agents); every write op works through the
// binding, and every error case answers the same status and message through
// both doors.

import (
	"context"
	"encoding/json"
	"errors"
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
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
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
		testutil.WaitFor(t, 20*time.Second, func() error {
			_, err := c.GetAgent(ctx, pc)
			return err
		})
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
	var res wire.ExecResult
	json.Unmarshal(run, &res)
	if strings.TrimSpace(res.Stdout) != "parity-run" || res.ExitCode != 0 {
		t.Errorf("RunScript: %s", run)
	}
	ex, err := wailsCall(t, a.ExecJob, `{"job_id":"parity-job","target":{"pcs":["DEMO-00001","DEMO-00002"]}}`)
	must("ExecJob", ex, err)
	var exr wire.ExecResponse
	json.Unmarshal(ex, &exr)
	if exr.TargetCount != 2 || exr.ExecID == "" {
		t.Errorf("ExecJob: %s", ex)
	}
	// Wait until both results of the exec are projected.
	testutil.WaitFor(t, 30*time.Second, func() error {
		d, err := c.GetExecution(ctx, exr.ExecID, store.FullDetail)
		if err != nil {
			return err
		}
		if len(d.Results) != 2 || d.Execution.Status != "completed" {
			return fmt.Errorf("exec %s: %d results, %s", exr.ExecID, len(d.Results), d.Execution.Status)
		}
		return nil
	})

	// The demo software probe, for the inventory search and history ops. The
	// demo fleet fails 5% of runs on purpose, so a PC whose run failed gets
	// the job again (as an operator would) until both PCs have their rows.
	swPCs := []string{"DEMO-00001", "DEMO-00002"}
	for attempt := 1; len(swPCs) > 0; attempt++ {
		if attempt > 8 {
			t.Fatalf("demo-software rows of %v not projected after %d runs", swPCs, attempt-1)
		}
		target, _ := json.Marshal(swPCs)
		sw, err := wailsCall(t, a.ExecJob, `{"job_id":"demo-software","target":{"pcs":`+string(target)+`}}`)
		must("ExecJob demo-software", sw, err)
		var swr wire.ExecResponse
		json.Unmarshal(sw, &swr)
		testutil.WaitFor(t, 30*time.Second, func() error {
			d, err := c.GetExecution(ctx, swr.ExecID, store.FullDetail)
			if err != nil {
				return err
			}
			if d.Execution.Status != "completed" {
				return fmt.Errorf("exec %s is %s", swr.ExecID, d.Execution.Status)
			}
			return nil
		})
		var missing []string
		for _, pc := range swPCs {
			rows, _, err := c.InventorySearch(ctx, "demo-software", "apps", console.InventorySearchRequest{Filters: map[string]string{"pc_id": pc}})
			if err != nil {
				t.Fatalf("InventorySearch %s: %v", pc, err)
			}
			if len(rows) == 0 {
				missing = append(missing, pc)
			}
		}
		swPCs = missing
	}

	// Reads: binding JSON == HTTP JSON.
	bind := func(f func() (json.RawMessage, error)) func() (json.RawMessage, error) { return f }
	same(t, "InventorySearch", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.InventorySearch, `{"manifest_id":"demo-software","field":"apps","filters":{"name__prefix":"M","size_kb__gt":"10"},"limit":5}`)
	}), "/api/inventory/demo-software/search/apps?name__prefix=M&size_kb__gt=10&limit=5", true)
	same(t, "InventoryHistory", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.InventoryHistory, `{"manifest_id":"demo-software","pc_id":"DEMO-00001","field":"apps","limit":3}`)
	}), "/api/inventory/demo-software/history/pc/DEMO-00001?field=apps&limit=3", true)
	same(t, "InventoryFleetHistory", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.InventoryFleetHistory, `{"manifest_id":"demo-software","kind":"added","identity":{"name":"Git"}}`)
	}), "/api/inventory/demo-software/history/search?kind=added&identity.name=Git", true)
	same(t, "InventoryFirstSeen", bind(func() (json.RawMessage, error) {
		return wailsCall(t, a.InventoryFirstSeen, `{"manifest_id":"demo-software","field":"os_build"}`)
	}), "/api/inventory/demo-software/history/first_seen?field=os_build", true)
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
	same(t, "ResultTail", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ResultTail, `{"result_id":"`+res.ResultID+`"}`) }), "/api/results/"+res.ResultID+"/tail", false)
	same(t, "ListResults running", bind(func() (json.RawMessage, error) { return wailsCall(t, a.ListResults, `{"status":"running"}`) }), "/api/results?status=running", true)
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

	text, err := a.GetAgentLogs(AgentLogsRequest{PCID: "DEMO-00002", Tail: intp(5)})
	if err != nil || text == "" {
		t.Errorf("GetAgentLogs: %q %v", text, err)
	}
	if m, err := a.GetMetrics(Empty{}); err != nil || !strings.Contains(m, "kanade_projector_messages_total") {
		t.Errorf("GetMetrics: %v %.200s", err, m)
	}
	if h, err := a.Health(Empty{}); h != "ok" || err != nil {
		t.Errorf("Health: %q %v", h, err)
	}
	// Ping waits for the PC's next heartbeat: send one every 200 ms while
	// it waits (one sent before the ping starts waiting would not count).
	pinged := make(chan struct{})
	go func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-pinged:
				return
			case <-tick.C:
				nc.Publish(wire.SubjectHeartbeat("PC-A"), []byte(fmt.Sprintf(`{"pc_id":"PC-A","at":%q,"agent_version":"0.29.1"}`, time.Now().UTC().Format(time.RFC3339Nano))))
			}
		}
	}()
	ping, err := wailsCall(t, a.PingAgent, `{"pc_id":"PC-A","wait_secs":10}`)
	close(pinged)
	if err != nil || !strings.Contains(string(ping), `"agent_version":"0.29.1"`) {
		t.Errorf("PingAgent: %s %v", ping, err)
	}

	// Errors: the same status and message through both doors.
	sameErrors(t, a, server.URL)
	// The upload is base64 in the binding (multipart over HTTP): its own
	// 400, and the service's 413 before decoding a too large one.
	for data, status := range map[string]int{
		"!!!": 400,
		"":    400,
		strings.Repeat("A", (execution.MaxReleaseBytes/3+2)*4): 413,
	} {
		if _, err := a.PublishAgent(PublishAgentRequest{Filename: "a.exe", DataBase64: data}); err == nil || toJSONError(err).Status != status {
			t.Errorf("PublishAgent %.20q: %v, want %d", data, err, status)
		}
	}
	// The 409 of a referenced job carries the schedules as a list, as
	// the HTTP body does.
	if err := a.DeleteJob(IDRequest{ID: "parity-job"}); err == nil || !strings.Contains(err.Error(), `"schedules":["parity-sched","parity-sched2"]`) {
		t.Errorf("DeleteJob referenced: %v, want the schedules as a list like the HTTP 409", err)
	}

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
	testutil.WaitFor(t, 15*time.Second, func() error {
		b, err := wailsCall(t, a.ListAudit, `{"limit":1000,"actor":"operator"}`)
		if err != nil {
			return err
		}
		if !strings.Contains(string(b), `"source":"desktop"`) {
			return fmt.Errorf("no audit entry with source desktop among %.300s", b)
		}
		return nil
	})
}

// errorCase is one bad request: the binding call, the same request over
// HTTP, and the status both must answer.
type errorCase struct {
	name   string
	bind   func() error
	method string
	path   string
	ctype  string // the body's Content-Type; "" = application/json
	body   string
	status int
}

// sameErrors sends every bad request through the binding and over HTTP:
// enums, ranges, paging, times, bodies, unknown ids (404) and conflicts
// (409) must answer the same status and message.
func sameErrors(t *testing.T, a *App, base string) {
	t.Helper()
	const yaml = "application/yaml"
	cases := []errorCase{
		// enums
		{"agents status", bcall(t, a.ListAgents, `{"status":"sleepy"}`), "GET", "/api/agents?status=sleepy", "", "", 400},
		{"results status", bcall(t, a.ListResults, `{"status":"maybe"}`), "GET", "/api/results?status=maybe", "", "", 400},
		// paging: a negative number and text not a number read alike
		{"results limit", bcall(t, a.ListResults, `{"limit":-1}`), "GET", "/api/results?limit=-1", "", "", 400},
		{"results limit text", bcall(t, a.ListResults, `{"limit":-1}`), "GET", "/api/results?limit=ten", "", "", 400},
		{"results offset", bcall(t, a.ListResults, `{"offset":-5}`), "GET", "/api/results?offset=-5", "", "", 400},
		{"agents offset", bcall(t, a.ListAgents, `{"offset":-1}`), "GET", "/api/agents?offset=-1", "", "", 400},
		{"executions limit", bcall(t, a.ListExecutions, `{"limit":-3}`), "GET", "/api/executions?limit=-3", "", "", 400},
		{"jobs limit", bcall(t, a.ListJobs, `{"limit":-1}`), "GET", "/api/jobs?limit=-1", "", "", 400},
		{"dead letters offset", bcall(t, a.ListDeadLetters, `{"offset":-1}`), "GET", "/api/dead-letters?offset=x", "", "", 400},
		// times and ranges
		{"results since", bcall(t, a.ListResults, `{"since":"yesterday"}`), "GET", "/api/results?since=yesterday", "", "", 400},
		{"audit until", bcall(t, a.ListAudit, `{"until":"2026-13-01"}`), "GET", "/api/audit?until=2026-13-01", "", "", 400},
		{"results preview", bcall(t, a.ListResults, `{"preview":0}`), "GET", "/api/results?preview=0", "", "", 400},
		{"execution results_limit", bcall(t, a.GetExecution, `{"exec_id":"x","results_limit":10001}`), "GET", "/api/executions/x?results_limit=10001", "", "", 400},
		{"execution inflight_limit text", bcall(t, a.GetExecution, `{"exec_id":"x","inflight_limit":-1}`), "GET", "/api/executions/x?inflight_limit=all", "", "", 400},
		{"ping wait_secs", bcall(t, a.PingAgent, `{"pc_id":"PC-A","wait_secs":9999}`), "POST", "/api/agents/PC-A/ping?wait_secs=9999", "", "", 400},
		{"logs tail", bcall(t, a.GetAgentLogs, `{"pc_id":"PC-A","tail":0}`), "GET", "/api/agents/PC-A/logs?tail=0", "", "", 400},
		{"cron n", bcall(t, a.CronNext, `{"cron":"0 0 3 * * *","n":101}`), "GET", "/api/cron/next?cron=0+0+3+*+*+*&n=101", "", "", 400},
		{"cron expression", bcall(t, a.CronNext, `{"cron":"not a cron"}`), "GET", "/api/cron/next?cron=not+a+cron", "", "", 400},
		// unknown ids
		{"result unknown", bcall(t, a.GetResult, `{"result_id":"nope"}`), "GET", "/api/results/nope", "", "", 404},
		{"tail unknown", bcall(t, a.ResultTail, `{"result_id":"nope"}`), "GET", "/api/results/nope/tail", "", "", 404},
		{"results status", bcall(t, a.ListResults, `{"status":"maybe"}`), "GET", "/api/results?status=maybe", "", "", 400},
		{"agent unknown", bcall(t, a.GetAgent, `{"pc_id":"nope"}`), "GET", "/api/agents/nope", "", "", 404},
		{"execution unknown", bcall(t, a.GetExecution, `{"exec_id":"nope"}`), "GET", "/api/executions/nope", "", "", 404},
		{"exec unknown job", bcall(t, a.ExecJob, `{"job_id":"no-such-job","target":{"all":true}}`), "POST", "/api/exec/no-such-job", "", `{"target":{"all":true}}`, 404},
		// conflicts
		{"delete referenced job", func() error { return a.DeleteJob(IDRequest{ID: "parity-job"}) }, "DELETE", "/api/jobs/parity-job", "", "", 409},
		{"demo already running", bcall(t, a.StartDemo, `{"agents":2}`), "POST", "/api/demo", "", `{"agents":2}`, 409},
		// bodies
		{"job unknown key", bcall(t, a.UpsertJob, `{"id":"x","version":"1","execute":{"shell":"powershell","script":"s","timeout":"1m"},"surprise":true}`), "POST", "/api/jobs", "", `{"id":"x","version":"1","execute":{"shell":"powershell","script":"s","timeout":"1m"},"surprise":true}`, 422},
		{"job not an object", bcall(t, a.UpsertJob, `[1]`), "POST", "/api/jobs", "", `[1]`, 422},
		{"schedule wrong type", bcall(t, a.UpsertSchedule, `{"id":"s","cron":5}`), "POST", "/api/schedules", "", `{"id":"s","cron":5}`, 422},
		{"pc config wrong type", bcall(t, a.PutPcConfig, `{"pc_id":"PC-A","heartbeat_interval":30}`), "PUT", "/api/pcs/PC-A/config", "", `{"heartbeat_interval":30}`, 422},
		{"job YAML", bcall(t, a.UpsertJobYaml, `{"yaml":"id: [unclosed"}`), "POST", "/api/jobs", yaml, "id: [unclosed", 422},
		{"schedule YAML", bcall(t, a.UpsertScheduleYaml, `{"yaml":"cron: {"}`), "POST", "/api/schedules", yaml, "cron: {", 422},
		{"job YAML too large", bcall(t, a.UpsertJobYaml, `{"yaml":"`+strings.Repeat("a", console.MaxBody+1)+`"}`), "POST", "/api/jobs", yaml, strings.Repeat("a", console.MaxBody+1), 413},
		{"run bad pc_id", bcall(t, a.RunScript, `{"pc_id":"bad pc","script":"echo x"}`), "POST", "/api/run", "", `{"pc_id":"bad pc","script":"echo x"}`, 400},
		{"rollout bad scope", bcall(t, a.RolloutAgent, `{"version":"1.0.0","scope":{"type":"planet"}}`), "POST", "/api/agents/rollout", "", `{"version":"1.0.0","scope":{"type":"planet"}}`, 400},
		{"revoke bad id", func() error { return a.RevokeScript(CmdRequest{CmdID: "a b"}) }, "POST", "/api/scripts/a%20b/revoke", "", "", 400},
	}
	for _, c := range cases {
		err := c.bind()
		var je *JSONError
		if !errors.As(err, &je) {
			t.Errorf("%s: binding answered %T %v, want a *JSONError", c.name, err, err)
			continue
		}
		status, msg := httpDo(t, base, c.method, c.path, c.ctype, c.body)
		if je.Status != status || je.Message != msg {
			t.Errorf("%s: the doors differ\n binding: %d %q\n    HTTP: %d %q", c.name, je.Status, je.Message, status, msg)
		}
		if c.status != 0 && je.Status != c.status {
			t.Errorf("%s: status %d %q, want %d", c.name, je.Status, je.Message, c.status)
		}
		if je.Status < 400 {
			t.Errorf("%s: status %d is not an error", c.name, je.Status)
		}
	}
}

// bcall is a binding call with its request as the SPA sends it (JSON),
// for a table of cases.
func bcall[Req, Res any](t *testing.T, fn func(Req) (Res, error), req string) func() error {
	return func() error {
		_, err := wailsCall(t, fn, req)
		return err
	}
}

// httpDo sends one request and returns the status and the error message.
func httpDo(t *testing.T, base, method, path, ctype, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		if ctype == "" {
			ctype = "application/json"
		}
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error string `json:"error"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Errorf("%s %s: %d, body not JSON: %.200s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, e.Error
}
