package projector

import (
	"context"
	"log/slog"
	"sort"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Groups mirrors the agent_groups bucket (pc_id -> {"groups":[...]}, or a
// bare array from older writers) into memory and agent_group_members.
type Groups struct {
	*KVMirror
	store *store.Store
	log   *slog.Logger

	mu      sync.RWMutex
	byPC    map[string][]string
	byGroup map[string]map[string]bool
}

// NewGroups builds the mirror; Run starts it.
func NewGroups(js jetstream.JetStream, st *store.Store, log *slog.Logger) *Groups {
	g := &Groups{store: st, log: log, byPC: map[string][]string{}, byGroup: map[string]map[string]bool{}}
	g.KVMirror = newKVMirror("agent_groups", wire.BucketAgentGroups, js, g, log)
	return g
}

// GroupsOf returns a PC's groups, sorted.
func (g *Groups) GroupsOf(pc string) []string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return append([]string(nil), g.byPC[pc]...)
}

// Members returns the PCs of a group, sorted.
func (g *Groups) Members(group string) []string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]string, 0, len(g.byGroup[group]))
	for pc := range g.byGroup[group] {
		out = append(out, pc)
	}
	sort.Strings(out)
	return out
}

// AllGroups returns every group name with at least one member, sorted.
func (g *Groups) AllGroups() []string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]string, 0, len(g.byGroup))
	for name := range g.byGroup {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func (g *Groups) apply(ctx context.Context, entries []jetstream.KeyValueEntry) error {
	type change struct {
		pc     string
		groups []string
	}
	changes := make([]change, 0, len(entries))
	for _, e := range entries {
		if e.Operation() != jetstream.KeyValuePut {
			changes = append(changes, change{pc: e.Key()})
			continue
		}
		ag, err := wire.DecodeAgentGroups(e.Value())
		if err != nil {
			// Agents ignore a value they cannot read; so do we, loudly.
			g.log.Warn("agent_groups value not understood; treating the PC as in no group", "pc_id", e.Key(), "revision", e.Revision(), "err", err)
		}
		ag.Normalize()
		changes = append(changes, change{pc: e.Key(), groups: ag.Groups})
	}
	err := g.store.WithTx(ctx, func(tx *sqlTx) error {
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, "DELETE FROM agent_group_members WHERE pc_id = ?", c.pc); err != nil {
				return err
			}
			for _, name := range c.groups {
				if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO agent_group_members (pc_id, group_name) VALUES (?, ?)", c.pc, name); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.mu.Lock()
	for _, c := range changes {
		g.setLocked(c.pc, c.groups)
	}
	g.mu.Unlock()
	return nil
}

func (g *Groups) setLocked(pc string, groups []string) {
	for _, old := range g.byPC[pc] {
		delete(g.byGroup[old], pc)
		if len(g.byGroup[old]) == 0 {
			delete(g.byGroup, old)
		}
	}
	if len(groups) == 0 {
		delete(g.byPC, pc)
		return
	}
	g.byPC[pc] = groups
	for _, name := range groups {
		if g.byGroup[name] == nil {
			g.byGroup[name] = map[string]bool{}
		}
		g.byGroup[name][pc] = true
	}
}

func (g *Groups) resync(ctx context.Context, present map[string]bool) error {
	g.mu.RLock()
	var gone []string
	for pc := range g.byPC {
		if !present[pc] {
			gone = append(gone, pc)
		}
	}
	g.mu.RUnlock()
	// The table may hold PCs from before this process too.
	rows, err := g.store.Writer().QueryContext(ctx, "SELECT DISTINCT pc_id FROM agent_group_members")
	if err != nil {
		return err
	}
	for rows.Next() {
		var pc string
		if rows.Scan(&pc) == nil && !present[pc] {
			gone = append(gone, pc)
		}
	}
	rows.Close()
	return g.store.WithTx(ctx, func(tx *sqlTx) error {
		for _, pc := range gone {
			if _, err := tx.ExecContext(ctx, "DELETE FROM agent_group_members WHERE pc_id = ?", pc); err != nil {
				return err
			}
		}
		g.mu.Lock()
		for _, pc := range gone {
			g.setLocked(pc, nil)
		}
		g.mu.Unlock()
		return nil
	})
}
