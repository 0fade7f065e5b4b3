package execution

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// ---- group membership (KV agent_groups, key = pc_id) ----

// AgentGroups reads a PC's groups ({"groups":[]} when unset).
func (s *Service) AgentGroups(ctx context.Context, pcID string) (wire.AgentGroups, error) {
	ag, _, err := s.readGroups(ctx, pcID)
	return ag, err
}

func (s *Service) readGroups(ctx context.Context, pcID string) (wire.AgentGroups, uint64, error) {
	empty := wire.AgentGroups{Groups: []string{}}
	if !wire.ValidSubjectToken(pcID) {
		return empty, 0, svcerr.New(svcerr.KindInvalid, nil, "pc_id %q is not a valid subject token", pcID)
	}
	kv, err := s.kv(ctx, wire.BucketAgentGroups)
	if err != nil {
		return empty, 0, err
	}
	e, err := kv.Get(ctx, pcID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return empty, 0, nil
	}
	if err != nil {
		return empty, 0, svcerr.New(svcerr.KindUnavailable, err, "read agent_groups/%s", pcID)
	}
	ag, err := wire.DecodeAgentGroups(e.Value())
	if err != nil {
		return empty, 0, svcerr.New(svcerr.KindInternal, err, "agent_groups/%s is unreadable", pcID)
	}
	ag.Normalize()
	if ag.Groups == nil {
		ag.Groups = []string{}
	}
	return ag, e.Revision(), nil
}

// SetAgentGroups replaces a PC's groups (sorted, deduplicated).
func (s *Service) SetAgentGroups(ctx context.Context, pcID string, groups []string, c svcerr.Caller) (wire.AgentGroups, error) {
	if !wire.ValidSubjectToken(pcID) {
		return wire.AgentGroups{}, svcerr.New(svcerr.KindInvalid, nil, "pc_id %q is not a valid subject token", pcID)
	}
	for _, g := range groups {
		if !wire.ValidSubjectToken(strings.TrimSpace(g)) {
			return wire.AgentGroups{}, svcerr.New(svcerr.KindInvalid, nil, "group %q cannot be a NATS subject token (no spaces, dots, * or >)", g)
		}
	}
	ag := wire.AgentGroups{Groups: groups}
	ag.Normalize()
	if ag.Groups == nil {
		ag.Groups = []string{}
	}
	if err := s.putGroups(ctx, pcID, ag, 0, false); err != nil {
		return wire.AgentGroups{}, err
	}
	s.Audit(ctx, c, "agent_groups_set", pcID, map[string]any{"groups": ag.Groups})
	return ag, nil
}

// ChangeAgentGroup adds or removes one group; nothing is written when the
// membership already says so. It retries on a concurrent change.
func (s *Service) ChangeAgentGroup(ctx context.Context, pcID, group string, add bool, c svcerr.Caller) (wire.AgentGroups, error) {
	group = strings.TrimSpace(group)
	if group == "" {
		return wire.AgentGroups{}, svcerr.New(svcerr.KindInvalid, nil, "group name is blank")
	}
	if !wire.ValidSubjectToken(group) {
		return wire.AgentGroups{}, svcerr.New(svcerr.KindInvalid, nil, "group %q cannot be a NATS subject token (no spaces, dots, * or >)", group)
	}
	for attempt := 0; attempt < 5; attempt++ {
		ag, rev, err := s.readGroups(ctx, pcID)
		if err != nil {
			return ag, err
		}
		var changed bool
		if add {
			changed, err = ag.Add(group)
			if err != nil {
				return ag, svcerr.New(svcerr.KindInvalid, err, "group")
			}
		} else {
			changed = ag.Remove(group)
		}
		if !changed {
			return ag, nil
		}
		if err := s.putGroups(ctx, pcID, ag, rev, true); err != nil {
			if svcerr.KindOf(err) == svcerr.KindConflict {
				continue
			}
			return ag, err
		}
		action := "agent_group_remove"
		if add {
			action = "agent_group_add"
		}
		s.Audit(ctx, c, action, pcID, map[string]any{"group": group})
		return ag, nil
	}
	return wire.AgentGroups{}, svcerr.New(svcerr.KindConflict, nil, "groups of %s kept changing; try again", pcID)
}

func (s *Service) putGroups(ctx context.Context, pcID string, ag wire.AgentGroups, rev uint64, checkRev bool) error {
	kv, err := s.kv(ctx, wire.BucketAgentGroups)
	if err != nil {
		return err
	}
	data, err := wire.Marshal(ag)
	if err != nil {
		return svcerr.New(svcerr.KindInternal, err, "encode groups")
	}
	var written uint64
	switch {
	case !checkRev:
		written, err = kv.Put(ctx, pcID, data)
	case rev == 0:
		written, err = kv.Create(ctx, pcID, data)
	default:
		written, err = kv.Update(ctx, pcID, data, rev)
	}
	if err != nil {
		if checkRev && (errors.Is(err, jetstream.ErrKeyExists) || strings.Contains(err.Error(), "wrong last sequence")) {
			return svcerr.New(svcerr.KindConflict, err, "concurrent change")
		}
		return svcerr.New(svcerr.KindBadGateway, err, "write agent_groups/%s", pcID)
	}
	s.awaitGroupsMirror(ctx, written)
	return nil
}

// mirrorWaiter is the part of the agent_groups mirror that can say when it
// has applied a revision.
type mirrorWaiter interface {
	WaitApplied(ctx context.Context, rev uint64) error
}

// awaitGroupsMirror gives the caller read-your-writes: the group lists and
// member counts it reads next come from the mirror, which applies the write
// a few milliseconds later. The write has succeeded either way, so a slow
// mirror only shortens the wait (at most 2 s) and is not an error.
func (s *Service) awaitGroupsMirror(ctx context.Context, rev uint64) {
	w, ok := s.groups.(mirrorWaiter)
	if !ok {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := w.WaitApplied(wctx, rev); err != nil {
		s.log.Warn("agent_groups mirror has not caught up with our write yet", "revision", rev, "err", err)
	}
}

// ---- layered agent config (KV agent_config) ----

// ConfigScope reads one scope ("global", "groups.<g>", "pcs.<pc>"); {} when
// unset.
func (s *Service) ConfigScope(ctx context.Context, key string) (wire.ConfigScope, error) {
	kv, err := s.kv(ctx, wire.BucketAgentConfig)
	if err != nil {
		return wire.ConfigScope{}, err
	}
	e, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return wire.ConfigScope{}, nil
	}
	if err != nil {
		return wire.ConfigScope{}, svcerr.New(svcerr.KindUnavailable, err, "read agent_config/%s", key)
	}
	var scope wire.ConfigScope
	if err := json.Unmarshal(e.Value(), &scope); err != nil {
		return wire.ConfigScope{}, svcerr.New(svcerr.KindInternal, err, "agent_config/%s is unreadable", key)
	}
	return scope, nil
}

// PutConfigScope replaces a scope (a blind put, like 0.29).
func (s *Service) PutConfigScope(ctx context.Context, key string, scope wire.ConfigScope, c svcerr.Caller) (wire.ConfigScope, error) {
	if err := checkScopeKey(key); err != nil {
		return wire.ConfigScope{}, err
	}
	if err := scope.Validate(); err != nil {
		return wire.ConfigScope{}, svcerr.New(svcerr.KindInvalid, err, "")
	}
	kv, err := s.kv(ctx, wire.BucketAgentConfig)
	if err != nil {
		return wire.ConfigScope{}, err
	}
	data, err := wire.Marshal(scope)
	if err != nil {
		return wire.ConfigScope{}, svcerr.New(svcerr.KindInvalid, err, "encode scope")
	}
	if _, err := kv.Put(ctx, key, data); err != nil {
		return wire.ConfigScope{}, svcerr.New(svcerr.KindBadGateway, err, "write agent_config/%s", key)
	}
	s.Audit(ctx, c, "config_scope_put", key, map[string]any{"scope": json.RawMessage(data)})
	return scope, nil
}

// DeleteConfigScope removes a group or PC scope.
func (s *Service) DeleteConfigScope(ctx context.Context, key string, c svcerr.Caller) error {
	if err := checkScopeKey(key); err != nil {
		return err
	}
	kv, err := s.kv(ctx, wire.BucketAgentConfig)
	if err != nil {
		return err
	}
	if err := kv.Delete(ctx, key); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return svcerr.New(svcerr.KindBadGateway, err, "delete agent_config/%s", key)
	}
	s.Audit(ctx, c, "config_scope_clear", key, map[string]any{})
	return nil
}

func checkScopeKey(key string) error {
	kind, name, ok := wire.ParseConfigKey(key)
	if !ok || (kind != "global" && !wire.ValidSubjectToken(name)) {
		return svcerr.New(svcerr.KindInvalid, nil, "%q is not a valid config scope name", key)
	}
	return nil
}

// EffectiveConfigResponse is GET /api/agents/{pc_id}/effective_config.
type EffectiveConfigResponse struct {
	PCID      string               `json:"pc_id"`
	Effective wire.EffectiveConfig `json:"effective"`
	Warnings  []string             `json:"warnings"`
	MyGroups  []string             `json:"my_groups"`
}

// EffectiveConfig resolves a PC's configuration exactly as its agent does.
func (s *Service) EffectiveConfig(ctx context.Context, pcID string) (EffectiveConfigResponse, error) {
	ag, err := s.AgentGroups(ctx, pcID)
	if err != nil {
		return EffectiveConfigResponse{}, err
	}
	read := func(key string) (*wire.ConfigScope, error) {
		kv, err := s.kv(ctx, wire.BucketAgentConfig)
		if err != nil {
			return nil, err
		}
		e, err := kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, svcerr.New(svcerr.KindUnavailable, err, "read agent_config/%s", key)
		}
		var scope wire.ConfigScope
		if err := json.Unmarshal(e.Value(), &scope); err != nil {
			return nil, nil // an unreadable scope is ignored, as agents do
		}
		return &scope, nil
	}
	global, err := read(wire.ConfigKeyGlobal)
	if err != nil {
		return EffectiveConfigResponse{}, err
	}
	groups := map[string]*wire.ConfigScope{}
	for _, g := range ag.Groups {
		sc, err := read(wire.ConfigKeyGroup(g))
		if err != nil {
			return EffectiveConfigResponse{}, err
		}
		if sc != nil {
			groups[g] = sc
		}
	}
	pc, err := read(wire.ConfigKeyPC(pcID))
	if err != nil {
		return EffectiveConfigResponse{}, err
	}
	eff, warns := wire.Resolve(global, groups, ag.Groups, pc)
	return EffectiveConfigResponse{PCID: pcID, Effective: eff, Warnings: wire.WarningStrings(warns), MyGroups: ag.Groups}, nil
}
