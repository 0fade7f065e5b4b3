// Package projector turns JetStream streams, core subjects and KV buckets
// into SQLite rows. Each source has its own file; stream.go is the shared
// batch loop of the JetStream projectors.
package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
)

// Message is what an applier sees of a JetStream message.
type Message struct {
	Subject string
	Data    []byte
	Seq     uint64 // stream sequence
	// StreamCreated is the stream's creation time (store.FormatTime): the
	// identity of this incarnation of the stream, whose sequences restart
	// at 1 when it is deleted and created again.
	StreamCreated string
}

// Applier projects one stream. Decode runs outside the transaction, in the
// fetching goroutine, so decoding batch N+1 overlaps with committing batch N.
type Applier interface {
	// Decode turns a message into what Apply needs; nil means "nothing to
	// project" (a subject this projector does not handle). An error makes
	// the message a dead letter: acked, and kept in dead_letters.
	Decode(m Message) (any, error)
	// Apply projects a batch in one transaction; an error rolls the whole
	// batch back and it is redelivered.
	Apply(ctx context.Context, tx *store.Tx, batch []Decoded) error
}

// Decoded is a message with its decoded value.
type Decoded struct {
	Message
	Value any
}

// batch is what the fetcher hands the writer.
type batch struct {
	msgs    []jetstream.Msg
	decoded []Decoded
	dead    []store.DeadLetter
	lastSeq uint64        // the highest stream sequence in msgs
	lastMsg jetstream.Msg // the message with that sequence: its ack acks the batch
}

// StreamOptions tune a stream projector; zero values take the defaults.
type StreamOptions struct {
	// MaxBatch caps messages per transaction (default 1000).
	MaxBatch int
	// Linger is how long a batch waits for more messages once it has one
	// (default 5 ms): long enough to fill batches under load, short enough
	// that a lone result shows up at once.
	Linger time.Duration
	// InactiveThreshold lets the server delete this console's consumer after
	// the console has been gone that long (default 72 h). A console back after
	// that replays the stream, which projection makes harmless.
	InactiveThreshold time.Duration
	// AckWait is the redelivery timeout of an unacked message (default 60 s).
	AckWait time.Duration
	// NoPosition skips recording the projection position with each batch:
	// the behaviour before positions, kept only so backend/bench/projection
	// can measure their cost. Never set it in the console.
	NoPosition bool
}

func (o *StreamOptions) defaults() {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 1000
	}
	if o.Linger <= 0 {
		o.Linger = 5 * time.Millisecond
	}
	if o.InactiveThreshold <= 0 {
		o.InactiveThreshold = 72 * time.Hour
	}
	if o.AckWait <= 0 {
		o.AckWait = time.Minute
	}
}

// StreamProjector consumes one stream through a durable pull consumer owned
// by this console instance and applies it in batches: one transaction per
// batch, then one ack of the batch's last message (AckAll). On a replicated
// stream every ack is a Raft proposal of the consumer, so a per-message ack
// multiplied the consensus work per result.
type StreamProjector struct {
	name     string // "results", "audit", "events"
	stream   string
	consumer string
	js       jetstream.JetStream
	store    *store.Store
	applier  Applier
	opts     StreamOptions
	log      *slog.Logger
	stats    *Stats
	// cons is the current run's consumer: set by the projector's
	// goroutine, read by Lag from the status and metrics handlers.
	cons    atomic.Pointer[jetstream.Consumer]
	created string // the stream's creation time, from openConsumer
	restarter
	// AfterCommit, if set, sees every committed batch (UI notifications).
	// It runs on the projector's goroutine: keep it short.
	AfterCommit func([]Decoded)
}

// ConsumerName is the durable name of a projector of this console: one
// consumer per database, so consoles never share (and split) a stream, and a
// fresh database starts from the first message.
func ConsumerName(projector, instanceID string) string {
	return "kanade_console_" + projector + "_" + instanceID
}

// NewStreamProjector builds a projector; Run starts it.
func NewStreamProjector(name, stream, instanceID string, js jetstream.JetStream, st *store.Store, a Applier, opts StreamOptions, log *slog.Logger) *StreamProjector {
	opts.defaults()
	return &StreamProjector{
		name: name, stream: stream, consumer: ConsumerName(name, instanceID),
		js: js, store: st, applier: a, opts: opts,
		log:   log.With("projector", name, "stream", stream),
		stats: newStats(name),
	}
}

// Stats is the projector's live counters.
func (p *StreamProjector) Stats() *Stats { return p.stats }

// Name is the projector's short name.
func (p *StreamProjector) Name() string { return p.name }

// Run projects until ctx ends, restarting after failures with backoff.
func (p *StreamProjector) Run(ctx context.Context) {
	supervise(ctx, p.log, p.stats, p.restarter.wrap(p.runOnce))
}

func (p *StreamProjector) runOnce(ctx context.Context) error {
	cons, err := p.openConsumer(ctx)
	if err != nil {
		return err
	}
	p.cons.Store(&cons)
	// Short pulls with 2 s idle heartbeats: when the consumer's leader moves
	// (a cluster node stops) the open pull request is lost, and the client
	// notices only by missing heartbeats. With the defaults (30 s pulls, 15 s
	// heartbeats) projection paused ~30 s after a node stopped.
	it, err := cons.Messages(jetstream.PullMaxMessages(2*p.opts.MaxBatch), jetstream.PullExpiry(10*time.Second), jetstream.PullHeartbeat(2*time.Second))
	if err != nil {
		return fmt.Errorf("pull %s: %w", p.stream, err)
	}
	defer it.Stop()
	p.stats.setRunning(true)
	defer p.stats.setRunning(false)
	p.log.Info("projector started", "consumer", p.consumer)

	// Two stages: the fetcher fills and decodes batches; this goroutine
	// writes them. On shutdown the fetcher stops first and the writer still
	// commits (and acks) the batch it was handed.
	fetchCtx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	batches := make(chan batch, 1)
	fetchErr := make(chan error, 1)
	go func() {
		defer close(batches)
		fetchErr <- p.fetch(fetchCtx, it, cons.CachedInfo().Delivered.Consumer+1, batches)
	}()
	for b := range batches {
		if err := p.applyBatch(ctx, b); err != nil {
			// Nothing of the batch is acked. The run ends here: an ack of
			// any later batch would ack this one too (AckAll). The next run
			// finds the batch unacked and resumes right after the last
			// committed one (openConsumer), after supervise's backoff.
			p.log.Warn("batch failed; resuming after the last committed batch", "err", err, "messages", len(b.msgs), "last_seq", b.lastSeq)
			stopFetch()
			for range batches { // buffered batches stay unacked too
			}
			<-fetchErr
			return fmt.Errorf("batch of %d messages: %w", len(b.msgs), err)
		}
	}
	return <-fetchErr
}

// fetch collects up to MaxBatch messages (whatever arrives within Linger
// after the first) and decodes them.
//
// One ack per batch acks every message below it too, so a message the
// server delivered that never reached this console must never sit below an
// ack. The server numbers its deliveries (the consumer sequence, one per
// delivery, redeliveries included); next is the number the next delivery
// must carry. A delivery lost on the way (a consumer leader that stopped
// after sending it, a dropped pull) shows as a jump: the batch ends before
// the jump, is committed and acked, and the run ends with errDeliveryGap,
// so the next run resumes right after that ack (openConsumer). A number
// lower than expected is a new consumer leader delivering again what its
// replicated state had not recorded yet: nothing is missing, numbering
// follows the server.
func (p *StreamProjector) fetch(ctx context.Context, it jetstream.MessagesContext, next uint64, out chan<- batch) error {
	var gap error
	for gap == nil {
		first, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("next message: %w", err)
		}
		b := batch{msgs: make([]jetstream.Msg, 0, p.opts.MaxBatch)}
		for m := first; ; {
			if gap = checkDelivery(m, &next); gap != nil {
				break
			}
			b.msgs = append(b.msgs, m)
			if len(b.msgs) == p.opts.MaxBatch {
				break
			}
			if m, err = it.Next(jetstream.NextMaxWait(p.opts.Linger)); err != nil {
				break
			}
		}
		if len(b.msgs) == 0 {
			break
		}
		b.decoded = make([]Decoded, 0, len(b.msgs))
		for _, m := range b.msgs {
			msg := Message{Subject: m.Subject(), Data: m.Data(), StreamCreated: p.created}
			if md, err := m.Metadata(); err == nil {
				msg.Seq = md.Sequence.Stream
				if msg.Seq > b.lastSeq {
					b.lastSeq, b.lastMsg = msg.Seq, m
				}
			}
			v, err := p.applier.Decode(msg)
			switch {
			case err != nil:
				b.dead = append(b.dead, store.DeadLetter{Stream: p.stream, StreamCreated: msg.StreamCreated, StreamSeq: msg.Seq, Subject: msg.Subject, Err: err.Error(), Payload: msg.Data})
			case v != nil:
				b.decoded = append(b.decoded, Decoded{Message: msg, Value: v})
			}
		}
		select {
		case out <- b:
		case <-ctx.Done():
			// Not applied: leave unacked; the next start resumes after the
			// ack floor.
			return nil
		}
	}
	return gap
}

// errDeliveryGap ends a run whose consumer skipped a delivery.
var errDeliveryGap = errors.New("a delivery did not arrive")

// checkDelivery compares a message's delivery number with the expected one
// and advances it (see fetch).
func checkDelivery(m jetstream.Msg, next *uint64) error {
	md, err := m.Metadata()
	if err != nil {
		// Not a JetStream delivery: it cannot be acked as part of a batch.
		return fmt.Errorf("%w: message without JetStream metadata: %v", errDeliveryGap, err)
	}
	got := md.Sequence.Consumer
	if *next != 0 && got > *next {
		return fmt.Errorf("%w: deliveries %d to %d (stream sequence below %d); resuming after the last acknowledged batch", errDeliveryGap, *next, got-1, md.Sequence.Stream)
	}
	*next = got + 1
	return nil
}

// openConsumer creates this console's consumer, or resumes it. It starts
// earlier than the server would when the server's record cannot be trusted:
//
//   - a consumer left with unacked messages belongs to a process that died
//     (or stopped with messages buffered): rather than wait AckWait for the
//     redelivery, it restarts right after its ack floor;
//   - a database behind the consumer's ack floor lost committed batches (a
//     power loss dropped the WAL's tail after they were acked): it restarts
//     right after the database's own position.
//
// Messages re-projected this way are harmless: every projection is
// idempotent.
func (p *StreamProjector) openConsumer(ctx context.Context) (jetstream.Consumer, error) {
	stream, err := p.js.Stream(ctx, p.stream)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", p.stream, err)
	}
	p.created = store.FormatTime(stream.CachedInfo().Created)
	pos, havePos, err := p.store.Position(ctx, p.stream)
	if err != nil {
		return nil, err
	}
	if havePos && pos.StreamCreated != p.created {
		// The stream was deleted and created again (NATS came back with an
		// empty store): the recorded position counts another stream.
		p.log.Warn("stream was recreated since this database projected it; projecting it from the start",
			"recorded_created", pos.StreamCreated, "created", p.created, "recorded_seq", pos.LastSeq)
		havePos = false
	}
	cfg := jetstream.ConsumerConfig{
		Durable:           p.consumer,
		Description:       "kanade console projection into SQLite",
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckAllPolicy,
		AckWait:           p.opts.AckWait,
		MaxAckPending:     4 * p.opts.MaxBatch,
		InactiveThreshold: p.opts.InactiveThreshold,
	}
	existing, err := p.js.Consumer(ctx, p.stream, p.consumer)
	switch {
	case errors.Is(err, jetstream.ErrConsumerNotFound):
		// A new consumer delivers the whole stream. Its position (0) is
		// made durable before anything is acked, so a later start never
		// mistakes "no position" for a database from before positions.
		if !p.opts.NoPosition {
			if err := p.store.AdoptPosition(ctx, store.Position{Stream: p.stream, StreamCreated: p.created}, false); err != nil {
				return nil, err
			}
		}
	case err != nil:
		return nil, fmt.Errorf("consumer %s on %s: %w", p.consumer, p.stream, err)
	default:
		info := existing.CachedInfo()
		floor := info.AckFloor.Stream
		resumeAfter, reset := floor, info.NumAckPending > 0
		switch {
		case p.opts.NoPosition:
		case !havePos:
			// A database from before positions: the server's floor is all
			// there is; from now on the database keeps its own. Its rows
			// came from this incarnation of the stream.
			if err := p.store.AdoptPosition(ctx, store.Position{Stream: p.stream, StreamCreated: p.created, LastSeq: floor}, true); err != nil {
				return nil, err
			}
		case pos.LastSeq < floor:
			resumeAfter, reset = pos.LastSeq, true
			p.log.Warn("database is behind what was acknowledged (lost its last commits, e.g. in a power loss); re-projecting from its own position",
				"position", pos.LastSeq, "ack_floor", floor)
		}
		if info.Config.AckPolicy != cfg.AckPolicy {
			// A consumer from before one ack per batch (AckExplicit). The
			// server cannot change a consumer's ack policy: it is created
			// again, right after what this database holds.
			reset = true
			if havePos && !p.opts.NoPosition {
				resumeAfter = pos.LastSeq
			}
			p.log.Info("recreating the consumer with one ack per batch", "old_ack_policy", info.Config.AckPolicy.String(), "resume_after", resumeAfter)
		}
		if reset {
			if err := p.js.DeleteConsumer(ctx, p.stream, p.consumer); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
				return nil, fmt.Errorf("reset consumer %s: %w", p.consumer, err)
			}
			if resumeAfter > 0 {
				cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
				cfg.OptStartSeq = resumeAfter + 1
			}
			p.log.Info("resuming the consumer", "after_seq", resumeAfter, "ack_floor", floor, "unacked", info.NumAckPending)
		} else {
			cfg.DeliverPolicy = info.Config.DeliverPolicy
			cfg.OptStartSeq = info.Config.OptStartSeq
		}
	}
	cons, err := p.js.CreateOrUpdateConsumer(ctx, p.stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("consumer %s on %s: %w", p.consumer, p.stream, err)
	}
	return cons, nil
}

// applyBatch commits a batch, records its last sequence as the stream's
// position, and acks it.
func (p *StreamProjector) applyBatch(ctx context.Context, b batch) error {
	start := time.Now()
	// The batch must commit even when the console is stopping, or a
	// half-applied shutdown would nak work already done.
	txCtx := context.WithoutCancel(ctx)
	err := p.store.Project(txCtx, func(tx *store.Tx) error {
		if err := p.applier.Apply(txCtx, tx, b.decoded); err != nil {
			return err
		}
		for _, d := range b.dead {
			if err := tx.InsertDeadLetter(txCtx, d); err != nil {
				return fmt.Errorf("dead letter: %w", err)
			}
		}
		if p.opts.NoPosition {
			return nil
		}
		return tx.SetPosition(txCtx, p.stream, p.created, b.lastSeq)
	})
	if err != nil {
		return err
	}
	// Every earlier batch has committed (a failed one ends the run), so
	// acking the highest sequence acks exactly what the database holds.
	if b.lastMsg != nil {
		_ = b.lastMsg.Ack()
	} else {
		for _, m := range b.msgs { // no metadata: cannot happen for JetStream messages
			_ = m.Ack()
		}
	}
	for _, d := range b.dead {
		p.log.Warn("undecodable message kept in dead_letters", "subject", d.Subject, "seq", d.StreamSeq, "err", d.Err)
	}
	p.stats.recordBatch(len(b.msgs), len(b.dead), time.Since(start))
	if p.AfterCommit != nil {
		p.AfterCommit(b.decoded)
	}
	return nil
}

// Lag is how many messages this console has not projected yet: the
// consumer's pending count plus those delivered but not acked.
func (p *StreamProjector) Lag(ctx context.Context) (uint64, error) {
	cons := p.cons.Load()
	if cons == nil {
		return 0, errors.New("not started")
	}
	info, err := (*cons).Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}
