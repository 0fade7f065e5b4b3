package execution

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/pever"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// MaxReleaseBytes is the upload limit of POST /api/agents/publish (0.29).
const MaxReleaseBytes = 64 << 20

// CheckReleaseSize refuses an agent binary of n bytes over MaxReleaseBytes
// (a 413); a front door may ask before it has read or decoded the bytes.
func CheckReleaseSize(n int) error {
	if n > MaxReleaseBytes {
		return svcerr.New(svcerr.KindTooLarge, nil, "agent binary larger than 64 MiB")
	}
	return nil
}

// Release is one agent binary in the agent_releases object store.
type Release struct {
	Version  string     `json:"version"`
	Size     uint64     `json:"size"`
	Digest   *string    `json:"digest"`
	Modified *time.Time `json:"modified"`
}

func (s *Service) releases(ctx context.Context) (jetstream.ObjectStore, error) {
	obs, err := s.js.ObjectStore(ctx, wire.ObjectStoreAgentReleases)
	if err != nil {
		return nil, svcerr.New(svcerr.KindUnavailable, err, "object store %s unavailable", wire.ObjectStoreAgentReleases)
	}
	return obs, nil
}

// ListReleases lists the stored agent versions, newest first.
func (s *Service) ListReleases(ctx context.Context) ([]Release, error) {
	out := []Release{}
	obs, err := s.releases(ctx)
	if err != nil {
		return out, err
	}
	infos, err := obs.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return out, nil
	}
	if err != nil {
		return nil, svcerr.New(svcerr.KindUnavailable, err, "list releases")
	}
	for _, info := range infos {
		r := Release{Version: info.Name, Size: info.Size}
		if info.Digest != "" {
			d := info.Digest
			r.Digest = &d
		}
		if !info.ModTime.IsZero() {
			m := info.ModTime.UTC()
			r.Modified = &m
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Modified == nil || out[j].Modified == nil {
			return out[i].Version > out[j].Version
		}
		return out[i].Modified.After(*out[j].Modified)
	})
	return out, nil
}

// PublishResponse is POST /api/agents/publish's answer.
type PublishResponse struct {
	Version string `json:"version"`
	Size    int    `json:"size"`
	Digest  string `json:"digest"`
}

// PublishRelease stores an agent binary under the version read from its PE
// VERSIONINFO resource.
func (s *Service) PublishRelease(ctx context.Context, data []byte, c svcerr.Caller) (PublishResponse, error) {
	if len(data) == 0 {
		return PublishResponse{}, svcerr.New(svcerr.KindInvalid, nil, "the uploaded file is empty")
	}
	if err := CheckReleaseSize(len(data)); err != nil {
		return PublishResponse{}, err
	}
	version, err := pever.Version(data)
	if err != nil {
		return PublishResponse{}, svcerr.New(svcerr.KindInvalid, err, "cannot read the agent version from the file")
	}
	obs, err := s.releases(ctx)
	if err != nil {
		return PublishResponse{}, err
	}
	info, err := obs.PutBytes(ctx, version, data)
	if err != nil {
		return PublishResponse{}, svcerr.New(svcerr.KindBadGateway, err, "store release %s", version)
	}
	s.Audit(ctx, c, "agent_publish", version, map[string]any{"size": len(data), "digest": info.Digest})
	return PublishResponse{Version: version, Size: len(data), Digest: info.Digest}, nil
}

// DeleteRelease deletes a stored version unless a config scope still
// targets it.
func (s *Service) DeleteRelease(ctx context.Context, version string, c svcerr.Caller) error {
	kv, err := s.kv(ctx, wire.BucketAgentConfig)
	if err != nil {
		return err
	}
	entries, err := allEntries(ctx, kv)
	if err != nil {
		return svcerr.New(svcerr.KindUnavailable, err, "read agent_config")
	}
	for _, e := range entries {
		var scope wire.ConfigScope
		if json.Unmarshal(e.Value(), &scope) != nil || scope.TargetVersion == nil || *scope.TargetVersion != version {
			continue
		}
		return svcerr.New(svcerr.KindConflict, nil, "release %s is the target_version of scope %s; roll that scope to another version first", version, scopeLabel(e.Key()))
	}
	obs, err := s.releases(ctx)
	if err != nil {
		return err
	}
	if err := obs.Delete(ctx, version); err != nil {
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			return svcerr.New(svcerr.KindNotFound, nil, "no release %s", version)
		}
		return svcerr.New(svcerr.KindBadGateway, err, "delete release %s", version)
	}
	s.Audit(ctx, c, "agent_release_delete", version, map[string]any{})
	return nil
}

func scopeLabel(key string) string {
	kind, name, ok := wire.ParseConfigKey(key)
	switch {
	case !ok:
		return key
	case kind == "global":
		return "global"
	case kind == "group":
		return "group:" + name
	default:
		return "pc:" + name
	}
}

// RolloutScope is the scope of a rollout request.
type RolloutScope struct {
	Type  string `json:"type"` // global | group | pc
	Value string `json:"value,omitempty"`
}

// RolloutRequest is POST /api/agents/rollout's body.
type RolloutRequest struct {
	Version string       `json:"version"`
	Scope   RolloutScope `json:"scope"`
	Jitter  *string      `json:"jitter,omitempty"`
}

// RolloutResponse is its answer.
type RolloutResponse struct {
	Version    string  `json:"version"`
	ScopeKey   string  `json:"scope_key"`
	ScopeLabel string  `json:"scope_label"`
	Jitter     *string `json:"jitter"`
}

// Rollout points a config scope at a stored agent version; agents of that
// scope update themselves.
func (s *Service) Rollout(ctx context.Context, req RolloutRequest, c svcerr.Caller) (RolloutResponse, error) {
	var key string
	switch req.Scope.Type {
	case "global":
		key = wire.ConfigKeyGlobal
	case "group":
		key = wire.ConfigKeyGroup(req.Scope.Value)
	case "pc":
		key = wire.ConfigKeyPC(req.Scope.Value)
	default:
		return RolloutResponse{}, svcerr.New(svcerr.KindInvalid, nil, `scope.type must be "global", "group" or "pc"`)
	}
	if req.Scope.Type != "global" && !wire.ValidSubjectToken(req.Scope.Value) {
		return RolloutResponse{}, svcerr.New(svcerr.KindInvalid, nil, "scope.value %q is not a valid %s name", req.Scope.Value, req.Scope.Type)
	}
	if req.Version == "" {
		return RolloutResponse{}, svcerr.New(svcerr.KindInvalid, nil, "version is required")
	}
	var jitter *wire.Duration
	if req.Jitter != nil {
		d := wire.DurationFromText(*req.Jitter)
		if err := d.Err(); err != nil {
			return RolloutResponse{}, svcerr.New(svcerr.KindInvalid, err, "jitter")
		}
		jitter = &d
	}
	obs, err := s.releases(ctx)
	if err != nil {
		return RolloutResponse{}, err
	}
	if _, err := obs.GetInfo(ctx, req.Version); err != nil {
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			return RolloutResponse{}, svcerr.New(svcerr.KindNotFound, nil, "no release %s; publish it first", req.Version)
		}
		return RolloutResponse{}, svcerr.New(svcerr.KindUnavailable, err, "look up release %s", req.Version)
	}
	scope, err := s.ConfigScope(ctx, key)
	if err != nil {
		return RolloutResponse{}, err
	}
	v := req.Version
	scope.TargetVersion = &v
	if jitter != nil {
		scope.TargetVersionJitter = jitter
	}
	if _, err := s.PutConfigScope(ctx, key, scope, c); err != nil {
		return RolloutResponse{}, err
	}
	s.Audit(ctx, c, "agent_rollout", key, map[string]any{"version": req.Version, "jitter": req.Jitter})
	return RolloutResponse{Version: req.Version, ScopeKey: key, ScopeLabel: scopeLabel(key), Jitter: req.Jitter}, nil
}
