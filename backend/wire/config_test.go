package wire

import (
	"reflect"
	"testing"
)

func scope(t *testing.T, s string) *ConfigScope {
	t.Helper()
	v := decodeT[ConfigScope](t, s)
	return &v
}

func TestConfigScopeJSON(t *testing.T) {
	roundTrip[ConfigScope](t, `{}`)
	roundTrip[ConfigScope](t, `{"heartbeat_interval":"1m"}`)
	// Removed inventory_* keys and future keys are ignored; null means unset.
	c := decodeT[ConfigScope](t, `{"inventory_interval":"1h","inventory_enabled":true,"target_version":null,"host_perf_interval":"5s","heartbeat_interval":"45s"}`)
	if got := encodeT(t, c); got != `{"heartbeat_interval":"45s"}` {
		t.Fatalf("got %s", got)
	}
	if !(ConfigScope{}).IsEmpty() || c.IsEmpty() {
		t.Fatal("IsEmpty")
	}
	// Malformed humantime decodes (and is kept verbatim) but fails Validate.
	bad := roundTrip[ConfigScope](t, `{"target_version_jitter":"a while"}`)
	if bad.Validate() == nil {
		t.Fatal("Validate should reject a malformed jitter")
	}
	if scope(t, `{"target_version_jitter":"10m","heartbeat_interval":"30s"}`).Validate() != nil {
		t.Fatal("valid scope rejected")
	}
	for _, in := range []string{`{"target_version":1}`, `{"heartbeat_interval":30}`, `[]`, `null`} {
		decodeErr[ConfigScope](t, in, nil)
	}
}

func TestConfigKeys(t *testing.T) {
	for _, tc := range []struct {
		key  string
		kind ConfigScopeKind
		name string
		ok   bool
	}{
		{"global", ConfigScopeGlobal, "", true},
		{"groups.canary", ConfigScopeGroup, "canary", true},
		{"pcs.MINIPC-01", ConfigScopePC, "MINIPC-01", true},
		{"target_version", "", "", false},
		{"groups.", "", "", false},
		{"other", "", "", false},
	} {
		kind, name, ok := ParseConfigKey(tc.key)
		if kind != tc.kind || name != tc.name || ok != tc.ok {
			t.Errorf("ParseConfigKey(%q) = %q %q %v", tc.key, kind, name, ok)
		}
	}
	if ConfigKeyGroup("wave1") != "groups.wave1" || ConfigKeyPC("pc") != "pcs.pc" || ConfigKeyLegacyTargetVersion != "target_version" {
		t.Fatal("key builders")
	}
}

func TestResolveDefaults(t *testing.T) {
	eff, warns := Resolve(nil, nil, nil, nil)
	if got := encodeT(t, eff); got != `{"target_version":null,"target_version_jitter":"0s","heartbeat_interval":"30s"}` {
		t.Fatalf("defaults %s", got)
	}
	if len(warns) != 0 || len(WarningStrings(warns)) != 0 || WarningStrings(nil) == nil {
		t.Fatal("no warnings expected, as an empty (non-nil) list")
	}
}

func TestResolveLayers(t *testing.T) {
	global := scope(t, `{"target_version":"0.29.0","target_version_jitter":"30m","heartbeat_interval":"30s"}`)
	groups := map[string]*ConfigScope{
		"canary":   scope(t, `{"target_version":"0.29.1"}`),
		"wave1":    scope(t, `{"heartbeat_interval":"1m"}`),
		"unused":   scope(t, `{"target_version":"9.9.9"}`),
		"dept-eng": nil,
	}
	pc := scope(t, `{"target_version_jitter":"0s"}`)

	eff, warns := Resolve(global, groups, []string{"wave1", "canary", "canary", "no-scope-row", "dept-eng"}, pc)
	if got := encodeT(t, eff); got != `{"target_version":"0.29.1","target_version_jitter":"0s","heartbeat_interval":"1m"}` {
		t.Fatalf("effective %s", got)
	}
	if len(warns) != 0 {
		t.Fatalf("unexpected warnings %v", warns)
	}

	// PC scope wins over everything.
	eff, _ = Resolve(global, groups, []string{"canary"}, scope(t, `{"target_version":"0.28.0"}`))
	if *eff.TargetVersion != "0.28.0" || eff.TargetVersionJitter.String() != "30m" {
		t.Fatalf("pc override %s", encodeT(t, eff))
	}
}

func TestResolveConflicts(t *testing.T) {
	groups := map[string]*ConfigScope{
		"b-group": scope(t, `{"target_version":"2.0.0","heartbeat_interval":"10s"}`),
		"a-group": scope(t, `{"target_version":"1.0.0"}`),
		"c-group": scope(t, `{"target_version":"3.0.0","heartbeat_interval":"20s"}`),
	}
	eff, warns := Resolve(nil, groups, []string{"c-group", "a-group", "b-group"}, nil)
	if *eff.TargetVersion != "3.0.0" || eff.HeartbeatInterval.String() != "20s" {
		t.Fatalf("alphabetically last group must win: %s", encodeT(t, eff))
	}
	want := []ConfigWarning{
		{Field: "target_version", Groups: []string{"a-group", "b-group", "c-group"}},
		{Field: "heartbeat_interval", Groups: []string{"b-group", "c-group"}},
	}
	if !reflect.DeepEqual(warns, want) {
		t.Fatalf("warnings %+v", warns)
	}
	if warns[0].Winner() != "c-group" {
		t.Fatal("winner")
	}
	if got := warns[1].String(); got != `multiple groups set heartbeat_interval: b-group, c-group ("c-group" wins, alphabetically last)` {
		t.Fatalf("warning text %q", got)
	}
	// A PC override does not hide the group conflict.
	_, warns = Resolve(nil, groups, []string{"a-group", "b-group"}, scope(t, `{"target_version":"x"}`))
	if len(warns) != 1 || warns[0].Field != "target_version" {
		t.Fatalf("warnings %+v", warns)
	}
}

func TestResolveMalformed(t *testing.T) {
	// A malformed value still overrides the lower layer, then falls back to
	// the built-in default.
	global := scope(t, `{"target_version_jitter":"10m","heartbeat_interval":"1m"}`)
	pc := scope(t, `{"target_version_jitter":"ten minutes","heartbeat_interval":""}`)
	eff, _ := Resolve(global, nil, nil, pc)
	if got := encodeT(t, eff); got != `{"target_version":null,"target_version_jitter":"0s","heartbeat_interval":"30s"}` {
		t.Fatalf("malformed -> defaults: %s", got)
	}
	if eff.HeartbeatInterval.Std() != DefaultHeartbeatInterval {
		t.Fatal("heartbeat default value")
	}
}
