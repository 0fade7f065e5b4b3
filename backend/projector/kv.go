package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
)

// kvSink is what a KV mirror does with the bucket's entries: keep an
// in-memory cache and a mirror table in step.
type kvSink interface {
	// apply handles one batch of puts and deletes, in order.
	apply(ctx context.Context, entries []jetstream.KeyValueEntry) error
	// resync drops every key not in present: those were deleted while the
	// watch was not running.
	resync(ctx context.Context, present map[string]bool) error
}

// KVMirror watches one bucket and feeds a sink. Ready closes once the
// bucket's current content is loaded, so users of the cache (the results
// projector, target resolution) can wait for a complete view.
type KVMirror struct {
	name   string
	bucket string
	js     jetstream.JetStream
	sink   kvSink
	log    *slog.Logger
	stats  *Stats

	readyOnce sync.Once
	ready     chan struct{}

	appliedMu sync.Mutex
	applied   uint64        // highest bucket revision applied to the sink
	appliedCh chan struct{} // closed and replaced whenever applied grows

	// created is the bucket stream's creation time (store.FormatTime) of
	// the running watch, empty when unknown: revisions restart at 1 when the
	// bucket is created again.
	created atomic.Value

	restarter
}

func newKVMirror(name, bucket string, js jetstream.JetStream, sink kvSink, log *slog.Logger) *KVMirror {
	return &KVMirror{name: name, bucket: bucket, js: js, sink: sink, log: log.With("projector", name, "bucket", bucket), stats: newStats(name), ready: make(chan struct{}), appliedCh: make(chan struct{})}
}

// streamCreated is the watched bucket's creation time, empty when unknown.
func (m *KVMirror) streamCreated() string {
	s, _ := m.created.Load().(string)
	return s
}

// WaitApplied blocks until the mirror has applied the bucket's revision rev
// (or a later one), or ctx ends. A console that has just written the bucket
// waits on it so that its own next read already shows the write.
func (m *KVMirror) WaitApplied(ctx context.Context, rev uint64) error {
	for {
		m.appliedMu.Lock()
		done, ch := m.applied >= rev, m.appliedCh
		m.appliedMu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (m *KVMirror) markApplied(entries []jetstream.KeyValueEntry) {
	var top uint64
	for _, e := range entries {
		top = max(top, e.Revision())
	}
	m.appliedMu.Lock()
	defer m.appliedMu.Unlock()
	if top > m.applied {
		m.applied = top
		close(m.appliedCh)
		m.appliedCh = make(chan struct{})
	}
}

// Name is the mirror's short name.
func (m *KVMirror) Name() string { return m.name }

// Stats is the mirror's live counters.
func (m *KVMirror) Stats() *Stats { return m.stats }

// Ready is closed after the first complete load.
func (m *KVMirror) Ready() <-chan struct{} { return m.ready }

// Run watches until ctx ends, re-watching after failures.
func (m *KVMirror) Run(ctx context.Context) {
	supervise(ctx, m.log, m.stats, m.restarter.wrap(m.runOnce))
}

// Restart watches the bucket anew. A recreated bucket counts revisions from
// 1 again, so what was applied of the old one says nothing about it.
func (m *KVMirror) Restart() {
	m.appliedMu.Lock()
	m.applied = 0
	m.appliedMu.Unlock()
	m.restarter.Restart()
}

const kvBatch = 1000

func (m *KVMirror) runOnce(ctx context.Context) error {
	kv, err := m.js.KeyValue(ctx, m.bucket)
	if err != nil {
		return fmt.Errorf("kv %s: %w", m.bucket, err)
	}
	created := ""
	if st, err := kv.Status(ctx); err == nil {
		if ks, ok := st.(*jetstream.KeyValueBucketStatus); ok {
			created = store.FormatTime(ks.StreamInfo().Created)
		}
	}
	m.created.Store(created)
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("watch %s: %w", m.bucket, err)
	}
	defer w.Stop()
	m.stats.setRunning(true)
	defer m.stats.setRunning(false)

	present := map[string]bool{} // keys of the initial snapshot; nil once loaded
	batch := make([]jetstream.KeyValueEntry, 0, kvBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		start := time.Now()
		if err := m.sink.apply(context.WithoutCancel(ctx), batch); err != nil {
			return err
		}
		m.markApplied(batch)
		m.stats.recordBatch(len(batch), 0, time.Since(start))
		batch = batch[:0]
		return nil
	}
	updates := w.Updates()
	for {
		var e jetstream.KeyValueEntry
		var ok bool
		select {
		case <-ctx.Done():
			return flush()
		case e, ok = <-updates:
		}
		if !ok {
			return errors.New("watch closed")
		}
		if e == nil { // end of the initial snapshot
			if err := flush(); err != nil {
				return err
			}
			if err := m.sink.resync(context.WithoutCancel(ctx), present); err != nil {
				return err
			}
			present = nil
			m.readyOnce.Do(func() { close(m.ready) })
			m.log.Info("mirror loaded")
			continue
		}
		if present != nil && e.Operation() == jetstream.KeyValuePut {
			present[e.Key()] = true
		}
		batch = append(batch, e)
		// Keep batching while more entries are already waiting.
		if len(batch) < kvBatch && len(updates) > 0 {
			continue
		}
		if err := flush(); err != nil {
			return err
		}
	}
}
