package scheduler

import (
	"strings"
	"testing"
	"time"
)

// Inputs that panicked robfig/cron inside Parser.Parse (issue 16 item 1) or
// that it quietly turned into "every second".
func TestParseCronRefusesWhatRobfigMishandles(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"TZ=UTC", "time zone"},
		{"TZ=", "time zone"},
		{"CRON_TZ=Europe/Berlin", "time zone"},
		{"CRON_TZ=UTC 0 0 * * * *", "time zone"},
		{"TZ=UTC 0 0 * * * *", "time zone"},
		{"@every 0s", "at least 1s"},
		{"@every -5s", "at least 1s"},
		{"@every 500ms", "at least 1s"},
		{"@every 1.5s", "whole seconds"},
		{"@every", "one duration"},
		{"@hourly 5", "no fields"},
		{"0 0 * * * * 1969", "outside"},
		{"0 0 * * * * 2100", "outside"},
		{"0 0 * * * * 2030-2020", "ends before"},
		{"0 0 * * * * */0", "positive"},
		{"0 0 * * * * x", "not a year"},
		{"0 0 * * * * +2030", "not a year"},
		{strings.Repeat("1", 300), "longer"},
		{"0 0 * * * \x00", "printable"},
		{"0 0 * * * * 2030 1", "8 fields"},
	}
	for _, tc := range cases {
		_, err := ParseCron(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseCron(%q) = %v, want an error containing %q", tc.expr, err, tc.want)
		}
	}
}

func TestCheckRunnableRefusesCronsThatNeverFire(t *testing.T) {
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	for _, expr := range []string{"0 0 0 31 4 *", "0 0 0 30 2 *", "0 0 3 1 1 * 2020", "0 0 3 1 1 * 2026"} {
		if _, err := CheckRunnable(expr, now); err == nil || !strings.Contains(err.Error(), "never fires") {
			t.Errorf("CheckRunnable(%q) = %v, want never fires", expr, err)
		}
	}
	for _, expr := range []string{"0 0 0 31 5 *", "0 0 3 1 1 * 2027", "@every 1h", "0 0 3 1 1 * 2099"} {
		if _, err := CheckRunnable(expr, now); err != nil {
			t.Errorf("CheckRunnable(%q) = %v", expr, err)
		}
	}
}

// The 7th field: single years, ranges, lists, steps and "*", with the fire
// filter driven by an injected time rather than real years.
func TestCronYearField(t *testing.T) {
	from := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	jan1 := func(y int) time.Time { return time.Date(y, 1, 1, 3, 0, 0, 0, time.UTC) }
	cases := []struct {
		expr string
		want []time.Time
	}{
		{"0 0 3 1 1 * 2099", []time.Time{jan1(2099)}},
		{"0 0 3 1 1 * *", []time.Time{jan1(2027), jan1(2028), jan1(2029)}},
		{"0 0 3 1 1 ? ?", []time.Time{jan1(2027), jan1(2028), jan1(2029)}},
		{"0 0 3 1 1 * 2030-2032", []time.Time{jan1(2030), jan1(2031), jan1(2032)}},
		{"0 0 3 1 1 * 2040,2030,2050", []time.Time{jan1(2030), jan1(2040), jan1(2050)}},
		{"0 0 3 1 1 * 2030-2040/5", []time.Time{jan1(2030), jan1(2035), jan1(2040)}},
		{"0 0 3 1 1 * 2090/4", []time.Time{jan1(2090), jan1(2094), jan1(2098)}},
		{"0 0 3 1 1 * */50", []time.Time{jan1(2070)}}, // 1970, 2020, 2070
		{"0 0 3 1 1 * 2026", nil},   // this year's tick has passed
		{"0 0 12 20 5 * 2026", nil}, // now is not after now
		{"1 0 12 20 5 * 2026", []time.Time{from.Add(time.Second)}},
		{"0 0 0 29 2 * 2028-2099", []time.Time{time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2032, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2036, 2, 29, 0, 0, 0, 0, time.UTC)}},
		{"*/20 * * * * * 2026", []time.Time{from.Add(20 * time.Second), from.Add(40 * time.Second), from.Add(60 * time.Second)}},
	}
	for _, tc := range cases {
		got, err := NextTimes(tc.expr, from, 3)
		if err != nil {
			t.Errorf("%q: %v", tc.expr, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: next = %v, want %v", tc.expr, got, tc.want)
			continue
		}
		for i := range got {
			if !got[i].Equal(tc.want[i]) {
				t.Errorf("%q: next = %v, want %v", tc.expr, got, tc.want)
				break
			}
		}
	}
	c, err := ParseCron("* * * * * * 2099")
	if err != nil {
		t.Fatal(err)
	}
	if c.InYear(2026) || !c.InYear(2099) {
		t.Errorf("InYear wrong for %s", c)
	}
	if next := c.Next(time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC)); !next.IsZero() {
		t.Errorf("fires after its last year: %v", next)
	}
}
