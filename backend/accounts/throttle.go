package accounts

import (
	"math"
	"strings"
	"sync"
	"time"
)

// kanade's login throttle (spec §1.7), held in memory.
const (
	LockAfterFailures = 5
	LockFor           = 15 * time.Minute
	IPFailureLimit    = 30
	IPWindow          = time.Minute
	throttlePruneAt   = 4096
)

// Throttle counts failed logins per username and per client IP.
type Throttle struct {
	mu    sync.Mutex
	names map[string]*nameState
	ips   map[string]*ipState
	now   func() time.Time
}

type nameState struct {
	streak      int
	lockedUntil time.Time
}

type ipState struct {
	count       int
	windowStart time.Time
}

// NewThrottle returns an empty throttle reading the time from now.
func NewThrottle(now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{names: map[string]*nameState{}, ips: map[string]*ipState{}, now: now}
}

// Check returns the seconds to wait (remaining + 1, as kanade) when the
// name is locked or the IP has used its failures of this window, else 0.
func (t *Throttle) Check(username, ip string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	wait := time.Duration(0)
	if n := t.names[username]; n != nil && now.Before(n.lockedUntil) {
		wait = n.lockedUntil.Sub(now)
	}
	if s := t.ips[ip]; s != nil && now.Sub(s.windowStart) < IPWindow && s.count >= IPFailureLimit {
		wait = max(wait, s.windowStart.Add(IPWindow).Sub(now))
	}
	if wait <= 0 {
		return 0
	}
	return int(math.Ceil(wait.Seconds())) + 1
}

// Fail records a failed attempt.
func (t *Throttle) Fail(username, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.prune(now)
	n := t.names[username]
	if n == nil || (!n.lockedUntil.IsZero() && !now.Before(n.lockedUntil)) {
		n = &nameState{} // a lock that ran out starts a new streak
		t.names[username] = n
	}
	n.streak++
	if n.streak >= LockAfterFailures {
		n.lockedUntil = now.Add(LockFor)
	}
	s := t.ips[ip]
	if s == nil || now.Sub(s.windowStart) >= IPWindow {
		s = &ipState{windowStart: now}
		t.ips[ip] = s
	}
	s.count++
}

// Succeed clears the name's streak after a login with every factor.
func (t *Throttle) Succeed(username string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.names, username)
}

// prune drops settled entries once a map grows past throttlePruneAt keys,
// so a flood of random names cannot grow memory without bound.
func (t *Throttle) prune(now time.Time) {
	if len(t.names) > throttlePruneAt {
		for k, n := range t.names {
			if n.lockedUntil.IsZero() || !now.Before(n.lockedUntil) {
				delete(t.names, k)
			}
		}
	}
	if len(t.ips) > throttlePruneAt {
		for k, s := range t.ips {
			if now.Sub(s.windowStart) >= IPWindow {
				delete(t.ips, k)
			}
		}
	}
}

// ClientIP is kanade's throttle key: the rightmost entry of
// X-Forwarded-For, trimmed, else the literal "unknown". Unlike kanade, a
// request without the header is keyed by its peer address when one is
// given (a direct connection has one), so unrelated clients do not share
// one bucket.
func ClientIP(xForwardedFor, remoteAddr string) string {
	if xForwardedFor != "" {
		parts := strings.Split(xForwardedFor, ",")
		if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
			return ip
		}
	}
	if remoteAddr != "" {
		if i := strings.LastIndexByte(remoteAddr, ':'); i > 0 {
			return strings.Trim(remoteAddr[:i], "[]")
		}
		return remoteAddr
	}
	return "unknown"
}
