// Package scheduler fires the schedules of the `schedules` KV bucket with
// kanade's semantics (6-field cron with seconds, evaluated in UTC, fire modes,
// cooldown, starting deadline), reacting live to bucket changes, on exactly
// one console at a time (a lease in NATS KV).
package scheduler

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// parser accepts kanade's 6-field form (sec min hour dom month dow), the
// classic 5-field form (seconds = 0) and descriptors (@every 10s, @hourly).
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseCron parses a schedule's cron expression.
func ParseCron(expr string) (cron.Schedule, error) {
	s, err := parser.Parse(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid cron %q: %v", expr, err)
	}
	return s, nil
}

// NextTimes lists the next n fire times after from, in UTC.
func NextTimes(expr string, from time.Time, n int) ([]time.Time, error) {
	s, err := ParseCron(expr)
	if err != nil {
		return nil, err
	}
	out := make([]time.Time, 0, n)
	t := from.UTC()
	for i := 0; i < n; i++ {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out, nil
}
