package scheduler

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

var fuzzFrom = time.Date(2026, 12, 31, 23, 59, 58, 0, time.UTC)

// FuzzParseCron: no expression panics or hangs the one cron parser, and
// what it accepts yields increasing fire times inside its year field.
func FuzzParseCron(f *testing.F) {
	for _, s := range []string{
		"TZ=UTC", "TZ=", "CRON_TZ=Europe/Berlin", "CRON_TZ=UTC 0 0 * * * *", "@every 0s", "@every -5s", "@every 1h",
		"0 0 0 31 4 *", "0 0 3 1 1 * 2099", "*/1 * * * * *", "0 0 0 29 2 1 2028-2099/3", "* * * * * * */7,2031",
		"0 30 9 * * MON-FRI", "@hourly", "1-2/0 * * * * *", "0 0 * * * * 1970-2099", "? ? ? ? ? ? ?",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := ParseCron(expr)
		if err != nil {
			return
		}
		prev := fuzzFrom
		for _, n := range c.NextTimes(fuzzFrom, 5) {
			if !n.After(prev) || !c.InYear(n.Year()) {
				t.Fatalf("%q: fire time %v after %v (years ok: %v)", expr, n, prev, c.InYear(n.Year()))
			}
			prev = n
		}
		_, _ = CheckRunnable(expr, fuzzFrom)
		_ = dueTime(c, fuzzFrom)
	})
}

// FuzzScheduleEntry: every way a schedule enters the console — a KV value
// (a peer or any NATS client wrote it), an HTTP JSON body, a YAML body —
// is read without a panic, and what is listed or written back is JSON that
// reads back the same way.
func FuzzScheduleEntry(f *testing.F) {
	for _, s := range []string{
		`{"id":"x","cron":"TZ=UTC","job_id":"j","target":{"all":true}}`,
		`{"id":"w","when":{"per_pc":"once"},"job_id":"j","target":{"all":true}}`,
		`{"id":"y","cron":"0 0 3 1 1 * 2099","job_id":"j","target":{"groups":["g"]},"mode":"once_per_target","tags":["a"],"enabled":false}`,
		`{"id":"a","cron":"*/1 * * * * *","job_id":"j","runs_on":"agent","x":{"y":[1,2,{"z":null}]}}`,
		"id: s\ncron: \"@every 0s\"\njob_id: j\ntarget: { all: true }\nfuture: [1, 2]\n",
		`{"id":"d","id":"e","cron":"x","job_id":"j"}`, `not json`, `[]`, `null`, "\xff", `{"cron":5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkListed(t, ReadStored("k", data)) // KV
		var sch wire.Schedule
		if json.Unmarshal(data, &sch) == nil { // HTTP JSON body, then what Upsert checks
			if sch.Validate() == nil {
				_, _ = CheckRunnable(sch.Cron, fuzzFrom)
			}
			b, err := wire.Marshal(sch)
			if err != nil {
				t.Fatalf("decoded schedule does not encode: %v", err)
			}
			checkListed(t, ReadStored("k", b))
			patched, err := wire.SetFields(b, wire.Extra{{Key: "enabled", Value: json.RawMessage("false")}}, true)
			if err != nil || !json.Valid(patched) {
				t.Fatalf("enabled patch of %s: %s, %v", b, patched, err)
			}
		}
		if y, err := wire.ParseScheduleYAML(data); err == nil { // YAML body
			b, err := wire.Marshal(y)
			if err != nil {
				t.Fatalf("YAML schedule does not encode: %v", err)
			}
			checkListed(t, ReadStored("k", b))
		}
	})
}

func checkListed(t *testing.T, st Stored) {
	t.Helper()
	if !st.Supported && st.Reason == "" {
		t.Fatalf("unsupported without a reason: %q", st.Raw)
	}
	l := Listed{Stored: st}
	if st.Cron != nil {
		if n := st.Cron.Next(fuzzFrom); !n.IsZero() {
			l.NextFire = &n
		}
	}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatalf("listing %q: %v", st.Raw, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m["id"] == nil {
		t.Fatalf("listed %q as %s: %v", st.Raw, b, err)
	}
	if (m["supported"] == false) == st.Supported {
		t.Fatalf("listed %q as %s", st.Raw, b)
	}
}
