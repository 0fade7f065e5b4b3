package wire

import "time"

// Heartbeat is published by every agent on heartbeat.{pc_id} every
// heartbeat_interval (core NATS, not stored in any stream) (§5.3).
type Heartbeat struct {
	PCID         string
	At           time.Time // agent clock
	AgentVersion string
	Hostname     *string // omitted when nil (v0.12+)
	OSFamily     *string // omitted when nil; windows / linux / macos
}

type heartbeatJSON struct {
	PCID         string  `json:"pc_id"`
	At           Time    `json:"at"`
	AgentVersion string  `json:"agent_version"`
	Hostname     *string `json:"hostname,omitempty"`
	OSFamily     *string `json:"os_family,omitempty"`
}

// MarshalJSON implements json.Marshaler with the Rust key order.
func (h Heartbeat) MarshalJSON() ([]byte, error) {
	return Marshal(heartbeatJSON{h.PCID, Time{h.At}, h.AgentVersion, h.Hostname, h.OSFamily})
}

// UnmarshalJSON implements json.Unmarshaler. Fields added by later agents
// (agent_cpu_pct, quarantined_versions, …) are ignored so a newer fleet keeps
// showing up as alive.
func (h *Heartbeat) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Heartbeat", b)
	if err != nil {
		return err
	}
	var v Heartbeat
	if err = firstErr(
		o.required("pc_id", &v.PCID),
		decodeTimeField(o, "at", &v.At),
		o.required("agent_version", &v.AgentVersion),
	); err != nil {
		return err
	}
	if v.Hostname, err = optionalPtr[string](o, "hostname"); err != nil {
		return err
	}
	if v.OSFamily, err = optionalPtr[string](o, "os_family"); err != nil {
		return err
	}
	*h = v
	return nil
}
