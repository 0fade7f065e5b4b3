package scheduler

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// scheduleKeys are the keys of a 0.29 Schedule (its Extra is the rest).
var scheduleKeys = []string{"id", "cron", "job_id", "target", "rollout", "jitter", "deadline_at", "mode", "cooldown", "auto_disable_when_done", "starting_deadline", "runs_on", "enabled"}

// Stored is one value of the schedules bucket as this console reads it.
// Reading never fails and never panics: a value the console cannot run is
// Supported == false with a Reason, listed and left alone, never fired.
type Stored struct {
	Key      string
	Raw      []byte
	Schedule wire.Schedule // meaningful when Decoded
	Decoded  bool
	// Supported: the console can run it (or it runs on agents).
	Supported bool
	Reason    string
	// Cron is the parsed expression of a supported backend schedule.
	Cron *Cron
}

// ReadStored reads one bucket value.
func ReadStored(key string, value []byte) (st Stored) {
	st = Stored{Key: key, Raw: value}
	defer func() {
		if r := recover(); r != nil {
			st.Supported, st.Cron, st.Reason = false, nil, fmt.Sprintf("unreadable schedule (%v)", r)
		}
	}()
	var sch wire.Schedule
	if err := json.Unmarshal(value, &sch); err != nil {
		st.Reason = "unreadable schedule: " + truncate(err.Error(), 300)
		if when := whenOf(value); when != "" {
			st.Reason = unsupportedWhen
		}
		return st
	}
	st.Schedule, st.Decoded = sch, true
	if sch.Extra.Has("when") {
		st.Reason = unsupportedWhen
		return st
	}
	if sch.RunsOn.OrDefault() == wire.RunsOnAgent {
		st.Supported = true
		return st
	}
	c, err := ParseCron(sch.Cron)
	if err != nil {
		st.Reason = err.Error()
		return st
	}
	st.Supported, st.Cron = true, c
	return st
}

const unsupportedWhen = "uses the `when:` form of a newer kanade; this console runs `cron` schedules only, so it lists this one and never fires it"

// whenOf reports whether value is an object with a `when` key (a newer
// kanade's schedule that lacks 0.29's required `cron`).
func whenOf(value []byte) string {
	fields, err := wire.ObjectFields(value)
	if err != nil {
		return ""
	}
	if v, ok := fields.Get("when"); ok {
		return string(v)
	}
	return ""
}

// storedExtra is what a re-save must keep of a stored value: its unknown
// keys, also when it could not be decoded as a whole.
func storedExtra(value []byte) wire.Extra {
	fields, err := wire.ObjectFields(value)
	if err != nil {
		return nil
	}
	return fields.Without(scheduleKeys...)
}

// stringField reads a string field of a stored object ("" if absent).
func stringField(value []byte, key string) string {
	fields, err := wire.ObjectFields(value)
	if err != nil {
		return ""
	}
	raw, ok := fields.Get(key)
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Listed is a schedule as GET /api/schedules shows it: the stored JSON
// (with the keys a newer kanade added), plus "supported": false and a
// "reason" when this console cannot run it, and "next_fire" when it will
// fire, and "last_skipped" when the latest tick here was skipped.
type Listed struct {
	Stored
	NextFire *time.Time
	// LastSkipped is why this console's latest tick of it did not fire
	// (e.g. "empty target"); "" when it fired or has not ticked here.
	LastSkipped string
}

// MarshalJSON implements json.Marshaler.
func (l Listed) MarshalJSON() ([]byte, error) {
	var base []byte
	var err error
	switch {
	case l.Decoded:
		base, err = wire.Marshal(l.Schedule)
	case isObject(l.Raw):
		base = l.Raw
	default:
		base = []byte("{}")
	}
	if err != nil {
		return nil, err
	}
	id, _ := wire.Marshal(l.Key)
	add := wire.Extra{{Key: "id", Value: id}}
	if !l.Supported {
		reason, _ := wire.Marshal(l.Reason)
		add = append(add, wire.ExtraField{Key: "supported", Value: json.RawMessage("false")}, wire.ExtraField{Key: "reason", Value: reason})
	}
	if l.NextFire != nil {
		next, _ := wire.Marshal(l.NextFire.UTC().Format(time.RFC3339))
		add = append(add, wire.ExtraField{Key: "next_fire", Value: next})
	}
	if l.LastSkipped != "" {
		why, _ := wire.Marshal(l.LastSkipped)
		add = append(add, wire.ExtraField{Key: "last_skipped", Value: why})
	}
	out, err := wire.SetFields(base, add[:1], false)
	if err != nil {
		return nil, err
	}
	return wire.SetFields(out, add[1:], true)
}

func isObject(b []byte) bool {
	_, err := wire.ObjectFields(b)
	return err == nil
}

// ID is the schedule's id (its key).
func (l Listed) ID() string { return l.Key }

// JSONShape describes the listed form for /api/openapi.json: the stored
// schedule with the listing keys, or for a value this console cannot use,
// its keys with id, supported false and the reason.
func (Listed) JSONShape() any {
	return wire.JSONAnyOf{wire.JSONAllOf{wire.Schedule{}, listingKeys{}}, unsupportedListing{}}
}

type listingKeys struct {
	NextFire    *time.Time `json:"next_fire,omitempty"`
	LastSkipped string     `json:"last_skipped,omitempty"`
	Extra       wire.Extra
}

type unsupportedListing struct {
	ID          string     `json:"id"`
	Supported   bool       `json:"supported"`
	Reason      string     `json:"reason"`
	NextFire    *time.Time `json:"next_fire,omitempty"`
	LastSkipped string     `json:"last_skipped,omitempty"`
	Extra       wire.Extra
}
