package projector

import (
	"testing"
	"time"
)

func TestLogLimiter(t *testing.T) {
	l := &logLimiter{Burst: 3, Interval: time.Minute}
	t0 := time.Unix(1000, 0)
	logged := 0
	for i := range 20_000 {
		if ok, _ := l.allow(t0.Add(time.Duration(i) * time.Millisecond)); ok {
			logged++
		}
	}
	if logged != 3 {
		t.Fatalf("logged %d of 20,000 in one interval, want 3", logged)
	}
	if n := l.flushSuppressed(t0.Add(30 * time.Second)); n != 0 {
		t.Fatalf("summary before the interval ended: %d", n)
	}
	ok, before := l.allow(t0.Add(2 * time.Minute))
	if !ok || before != 19_997 {
		t.Fatalf("next interval: ok %v, suppressed before %d; want true, 19997", ok, before)
	}
	l.allow(t0.Add(2*time.Minute + 1))
	l.allow(t0.Add(2*time.Minute + 2))
	l.allow(t0.Add(2*time.Minute + 3))
	if n := l.flushSuppressed(t0.Add(4 * time.Minute)); n != 1 {
		t.Fatalf("summary after the interval: %d, want 1", n)
	}
}
