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
// The caller's role goes into the payload as "actor_role" ("role" is taken
// by account.update's new role).
func (s *Service) Audit(ctx context.Context, c svcerr.Caller, action, target string, payload map[string]any) {
	if _, taken := payload["actor_role"]; c.Role != "" && !taken {
		withRole := make(map[string]any, len(payload)+1)
		for k, v := range payload {
			withRole[k] = v
		}
		withRole["actor_role"] = c.Role
		payload = withRole
	}
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
