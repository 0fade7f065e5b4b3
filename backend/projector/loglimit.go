package projector

import (
	"sync"
	"time"
)

// logLimiter lets the first Burst events of each Interval through and
// counts the rest, so a flood of bad input costs a few log lines, not one
// per message (20,000 bad heartbeats wrote 20,000 WARN lines).
type logLimiter struct {
	Burst    int
	Interval time.Duration

	mu         sync.Mutex
	start      time.Time
	allowed    int
	suppressed int
}

// allow reports whether to log this event. When a new interval begins
// after suppressed events, it also returns how many were suppressed in the
// last one, for a summary line.
func (l *logLimiter) allow(now time.Time) (ok bool, suppressedBefore int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.Interval {
		suppressedBefore = l.suppressed
		l.start, l.allowed, l.suppressed = now, 0, 0
	}
	if l.allowed < l.Burst {
		l.allowed++
		return true, suppressedBefore
	}
	l.suppressed++
	return false, suppressedBefore
}

// flushSuppressed returns and resets the count suppressed in an interval
// that has ended (for a summary when no new event comes).
func (l *logLimiter) flushSuppressed(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) < l.Interval || l.suppressed == 0 {
		return 0
	}
	n := l.suppressed
	l.start, l.allowed, l.suppressed = now, 0, 0
	return n
}

// suppress counts n events that were not offered to allow (e.g. dropped
// before they could be logged) into the next summary.
func (l *logLimiter) suppress(n int) {
	if n <= 0 {
		return
	}
	l.mu.Lock()
	l.suppressed += n
	l.mu.Unlock()
}
