package wire

import (
	"fmt"
	"time"
)

// Target says who an exec addresses (§5.9). It is valid when All is set or a
// list is non-empty. Both lists are always encoded as arrays, never null.
type Target struct {
	Groups []string
	PCs    []string
	All    bool
	// Extra: keys this console does not know (a newer kanade's), kept.
	Extra Extra
}

// Specified reports whether the target addresses anyone.
func (t Target) Specified() bool { return t.All || len(t.Groups) > 0 || len(t.PCs) > 0 }

type targetJSON struct {
	Groups stringList `json:"groups"`
	PCs    stringList `json:"pcs"`
	All    bool       `json:"all"`
}

// MarshalJSON implements json.Marshaler.
func (t Target) MarshalJSON() ([]byte, error) {
	b, err := Marshal(targetJSON{t.Groups, t.PCs, t.All})
	if err != nil {
		return nil, err
	}
	return withExtra(b, t.Extra)
}

// UnmarshalJSON implements json.Unmarshaler; every field defaults (to [],
// [] and false).
func (t *Target) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Target", b)
	if err != nil {
		return err
	}
	var groups, pcs stringList
	v := Target{}
	if err := firstErr(
		o.defaulted("groups", &groups),
		o.defaulted("pcs", &pcs),
		o.defaulted("all", &v.All),
	); err != nil {
		return err
	}
	v.Groups, v.PCs = nonNil(groups), nonNil(pcs)
	v.Extra = o.unknown()
	*t = v
	return nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// RolloutStrategy is the rollout kind; "wave" is the only one at v0.29 and
// the default (the zero value encodes as "wave").
type RolloutStrategy string

const RolloutWave RolloutStrategy = "wave"

// MarshalJSON encodes "" as "wave".
func (s RolloutStrategy) MarshalJSON() ([]byte, error) {
	return marshalEnum("rollout strategy", string(s), string(RolloutWave), string(RolloutWave))
}

// UnmarshalJSON accepts only "wave".
func (s *RolloutStrategy) UnmarshalJSON(b []byte) error {
	v, err := unmarshalEnum(b, "rollout strategy", string(RolloutWave))
	if err == nil {
		*s = RolloutStrategy(v)
	}
	return err
}

// Rollout publishes an exec wave by wave: each wave's group subject is
// published Delay after the exec started.
type Rollout struct {
	Strategy RolloutStrategy
	Waves    []Wave // nil encodes as []
	// Extra: keys this console does not know (a newer kanade's), kept.
	Extra Extra
}

// Wave is one step of a Rollout. Delay is humantime measured from the exec's
// publish time (wave 0 usually "0s").
type Wave struct {
	Group string
	Delay Duration
	// Extra: keys this console does not know (a newer kanade's), kept.
	Extra Extra
}

type rolloutJSON struct {
	Strategy RolloutStrategy `json:"strategy"`
	Waves    []Wave          `json:"waves"`
}

type waveJSON struct {
	Group string   `json:"group"`
	Delay Duration `json:"delay"`
}

// MarshalJSON implements json.Marshaler.
func (r Rollout) MarshalJSON() ([]byte, error) {
	waves := r.Waves
	if waves == nil {
		waves = []Wave{}
	}
	b, err := Marshal(rolloutJSON{r.Strategy, waves})
	if err != nil {
		return nil, err
	}
	return withExtra(b, r.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: strategy defaults to "wave" (the
// only accepted value); waves is required.
func (r *Rollout) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Rollout", b)
	if err != nil {
		return err
	}
	v := Rollout{Strategy: RolloutWave}
	var waves wavesJSON
	if err := firstErr(
		o.defaulted("strategy", &v.Strategy),
		o.required("waves", &waves),
	); err != nil {
		return err
	}
	v.Waves = waves
	v.Extra = o.unknown()
	*r = v
	return nil
}

type wavesJSON []Wave

func (w *wavesJSON) UnmarshalJSON(b []byte) error {
	l, err := decodeList[Wave]("waves", b)
	*w = l
	return err
}

// MarshalJSON implements json.Marshaler.
func (w Wave) MarshalJSON() ([]byte, error) {
	b, err := Marshal(waveJSON{w.Group, w.Delay})
	if err != nil {
		return nil, err
	}
	return withExtra(b, w.Extra)
}

// UnmarshalJSON implements json.Unmarshaler; group and delay are required.
func (w *Wave) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Wave", b)
	if err != nil {
		return err
	}
	var v Wave
	if err := firstErr(o.required("group", &v.Group), o.required("delay", &v.Delay)); err != nil {
		return err
	}
	v.Extra = o.unknown()
	*w = v
	return nil
}

// FanoutPlan is who/how/when-to-stagger of one exec: the body of
// POST /api/exec/{job_id} and the flattened middle of a Schedule.
type FanoutPlan struct {
	Target  Target
	Rollout *Rollout  // omitted when nil
	Jitter  *Duration // omitted when nil; agents sleep random 0..jitter
	// DeadlineAt is stamped by the scheduler (fire time + starting_deadline)
	// and copied onto every Command. Omitted when nil.
	DeadlineAt *time.Time
}

type fanoutPlanJSON struct {
	Target     Target    `json:"target"`
	Rollout    *Rollout  `json:"rollout,omitempty"`
	Jitter     *Duration `json:"jitter,omitempty"`
	DeadlineAt *Time     `json:"deadline_at,omitempty"`
}

func (p FanoutPlan) shadow() fanoutPlanJSON {
	return fanoutPlanJSON{p.Target, p.Rollout, p.Jitter, timePtr(p.DeadlineAt)}
}

// MarshalJSON implements json.Marshaler.
func (p FanoutPlan) MarshalJSON() ([]byte, error) { return Marshal(p.shadow()) }

// UnmarshalJSON implements json.Unmarshaler; unknown keys are ignored.
func (p *FanoutPlan) UnmarshalJSON(b []byte) error {
	o, err := parseObject("FanoutPlan", b)
	if err != nil {
		return err
	}
	v, err := decodeFanoutPlan(o)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// decodeFanoutPlan reads the plan fields from o, which may be a Schedule
// object (serde flatten shares one key space).
func decodeFanoutPlan(o *object) (FanoutPlan, error) {
	v := FanoutPlan{Target: Target{Groups: []string{}, PCs: []string{}}}
	var err error
	if err = o.defaulted("target", &v.Target); err != nil {
		return v, err
	}
	if v.Rollout, err = optionalPtr[Rollout](o, "rollout"); err != nil {
		return v, err
	}
	if v.Jitter, err = optionalPtr[Duration](o, "jitter"); err != nil {
		return v, err
	}
	v.DeadlineAt, err = decodeOptionalTimeField(o, "deadline_at")
	return v, err
}

// HasWaves reports whether the plan carries a non-empty rollout.
func (p FanoutPlan) HasWaves() bool { return p.Rollout != nil && len(p.Rollout.Waves) > 0 }

// Validate applies the exec pipeline's checks (§6.1 step 2): the plan needs
// a non-empty rollout.waves or a specified target, every wave needs a group,
// and jitter and wave delays must be valid humantime.
func (p FanoutPlan) Validate() error { return p.validate("FanoutPlan") }

func (p FanoutPlan) validate(typ string) error {
	if !p.HasWaves() && !p.Target.Specified() {
		return invalid(typ, "target", "nothing to run on: set target.all, target.groups or target.pcs, or give rollout.waves")
	}
	if p.Rollout != nil {
		if s := p.Rollout.Strategy; s != "" && s != RolloutWave {
			return invalid(typ, "rollout.strategy", fmt.Sprintf("unknown strategy %q (only \"wave\")", s))
		}
		for i, w := range p.Rollout.Waves {
			if w.Group == "" {
				return invalid(typ, fmt.Sprintf("rollout.waves[%d].group", i), "must not be empty")
			}
			if err := checkDuration(typ, fmt.Sprintf("rollout.waves[%d].delay", i), w.Delay); err != nil {
				return err
			}
		}
	}
	if p.Jitter != nil {
		if err := checkDuration(typ, "jitter", *p.Jitter); err != nil {
			return err
		}
	}
	return nil
}

// JitterSecs is the Command.jitter_secs for this plan: nil without jitter,
// else the whole seconds of the humantime value.
func (p FanoutPlan) JitterSecs() (*uint64, error) {
	if p.Jitter == nil {
		return nil, nil
	}
	if err := p.Jitter.Err(); err != nil {
		return nil, err
	}
	s := p.Jitter.Seconds()
	return &s, nil
}
