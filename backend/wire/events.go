package wire

import "time"

// EventStarted is the v0.30 lifecycle event an agent publishes on
// events.started.{exec_id}.{pc_id} when a script starts (§5.12). v0.29 agents
// never send it; the type exists so the console can consume newer agents.
//
// v0.30's "PR α′" agents also send the run's result_id (the key its
// ExecResult will carry) and request_id; the first v0.30 agents did not, so
// both default to "".
type EventStarted struct {
	ResultID   string
	RequestID  string
	ExecID     string
	PCID       string
	StartedAt  time.Time
	ManifestID string
	Version    string
}

type eventStartedJSON struct {
	ResultID   string `json:"result_id,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	ExecID     string `json:"exec_id"`
	PCID       string `json:"pc_id"`
	StartedAt  Time   `json:"started_at"`
	ManifestID string `json:"manifest_id"`
	Version    string `json:"version"`
}

// MarshalJSON implements json.Marshaler.
func (e EventStarted) MarshalJSON() ([]byte, error) {
	return Marshal(eventStartedJSON{e.ResultID, e.RequestID, e.ExecID, e.PCID, Time{e.StartedAt}, e.ManifestID, e.Version})
}

// UnmarshalJSON implements json.Unmarshaler; result_id and request_id
// default to "", the other fields are required.
func (e *EventStarted) UnmarshalJSON(b []byte) error {
	o, err := parseObject("EventStarted", b)
	if err != nil {
		return err
	}
	var v EventStarted
	if err = firstErr(
		o.defaulted("result_id", &v.ResultID),
		o.defaulted("request_id", &v.RequestID),
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
