package wire

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// decodeT decodes s into a fresh T and fails the test on error.
func decodeT[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %T: %v\ninput: %s", v, err, s)
	}
	return v
}

// encodeT encodes v with Marshal and fails the test on error.
func encodeT(t *testing.T, v any) string {
	t.Helper()
	b, err := Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return string(b)
}

// roundTrip decodes s as T, re-encodes it and requires identical bytes.
func roundTrip[T any](t *testing.T, s string) T {
	t.Helper()
	v := decodeT[T](t, s)
	if got := encodeT(t, v); got != s {
		t.Fatalf("%T round trip differs\n got: %s\nwant: %s", v, got, s)
	}
	return v
}

// decodeErr requires decoding s as T to fail with an error matching target.
func decodeErr[T any](t *testing.T, s string, target error) error {
	t.Helper()
	var v T
	err := json.Unmarshal([]byte(s), &v)
	if err == nil {
		t.Fatalf("decode %T succeeded, want error\ninput: %s", v, s)
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("decode %T: error %q does not match %v", v, err, target)
	}
	return err
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }
