package projector

import (
	"context"
	"encoding/json"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Audit projects AUDIT into audit_log, once per stream sequence, so a
// redelivery never duplicates a row (kanade bug #501).
type Audit struct{}

// Apply implements Applier.
func (Audit) Apply(ctx context.Context, tx *store.Tx, msgs []Message) ([]store.DeadLetter, error) {
	var dead []store.DeadLetter
	for _, m := range msgs {
		var e wire.AuditEvent
		if err := json.Unmarshal(m.Data, &e); err != nil {
			dead = append(dead, undecodable(m, "AuditEvent", err))
			continue
		}
		payload := string(e.Payload)
		if payload == "" {
			payload = "null"
		}
		if err := tx.InsertAudit(ctx, store.AuditRow{
			StreamSeq: m.Seq, Actor: e.Actor, Action: e.Action, Target: e.Target,
			Payload: payload, OccurredAt: e.OccurredAt,
		}); err != nil {
			return nil, err
		}
	}
	return dead, nil
}
