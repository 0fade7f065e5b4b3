package accounts

import (
	"encoding/json"
	"slices"
)

// Features is kanade's page catalogue in catalogue order (spec §1.13). An
// account's allow-list holds some of these keys; the SPA filters its
// navigation by them and the API refuses routes a page owns.
var Features = []string{
	"dashboard", "run", "exec", "agents", "inventory", "compliance", "activity", "events", "audit", "logs", "collect",
	"analytics", "jobs", "schedules", "views", "notifications", "rollout", "agent-install", "apps", "groups", "config",
	"jetstream", "accounts", "settings", "remote",
}

var featureIndex = func() map[string]int {
	m := make(map[string]int, len(Features))
	for i, f := range Features {
		m[f] = i
	}
	return m
}()

// IsFeature reports whether key is in the catalogue (case-sensitive).
func IsFeature(key string) bool {
	_, ok := featureIndex[key]
	return ok
}

// CanonicalFeatures validates keys and returns them de-duplicated in
// catalogue order; nil stays nil (unrestricted), an empty list stays empty.
func CanonicalFeatures(keys []string) ([]string, error) {
	if keys == nil {
		return nil, nil
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !IsFeature(k) {
			return nil, invalid("unknown feature: " + k)
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return featureIndex[a] - featureIndex[b] })
	return out, nil
}

// lenientFeatures reads a stored JSON list for display: NULL or malformed is
// nil, unknown keys are dropped (spec §1.10).
func lenientFeatures(raw *string) []string {
	if raw == nil {
		return nil
	}
	var keys []string
	if json.Unmarshal([]byte(*raw), &keys) != nil || keys == nil {
		return nil
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if IsFeature(k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return featureIndex[a] - featureIndex[b] })
	return out
}

// effectiveFeatures is the allow-list a request is checked against (spec
// §1.13): a permission group's list wins and never widens to unrestricted
// (fail closed); without a group the account's own list, where NULL or
// malformed JSON means unrestricted (nil).
func effectiveFeatures(group *string, groupFeatures, own *string) []string {
	if group != nil && *group != "" {
		if groupFeatures != nil {
			var keys []string
			if json.Unmarshal([]byte(*groupFeatures), &keys) == nil && keys != nil {
				return nonNil(lenientFeatures(groupFeatures))
			}
		}
		if f := lenientFeatures(own); f != nil {
			return f
		}
		return []string{}
	}
	return lenientFeatures(own)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func encodeFeatures(keys []string) *string {
	if keys == nil {
		return nil
	}
	b, _ := json.Marshal(keys)
	s := string(b)
	return &s
}
