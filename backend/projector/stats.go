package projector

import (
	"sync"
	"sync/atomic"
	"time"
)

// Stats are a projector's live counters, shared by the status method and
// /metrics.
type Stats struct {
	name        string
	messages    atomic.Uint64
	batches     atomic.Uint64
	deadLetters atomic.Uint64
	errors      atomic.Uint64
	restarts    atomic.Uint64
	running     atomic.Bool

	mu          sync.Mutex
	lastError   string
	lastErrorAt time.Time
	lastBatch   int
	lastApply   time.Duration
	rate        rateMeter
}

func newStats(name string) *Stats { return &Stats{name: name} }

func (s *Stats) setRunning(v bool) { s.running.Store(v) }

func (s *Stats) recordBatch(n, dead int, took time.Duration) {
	s.messages.Add(uint64(n))
	s.batches.Add(1)
	s.deadLetters.Add(uint64(dead))
	s.mu.Lock()
	s.lastBatch, s.lastApply = n, took
	s.rate.add(time.Now(), n)
	s.mu.Unlock()
}

func (s *Stats) recordError(err error) {
	s.errors.Add(1)
	s.mu.Lock()
	s.lastError, s.lastErrorAt = err.Error(), time.Now()
	s.mu.Unlock()
}

// Snapshot is a point-in-time copy of Stats for the status API.
type Snapshot struct {
	Name          string     `json:"name"`
	Running       bool       `json:"running"`
	Messages      uint64     `json:"messages"`
	Batches       uint64     `json:"batches"`
	DeadLetters   uint64     `json:"dead_letters"`
	Errors        uint64     `json:"errors"`
	Restarts      uint64     `json:"restarts"`
	RatePerSec    float64    `json:"rate_per_sec"`
	LastBatchSize int        `json:"last_batch_size"`
	LastApplyMs   float64    `json:"last_apply_ms"`
	LastError     string     `json:"last_error,omitempty"`
	LastErrorAt   *time.Time `json:"last_error_at,omitempty"`
	Lag           *uint64    `json:"lag,omitempty"`
	LagError      string     `json:"lag_error,omitempty"`
}

// Snapshot reads the counters.
func (s *Stats) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := Snapshot{
		Name: s.name, Running: s.running.Load(),
		Messages: s.messages.Load(), Batches: s.batches.Load(), DeadLetters: s.deadLetters.Load(),
		Errors: s.errors.Load(), Restarts: s.restarts.Load(),
		RatePerSec: s.rate.perSecond(time.Now()), LastBatchSize: s.lastBatch,
		LastApplyMs: float64(s.lastApply.Microseconds()) / 1000, LastError: s.lastError,
	}
	if !s.lastErrorAt.IsZero() {
		at := s.lastErrorAt
		snap.LastErrorAt = &at
	}
	return snap
}

// rateMeter counts events per second over the last 10 seconds.
type rateMeter struct {
	buckets [10]uint64
	secs    [10]int64
}

func (r *rateMeter) add(now time.Time, n int) {
	sec := now.Unix()
	i := sec % 10
	if r.secs[i] != sec {
		r.secs[i], r.buckets[i] = sec, 0
	}
	r.buckets[i] += uint64(n)
}

func (r *rateMeter) perSecond(now time.Time) float64 {
	sec := now.Unix()
	var total uint64
	for i := range r.buckets {
		if sec-r.secs[i] < 10 {
			total += r.buckets[i]
		}
	}
	return float64(total) / 10
}
