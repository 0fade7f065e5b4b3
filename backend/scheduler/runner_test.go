package scheduler

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

// fires counts each entry's runs and the clock times they ran at.
type fires struct {
	mu sync.Mutex
	at map[string][]time.Time
}

func (f *fires) job(clock clockwork.Clock, name string) func() {
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.at[name] = append(f.at[name], clock.Now().UTC())
	}
}

func (f *fires) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.at[name])
}

// startRunner runs r until the returned stop, which also waits for the jobs
// in progress (so counts read after it are final).
func startRunner(t *testing.T, r *runner, clock *clockwork.FakeClock) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(ctx)
	}()
	waitArmed(t, clock)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitArmed waits until the runner's timer waits on the fake clock again
// (after a fire it is re-armed by the runner goroutine).
func waitArmed(t *testing.T, clock *clockwork.FakeClock) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal("the runner never armed its timer")
	}
}

func mustCron(t *testing.T, expr string) *Cron {
	t.Helper()
	c, err := ParseCron(expr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Each step of the fake clock fires what is due then, once.
func TestRunnerFiresOnTheFakeClock(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 1, 0, 0, 0, 500e6, time.UTC))
	r := newRunner(clock)
	f := &fires{at: map[string][]time.Time{}}
	r.add(mustCron(t, "*/1 * * * * *"), f.job(clock, "second"))
	r.add(mustCron(t, "*/5 * * * * *"), f.job(clock, "five"))
	never := r.add(mustCron(t, "0 0 3 1 1 * 2020"), f.job(clock, "never"))
	if !r.next(never).IsZero() {
		t.Fatalf("an entry that never fires has next %v", r.next(never))
	}
	stop := startRunner(t, r, clock)
	for i := 1; i <= 10; i++ {
		clock.Advance(time.Second)
		testutil.WaitFor(t, 10*time.Second, func() error {
			if n := f.count("second"); n != i {
				return fmt.Errorf("every-second entry fired %d times after %d s", n, i)
			}
			return nil
		})
		waitArmed(t, clock)
	}
	stop()
	want := map[string]int{"second": 10, "five": 2, "never": 0}
	for name, n := range want {
		if got := f.count(name); got != n {
			t.Errorf("%s fired %d times in 10 s, want %d", name, got, n)
		}
	}
	// A job reads the clock where the step left it (half a second past
	// the tick here), so the fires are exactly the steps' ends.
	if got := f.at["second"][0]; !got.Equal(time.Date(2026, 3, 1, 0, 0, 1, 500e6, time.UTC)) {
		t.Errorf("first fire at %v", got)
	}
	if got := f.at["five"]; !got[0].Equal(time.Date(2026, 3, 1, 0, 0, 5, 500e6, time.UTC)) || !got[1].Equal(time.Date(2026, 3, 1, 0, 0, 10, 500e6, time.UTC)) {
		t.Errorf("five-second fires at %v", got)
	}
}

// Like robfig's Cron: ticks missed while the process slept fire once, late.
func TestRunnerFiresAMissedTickOnce(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	r := newRunner(clock)
	f := &fires{at: map[string][]time.Time{}}
	id := r.add(mustCron(t, "*/1 * * * * *"), f.job(clock, "second"))
	stop := startRunner(t, r, clock)
	clock.Advance(30 * time.Second)
	waitArmed(t, clock)
	stop()
	if n := f.count("second"); n != 1 {
		t.Fatalf("30 missed ticks fired %d times, want once", n)
	}
	if next, want := r.next(id), time.Date(2026, 3, 1, 0, 0, 31, 0, time.UTC); !next.Equal(want) {
		t.Fatalf("next after the late fire = %v, want %v", next, want)
	}
}

// add and remove re-arm the timer before they return: an entry added to an
// idle runner fires at the next step, a removed one never again.
func TestRunnerAddAndRemoveTakeEffectAtOnce(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	r := newRunner(clock)
	f := &fires{at: map[string][]time.Time{}}
	stop := startRunner(t, r, clock) // idle: nothing scheduled
	id := r.add(mustCron(t, "*/2 * * * * *"), f.job(clock, "two"))
	if next := r.next(id); !next.Equal(time.Date(2026, 3, 1, 0, 0, 2, 0, time.UTC)) {
		t.Fatalf("next = %v", next)
	}
	clock.Advance(2 * time.Second)
	testutil.WaitFor(t, 10*time.Second, testutil.Cond("the added entry's fire", func() bool { return f.count("two") == 1 }))
	waitArmed(t, clock)
	r.remove(id)
	if !r.next(id).IsZero() {
		t.Fatal("a removed entry still has a next time")
	}
	clock.Advance(10 * time.Second)
	waitArmed(t, clock)
	stop()
	if n := f.count("two"); n != 1 {
		t.Fatalf("the removed entry fired %d times, want 1 (before the removal)", n)
	}
}

// run returns only after the jobs it started have ended (like cron.Stop's
// context), so Scheduler.Run does not return with a fire half done.
func TestRunnerStopWaitsForJobs(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	r := newRunner(clock)
	started, release := make(chan struct{}), make(chan struct{})
	var ended bool
	r.add(mustCron(t, "*/1 * * * * *"), func() {
		close(started)
		<-release
		ended = true
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(ctx)
	}()
	waitArmed(t, clock)
	clock.Advance(time.Second)
	<-started
	cancel()
	select {
	case <-done:
		t.Fatal("run returned with a job still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-done
	if !ended {
		t.Fatal("run returned before the job ended")
	}
}
