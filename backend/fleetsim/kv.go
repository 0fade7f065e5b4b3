package fleetsim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// verdict is the outcome of the version-pin and revoke checks.
type verdict uint8

const (
	verdictRun verdict = iota
	verdictPinned
	verdictRevoked
)

// caches are the fleet-wide in-memory copies of the KV buckets agents read,
// fed by one watch per bucket (never a KV get per command).
type caches struct {
	mu      sync.RWMutex
	current map[string]string              // script_current: manifest id -> version
	status  map[string]string              // script_status: manifest id -> ACTIVE|REVOKED
	hints   map[string]*wire.InventoryHint // jobs: manifest id -> inventory hint (only jobs that have one)

	onGroups func(pcID string, groups []string) // agent_groups changes
}

func newCaches() *caches {
	return &caches{
		current: make(map[string]string),
		status:  make(map[string]string),
		hints:   make(map[string]*wire.InventoryHint),
	}
}

// check applies the agent's order (behaviors §4.5): version pin, then
// revoke. It also returns the job's inventory hint.
func (k *caches) check(id, version string) (verdict, *wire.InventoryHint) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	hint := k.hints[id]
	if pinned, ok := k.current[id]; ok && pinned != version {
		return verdictPinned, hint
	}
	if k.status[id] == wire.ScriptStatusRevoked {
		return verdictRevoked, hint
	}
	return verdictRun, hint
}

// start launches one watcher per bucket on js and waits until each has
// delivered its initial values (or found its bucket missing — it then keeps
// retrying in the background). startCtx bounds the wait, runCtx the watchers.
func (k *caches) start(startCtx, runCtx context.Context, js jetstream.JetStream, log *slog.Logger, wg *sync.WaitGroup) error {
	buckets := []struct {
		name  string
		apply func(key string, value []byte, deleted bool)
	}{
		{wire.BucketScriptCurrent, k.setString(k.current)},
		{wire.BucketScriptStatus, k.setString(k.status)},
		{wire.BucketJobs, k.setJob},
		{wire.BucketAgentGroups, k.setGroups},
	}
	ready := make(chan struct{}, len(buckets))
	for _, b := range buckets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			watchBucket(runCtx, js, b.name, b.apply, ready, log)
		}()
	}
	for range buckets {
		select {
		case <-ready:
		case <-startCtx.Done():
			return fmt.Errorf("fleetsim: loading KV buckets: %w", startCtx.Err())
		}
	}
	return nil
}

func (k *caches) setString(m map[string]string) func(string, []byte, bool) {
	return func(key string, value []byte, deleted bool) {
		k.mu.Lock()
		defer k.mu.Unlock()
		if deleted {
			delete(m, key)
		} else {
			m[key] = string(value)
		}
	}
}

func (k *caches) setJob(key string, value []byte, deleted bool) {
	var hint *wire.InventoryHint
	if !deleted {
		var m wire.Manifest
		if err := json.Unmarshal(value, &m); err == nil {
			hint = m.Inventory
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if hint == nil {
		delete(k.hints, key)
	} else {
		k.hints[key] = hint
	}
}

func (k *caches) setGroups(key string, value []byte, deleted bool) {
	var groups []string
	if !deleted {
		g, err := wire.DecodeAgentGroups(value)
		if err != nil {
			return // an agent keeps its membership on a bad value
		}
		groups = wire.NormalizeGroupNames(g.Groups)
	}
	if k.onGroups != nil {
		k.onGroups(key, groups)
	}
}

// watchBucket mirrors one bucket into apply until ctx ends, re-opening the
// bucket and the watch when either fails. ready gets one token once the
// initial values are in (or the first attempt failed).
func watchBucket(ctx context.Context, js jetstream.JetStream, bucket string, apply func(string, []byte, bool), ready chan<- struct{}, log *slog.Logger) {
	signalled := false
	signal := func() {
		if !signalled {
			signalled = true
			ready <- struct{}{}
		}
	}
	defer signal()
	warned := false
	for ctx.Err() == nil {
		err := watchOnce(ctx, js, bucket, apply, signal)
		if ctx.Err() != nil {
			return
		}
		if err != nil && !warned {
			warned = true
			log.Warn("fleetsim: KV watch failed; retrying", "bucket", bucket, "err", err)
		}
		signal()
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func watchOnce(ctx context.Context, js jetstream.JetStream, bucket string, apply func(string, []byte, bool), synced func()) error {
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return err
	}
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = w.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("watch closed")
			}
			if e == nil {
				synced()
				continue
			}
			op := e.Operation()
			apply(e.Key(), e.Value(), op == jetstream.KeyValueDelete || op == jetstream.KeyValuePurge)
		}
	}
}
