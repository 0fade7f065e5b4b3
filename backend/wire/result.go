package wire

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Exit codes of results an agent synthesises instead of running the script.
const (
	ExitCodeKilledOrTimeout  = -1  // killed via kill.{exec_id}, or timed out
	ExitCodeDeadlineSkipped  = 125 // deadline_at had passed on receipt
	ExitCodeStalenessSkipped = 127 // strict staleness policy exceeded
)

// LegacyResultIDPrefix is the UUIDv5 name prefix for results from pre-v0.29
// agents, which send no result_id. It must never change: redeliveries of the
// same legacy result have to hash to the same primary key to be deduplicated.
const LegacyResultIDPrefix = "kanade-issue-19/legacy-result-id:"

// LegacyResultID derives the stable result id of a legacy payload:
// UUIDv5(NAMESPACE_OID, LegacyResultIDPrefix+requestID+":"+pcID), lowercase.
func LegacyResultID(requestID, pcID string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(LegacyResultIDPrefix+requestID+":"+pcID)).String()
}

// ExecResult is what an agent publishes (JetStream) on results.{request_id}
// after running — or deliberately skipping — a Command (§5.2).
type ExecResult struct {
	// ResultID is minted by v0.29+ agents per (Command, PC) run; pre-v0.29
	// agents omit it and it decodes as "". Use StableResultID as the key.
	ResultID   string
	RequestID  string
	ExecID     *string // omitted when nil; copied from Command.exec_id
	PCID       string
	ExitCode   int32
	Stdout     string
	Stderr     string
	StartedAt  time.Time
	FinishedAt time.Time
	ManifestID *string // omitted when nil; v0.29 agents send Command.id
	// Skipped is set by newer agents (kanade v0.3x) when they reported
	// instead of running the job (deadline, revoke, version pin, staleness,
	// unsupported OS). 0.29 agents omit it; it is omitted when false, so a
	// 0.29-shaped result encodes byte for byte as before.
	Skipped bool
}

// StableResultID is the projector's primary key: ResultID when present,
// otherwise LegacyResultID(RequestID, PCID).
func (r ExecResult) StableResultID() string {
	if r.ResultID != "" {
		return r.ResultID
	}
	return LegacyResultID(r.RequestID, r.PCID)
}

type execResultJSON struct {
	ResultID   string  `json:"result_id"`
	RequestID  string  `json:"request_id"`
	ExecID     *string `json:"exec_id,omitempty"`
	PCID       string  `json:"pc_id"`
	ExitCode   int32   `json:"exit_code"`
	Stdout     string  `json:"stdout"`
	Stderr     string  `json:"stderr"`
	StartedAt  Time    `json:"started_at"`
	FinishedAt Time    `json:"finished_at"`
	ManifestID *string `json:"manifest_id,omitempty"`
	Skipped    bool    `json:"skipped,omitempty"`
}

// MarshalJSON implements json.Marshaler with the Rust key order.
func (r ExecResult) MarshalJSON() ([]byte, error) {
	return Marshal(execResultJSON{
		ResultID: r.ResultID, RequestID: r.RequestID, ExecID: r.ExecID, PCID: r.PCID,
		ExitCode: r.ExitCode, Stdout: r.Stdout, Stderr: r.Stderr,
		StartedAt: Time{r.StartedAt}, FinishedAt: Time{r.FinishedAt}, ManifestID: r.ManifestID, Skipped: r.Skipped,
	})
}

// UnmarshalJSON implements json.Unmarshaler. result_id defaults to "";
// request_id, pc_id, exit_code, stdout, stderr, started_at and finished_at are
// required; unknown (later) keys are ignored.
func (r *ExecResult) UnmarshalJSON(b []byte) error {
	if r.decodeFast(b) {
		return nil
	}
	o, err := parseObject("ExecResult", b)
	if err != nil {
		return err
	}
	var v ExecResult
	if err = firstErr(
		o.defaulted("result_id", &v.ResultID),
		o.required("request_id", &v.RequestID),
	); err != nil {
		return err
	}
	if v.ExecID, err = optionalPtr[string](o, "exec_id"); err != nil {
		return err
	}
	if err = firstErr(
		o.required("pc_id", &v.PCID),
		o.required("exit_code", &v.ExitCode),
		o.required("stdout", &v.Stdout),
		o.required("stderr", &v.Stderr),
		decodeTimeField(o, "started_at", &v.StartedAt),
		decodeTimeField(o, "finished_at", &v.FinishedAt),
	); err != nil {
		return err
	}
	if v.ManifestID, err = optionalPtr[string](o, "manifest_id"); err != nil {
		return err
	}
	if err = o.defaulted("skipped", &v.Skipped); err != nil {
		return err
	}
	*r = v
	return nil
}

// fastExecResult detects presence with pointers so the common, well-formed
// payload decodes in one encoding/json pass. Results are the console's hottest
// message; the field-by-field strict decoder stays the authority for anything
// unusual (a missing or null field, a wrong type) and produces its errors.
type fastExecResult struct {
	ResultID   json.RawMessage `json:"result_id"` // absent is "", null is an error
	RequestID  *string         `json:"request_id"`
	ExecID     *string         `json:"exec_id"`
	PCID       *string         `json:"pc_id"`
	ExitCode   *int32          `json:"exit_code"`
	Stdout     *string         `json:"stdout"`
	Stderr     *string         `json:"stderr"`
	StartedAt  *Time           `json:"started_at"`
	FinishedAt *Time           `json:"finished_at"`
	ManifestID *string         `json:"manifest_id"`
	Skipped    json.RawMessage `json:"skipped"` // absent is false, null is an error
}

func (r *ExecResult) decodeFast(b []byte) bool {
	var f fastExecResult
	if json.Unmarshal(b, &f) != nil || f.RequestID == nil || f.PCID == nil || f.ExitCode == nil ||
		f.Stdout == nil || f.Stderr == nil || f.StartedAt == nil || f.FinishedAt == nil {
		return false
	}
	*r = ExecResult{
		RequestID: *f.RequestID, ExecID: f.ExecID, PCID: *f.PCID, ExitCode: *f.ExitCode,
		Stdout: *f.Stdout, Stderr: *f.Stderr, StartedAt: f.StartedAt.Time, FinishedAt: f.FinishedAt.Time, ManifestID: f.ManifestID,
	}
	if f.Skipped != nil && (string(f.Skipped) == "null" || json.Unmarshal(f.Skipped, &r.Skipped) != nil) {
		return false // the strict decoder says what is wrong
	}
	if f.ResultID != nil && json.Unmarshal(f.ResultID, &r.ResultID) != nil || string(f.ResultID) == "null" {
		return false
	}
	return true
}
