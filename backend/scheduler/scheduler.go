package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/robfig/cron/v3"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// BucketTicks records each fired tick ("<schedule>.<unix second>") so a
// tick fires once even if two consoles briefly both believe they lead.
const BucketTicks = "kanade_console_ticks"

// Executor is the part of the execution service the scheduler drives.
type Executor interface {
	Exec(ctx context.Context, jobID string, plan wire.FanoutPlan, c svcerr.Caller) (wire.ExecResponse, error)
	ResolveTargets(ctx context.Context, plan wire.FanoutPlan) ([]string, error)
	Audit(ctx context.Context, c svcerr.Caller, action, target string, payload map[string]any)
}

// Scheduler registers every enabled backend schedule as a cron entry and
// keeps the entries in step with the bucket.
type Scheduler struct {
	js    jetstream.JetStream
	store *store.Store
	exec  Executor
	lease *Lease
	log   *slog.Logger
	clock clockwork.Clock

	runner *runner

	// ticksMu guards ticks, the cached tick-claims bucket, dropped by
	// Restart; restart tells the running watch to start over.
	ticksMu sync.Mutex
	ticks   jetstream.KeyValue
	restart chan struct{}

	mu      sync.Mutex
	entries map[string]*entry
	loaded  chan struct{}

	// OpenBucket opens or creates the tick-claims bucket; nil means
	// CreateOrUpdateKeyValue (the console passes one that keeps replicas).
	OpenBucket func(context.Context, jetstream.KeyValueConfig) (jetstream.KeyValue, error)
}

type entry struct {
	sched       wire.Schedule
	spec        *Cron
	revision    uint64
	id          int    // the runner's entry; 0 when not registered
	err         string // why it is not registered (invalid cron, ...)
	unsupported bool   // a form this console cannot run
	firing      bool
	lastFire    time.Time
	lastErr     string
	lastExec    string
	// The latest tick the fire mode skipped, and why ("empty target").
	lastSkip   string
	lastSkipAt time.Time
	skips      uint64
}

var scheduler = svcerr.Caller{Actor: "scheduler"}

// New builds a scheduler; Run starts it. Its ticks follow clock (nil: the
// real clock; tests pass a fake one and advance it).
func New(js jetstream.JetStream, st *store.Store, exec Executor, lease *Lease, clock clockwork.Clock, log *slog.Logger) *Scheduler {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	return &Scheduler{
		js: js, store: st, exec: exec, lease: lease, log: log.With("component", "scheduler"), clock: clock,
		runner:  newRunner(clock),
		entries: map[string]*entry{}, loaded: make(chan struct{}), restart: make(chan struct{}, 1),
	}
}

func (s *Scheduler) now() time.Time { return s.clock.Now() }

// Loaded is closed once the bucket's schedules are registered.
func (s *Scheduler) Loaded() <-chan struct{} { return s.loaded }

// Run watches the schedules bucket and runs cron until ctx ends; it waits
// for fires in progress before returning.
func (s *Scheduler) Run(ctx context.Context) {
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		s.runner.run(ctx)
	}()
	defer func() { <-ran }()
	for ctx.Err() == nil {
		err := s.watchRecovering(ctx)
		if errors.Is(err, errRestarted) {
			s.log.Info("schedules watch restarted on the re-created bucket")
			continue
		}
		if err != nil && ctx.Err() == nil {
			s.log.Warn("schedules watch stopped; restarting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second): // a retry pause, not a tick: wall time
			}
		}
	}
}

// watchRecovering runs watch and turns a panic (in a library, on a value
// nobody foresaw) into an error, so Run restarts the watch instead of the
// process dying with every schedule.
func (s *Scheduler) watchRecovering(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("schedules watch panicked; restarting it", "panic", r)
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return s.watch(ctx)
}

// errRestarted ends a watch that Restart asked to start over.
var errRestarted = errors.New("restarted")

// Restart makes the scheduler follow buckets that were created anew (NATS
// came back empty): the running schedules watch, which still follows the
// vanished bucket, starts over on the new one, whose initial values drop
// the schedules that went with the old one; the tick-claims bucket is
// created again on the next tick.
func (s *Scheduler) Restart() {
	s.ticksMu.Lock()
	s.ticks = nil
	s.ticksMu.Unlock()
	select {
	case s.restart <- struct{}{}:
	default: // a restart is already pending
	}
}

// ticksBucket is the tick-claims bucket, created on first use.
func (s *Scheduler) ticksBucket(ctx context.Context) (jetstream.KeyValue, error) {
	s.ticksMu.Lock()
	defer s.ticksMu.Unlock()
	if s.ticks != nil {
		return s.ticks, nil
	}
	open := s.OpenBucket
	if open == nil {
		open = s.js.CreateOrUpdateKeyValue
	}
	kv, err := open(ctx, jetstream.KeyValueConfig{Bucket: BucketTicks, History: 1, TTL: 24 * time.Hour, Description: "kanade console: fired schedule ticks"})
	if err != nil {
		return nil, err
	}
	s.ticks = kv
	return kv, nil
}

func (s *Scheduler) watch(ctx context.Context) error {
	// A restart asked for before this watch began is served by it.
	select {
	case <-s.restart:
	default:
	}
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return err
	}
	if _, err := s.ticksBucket(ctx); err != nil {
		return err
	}
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return err
	}
	defer w.Stop()
	seen := map[string]bool{}
	initial := true
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.restart:
			return errRestarted
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("watch closed")
			}
			if e == nil {
				if initial {
					s.dropUnseen(seen)
					initial = false
					select {
					case <-s.loaded:
					default:
						close(s.loaded)
					}
				}
				continue
			}
			if e.Operation() != jetstream.KeyValuePut {
				s.unregister(e.Key())
				continue
			}
			seen[e.Key()] = true
			s.register(e.Key(), e.Value(), e.Revision())
		}
	}
}

// register (re)registers one schedule without touching the others. A value
// the console cannot run is kept as an unsupported entry (listed in the
// status with its reason), never registered with the cron runner.
func (s *Scheduler) register(key string, value []byte, rev uint64) {
	st := ReadStored(key, value)
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.entries[key]
	if old != nil && old.id != 0 {
		s.runner.remove(old.id)
	}
	en := &entry{revision: rev}
	if old != nil {
		en.lastFire, en.lastErr, en.lastExec = old.lastFire, old.lastErr, old.lastExec
	}
	s.entries[key] = en
	en.sched = st.Schedule
	switch {
	case !st.Supported:
		en.err, en.unsupported = st.Reason, true
		s.log.Warn("schedule not supported; listed, never fired", "schedule", key, "reason", st.Reason)
		return
	case !st.Schedule.Enabled:
		en.err = "disabled"
		return
	case st.Cron == nil:
		en.err = "runs on agents"
		return
	}
	en.spec = st.Cron
	func() {
		defer func() {
			if r := recover(); r != nil {
				en.id, en.err, en.unsupported = 0, fmt.Sprintf("cannot be scheduled (%v)", r), true
				s.log.Error("schedule registration panicked", "schedule", key, "panic", r)
			}
		}()
		en.id = s.runner.add(st.Cron, func() { s.tick(key) })
	}()
	if en.id == 0 {
		return
	}
	if st.Cron.NeverFires(s.now()) {
		s.log.Warn("schedule registered but its cron never fires", "schedule", key, "cron", st.Schedule.Cron)
	}
	s.log.Info("schedule registered", "schedule", key, "cron", st.Schedule.Cron, "job_id", st.Schedule.JobID, "mode", st.Schedule.Mode.OrDefault())
}

func (s *Scheduler) unregister(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if en := s.entries[key]; en != nil {
		if en.id != 0 {
			s.runner.remove(en.id)
		}
		delete(s.entries, key)
		s.log.Info("schedule removed", "schedule", key)
	}
}

func (s *Scheduler) dropUnseen(seen map[string]bool) {
	s.mu.Lock()
	var gone []string
	for key := range s.entries {
		if !seen[key] {
			gone = append(gone, key)
		}
	}
	s.mu.Unlock()
	for _, key := range gone {
		s.unregister(key)
	}
}

var badKeyChars = regexp.MustCompile(`[^-/_=.a-zA-Z0-9]`)

// tick is one cron firing of a schedule. It recovers: it runs on its own
// goroutine, where a panic would end the process.
func (s *Scheduler) tick(key string) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("schedule tick panicked", "schedule", key, "panic", r)
		}
	}()
	now := s.now().UTC()
	if s.lease != nil && !s.lease.IsLeader() {
		return
	}
	s.mu.Lock()
	en := s.entries[key]
	if en == nil || en.id == 0 {
		s.mu.Unlock()
		return
	}
	if en.firing {
		s.mu.Unlock()
		s.log.Warn("tick skipped: the previous fire is still publishing", "schedule", key)
		return
	}
	sch, due := en.sched, dueTime(en.spec, now)
	if !en.spec.InYear(due.Year()) {
		// The runner asks the year-aware Next, so this only guards a clock
		// that jumped: a tick outside the year field never fires.
		s.mu.Unlock()
		s.log.Warn("tick skipped: outside the cron's year field", "schedule", key, "due", due)
		return
	}
	en.firing = true
	s.mu.Unlock()
	// The fire ends where its outcome is recorded, in one critical section,
	// so whoever sees the outcome in Entries may expect the next tick to
	// fire (tests step a fake clock on it); early returns end it here.
	recorded := false
	defer func() {
		if !recorded {
			s.mu.Lock()
			en.firing = false
			s.mu.Unlock()
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Claim the tick: the first console to create the key fires it. The key
	// is the scheduled second, not the second the callback ran in: two
	// consoles whose callbacks straddle a second boundary claim one key.
	claim := badKeyChars.ReplaceAllString(key, "_") + "." + fmt.Sprint(due.Unix())
	ticks, err := s.ticksBucket(ctx)
	if err != nil {
		s.log.Warn("tick claims bucket unavailable; skipping", "schedule", key, "err", err)
		return
	}
	if _, err := ticks.Create(ctx, claim, []byte(now.Format(time.RFC3339Nano))); err != nil {
		if !errors.Is(err, jetstream.ErrKeyExists) {
			s.log.Warn("tick claim failed; skipping", "schedule", key, "err", err)
		}
		return
	}
	execID, skipped, err := s.fire(ctx, sch, now)
	s.mu.Lock()
	if skipped != "" {
		if skipped != en.lastSkip {
			s.log.Info("tick skipped", "schedule", key, "reason", skipped, "mode", sch.Mode.OrDefault())
		} else {
			s.log.Debug("tick skipped", "schedule", key, "reason", skipped)
		}
		en.lastSkip, en.lastSkipAt = skipped, now
		en.skips++
	} else {
		en.lastSkip = ""
	}
	en.lastFire, en.lastExec = now, execID
	en.lastErr = ""
	if err != nil {
		en.lastErr = err.Error()
	}
	en.firing, recorded = false, true
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("schedule fire failed", "schedule", key, "job_id", sch.JobID, "err", err)
	}
}

// dueTime is the scheduled time of a firing that runs at now: the last time
// of spec not after now, looking back 30 s (a callback later than that is
// keyed by its own second).
func dueTime(spec cron.Schedule, now time.Time) time.Time {
	due := now.Truncate(time.Second)
	for t := spec.Next(now.Add(-30 * time.Second)); !t.IsZero() && !t.After(now); t = spec.Next(t) {
		due = t
	}
	return due
}

// fire applies the schedule's mode and runs the exec. It returns the exec
// id, or why the mode decided not to fire.
func (s *Scheduler) fire(ctx context.Context, sch wire.Schedule, now time.Time) (execID, skipped string, err error) {
	plan := sch.FanoutPlan
	if sch.StartingDeadline != nil {
		if err := sch.StartingDeadline.Err(); err != nil {
			return "", "", fmt.Errorf("starting_deadline: %w", err)
		}
		d := now.Add(sch.StartingDeadline.Std())
		plan.DeadlineAt = &d
	}
	mode := sch.Mode.OrDefault()
	if mode != wire.ModeEveryTick {
		expected, err := s.exec.ResolveTargets(ctx, plan)
		if err != nil {
			return "", "", err
		}
		successes, err := s.store.LastSuccesses(ctx, sch.JobID)
		if err != nil {
			return "", "", err
		}
		var cooldown *time.Duration
		if sch.Cooldown != nil {
			if err := sch.Cooldown.Err(); err != nil {
				return "", "", fmt.Errorf("cooldown: %w", err)
			}
			d := sch.Cooldown.Std()
			cooldown = &d
		}
		d := Decide(mode, expected, successes, cooldown, now)
		if !d.Fire {
			if d.Done && sch.AutoDisableWhenDone {
				s.complete(ctx, sch)
			}
			return "", d.Skip, nil
		}
		if d.PCs != nil {
			// once_per_pc fires only at the PCs still owed a run; the
			// rollout does not apply to that narrowed target.
			plan.Target = wire.Target{Groups: []string{}, PCs: d.PCs}
			plan.Rollout = nil
		}
	}
	resp, err := s.exec.Exec(ctx, sch.JobID, plan, scheduler)
	if err != nil {
		return "", "", err
	}
	return resp.ExecID, "", nil
}

// complete switches a finished schedule off (revision-checked) and audits it.
func (s *Scheduler) complete(ctx context.Context, sch wire.Schedule) {
	changed, err := s.setEnabled(ctx, sch.ID, false)
	if err != nil {
		s.log.Warn("auto-disable failed", "schedule", sch.ID, "err", err)
		return
	}
	if changed {
		s.exec.Audit(ctx, scheduler, "schedule_completed", sch.ID, map[string]any{"mode": debugModeName(sch.Mode.OrDefault()), "job_id": sch.JobID})
		s.log.Info("schedule completed and disabled", "schedule", sch.ID)
	}
}

// debugModeName is the Rust Debug spelling kanade puts in schedule_completed.
func debugModeName(m wire.ScheduleMode) string {
	switch m {
	case wire.ModeOncePerPC:
		return "OncePerPc"
	case wire.ModeOncePerTarget:
		return "OncePerTarget"
	}
	return "EveryTick"
}

// EntryStatus is one schedule's state in Status.
type EntryStatus struct {
	ID         string `json:"id"`
	Registered bool   `json:"registered"`
	// Supported is false for a schedule this console cannot run (Reason
	// says why); it is listed and never fired.
	Supported  bool       `json:"supported"`
	Reason     string     `json:"reason,omitempty"`
	Next       *time.Time `json:"next,omitempty"`
	LastFire   *time.Time `json:"last_fire,omitempty"`
	LastExecID string     `json:"last_exec_id,omitempty"`
	LastError  string     `json:"last_error,omitempty"`
	// LastSkipped is why the latest tick did not fire (e.g. "empty
	// target"); SkippedTicks counts the ticks the fire mode skipped.
	LastSkipped   string     `json:"last_skipped,omitempty"`
	LastSkippedAt *time.Time `json:"last_skipped_at,omitempty"`
	SkippedTicks  uint64     `json:"skipped_ticks,omitempty"`
}

// Entries reports every known schedule, sorted by id.
func (s *Scheduler) Entries() []EntryStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]EntryStatus, 0, len(s.entries))
	for key, en := range s.entries {
		st := EntryStatus{ID: key, Registered: en.id != 0, Supported: !en.unsupported, Reason: en.err, LastExecID: en.lastExec, LastError: en.lastErr,
			LastSkipped: en.lastSkip, SkippedTicks: en.skips}
		if !en.lastSkipAt.IsZero() {
			t := en.lastSkipAt
			st.LastSkippedAt = &t
		}
		if en.id != 0 {
			if next := s.runner.next(en.id); !next.IsZero() {
				st.Next = &next
			}
		}
		if !en.lastFire.IsZero() {
			t := en.lastFire
			st.LastFire = &t
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
