package console

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// A console sweeps its database when it starts: results older than the
// configured retention go, newer ones and every table with retention 0 stay,
// and /metrics can report the counts.
func TestRetentionSweepAtStart(t *testing.T) {
	ns := natsServer(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "kanade.db")
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath, store.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, age := range []time.Duration{40 * 24 * time.Hour, 31 * 24 * time.Hour, time.Hour} {
		at := store.FormatTime(now.Add(-age))
		if _, err := st.Writer().ExecContext(ctx, `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, started_at, finished_at, recorded_at, job_id)
			VALUES (?, 'req', 'e', 'PC-1', 0, '', '', ?, ?, ?, 'job')`, fmt.Sprint("r", i), at, at, at); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Writer().ExecContext(ctx, `INSERT INTO audit_log (actor, action, occurred_at) VALUES ('operator', 'exec', ?)`, at); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	c := New(config.Config{DataDir: dir, SQLitePath: dbPath, NATSURL: ns.ClientURL(),
		Retention: store.Retention{Results: 30 * 24 * time.Hour}}, quiet)
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := c.Start(sctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	testutil.WaitFor(t, patience, testutil.Cond("the sweep", func() bool { return c.RetentionDeleted()["execution_results"] == 2 }))
	var results, audit int
	c.Store().Reader().QueryRow("SELECT count(*) FROM execution_results").Scan(&results)
	c.Store().Reader().QueryRow("SELECT count(*) FROM audit_log").Scan(&audit)
	if results != 1 || audit != 3 {
		t.Fatalf("left %d results (want 1) and %d audit entries (want 3: audit retention is off)", results, audit)
	}
	if _, ok := c.RetentionDeleted()["audit_log"]; ok {
		t.Fatalf("audit swept with retention 0: %v", c.RetentionDeleted())
	}
}
