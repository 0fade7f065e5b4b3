package wire

import (
	"encoding/json"
	"testing"
	"time"
)

// Golden vectors from spec/kanade-0.29-protocol.md §9.

// §9.1
func TestGoldenHeartbeat(t *testing.T) {
	const full = `{"pc_id":"MINIPC-01","at":"2026-05-20T03:14:15.926535800Z","agent_version":"0.29.0","hostname":"MINIPC-01","os_family":"windows"}`
	h := roundTrip[Heartbeat](t, full)
	if h.PCID != "MINIPC-01" || h.AgentVersion != "0.29.0" || *h.Hostname != "MINIPC-01" || *h.OSFamily != "windows" {
		t.Fatalf("fields: %+v", h)
	}
	if want := time.Date(2026, 5, 20, 3, 14, 15, 926535800, time.UTC); !h.At.Equal(want) {
		t.Fatalf("at = %v, want %v", h.At, want)
	}

	const oldest = `{"pc_id":"x","at":"2026-05-16T00:00:00Z","agent_version":"0.11.5"}`
	h = roundTrip[Heartbeat](t, oldest)
	if h.Hostname != nil || h.OSFamily != nil {
		t.Fatalf("optional fields should be nil: %+v", h)
	}

	// Later agents add fields; they must be ignored.
	later := `{"pc_id":"x","at":"2026-05-16T00:00:00Z","agent_version":"0.41.0","agent_cpu_pct":1.5,"quarantined_versions":["0.40.0"],"enforcing":true}`
	if got := encodeT(t, decodeT[Heartbeat](t, later)); got != `{"pc_id":"x","at":"2026-05-16T00:00:00Z","agent_version":"0.41.0"}` {
		t.Fatalf("later heartbeat re-encoded as %s", got)
	}
}

const (
	goldenCommand = `{"id":"inventory-hw","version":"1.2.0","request_id":"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21","exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","shell":"powershell","script":"Get-CimInstance Win32_OperatingSystem | ConvertTo-Json","timeout_secs":600,"jitter_secs":30,"run_as":"system","staleness":{"mode":"cached"}}`
	goldenAdhoc   = `{"id":"adhoc-run","version":"0.0.0","request_id":"5c0e1d2f-3a4b-4c5d-8e6f-708192a3b4c5","exec_id":null,"shell":"powershell","script":"echo hello","timeout_secs":60,"jitter_secs":null,"run_as":"system","staleness":{"mode":"cached"}}`
	goldenResult  = `{"result_id":"e3b1f2a4-5c6d-4e7f-8a9b-0c1d2e3f4a5b","request_id":"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21","exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","pc_id":"MINIPC-01","exit_code":0,"stdout":"{\"hostname\":\"MINIPC-01\",\"ram_gb\":16}","stderr":"","started_at":"2026-05-20T03:15:00.100Z","finished_at":"2026-05-20T03:15:02.350Z","manifest_id":"inventory-hw"}`
)

// §9.2
func TestGoldenCommandExecPipeline(t *testing.T) {
	c := roundTrip[Command](t, goldenCommand)
	want := Command{
		ID: "inventory-hw", Version: "1.2.0", RequestID: "0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21",
		ExecID: ptr("9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d"), Shell: ShellPowerShell,
		Script:      "Get-CimInstance Win32_OperatingSystem | ConvertTo-Json",
		TimeoutSecs: 600, JitterSecs: ptr[uint64](30), RunAs: RunAsSystem,
		Staleness: Staleness{Mode: StalenessCached},
	}
	if encodeT(t, want) != goldenCommand {
		t.Fatalf("built Command encodes as %s", encodeT(t, want))
	}
	if *c.ExecID != *want.ExecID || *c.JitterSecs != 30 || c.Cwd != nil || c.DeadlineAt != nil {
		t.Fatalf("decoded %+v", c)
	}
}

func TestGoldenCommandCwdDeadline(t *testing.T) {
	const in = `{"id":"inventory-hw","version":"1.2.0","request_id":"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21","exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","shell":"powershell","script":"Get-CimInstance Win32_OperatingSystem | ConvertTo-Json","timeout_secs":600,"jitter_secs":30,"run_as":"system","cwd":"C:\\ProgramData\\Kanade","deadline_at":"2026-05-20T09:30:00Z","staleness":{"mode":"cached"}}`
	c := roundTrip[Command](t, in)
	if *c.Cwd != `C:\ProgramData\Kanade` {
		t.Fatalf("cwd = %q", *c.Cwd)
	}
	if !c.DeadlineAt.Equal(time.Date(2026, 5, 20, 9, 30, 0, 0, time.UTC)) {
		t.Fatalf("deadline_at = %v", c.DeadlineAt)
	}
}

func TestGoldenCommandLegacyJobID(t *testing.T) {
	// Pre-v0.29 backends sent "job_id"; it decodes into ExecID and is
	// re-encoded under the v0.29 name.
	legacy := `{"id":"inventory-hw","version":"1.2.0","request_id":"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21","job_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","shell":"powershell","script":"Get-CimInstance Win32_OperatingSystem | ConvertTo-Json","timeout_secs":600,"jitter_secs":30,"run_as":"system","staleness":{"mode":"cached"}}`
	c := decodeT[Command](t, legacy)
	if c.ExecID == nil || *c.ExecID != "9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d" {
		t.Fatalf("exec_id from job_id: %v", c.ExecID)
	}
	if got := encodeT(t, c); got != goldenCommand {
		t.Fatalf("legacy re-encoded as %s", got)
	}
	// Oldest form: no run_as, no staleness, no jitter_secs — defaults apply.
	old := `{"id":"a","version":"1","request_id":"r","job_id":"j","shell":"cmd","script":"dir","timeout_secs":5}`
	c = decodeT[Command](t, old)
	if got, want := encodeT(t, c), `{"id":"a","version":"1","request_id":"r","exec_id":"j","shell":"cmd","script":"dir","timeout_secs":5,"jitter_secs":null,"run_as":"system","staleness":{"mode":"cached"}}`; got != want {
		t.Fatalf("old command re-encoded as\n%s\nwant\n%s", got, want)
	}
	// Both keys: exec_id wins, whichever comes first.
	for _, in := range []string{
		`{"id":"a","version":"1","request_id":"r","job_id":"old","exec_id":"new","shell":"cmd","script":"dir","timeout_secs":5}`,
		`{"id":"a","version":"1","request_id":"r","exec_id":"new","job_id":"old","shell":"cmd","script":"dir","timeout_secs":5}`,
		`{"id":"a","version":"1","request_id":"r","exec_id":"new","job_id":null,"shell":"cmd","script":"dir","timeout_secs":5}`,
	} {
		if c := decodeT[Command](t, in); *c.ExecID != "new" {
			t.Fatalf("exec_id = %q for %s", *c.ExecID, in)
		}
	}
}

// §9.3
func TestGoldenCommandAdhoc(t *testing.T) {
	c := roundTrip[Command](t, goldenAdhoc)
	if c.ExecID != nil || c.JitterSecs != nil {
		t.Fatalf("adhoc: %+v", c)
	}
	built := NewAdhocCommand("5c0e1d2f-3a4b-4c5d-8e6f-708192a3b4c5", nil, ShellPowerShell, "echo hello", 60, nil)
	if got := encodeT(t, built); got != goldenAdhoc {
		t.Fatalf("NewAdhocCommand encodes as %s", got)
	}
}

// §9.4
func TestGoldenExecResult(t *testing.T) {
	r := roundTrip[ExecResult](t, goldenResult)
	if r.StableResultID() != "e3b1f2a4-5c6d-4e7f-8a9b-0c1d2e3f4a5b" {
		t.Fatalf("stable id = %s", r.StableResultID())
	}
	if r.ExitCode != 0 || *r.ManifestID != "inventory-hw" || r.Stdout != `{"hostname":"MINIPC-01","ram_gb":16}` {
		t.Fatalf("decoded %+v", r)
	}
	if !r.StartedAt.Equal(time.Date(2026, 5, 20, 3, 15, 0, 100_000_000, time.UTC)) {
		t.Fatalf("started_at = %v", r.StartedAt)
	}
}

func TestGoldenExecResultDeadlineSkip(t *testing.T) {
	const in = `{"result_id":"e3b1f2a4-5c6d-4e7f-8a9b-0c1d2e3f4a5b","request_id":"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21","exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","pc_id":"MINIPC-01","exit_code":125,"stdout":"","stderr":"skipped: starting deadline expired 2h 3m ago (deadline 2026-05-20T01:12:00Z, received 2026-05-20T03:15:00.100Z)","started_at":"2026-05-20T03:15:00.100Z","finished_at":"2026-05-20T03:15:00.100Z","manifest_id":"inventory-hw"}`
	r := roundTrip[ExecResult](t, in)
	if r.ExitCode != ExitCodeDeadlineSkipped || !r.StartedAt.Equal(r.FinishedAt) {
		t.Fatalf("skip result: %+v", r)
	}
}

func TestGoldenExecResultLegacy(t *testing.T) {
	const in = `{"request_id":"r","pc_id":"x","exit_code":0,"stdout":"","stderr":"","started_at":"2026-05-16T00:00:00Z","finished_at":"2026-05-16T00:00:00Z"}`
	r := decodeT[ExecResult](t, in)
	if r.ResultID != "" || r.ExecID != nil || r.ManifestID != nil {
		t.Fatalf("legacy decoded %+v", r)
	}
	if got := r.StableResultID(); got != "0fa0310d-c039-5679-ac84-9f227050a1bb" {
		t.Fatalf("legacy stable id = %s", got)
	}
	// result_id is always serialised, exec_id/manifest_id omitted.
	if got, want := encodeT(t, r), `{"result_id":"",`+in[1:]; got != want {
		t.Fatalf("legacy re-encoded as\n%s\nwant\n%s", got, want)
	}
}

const goldenManifestYAML = `id: inventory-hw
version: 1.2.0
description: Hardware inventory probe
execute:
  shell: powershell
  script: |
    Get-CimInstance Win32_ComputerSystem | Select-Object Name,TotalPhysicalMemory | ConvertTo-Json
  timeout: 10m
  run_as: system
inventory:
  display:
    - { field: Name, label: Hostname }
    - { field: TotalPhysicalMemory, label: RAM, type: bytes }
  summary:
    - { field: Name, label: Hostname }
staleness:
  mode: strict
  max_cache_age: 5m
`

const goldenManifestJSON = `{"id":"inventory-hw","version":"1.2.0","description":"Hardware inventory probe","execute":{"shell":"powershell","script":"Get-CimInstance Win32_ComputerSystem | Select-Object Name,TotalPhysicalMemory | ConvertTo-Json\n","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"Name","label":"Hostname"},{"field":"TotalPhysicalMemory","label":"RAM","type":"bytes"}],"summary":[{"field":"Name","label":"Hostname"}]},"staleness":{"mode":"strict","max_cache_age":"5m"}}`

// §9.5
func TestGoldenManifest(t *testing.T) {
	m, err := ParseManifestYAML([]byte(goldenManifestYAML))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeT(t, m); got != goldenManifestJSON {
		t.Fatalf("YAML -> stored JSON\n got: %s\nwant: %s", got, goldenManifestJSON)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if s, err := m.TimeoutSecs(); err != nil || s != 600 {
		t.Fatalf("TimeoutSecs = %d, %v", s, err)
	}
	stored := roundTrip[Manifest](t, goldenManifestJSON)
	if encodeT(t, stored) != encodeT(t, m) {
		t.Fatal("stored and YAML manifests differ")
	}
	// json.Marshal (HTML-escaping) still produces equivalent JSON.
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeT(t, decodeT[Manifest](t, string(b))); got != goldenManifestJSON {
		t.Fatalf("json.Marshal output re-decodes to %s", got)
	}
}

func TestGoldenManifestMinimal(t *testing.T) {
	const yml = "id: hello\nversion: 1.0.0\nexecute:\n  shell: cmd\n  script: echo hello\n  timeout: 30s\n"
	const want = `{"id":"hello","version":"1.0.0","description":null,"execute":{"shell":"cmd","script":"echo hello","timeout":"30s","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`
	m, err := ParseManifestYAML([]byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeT(t, m); got != want {
		t.Fatalf("minimal manifest\n got: %s\nwant: %s", got, want)
	}
	roundTrip[Manifest](t, want)
	// The minimal JSON form (no defaulted keys) decodes to the same value.
	const bare = `{"id":"hello","version":"1.0.0","execute":{"shell":"cmd","script":"echo hello","timeout":"30s"}}`
	if got := encodeT(t, decodeT[Manifest](t, bare)); got != want {
		t.Fatalf("bare manifest re-encoded as %s", got)
	}
}

const goldenScheduleYAML = `id: hourly-inventory
cron: "0 0 * * * *"
job_id: inventory-hw
target: { groups: [canary, wave1] }
jitter: 5m
rollout:
  strategy: wave
  waves:
    - { group: canary, delay: 0s }
    - { group: wave1, delay: 30m }
mode: once_per_pc
cooldown: 1d
starting_deadline: 30m
`

const goldenScheduleJSON = `{"id":"hourly-inventory","cron":"0 0 * * * *","job_id":"inventory-hw","target":{"groups":["canary","wave1"],"pcs":[],"all":false},"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"30m"}]},"jitter":"5m","mode":"once_per_pc","cooldown":"1d","auto_disable_when_done":false,"starting_deadline":"30m","runs_on":"backend","enabled":true}`

// §9.6
func TestGoldenSchedule(t *testing.T) {
	s, err := ParseScheduleYAML([]byte(goldenScheduleYAML))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeT(t, s); got != goldenScheduleJSON {
		t.Fatalf("YAML -> stored JSON\n got: %s\nwant: %s", got, goldenScheduleJSON)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if !s.Enabled || s.Mode != ModeOncePerPC || s.Cooldown.Std() != 24*time.Hour || s.StartingDeadline.Std() != 30*time.Minute {
		t.Fatalf("decoded %+v", s)
	}
	roundTrip[Schedule](t, goldenScheduleJSON)
}

// §9.7
func TestGoldenKVValues(t *testing.T) {
	g := roundTrip[AgentGroups](t, `{"groups":["canary","dept-eng"]}`)
	if len(g.Groups) != 2 || !g.Has("dept-eng") {
		t.Fatalf("groups %+v", g)
	}
	global := roundTrip[ConfigScope](t, `{"target_version":"0.29.0","target_version_jitter":"30m","heartbeat_interval":"30s"}`)
	if *global.TargetVersion != "0.29.0" || global.TargetVersionJitter.Std() != 30*time.Minute || global.HeartbeatInterval.Std() != 30*time.Second {
		t.Fatalf("global %+v", global)
	}
	canary := roundTrip[ConfigScope](t, `{"target_version":"0.29.1"}`)
	if canary.TargetVersionJitter != nil || canary.HeartbeatInterval != nil {
		t.Fatalf("canary %+v", canary)
	}
	// script_current / script_status hold raw bytes, not JSON.
	if ScriptStatusRevoked != "REVOKED" || ScriptStatusActive != "ACTIVE" {
		t.Fatal("script_status values")
	}
	if ConfigKeyGroup("canary") != "groups.canary" || ConfigKeyPC("MINIPC-01") != "pcs.MINIPC-01" || ConfigKeyGlobal != "global" {
		t.Fatal("config keys")
	}

	const execResp = `{"exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","job_id":"inventory-hw","version":"1.2.0","target_count":2,"subjects":["commands.group.canary","commands.group.wave1"]}`
	roundTrip[ExecResponse](t, execResp)

	const audit = `{"actor":"operator","action":"exec","target":"inventory-hw","payload":{"exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","version":"1.2.0","target_count":2,"subjects":["commands.group.canary","commands.group.wave1"],"wave_mode":true,"sub":"static-token","source":"cli"},"occurred_at":"2026-05-20T03:14:59.000123Z"}`
	ev := roundTrip[AuditEvent](t, audit)
	if ev.Subject() != "audit.operator.exec.inventory-hw" {
		t.Fatalf("audit subject %s", ev.Subject())
	}
	if !ev.OccurredAt.Equal(time.Date(2026, 5, 20, 3, 14, 59, 123_000, time.UTC)) {
		t.Fatalf("occurred_at %v", ev.OccurredAt)
	}
	// The API builds that payload by enriching the exec payload.
	base := `{"exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","version":"1.2.0","target_count":2,"subjects":["commands.group.canary","commands.group.wave1"],"wave_mode":true}`
	enriched, err := EnrichPayload([]byte(base), "static-token", "cli")
	if err != nil {
		t.Fatal(err)
	}
	if string(enriched) != string(ev.Payload) {
		t.Fatalf("enriched payload\n got: %s\nwant: %s", enriched, ev.Payload)
	}

	lr := roundTrip[LogsRequest](t, `{"tail_lines":200}`)
	if lr.TailLines != 200 || SubjectLogsFetch("MINIPC-01") != "logs.fetch.MINIPC-01" {
		t.Fatalf("logs request %+v", lr)
	}
}

// §9.8
func TestGoldenLegacyResultID(t *testing.T) {
	for _, tc := range []struct{ req, pc, want string }{
		{"req-1", "pc-1", "5f6f0933-70a9-5b12-9f79-7e23a1b9d776"},
		{"shared", "pc-1", "6265b5e0-5894-52cd-b917-8fc3e3cbb67e"},
		{"shared", "pc-2", "ce7b66e0-63fc-5bcf-a7c7-44c85d930e7a"},
		{"r", "x", "0fa0310d-c039-5679-ac84-9f227050a1bb"},
		{"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21", "MINIPC-01", "4ab5511c-2966-57ff-a890-ac11f23b6104"},
	} {
		if got := LegacyResultID(tc.req, tc.pc); got != tc.want {
			t.Errorf("LegacyResultID(%q, %q) = %s, want %s", tc.req, tc.pc, got, tc.want)
		}
		r := ExecResult{RequestID: tc.req, PCID: tc.pc}
		if got := r.StableResultID(); got != tc.want {
			t.Errorf("StableResultID = %s, want %s", got, tc.want)
		}
	}
}
