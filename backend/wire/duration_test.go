package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"30s", 30 * time.Second},
		{"10m", 10 * time.Minute},
		{"1h 30m", 90 * time.Minute},
		{"1h30m", 90 * time.Minute},
		{"1d", day},
		{"2h 3m", 2*time.Hour + 3*time.Minute},
		{"500ms", 500 * time.Millisecond},
		{"0s", 0},
		{"0ms", 0},
		{"17nsec", 17},
		{"17nanos", 17},
		{"33ns", 33},
		{"3usec", 3 * time.Microsecond},
		{"78us", 78 * time.Microsecond},
		{"163µs", 163 * time.Microsecond},
		{"31msec", 31 * time.Millisecond},
		{"31millis", 31 * time.Millisecond},
		{"300sec", 300 * time.Second},
		{"300secs", 300 * time.Second},
		{"50seconds", 50 * time.Second},
		{"1second", time.Second},
		{"12min", 12 * time.Minute},
		{"12mins", 12 * time.Minute},
		{"1minute", time.Minute},
		{"7minutes", 7 * time.Minute},
		{"7hr", 7 * time.Hour},
		{"7hrs", 7 * time.Hour},
		{"1hour", time.Hour},
		{"24hours", day},
		{"1day", day},
		{"2days", 2 * day},
		{"1week", 7 * day},
		{"7weeks", 49 * day},
		{"52w", 364 * day},
		{"1month", 2_630_016 * time.Second},
		{"3months", 3 * 2_630_016 * time.Second},
		{"12M", 31_560_192 * time.Second},
		{"1year", 31_557_600 * time.Second},
		{"17y", 536_479_200 * time.Second},
		{"20 min 17 nsec ", 20*time.Minute + 17},
		{"  5m", 5 * time.Minute},
		{"5 m", 5 * time.Minute},
		{"1h\t2m\n3s", time.Hour + 2*time.Minute + 3*time.Second},
		{"1500ms", 1500 * time.Millisecond},
		{"999999999ns 1ns", time.Second},
		{"1h 1h", 2 * time.Hour},
		{"292y", 292 * 31_557_600 * time.Second},
	} {
		got, err := ParseDuration(tc.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseDurationRejects(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"", "empty"},
		{"   ", "empty"},
		{"-5s", "negative"},
		{"5s -1s", "negative"},
		{"10", "time unit needed"},
		{"1h 30", "time unit needed"},
		{"5x", "unknown time unit"},
		{"5 lightyears", "unknown time unit"},
		{"5S", "unknown time unit"},
		{"5Ms", "unknown time unit"},
		{"1.5h", "invalid character"},
		{"5m!", "invalid character"},
		{"m5", "expected a number"},
		{"5m sec", "expected a number"},
		{"5uµs", "invalid character"},
		{"100000000000000000000s", "too large"},
		{"18446744073709551615h", "too large"},
		{"293y", "too large"},
		{"9223372037s", "too large"},
	} {
		_, err := ParseDuration(tc.in)
		if err == nil {
			t.Errorf("ParseDuration(%q) succeeded", tc.in)
			continue
		}
		if !errors.Is(err, ErrInvalidDuration) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseDuration(%q) = %v, want %q", tc.in, err, tc.msg)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{-time.Second, "0s"},
		{30 * time.Second, "30s"},
		{90 * time.Minute, "1h 30m"},
		{9420 * time.Second, "2h 37m"},
		{32 * time.Millisecond, "32ms"},
		{day, "1day"},
		{2*day + 3*time.Hour, "2days 3h"},
		{31_557_600 * time.Second, "1year"},
		{2*31_557_600*time.Second + 2_630_016*time.Second, "2years 1month"},
		{time.Second + 2*time.Millisecond + 3*time.Microsecond + 4, "1s 2ms 3us 4ns"},
	} {
		if got := FormatDuration(tc.in); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Whatever FormatDuration prints parses back to the same value.
	for d := time.Duration(0); d < 3*day; d += 7919 * time.Second {
		if got, err := ParseDuration(FormatDuration(d)); err != nil || got != d {
			t.Fatalf("%v -> %q -> %v, %v", d, FormatDuration(d), got, err)
		}
	}
}

func TestDurationKeepsText(t *testing.T) {
	var v struct {
		A Duration  `json:"a"`
		B *Duration `json:"b,omitempty"`
	}
	for _, in := range []string{`{"a":"5m"}`, `{"a":"1d","b":"1h30m"}`, `{"a":"90 min"}`, `{"a":"bogus"}`, `{"a":""}`} {
		v.A, v.B = Duration{}, nil
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if b, _ := Marshal(v); string(b) != in {
			t.Errorf("%s re-encoded as %s", in, b)
		}
	}
	d := DurationFromText("1d")
	if !d.Valid() || d.Std() != 24*time.Hour || d.String() != "1d" || d.Seconds() != 86400 || d.Err() != nil {
		t.Fatalf("1d: %+v", d)
	}
	bad := DurationFromText("ten minutes")
	if bad.Valid() || bad.Err() == nil || !errors.Is(bad.Err(), ErrInvalidDuration) || bad.String() != "ten minutes" {
		t.Fatalf("bad: %+v", bad)
	}
	if z := (Duration{}); z.String() != "0s" || !z.Valid() {
		t.Fatalf("zero Duration = %q", z.String())
	}
	if n := NewDuration(90 * time.Minute); n.String() != "1h 30m" || n.Std() != 90*time.Minute {
		t.Fatalf("NewDuration = %q", n.String())
	}
	// Durations parsed from the same text are equal with ==, others not.
	five, fiveAgain, six := DurationFromText("5m"), DurationFromText("5m"), DurationFromText("6m")
	if five != fiveAgain || five == six {
		t.Fatal("Duration values should compare by their text and value")
	}
	for _, in := range []string{`{"a":5}`, `{"a":true}`, `{"a":["5m"]}`} {
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("decoded %s", in)
		}
	}
	var txt Duration
	if err := txt.UnmarshalText([]byte("2h")); err != nil || txt.Std() != 2*time.Hour {
		t.Fatal("UnmarshalText")
	}
}
