package app

import (
	"encoding/json"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/execution"
)

// The request types of the bindings: the ONE argument the SPA passes, i.e.
// the op's path parameters, query keys and body fields merged under their
// wire names (frontend/src/api/ops.ts, OpTypes[op].req). List filters are
// the console's own request types (backend/console/params.go), which the
// HTTP handlers fill from the query string; the types here only add the
// path parameters. Optional fields are pointers or omitempty, so the
// generated TypeScript marks them optional.

// Empty is the request of ops without parameters.
type Empty struct{}

// PcRequest names one PC.
type PcRequest struct {
	PCID string `json:"pc_id"`
}

// SetAgentGroupsRequest replaces a PC's groups.
type SetAgentGroupsRequest struct {
	PCID   string   `json:"pc_id"`
	Groups []string `json:"groups"`
}

// AgentGroupRequest adds or removes one group of a PC.
type AgentGroupRequest struct {
	PCID  string `json:"pc_id"`
	Group string `json:"group"`
}

// PingAgentRequest waits up to wait_secs (console.PingWait) for a heartbeat.
type PingAgentRequest struct {
	PCID     string `json:"pc_id"`
	WaitSecs *int   `json:"wait_secs,omitempty"`
}

// AgentLogsRequest asks for the last tail (console.LogTail) lines of a log.
type AgentLogsRequest struct {
	PCID string `json:"pc_id"`
	Tail *int   `json:"tail,omitempty"`
}

// CronNextRequest asks for the next n (console.CronCount) fire times.
type CronNextRequest struct {
	Cron string `json:"cron"`
	N    *int   `json:"n,omitempty"`
}

// GroupRequest names one group.
type GroupRequest struct {
	Name string `json:"name"`
}

// ResultRequest names one result.
type ResultRequest struct {
	ResultID string `json:"result_id"`
}

// ExecutionRequest names one execution.
type ExecutionRequest struct {
	ExecID string `json:"exec_id"`
}

// ExecutionDetailRequest names one execution and how many per-PC results
// and in-flight runs to include.
type ExecutionDetailRequest struct {
	ExecID string `json:"exec_id"`
	console.DetailRequest
}

// InventoryByJobRequest names a probe (rows paged, limit default 1000).
type InventoryByJobRequest struct {
	ManifestID string `json:"manifest_id"`
	console.Paging
}

// IDRequest names a job or a schedule.
type IDRequest struct {
	ID string `json:"id"`
}

// JobRequest names a job by job_id.
type JobRequest struct {
	JobID string `json:"job_id"`
}

// CmdRequest names a job (script) to revoke or unrevoke.
type CmdRequest struct {
	CmdID string `json:"cmd_id"`
}

// DisableScheduleRequest disables a schedule; cascade also revokes its job.
type DisableScheduleRequest struct {
	ID      string `json:"id"`
	Cascade *bool  `json:"cascade,omitempty"`
}

// VersionRequest names an agent release.
type VersionRequest struct {
	Version string `json:"version"`
}

// YAMLRequest is a raw YAML document (a Manifest or a Schedule).
type YAMLRequest struct {
	YAML string `json:"yaml"`
}

// PublishAgentRequest is an agent binary (base64) and its file name.
type PublishAgentRequest struct {
	Filename   string `json:"filename"`
	DataBase64 string `json:"data_base64"`
}

// JSONBody is the request of ops whose body is a kanade wire type (job,
// schedule, fan-out plan, config scope, rollout, run): the object exactly
// as the SPA sent it, so console.DecodeJSON sees the same JSON an HTTP body
// carries, with the same checks and codes. Its path parameter, if any, is
// a key of the same object. Its shape is OpTypes[op].req in ops.ts.
type JSONBody struct {
	raw json.RawMessage
}

// UnmarshalJSON keeps the object as sent; it never fails, as Wails would
// report a failure at argument parsing as plain text instead of a status.
func (b *JSONBody) UnmarshalJSON(raw []byte) error {
	b.raw = append(json.RawMessage(nil), raw...)
	return nil
}

// split takes the path parameter key (a string; "" when absent) out of the
// object and decodes the rest into v; key "" decodes the whole object.
func (b JSONBody) split(key string, v any) (string, error) {
	body := []byte(b.raw)
	if len(body) == 0 {
		body = []byte("{}")
	}
	var path string
	if key != "" {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
			return "", &execution.Error{Kind: execution.KindInvalid, Msg: "the request must be a JSON object"}
		}
		if p, ok := obj[key]; ok {
			if json.Unmarshal(p, &path) != nil {
				return "", &execution.Error{Kind: execution.KindInvalid, Msg: key + " must be a string"}
			}
			delete(obj, key)
		}
		body, _ = json.Marshal(obj)
	}
	return path, console.DecodeJSON(body, v)
}
