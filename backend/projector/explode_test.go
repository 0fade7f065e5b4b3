package projector

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

const swSpec = `{"field":"apps","table":"inventory_sw_apps","primary_key":["name","source"],"columns":[{"field":"name","type":"text","index":true},{"field":"source"},{"field":"version","index":true},{"field":"size_kb","type":"integer"}],"track_history":true}`

func swManifest(explode string) string {
	return `{"id":"inventory-sw","version":"1","description":null,"execute":{"shell":"powershell","script":"x","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":{"display":[{"field":"os_build","label":"Build"}],"explode":[` + explode + `],"history_scalars":["os_build"]},"staleness":{"mode":"cached"}}`
}

func swResult(id, pc string, at time.Time, stdout string) wire.ExecResult {
	r := result(id, "req-"+id, pc, nil, 0)
	r.Stdout, r.FinishedAt, r.ManifestID = stdout, at, strp("inventory-sw")
	return r
}

func apps(build string, list ...string) string {
	return `{"os_build":"` + build + `","apps":[` + strings.Join(list, ",") + `]}`
}

func app(name, version string, size int) string {
	return fmt.Sprintf(`{"name":%q,"source":"msi","version":%q,"size_kb":%d,"publisher":"P-%s"}`, name, version, size, name)
}

// rowsOf lists a PC's explode rows as "name=version" in name order.
func rowsOf(t *testing.T, st *store.Store, pc string) string {
	t.Helper()
	r, err := st.Reader().Query(`SELECT name, version FROM inventory_sw_apps WHERE pc_id = ? ORDER BY name`, pc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		var n, v string
		if err := r.Scan(&n, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, n+"="+v)
	}
	return strings.Join(out, " ")
}

func history(t *testing.T, st *store.Store, pc string) string {
	t.Helper()
	r, err := st.Reader().Query(`SELECT field_path, change_kind, coalesce(identity_json, ''), coalesce(before_json, ''), coalesce(after_json, '') FROM inventory_history WHERE pc_id = ? ORDER BY id`, pc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		var f, k, id, b, a string
		if err := r.Scan(&f, &k, &id, &b, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, f+" "+k+" "+id+" "+b+" "+a)
	}
	return strings.Join(out, "\n")
}

func TestExplodeTables(t *testing.T) {
	n := newNATS(t)
	st := newStore(t)
	ctx := context.Background()
	kv, _ := n.js.KeyValue(ctx, wire.BucketJobs)
	if _, err := kv.Put(ctx, "inventory-sw", []byte(swManifest(swSpec))); err != nil {
		t.Fatal(err)
	}
	startConsole(t, n, st)

	// The spec created the table and its two indexes.
	testutil.WaitFor(t, patience, testutil.Cond("the explode table", func() bool {
		return count(t, st.Reader(), `SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'inventory_sw_apps'`) == 3
	}))
	if got := count(t, st.Reader(), `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('idx_inventory_sw_apps_name', 'idx_inventory_sw_apps_version')`); got != 2 {
		t.Fatalf("indexes = %d, want 2", got)
	}

	// First collection.
	publish(t, n, "results.1", swResult("1", "PC-1", t0.Add(time.Hour), apps("100", app("A", "1", 10), app("B", "1", 20), app("A", "dup", 1))))
	testutil.WaitFor(t, patience, testutil.Cond("PC-1's rows", func() bool { return rowsOf(t, st, "PC-1") == "A=1 B=1" }))
	want := `apps added {"name":"A","source":"msi"}  ` + app("A", "1", 10) + `
apps added {"name":"B","source":"msi"}  ` + app("B", "1", 20) + `
os_build added   {"value":"100"}`
	if got := history(t, st, "PC-1"); got != want {
		t.Fatalf("history after the first collection:\n%s\nwant\n%s", got, want)
	}

	// An older collection (redelivered late) changes nothing; PC-2's
	// result after it shows it was projected.
	publish(t, n, "results.2", swResult("2", "PC-1", t0.Add(30*time.Minute), apps("99", app("Z", "1", 1))))
	publish(t, n, "results.3", swResult("3", "PC-2", t0.Add(time.Hour), apps("100", app("A", "1", 10))))
	testutil.WaitFor(t, patience, testutil.Cond("PC-2's rows", func() bool { return rowsOf(t, st, "PC-2") == "A=1" }))
	if got := rowsOf(t, st, "PC-1"); got != "A=1 B=1" {
		t.Fatalf("an older collection overwrote the rows: %s", got)
	}

	// A newer collection replaces the rows; history has one event per change.
	publish(t, n, "results.4", swResult("4", "PC-1", t0.Add(2*time.Hour), apps("100", app("A", "2", 10), app("C", "1", 5))))
	testutil.WaitFor(t, patience, testutil.Cond("PC-1's new rows", func() bool { return rowsOf(t, st, "PC-1") == "A=2 C=1" }))
	want += `
apps changed {"name":"A","source":"msi"} {"name":"A","source":"msi","version":"1","size_kb":10} ` + app("A", "2", 10) + `
apps added {"name":"C","source":"msi"}  ` + app("C", "1", 5) + `
apps removed {"name":"B","source":"msi"} {"name":"B","source":"msi","version":"1","size_kb":20} `
	if got := history(t, st, "PC-1"); got != want {
		t.Fatalf("history after the change:\n%s\nwant\n%s", got, want)
	}

	// The same inventory again: no history, but the collection time moves.
	publish(t, n, "results.5", swResult("5", "PC-1", t0.Add(3*time.Hour), apps("100", app("C", "1", 5), app("A", "2", 10))))
	at3 := store.FormatTime(t0.Add(3 * time.Hour))
	testutil.WaitFor(t, patience, testutil.Cond("the new collection time", func() bool {
		return count(t, st.Reader(), `SELECT count(*) FROM inventory_sw_apps WHERE pc_id = 'PC-1' AND collected_at = ?`, at3) == 2
	}))
	if got := history(t, st, "PC-1"); got != want {
		t.Fatalf("an unchanged collection wrote history:\n%s", got)
	}
	// first_seen of A on PC-1 is its first sighting, not the re-collection.
	fs, err := st.FirstSeen(ctx, store.HistoryQuery{JobID: "inventory-sw", Field: "apps", Identity: map[string]string{"name": "A"}, Page: store.Page{Limit: 10}})
	if err != nil || len(fs) != 2 || fs[0].PCID != "PC-1" || !fs[0].FirstSeenAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("first_seen = %+v, %v", fs, err)
	}

	// A changed spec (a new column, a new primary key) rebuilds the table
	// from inventory_facts: the newest facts of every PC, nothing lost.
	changed := strings.Replace(swSpec, `"primary_key":["name","source"]`, `"primary_key":["name"]`, 1)
	changed = strings.Replace(changed, `{"field":"size_kb","type":"integer"}`, `{"field":"size_kb","type":"integer"},{"field":"publisher","index":true}`, 1)
	hist := count(t, st.Reader(), `SELECT count(*) FROM inventory_history`)
	if _, err := kv.Put(ctx, "inventory-sw", []byte(swManifest(changed))); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("the rebuilt table", func() bool {
		return count(t, st.Reader(), `SELECT count(*) FROM sqlite_schema WHERE name = 'idx_inventory_sw_apps_publisher'`) == 1
	}))
	if got := rowsOf(t, st, "PC-1") + "|" + rowsOf(t, st, "PC-2"); got != "A=2 C=1|A=1" {
		t.Fatalf("rows after the rebuild: %s", got)
	}
	if got := count(t, st.Reader(), `SELECT count(*) FROM inventory_sw_apps WHERE publisher = 'P-C' AND pc_id = 'PC-1'`); got != 1 {
		t.Fatalf("the new column was not filled from the facts")
	}
	if got := count(t, st.Reader(), `SELECT count(*) FROM inventory_history`); got != hist {
		t.Fatalf("the rebuild wrote history: %d rows, had %d", got, hist)
	}

	// A spec naming a console table is refused; the table is untouched and
	// the job still works.
	bad := strings.Replace(swSpec, `"table":"inventory_sw_apps"`, `"table":"Agents"`, 1)
	agentsBefore := count(t, st.Reader(), `SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'agents'`)
	badJob := strings.Replace(swManifest(bad), `"id":"inventory-sw"`, `"id":"bad-sw"`, 1)
	if _, err := kv.Put(ctx, "bad-sw", []byte(badJob)); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("the bad job in the catalog", func() bool { return count(t, st.Reader(), `SELECT count(*) FROM jobs WHERE job_id = 'bad-sw'`) == 1 }))
	r := swResult("6", "PC-1", t0.Add(4*time.Hour), apps("100", app("A", "2", 10)))
	r.ManifestID = strp("bad-sw")
	publish(t, n, "results.6", r)
	waitRows(t, st, "inventory_facts", 3)
	if got := count(t, st.Reader(), `SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'agents'`); got != agentsBefore {
		t.Fatalf("the agents table's schema changed")
	}
	if got := count(t, st.Reader(), `SELECT count(*) FROM inventory_explode_specs WHERE job_id = 'bad-sw'`); got != 0 {
		t.Fatalf("a refused spec was recorded")
	}

	// Deleting the job drops its explode table; the facts stay.
	if err := kv.Delete(ctx, "inventory-sw"); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Cond("the dropped table", func() bool {
		return count(t, st.Reader(), `SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'inventory_sw_apps'`) == 0
	}))
	if got := count(t, st.Reader(), `SELECT count(*) FROM inventory_facts WHERE job_id = 'inventory-sw'`); got != 2 {
		t.Fatalf("facts lost with the table: %d", got)
	}
}
