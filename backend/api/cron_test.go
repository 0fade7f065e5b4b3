package api

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/wire"
)

func (e *env) kvPut(bucket, key, value string) {
	e.t.Helper()
	kv, err := e.js.KeyValue(context.Background(), bucket)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := kv.Put(context.Background(), key, []byte(value)); err != nil {
		e.t.Fatal(err)
	}
}

func scheduleBody(id, cron string) string {
	c, _ := wire.Marshal(cron)
	return `{"id":"` + id + `","cron":` + string(c) + `,"job_id":"inventory-hw","target":{"all":true}}`
}

// Issue 16 item 1: these crons panicked the handler (empty reply) or fired
// every second; each is now a 400 that says why.
func TestCronInputsAreRefusedWithA400(t *testing.T) {
	e := newEnv(t, 0)
	e.expect(e.postJSON("/api/jobs", jobJSON), 200)
	cases := []struct{ cron, why string }{
		{"TZ=UTC", "time zone"},
		{"TZ=", "time zone"},
		{"CRON_TZ=Europe/Berlin", "time zone"},
		{"TZ=UTC 0 0 * * * *", "time zone"},
		{"@every 0s", "at least 1s"},
		{"@every -5s", "at least 1s"},
		{"0 0 0 31 4 *", "never fires"},
		{"0 0 3 1 1 * 2020", "never fires"},
		{"0 0 3 1 1 * 3000", "outside"},
	}
	for _, tc := range cases {
		e.expect(e.get("/api/cron/next?cron="+url.QueryEscape(tc.cron)), 400, tc.why)
		e.expect(e.postJSON("/api/schedules", scheduleBody("bad", tc.cron)), 400, tc.why)
		yml := "id: bad\ncron: \"" + tc.cron + "\"\njob_id: inventory-hw\ntarget: { all: true }\n"
		e.expect(e.do("POST", "/api/schedules", "application/yaml", yml), 400, tc.why)
	}
	if v := e.kvGet(wire.BucketSchedules, "bad"); v != "" {
		t.Fatalf("a refused schedule was stored: %s", v)
	}
}

// Issue 11 item 2: the optional 7th (year) field is stored, listed with its
// next fire time and previewed.
func TestSevenFieldCronOverHTTP(t *testing.T) {
	e := newEnv(t, 0)
	e.expect(e.postJSON("/api/jobs", jobJSON), 200)
	e.expect(e.postJSON("/api/schedules", scheduleBody("y2099", "0 0 3 1 1 * 2099")), 200, `"cron":"0 0 3 1 1 * 2099"`)
	e.expect(e.get("/api/schedules"), 200, `"cron":"0 0 3 1 1 * 2099"`, `"next_fire":"2099-01-01T03:00:00Z"`)
	var next struct{ Next []string }
	r := e.get("/api/cron/next?n=3&cron=" + url.QueryEscape("0 0 3 1 1 * 2099"))
	e.expect(r, 200)
	r.json(t, &next)
	if len(next.Next) != 1 || next.Next[0] != "2099-01-01T03:00:00Z" {
		t.Fatalf("preview = %s", r.body)
	}
	e.expect(e.get("/api/cron/next?n=2&cron="+url.QueryEscape("0 0 3 1 1 * 2098-2099")), 200, "2098-01-01T03:00:00Z", "2099-01-01T03:00:00Z")
}

// Issue 11 item 3: a newer kanade's keys survive listing, exec and re-saves
// through the API (as the 0.29 CLI sends them and as listed items echoed
// back); the listing's own keys are never stored.
func TestNewerKanadeKeysSurviveAPIResaves(t *testing.T) {
	e := newEnv(t, 0)
	e.kvPut(wire.BucketJobs, "inventory-hw", strings.TrimSuffix(jobJSON, "}")+`,"tags":["hw"]}`)
	e.expect(e.get("/api/jobs"), 200, `"tags":["hw"]`)
	e.expect(e.postJSON("/api/exec/inventory-hw", `{"target":{"all":true}}`), 200, `"exec_id"`)
	e.expect(e.postJSON("/api/jobs", jobJSON), 200)
	if v := e.kvGet(wire.BucketJobs, "inventory-hw"); !strings.Contains(v, `"tags":["hw"]`) {
		t.Fatalf("job re-save stripped tags: %s", v)
	}
	e.expect(e.postJSON("/api/jobs", strings.TrimSuffix(jobJSON, "}")+`,"tags":["hw","x"]}`), 200)
	if v := e.kvGet(wire.BucketJobs, "inventory-hw"); !strings.Contains(v, `"tags":["hw","x"]`) {
		t.Fatalf("job re-save with tags: %s", v)
	}
	e.expect(e.postJSON("/api/jobs", strings.TrimSuffix(jobJSON, "}")+`,"owner":"me"}`), 422, "owner", "unknown field")

	e.kvPut(wire.BucketSchedules, "nightly", `{"id":"nightly","cron":"0 0 3 * * *","job_id":"inventory-hw","target":{"all":true},"tz":"utc","tags":["a"]}`)
	r := e.get("/api/schedules")
	e.expect(r, 200, `"tz":"utc"`, `"next_fire":`)
	var items []map[string]any
	r.json(t, &items)
	echo, _ := wire.Marshal(items[0])
	e.expect(e.postJSON("/api/schedules", string(echo)), 200) // the listed item, sent back
	e.expect(e.postJSON("/api/schedules", scheduleBody("nightly", "0 0 4 * * *")), 200)
	v := e.kvGet(wire.BucketSchedules, "nightly")
	if !strings.Contains(v, `"tz":"utc"`) || !strings.Contains(v, `"tags":["a"]`) || strings.Contains(v, "next_fire") || !strings.Contains(v, `"0 0 4 * * *"`) {
		t.Fatalf("schedule after re-saves: %s", v)
	}
	e.expect(e.do("POST", "/api/schedules/nightly/disable", "", ""), 204)
	if v := e.kvGet(wire.BucketSchedules, "nightly"); !strings.Contains(v, `"tz":"utc"`) || !strings.Contains(v, `"enabled":false`) {
		t.Fatalf("schedule after disable: %s", v)
	}
}

// Issue 16 item 8: garbage in the jobs or schedules bucket is a listed,
// explained item, not a 500; a `when:` schedule is listed unsupported.
func TestUnreadableKVValuesAreListedNot500(t *testing.T) {
	e := newEnv(t, 0)
	e.expect(e.postJSON("/api/jobs", jobJSON), 200)
	e.kvPut(wire.BucketJobs, "garbage", "\xff\x00garbage")
	e.kvPut(wire.BucketJobs, "typed", `{"id":"typed","version":5,"execute":[]}`)
	e.kvPut(wire.BucketSchedules, "junk", "not json at all")
	e.kvPut(wire.BucketSchedules, "when", `{"id":"when","when":{"per_target":{"every":"6h"}},"job_id":"inventory-hw","target":{"all":true}}`)
	e.kvPut(wire.BucketSchedules, "tz", scheduleBody("tz", "TZ=UTC"))
	e.expect(e.get("/api/jobs"), 200, `"id":"garbage","supported":false,"reason":"unreadable job`, `"id":"typed"`, `"id":"inventory-hw"`)
	e.expect(e.get("/api/inventory/jobs"), 200)
	e.expect(e.postJSON("/api/exec/typed", `{"target":{"all":true}}`), 409, "cannot be used")
	e.expect(e.get("/api/schedules"), 200, `"id":"junk","supported":false`, `"when":{"per_target"`, "`when:`", `"cron":"TZ=UTC"`, "time zone")
	e.waitFor("status lists them", func() bool {
		r := e.get("/api/status")
		return strings.Contains(r.body, `"id":"when"`) && strings.Contains(r.body, `"id":"tz"`) && strings.Contains(r.body, `"supported":false`)
	})
	e.expect(e.do("POST", "/api/schedules/junk/disable", "", ""), 409, "not a JSON object")
	e.expect(e.do("DELETE", "/api/schedules/junk", "", ""), 204)
}
