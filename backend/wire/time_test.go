package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	base := time.Date(2026, 5, 20, 3, 14, 15, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2026-05-20T03:14:15Z", base},
		{"2026-05-20T03:14:15+00:00", base},
		{"2026-05-20T12:14:15+09:00", base},
		{"2026-05-19T22:44:15-04:30", base},
		{"2026-05-20T03:14:15.1Z", base.Add(100 * time.Millisecond)},
		{"2026-05-20T03:14:15.12Z", base.Add(120 * time.Millisecond)},
		{"2026-05-20T03:14:15.123Z", base.Add(123 * time.Millisecond)},
		{"2026-05-20T03:14:15.1234Z", base.Add(123400 * time.Microsecond)},
		{"2026-05-20T03:14:15.12345Z", base.Add(123450 * time.Microsecond)},
		{"2026-05-20T03:14:15.123456Z", base.Add(123456 * time.Microsecond)},
		{"2026-05-20T03:14:15.1234567Z", base.Add(123456700)},
		{"2026-05-20T03:14:15.12345678Z", base.Add(123456780)},
		{"2026-05-20T03:14:15.123456789Z", base.Add(123456789)},
		{"2026-05-20T12:14:15.926535800+09:00", base.Add(926535800)},
		{"2026-05-20T03:14:15.000000000+00:00", base},
		{"2026-05-20t03:14:15z", base},
		{"2026-05-20 03:14:15Z", base},
	} {
		got, err := ParseTime(tc.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v (UTC)", tc.in, got, tc.want)
		}
	}
}

func TestParseTimeRejects(t *testing.T) {
	for _, in := range []string{
		"", "2026-05-20", "2026-05-20T03:14:15", "2026-05-20 03:14:15",
		"2026-05-20T03:14:15+0900", "2026-13-20T03:14:15Z", "2026-05-20T25:14:15Z",
		"yesterday", "2026-05-20T03:14:15Zjunk", "0000-01-01T00:00:00+01:00",
	} {
		if _, err := ParseTime(in); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("ParseTime(%q) err = %v, want ErrInvalidValue", in, err)
		}
	}
}

func TestFormatTime(t *testing.T) {
	base := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ns   int
		want string
	}{
		{0, "2026-05-20T12:00:00Z"},
		{100_000_000, "2026-05-20T12:00:00.100Z"},
		{1_000_000, "2026-05-20T12:00:00.001Z"},
		{123_000, "2026-05-20T12:00:00.000123Z"},
		{100_000, "2026-05-20T12:00:00.000100Z"},
		{123_456_700, "2026-05-20T12:00:00.123456700Z"},
		{1, "2026-05-20T12:00:00.000000001Z"},
		{999_999_999, "2026-05-20T12:00:00.999999999Z"},
	} {
		if got := FormatTime(base.Add(time.Duration(tc.ns))); got != tc.want {
			t.Errorf("FormatTime(+%dns) = %s, want %s", tc.ns, got, tc.want)
		}
	}
	// Always rendered in UTC.
	tokyo := time.FixedZone("JST", 9*3600)
	if got := FormatTime(time.Date(2026, 5, 20, 21, 0, 0, 0, tokyo)); got != "2026-05-20T12:00:00Z" {
		t.Errorf("FormatTime(JST) = %s", got)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	for _, in := range []string{"2026-05-20T12:00:00Z", "2026-05-20T12:00:00.100Z", "2026-05-20T12:00:00.000123Z", "2026-05-20T12:00:00.123456700Z"} {
		if got := FormatTime(mustTime(t, in)); got != in {
			t.Errorf("round trip %s -> %s", in, got)
		}
	}
	// Go's RFC3339Nano output (trailing zeros trimmed) is accepted.
	tm := time.Date(2026, 5, 20, 12, 0, 0, 120_000_000, time.UTC)
	if got := FormatTime(mustTime(t, tm.Format(time.RFC3339Nano))); got != "2026-05-20T12:00:00.120Z" {
		t.Errorf("RFC3339Nano input -> %s", got)
	}
}

func TestStoreTime(t *testing.T) {
	a := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	b := a.Add(time.Nanosecond)
	c := time.Date(2026, 5, 20, 21, 0, 0, 5, time.FixedZone("JST", 9*3600)) // = a + 5ns
	fa, fb, fc := FormatStoreTime(a), FormatStoreTime(b), FormatStoreTime(c)
	if fa != "2026-05-20T12:00:00.000000000Z" || fc != "2026-05-20T12:00:00.000000005Z" {
		t.Fatalf("FormatStoreTime = %s, %s", fa, fc)
	}
	if len(fa) != len(StoreTimeLayout) || !(fa < fb && fb < fc) {
		t.Fatalf("store times do not sort as instants: %s %s %s", fa, fb, fc)
	}
	if !mustTime(t, fc).Equal(c) {
		t.Fatal("store time does not parse back")
	}
	later := FormatStoreTime(time.Date(2026, 5, 20, 12, 0, 1, 0, time.UTC))
	if !(fc < later) || strings.Compare(fa, later) != -1 {
		t.Fatal("text order != time order")
	}
}

func TestTimeJSON(t *testing.T) {
	var v struct {
		At  Time  `json:"at"`
		Opt *Time `json:"opt"`
	}
	if err := json.Unmarshal([]byte(`{"at":"2026-05-20T12:00:00.5+01:00","opt":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.At.String() != "2026-05-20T11:00:00.500Z" || v.Opt != nil {
		t.Fatalf("decoded %+v", v)
	}
	b, _ := Marshal(v)
	if string(b) != `{"at":"2026-05-20T11:00:00.500Z","opt":null}` {
		t.Fatalf("encoded %s", b)
	}
	for _, bad := range []string{`{"at":12}`, `{"at":"2026-05-20"}`, `{"at":true}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("decoded %s", bad)
		}
	}
	var tt Time
	if err := tt.UnmarshalText([]byte("2026-05-20T12:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if txt, _ := tt.MarshalText(); string(txt) != "2026-05-20T12:00:00Z" {
		t.Fatalf("text %s", txt)
	}
}
