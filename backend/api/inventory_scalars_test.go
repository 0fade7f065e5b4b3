package api

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

const hardwareYAML = `id: inv-hw
version: "1"
execute: {shell: powershell, script: Get-CimInstance, timeout: 5m}
inventory:
  display:
    - {field: hostname, label: Host}
    - {field: ram, label: RAM, type: bytes}
    - {field: cores, label: Cores, type: number}
    - {field: disks, label: Disks, type: table}
`

const tableOnlyYAML = `id: inv-tables
version: "1"
execute: {shell: powershell, script: Get-Volume, timeout: 5m}
inventory:
  display: [{field: volumes, label: Volumes, type: table}]
`

// TestInventoryScalarSearchRoute: GET /api/inventory/{id}/search-scalars
// (kanade #574) filters a probe's PCs by its scalar display fields; bytes
// and number fields compare as numbers (8 GiB < 16 GiB, which text would
// order the other way), a table field is not searchable.
func TestInventoryScalarSearchRoute(t *testing.T) {
	e := newEnv(t, 0)
	for _, y := range []string{hardwareYAML, tableOnlyYAML} {
		if r := e.do("POST", "/api/jobs", "application/yaml", y, "X-Kanade-Source", "cli"); r.status != 200 {
			t.Fatalf("upsert: %d %s", r.status, r.body)
		}
	}
	e.waitFor("the jobs in the catalog", func() bool {
		var n int
		e.c.Store().Reader().QueryRow("SELECT count(*) FROM jobs WHERE job_id IN ('inv-hw', 'inv-tables')").Scan(&n)
		return n == 2
	})
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	hw := func(id, pc, host string, ram int64, cores int) {
		stdout := fmt.Sprintf(`{"hostname":%q,"ram":%d,"cores":%d,"disks":[{"id":"C:"}]}`, host, ram, cores)
		job := "inv-hw"
		r := wire.ExecResult{ResultID: id, RequestID: "req-" + id, PCID: pc, ExitCode: 0, Stdout: stdout, StartedAt: at.Add(-time.Second), FinishedAt: at, ManifestID: &job}
		b, err := wire.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.js.Publish(context.Background(), "results."+id, b); err != nil {
			t.Fatal(err)
		}
	}
	hw("h1", "P1", "desk-01", 8<<30, 4)
	hw("h2", "P2", "desk-02", 16<<30, 8)
	hw("h3", "P3", "lab-01", 32<<30, 16)
	e.waitFor("3 inventory rows", func() bool {
		var n int
		e.c.Store().Reader().QueryRow("SELECT count(*) FROM inventory_facts WHERE job_id = 'inv-hw'").Scan(&n)
		return n == 3
	})

	search := func(q string) (string, string) {
		t.Helper()
		r := e.get("/api/inventory/inv-hw/search-scalars?" + q)
		if r.status != 200 {
			t.Fatalf("search-scalars %s: %d %s", q, r.status, r.body)
		}
		var rows []store.ExplodeRow
		r.json(t, &rows)
		var out []string
		for _, row := range rows {
			if _, ok := row["@account_user"]; !ok || row["collected_at"] == nil {
				t.Fatalf("row shape: %v", row)
			}
			if _, ok := row["disks"]; ok {
				t.Fatalf("a table field in a scalar row: %v", row)
			}
			out = append(out, fmt.Sprintf("%v:%v:%v", row["pc_id"], row["hostname"], row["cores"]))
		}
		return strings.Join(out, " "), r.header.Get("X-Total-Count")
	}
	cases := []struct{ q, want, total string }{
		{"", "P1:desk-01:4 P2:desk-02:8 P3:lab-01:16", "3"},
		{"hostname=desk-02", "P2:desk-02:8", "1"},
		{"hostname__prefix=desk", "P1:desk-01:4 P2:desk-02:8", "2"},
		{"hostname__suffix=-01", "P1:desk-01:4 P3:lab-01:16", "2"},
		{fmt.Sprintf("ram__gt=%d", 8<<30), "P2:desk-02:8 P3:lab-01:16", "2"},
		{"ram__lt=17179869185", "P1:desk-01:4 P2:desk-02:8", "2"},
		{"cores__ge=8&cores__le=8", "P2:desk-02:8", "1"},
		{"cores=16", "P3:lab-01:16", "1"},
		{"cores__ne=4&pc_id__prefix=P", "P2:desk-02:8 P3:lab-01:16", "2"},
		{"limit=1&offset=1", "P2:desk-02:8", "3"},
	}
	for _, c := range cases {
		if got, total := search(c.q); got != c.want || total != c.total {
			t.Errorf("?%s: %q (total %s), want %q (total %s)", c.q, got, total, c.want, c.total)
		}
	}

	for _, c := range []struct {
		path   string
		status int
		msg    string
	}{
		{"/api/inventory/inv-hw/search-scalars?disks=x", 400, `unknown column for filter: \"disks\"`},
		{"/api/inventory/inv-hw/search-scalars?ram__gt=lots", 400, `must be a number`},
		{"/api/inventory/inv-hw/search-scalars?cores__between=1", 400, `unknown filter operator \"between\"`},
		{"/api/inventory/inv-hw/search-scalars?limit=0", 400, "limit"},
		{"/api/inventory/inv-tables/search-scalars", 404, "no scalar display fields"},
		{"/api/inventory/nope/search-scalars", 404, "not registered"},
		// The literal by-job wins over the wildcard, as in kanade's router;
		// another last segment is no route at all.
		{"/api/inventory/by-job/search-scalars", 200, `"manifest_id":"search-scalars"`},
		{"/api/inventory/inv-hw/search-scalarz", 404, "no such API route"},
	} {
		r := e.get(c.path)
		if r.status != c.status || !strings.Contains(r.body, c.msg) {
			t.Errorf("%s: %d %s, want %d with %q", c.path, r.status, r.body, c.status, c.msg)
		}
	}
}
