package projector

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// JobLookup finds a job manifest in memory (the jobs KV mirror); the results
// hot path never asks NATS per message.
type JobLookup interface {
	Job(id string) (wire.Manifest, bool)
}

// Results projects RESULTS into execution_results, the executions counters
// and inventory_facts, with the semantics of kanade 0.29's projector:
// insert-or-ignore on the stable result id; counters bumped only by a fresh
// insert that carries exec_id; inventory upserted for exit code 0 when the
// job has an inventory hint and stdout is JSON.
type Results struct {
	Jobs JobLookup
}

// Apply implements Applier.
func (a Results) Apply(ctx context.Context, tx *store.Tx, msgs []Message) ([]store.DeadLetter, error) {
	var dead []store.DeadLetter
	for _, m := range msgs {
		var r wire.ExecResult
		if err := json.Unmarshal(m.Data, &r); err != nil {
			dead = append(dead, undecodable(m, "ExecResult", err))
			continue
		}
		if _, err := tx.InsertResult(ctx, store.Result{
			ResultID: r.StableResultID(), RequestID: r.RequestID, ExecID: r.ExecID, PCID: r.PCID,
			ExitCode: int(r.ExitCode), Stdout: r.Stdout, Stderr: r.Stderr,
			StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, JobID: r.ManifestID,
		}); err != nil {
			return nil, err
		}
		if err := a.projectInventory(ctx, tx, r); err != nil {
			return nil, err
		}
	}
	return dead, nil
}

func (a Results) projectInventory(ctx context.Context, tx *store.Tx, r wire.ExecResult) error {
	if r.ExitCode != 0 || r.ManifestID == nil || a.Jobs == nil {
		return nil
	}
	job, ok := a.Jobs.Job(*r.ManifestID)
	if !ok || job.Inventory == nil {
		return nil // ad-hoc run, unknown job, or not an inventory probe
	}
	if !json.Valid([]byte(r.Stdout)) {
		return nil // like 0.29: a probe that printed non-JSON is skipped
	}
	display, err := json.Marshal(job.Inventory.Display)
	if err != nil {
		return err
	}
	var summary *string
	if job.Inventory.Summary != nil {
		b, err := json.Marshal(job.Inventory.Summary)
		if err != nil {
			return err
		}
		s := string(b)
		summary = &s
	}
	return tx.UpsertInventory(ctx, store.InventoryFact{
		PCID: r.PCID, JobID: *r.ManifestID, FactsJSON: r.Stdout,
		DisplayJSON: string(display), SummaryJSON: summary, CollectedAt: r.FinishedAt,
	})
}

func undecodable(m Message, what string, err error) store.DeadLetter {
	return store.DeadLetter{StreamSeq: m.Seq, Subject: m.Subject, Err: fmt.Sprintf("decode %s: %v", what, err), Payload: m.Data}
}
