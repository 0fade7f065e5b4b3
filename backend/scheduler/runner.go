package scheduler

import (
	"context"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/robfig/cron/v3"
)

// runner fires cron entries at their times, read from the scheduler's
// clock, the way robfig/cron's Cron runs them: each job on its own
// goroutine; a time missed while the process slept fires once, late; an
// entry whose schedule has no next time never fires. It takes the place of
// cron.Cron, which always reads the wall clock (cron v3 has no clock
// option), so tests can drive every tick with a fake clock.
//
// One timer is armed for the earliest entry. add and remove re-arm it at
// once (Reset, under mu), so when they return the timer already waits for
// the right time: a test that registers a schedule and then advances a
// fake clock cannot slip in between.
type runner struct {
	clock clockwork.Clock

	mu      sync.Mutex
	entries map[int]*runEntry
	lastID  int
	timer   clockwork.Timer // nil until run starts
	jobs    sync.WaitGroup  // jobs in progress
}

type runEntry struct {
	sched cron.Schedule
	job   func()
	next  time.Time // zero: never
}

// idleWait is the timer's wait while nothing is scheduled (robfig's too).
const idleWait = 100000 * time.Hour

func newRunner(clock clockwork.Clock) *runner {
	return &runner{clock: clock, entries: map[int]*runEntry{}}
}

// now is the clock in UTC: the cron fields are read in UTC.
func (r *runner) now() time.Time { return r.clock.Now().UTC() }

// add schedules job and returns the entry's id (never 0).
func (r *runner) add(sched cron.Schedule, job func()) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := sched.Next(r.now())
	r.lastID++
	r.entries[r.lastID] = &runEntry{sched: sched, job: job, next: next}
	r.armLocked()
	return r.lastID
}

// remove drops an entry; a fire of it in progress runs to its end.
func (r *runner) remove(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.entries, id)
	r.armLocked()
}

// next is when entry id fires next (zero: never, or no such entry).
func (r *runner) next(id int) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e := r.entries[id]; e != nil {
		return e.next
	}
	return time.Time{}
}

// armLocked sets the timer to the earliest next time; r.mu must be held.
func (r *runner) armLocked() {
	if r.timer == nil {
		return
	}
	var first time.Time
	for _, e := range r.entries {
		if !e.next.IsZero() && (first.IsZero() || e.next.Before(first)) {
			first = e.next
		}
	}
	wait := idleWait
	if !first.IsZero() {
		wait = first.Sub(r.now())
	}
	r.timer.Reset(wait)
}

// run fires due entries until ctx ends, then waits for the jobs still
// running.
func (r *runner) run(ctx context.Context) {
	r.mu.Lock()
	r.timer = r.clock.NewTimer(idleWait)
	timer := r.timer
	r.armLocked()
	r.mu.Unlock()
	defer func() {
		timer.Stop()
		r.jobs.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.Chan():
		}
		r.mu.Lock()
		now := r.now()
		for _, e := range r.entries {
			if e.next.IsZero() || e.next.After(now) {
				continue // a wake-up before the time (a re-armed timer) fires nothing
			}
			r.jobs.Add(1)
			go func(job func()) {
				defer r.jobs.Done()
				job()
			}(e.job)
			e.next = e.sched.Next(now)
		}
		r.armLocked()
		r.mu.Unlock()
	}
}
