package wire

import (
	"fmt"
	"strings"
)

// ScheduleMode decides whom a schedule tick fires at (v0.19).
type ScheduleMode string

const (
	// ModeEveryTick fires the whole plan on every tick (the default).
	ModeEveryTick ScheduleMode = "every_tick"
	// ModeOncePerPC fires only at PCs without a (recent enough) success.
	ModeOncePerPC ScheduleMode = "once_per_pc"
	// ModeOncePerTarget fires the whole target until any PC succeeded.
	ModeOncePerTarget ScheduleMode = "once_per_target"
)

var scheduleModes = []string{string(ModeEveryTick), string(ModeOncePerPC), string(ModeOncePerTarget)}

// OrDefault maps "" to ModeEveryTick.
func (m ScheduleMode) OrDefault() ScheduleMode {
	if m == "" {
		return ModeEveryTick
	}
	return m
}

// MarshalJSON encodes "" as "every_tick".
func (m ScheduleMode) MarshalJSON() ([]byte, error) {
	return marshalEnum("mode", string(m), string(ModeEveryTick), scheduleModes...)
}

// UnmarshalJSON accepts only the three modes.
func (m *ScheduleMode) UnmarshalJSON(b []byte) error {
	v, err := unmarshalEnum(b, "mode", scheduleModes...)
	if err == nil {
		*m = ScheduleMode(v)
	}
	return err
}

// RunsOn says who evaluates a schedule's cron (v0.23): the backend scheduler
// or each agent's local scheduler.
type RunsOn string

const (
	RunsOnBackend RunsOn = "backend"
	RunsOnAgent   RunsOn = "agent"
)

var runsOnValues = []string{string(RunsOnBackend), string(RunsOnAgent)}

// OrDefault maps "" to RunsOnBackend.
func (r RunsOn) OrDefault() RunsOn {
	if r == "" {
		return RunsOnBackend
	}
	return r
}

// MarshalJSON encodes "" as "backend".
func (r RunsOn) MarshalJSON() ([]byte, error) {
	return marshalEnum("runs_on", string(r), string(RunsOnBackend), runsOnValues...)
}

// UnmarshalJSON accepts only backend and agent.
func (r *RunsOn) UnmarshalJSON(b []byte) error {
	v, err := unmarshalEnum(b, "runs_on", runsOnValues...)
	if err == nil {
		*r = RunsOn(v)
	}
	return err
}

// Schedule is the value of schedules[id] (§5.10). The FanoutPlan fields are
// serde-flattened into the same JSON object. Unknown top-level keys (a newer
// kanade's) are kept in Extra and encoded back, so a re-save keeps them.
type Schedule struct {
	ID    string
	Cron  string // 6 fields: sec min hour dom month dow, evaluated in UTC
	JobID string // key into jobs
	FanoutPlan
	Mode ScheduleMode // "" encodes as every_tick
	// Cooldown re-arms the once_* modes after a success; nil (omitted) means
	// "succeed once, then skip forever".
	Cooldown            *Duration
	AutoDisableWhenDone bool
	// StartingDeadline makes the scheduler stamp deadline_at = fire time +
	// this on the plan. Omitted when nil.
	StartingDeadline *Duration
	RunsOn           RunsOn // "" encodes as backend
	// Enabled defaults to true when the key is absent on decode. (A Go
	// zero-value Schedule is disabled; set it explicitly.)
	Enabled bool
	// Extra: top-level keys this console does not know, e.g. a newer
	// kanade's `when:` (see Supported in package scheduler).
	Extra Extra
}

type scheduleJSON struct {
	ID                  string       `json:"id"`
	Cron                string       `json:"cron"`
	JobID               string       `json:"job_id"`
	Target              Target       `json:"target"`
	Rollout             *Rollout     `json:"rollout,omitempty"`
	Jitter              *Duration    `json:"jitter,omitempty"`
	DeadlineAt          *Time        `json:"deadline_at,omitempty"`
	Mode                ScheduleMode `json:"mode"`
	Cooldown            *Duration    `json:"cooldown,omitempty"`
	AutoDisableWhenDone bool         `json:"auto_disable_when_done"`
	StartingDeadline    *Duration    `json:"starting_deadline,omitempty"`
	RunsOn              RunsOn       `json:"runs_on"`
	Enabled             bool         `json:"enabled"`
}

// MarshalJSON implements json.Marshaler; the output is the stored value.
func (s Schedule) MarshalJSON() ([]byte, error) {
	p := s.FanoutPlan.shadow()
	b, err := Marshal(scheduleJSON{
		ID: s.ID, Cron: s.Cron, JobID: s.JobID,
		Target: p.Target, Rollout: p.Rollout, Jitter: p.Jitter, DeadlineAt: p.DeadlineAt,
		Mode: s.Mode, Cooldown: s.Cooldown, AutoDisableWhenDone: s.AutoDisableWhenDone,
		StartingDeadline: s.StartingDeadline, RunsOn: s.RunsOn, Enabled: s.Enabled,
	})
	if err != nil {
		return nil, err
	}
	return withExtra(b, s.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: id, cron and job_id are
// required; everything else has a default (enabled: true).
func (s *Schedule) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Schedule", b)
	if err != nil {
		return err
	}
	v := Schedule{Mode: ModeEveryTick, RunsOn: RunsOnBackend, Enabled: true}
	if err = firstErr(
		o.required("id", &v.ID),
		o.required("cron", &v.Cron),
		o.required("job_id", &v.JobID),
	); err != nil {
		return err
	}
	if v.FanoutPlan, err = decodeFanoutPlan(o); err != nil {
		return err
	}
	if err = o.defaulted("mode", &v.Mode); err != nil {
		return err
	}
	if v.Cooldown, err = optionalPtr[Duration](o, "cooldown"); err != nil {
		return err
	}
	if err = o.defaulted("auto_disable_when_done", &v.AutoDisableWhenDone); err != nil {
		return err
	}
	if v.StartingDeadline, err = optionalPtr[Duration](o, "starting_deadline"); err != nil {
		return err
	}
	if err = firstErr(
		o.defaulted("runs_on", &v.RunsOn),
		o.defaulted("enabled", &v.Enabled),
	); err != nil {
		return err
	}
	v.Extra = o.unknown()
	*s = v
	return nil
}

// Validate checks a schedule before it is stored: non-empty id, cron and
// job_id, known mode and runs_on, a runnable plan (FanoutPlan.Validate), and
// valid humantime in jitter, wave delays, cooldown and starting_deadline. The
// cron expression itself is checked by the scheduler, not here.
func (s Schedule) Validate() error {
	for _, f := range []struct{ name, v string }{{"id", s.ID}, {"cron", s.Cron}, {"job_id", s.JobID}} {
		if strings.TrimSpace(f.v) == "" {
			return invalid("Schedule", f.name, "must not be empty")
		}
	}
	switch s.Mode.OrDefault() {
	case ModeEveryTick, ModeOncePerPC, ModeOncePerTarget:
	default:
		return invalid("Schedule", "mode", fmt.Sprintf("unknown mode %q (want every_tick, once_per_pc or once_per_target)", s.Mode))
	}
	switch s.RunsOn.OrDefault() {
	case RunsOnBackend, RunsOnAgent:
	default:
		return invalid("Schedule", "runs_on", fmt.Sprintf("unknown value %q (want backend or agent)", s.RunsOn))
	}
	if err := s.FanoutPlan.validate("Schedule"); err != nil {
		return err
	}
	if s.Cooldown != nil {
		if err := checkDuration("Schedule", "cooldown", *s.Cooldown); err != nil {
			return err
		}
	}
	if s.StartingDeadline != nil {
		if err := checkDuration("Schedule", "starting_deadline", *s.StartingDeadline); err != nil {
			return err
		}
	}
	return nil
}
