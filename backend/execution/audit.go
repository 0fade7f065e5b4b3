package execution

import (
	"context"
	"time"

	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Audit records an operator or scheduler action on the AUDIT stream (every
// console projects it into audit_log). Like kanade it is best effort: a
// failure is logged, never returned, so auditing cannot block the action.
func (s *Service) Audit(ctx context.Context, c svcerr.Caller, action, target string, payload map[string]any) {
	body, err := wire.Marshal(payload)
	if err == nil {
		body, err = wire.EnrichPayload(body, c.Sub, c.Source)
	}
	if err != nil {
		s.log.Warn("audit payload", "action", action, "err", err)
		return
	}
	ev := wire.AuditEvent{Actor: c.Actor, Action: action, Payload: body, OccurredAt: s.now()}
	if target != "" {
		ev.Target = &target
	}
	data, err := wire.Marshal(ev)
	if err != nil {
		s.log.Warn("audit event", "action", action, "err", err)
		return
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := s.js.Publish(pctx, ev.Subject(), data); err != nil {
		s.log.Warn("audit publish failed", "action", action, "target", target, "err", err)
	}
}
