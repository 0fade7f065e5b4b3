package projector

import (
	"context"
	"log/slog"
	"time"
)

// supervise runs fn until ctx ends, restarting it with backoff whenever it
// returns (kanade 0.29 let a failed projector stay dead silently).
func supervise(ctx context.Context, log *slog.Logger, stats *Stats, fn func(context.Context) error) {
	b := newBackoff(time.Second, 30*time.Second)
	for {
		started := time.Now()
		err := fn(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > time.Minute {
			b.reset()
		}
		delay := b.next()
		if err != nil {
			stats.recordError(err)
		}
		stats.restarts.Add(1)
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
