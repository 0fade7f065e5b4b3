package projector

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Audit projects AUDIT into audit_log, once per stream sequence, so a
// redelivery never duplicates a row (kanade bug #501).
type Audit struct{}

// Decode implements Applier.
func (Audit) Decode(m Message) (any, error) {
	var e wire.AuditEvent
	if err := json.Unmarshal(m.Data, &e); err != nil {
		return nil, fmt.Errorf("decode AuditEvent: %w", err)
	}
	return e, nil
}

// Apply implements Applier.
func (Audit) Apply(ctx context.Context, tx *store.Tx, batch []Decoded) error {
	for _, d := range batch {
		e := d.Value.(wire.AuditEvent)
		payload := string(e.Payload)
		if payload == "" {
			payload = "null"
		}
		if err := tx.InsertAudit(ctx, store.AuditRow{
			StreamSeq: d.Seq, StreamCreated: d.StreamCreated, Actor: e.Actor, Action: e.Action, Target: e.Target,
			Payload: payload, OccurredAt: e.OccurredAt,
		}); err != nil {
			return err
		}
	}
	return nil
}
