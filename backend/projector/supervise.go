package projector

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// supervise runs fn until ctx ends, restarting it with backoff whenever it
// returns (kanade 0.29 let a failed projector stay dead silently).
func supervise(ctx context.Context, log *slog.Logger, stats *Stats, fn func(context.Context) error) {
	b := newBackoff(time.Second, 30*time.Second)
	var lastGap time.Time
	for {
		started := time.Now()
		err := fn(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			b.reset()
		}
		stats.restarts.Add(1)
		if errors.Is(err, errDeliveryGap) && time.Since(lastGap) > time.Minute {
			// Not a failure: the next run resumes after the last ack at
			// once, so projection does not pause after a node fails over.
			// Gaps in a row back off: something else pulls from this
			// console's consumer (a copy of its database elsewhere).
			lastGap = time.Now()
			log.Info("resuming after a missed delivery", "err", err)
			continue
		}
		delay := b.next()
		if err != nil {
			stats.recordError(err)
		}
		log.Warn("projector stopped; restarting", "err", err, "restart_in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
}

type backoff struct {
	min, max, cur time.Duration
}

func newBackoff(min, max time.Duration) *backoff { return &backoff{min: min, max: max} }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }

// restarter lets another goroutine end the current run of a supervised
// projector, so supervise starts a fresh one: after NATS came back without
// the console's streams, consumers and watches must be created anew.
type restarter struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// wrap runs fn under a context that Restart can cancel.
func (r *restarter) wrap(fn func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		r.mu.Lock()
		r.cancel = cancel
		r.mu.Unlock()
		defer cancel()
		return fn(ctx)
	}
}

// Restart ends the current run; supervise starts the next after its backoff.
func (r *restarter) Restart() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		r.cancel()
	}
}
