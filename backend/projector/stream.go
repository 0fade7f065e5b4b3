// Package projector turns JetStream streams, core subjects and KV buckets
// into SQLite rows. Each source has its own file; stream.go is the shared
// batch loop of the JetStream projectors.
package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
)

// Message is what an applier sees of a JetStream message.
type Message struct {
	Subject string
	Data    []byte
	Seq     uint64 // stream sequence
}

// Applier projects a batch inside one transaction. It returns the messages
// it could not decode (they are acked and kept as dead letters); any error
// rolls the whole batch back and it is redelivered.
type Applier interface {
	Apply(ctx context.Context, tx *store.Tx, msgs []Message) (undecodable []store.DeadLetter, err error)
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
// batch, acks only after the commit.
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
	cons     jetstream.Consumer
	// afterCommit, if set, sees every committed batch (UI notifications).
	afterCommit func([]Message)
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
	supervise(ctx, p.log, p.stats, p.runOnce)
}

func (p *StreamProjector) runOnce(ctx context.Context) error {
	cons, err := p.openConsumer(ctx)
	if err != nil {
		return err
	}
	p.cons = cons
	it, err := cons.Messages(jetstream.PullMaxMessages(2 * p.opts.MaxBatch))
	if err != nil {
		return fmt.Errorf("pull %s: %w", p.stream, err)
	}
	defer it.Stop()
	p.stats.setRunning(true)
	defer p.stats.setRunning(false)
	p.log.Info("projector started", "consumer", p.consumer)

	backoff := newBackoff(100*time.Millisecond, 10*time.Second)
	batch := make([]jetstream.Msg, 0, p.opts.MaxBatch)
	for {
		first, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("next message: %w", err)
		}
		batch = append(batch[:0], first)
		for len(batch) < p.opts.MaxBatch {
			m, err := it.Next(jetstream.NextMaxWait(p.opts.Linger))
			if err != nil {
				break
			}
			batch = append(batch, m)
		}
		if err := p.applyBatch(ctx, batch); err != nil {
			// Nothing of the batch is acked; the server redelivers it after
			// the delay. Pause too, so the messages already buffered behind
			// it don't all fail the same way.
			delay := backoff.next()
			p.stats.recordError(err)
			p.log.Warn("batch failed; redelivering", "err", err, "messages", len(batch), "retry_in", delay)
			for _, m := range batch {
				_ = m.NakWithDelay(delay)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(delay):
			}
			continue
		}
		backoff.reset()
	}
}

// openConsumer creates this console's consumer, or resumes it. A consumer
// left with unacked messages belongs to a process that died (or stopped with
// messages still buffered): rather than wait AckWait for the server to
// redeliver them, it is recreated to start right after its ack floor.
// Messages past the floor that were acked get projected again, which the
// idempotent projection makes harmless.
func (p *StreamProjector) openConsumer(ctx context.Context) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{
		Durable:           p.consumer,
		Description:       "kanade console projection into SQLite",
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckExplicitPolicy,
		AckWait:           p.opts.AckWait,
		MaxAckPending:     4 * p.opts.MaxBatch,
		InactiveThreshold: p.opts.InactiveThreshold,
	}
	existing, err := p.js.Consumer(ctx, p.stream, p.consumer)
	switch {
	case errors.Is(err, jetstream.ErrConsumerNotFound):
	case err != nil:
		return nil, fmt.Errorf("consumer %s on %s: %w", p.consumer, p.stream, err)
	default:
		info := existing.CachedInfo()
		if info.NumAckPending > 0 {
			floor := info.AckFloor.Stream
			if err := p.js.DeleteConsumer(ctx, p.stream, p.consumer); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
				return nil, fmt.Errorf("reset consumer %s: %w", p.consumer, err)
			}
			cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
			cfg.OptStartSeq = floor + 1
			p.log.Info("resuming after the ack floor", "ack_floor", floor, "unacked", info.NumAckPending)
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

func (p *StreamProjector) applyBatch(ctx context.Context, batch []jetstream.Msg) error {
	msgs := make([]Message, len(batch))
	for i, m := range batch {
		msgs[i] = Message{Subject: m.Subject(), Data: m.Data()}
		if md, err := m.Metadata(); err == nil {
			msgs[i].Seq = md.Sequence.Stream
		}
	}
	start := time.Now()
	var dead int
	// The batch must commit even when the console is stopping, or a
	// half-applied shutdown would nak work already done.
	txCtx := context.WithoutCancel(ctx)
	err := p.store.Project(txCtx, func(tx *store.Tx) error {
		undecodable, err := p.applier.Apply(txCtx, tx, msgs)
		if err != nil {
			return err
		}
		for _, d := range undecodable {
			d.Stream = p.stream
			if err := tx.InsertDeadLetter(txCtx, d); err != nil {
				return fmt.Errorf("dead letter: %w", err)
			}
			p.log.Warn("undecodable message kept in dead_letters", "subject", d.Subject, "seq", d.StreamSeq, "err", d.Err)
		}
		dead = len(undecodable)
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range batch {
		_ = m.Ack()
	}
	p.stats.recordBatch(len(batch), dead, time.Since(start))
	if p.afterCommit != nil {
		p.afterCommit(msgs)
	}
	return nil
}

// Lag is how many messages this console has not projected yet: the
// consumer's pending count plus those delivered but not acked.
func (p *StreamProjector) Lag(ctx context.Context) (uint64, error) {
	if p.cons == nil {
		return 0, errors.New("not started")
	}
	info, err := p.cons.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}
