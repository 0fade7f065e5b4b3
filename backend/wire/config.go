package wire

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// agent_config KV keys (§4, api §3.4).
const (
	ConfigKeyGlobal = "global"
	// ConfigKeyLegacyTargetVersion is the pre-layering key whose value is a
	// raw version string, not a ConfigScope.
	ConfigKeyLegacyTargetVersion = "target_version"

	configGroupPrefix = "groups."
	configPCPrefix    = "pcs."
)

// ConfigKeyGroup is the agent_config key of a group scope: "groups.{name}".
func ConfigKeyGroup(name string) string { return configGroupPrefix + name }

// ConfigKeyPC is the agent_config key of a PC scope: "pcs.{pc_id}".
func ConfigKeyPC(pcID string) string { return configPCPrefix + pcID }

// ConfigScopeKind says which layer an agent_config key belongs to.
type ConfigScopeKind string

const (
	ConfigScopeGlobal ConfigScopeKind = "global"
	ConfigScopeGroup  ConfigScopeKind = "group"
	ConfigScopePC     ConfigScopeKind = "pc"
)

// ParseConfigKey splits an agent_config key into its layer and name
// ("" for global). ok is false for the legacy key and anything unknown.
func ParseConfigKey(key string) (kind ConfigScopeKind, name string, ok bool) {
	switch {
	case key == ConfigKeyGlobal:
		return ConfigScopeGlobal, "", true
	case strings.HasPrefix(key, configGroupPrefix) && len(key) > len(configGroupPrefix):
		return ConfigScopeGroup, key[len(configGroupPrefix):], true
	case strings.HasPrefix(key, configPCPrefix) && len(key) > len(configPCPrefix):
		return ConfigScopePC, key[len(configPCPrefix):], true
	}
	return "", "", false
}

// Built-in defaults of the effective agent config.
const (
	DefaultTargetVersionJitter = 0 * time.Second
	DefaultHeartbeatInterval   = 30 * time.Second
)

// Config field names, as used in ConfigWarning.Field.
const (
	ConfigFieldTargetVersion       = "target_version"
	ConfigFieldTargetVersionJitter = "target_version_jitter"
	ConfigFieldHeartbeatInterval   = "heartbeat_interval"
)

// ConfigScope is one layer of agent config (value of agent_config[global |
// groups.{g} | pcs.{pc}]). Every field is optional and "inherit" when nil;
// nil fields are omitted on encode and unknown keys (e.g. the inventory_*
// fields removed in v0.20) are ignored on decode (§5.7).
type ConfigScope struct {
	TargetVersion       *string
	TargetVersionJitter *Duration // humantime; malformed counts as 0s when resolved
	HeartbeatInterval   *Duration // humantime; malformed counts as 30s when resolved
}

type configScopeJSON struct {
	TargetVersion       *string   `json:"target_version,omitempty"`
	TargetVersionJitter *Duration `json:"target_version_jitter,omitempty"`
	HeartbeatInterval   *Duration `json:"heartbeat_interval,omitempty"`
}

// MarshalJSON implements json.Marshaler ({} when nothing is set).
func (c ConfigScope) MarshalJSON() ([]byte, error) {
	return Marshal(configScopeJSON(c))
}

// UnmarshalJSON implements json.Unmarshaler.
func (c *ConfigScope) UnmarshalJSON(b []byte) error {
	o, err := parseObject("ConfigScope", b)
	if err != nil {
		return err
	}
	var v ConfigScope
	if v.TargetVersion, err = optionalPtr[string](o, "target_version"); err != nil {
		return err
	}
	if v.TargetVersionJitter, err = optionalPtr[Duration](o, "target_version_jitter"); err != nil {
		return err
	}
	if v.HeartbeatInterval, err = optionalPtr[Duration](o, "heartbeat_interval"); err != nil {
		return err
	}
	*c = v
	return nil
}

// IsEmpty reports whether the scope sets nothing.
func (c ConfigScope) IsEmpty() bool {
	return c.TargetVersion == nil && c.TargetVersionJitter == nil && c.HeartbeatInterval == nil
}

// Validate rejects malformed humantime values, for writers (PUT /api/config)
// that want to refuse them up front; readers never need it.
func (c ConfigScope) Validate() error {
	if c.TargetVersionJitter != nil {
		if err := checkDuration("ConfigScope", ConfigFieldTargetVersionJitter, *c.TargetVersionJitter); err != nil {
			return err
		}
	}
	if c.HeartbeatInterval != nil {
		if err := checkDuration("ConfigScope", ConfigFieldHeartbeatInterval, *c.HeartbeatInterval); err != nil {
			return err
		}
	}
	return nil
}

// EffectiveConfig is the resolved agent config, as returned inside
// GET /api/agents/{pc}/effective_config.
type EffectiveConfig struct {
	TargetVersion       *string  `json:"target_version"` // null = keep the running version
	TargetVersionJitter Duration `json:"target_version_jitter"`
	HeartbeatInterval   Duration `json:"heartbeat_interval"`
}

// MarshalJSON implements json.Marshaler.
func (e EffectiveConfig) MarshalJSON() ([]byte, error) {
	type plain EffectiveConfig
	return Marshal(plain(e))
}

// ConfigWarning is a MultiGroupConflict: two or more of a PC's groups set the
// same field, so the alphabetically last group's value silently wins.
type ConfigWarning struct {
	Field  string   // e.g. "target_version"
	Groups []string // the conflicting groups, alphabetical; the last one wins
}

// Winner returns the group whose value is used.
func (w ConfigWarning) Winner() string {
	if len(w.Groups) == 0 {
		return ""
	}
	return w.Groups[len(w.Groups)-1]
}

// String renders the warning for the API's "warnings": [string] array.
func (w ConfigWarning) String() string {
	return fmt.Sprintf("multiple groups set %s: %s (%q wins, alphabetically last)",
		w.Field, strings.Join(w.Groups, ", "), w.Winner())
}

// Resolve computes a PC's effective config: built-in defaults, then global,
// then each of the PC's groups in ascending alphabetical order (deduplicated;
// a later group overrides an earlier one), then the PC scope. A layer only
// overrides the fields it sets; nil scopes and groups without a scope are
// skipped. A set-but-malformed humantime value still overrides lower layers
// and then resolves to the built-in default (0s jitter, 30s heartbeat), as on
// the agent. One warning is returned per field set by two or more groups.
func Resolve(global *ConfigScope, groups map[string]*ConfigScope, memberOf []string, pc *ConfigScope) (EffectiveConfig, []ConfigWarning) {
	var (
		version          *string
		jitter, interval *Duration
		setBy            = map[string][]string{}
	)
	apply := func(s *ConfigScope, group string) {
		if s == nil {
			return
		}
		if s.TargetVersion != nil {
			v := *s.TargetVersion
			version = &v
			if group != "" {
				setBy[ConfigFieldTargetVersion] = append(setBy[ConfigFieldTargetVersion], group)
			}
		}
		if s.TargetVersionJitter != nil {
			jitter = s.TargetVersionJitter
			if group != "" {
				setBy[ConfigFieldTargetVersionJitter] = append(setBy[ConfigFieldTargetVersionJitter], group)
			}
		}
		if s.HeartbeatInterval != nil {
			interval = s.HeartbeatInterval
			if group != "" {
				setBy[ConfigFieldHeartbeatInterval] = append(setBy[ConfigFieldHeartbeatInterval], group)
			}
		}
	}
	apply(global, "")
	for _, g := range NormalizeGroupNames(memberOf) {
		apply(groups[g], g)
	}
	apply(pc, "")

	eff := EffectiveConfig{
		TargetVersion:       version,
		TargetVersionJitter: NewDuration(DefaultTargetVersionJitter),
		HeartbeatInterval:   NewDuration(DefaultHeartbeatInterval),
	}
	if jitter != nil && jitter.Valid() {
		eff.TargetVersionJitter = *jitter
	}
	if interval != nil && interval.Valid() {
		eff.HeartbeatInterval = *interval
	}
	var warnings []ConfigWarning
	for _, f := range []string{ConfigFieldTargetVersion, ConfigFieldTargetVersionJitter, ConfigFieldHeartbeatInterval} {
		if gs := setBy[f]; len(gs) >= 2 {
			warnings = append(warnings, ConfigWarning{Field: f, Groups: slices.Clone(gs)})
		}
	}
	return eff, warnings
}

// WarningStrings renders warnings for the API response; never nil.
func WarningStrings(ws []ConfigWarning) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}
