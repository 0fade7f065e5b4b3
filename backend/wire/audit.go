package wire

import (
	"bytes"
	"encoding/json"
	"time"
)

// Audit actors seen at v0.29.
const (
	AuditActorOperator  = "operator"  // HTTP API calls
	AuditActorScheduler = "scheduler" // schedule fires
)

// AuditEvent is published on audit.{actor}.{action}[.{target}] and captured
// by the AUDIT stream (§5.11).
type AuditEvent struct {
	Actor  string
	Action string
	Target *string // always encoded, null when nil
	// Payload is any JSON value (serde_json::Value). nil encodes as null.
	Payload    json.RawMessage
	OccurredAt time.Time
}

type auditEventJSON struct {
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Target     *string         `json:"target"`
	Payload    json.RawMessage `json:"payload"`
	OccurredAt Time            `json:"occurred_at"`
}

// MarshalJSON implements json.Marshaler with the Rust key order.
func (e AuditEvent) MarshalJSON() ([]byte, error) {
	p := e.Payload
	if len(bytes.TrimSpace(p)) == 0 {
		p = json.RawMessage("null")
	}
	return Marshal(auditEventJSON{e.Actor, e.Action, e.Target, p, Time{e.OccurredAt}})
}

// UnmarshalJSON implements json.Unmarshaler: actor, action, payload (null
// allowed) and occurred_at are required; target may be absent or null.
func (e *AuditEvent) UnmarshalJSON(b []byte) error {
	o, err := parseObject("AuditEvent", b)
	if err != nil {
		return err
	}
	var v AuditEvent
	if err = firstErr(o.required("actor", &v.Actor), o.required("action", &v.Action)); err != nil {
		return err
	}
	if v.Target, err = optionalPtr[string](o, "target"); err != nil {
		return err
	}
	raw, err := o.rawValue("payload")
	if err != nil {
		return err
	}
	v.Payload = append(json.RawMessage(nil), bytes.TrimSpace(raw)...)
	if err = decodeTimeField(o, "occurred_at", &v.OccurredAt); err != nil {
		return err
	}
	*e = v
	return nil
}

// Subject returns the NATS subject this event is published on.
func (e AuditEvent) Subject() string {
	t := ""
	if e.Target != nil {
		t = *e.Target
	}
	return SubjectAudit(e.Actor, e.Action, t)
}

// EnrichPayload adds "sub" (JWT subject, "static-token" in static mode) and
// "source" (X-Kanade-Source header) to an object payload unless the keys are
// already present, as the 0.29 API does for operator calls. Non-object
// payloads are returned unchanged; an empty value is left out.
func EnrichPayload(payload json.RawMessage, sub, source string) (json.RawMessage, error) {
	p := bytes.TrimSpace(payload)
	if len(p) == 0 || p[0] != '{' {
		return payload, nil
	}
	o, err := parseObject("audit payload", p)
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), p[:len(p)-1]...) // drop the closing brace
	out = bytes.TrimRight(out, " \t\r\n")
	add := func(key, val string) error {
		if _, ok := o.fields[key]; ok || val == "" {
			return nil
		}
		if out[len(out)-1] != '{' {
			out = append(out, ',')
		}
		k, err := Marshal(key)
		if err != nil {
			return err
		}
		v, err := Marshal(val)
		if err != nil {
			return err
		}
		out = append(append(append(out, k...), ':'), v...)
		o.fields[key] = v
		return nil
	}
	if err := firstErr(add("sub", sub), add("source", source)); err != nil {
		return nil, err
	}
	return append(out, '}'), nil
}
