package wire

import (
	"encoding/json"
	"testing"
)

// reencodeStable checks that whatever decodes re-encodes to bytes that
// decode again to the same encoding (no panics, no lossy round trips).
func reencodeStable[T any](t *testing.T, data []byte) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return
	}
	b1, err := Marshal(v)
	if err != nil {
		t.Fatalf("decoded %q but cannot encode: %v", data, err)
	}
	var w T
	if err := json.Unmarshal(b1, &w); err != nil {
		t.Fatalf("re-encoded %s does not decode: %v", b1, err)
	}
	b2, err := Marshal(w)
	if err != nil || string(b1) != string(b2) {
		t.Fatalf("unstable encoding:\n%s\n%s (%v)", b1, b2, err)
	}
}

func FuzzDecodeCommand(f *testing.F) {
	for _, s := range []string{
		goldenCommand, goldenAdhoc,
		`{"id":"a","version":"1","request_id":"r","job_id":"j","shell":"cmd","script":"dir","timeout_secs":5}`,
		`{"id":"a","version":"1","request_id":"r","shell":"cmd","script":"s","timeout_secs":1,"staleness":{"mode":"strict","max_cache_age":"x"},"deadline_at":"2026-05-20T12:14:15.5+09:00"}`,
		`{}`, `null`, `[]`, `{"id":"a","id":"b"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { reencodeStable[Command](t, data) })
}

func FuzzDecodeExecResult(f *testing.F) {
	for _, s := range []string{
		goldenResult,
		`{"request_id":"r","pc_id":"x","exit_code":0,"stdout":"","stderr":"","started_at":"2026-05-16T00:00:00Z","finished_at":"2026-05-16T00:00:00Z"}`,
		`{"request_id":"r","pc_id":"x","exit_code":-1,"stdout":"\u00e9<&>","stderr":"\u2028","started_at":"2026-05-16T00:00:00.123456789-01:00","finished_at":"2026-05-16T00:00:00Z"}`,
		`{"exit_code":1e3}`, `""`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reencodeStable[ExecResult](t, data)
		var r ExecResult
		if json.Unmarshal(data, &r) == nil && len(r.StableResultID()) == 0 {
			t.Fatal("empty stable id")
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "1h 30m", "1h30m", "1d", "500ms", "0s", "163µs", "-1s", "", "1 0 s", "18446744073709551615ns", "5µ", "µs", "1h\u00a02m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if DurationFromText(s).Valid() {
				t.Fatal("Duration valid but ParseDuration failed")
			}
			return
		}
		if d < 0 {
			t.Fatalf("negative duration %v from %q", d, s)
		}
		back, err := ParseDuration(FormatDuration(d))
		if err != nil || back != d {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, d, FormatDuration(d), back, err)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-05-20T03:14:15Z", "2026-05-20T12:14:15.926535800+09:00", "2026-05-20 03:14:15z", "9999-12-31T23:59:59-01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime(s)
		if err != nil {
			return
		}
		back, err := ParseTime(FormatTime(tm))
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%q -> %s -> %v, %v", s, FormatTime(tm), back, err)
		}
		if st, err := ParseTime(FormatStoreTime(tm)); err != nil || !st.Equal(tm) || len(FormatStoreTime(tm)) != len(StoreTimeLayout) {
			t.Fatalf("store time round trip %q: %v", s, err)
		}
	})
}

func FuzzParseManifestYAML(f *testing.F) {
	f.Add([]byte(goldenManifestYAML))
	f.Add([]byte(goldenScheduleYAML))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := ParseManifestYAML(data); err == nil {
			if _, err := Marshal(m); err != nil {
				t.Fatalf("decoded manifest cannot encode: %v", err)
			}
		}
		_, _ = ParseScheduleYAML(data)
	})
}

func FuzzDecodeJobTailReply(f *testing.F) {
	for _, s := range []string{
		`{"found":true,"running":true,"stdout":"a\n","stderr":"","stdout_truncated":true,"stderr_truncated":false}`,
		`{}`, `{"found":false}`, `{"found":null}`, `{"stdout":"\u00e9\ud800"}`, `[]`, `null`, `{"found":true,"found":true}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reencodeStable[JobTailReply](t, data)
		_, _ = DecodeJobTailReply(data)
	})
}
