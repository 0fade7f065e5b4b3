package wire

import (
	"fmt"
	"strconv"
	"time"
)

// StoreTimeLayout is the fixed-width UTC layout the store uses for every
// timestamp column: always nine fraction digits and a literal Z, so that
// comparing the text compares the instants (0.29 bug #390 came from mixing
// "+00:00", "Z", auto-precision fractions and "YYYY-MM-DD HH:MM:SS" in one
// column). Only FormatStoreTime should be used to produce it.
const StoreTimeLayout = "2006-01-02T15:04:05.000000000Z"

// FormatStoreTime renders t in UTC with StoreTimeLayout.
func FormatStoreTime(t time.Time) string {
	return t.UTC().Format(StoreTimeLayout)
}

// FormatTime renders t the way chrono serialises a DateTime<Utc>: RFC 3339 in
// UTC with a Z suffix, no fraction when it is zero, otherwise the shortest of
// 3, 6 or 9 digits that is exact (…:00.100Z, …:00.000123Z, …:00.123456700Z).
func FormatTime(t time.Time) string {
	u := t.UTC()
	b := make([]byte, 0, 32)
	b = u.AppendFormat(b, "2006-01-02T15:04:05")
	ns := u.Nanosecond()
	switch {
	case ns == 0:
	case ns%1_000_000 == 0:
		b = appendFrac(b, ns/1_000_000, 3)
	case ns%1_000 == 0:
		b = appendFrac(b, ns/1_000, 6)
	default:
		b = appendFrac(b, ns, 9)
	}
	return string(append(b, 'Z'))
}

func appendFrac(b []byte, v, width int) []byte {
	b = append(b, '.')
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// ParseTime parses an RFC 3339 timestamp with any offset and any fraction
// precision (1–9 digits, or none) and returns it in UTC. Like chrono it also
// accepts a lower-case t/z and a space between date and time. A timestamp
// without an offset, or whose UTC year falls outside 0000–9999 (it could not
// be re-encoded as RFC 3339), is rejected.
func ParseTime(s string) (time.Time, error) {
	norm := []byte(s)
	if len(norm) > 10 && (norm[10] == 't' || norm[10] == ' ') {
		norm[10] = 'T'
	}
	if n := len(norm); n > 0 && norm[n-1] == 'z' {
		norm[n-1] = 'Z'
	}
	t, err := time.Parse(time.RFC3339Nano, string(norm))
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: timestamp %q is not RFC 3339", ErrInvalidValue, s)
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}, fmt.Errorf("%w: timestamp %q is out of range", ErrInvalidValue, s)
	}
	return t, nil
}

// Time is a time.Time that encodes as FormatTime and decodes with ParseTime.
// The wire structs expose plain time.Time fields; Time is for other packages
// that want the same JSON form in their own types (API rows, events).
type Time struct {
	time.Time
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, FormatTime(t.Time)), nil
}

// UnmarshalJSON implements json.Unmarshaler. null leaves t unchanged, as the
// encoding/json convention asks; the wire structs treat null themselves.
func (t *Time) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	s, err := decodeString(b, "timestamp")
	if err != nil {
		return err
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalText implements encoding.TextMarshaler (so map keys and YAML agree).
func (t Time) MarshalText() ([]byte, error) { return []byte(FormatTime(t.Time)), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *Time) UnmarshalText(b []byte) error {
	v, err := ParseTime(string(b))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// String returns FormatTime(t).
func (t Time) String() string { return FormatTime(t.Time) }

func timePtr(t *time.Time) *Time {
	if t == nil {
		return nil
	}
	return &Time{*t}
}

// decodeTimeField decodes a required timestamp field of o.
func decodeTimeField(o *object, key string, dst *time.Time) error {
	var t Time
	if err := o.required(key, &t); err != nil {
		return err
	}
	*dst = t.Time
	return nil
}

// decodeOptionalTimeField decodes an Option<DateTime> field of o.
func decodeOptionalTimeField(o *object, key string) (*time.Time, error) {
	var t Time
	ok, err := o.optional(key, &t)
	if err != nil || !ok {
		return nil, err
	}
	v := t.Time
	return &v, nil
}
