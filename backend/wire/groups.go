package wire

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// AgentGroups is the value of agent_groups[pc_id]: the groups a PC belongs to,
// encoded {"groups":[...]} (§5.6). Producers keep it sorted and deduplicated
// (Normalize); agents subscribe to commands.group.{g} for each entry.
type AgentGroups struct {
	Groups []string // nil encodes as []
}

type agentGroupsJSON struct {
	Groups stringList `json:"groups"`
}

// MarshalJSON encodes {"groups":[...]}, never null.
func (g AgentGroups) MarshalJSON() ([]byte, error) {
	return Marshal(agentGroupsJSON{g.Groups})
}

// UnmarshalJSON accepts the real {"groups":[...]} form and, for robustness,
// a bare ["a","b"] array: the 0.29 scheduler wrote/read that shape by
// mistake (bug #557), so such values may exist. A missing "groups" key is an
// empty membership; other keys are ignored.
func (g *AgentGroups) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var l stringList
		if err := l.UnmarshalJSON(t); err != nil {
			return nestError("AgentGroups", "", err)
		}
		g.Groups = l
		return nil
	}
	o, err := parseObject("AgentGroups", b)
	if err != nil {
		return err
	}
	var l stringList
	if err := o.defaulted("groups", &l); err != nil {
		return err
	}
	g.Groups = l
	if g.Groups == nil {
		g.Groups = []string{}
	}
	return nil
}

// DecodeAgentGroups decodes an agent_groups value (either form). It does not
// normalise; call Normalize before writing it back.
func DecodeAgentGroups(b []byte) (AgentGroups, error) {
	var g AgentGroups
	if err := g.UnmarshalJSON(b); err != nil {
		return AgentGroups{}, err
	}
	return g, nil
}

// NormalizeGroupNames trims each name, drops empty ones, sorts and dedups.
// The result is never nil.
func NormalizeGroupNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Normalize rewrites g.Groups into the stored form: trimmed, no empty names,
// sorted, deduplicated.
func (g *AgentGroups) Normalize() { g.Groups = NormalizeGroupNames(g.Groups) }

// Has reports whether g contains name (after trimming it).
func (g AgentGroups) Has(name string) bool {
	return slices.Contains(g.Groups, strings.TrimSpace(name))
}

// Add inserts name (trimmed) and normalises; it reports whether g changed.
// An empty name is an error (the API answers 400).
func (g *AgentGroups) Add(name string) (bool, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return false, fmt.Errorf("%w: group name is empty", ErrInvalidValue)
	}
	before := NormalizeGroupNames(g.Groups)
	g.Groups = NormalizeGroupNames(append(slices.Clone(g.Groups), name))
	return !slices.Equal(before, g.Groups), nil
}

// Remove deletes name (trimmed) and normalises; it reports whether g changed.
func (g *AgentGroups) Remove(name string) bool {
	name = strings.TrimSpace(name)
	before := NormalizeGroupNames(g.Groups)
	g.Groups = slices.DeleteFunc(slices.Clone(before), func(s string) bool { return s == name })
	return len(g.Groups) != len(before)
}
