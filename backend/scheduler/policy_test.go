package scheduler

import (
	"reflect"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	hour := time.Hour
	succ := map[string]time.Time{"a": now.Add(-10 * time.Minute), "b": now.Add(-2 * time.Hour)}
	cases := []struct {
		name     string
		mode     wire.ScheduleMode
		expected []string
		cooldown *time.Duration
		want     Decision
	}{
		{"every tick always fires", wire.ModeEveryTick, []string{"a"}, nil, Decision{Fire: true}},
		{"default mode is every tick", "", nil, nil, Decision{Fire: true}},
		{"per pc without cooldown: successes are final", wire.ModeOncePerPC, []string{"a", "b", "c"}, nil, Decision{Fire: true, PCs: []string{"c"}}},
		{"per pc with cooldown re-arms old successes", wire.ModeOncePerPC, []string{"c", "b", "a"}, &hour, Decision{Fire: true, PCs: []string{"b", "c"}}},
		{"per pc all done, no cooldown", wire.ModeOncePerPC, []string{"a", "b"}, nil, Decision{Done: true, Skip: SkipAllDone}},
		{"per pc all done within cooldown is not final", wire.ModeOncePerPC, []string{"a"}, &hour, Decision{Skip: SkipCooldown}},
		{"per pc with nobody to run on is not done", wire.ModeOncePerPC, nil, nil, Decision{Skip: SkipEmptyTarget}},
		{"per target: any success stops it", wire.ModeOncePerTarget, []string{"a", "c"}, nil, Decision{Done: true, Skip: SkipAllDone}},
		// kanade 0.29: once_per_target_empty_expected_no_completion_skips
		{"per target: an empty target skips", wire.ModeOncePerTarget, nil, nil, Decision{Skip: SkipEmptyTarget}},
		{"per target: an empty target skips, cooldown or not", wire.ModeOncePerTarget, []string{}, &hour, Decision{Skip: SkipEmptyTarget}},
		{"per target: old success re-arms after cooldown", wire.ModeOncePerTarget, []string{"b", "c"}, &hour, Decision{Fire: true}},
		{"per target: no success fires", wire.ModeOncePerTarget, []string{"c"}, nil, Decision{Fire: true}},
	}
	for _, tc := range cases {
		if got := Decide(tc.mode, tc.expected, succ, tc.cooldown, now); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseCron(t *testing.T) {
	from := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		expr string
		next time.Time
	}{
		{"0 0 * * * *", from.Add(time.Hour)},                            // kanade's 6 fields, seconds first
		{"*/1 * * * * *", from.Add(time.Second)},                        // every second
		{"30 15 * * *", time.Date(2026, 5, 20, 15, 30, 0, 0, time.UTC)}, // classic 5 fields
		{"@every 10s", from.Add(10 * time.Second)},
		{"@hourly", from.Add(time.Hour)},
		{"0 30 9 * * MON-FRI", time.Date(2026, 5, 21, 9, 30, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		next, err := NextTimes(tc.expr, from, 1)
		if err != nil || len(next) != 1 || !next[0].Equal(tc.next) {
			t.Errorf("%q: next = %v %v, want %v", tc.expr, next, err, tc.next)
		}
	}
	for _, bad := range []string{"", "every day", "61 * * * * *", "* * * *", "0 0 * * * * * *", "@fortnightly"} {
		if _, err := ParseCron(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	five, _ := NextTimes("0 0 * * * *", from, 5)
	if len(five) != 5 || !five[4].Equal(from.Add(5*time.Hour)) {
		t.Errorf("next 5 = %v", five)
	}
}

func TestDueTime(t *testing.T) {
	at := func(h, m, s, ms int) time.Time {
		return time.Date(2026, 5, 20, h, m, s, ms*int(time.Millisecond), time.UTC)
	}
	cases := []struct {
		name string
		expr string
		now  time.Time
		want time.Time
	}{
		{"on time", "*/1 * * * * *", at(12, 0, 5, 3), at(12, 0, 5, 0)},
		{"every 5 s, callback late into the next second", "*/5 * * * * *", at(12, 0, 6, 400), at(12, 0, 5, 0)},
		{"daily, two seconds late", "0 0 3 * * *", at(3, 0, 2, 100), at(3, 0, 0, 0)},
		{"nothing due in the last 30 s: its own second", "0 0 3 * * *", at(3, 1, 0, 900), at(3, 1, 0, 0)},
	}
	for _, tc := range cases {
		spec, err := ParseCron(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := dueTime(spec, tc.now); !got.Equal(tc.want) {
			t.Errorf("%s: dueTime(%q, %v) = %v, want %v", tc.name, tc.expr, tc.now, got, tc.want)
		}
	}
}
