package wire

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// humantime unit table (Rust humantime 2.x parse_duration). A month is
// 30.44 days and a year 365.25 days, as in the crate.
var humantimeUnits = map[string]struct{ secs, nanos uint64 }{
	"nanos": {0, 1}, "nsec": {0, 1}, "ns": {0, 1},
	"usec": {0, 1_000}, "us": {0, 1_000}, "µs": {0, 1_000},
	"millis": {0, 1_000_000}, "msec": {0, 1_000_000}, "ms": {0, 1_000_000},
	"seconds": {1, 0}, "second": {1, 0}, "secs": {1, 0}, "sec": {1, 0}, "s": {1, 0},
	"minutes": {60, 0}, "minute": {60, 0}, "min": {60, 0}, "mins": {60, 0}, "m": {60, 0},
	"hours": {3600, 0}, "hour": {3600, 0}, "hr": {3600, 0}, "hrs": {3600, 0}, "h": {3600, 0},
	"days": {86_400, 0}, "day": {86_400, 0}, "d": {86_400, 0},
	"weeks": {604_800, 0}, "week": {604_800, 0}, "w": {604_800, 0},
	"months": {secsPerMonth, 0}, "month": {secsPerMonth, 0}, "M": {secsPerMonth, 0},
	"years": {secsPerYear, 0}, "year": {secsPerYear, 0}, "y": {secsPerYear, 0},
}

const (
	secsPerMonth = 2_630_016  // 30.44 days
	secsPerYear  = 31_557_600 // 365.25 days
)

const unitHelp = "supported units: ns, us/µs, ms, s/sec/second(s), m/min/minute(s), h/hr/hour(s), d/day(s), w/week(s), M/month(s), y/year(s)"

func durationErr(s, format string, args ...any) error {
	return fmt.Errorf("%w %q: %s", ErrInvalidDuration, s, fmt.Sprintf(format, args...))
}

// ParseDuration parses a humantime duration such as "30s", "10m", "1h 30m",
// "1h30m", "1d" or "500ms" with the rules of Rust's humantime::parse_duration:
// a sequence of <integer><unit> spans (whitespace allowed between and inside
// spans), summed. Empty input, negative or fractional numbers, unknown units,
// a number without a unit and overflow are errors wrapping
// ErrInvalidDuration. Values beyond Go's time.Duration range (~292 years),
// which humantime itself would accept, are reported as overflow.
func ParseDuration(s string) (time.Duration, error) {
	var (
		secs, nanos uint64
		i           int
	)
	rune0 := func() (rune, int) { return utf8.DecodeRuneInString(s[i:]) }
	skipSpace := func() {
		for i < len(s) {
			r, n := rune0()
			if !unicode.IsSpace(r) {
				return
			}
			i += n
		}
	}
	isUnitRune := func(r rune) bool { return r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') }

	skipSpace()
	if i == len(s) {
		return 0, durationErr(s, "value is empty")
	}
	for {
		// One span. The caller guarantees s[i] is a digit here.
		if r, _ := rune0(); r < '0' || r > '9' {
			if r == '-' {
				return 0, durationErr(s, "negative durations are not allowed")
			}
			return 0, durationErr(s, "expected a number at offset %d", i)
		}
		var n uint64
		for i < len(s) {
			r, size := rune0()
			if r >= '0' && r <= '9' {
				if n > (math.MaxUint64-9)/10 {
					return 0, durationErr(s, "number is too large")
				}
				n = n*10 + uint64(r-'0')
			} else if unicode.IsSpace(r) {
				// humantime skips whitespace inside the number too
			} else if isUnitRune(r) || r == 'µ' {
				break
			} else {
				return 0, durationErr(s, "invalid character %q at offset %d", r, i)
			}
			i += size
		}
		start := i
		if i < len(s) { // the first unit rune (µ is only allowed here)
			_, size := rune0()
			i += size
		}
		for i < len(s) {
			r, size := rune0()
			if !isUnitRune(r) {
				if (r >= '0' && r <= '9') || unicode.IsSpace(r) {
					break
				}
				return 0, durationErr(s, "invalid character %q at offset %d", r, i)
			}
			i += size
		}
		unit := s[start:i]
		if unit == "" {
			return 0, durationErr(s, "time unit needed, for example %dsec or %dms", n, n)
		}
		u, ok := humantimeUnits[unit]
		if !ok {
			return 0, durationErr(s, "unknown time unit %q (%s)", unit, unitHelp)
		}
		var err error
		if secs, nanos, err = addSpan(secs, nanos, n, u.secs, u.nanos); err != nil {
			return 0, durationErr(s, "%v", err)
		}
		skipSpace()
		if i == len(s) {
			break
		}
	}
	const maxSecs = uint64(math.MaxInt64 / int64(time.Second))
	if secs > maxSecs || (secs == maxSecs && nanos > uint64(math.MaxInt64%int64(time.Second))) {
		return 0, durationErr(s, "number is too large (exceeds the maximum duration)")
	}
	return time.Duration(secs)*time.Second + time.Duration(nanos), nil
}

// addSpan adds n×(unitSecs s + unitNanos ns) to secs/nanos with overflow checks.
func addSpan(secs, nanos, n, unitSecs, unitNanos uint64) (uint64, uint64, error) {
	tooLarge := fmt.Errorf("number is too large")
	if unitSecs > 0 {
		if n > math.MaxUint64/unitSecs {
			return 0, 0, tooLarge
		}
		add := n * unitSecs
		if secs > math.MaxUint64-add {
			return 0, 0, tooLarge
		}
		secs += add
	}
	if unitNanos > 0 {
		if n > math.MaxUint64/unitNanos {
			return 0, 0, tooLarge
		}
		add := n * unitNanos
		carry := add / uint64(time.Second)
		if secs > math.MaxUint64-carry {
			return 0, 0, tooLarge
		}
		secs += carry
		nanos += add % uint64(time.Second)
		if nanos >= uint64(time.Second) {
			nanos -= uint64(time.Second)
			if secs == math.MaxUint64 {
				return 0, 0, tooLarge
			}
			secs++
		}
	}
	return secs, nanos, nil
}

// FormatDuration renders d the way humantime::format_duration does: "0s" for
// zero, otherwise space-separated non-zero parts out of years (365.25 d),
// months (30.44 d), days, h, m, s, ms, us, ns — e.g. "1h 30m", "1day",
// "2years 3days". Negative durations cannot be expressed and render as "0s".
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	secs := uint64(d / time.Second)
	nanos := uint64(d % time.Second)
	years := secs / secsPerYear
	rest := secs % secsPerYear
	months := rest / secsPerMonth
	rest %= secsPerMonth
	parts := make([]string, 0, 4)
	plural := func(v uint64, name string) {
		if v == 0 {
			return
		}
		p := strconv.FormatUint(v, 10) + name
		if v > 1 {
			p += "s"
		}
		parts = append(parts, p)
	}
	plain := func(v uint64, name string) {
		if v > 0 {
			parts = append(parts, strconv.FormatUint(v, 10)+name)
		}
	}
	plural(years, "year")
	plural(months, "month")
	plural(rest/86_400, "day")
	plain(rest%86_400/3600, "h")
	plain(rest%3600/60, "m")
	plain(rest%60, "s")
	plain(nanos/1_000_000, "ms")
	plain(nanos/1_000%1_000, "us")
	plain(nanos%1_000, "ns")
	return strings.Join(parts, " ")
}

// Duration is a humantime duration string as it appears on the wire. It keeps
// the text exactly as written so a decoded value re-encodes byte for byte
// ("5m" stays "5m", "1d" does not become "1day"), plus its parsed value.
//
// In kanade these fields are plain Rust Strings that are parsed when used, so
// a malformed duration still decodes; Valid and Err report it, and the
// Validate methods reject it. The zero Duration is "0s".
type Duration struct {
	text    string // as written; "" for the zero value and NewDuration values
	d       time.Duration
	invalid bool
}

// NewDuration returns a Duration for d, rendered with FormatDuration.
func NewDuration(d time.Duration) Duration {
	if d < 0 {
		d = 0
	}
	return Duration{d: d}
}

// DurationFromText wraps s, valid or not, keeping it verbatim.
func DurationFromText(s string) Duration {
	d, err := ParseDuration(s)
	return Duration{text: s, d: d, invalid: err != nil}
}

// String returns the text as written (FormatDuration for built values).
func (d Duration) String() string {
	if d.text == "" && !d.invalid {
		return FormatDuration(d.d)
	}
	return d.text
}

// Std returns the parsed value (0 when the text is malformed).
func (d Duration) Std() time.Duration { return d.d }

// Seconds returns the whole seconds, truncated like Rust's Duration::as_secs
// (what timeout_secs / jitter_secs carry on a Command).
func (d Duration) Seconds() uint64 { return uint64(d.d / time.Second) }

// Valid reports whether the text parses as humantime.
func (d Duration) Valid() bool { return !d.invalid }

// Err returns the parse error of a malformed text, nil otherwise.
func (d Duration) Err() error {
	if !d.invalid {
		return nil
	}
	_, err := ParseDuration(d.text)
	return err
}

// MarshalJSON encodes the text as a JSON string.
func (d Duration) MarshalJSON() ([]byte, error) { return Marshal(d.String()) }

// UnmarshalJSON accepts any JSON string (malformed humantime included, see the
// type comment); other JSON types are an error and null leaves d unchanged.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	s, err := decodeString(b, "humantime duration")
	if err != nil {
		return err
	}
	*d = DurationFromText(s)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	*d = DurationFromText(string(b))
	return nil
}

func checkDuration(typ, field string, d Duration) error {
	if err := d.Err(); err != nil {
		return invalid(typ, field, err.Error())
	}
	return nil
}
