package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

const softwareYAML = `id: inv-sw
version: "1"
execute: {shell: powershell, script: Get-Package, timeout: 5m}
inventory:
  display: [{field: os_build, label: Build}]
  explode:
    - field: apps
      table: inv_sw_apps
      primary_key: [name]
      columns:
        - {field: name, index: true}
        - {field: version, index: true}
        - {field: size_kb, type: integer}
      track_history: true
  history_scalars: [os_build]
`

// publishInventory sends one probe result for pc straight to RESULTS.
func (e *env) publishInventory(id, pc string, at time.Time, stdout string) {
	e.t.Helper()
	job := "inv-sw"
	r := wire.ExecResult{ResultID: id, RequestID: "req-" + id, PCID: pc, ExitCode: 0, Stdout: stdout, StartedAt: at.Add(-time.Second), FinishedAt: at, ManifestID: &job}
	b, err := wire.Marshal(r)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.js.Publish(context.Background(), "results."+id, b); err != nil {
		e.t.Fatal(err)
	}
}

func swFacts(build string, apps ...string) string {
	var rows []string
	for _, a := range apps {
		f := strings.Split(a, ":") // name:version:size
		rows = append(rows, fmt.Sprintf(`{"name":%q,"version":%q,"size_kb":%s}`, f[0], f[1], f[2]))
	}
	return `{"os_build":"` + build + `","apps":[` + strings.Join(rows, ",") + `]}`
}

func TestInventorySearchAndHistoryRoutes(t *testing.T) {
	e := newEnv(t, 0)
	if r := e.do("POST", "/api/jobs", "application/yaml", softwareYAML, "X-Kanade-Source", "cli"); r.status != 200 {
		t.Fatalf("upsert: %d %s", r.status, r.body)
	}
	t1 := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	e.waitFor("the explode table", func() bool {
		var n int
		e.c.Store().Reader().QueryRow("SELECT count(*) FROM inventory_explode_specs WHERE table_name = 'inv_sw_apps'").Scan(&n)
		return n == 1
	})
	e.publishInventory("a1", "P1", t1, swFacts("100", "Chrome:120:100", "Git:2.40:50"))
	e.publishInventory("a2", "P2", t1, swFacts("100", "Chrome:119:90", "Zoom:5.1:300"))
	e.publishInventory("a3", "P3", t1, swFacts("101", "Chrome:121:110", "Git:2.41:55", "7zip:23:10"))
	e.waitFor("7 explode rows", func() bool {
		var n int
		e.c.Store().Reader().QueryRow("SELECT count(*) FROM inv_sw_apps").Scan(&n)
		return n == 7
	})

	// The probe lists its explode spec.
	var jobs []map[string]any
	e.get("/api/inventory/jobs").json(t, &jobs)
	if len(jobs) != 1 || jobs[0]["explode"] == nil || fmt.Sprint(jobs[0]["history_scalars"]) != "[os_build]" || jobs[0]["pc_count"] != float64(3) {
		t.Fatalf("inventory jobs: %v", jobs)
	}

	search := func(q string) ([]store.ExplodeRow, string) {
		t.Helper()
		r := e.get("/api/inventory/inv-sw/search/apps?" + q)
		if r.status != 200 {
			t.Fatalf("search %s: %d %s", q, r.status, r.body)
		}
		var rows []store.ExplodeRow
		r.json(t, &rows)
		return rows, r.header.Get("X-Total-Count")
	}
	hits := func(rows []store.ExplodeRow) string {
		var out []string
		for _, r := range rows {
			out = append(out, fmt.Sprintf("%v:%v:%v", r["pc_id"], r["name"], r["version"]))
		}
		return strings.Join(out, " ")
	}
	cases := []struct{ q, want, total string }{
		{"", "P1:Chrome:120 P1:Git:2.40 P2:Chrome:119 P2:Zoom:5.1 P3:7zip:23 P3:Chrome:121 P3:Git:2.41", "7"},
		{"name=Chrome", "P2:Chrome:119 P1:Chrome:120 P3:Chrome:121", "3"}, // index order: by version
		{"name=Chrome&pc_id=P1", "P1:Chrome:120", "1"},
		{"name__eq=Chrome&version__lt=120", "P2:Chrome:119", "1"},
		{"name__prefix=G", "P1:Git:2.40 P3:Git:2.41", "2"},
		{"name__prefix=g", "", "0"}, // prefix is case-sensitive (an index range)
		{"name__contains=o", "P1:Chrome:120 P2:Chrome:119 P2:Zoom:5.1 P3:Chrome:121", "4"},
		{"name__suffix=ZIP", "P3:7zip:23", "1"}, // LIKE: ASCII case-insensitive
		{"size_kb__ge=100", "P1:Chrome:120 P2:Zoom:5.1 P3:Chrome:121", "3"},
		{"size_kb__gt=9&size_kb__lt=60", "P1:Git:2.40 P3:7zip:23 P3:Git:2.41", "3"},
		{"name__ne=Chrome&pc_id=P3", "P3:7zip:23 P3:Git:2.41", "2"},
		{"name=Chrome&limit=1&offset=1", "P1:Chrome:120", "3"},
		{"version__ge=2.41", "P3:Git:2.41 P3:7zip:23 P2:Zoom:5.1", "3"}, // by version (text)
		{"name=100%25", "", "0"},                                        // wildcards are data
	}
	for _, c := range cases {
		rows, total := search(c.q)
		if got := hits(rows); got != c.want || total != c.total {
			t.Errorf("search %q = %q (total %s), want %q (total %s)", c.q, got, total, c.want, c.total)
		}
	}
	// Typed values: integer columns are numbers, text are strings.
	rows, _ := search("name=7zip")
	if b, _ := json.Marshal(rows[0]); !strings.Contains(string(b), `"size_kb":10,`) || !strings.Contains(string(b), `"collected_at":"2026-06-01T10:00:00Z"`) || !strings.Contains(string(b), `"@account_user":null`) {
		t.Errorf("row shape: %s", b)
	}

	errs := []struct {
		path   string
		status int
		msg    string
	}{
		{"/api/inventory/inv-sw/search/apps?nope=1", 400, `unknown column for filter: \"nope\"`},
		{"/api/inventory/inv-sw/search/apps?name__zz=1", 400, `unknown filter operator \"zz\"`},
		{"/api/inventory/inv-sw/search/apps?limit=0", 400, "limit"},
		{"/api/inventory/inv-sw/search/disks", 404, `no explode field \"disks\"`},
		{"/api/inventory/nope/search/apps", 404, "not registered"},
		{"/api/inventory/inv-sw/history/search?kind=gone", 400, "kind must be"},
		{"/api/inventory/inv-sw/history/search?since=yesterday", 400, "since must be"},
		{"/api/inventory/inv-sw/history/first_seen?identity.a-b=1", 400, "identity key"},
		{"/api/inventory/inv-sw/history/pc/P1?limit=-1", 400, "limit"},
	}
	for _, c := range errs {
		if r := e.get(c.path); r.status != c.status || !strings.Contains(r.body, c.msg) {
			t.Errorf("GET %s = %d %s, want %d with %q", c.path, r.status, r.body, c.status, c.msg)
		}
	}

	// A newer collection on P1: Chrome updated, Git removed, os_build changed.
	t2 := t1.Add(time.Hour)
	e.publishInventory("b1", "P1", t2, swFacts("102", "Chrome:121:100"))
	e.waitFor("P1's update", func() bool { rows, _ := search("pc_id=P1"); return hits(rows) == "P1:Chrome:121" })
	// And the same again: no new history.
	e.publishInventory("c1", "P1", t2.Add(time.Hour), swFacts("102", "Chrome:121:100"))
	e.waitFor("P1's re-collection", func() bool {
		rows, _ := search("pc_id=P1")
		return len(rows) == 1 && rows[0]["collected_at"] == "2026-06-01T12:00:00Z"
	})

	history := func(path string) ([]store.HistoryRow, string) {
		t.Helper()
		r := e.get(path)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var rows []store.HistoryRow
		r.json(t, &rows)
		return rows, r.header.Get("X-Total-Count")
	}
	kinds := func(rows []store.HistoryRow) string {
		var out []string
		for _, r := range rows {
			id := ""
			if r.IdentityJSON != nil {
				id = *r.IdentityJSON
			}
			out = append(out, r.PCID+" "+r.FieldPath+" "+r.ChangeKind+" "+id)
		}
		return strings.Join(out, "\n")
	}
	rowsP1, total := history("/api/inventory/inv-sw/history/pc/P1")
	// Newest first; within one collection the last written first.
	want := `P1 os_build changed 
P1 apps removed {"name":"Git"}
P1 apps changed {"name":"Chrome"}
P1 os_build added 
P1 apps added {"name":"Git"}
P1 apps added {"name":"Chrome"}`
	if got := kinds(rowsP1); got != want || total != "6" {
		t.Fatalf("P1 history (total %s):\n%s\nwant\n%s", total, got, want)
	}
	if r := rowsP1[2]; r.BeforeJSON == nil || *r.BeforeJSON != `{"name":"Chrome","version":"120","size_kb":100}` || !r.ObservedAt.Equal(t2) {
		t.Errorf("changed row: %+v", r)
	}
	if r := rowsP1[0]; *r.BeforeJSON != `{"value":"100"}` || *r.AfterJSON != `{"value":"102"}` {
		t.Errorf("scalar row: %s -> %s", *r.BeforeJSON, *r.AfterJSON)
	}
	if rows, _ := history("/api/inventory/inv-sw/history/pc/P1?field=apps&since=2026-06-01T10:30:00Z"); kinds(rows) != "P1 apps removed {\"name\":\"Git\"}\nP1 apps changed {\"name\":\"Chrome\"}" {
		t.Errorf("since/field: %s", kinds(rows))
	}
	if rows, total := history("/api/inventory/inv-sw/history/search?kind=added&field=apps&identity.name=Chrome&limit=2"); len(rows) != 2 || total != "3" {
		t.Errorf("fleet search: %s (total %s)", kinds(rows), total)
	}
	if rows, _ := history("/api/inventory/inv-sw/history/search?until=2026-06-01T10:30:00Z&kind=changed"); len(rows) != 0 {
		t.Errorf("until: %s", kinds(rows))
	}
	r := e.get("/api/inventory/inv-sw/history/first_seen?field=apps&identity.name=" + url.QueryEscape("Git"))
	if r.status != 200 || r.body != `[{"pc_id":"P1","first_seen_at":"2026-06-01T10:00:00Z"},{"pc_id":"P3","first_seen_at":"2026-06-01T10:00:00Z"}]`+"\n" {
		t.Errorf("first_seen: %d %s", r.status, r.body)
	}
}

// Without the jobs bucket the probe list is 503 (kanade's answer), not an
// empty list that would read as "no probes"; /api/jobs keeps 0.29's empty
// list.
func TestInventoryJobsWithoutTheJobsBucket(t *testing.T) {
	e := newEnv(t, 0)
	if err := e.js.DeleteKeyValue(context.Background(), wire.BucketJobs); err != nil {
		t.Fatal(err)
	}
	e.expect(e.get("/api/inventory/jobs"), 503, `"error"`)
	e.expect(e.get("/api/jobs"), 200, `[]`)
}
