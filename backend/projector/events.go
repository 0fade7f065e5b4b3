package projector

import (
	"context"
	"encoding/json"
	"fmt"
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

// Decode implements Applier.
func (Events) Decode(m Message) (any, error) {
	switch {
	case strings.HasPrefix(m.Subject, "events.started."):
		var e wire.EventStarted
		if err := json.Unmarshal(m.Data, &e); err != nil {
			return nil, fmt.Errorf("decode EventStarted: %w", err)
		}
		return e, nil
	case strings.HasPrefix(m.Subject, wire.SubjectPrefixExecutionRecord):
		r, err := wire.DecodeExecutionRecord(m.Data)
		if err != nil {
			return nil, fmt.Errorf("decode ExecutionRecord: %w", err)
		}
		return r, nil
	}
	return nil, nil
}

// Apply implements Applier.
func (Events) Apply(ctx context.Context, tx *store.Tx, batch []Decoded) error {
	for _, d := range batch {
		switch e := d.Value.(type) {
		case wire.EventStarted:
			if err := tx.StartInflight(ctx, store.Started{
				ResultID: e.ResultID, RequestID: e.RequestID, ExecID: e.ExecID, PCID: e.PCID,
				JobID: e.ManifestID, Version: e.Version, StartedAt: e.StartedAt,
			}); err != nil {
				return err
			}
		case wire.ExecutionRecord:
			if err := tx.UpsertExecution(ctx, store.Execution{
				ExecID: e.ExecID, JobID: e.JobID, Version: e.Version, InitiatedBy: e.InitiatedBy,
				InitiatedAt: e.InitiatedAt.Time, TargetCount: e.TargetCount,
			}); err != nil {
				return err
			}
		}
	}
	return nil
}
