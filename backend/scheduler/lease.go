package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go/jetstream"
)

// BucketLeader holds the scheduler lease. Its max age is the lease TTL: a
// leader that stops renewing loses the key when it expires.
const BucketLeader = "kanade_console_leader"

const leaseKey = "scheduler"

// LeaseInfo is what the lease key holds and what Status shows.
type LeaseInfo struct {
	Holder string    `json:"holder"`
	Since  time.Time `json:"since"`
}

// Lease elects one console to fire schedules and delayed waves.
type Lease struct {
	js    jetstream.JetStream
	id    string
	ttl   time.Duration
	clock clockwork.Clock
	log   *slog.Logger
	mu    sync.Mutex
	kv    jetstream.KeyValue
	rev   uint64
	since time.Time
	lead  bool
	seen  LeaseInfo

	// OpenBucket opens or creates the lease bucket; nil means
	// CreateOrUpdateKeyValue (the console passes one that keeps replicas).
	OpenBucket func(context.Context, jetstream.KeyValueConfig) (jetstream.KeyValue, error)
}

// NewLease makes a lease contender named id (the console's instance id).
// Its renewals follow clock (nil: the real clock). The lease's expiry is
// the bucket's max age, kept by NATS in wall time.
func NewLease(js jetstream.JetStream, id string, ttl time.Duration, clock clockwork.Clock, log *slog.Logger) *Lease {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	return &Lease{js: js, id: id, ttl: ttl, clock: clock, log: log.With("component", "lease")}
}

// IsLeader reports whether this console holds the lease now.
func (l *Lease) IsLeader() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lead
}

// Current is the last known holder.
func (l *Lease) Current() LeaseInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen
}

// TTL is the lease time to live.
func (l *Lease) TTL() time.Duration { return l.ttl }

// Run contends for and renews the lease every TTL/3 until ctx ends, then
// releases it so another console takes over at once.
func (l *Lease) Run(ctx context.Context) {
	tick := l.clock.NewTicker(l.ttl / 3)
	defer tick.Stop()
	for {
		l.step(ctx)
		select {
		case <-ctx.Done():
			l.release()
			return
		case <-tick.Chan():
		}
	}
}

func (l *Lease) bucket(ctx context.Context) (jetstream.KeyValue, error) {
	if l.kv != nil {
		return l.kv, nil
	}
	open := l.OpenBucket
	if open == nil {
		open = l.js.CreateOrUpdateKeyValue
	}
	kv, err := open(ctx, jetstream.KeyValueConfig{
		Bucket: BucketLeader, History: 1, TTL: l.ttl, Description: "kanade console: scheduler lease",
	})
	if err != nil {
		return nil, err
	}
	l.kv = kv
	return kv, nil
}

func (l *Lease) step(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	kv, err := l.bucket(ctx)
	if err != nil {
		l.lose("lease bucket unavailable", err)
		return
	}
	if l.lead {
		val, _ := json.Marshal(LeaseInfo{Holder: l.id, Since: l.since})
		rev, err := kv.Update(ctx, leaseKey, val, l.rev)
		if err != nil {
			l.lose("lease renewal failed", err)
			return
		}
		l.rev = rev
		return
	}
	now := l.clock.Now().UTC()
	val, _ := json.Marshal(LeaseInfo{Holder: l.id, Since: now})
	rev, err := kv.Create(ctx, leaseKey, val)
	if err == nil {
		l.lead, l.rev, l.since = true, rev, now
		l.seen = LeaseInfo{Holder: l.id, Since: now}
		l.log.Info("became scheduler leader", "instance_id", l.id)
		return
	}
	if !errors.Is(err, jetstream.ErrKeyExists) {
		l.log.Debug("lease create failed", "err", err)
	}
	if e, err := kv.Get(ctx, leaseKey); err == nil {
		var info LeaseInfo
		if json.Unmarshal(e.Value(), &info) == nil {
			l.seen = info
		}
	}
}

func (l *Lease) lose(why string, err error) {
	if l.lead {
		l.log.Warn(why+"; no longer leader", "err", err)
	}
	l.lead = false
}

func (l *Lease) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.lead || l.kv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := l.kv.Delete(ctx, leaseKey, jetstream.LastRevision(l.rev)); err != nil {
		l.log.Warn("lease release failed; it expires by itself", "err", err)
	}
	l.lead = false
	l.log.Info("released scheduler lease")
}

// Forget drops the cached bucket handle, so the next step creates the bucket
// again: NATS came back without it (a wiped store). The lease went with the
// old bucket, so this console stops leading until it wins the new one.
func (l *Lease) Forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kv = nil
	if l.lead {
		l.log.Warn("lease bucket was re-created; contending again")
	}
	l.lead = false
}
