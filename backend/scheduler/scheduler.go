package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/robfig/cron/v3"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// BucketTicks records each fired tick ("<schedule>.<unix second>") so a
// tick fires once even if two consoles briefly both believe they lead.
const BucketTicks = "kanade_console_ticks"

// Executor is the part of the execution service the scheduler drives.
type Executor interface {
	Exec(ctx context.Context, jobID string, plan wire.FanoutPlan, c execution.Caller) (wire.ExecResponse, error)
	ResolveTargets(ctx context.Context, plan wire.FanoutPlan) ([]string, error)
	Audit(ctx context.Context, c execution.Caller, action, target string, payload map[string]any)
}

// Scheduler registers every enabled backend schedule as a cron entry and
// keeps the entries in step with the bucket.
type Scheduler struct {
	js    jetstream.JetStream
	store *store.Store
	exec  Executor
	lease *Lease
	log   *slog.Logger
	now   func() time.Time

	cron  *cron.Cron
	ticks jetstream.KeyValue

	mu      sync.Mutex
	entries map[string]*entry
	loaded  chan struct{}

	// OpenBucket opens or creates the tick-claims bucket; nil means
	// CreateOrUpdateKeyValue (the console passes one that keeps replicas).
	OpenBucket func(context.Context, jetstream.KeyValueConfig) (jetstream.KeyValue, error)
}

type entry struct {
	sched    wire.Schedule
	spec     cron.Schedule
	revision uint64
	id       cron.EntryID // 0 when not registered
	err      string       // why it is not registered (invalid cron, ...)
	firing   bool
	lastFire time.Time
	lastErr  string
	lastExec string
}

var scheduler = execution.Caller{Actor: "scheduler"}

// New builds a scheduler; Run starts it.
func New(js jetstream.JetStream, st *store.Store, exec Executor, lease *Lease, log *slog.Logger) *Scheduler {
	return &Scheduler{
		js: js, store: st, exec: exec, lease: lease, log: log.With("component", "scheduler"), now: time.Now,
		cron:    cron.New(cron.WithParser(parser), cron.WithLocation(time.UTC)),
		entries: map[string]*entry{}, loaded: make(chan struct{}),
	}
}

// Loaded is closed once the bucket's schedules are registered.
func (s *Scheduler) Loaded() <-chan struct{} { return s.loaded }

// Run watches the schedules bucket and runs cron until ctx ends; it waits
// for fires in progress before returning.
func (s *Scheduler) Run(ctx context.Context) {
	s.cron.Start()
	defer func() { <-s.cron.Stop().Done() }()
	for ctx.Err() == nil {
		if err := s.watch(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("schedules watch stopped; restarting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}
}

func (s *Scheduler) watch(ctx context.Context) error {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return err
	}
	if s.ticks == nil {
		open := s.OpenBucket
		if open == nil {
			open = s.js.CreateOrUpdateKeyValue
		}
		s.ticks, err = open(ctx, jetstream.KeyValueConfig{Bucket: BucketTicks, History: 1, TTL: 24 * time.Hour, Description: "kanade console: fired schedule ticks"})
		if err != nil {
			return err
		}
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

// register (re)registers one schedule without touching the others.
func (s *Scheduler) register(key string, value []byte, rev uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.entries[key]
	if old != nil && old.id != 0 {
		s.cron.Remove(old.id)
	}
	en := &entry{revision: rev}
	if old != nil {
		en.lastFire, en.lastErr, en.lastExec = old.lastFire, old.lastErr, old.lastExec
	}
	s.entries[key] = en
	var sch wire.Schedule
	if err := json.Unmarshal(value, &sch); err != nil {
		en.err = "unreadable schedule: " + err.Error()
		s.log.Warn("schedule not registered", "schedule", key, "err", err)
		return
	}
	en.sched = sch
	switch {
	case !sch.Enabled:
		en.err = "disabled"
		return
	case sch.RunsOn.OrDefault() == wire.RunsOnAgent:
		en.err = "runs on agents"
		return
	}
	spec, err := ParseCron(sch.Cron)
	if err != nil {
		en.err = err.Error()
		s.log.Warn("schedule not registered", "schedule", key, "err", err)
		return
	}
	en.spec = spec
	en.id = s.cron.Schedule(spec, cron.FuncJob(func() { s.tick(key) }))
	s.log.Info("schedule registered", "schedule", key, "cron", sch.Cron, "job_id", sch.JobID, "mode", sch.Mode.OrDefault())
}

func (s *Scheduler) unregister(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if en := s.entries[key]; en != nil {
		if en.id != 0 {
			s.cron.Remove(en.id)
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

// tick is one cron firing of a schedule.
func (s *Scheduler) tick(key string) {
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
	en.firing = true
	sch, due := en.sched, dueTime(en.spec, now)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		en.firing = false
		s.mu.Unlock()
	}()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Claim the tick: the first console to create the key fires it. The key
	// is the scheduled second, not the second the callback ran in: two
	// consoles whose callbacks straddle a second boundary claim one key.
	claim := badKeyChars.ReplaceAllString(key, "_") + "." + fmt.Sprint(due.Unix())
	if _, err := s.ticks.Create(ctx, claim, []byte(now.Format(time.RFC3339Nano))); err != nil {
		if !errors.Is(err, jetstream.ErrKeyExists) {
			s.log.Warn("tick claim failed; skipping", "schedule", key, "err", err)
		}
		return
	}
	execID, err := s.fire(ctx, sch, now)
	s.mu.Lock()
	en.lastFire, en.lastExec = now, execID
	en.lastErr = ""
	if err != nil {
		en.lastErr = err.Error()
	}
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
	for t := spec.Next(now.Add(-30 * time.Second)); !t.After(now); t = spec.Next(t) {
		due = t
	}
	return due
}

// fire applies the schedule's mode and runs the exec. It returns the exec id
// ("" when the mode decided not to fire).
func (s *Scheduler) fire(ctx context.Context, sch wire.Schedule, now time.Time) (string, error) {
	plan := sch.FanoutPlan
	if sch.StartingDeadline != nil {
		if err := sch.StartingDeadline.Err(); err != nil {
			return "", fmt.Errorf("starting_deadline: %w", err)
		}
		d := now.Add(sch.StartingDeadline.Std())
		plan.DeadlineAt = &d
	}
	mode := sch.Mode.OrDefault()
	if mode != wire.ModeEveryTick {
		expected, err := s.exec.ResolveTargets(ctx, plan)
		if err != nil {
			return "", err
		}
		successes, err := s.store.LastSuccesses(ctx, sch.JobID)
		if err != nil {
			return "", err
		}
		var cooldown *time.Duration
		if sch.Cooldown != nil {
			if err := sch.Cooldown.Err(); err != nil {
				return "", fmt.Errorf("cooldown: %w", err)
			}
			d := sch.Cooldown.Std()
			cooldown = &d
		}
		d := Decide(mode, expected, successes, cooldown, now)
		if !d.Fire {
			if d.Done && sch.AutoDisableWhenDone {
				s.complete(ctx, sch)
			}
			return "", nil
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
		return "", err
	}
	return resp.ExecID, nil
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
	ID         string     `json:"id"`
	Registered bool       `json:"registered"`
	Reason     string     `json:"reason,omitempty"`
	Next       *time.Time `json:"next,omitempty"`
	LastFire   *time.Time `json:"last_fire,omitempty"`
	LastExecID string     `json:"last_exec_id,omitempty"`
	LastError  string     `json:"last_error,omitempty"`
}

// Entries reports every known schedule, sorted by id.
func (s *Scheduler) Entries() []EntryStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]EntryStatus, 0, len(s.entries))
	for key, en := range s.entries {
		st := EntryStatus{ID: key, Registered: en.id != 0, Reason: en.err, LastExecID: en.lastExec, LastError: en.lastErr}
		if en.id != 0 {
			if next := s.cron.Entry(en.id).Next; !next.IsZero() {
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
