package wire

import (
	"encoding/json"
	"errors"
	"strings"
)

// Console extensions on the EVENTS stream. kanade 0.29 kept the executions
// table in one backend's memory of its own HTTP calls; the console publishes
// each exec as an event instead, so every console on the same NATS projects
// the same executions rows (and a new console rebuilds them). Agents never
// subscribe to events.>, so these subjects are invisible to them.

// SubjectPrefixExecutionRecord starts every execution record subject.
const SubjectPrefixExecutionRecord = "events.console.exec."

// SubjectExecutionRecord is events.console.exec.{exec_id}.
func SubjectExecutionRecord(execID string) string { return SubjectPrefixExecutionRecord + execID }

// ExecutionRecord announces an exec: what the executions row holds when the
// exec is created.
type ExecutionRecord struct {
	ExecID      string   `json:"exec_id"`
	JobID       string   `json:"job_id"`
	Version     string   `json:"version"`
	InitiatedBy string   `json:"initiated_by"`
	InitiatedAt Time     `json:"initiated_at"`
	TargetCount int      `json:"target_count"`
	Subjects    []string `json:"subjects"`
}

// DecodeExecutionRecord decodes and checks the fields a projection needs.
func DecodeExecutionRecord(b []byte) (ExecutionRecord, error) {
	var r ExecutionRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return r, err
	}
	var missing []string
	for name, v := range map[string]string{"exec_id": r.ExecID, "job_id": r.JobID, "version": r.Version, "initiated_by": r.InitiatedBy} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if r.InitiatedAt.IsZero() {
		missing = append(missing, "initiated_at")
	}
	if len(missing) > 0 {
		return r, errors.New("execution record without " + strings.Join(missing, ", "))
	}
	if r.TargetCount < 0 {
		return r, errors.New("execution record with a negative target_count")
	}
	return r, nil
}
