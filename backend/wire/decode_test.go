package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestMalformedJSON(t *testing.T) {
	for _, in := range []string{``, `{`, `{"id":}`, `nope`, `{"id":"a",}`, `{"id":"a"} x`, `[1,2`} {
		for name, v := range map[string]any{
			"Command": &Command{}, "ExecResult": &ExecResult{}, "Heartbeat": &Heartbeat{},
			"Manifest": &Manifest{}, "Schedule": &Schedule{}, "AgentGroups": &AgentGroups{},
			"ConfigScope": &ConfigScope{}, "AuditEvent": &AuditEvent{}, "EventStarted": &EventStarted{},
			"LogsRequest": &LogsRequest{}, "FanoutPlan": &FanoutPlan{}, "HwInventory": &HwInventory{},
		} {
			if err := json.Unmarshal([]byte(in), v); err == nil {
				t.Errorf("%s accepted malformed %q", name, in)
			}
		}
	}
}

func TestWrongJSONShape(t *testing.T) {
	for _, in := range []string{`null`, `[]`, `"x"`, `1`, `true`} {
		for name, v := range map[string]any{
			"Command": &Command{}, "ExecResult": &ExecResult{}, "Heartbeat": &Heartbeat{},
			"Manifest": &Manifest{}, "Schedule": &Schedule{}, "ConfigScope": &ConfigScope{},
		} {
			err := json.Unmarshal([]byte(in), v)
			if !errors.Is(err, ErrInvalidType) {
				t.Errorf("%s decoding %s: err = %v, want ErrInvalidType", name, in, err)
			}
		}
	}
}

// without returns the JSON object s with key removed.
func without(t *testing.T, s, key string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, key)
	b, _ := json.Marshal(m)
	return string(b)
}

// with returns the JSON object s with key set to the raw value v.
func with(t *testing.T, s, key, v string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	m[key] = json.RawMessage(v)
	b, _ := json.Marshal(m)
	return string(b)
}

func TestCommandRequiredFields(t *testing.T) {
	for _, k := range []string{"id", "version", "request_id", "shell", "script", "timeout_secs"} {
		err := decodeErr[Command](t, without(t, goldenCommand, k), ErrMissingField)
		if !strings.Contains(err.Error(), k) {
			t.Errorf("missing %s: error %q does not name the field", k, err)
		}
		decodeErr[Command](t, with(t, goldenCommand, k, "null"), ErrInvalidType)
	}
	// Optional / defaulted keys may be absent.
	for _, k := range []string{"exec_id", "jitter_secs", "run_as", "staleness"} {
		decodeT[Command](t, without(t, goldenCommand, k))
	}
}

func TestCommandBadValues(t *testing.T) {
	for _, tc := range []struct{ key, val string }{
		{"shell", `"bash"`}, {"shell", `"PowerShell"`}, {"shell", `"CMD"`}, {"shell", `""`}, {"shell", `1`},
		{"run_as", `"root"`}, {"run_as", `null`}, {"run_as", `""`},
		{"timeout_secs", `-1`}, {"timeout_secs", `1.5`}, {"timeout_secs", `"600"`}, {"timeout_secs", `18446744073709551616`},
		{"jitter_secs", `-3`}, {"jitter_secs", `"30"`},
		{"id", `5`}, {"exec_id", `5`}, {"cwd", `false`},
		{"deadline_at", `"tomorrow"`}, {"deadline_at", `"2026-05-20T09:30:00"`},
		{"staleness", `{"mode":"sometimes"}`}, {"staleness", `{}`}, {"staleness", `{"mode":"strict"}`},
		{"staleness", `"cached"`}, {"staleness", `null`},
	} {
		decodeErr[Command](t, with(t, goldenCommand, tc.key, tc.val), nil)
	}
	err := decodeErr[Command](t, with(t, goldenCommand, "shell", `"bash"`), ErrInvalidValue)
	if !strings.Contains(err.Error(), "shell") {
		t.Errorf("bad shell error %q", err)
	}
}

func TestCommandStrictKeys(t *testing.T) {
	// serde matches keys case-sensitively: "ID" is not "id".
	decodeErr[Command](t, strings.Replace(goldenCommand, `"id":`, `"ID":`, 1), ErrMissingField)
	// A known key given twice is rejected, not last-wins.
	dup := strings.Replace(goldenCommand, `"script":`, `"script":"x","script":`, 1)
	decodeErr[Command](t, dup, ErrDuplicateField)
	// Unknown keys are ignored.
	decodeT[Command](t, with(t, goldenCommand, "future_field", `{"a":1}`))
}

func TestCommandDefaults(t *testing.T) {
	c := decodeT[Command](t, `{"id":"a","version":"1","request_id":"r","shell":"cmd","script":"s","timeout_secs":1,"run_as":"system_gui","staleness":{"mode":"strict","max_cache_age":"0s","extra":1}}`)
	if c.RunAs != RunAsSystemGUI || c.Staleness.Mode != StalenessStrict || c.Staleness.MaxCacheAge.String() != "0s" {
		t.Fatalf("decoded %+v", c)
	}
	// A zero-value Go Command encodes the Rust defaults (but needs a shell).
	if _, err := Marshal(Command{}); err == nil {
		t.Fatal("encoding a Command without shell should fail")
	}
	got := encodeT(t, Command{Shell: ShellCmd})
	if got != `{"id":"","version":"","request_id":"","exec_id":null,"shell":"cmd","script":"","timeout_secs":0,"jitter_secs":null,"run_as":"system","staleness":{"mode":"cached"}}` {
		t.Fatalf("zero command %s", got)
	}
}

func TestStaleness(t *testing.T) {
	for _, in := range []string{`{"mode":"cached"}`, `{"mode":"unchecked"}`, `{"mode":"strict","max_cache_age":"5m"}`} {
		roundTrip[Staleness](t, in)
	}
	// Extra keys are ignored; max_cache_age is dropped outside strict.
	if got := encodeT(t, decodeT[Staleness](t, `{"max_cache_age":"5m","mode":"cached"}`)); got != `{"mode":"cached"}` {
		t.Fatalf("got %s", got)
	}
	decodeErr[Staleness](t, `{"mode":"Strict","max_cache_age":"5m"}`, ErrInvalidValue)
	decodeErr[Staleness](t, `{"mode":"strict"}`, ErrMissingField)
	decodeErr[Staleness](t, `{}`, ErrMissingField)
	decodeErr[Staleness](t, `{"mode":1}`, nil)
	// A malformed max_cache_age decodes (it is a String in Rust) but fails Validate.
	s := decodeT[Staleness](t, `{"mode":"strict","max_cache_age":"soon"}`)
	if err := s.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate = %v", err)
	}
	if (Staleness{}).EffectiveMode() != StalenessCached || encodeT(t, Staleness{}) != `{"mode":"cached"}` {
		t.Fatal("zero Staleness is cached")
	}
	if _, err := Marshal(Staleness{Mode: "weird"}); err == nil {
		t.Fatal("encoding an unknown mode should fail")
	}
}

func TestExecResultRequiredFields(t *testing.T) {
	for _, k := range []string{"request_id", "pc_id", "exit_code", "stdout", "stderr", "started_at", "finished_at"} {
		decodeErr[ExecResult](t, without(t, goldenResult, k), ErrMissingField)
		decodeErr[ExecResult](t, with(t, goldenResult, k, "null"), ErrInvalidType)
	}
	for _, tc := range []struct{ key, val string }{
		{"exit_code", `2147483648`}, {"exit_code", `"0"`}, {"exit_code", `0.5`},
		{"started_at", `"2026-05-20"`}, {"stdout", `null`}, {"result_id", `null`}, {"result_id", `7`},
	} {
		decodeErr[ExecResult](t, with(t, goldenResult, tc.key, tc.val), nil)
	}
	r := decodeT[ExecResult](t, with(t, goldenResult, "exit_code", `-1`))
	if r.ExitCode != ExitCodeKilledOrTimeout {
		t.Fatal("negative exit code")
	}
	// Later fields (stdout_object, skipped) are ignored.
	decodeT[ExecResult](t, with(t, goldenResult, "skipped", `true`))
}

func TestHeartbeatRequired(t *testing.T) {
	const hb = `{"pc_id":"x","at":"2026-05-16T00:00:00Z","agent_version":"0.11.5"}`
	for _, k := range []string{"pc_id", "at", "agent_version"} {
		decodeErr[Heartbeat](t, without(t, hb, k), ErrMissingField)
	}
	h := decodeT[Heartbeat](t, with(t, hb, "hostname", "null"))
	if h.Hostname != nil {
		t.Fatal("null hostname should be nil")
	}
}

func TestManifestUnknownFields(t *testing.T) {
	// Top-level: kept in Extra (a newer kanade's keys survive), and refused
	// as client input by CheckUnknownKeys (0.29's deny_unknown_fields).
	// target/rollout/jitter moved out of the manifest in v0.18.
	for _, k := range []string{"target", "rollout", "jitter", "Id", "tags"} {
		m := decodeT[Manifest](t, with(t, goldenManifestJSON, k, `"x"`))
		if v, ok := m.Extra.Get(k); !ok || string(v) != `"x"` {
			t.Errorf("unknown %s not kept: %+v", k, m.Extra)
		}
		err := m.CheckUnknownKeys(nil)
		if !errors.Is(err, ErrUnknownField) || !strings.Contains(err.Error(), k) {
			t.Errorf("unknown %s: error %v does not name it", k, err)
		}
		if err := m.CheckUnknownKeys(Extra{{Key: k}}); err != nil {
			t.Errorf("unknown %s already stored: %v", k, err)
		}
		again := decodeT[Manifest](t, encodeT(t, m))
		if v, _ := again.Extra.Get(k); string(v) != `"x"` || encodeT(t, again) != encodeT(t, m) {
			t.Errorf("unknown %s: lost on re-encode: %s", k, encodeT(t, m))
		}
	}
	// Nested objects keep unknown keys too (v0.30's DisplayField.columns,
	// v0.31's explode, a newer staleness key).
	nested := strings.Replace(goldenManifestJSON, `"run_as":"system"}`, `"run_as":"system","future":1}`, 1)
	nested = strings.Replace(nested, `"label":"RAM","type":"bytes"}`, `"label":"RAM","type":"bytes","columns":["a"]}`, 1)
	nested = strings.Replace(nested, `"summary":[{"field":"Name","label":"Hostname"}]}`, `"summary":[{"field":"Name","label":"Hostname"}],"explode":[]}`, 1)
	nested = strings.Replace(nested, `"max_cache_age":"5m"}`, `"max_cache_age":"5m","x":true}`, 1)
	if nested == goldenManifestJSON {
		t.Fatal("test did not modify the manifest")
	}
	if got := encodeT(t, decodeT[Manifest](t, nested)); got != nested {
		t.Fatalf("nested unknown keys changed:\n got %s\nwant %s", got, nested)
	}
}

// Issue 16 item 5 (gap): a staleness policy keeps the keys this console
// does not know through decode and encode (a re-save), in their order, in
// every mode; its own max_cache_age is still dropped outside strict.
func TestStalenessKeepsUnknownKeys(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"mode":"cached","grace":"1h"}`, `{"mode":"cached","grace":"1h"}`},
		{`{"mode":"unchecked","note":{"a":[1,2]}}`, `{"mode":"unchecked","note":{"a":[1,2]}}`},
		{`{"mode":"strict","max_cache_age":"5m","grace":"1h"}`, `{"mode":"strict","max_cache_age":"5m","grace":"1h"}`},
		{`{"grace":"1h","max_cache_age":"5m","mode":"strict","z":null}`, `{"mode":"strict","max_cache_age":"5m","grace":"1h","z":null}`},
		{`{"mode":"cached","max_cache_age":"5m","grace":"1h"}`, `{"mode":"cached","grace":"1h"}`},
		{`{"mode":"cached"}`, `{"mode":"cached"}`},
	} {
		s := decodeT[Staleness](t, tc.in)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: Validate = %v", tc.in, err)
		}
		if got := encodeT(t, s); got != tc.want {
			t.Errorf("%s: encoded %s, want %s", tc.in, got, tc.want)
		}
		if got := encodeT(t, decodeT[Staleness](t, tc.want)); got != tc.want {
			t.Errorf("%s: not stable on re-encode: %s", tc.want, got)
		}
	}
	// A known key always wins over an Extra of the same name.
	s := Staleness{Mode: StalenessCached, Extra: Extra{{Key: "mode", Value: []byte(`"strict"`)}, {Key: "k", Value: []byte(`1`)}}}
	if got := encodeT(t, s); got != `{"mode":"cached","k":1}` {
		t.Fatalf("encoded %s", got)
	}
	// Authored in YAML (kanade job create) the key is kept too.
	y, err := ParseManifestYAML([]byte(strings.Replace(goldenManifestYAML, "  max_cache_age: 5m\n", "  max_cache_age: 5m\n  grace: 1h\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeT(t, y.Staleness); got != `{"mode":"strict","max_cache_age":"5m","grace":"1h"}` {
		t.Fatalf("YAML staleness %s", got)
	}
	// The command built from a manifest carries the policy as stored.
	m := decodeT[Manifest](t, with(t, goldenManifestJSON, "staleness", `{"mode":"unchecked","grace":"1h"}`))
	c, err := m.Command("r", nil, FanoutPlan{})
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeT(t, c); !strings.HasSuffix(got, `"staleness":{"mode":"unchecked","grace":"1h"}}`) {
		t.Fatalf("command %s", got)
	}
}

func TestManifestRequiredFields(t *testing.T) {
	for _, k := range []string{"id", "version", "execute"} {
		decodeErr[Manifest](t, without(t, goldenManifestJSON, k), ErrMissingField)
	}
	const exec = `{"shell":"powershell","script":"x","timeout":"10m"}`
	for _, k := range []string{"shell", "script", "timeout"} {
		in := with(t, goldenManifestJSON, "execute", without(t, exec, k))
		err := decodeErr[Manifest](t, in, ErrMissingField)
		if !strings.Contains(err.Error(), "execute."+k) {
			t.Errorf("error %q lacks path execute.%s", err, k)
		}
	}
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "inventory", `{"summary":[]}`), ErrMissingField)
	err := decodeErr[Manifest](t, with(t, goldenManifestJSON, "inventory", `{"display":[{"field":"a","label":"A"},{"label":"B"}]}`), ErrMissingField)
	if !strings.Contains(err.Error(), "inventory.display[1].field") {
		t.Errorf("error %q lacks the element path", err)
	}
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "execute", `{"shell":"bash","script":"x","timeout":"1m"}`), ErrInvalidValue)
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "staleness", `{"mode":"never"}`), ErrInvalidValue)
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "require_approval", `null`), ErrInvalidType)
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "require_approval", `"yes"`), nil)
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "description", `7`), nil)
	decodeErr[Manifest](t, with(t, goldenManifestJSON, "execute", `null`), ErrInvalidType)
}

func TestManifestValidate(t *testing.T) {
	good := decodeT[Manifest](t, goldenManifestJSON)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Manifest){
		"empty id":        func(m *Manifest) { m.ID = " " },
		"empty version":   func(m *Manifest) { m.Version = "" },
		"bad shell":       func(m *Manifest) { m.Execute.Shell = "bash" },
		"bad run_as":      func(m *Manifest) { m.Execute.RunAs = "admin" },
		"bad timeout":     func(m *Manifest) { m.Execute.Timeout = DurationFromText("10 minutes-ish") },
		"empty timeout":   func(m *Manifest) { m.Execute.Timeout = DurationFromText("") },
		"bad cache age":   func(m *Manifest) { m.Staleness = StrictStaleness(DurationFromText("5")) },
		"unknown stale":   func(m *Manifest) { m.Staleness = Staleness{Mode: "eventually"} },
		"timeout no unit": func(m *Manifest) { m.Execute.Timeout = DurationFromText("600") },
	} {
		m := good
		mutate(&m)
		if err := m.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	// A bad timeout decodes (it is a String in Rust) but cannot become a Command.
	bad := decodeT[Manifest](t, with(t, goldenManifestJSON, "execute", `{"shell":"cmd","script":"x","timeout":"forever"}`))
	if _, err := bad.TimeoutSecs(); !errors.Is(err, ErrInvalidDuration) {
		t.Fatalf("TimeoutSecs = %v", err)
	}
	if _, err := bad.Command("r", nil, FanoutPlan{Target: Target{All: true}}); err == nil {
		t.Fatal("Command with a bad timeout should fail")
	}
}

func TestManifestCommand(t *testing.T) {
	m := decodeT[Manifest](t, goldenManifestJSON)
	deadline := mustTime(t, "2026-05-20T09:30:00Z")
	plan := FanoutPlan{Target: Target{Groups: []string{"canary"}}, Jitter: ptr(DurationFromText("30s")), DeadlineAt: &deadline}
	c, err := m.Command("0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21", ptr("9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d"), plan)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"inventory-hw","version":"1.2.0","request_id":"0b8e6a52-6c1f-4d2e-9c35-1f0f3c5a7e21","exec_id":"9d3c1b7a-2f4e-4a8b-8c6d-5e4f3a2b1c0d","shell":"powershell","script":"Get-CimInstance Win32_ComputerSystem | Select-Object Name,TotalPhysicalMemory | ConvertTo-Json\n","timeout_secs":600,"jitter_secs":30,"run_as":"system","deadline_at":"2026-05-20T09:30:00Z","staleness":{"mode":"strict","max_cache_age":"5m"}}`
	if got := encodeT(t, c); got != want {
		t.Fatalf("command\n got: %s\nwant: %s", got, want)
	}
	if _, err := m.Command("r", nil, FanoutPlan{Jitter: ptr(DurationFromText("x"))}); err == nil {
		t.Fatal("bad jitter should fail")
	}
}

func TestManifestNoHTMLEscaping(t *testing.T) {
	in := strings.Replace(goldenManifestJSON, `ConvertTo-Json\n`, `ConvertTo-Json 2>&1 <nul\n`, 1)
	roundTrip[Manifest](t, in)
	b, _ := json.Marshal(decodeT[Manifest](t, in))
	if !strings.Contains(string(b), `\u0026`) {
		t.Fatal("json.Marshal is expected to HTML-escape; Marshal must not")
	}
}

func TestInventoryHintSummary(t *testing.T) {
	// absent summary stays absent, an empty one stays [].
	roundTrip[InventoryHint](t, `{"display":[{"field":"a","label":"A"}]}`)
	roundTrip[InventoryHint](t, `{"display":[],"summary":[]}`)
	if got := encodeT(t, InventoryHint{}); got != `{"display":[]}` {
		t.Fatalf("zero hint %s", got)
	}
	if got := encodeT(t, decodeT[InventoryHint](t, `{"display":[],"summary":null}`)); got != `{"display":[]}` {
		t.Fatalf("null summary %s", got)
	}
}

func TestFanoutPlan(t *testing.T) {
	p := decodeT[FanoutPlan](t, `{}`)
	if got := encodeT(t, p); got != `{"target":{"groups":[],"pcs":[],"all":false}}` {
		t.Fatalf("empty plan %s", got)
	}
	if err := p.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty plan Validate = %v", err)
	}
	for _, in := range []string{
		`{"target":{"all":true}}`,
		`{"target":{"groups":["canary"]}}`,
		`{"target":{"pcs":["MINIPC-01"]},"jitter":"5m"}`,
		`{"rollout":{"waves":[{"group":"canary","delay":"0s"}]}}`,
	} {
		if err := decodeT[FanoutPlan](t, in).Validate(); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
	for _, in := range []string{
		`{"target":{"groups":[]}}`,
		`{"rollout":{"waves":[]}}`,
		`{"target":{"all":true},"jitter":"5 parsecs"}`,
		`{"target":{"all":true},"rollout":{"waves":[{"group":"a","delay":"soon"}]}}`,
		`{"rollout":{"waves":[{"group":"","delay":"0s"}]}}`,
	} {
		if err := decodeT[FanoutPlan](t, in).Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate = %v", in, err)
		}
	}
	for _, in := range []string{
		`{"rollout":{"strategy":"canary","waves":[]}}`,
		`{"rollout":{"strategy":"wave"}}`,
		`{"rollout":{"waves":[{"group":"a"}]}}`,
		`{"rollout":{"waves":[{"delay":"0s"}]}}`,
		`{"target":{"groups":"canary"}}`,
		`{"target":{"groups":["a",null]}}`,
		`{"target":null}`,
		`{"deadline_at":"never"}`,
	} {
		decodeErr[FanoutPlan](t, in, nil)
	}
	p = decodeT[FanoutPlan](t, `{"target":{"all":true},"rollout":{"waves":[{"group":"canary","delay":"0s"}]},"jitter":"90s","deadline_at":"2026-05-20T09:30:00+09:00"}`)
	if got := encodeT(t, p); got != `{"target":{"groups":[],"pcs":[],"all":true},"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"}]},"jitter":"90s","deadline_at":"2026-05-20T00:30:00Z"}` {
		t.Fatalf("plan %s", got)
	}
	if j, err := p.JitterSecs(); err != nil || *j != 90 {
		t.Fatalf("JitterSecs %v %v", j, err)
	}
	if j, err := (FanoutPlan{}).JitterSecs(); err != nil || j != nil {
		t.Fatal("no jitter -> nil")
	}
	if got := encodeT(t, Rollout{}); got != `{"strategy":"wave","waves":[]}` {
		t.Fatalf("zero rollout %s", got)
	}
}

func TestScheduleDecode(t *testing.T) {
	const min = `{"id":"s","cron":"0 * * * * *","job_id":"j"}`
	s := decodeT[Schedule](t, min)
	if !s.Enabled || s.Mode != ModeEveryTick || s.RunsOn != RunsOnBackend {
		t.Fatalf("defaults %+v", s)
	}
	const wantMin = `{"id":"s","cron":"0 * * * * *","job_id":"j","target":{"groups":[],"pcs":[],"all":false},"mode":"every_tick","auto_disable_when_done":false,"runs_on":"backend","enabled":true}`
	if got := encodeT(t, s); got != wantMin {
		t.Fatalf("minimal schedule\n got: %s\nwant: %s", got, wantMin)
	}
	roundTrip[Schedule](t, wantMin)
	roundTrip[Schedule](t, `{"id":"s","cron":"0 * * * * *","job_id":"j","target":{"groups":[],"pcs":["a"],"all":false},"deadline_at":"2026-05-20T09:30:00Z","mode":"once_per_target","auto_disable_when_done":true,"runs_on":"agent","enabled":false}`)
	// Not deny_unknown_fields: later keys (when, tz, on_failure) are ignored.
	decodeT[Schedule](t, with(t, min, "on_failure", `{"notify":true}`))
	for _, k := range []string{"id", "cron", "job_id"} {
		decodeErr[Schedule](t, without(t, goldenScheduleJSON, k), ErrMissingField)
	}
	for _, tc := range []struct{ key, val string }{
		{"mode", `"sometimes"`}, {"mode", `"EveryTick"`}, {"runs_on", `"cloud"`},
		{"enabled", `"yes"`}, {"enabled", `null`}, {"cooldown", `86400`}, {"target", `[]`},
	} {
		decodeErr[Schedule](t, with(t, goldenScheduleJSON, tc.key, tc.val), nil)
	}
	// null for Option fields means None.
	s = decodeT[Schedule](t, with(t, goldenScheduleJSON, "cooldown", "null"))
	if s.Cooldown != nil {
		t.Fatal("null cooldown")
	}
}

func TestScheduleValidate(t *testing.T) {
	good := decodeT[Schedule](t, goldenScheduleJSON)
	for name, mutate := range map[string]func(*Schedule){
		"empty id":       func(s *Schedule) { s.ID = "" },
		"empty cron":     func(s *Schedule) { s.Cron = "  " },
		"empty job":      func(s *Schedule) { s.JobID = "" },
		"bad mode":       func(s *Schedule) { s.Mode = "twice" },
		"bad runs_on":    func(s *Schedule) { s.RunsOn = "moon" },
		"bad cooldown":   func(s *Schedule) { s.Cooldown = ptr(DurationFromText("1 fortnight")) },
		"bad deadline":   func(s *Schedule) { s.StartingDeadline = ptr(DurationFromText("-1m")) },
		"bad jitter":     func(s *Schedule) { s.Jitter = ptr(DurationFromText("5")) },
		"bad wave delay": func(s *Schedule) { s.Rollout = &Rollout{Waves: []Wave{{Group: "a", Delay: DurationFromText("x")}}} },
		"nothing to run": func(s *Schedule) { s.Target = Target{}; s.Rollout = nil },
	} {
		s := good
		mutate(&s)
		if err := s.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	// The cron expression is not parsed here.
	s := good
	s.Cron = "whenever"
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if (Schedule{ID: "a", Cron: "c", JobID: "j", FanoutPlan: FanoutPlan{Target: Target{All: true}}}).Validate() != nil {
		t.Fatal("zero modes default")
	}
}

func TestHwInventory(t *testing.T) {
	const in = `{"pc_id":"x","hostname":"X","os_name":"Windows 11 Pro","os_version":"10.0.26100","os_build":null,"cpu_model":"cpu","cpu_cores":8,"ram_bytes":17179869184,"disks":[{"device_id":"C:","size_bytes":512,"free_bytes":128,"file_system":"NTFS"},{"device_id":"D:","size_bytes":1,"free_bytes":0,"file_system":null}],"collected_at":"2026-05-16T00:00:00Z"}`
	h := roundTrip[HwInventory](t, in)
	if len(h.Disks) != 2 || h.Disks[1].FileSystem != nil || h.RAMBytes != 17179869184 {
		t.Fatalf("decoded %+v", h)
	}
	decodeErr[HwInventory](t, without(t, in, "disks"), ErrMissingField)
	decodeErr[HwInventory](t, with(t, in, "cpu_cores", "-1"), nil)
	decodeErr[HwInventory](t, with(t, in, "disks", `[{"device_id":"C:"}]`), ErrMissingField)
	if got := encodeT(t, HwInventory{}); !strings.Contains(got, `"os_build":null`) || !strings.Contains(got, `"disks":[]`) {
		t.Fatalf("zero inventory %s", got)
	}
}

func TestLogsRequest(t *testing.T) {
	if lr := decodeT[LogsRequest](t, `{}`); lr.TailLines != DefaultLogsTailLines {
		t.Fatalf("default tail_lines = %d", lr.TailLines)
	}
	decodeErr[LogsRequest](t, `{"tail_lines":-1}`, nil)
	decodeErr[LogsRequest](t, `{"tail_lines":"5"}`, nil)
}

func TestAuditEvent(t *testing.T) {
	const min = `{"actor":"scheduler","action":"schedule_completed","target":null,"payload":null,"occurred_at":"2026-05-20T00:00:00Z"}`
	ev := roundTrip[AuditEvent](t, min)
	if ev.Target != nil || string(ev.Payload) != "null" || ev.Subject() != "audit.scheduler.schedule_completed" {
		t.Fatalf("decoded %+v", ev)
	}
	// target may be absent (None); payload may not.
	if got := encodeT(t, decodeT[AuditEvent](t, without(t, min, "target"))); got != min {
		t.Fatalf("got %s", got)
	}
	decodeErr[AuditEvent](t, without(t, min, "payload"), ErrMissingField)
	decodeErr[AuditEvent](t, without(t, min, "occurred_at"), ErrMissingField)
	if got := encodeT(t, AuditEvent{Actor: "a", Action: "b", OccurredAt: mustTime(t, "2026-05-20T00:00:00Z")}); got != `{"actor":"a","action":"b","target":null,"payload":null,"occurred_at":"2026-05-20T00:00:00Z"}` {
		t.Fatalf("zero payload %s", got)
	}
	// Enrichment keeps existing keys and leaves non-objects alone.
	for _, tc := range []struct{ in, want string }{
		{`{}`, `{"sub":"u","source":"spa"}`},
		{`{ }`, `{"sub":"u","source":"spa"}`},
		{`{"sub":"keep"}`, `{"sub":"keep","source":"spa"}`},
		{`{"a":1, "source":"cli" }`, `{"a":1, "source":"cli","sub":"u"}`},
		{`[1]`, `[1]`},
		{`null`, `null`},
	} {
		got, err := EnrichPayload(json.RawMessage(tc.in), "u", "spa")
		if err != nil || string(got) != tc.want {
			t.Errorf("EnrichPayload(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestEventStarted(t *testing.T) {
	const in = `{"exec_id":"e","pc_id":"p","started_at":"2026-05-20T03:15:00.100Z","manifest_id":"m","version":"1.2.0"}`
	roundTrip[EventStarted](t, in)
	for _, k := range []string{"exec_id", "pc_id", "started_at", "manifest_id", "version"} {
		decodeErr[EventStarted](t, without(t, in, k), ErrMissingField)
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	err := decodeErr[Manifest](t, with(t, goldenManifestJSON, "execute", `{"shell":"cmd","script":"x"}`), ErrMissingField)
	if got, want := err.Error(), "wire: decode Manifest: execute.timeout: missing field"; got != want {
		t.Fatalf("error text %q, want %q", got, want)
	}
	var de *DecodeError
	if !errors.As(err, &de) || de.Type != "Manifest" || de.Path != "execute.timeout" {
		t.Fatalf("DecodeError %+v", de)
	}
}

// A schedule a newer kanade wrote keeps every key it added, top-level and
// nested, through a decode and re-encode (issue 11: forward compatibility).
func TestScheduleKeepsNewerKeys(t *testing.T) {
	const stored = `{"id":"s","cron":"0 0 3 * * *","job_id":"j","target":{"groups":["g"],"pcs":[],"all":false,"exclude":["PC-9"]},"rollout":{"strategy":"wave","waves":[{"group":"g","delay":"0s","pause":true}],"halt_on":0.2},"mode":"every_tick","auto_disable_when_done":false,"runs_on":"backend","enabled":true,"tz":"utc","when":{"per_pc":"once"},"tags":["a",{"b":null}]}`
	s := decodeT[Schedule](t, stored)
	if got := encodeT(t, s); got != stored {
		t.Fatalf("re-encoded\n got %s\nwant %s", got, stored)
	}
	if s.Extra.Keys()[0] != "tz" || !s.Extra.Has("when") || !s.Target.Extra.Has("exclude") || !s.Rollout.Waves[0].Extra.Has("pause") {
		t.Fatalf("extras: %+v %+v", s.Extra, s.Target.Extra)
	}
	// A re-save keeps stored keys the input lacks; input values win.
	in := Extra{{Key: "tz", Value: []byte(`"local"`)}}
	merged := in.KeepFrom(s.Extra)
	if v, _ := merged.Get("tz"); string(v) != `"local"` || !merged.Has("when") || !merged.Has("tags") || len(merged) != 3 {
		t.Fatalf("merged %+v", merged)
	}
}
