package wire

import (
	"time"
)

// Ad-hoc runs (CLI `kanade run`, POST /api/run) publish a Command with these
// fixed id/version values (§2, pattern 1).
const (
	AdhocCommandID      = "adhoc-run"
	AdhocCommandVersion = "0.0.0"
)

// Command is what the backend (exec pipeline, scheduler, ad-hoc run) publishes
// on commands.* for agents to execute (§5.1).
type Command struct {
	ID        string // manifest id ("adhoc-run" for ad-hoc runs)
	Version   string // manifest version; agents skip it if script_current differs
	RequestID string // fresh UUIDv4 per published Command: dedup key, results.{request_id}
	// ExecID groups every Command of one exec and is the kill key. It is
	// always encoded (null when nil). Pre-v0.29 backends called it job_id;
	// the Rust field carries #[serde(alias = "job_id")], so decoding accepts
	// both keys (exec_id wins if a message somehow carries both).
	ExecID      *string
	Shell       Shell
	Script      string
	TimeoutSecs uint64
	JitterSecs  *uint64 // always encoded, null when nil
	RunAs       RunAs   // "" encodes as "system"
	Cwd         *string // omitted when nil (v0.21.1)
	// DeadlineAt, when set, makes an agent that receives the Command later
	// answer with a synthetic skip result (exit code 125). Omitted when nil.
	DeadlineAt *time.Time
	Staleness  Staleness // zero value encodes as {"mode":"cached"}
}

type commandJSON struct {
	ID          string    `json:"id"`
	Version     string    `json:"version"`
	RequestID   string    `json:"request_id"`
	ExecID      *string   `json:"exec_id"`
	Shell       Shell     `json:"shell"`
	Script      string    `json:"script"`
	TimeoutSecs uint64    `json:"timeout_secs"`
	JitterSecs  *uint64   `json:"jitter_secs"`
	RunAs       RunAs     `json:"run_as"`
	Cwd         *string   `json:"cwd,omitempty"`
	DeadlineAt  *Time     `json:"deadline_at,omitempty"`
	Staleness   Staleness `json:"staleness"`
}

// MarshalJSON implements json.Marshaler with the Rust key order.
func (c Command) MarshalJSON() ([]byte, error) {
	return Marshal(commandJSON{
		ID: c.ID, Version: c.Version, RequestID: c.RequestID, ExecID: c.ExecID,
		Shell: c.Shell, Script: c.Script, TimeoutSecs: c.TimeoutSecs,
		JitterSecs: c.JitterSecs, RunAs: c.RunAs.OrDefault(), Cwd: c.Cwd,
		DeadlineAt: timePtr(c.DeadlineAt), Staleness: c.Staleness,
	})
}

// UnmarshalJSON implements json.Unmarshaler: id, version, request_id, shell,
// script and timeout_secs are required; unknown keys are ignored.
func (c *Command) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Command", b)
	if err != nil {
		return err
	}
	v := Command{RunAs: RunAsSystem, Staleness: Staleness{Mode: StalenessCached}}
	err = firstErr(
		o.required("id", &v.ID),
		o.required("version", &v.Version),
		o.required("request_id", &v.RequestID),
	)
	if err != nil {
		return err
	}
	if v.ExecID, err = optionalPtr[string](o, "exec_id"); err != nil {
		return err
	}
	legacy, err := optionalPtr[string](o, "job_id")
	if err != nil {
		return err
	}
	if v.ExecID == nil {
		v.ExecID = legacy
	}
	if err = firstErr(
		o.required("shell", &v.Shell),
		o.required("script", &v.Script),
		o.required("timeout_secs", &v.TimeoutSecs),
	); err != nil {
		return err
	}
	if v.JitterSecs, err = optionalPtr[uint64](o, "jitter_secs"); err != nil {
		return err
	}
	if err = o.defaulted("run_as", &v.RunAs); err != nil {
		return err
	}
	if v.Cwd, err = optionalPtr[string](o, "cwd"); err != nil {
		return err
	}
	if v.DeadlineAt, err = decodeOptionalTimeField(o, "deadline_at"); err != nil {
		return err
	}
	if err = o.defaulted("staleness", &v.Staleness); err != nil {
		return err
	}
	*c = v
	return nil
}

// NewAdhocCommand builds the Command an ad-hoc run publishes to
// commands.pc.{pc}: id "adhoc-run", version "0.0.0", run_as system, no cwd,
// no deadline, cached staleness.
func NewAdhocCommand(requestID string, execID *string, shell Shell, script string, timeoutSecs uint64, jitterSecs *uint64) Command {
	return Command{
		ID: AdhocCommandID, Version: AdhocCommandVersion, RequestID: requestID,
		ExecID: execID, Shell: shell, Script: script, TimeoutSecs: timeoutSecs,
		JitterSecs: jitterSecs, RunAs: RunAsSystem,
		Staleness: Staleness{Mode: StalenessCached},
	}
}
