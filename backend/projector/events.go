package projector

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Events projects EVENTS: events.started.<exec_id>.<pc_id> from v0.30+
// agents becomes an in-flight run until its ExecResult arrives (either order,
// counted once, by the result), and the console's execution records become
// executions rows. Other events.* subjects belong to later kanade versions
// and are skipped.
type Events struct{}

// Apply implements Applier.
func (Events) Apply(ctx context.Context, tx *store.Tx, msgs []Message) ([]store.DeadLetter, error) {
	var dead []store.DeadLetter
	for _, m := range msgs {
		switch {
		case strings.HasPrefix(m.Subject, "events.started."):
			var e wire.EventStarted
			if err := json.Unmarshal(m.Data, &e); err != nil {
				dead = append(dead, undecodable(m, "EventStarted", err))
				continue
			}
			if err := tx.StartInflight(ctx, e.ExecID, e.PCID, e.ManifestID, e.Version, e.StartedAt); err != nil {
				return nil, err
			}
		case strings.HasPrefix(m.Subject, wire.SubjectPrefixExecutionRecord):
			r, err := wire.DecodeExecutionRecord(m.Data)
			if err != nil {
				dead = append(dead, undecodable(m, "ExecutionRecord", err))
				continue
			}
			if err := tx.UpsertExecution(ctx, store.Execution{
				ExecID: r.ExecID, JobID: r.JobID, Version: r.Version, InitiatedBy: r.InitiatedBy,
				InitiatedAt: r.InitiatedAt.Time, TargetCount: r.TargetCount,
			}); err != nil {
				return nil, err
			}
		}
	}
	return dead, nil
}
