package projector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Heartbeats projects the core subject heartbeat.> into agents. Heartbeats
// are not stored in any stream (a gap only delays "last seen"), so this is a
// plain subscription. They are coalesced per PC in memory and flushed in one
// transaction every FlushEvery: 50,000 agents at 30 s make ~1,700 messages a
// second but only one small transaction per tick.
type Heartbeats struct {
	nc         *nats.Conn
	store      *store.Store
	log        *slog.Logger
	stats      *Stats
	flushEvery time.Duration
	// OnFlush, if set, sees the agents of each committed flush.
	OnFlush func([]store.Agent)

	subscribed     chan struct{}
	subscribedOnce sync.Once

	mu      sync.Mutex
	pending map[string]store.Agent
	bad     []store.DeadLetter
	badSeq  uint64
	// badDropped counts bad heartbeats over the per-source dead-letter
	// bound within one flush: not kept in memory, counted as dropped.
	badDropped int
	badLog     logLimiter
}

// NewHeartbeats builds the projector; Run starts it.
func NewHeartbeats(nc *nats.Conn, st *store.Store, log *slog.Logger) *Heartbeats {
	return &Heartbeats{
		nc: nc, store: st, log: log.With("projector", "heartbeats"), stats: newStats("heartbeats"),
		flushEvery: 250 * time.Millisecond, pending: map[string]store.Agent{},
		subscribed: make(chan struct{}),
		badLog:     logLimiter{Burst: 10, Interval: time.Minute},
	}
}

// Subscribed is closed once the server has the first heartbeat.>
// subscription; the console reports ready only after it, so a heartbeat sent
// right after /readyz says ready is not lost.
func (h *Heartbeats) Subscribed() <-chan struct{} { return h.subscribed }

// Stats is the projector's live counters.
func (h *Heartbeats) Stats() *Stats { return h.stats }

// Name is the projector's short name.
func (h *Heartbeats) Name() string { return "heartbeats" }

// Run subscribes and flushes until ctx ends; the last flush happens after
// the subscription is drained, so nothing received is dropped on shutdown.
func (h *Heartbeats) Run(ctx context.Context) {
	supervise(ctx, h.log, h.stats, h.runOnce)
}

func (h *Heartbeats) runOnce(ctx context.Context) error {
	sub, err := h.nc.Subscribe("heartbeat.>", h.receive)
	if err != nil {
		return fmt.Errorf("subscribe heartbeat.>: %w", err)
	}
	// A slow disk must not make the client drop heartbeats: let the
	// subscription buffer as much as it needs between flushes.
	_ = sub.SetPendingLimits(-1, -1)
	// A round trip makes sure the server has the SUB. If it fails (NATS is
	// down) the client re-sends the subscription on reconnect, so go on.
	fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	_ = h.nc.FlushWithContext(fctx)
	cancel()
	h.subscribedOnce.Do(func() { close(h.subscribed) })
	h.stats.setRunning(true)
	defer h.stats.setRunning(false)
	h.log.Info("projector started", "subject", "heartbeat.>")
	tick := time.NewTicker(h.flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = sub.Drain()
			for sub.IsValid() {
				time.Sleep(5 * time.Millisecond)
			}
			h.flush(context.WithoutCancel(ctx))
			return nil
		case <-tick.C:
			h.flush(ctx)
		}
	}
}

func (h *Heartbeats) receive(m *nats.Msg) {
	var hb wire.Heartbeat
	err := json.Unmarshal(m.Data, &hb)
	if err == nil && hb.PCID == "" {
		err = errors.New("empty pc_id")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		// Core messages have no stream sequence; number them so each one is
		// its own dead letter.
		if len(h.bad) >= store.DeadLettersPerSource {
			h.badDropped++
			return
		}
		h.badSeq++
		h.bad = append(h.bad, store.DeadLetter{Stream: "core:heartbeat", StreamSeq: uint64(time.Now().UnixNano()) + h.badSeq, Subject: m.Subject, Err: "decode Heartbeat: " + err.Error(), Payload: m.Data})
		return
	}
	a := store.Agent{PCID: hb.PCID, AgentVersion: hb.AgentVersion, LastHeartbeat: hb.At}
	if hb.Hostname != nil {
		a.Hostname = *hb.Hostname
	}
	if hb.OSFamily != nil {
		a.OSFamily = *hb.OSFamily
	}
	if prev, ok := h.pending[a.PCID]; ok {
		// Keep the newest beat, but not lose a hostname the older one carried.
		if a.Hostname == "" {
			a.Hostname = prev.Hostname
		}
		if a.OSFamily == "" {
			a.OSFamily = prev.OSFamily
		}
		if prev.LastHeartbeat.After(a.LastHeartbeat) {
			a.LastHeartbeat, a.AgentVersion = prev.LastHeartbeat, prev.AgentVersion
		}
	}
	h.pending[a.PCID] = a
}

func (h *Heartbeats) flush(ctx context.Context) {
	h.mu.Lock()
	batch, bad, dropped := h.pending, h.bad, h.badDropped
	h.badDropped = 0
	if len(batch) == 0 && len(bad) == 0 {
		h.mu.Unlock()
		h.noteBadDropped(dropped, dropped)
		return
	}
	h.pending, h.bad = make(map[string]store.Agent, len(batch)), nil
	h.mu.Unlock()

	start := time.Now()
	agents := make([]store.Agent, 0, len(batch))
	trimmed := 0
	err := h.store.Project(ctx, func(tx *store.Tx) error {
		for _, a := range batch {
			if err := tx.UpsertAgent(ctx, a); err != nil {
				return err
			}
			agents = append(agents, a)
		}
		for _, d := range bad {
			if err := tx.InsertDeadLetter(ctx, d); err != nil {
				return err
			}
		}
		if len(bad) > 0 {
			n, err := tx.BoundDeadLetters(ctx)
			trimmed = int(n)
			return err
		}
		return nil
	})
	if err != nil {
		// Put them back under anything newer that arrived meanwhile and try
		// again next tick.
		h.stats.recordError(err)
		h.log.Warn("heartbeat flush failed; will retry", "err", err, "agents", len(batch))
		h.mu.Lock()
		for pc, a := range batch {
			if _, newer := h.pending[pc]; !newer {
				h.pending[pc] = a
			}
		}
		h.bad = append(bad, h.bad...)
		h.mu.Unlock()
		h.noteBadDropped(dropped, dropped)
		return
	}
	now := time.Now()
	for _, d := range bad {
		ok, before := h.badLog.allow(now)
		if before > 0 {
			h.log.Warn("more undecodable heartbeats were kept in dead_letters without a log line each", "count", before)
		}
		if ok {
			h.log.Warn("undecodable heartbeat kept in dead_letters", "subject", d.Subject, "err", d.Err)
		}
	}
	h.noteBadDropped(dropped+trimmed, dropped)
	h.stats.recordBatch(len(batch)+len(bad), len(bad), time.Since(start))
	if h.OnFlush != nil {
		h.OnFlush(agents)
	}
}

// noteBadDropped counts the dead letters dropped by the bounds (refused
// over the per-source bound in memory, or trimmed in the flush) and writes
// the summary of suppressed log lines once their interval is over.
func (h *Heartbeats) noteBadDropped(dropped, refused int) {
	h.store.NoteDeadLettersDropped(dropped)
	h.badLog.suppress(refused)
	if n := h.badLog.flushSuppressed(time.Now()); n > 0 {
		h.log.Warn("undecodable heartbeats not logged one by one in the last interval (over the per-source bound: not kept; see dead_letters_dropped)", "count", n)
	}
}

// Pending is how many PCs wait for the next flush (the heartbeat "lag").
func (h *Heartbeats) Pending() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.pending)
}
