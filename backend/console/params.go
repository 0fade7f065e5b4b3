package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The request rules of both front doors, in one place. The HTTP handlers
// (backend/api) read query strings and bodies into these types, the Wails
// bindings (app) receive them as the op's request object; either then calls
// the method here that checks and converts, so a rule and its message exist
// once. A parameter is a pointer when absent differs from zero.
//
// Integers the HTTP door cannot parse arrive as NotAnInteger, which every
// range below refuses, so text and out-of-range numbers get one message.

// NotAnInteger stands for query text that is not an integer: below every
// range of the rules here.
const NotAnInteger = math.MinInt

// MaxBody is the limit of every request body except an agent binary.
const MaxBody = 1 << 20

func invalid(format string, args ...any) error {
	return &execution.Error{Kind: execution.KindInvalid, Msg: fmt.Sprintf(format, args...)}
}

// Paging is limit and offset of a list.
type Paging struct {
	Limit  *int `json:"limit,omitempty"`
	Offset *int `json:"offset,omitempty"`
}

// Page checks limit (non-negative, at most 1000; def when absent, where -1
// means every row) and offset (non-negative, 0 when absent).
func (p Paging) Page(def int) (store.Page, error) {
	out := store.Page{Limit: def}
	if p.Limit != nil {
		if *p.Limit < 0 {
			return out, invalid("limit must be a non-negative integer")
		}
		out.Limit = min(*p.Limit, 1000)
	}
	if p.Offset != nil {
		if *p.Offset < 0 {
			return out, invalid("offset must be a non-negative integer")
		}
		out.Offset = *p.Offset
	}
	return out, nil
}

// DefaultLimit is a list's page size when the client names none.
const DefaultLimit = 50

// AgentsRequest filters GET /api/agents.
type AgentsRequest struct {
	Paging
	Q      string `json:"q,omitempty"`
	Status string `json:"status,omitempty"`
	Group  string `json:"group,omitempty"`
}

// Query checks the filters; def is the page size without limit.
func (r AgentsRequest) Query(def int) (store.AgentQuery, error) {
	p, err := r.Page(def)
	if err != nil {
		return store.AgentQuery{}, err
	}
	if r.Status != "" && r.Status != "online" && r.Status != "stale" {
		return store.AgentQuery{}, invalid("status must be online or stale")
	}
	return store.AgentQuery{Q: r.Q, Status: r.Status, Group: r.Group, Page: p}, nil
}

// ResultStatuses are the values of GET /api/results?status= (kanade v0.3x).
var ResultStatuses = []string{"success", "failure", "skipped", "running"}

// ResultsRequest filters GET /api/results: since/until are RFC 3339 on the
// time recorded (running rows: started), q searches stdout/stderr, preview
// cuts them. status is kanade's enum: success, failure (skips excluded),
// skipped, or running (in-flight runs, not reaped).
type ResultsRequest struct {
	Paging
	PCID    string `json:"pc_id,omitempty"`
	JobID   string `json:"job_id,omitempty"`
	ExecID  string `json:"exec_id,omitempty"`
	Status  string `json:"status,omitempty"`
	Since   string `json:"since,omitempty"`
	Until   string `json:"until,omitempty"`
	Q       string `json:"q,omitempty"`
	Preview *int   `json:"preview,omitempty"`
}

// Query checks the filters.
func (r ResultsRequest) Query() (store.ResultQuery, error) {
	p, err := r.Page(DefaultLimit)
	if err != nil {
		return store.ResultQuery{}, err
	}
	q := store.ResultQuery{PCID: r.PCID, JobID: r.JobID, ExecID: r.ExecID, Status: r.Status, Q: r.Q, Page: p}
	if q.Status != "" && !slices.Contains(ResultStatuses, q.Status) {
		return q, invalid("status must be success, failure, skipped or running")
	}
	if q.Since, err = timeParam("since", r.Since); err != nil {
		return q, err
	}
	if q.Until, err = timeParam("until", r.Until); err != nil {
		return q, err
	}
	if r.Preview != nil {
		if *r.Preview < 1 {
			return q, invalid("preview must be a positive number of characters")
		}
		q.Preview = *r.Preview
	}
	return q, nil
}

// ExecutionsRequest filters GET /api/executions.
type ExecutionsRequest struct {
	Paging
	JobID  string `json:"job_id,omitempty"`
	Status string `json:"status,omitempty"`
}

// Query checks the paging.
func (r ExecutionsRequest) Query() (store.ExecutionQuery, error) {
	p, err := r.Page(DefaultLimit)
	return store.ExecutionQuery{JobID: r.JobID, Status: r.Status, Page: p}, err
}

// AuditRequest filters GET /api/audit.
type AuditRequest struct {
	Paging
	Actor  string `json:"actor,omitempty"`
	Action string `json:"action,omitempty"`
	Since  string `json:"since,omitempty"`
	Until  string `json:"until,omitempty"`
}

// Query checks the paging and the times.
func (r AuditRequest) Query() (store.AuditQuery, error) {
	p, err := r.Page(DefaultLimit)
	if err != nil {
		return store.AuditQuery{}, err
	}
	q := store.AuditQuery{Actor: r.Actor, Action: r.Action, Page: p}
	if q.Since, err = timeParam("since", r.Since); err != nil {
		return q, err
	}
	if q.Until, err = timeParam("until", r.Until); err != nil {
		return q, err
	}
	return q, nil
}

// DetailRequest is GET /api/executions/{exec_id}'s list limits (absent:
// store.FullDetail); GetExecution checks their range.
type DetailRequest struct {
	ResultsLimit  *int `json:"results_limit,omitempty"`
	InflightLimit *int `json:"inflight_limit,omitempty"`
}

// Limits fills the absent limits.
func (r DetailRequest) Limits() store.DetailLimits {
	lim := store.FullDetail
	if r.ResultsLimit != nil {
		lim.Results = *r.ResultsLimit
	}
	if r.InflightLimit != nil {
		lim.Inflight = *r.InflightLimit
	}
	return lim
}

// timeParam reads an optional RFC 3339 filter.
func timeParam(name, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := wire.ParseTime(v)
	if err != nil {
		return nil, invalid("%s must be an RFC 3339 timestamp", name)
	}
	return &t, nil
}

// PingWait is how long a ping waits: wait_secs 1-600, 45 when absent.
func PingWait(waitSecs *int) (time.Duration, error) {
	if waitSecs == nil {
		return 45 * time.Second, nil
	}
	if *waitSecs <= 0 || *waitSecs > 600 {
		return 0, invalid("wait_secs must be 1-600")
	}
	return time.Duration(*waitSecs) * time.Second, nil
}

// LogTail is how many log lines to fetch: tail 1 to 2^32-1, 500 when absent.
func LogTail(tail *int) (uint32, error) {
	if tail == nil {
		return 500, nil
	}
	if *tail <= 0 || int64(*tail) > math.MaxUint32 {
		return 0, invalid("tail must be a positive integer")
	}
	return uint32(*tail), nil
}

// CronCount is how many fire times GET /api/cron/next lists: n 1-100, 5
// when absent.
func CronCount(n *int) (int, error) {
	if n == nil {
		return 5, nil
	}
	if *n < 1 || *n > 100 {
		return 0, invalid("n must be 1-100")
	}
	return *n, nil
}

// DecodeJSON decodes a request body with kanade 0.29's codes: 400 for
// malformed JSON, 422 for JSON of the wrong shape (the wire types' own
// decoders refuse unknown keys and missing fields).
func DecodeJSON(body []byte, v any) error {
	if !json.Valid(body) {
		return invalid("malformed JSON body")
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		return &execution.Error{Kind: execution.KindUnprocessable, Msg: "invalid body: " + err.Error()}
	}
	return nil
}

// BodyTooLarge is the error for a body over limit bytes.
func BodyTooLarge(limit int) error {
	return &execution.Error{Kind: execution.KindTooLarge, Msg: fmt.Sprintf("request body larger than %d bytes", limit)}
}

// ManifestYAML parses a job manifest sent as YAML (like kanade 0.32).
func ManifestYAML(body []byte) (wire.Manifest, error) {
	if len(body) > MaxBody {
		return wire.Manifest{}, BodyTooLarge(MaxBody)
	}
	m, err := wire.ParseManifestYAML(body)
	if err != nil {
		return m, &execution.Error{Kind: execution.KindUnprocessable, Msg: "invalid manifest YAML: " + err.Error()}
	}
	return m, nil
}

// ScheduleYAML parses a schedule sent as YAML.
func ScheduleYAML(body []byte) (wire.Schedule, error) {
	if len(body) > MaxBody {
		return wire.Schedule{}, BodyTooLarge(MaxBody)
	}
	s, err := wire.ParseScheduleYAML(body)
	if err != nil {
		return s, &execution.Error{Kind: execution.KindUnprocessable, Msg: "invalid schedule YAML: " + err.Error()}
	}
	return s, nil
}

// RunBody is POST /api/run's body: a RunRequest, with 0.29's job_id (the
// pre-0.29 name of exec_id, still sent by older CLIs) accepted for exec_id.
type RunBody struct {
	execution.RunRequest
	JobID *string `json:"job_id"`
}

// Request is the RunRequest, exec_id taken from job_id when only that is set.
func (b RunBody) Request() execution.RunRequest {
	req := b.RunRequest
	if req.ExecID == nil {
		req.ExecID = b.JobID
	}
	return req
}

// CronNextResponse is GET /api/cron/next's answer. (ts_type: the Wails
// generator writes a []time.Time as an undefined TypeScript type.)
type CronNextResponse struct {
	Cron string      `json:"cron"`
	Next []time.Time `json:"next" ts_type:"string[]"`
}

// PingResponse is POST /api/agents/{pc_id}/ping's answer.
type PingResponse struct {
	Heartbeat wire.Heartbeat `json:"heartbeat"`
}
