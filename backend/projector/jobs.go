package projector

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"sort"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

type sqlTx = sql.Tx

// Jobs mirrors the jobs bucket (the job catalog) into memory and the jobs
// table. It is the JobLookup of the results projector.
type Jobs struct {
	*KVMirror
	store *store.Store
	log   *slog.Logger

	mu   sync.RWMutex
	byID map[string]wire.Manifest
}

// NewJobs builds the mirror; Run starts it.
func NewJobs(js jetstream.JetStream, st *store.Store, log *slog.Logger) *Jobs {
	j := &Jobs{store: st, log: log, byID: map[string]wire.Manifest{}}
	j.KVMirror = newKVMirror("jobs", wire.BucketJobs, js, j, log)
	return j
}

// Job implements JobLookup.
func (j *Jobs) Job(id string) (wire.Manifest, bool) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	m, ok := j.byID[id]
	return m, ok
}

// All returns every job, sorted by id.
func (j *Jobs) All() []wire.Manifest {
	j.mu.RLock()
	defer j.mu.RUnlock()
	out := make([]wire.Manifest, 0, len(j.byID))
	for _, m := range j.byID {
		out = append(out, m)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

func (j *Jobs) apply(ctx context.Context, entries []jetstream.KeyValueEntry) error {
	type change struct {
		id       string
		manifest *wire.Manifest
		raw      []byte
		rev      uint64
	}
	var changes []change
	var dead []store.DeadLetter
	for _, e := range entries {
		if e.Operation() != jetstream.KeyValuePut {
			changes = append(changes, change{id: e.Key()})
			continue
		}
		var m wire.Manifest
		if err := json.Unmarshal(e.Value(), &m); err != nil {
			j.log.Warn("jobs value is not a valid Manifest; ignoring it", "job_id", e.Key(), "revision", e.Revision(), "err", err)
			dead = append(dead, store.DeadLetter{Stream: "KV_" + wire.BucketJobs, StreamCreated: j.streamCreated(), StreamSeq: e.Revision(), Subject: "$KV." + wire.BucketJobs + "." + e.Key(), Err: "decode Manifest: " + err.Error(), Payload: e.Value()})
			changes = append(changes, change{id: e.Key()})
			continue
		}
		changes = append(changes, change{id: e.Key(), manifest: &m, raw: e.Value(), rev: e.Revision()})
	}
	err := j.store.Project(ctx, func(tx *store.Tx) error {
		for _, c := range changes {
			if c.manifest == nil {
				if _, err := tx.SQL().ExecContext(ctx, "DELETE FROM jobs WHERE job_id = ?", c.id); err != nil {
					return err
				}
				// Explode rows are derived from inventory_facts, which stay:
				// a job put back rebuilds its tables from them.
				if err := tx.DropExplode(ctx, c.id); err != nil {
					return err
				}
				continue
			}
			if err := j.ensureExplode(ctx, tx, c.id, c.manifest); err != nil {
				return err
			}
			if _, err := tx.SQL().ExecContext(ctx, `INSERT INTO jobs (job_id, version, manifest_json, kv_revision, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT(job_id) DO UPDATE SET version = excluded.version, manifest_json = excluded.manifest_json, kv_revision = excluded.kv_revision, updated_at = excluded.updated_at`,
				c.id, c.manifest.Version, string(c.raw), int64(c.rev), tx.Now()); err != nil {
				return err
			}
		}
		for _, d := range dead {
			if err := tx.InsertDeadLetter(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	j.mu.Lock()
	for _, c := range changes {
		if c.manifest == nil {
			delete(j.byID, c.id)
		} else {
			j.byID[c.id] = *c.manifest
		}
	}
	j.mu.Unlock()
	return nil
}

func (j *Jobs) resync(ctx context.Context, present map[string]bool) error {
	rows, err := j.store.Writer().QueryContext(ctx, "SELECT job_id FROM jobs")
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var id string
		if rows.Scan(&id) == nil && !present[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	j.mu.Lock()
	for id := range j.byID {
		if !present[id] {
			gone = append(gone, id)
		}
	}
	for _, id := range gone {
		delete(j.byID, id)
	}
	j.mu.Unlock()
	return j.store.WithTx(ctx, func(tx *sql.Tx) error {
		for _, id := range gone {
			if _, err := tx.ExecContext(ctx, "DELETE FROM jobs WHERE job_id = ?", id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ensureExplode creates, migrates or drops the job's explode tables in the
// catalog's transaction. A spec the store refuses (its table belongs to
// something else) is logged and skipped; the job itself stays usable.
func (j *Jobs) ensureExplode(ctx context.Context, tx *store.Tx, id string, m *wire.Manifest) error {
	var specs []wire.ExplodeSpec
	if m.Inventory != nil {
		specs = m.Inventory.Explode
	}
	refused, err := tx.EnsureExplode(ctx, id, specs)
	for table, why := range refused {
		j.log.Warn("explode spec not applied", "job_id", id, "table", table, "err", why)
	}
	return err
}
