// Package scheduler fires the schedules of the `schedules` KV bucket with
// kanade's semantics (6-field cron with seconds and an optional year field,
// evaluated in UTC, fire modes, cooldown, starting deadline), reacting live
// to bucket changes, on exactly one console at a time (a lease in NATS KV).
package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parser accepts kanade's 6-field form (sec min hour dom month dow), the
// classic 5-field form (seconds = 0) and descriptors (@every 10s, @hourly).
// Only ParseCron may call it: it checks what robfig does not.
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// The year field's range (Quartz's, which kanade's croner-based parser
// shares in practice); a year outside it is refused, not silently ignored.
const (
	minCronYear = 1970
	maxCronYear = 2099
	// maxCronLen bounds the expression; real ones are a few dozen bytes.
	maxCronLen = 256
)

// Cron is a parsed schedule expression. It implements cron.Schedule, so the
// cron runner asks it for the next fire time and the year field is honoured
// there: ticks outside the listed years never happen.
type Cron struct {
	expr  string
	inner cron.Schedule
	years *yearSet // nil: every year
}

// ParseCron is the one parser of schedule expressions: the scheduler, POST
// /api/schedules, /api/cron/next, the listings and the Wails bindings all
// come here. It checks the text before robfig/cron sees it (robfig panics
// on some inputs, e.g. "TZ=UTC"), and recovers anyway, so no expression can
// take the process down. Accepted: 6 fields (sec min hour dom month dow), 7
// with a year (kanade's optional 7th field), classic 5 fields (seconds = 0),
// and the descriptors @hourly, @daily, ... and @every <duration ≥ 1s>.
func ParseCron(expr string) (c *Cron, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("invalid cron %q: unparseable (%v)", expr, r)
		}
	}()
	fields, err := checkCronText(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid cron %q: %w", expr, err)
	}
	c = &Cron{expr: expr}
	spec := strings.Join(fields, " ")
	if len(fields) == 7 {
		if c.years, err = parseYears(fields[6]); err != nil {
			return nil, fmt.Errorf("invalid cron %q: year field: %w", expr, err)
		}
		spec = strings.Join(fields[:6], " ")
	}
	if strings.HasPrefix(spec, "@every ") {
		if err := checkEvery(strings.TrimPrefix(spec, "@every ")); err != nil {
			return nil, fmt.Errorf("invalid cron %q: %w", expr, err)
		}
	}
	if c.inner, err = parser.Parse(spec); err != nil {
		return nil, fmt.Errorf("invalid cron %q: %v", expr, err)
	}
	return c, nil
}

// checkCronText rejects what robfig mishandles and splits the fields.
func checkCronText(expr string) ([]string, error) {
	if len(expr) > maxCronLen {
		return nil, fmt.Errorf("longer than %d bytes", maxCronLen)
	}
	for _, r := range expr {
		if r > 0x7e || (r < 0x20 && r != ' ' && r != '\t') {
			return nil, fmt.Errorf("contains a character outside printable ASCII")
		}
	}
	fields := strings.Fields(expr)
	if len(fields) == 0 {
		return nil, fmt.Errorf("empty expression")
	}
	if strings.Contains(fields[0], "=") {
		return nil, fmt.Errorf("time zone prefixes (TZ=, CRON_TZ=) are not supported: kanade evaluates every schedule in UTC")
	}
	if strings.HasPrefix(fields[0], "@") {
		if fields[0] == "@every" {
			if len(fields) != 2 {
				return nil, fmt.Errorf("@every takes one duration, e.g. \"@every 10m\"")
			}
		} else if len(fields) != 1 {
			return nil, fmt.Errorf("%s takes no fields", fields[0])
		}
		return fields, nil
	}
	if len(fields) < 5 || len(fields) > 7 {
		return nil, fmt.Errorf("%d fields; want 6 (sec min hour day-of-month month day-of-week), optionally a 7th year field", len(fields))
	}
	return fields, nil
}

// checkEvery refuses @every intervals robfig would quietly turn into "every
// second" (zero, negative, sub-second) or truncate (fractions of a second).
func checkEvery(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("@every: %v", err)
	}
	if d < time.Second {
		return fmt.Errorf("@every %s: the interval must be at least 1s", s)
	}
	if d%time.Second != 0 {
		return fmt.Errorf("@every %s: the interval must be whole seconds", s)
	}
	return nil
}

// String is the expression as written.
func (c *Cron) String() string { return c.expr }

// Next implements cron.Schedule: the first fire time after t in a listed
// year, or the zero time when there is none (the runner then never fires
// it). It never panics: the runner calls it on its own goroutine.
func (c *Cron) Next(t time.Time) (next time.Time) {
	defer func() {
		if recover() != nil {
			next = time.Time{}
		}
	}()
	t = t.UTC()
	if c.years == nil {
		return c.inner.Next(t)
	}
	// robfig searches at most five years ahead of where it starts, so jump
	// to the end of the year before each candidate year and search from
	// there. Every round moves past at least one year, so this ends.
	from := t
	for range maxCronYear - minCronYear + 1 {
		n := c.inner.Next(from)
		if !n.IsZero() && c.years.has(n.Year()) {
			return n
		}
		searched := n.Year() // no allowed match up to the end of this year
		if n.IsZero() {
			searched = from.Year() + 5
		}
		y, ok := c.years.next(searched + 1)
		if !ok {
			return time.Time{}
		}
		from = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Second)
		if from.Before(t) {
			from = t
		}
	}
	return time.Time{}
}

// InYear reports whether the year field allows year (always true without one).
func (c *Cron) InYear(year int) bool { return c.years == nil || c.years.has(year) }

// NeverFires reports whether the expression has no fire time after from
// (robfig looks five years ahead; the year field is looked at in full), e.g.
// "0 0 0 31 4 *" (April has 30 days) or a year field in the past.
func (c *Cron) NeverFires(from time.Time) bool { return c.Next(from).IsZero() }

// NextTimes lists the next n fire times after from, in UTC.
func (c *Cron) NextTimes(from time.Time, n int) []time.Time {
	out := make([]time.Time, 0, n)
	t := from.UTC()
	for i := 0; i < n; i++ {
		t = c.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

// NextTimes lists the next n fire times of expr after from, in UTC.
func NextTimes(expr string, from time.Time, n int) ([]time.Time, error) {
	c, err := ParseCron(expr)
	if err != nil {
		return nil, err
	}
	return c.NextTimes(from, n), nil
}

// CheckRunnable parses expr and also refuses one that can never fire after
// now, so a schedule that would sit silently inert is an error when it is
// written, not a surprise later.
func CheckRunnable(expr string, now time.Time) (*Cron, error) {
	c, err := ParseCron(expr)
	if err != nil {
		return nil, err
	}
	if c.NeverFires(now) {
		return nil, fmt.Errorf("cron %q never fires (no matching time after %s; e.g. a day that month does not have, or a year in the past)", expr, now.UTC().Format(time.RFC3339))
	}
	return c, nil
}

// yearSet is the set of years a 7th cron field allows.
type yearSet struct {
	bits [(maxCronYear - minCronYear + 64) / 64]uint64
}

func (s *yearSet) set(y int) {
	i := y - minCronYear
	s.bits[i/64] |= 1 << (i % 64)
}

func (s *yearSet) has(y int) bool {
	if y < minCronYear || y > maxCronYear {
		return false
	}
	i := y - minCronYear
	return s.bits[i/64]&(1<<(i%64)) != 0
}

// next is the first allowed year >= y.
func (s *yearSet) next(y int) (int, bool) {
	for y = max(y, minCronYear); y <= maxCronYear; y++ {
		if s.has(y) {
			return y, true
		}
	}
	return 0, false
}

// parseYears parses the year field: "*", "?", a year, a range "a-b", a step
// "*/n", "a/n" or "a-b/n", or a comma list of those.
func parseYears(field string) (*yearSet, error) {
	if field == "*" || field == "?" {
		return nil, nil
	}
	s := &yearSet{}
	for _, part := range strings.Split(field, ",") {
		lo, hi, step := minCronYear, maxCronYear, 1
		rng, stepText, hasStep := strings.Cut(part, "/")
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("step %q is not a positive number", stepText)
			}
			step = n
		}
		if rng != "*" && rng != "?" {
			a, b, isRange := strings.Cut(rng, "-")
			var err error
			if lo, err = parseYear(a); err != nil {
				return nil, err
			}
			switch {
			case isRange:
				if hi, err = parseYear(b); err != nil {
					return nil, err
				}
				if hi < lo {
					return nil, fmt.Errorf("range %q ends before it starts", rng)
				}
			case !hasStep:
				hi = lo
			}
		}
		for y := lo; y <= hi; y += step {
			s.set(y)
		}
	}
	return s, nil
}

func parseYear(text string) (int, error) {
	y, err := strconv.Atoi(text)
	if err != nil || strings.HasPrefix(text, "+") {
		return 0, fmt.Errorf("%q is not a year", text)
	}
	if y < minCronYear || y > maxCronYear {
		return 0, fmt.Errorf("year %d is outside %d-%d", y, minCronYear, maxCronYear)
	}
	return y, nil
}
