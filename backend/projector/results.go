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

// Decode implements Applier.
func (Results) Decode(m Message) (any, error) {
	var r wire.ExecResult
	if err := json.Unmarshal(m.Data, &r); err != nil {
		return nil, fmt.Errorf("decode ExecResult: %w", err)
	}
	return r, nil
}

// Apply implements Applier.
func (a Results) Apply(ctx context.Context, tx *store.Tx, batch []Decoded) error {
	counts := map[string]*store.ResultCount{}
	var execOrder []string
	var finished []store.RunKey
	for _, d := range batch {
		r := d.Value.(wire.ExecResult)
		inserted, err := tx.InsertResult(ctx, store.Result{
			ResultID: r.StableResultID(), RequestID: r.RequestID, ExecID: r.ExecID, PCID: r.PCID,
			ExitCode: int(r.ExitCode), Stdout: r.Stdout, Stderr: r.Stderr,
			StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, JobID: r.ManifestID, Skipped: r.Skipped,
		})
		if err != nil {
			return err
		}
		if inserted && r.ExecID != nil {
			c := counts[*r.ExecID]
			if c == nil {
				c = &store.ResultCount{}
				counts[*r.ExecID] = c
				execOrder = append(execOrder, *r.ExecID)
			}
			switch {
			case r.Skipped: // newer agents flag their skips; counted apart, whatever the exit code
				c.Skipped++
			case r.ExitCode == 0:
				c.Success++
			default:
				c.Failure++ // 0.29's unflagged skips (125, 127), kills and timeouts (-1), like 0.29
			}
			finished = append(finished, store.RunKey{ExecID: *r.ExecID, PCID: r.PCID})
		}
		if err := a.projectInventory(ctx, tx, r); err != nil {
			return err
		}
	}
	// One counter update per exec per batch instead of one per result.
	for _, id := range execOrder {
		if err := tx.CountResults(ctx, id, *counts[id]); err != nil {
			return err
		}
	}
	return tx.FinishInflight(ctx, finished)
}

func (a Results) projectInventory(ctx context.Context, tx *store.Tx, r wire.ExecResult) error {
	if r.ExitCode != 0 || r.Skipped || r.ManifestID == nil || a.Jobs == nil {
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
	hint := job.Inventory
	derived := len(hint.Explode) > 0 || len(hint.HistoryScalars) > 0
	var prior store.InventoryPrior
	if derived {
		// Derived rows follow the newest collection only: an older one
		// (redelivered late) changes nothing, as the facts upsert below.
		if prior, err = tx.PriorInventory(ctx, r.PCID, *r.ManifestID); err != nil {
			return err
		}
		if prior.Found && prior.CollectedAt > store.FormatTime(r.FinishedAt) {
			return nil
		}
		if prior.Found && prior.FactsJSON == r.Stdout {
			// The same document again (the common re-collection): no row
			// and no history changes; only the facts' times move.
			derived = false
		}
	}
	if err := tx.UpsertInventory(ctx, store.InventoryFact{
		PCID: r.PCID, JobID: *r.ManifestID, FactsJSON: r.Stdout,
		DisplayJSON: string(display), SummaryJSON: summary, CollectedAt: r.FinishedAt,
	}); err != nil || !derived {
		return err
	}
	return projectDerived(ctx, tx, r, hint, prior)
}

// projectDerived fills the explode tables and history of one newer
// collection, in the results batch's transaction (kanade v0.31 #40/#41,
// v0.35 #93).
func projectDerived(ctx context.Context, tx *store.Tx, r wire.ExecResult, hint *wire.InventoryHint, prior store.InventoryPrior) error {
	facts := store.FactFields(r.Stdout) // nil: valid JSON but not an object (no arrays, no scalars)
	var before store.Fields
	if prior.Found {
		if before = store.FactFields(prior.FactsJSON); before == nil {
			before = store.Fields{} // stored facts without fields
		}
	}
	for _, spec := range hint.Explode {
		if err := tx.ReplaceExplodeRows(ctx, *r.ManifestID, r.PCID, spec, before, facts, r.FinishedAt); err != nil {
			return err
		}
	}
	if len(hint.HistoryScalars) == 0 || facts == nil {
		return nil
	}
	return tx.ScalarHistory(ctx, *r.ManifestID, r.PCID, hint.HistoryScalars, before, facts, r.FinishedAt)
}
