package wire

import "time"

// EventStarted is the v0.30 lifecycle event an agent publishes on
// events.started.{exec_id}.{pc_id} when a script starts (§5.12). v0.29 agents
// never send it; the type exists so the console can consume newer agents.
type EventStarted struct {
	ExecID     string
	PCID       string
	StartedAt  time.Time
	ManifestID string
	Version    string
}

type eventStartedJSON struct {
	ExecID     string `json:"exec_id"`
	PCID       string `json:"pc_id"`
	StartedAt  Time   `json:"started_at"`
	ManifestID string `json:"manifest_id"`
	Version    string `json:"version"`
}

// MarshalJSON implements json.Marshaler.
func (e EventStarted) MarshalJSON() ([]byte, error) {
	return Marshal(eventStartedJSON{e.ExecID, e.PCID, Time{e.StartedAt}, e.ManifestID, e.Version})
}

// UnmarshalJSON implements json.Unmarshaler; all fields are required.
func (e *EventStarted) UnmarshalJSON(b []byte) error {
	o, err := parseObject("EventStarted", b)
	if err != nil {
		return err
	}
	var v EventStarted
	if err = firstErr(
		o.required("exec_id", &v.ExecID),
		o.required("pc_id", &v.PCID),
		decodeTimeField(o, "started_at", &v.StartedAt),
		o.required("manifest_id", &v.ManifestID),
		o.required("version", &v.Version),
	); err != nil {
		return err
	}
	*e = v
	return nil
}
