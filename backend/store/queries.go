package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotFound is returned by single-row reads that find nothing.
var ErrNotFound = errors.New("not found")

// MaxFilterLen bounds a list query's text filters (q, pc_id, group, actor,
// ...): a 50,000-character q made SQLite answer "LIKE or GLOB pattern too
// complex", a 500 for a client's mistake.
const MaxFilterLen = 256

// ErrInvalidFilter is wrapped by the error of a filter that is too long;
// the front doors answer it with 400.
var ErrInvalidFilter = errors.New("invalid filter")

// checkFilters checks (name, value) pairs of text filters.
func checkFilters(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := utf8.RuneCountInString(pairs[i+1]); n > MaxFilterLen {
			return fmt.Errorf("%w: %s is %d characters long; at most %d", ErrInvalidFilter, pairs[i], n, MaxFilterLen)
		}
	}
	return nil
}

// Page is a list query's window.
type Page struct {
	Limit  int
	Offset int
}

// CountCap bounds the exact total of a list: counting a million rows for a
// page header would cost more than the page. Totals at the cap mean "at
// least this many".
const CountCap = 10_000

// where builds a conjunction of filters.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// count returns min(total matching, CountCap).
func (s *Store) count(ctx context.Context, from string, w *where) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM "+from+w.sql()+" LIMIT ?)", append(append([]any{}, w.args...), CountCap)...).Scan(&n)
	return n, err
}

func likeEscape(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

func nullTime(v sql.NullTime) *time.Time {
	if !v.Valid {
		return nil
	}
	t := v.Time.UTC()
	return &t
}

func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

// ---- agents ----

// AgentRow is one agent with the console's derived fields.
type AgentRow struct {
	PCID          string     `json:"pc_id"`
	Hostname      *string    `json:"hostname"`
	OSFamily      *string    `json:"os_family"`
	AgentVersion  *string    `json:"agent_version"`
	LastHeartbeat *time.Time `json:"last_heartbeat"`
	UpdatedAt     *time.Time `json:"updated_at"`
	Online        bool       `json:"online"`
	Groups        []string   `json:"groups"`
}

// AgentQuery filters GET /api/agents.
type AgentQuery struct {
	Q      string // substring of pc_id or hostname
	Status string // "online", "stale" or ""
	Group  string
	Page
}

// hostname and os_family are NULL when no heartbeat carried them (0.29
// serves null); rows stored as "" by consoles before that read as NULL too.
const agentCols = `a.pc_id, NULLIF(a.hostname, ''), NULLIF(a.os_family, ''), a.agent_version, a.last_heartbeat, a.updated_at,
	(SELECT group_concat(group_name, char(31)) FROM (SELECT group_name FROM agent_group_members g WHERE g.pc_id = a.pc_id ORDER BY group_name))`

func scanAgent(sc interface{ Scan(...any) error }, aliveSince time.Time) (AgentRow, error) {
	var r AgentRow
	var host, osf, ver, groups sql.NullString
	var hb, upd sql.NullTime
	if err := sc.Scan(&r.PCID, &host, &osf, &ver, &hb, &upd, &groups); err != nil {
		return r, err
	}
	r.Hostname, r.OSFamily, r.AgentVersion = nullString(host), nullString(osf), nullString(ver)
	r.LastHeartbeat, r.UpdatedAt = nullTime(hb), nullTime(upd)
	r.Online = hb.Valid && !hb.Time.Before(aliveSince)
	r.Groups = []string{}
	if groups.Valid && groups.String != "" {
		r.Groups = strings.Split(groups.String, "\x1f")
	}
	return r, nil
}

// where is the WHERE clause of an agents query.
func (q AgentQuery) where(aliveSince time.Time) (*where, error) {
	if err := checkFilters("q", q.Q, "group", q.Group); err != nil {
		return nil, err
	}
	w := &where{}
	if q.Q != "" {
		like := likeEscape(q.Q)
		w.add(`(a.pc_id LIKE ? ESCAPE '\' OR a.hostname LIKE ? ESCAPE '\')`, like, like)
	}
	switch q.Status {
	case "online":
		w.add("a.last_heartbeat >= ?", FormatTime(aliveSince))
	case "stale":
		w.add("(a.last_heartbeat IS NULL OR a.last_heartbeat < ?)", FormatTime(aliveSince))
	}
	if q.Group != "" {
		w.add("a.pc_id IN (SELECT pc_id FROM agent_group_members WHERE group_name = ?)", q.Group)
	}
	return w, nil
}

// ListAgents pages agents, newest heartbeat activity first.
func (s *Store) ListAgents(ctx context.Context, q AgentQuery, aliveSince time.Time) ([]AgentRow, int, error) {
	w, err := q.where(aliveSince)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.count(ctx, "agents a", w)
	if err != nil {
		return nil, 0, err
	}
	out := []AgentRow{}
	err = s.EachAgent(ctx, q, aliveSince, func(r AgentRow) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CountAllAgents counts the agents q matches, without CountCap: the total
// of an unpaged list, whose rows are read anyway.
func (s *Store) CountAllAgents(ctx context.Context, q AgentQuery, aliveSince time.Time) (int, error) {
	w, err := q.where(aliveSince)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.reader.QueryRowContext(ctx, "SELECT count(*) FROM agents a"+w.sql(), w.args...).Scan(&n)
	return n, err
}

// EachAgent calls fn for the agents of q in list order, one row at a time,
// so a caller can stream a fleet of any size; q.Limit < 0 means every row.
func (s *Store) EachAgent(ctx context.Context, q AgentQuery, aliveSince time.Time, fn func(AgentRow) error) error {
	w, err := q.where(aliveSince)
	if err != nil {
		return err
	}
	order := " ORDER BY a.updated_at DESC, a.pc_id"
	if q.Q != "" {
		// A text search usually matches a few agents: walking the
		// updated_at index would look up every row to find them (59 ms at
		// 50,000 agents); a scan and a sort of the matches takes 7 ms, and
		// at most ~8 ms when everything matches. The + keeps SQLite off the
		// index for the order.
		order = " ORDER BY +a.updated_at DESC, a.pc_id"
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT "+agentCols+" FROM agents a"+w.sql()+order+" LIMIT ? OFFSET ?", append(w.args, q.Limit, q.Offset)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAgent(rows, aliveSince)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GetAgent reads one agent.
func (s *Store) GetAgent(ctx context.Context, pcID string, aliveSince time.Time) (AgentRow, error) {
	r, err := scanAgent(s.reader.QueryRowContext(ctx, "SELECT "+agentCols+" FROM agents a WHERE a.pc_id = ?", pcID), aliveSince)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// AgentCounts is the fleet roll-up.
type AgentCounts struct {
	Known  int `json:"known"`
	Active int `json:"active"`
	Stale  int `json:"stale"`
}

// CountAgents counts known and alive agents.
func (s *Store) CountAgents(ctx context.Context, aliveSince time.Time) (AgentCounts, error) {
	var c AgentCounts
	err := s.reader.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(last_heartbeat >= ?), 0) FROM agents", FormatTime(aliveSince)).Scan(&c.Known, &c.Active)
	c.Stale = c.Known - c.Active
	return c, err
}

// GroupCount is one group and its member count.
type GroupCount struct {
	Group   string `json:"group"`
	Members int    `json:"members"`
}

// ListGroups lists the groups of the agent_groups mirror.
func (s *Store) ListGroups(ctx context.Context) ([]GroupCount, error) {
	rows, err := s.reader.QueryContext(ctx, "SELECT group_name, count(*) FROM agent_group_members GROUP BY group_name ORDER BY group_name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []GroupCount{}
	for rows.Next() {
		var g GroupCount
		if err := rows.Scan(&g.Group, &g.Members); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ---- results ----

// ResultRow is an execution_results row as the API shows it, or an
// in-flight run (inflight_runs) in the same shape: exit_code and finished_at
// null, stdout and stderr empty, like kanade v0.30's in-flight rows. A
// reaped run (no result within the reaper's threshold) has finished_at set
// to when it was reaped, exit_code still null, and reaped true.
type ResultRow struct {
	ResultID        string     `json:"result_id"`
	RequestID       string     `json:"request_id"`
	ExecID          *string    `json:"exec_id"`
	PCID            string     `json:"pc_id"`
	ExitCode        *int       `json:"exit_code"`
	Skipped         bool       `json:"skipped"`
	Stdout          string     `json:"stdout"`
	Stderr          string     `json:"stderr"`
	StartedAt       time.Time  `json:"started_at"`
	FinishedAt      *time.Time `json:"finished_at"`
	JobID           *string    `json:"job_id"`
	Version         *string    `json:"version,omitempty"` // in-flight rows: the started event's version
	RecordedAt      time.Time  `json:"recorded_at"`
	Reaped          bool       `json:"reaped,omitempty"`
	StdoutTruncated *bool      `json:"stdout_truncated,omitempty"`
	StderrTruncated *bool      `json:"stderr_truncated,omitempty"`
	StdoutLen       *int       `json:"stdout_len,omitempty"`
	StderrLen       *int       `json:"stderr_len,omitempty"`
}

// Running reports whether the row is an in-flight run still waiting for its
// result (not reaped).
func (r ResultRow) Running() bool { return r.FinishedAt == nil }

// ResultQuery filters GET /api/results.
type ResultQuery struct {
	PCID, JobID, ExecID string
	Status              string // success | failure | skipped | running | ""
	Since, Until        *time.Time
	Q                   string // text in stdout or stderr
	Preview             int    // >0: truncate stdout/stderr to this many characters
	Page
}

// where is the WHERE clause of a results query.
func (q ResultQuery) where() *where {
	w := &where{}
	if q.PCID != "" {
		w.add("pc_id = ?", q.PCID)
	}
	if q.JobID != "" {
		w.add("job_id = ?", q.JobID)
	}
	if q.ExecID != "" {
		w.add("exec_id = ?", q.ExecID)
	}
	// kanade's status filters, with success also excluding skips so the
	// three finished states partition the rows like the counters do.
	switch q.Status {
	case "success":
		w.add("exit_code = 0 AND skipped = 0")
	case "failure":
		w.add("exit_code <> 0 AND skipped = 0")
	case "skipped":
		w.add("skipped = 1")
	}
	if q.Since != nil {
		w.add("recorded_at >= ?", FormatTime(*q.Since))
	}
	if q.Until != nil {
		w.add("recorded_at < ?", FormatTime(*q.Until))
	}
	if q.Q != "" {
		w.add("(instr(stdout, ?) > 0 OR instr(stderr, ?) > 0)", q.Q, q.Q)
	}
	return w
}

// pageSQL is the statement and arguments of one page of results.
func (q ResultQuery) pageSQL(w *where) (string, []any) {
	cols := "stdout, stderr, 0, 0"
	args := []any{}
	if q.Preview > 0 {
		cols = "substr(stdout, 1, ?), substr(stderr, 1, ?), length(stdout), length(stderr)"
		args = append(args, q.Preview, q.Preview)
	}
	args = append(append(args, w.args...), q.Limit, q.Offset)
	return `SELECT result_id, request_id, exec_id, pc_id, exit_code, ` + cols + `,
		started_at, finished_at, job_id, recorded_at, skipped FROM execution_results` + w.sql() + ` ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`, args
}

// ListResults pages results, newest recorded first.
func (s *Store) ListResults(ctx context.Context, q ResultQuery) ([]ResultRow, int, error) {
	if err := checkFilters("q", q.Q, "pc_id", q.PCID, "job_id", q.JobID, "exec_id", q.ExecID); err != nil {
		return nil, 0, err
	}
	if q.Status == "running" {
		return s.listRunning(ctx, q)
	}
	w := q.where()
	total, err := s.count(ctx, "execution_results", w)
	if err != nil {
		return nil, 0, err
	}
	query, args := q.pageSQL(w)
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []ResultRow{}
	for rows.Next() {
		var r ResultRow
		var exec, job sql.NullString
		var outLen, errLen, exit int
		var finished time.Time
		if err := rows.Scan(&r.ResultID, &r.RequestID, &exec, &r.PCID, &exit, &r.Stdout, &r.Stderr, &outLen, &errLen, &r.StartedAt, &finished, &job, &r.RecordedAt, &r.Skipped); err != nil {
			return nil, 0, err
		}
		finished = finished.UTC()
		r.ExecID, r.JobID, r.ExitCode, r.FinishedAt = nullString(exec), nullString(job), &exit, &finished
		r.StartedAt, r.RecordedAt = r.StartedAt.UTC(), r.RecordedAt.UTC()
		if q.Preview > 0 {
			ot, et := outLen > q.Preview, errLen > q.Preview
			r.StdoutTruncated, r.StderrTruncated, r.StdoutLen, r.StderrLen = &ot, &et, &outLen, &errLen
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// GetResult reads one result with its whole output, or an in-flight run
// (ErrNotFound when neither has the id).
func (s *Store) GetResult(ctx context.Context, resultID string) (ResultRow, error) {
	var r ResultRow
	var exec, job sql.NullString
	var exit int
	var finished time.Time
	err := s.reader.QueryRowContext(ctx, `SELECT result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr,
		started_at, finished_at, job_id, recorded_at, skipped FROM execution_results WHERE result_id = ?`, resultID).
		Scan(&r.ResultID, &r.RequestID, &exec, &r.PCID, &exit, &r.Stdout, &r.Stderr, &r.StartedAt, &finished, &job, &r.RecordedAt, &r.Skipped)
	if errors.Is(err, sql.ErrNoRows) {
		return s.getInflight(ctx, resultID)
	}
	finished = finished.UTC()
	r.ExecID, r.JobID, r.ExitCode, r.FinishedAt = nullString(exec), nullString(job), &exit, &finished
	r.StartedAt, r.RecordedAt = r.StartedAt.UTC(), r.RecordedAt.UTC()
	return r, err
}

// ResultCounts is the fleet health window; skipped results are not failures.
type ResultCounts struct {
	WindowHours int `json:"window_hours"`
	Total       int `json:"total"`
	Failed      int `json:"failed"`
	Skipped     int `json:"skipped"`
}

// CountRecentResults counts results recorded since.
func (s *Store) CountRecentResults(ctx context.Context, since time.Time) (ResultCounts, error) {
	c := ResultCounts{WindowHours: 24}
	err := s.reader.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(exit_code <> 0 AND skipped = 0), 0), coalesce(sum(skipped), 0) FROM execution_results WHERE recorded_at >= ?", FormatTime(since)).Scan(&c.Total, &c.Failed, &c.Skipped)
	return c, err
}

// ---- executions ----

// ExecutionRow is an executions row.
type ExecutionRow struct {
	ExecID        string    `json:"exec_id"`
	JobID         string    `json:"job_id"`
	Version       string    `json:"version"`
	InitiatedBy   string    `json:"initiated_by"`
	InitiatedAt   time.Time `json:"initiated_at"`
	TargetCount   int       `json:"target_count"`
	SuccessCount  int       `json:"success_count"`
	FailureCount  int       `json:"failure_count"`
	SkippedCount  int       `json:"skipped_count"`
	Status        string    `json:"status"`
	InflightCount int       `json:"inflight_count"` // started, no result yet, not reaped
}

const executionCols = `exec_id, job_id, version, initiated_by, initiated_at, target_count, success_count, failure_count, skipped_count, status,
	(SELECT count(*) FROM inflight_runs i WHERE i.exec_id = e.exec_id AND i.reaped_at IS NULL)`

func scanExecution(sc interface{ Scan(...any) error }) (ExecutionRow, error) {
	var r ExecutionRow
	err := sc.Scan(&r.ExecID, &r.JobID, &r.Version, &r.InitiatedBy, &r.InitiatedAt, &r.TargetCount, &r.SuccessCount, &r.FailureCount, &r.SkippedCount, &r.Status, &r.InflightCount)
	r.InitiatedAt = r.InitiatedAt.UTC()
	return r, err
}

// ExecutionQuery filters GET /api/executions.
type ExecutionQuery struct {
	JobID, Status string
	Page
}

// ListExecutions pages executions, newest first.
func (s *Store) ListExecutions(ctx context.Context, q ExecutionQuery) ([]ExecutionRow, int, error) {
	if err := checkFilters("job_id", q.JobID, "status", q.Status); err != nil {
		return nil, 0, err
	}
	w := &where{}
	if q.JobID != "" {
		w.add("job_id = ?", q.JobID)
	}
	if q.Status != "" {
		w.add("status = ?", q.Status)
	}
	total, err := s.count(ctx, "executions e", w)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT "+executionCols+" FROM executions e"+w.sql()+" ORDER BY initiated_at DESC, exec_id LIMIT ? OFFSET ?", append(w.args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []ExecutionRow{}
	for rows.Next() {
		r, err := scanExecution(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// ExecutionResult is a result of an exec without its output.
type ExecutionResult struct {
	ResultID   string    `json:"result_id"`
	RequestID  string    `json:"request_id"`
	PCID       string    `json:"pc_id"`
	ExitCode   int       `json:"exit_code"`
	Skipped    bool      `json:"skipped"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
}

// InflightRun is a started run without a result yet (reaped ones are left
// out).
type InflightRun struct {
	ResultID  string    `json:"result_id"`
	PCID      string    `json:"pc_id"`
	StartedAt time.Time `json:"started_at"`
}

// ExecutionDetail is GET /api/executions/{exec_id}.
type ExecutionDetail struct {
	Execution ExecutionRow      `json:"execution"`
	Results   []ExecutionResult `json:"results"`
	Inflight  []InflightRun     `json:"inflight"`
}

// MaxExecutionResults bounds the per-PC list of one execution.
const MaxExecutionResults = 10_000

// DetailLimits bound the two lists of an execution detail. A page that polls
// a fleet-wide exec asks for few rows (it pages results through ListResults);
// the defaults keep the 0.29 route's full lists, up to MaxExecutionResults.
type DetailLimits struct {
	Results, Inflight int
}

// FullDetail is the 0.29 route's answer: both lists up to the cap.
var FullDetail = DetailLimits{Results: MaxExecutionResults, Inflight: MaxExecutionResults}

// GetExecution reads an exec with its per-PC results (by pc_id) and its
// in-flight runs, each list cut at its limit.
func (s *Store) GetExecution(ctx context.Context, execID string, lim DetailLimits) (ExecutionDetail, error) {
	var d ExecutionDetail
	r, err := scanExecution(s.reader.QueryRowContext(ctx, "SELECT "+executionCols+" FROM executions e WHERE exec_id = ?", execID))
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, err
	}
	d.Execution, d.Results, d.Inflight = r, []ExecutionResult{}, []InflightRun{}
	// By PC rather than 0.29's recorded_at: the (exec_id, pc_id) index
	// serves it without sorting 50,000 rows, and a per-PC list reads better.
	rows, err := s.reader.QueryContext(ctx, `SELECT result_id, request_id, pc_id, exit_code, skipped, started_at, finished_at FROM execution_results
		WHERE exec_id = ? ORDER BY pc_id LIMIT ?`, execID, min(lim.Results, MaxExecutionResults))
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var x ExecutionResult
		if err := rows.Scan(&x.ResultID, &x.RequestID, &x.PCID, &x.ExitCode, &x.Skipped, &x.StartedAt, &x.FinishedAt); err != nil {
			return d, err
		}
		x.StartedAt, x.FinishedAt = x.StartedAt.UTC(), x.FinishedAt.UTC()
		d.Results = append(d.Results, x)
	}
	irows, err := s.reader.QueryContext(ctx, "SELECT coalesce(result_id, ''), pc_id, started_at FROM inflight_runs WHERE exec_id = ? AND reaped_at IS NULL ORDER BY pc_id LIMIT ?", execID, min(lim.Inflight, MaxExecutionResults))
	if err != nil {
		return d, err
	}
	defer irows.Close()
	for irows.Next() {
		var x InflightRun
		if err := irows.Scan(&x.ResultID, &x.PCID, &x.StartedAt); err != nil {
			return d, err
		}
		x.StartedAt = x.StartedAt.UTC()
		d.Inflight = append(d.Inflight, x)
	}
	return d, irows.Err()
}

// ---- audit ----

// AuditEntry is an audit_log row with its payload as JSON.
type AuditEntry struct {
	ID         int64           `json:"id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	Target     *string         `json:"target"`
	Payload    json.RawMessage `json:"payload"`
	OccurredAt time.Time       `json:"occurred_at"`
}

// AuditQuery filters GET /api/audit.
type AuditQuery struct {
	Actor, Action string
	Since, Until  *time.Time
	Page
}

// ListAudit pages the audit log, newest first.
func (s *Store) ListAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, int, error) {
	if err := checkFilters("actor", q.Actor, "action", q.Action); err != nil {
		return nil, 0, err
	}
	w := &where{}
	if q.Actor != "" {
		w.add("actor = ?", q.Actor)
	}
	if q.Action != "" {
		w.add("action = ?", q.Action)
	}
	if q.Since != nil {
		w.add("occurred_at >= ?", FormatTime(*q.Since))
	}
	if q.Until != nil {
		w.add("occurred_at < ?", FormatTime(*q.Until))
	}
	total, err := s.count(ctx, "audit_log", w)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT id, actor, action, target, payload, occurred_at FROM audit_log"+w.sql()+" ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?", append(w.args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var target, payload sql.NullString
		if err := rows.Scan(&e.ID, &e.Actor, &e.Action, &target, &payload, &e.OccurredAt); err != nil {
			return nil, 0, err
		}
		e.Target, e.OccurredAt = nullString(target), e.OccurredAt.UTC()
		e.Payload = json.RawMessage("null")
		if payload.Valid && json.Valid([]byte(payload.String)) {
			e.Payload = json.RawMessage(payload.String)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// ---- inventory ----

// InventoryRow is one PC's facts for one probe.
type InventoryRow struct {
	PCID        string          `json:"pc_id,omitempty"`
	JobID       string          `json:"job_id,omitempty"`
	Facts       json.RawMessage `json:"facts"`
	Display     json.RawMessage `json:"display,omitempty"`
	Summary     json.RawMessage `json:"summary,omitempty"`
	CollectedAt *time.Time      `json:"collected_at"`
	RecordedAt  *time.Time      `json:"recorded_at,omitempty"`
}

func rawOrNull(v sql.NullString) json.RawMessage {
	if !v.Valid || !json.Valid([]byte(v.String)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(v.String)
}

// InventoryByJob lists every PC's facts for a probe, by pc_id, with the
// display and summary of the first row that has them.
func (s *Store) InventoryByJob(ctx context.Context, jobID string, p Page) (rows []InventoryRow, display, summary json.RawMessage, total int, err error) {
	w := &where{}
	w.add("job_id = ?", jobID)
	if total, err = s.count(ctx, "inventory_facts", w); err != nil {
		return
	}
	r, err := s.reader.QueryContext(ctx, "SELECT pc_id, facts_json, display_json, summary_json, collected_at FROM inventory_facts WHERE job_id = ? ORDER BY pc_id LIMIT ? OFFSET ?", jobID, p.Limit, p.Offset)
	if err != nil {
		return
	}
	defer r.Close()
	rows = []InventoryRow{}
	display, summary = json.RawMessage("null"), json.RawMessage("null")
	for r.Next() {
		var row InventoryRow
		var facts, disp, summ sql.NullString
		var collected sql.NullTime
		if err = r.Scan(&row.PCID, &facts, &disp, &summ, &collected); err != nil {
			return
		}
		row.Facts, row.CollectedAt = rawOrNull(facts), nullTime(collected)
		if string(display) == "null" && disp.Valid {
			display = rawOrNull(disp)
		}
		if string(summary) == "null" && summ.Valid {
			summary = rawOrNull(summ)
		}
		rows = append(rows, row)
	}
	err = r.Err()
	return
}

// InventoryHints are the display and summary of a probe's first row (by
// pc_id) that has them, for a caller that streams the rows.
func (s *Store) InventoryHints(ctx context.Context, jobID string) (display, summary json.RawMessage, err error) {
	var disp, summ sql.NullString
	err = s.reader.QueryRowContext(ctx, `SELECT
		(SELECT display_json FROM inventory_facts WHERE job_id = ?1 AND display_json IS NOT NULL ORDER BY pc_id LIMIT 1),
		(SELECT summary_json FROM inventory_facts WHERE job_id = ?1 AND summary_json IS NOT NULL ORDER BY pc_id LIMIT 1)`, jobID).Scan(&disp, &summ)
	return rawOrNull(disp), rawOrNull(summ), err
}

// CountAllInventory counts a probe's rows without CountCap.
func (s *Store) CountAllInventory(ctx context.Context, jobID string) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM inventory_facts WHERE job_id = ?", jobID).Scan(&n)
	return n, err
}

// InventoryPCCounts is how many PCs have a stored collection, per probe
// (read from the job_id index alone).
func (s *Store) InventoryPCCounts(ctx context.Context) (map[string]int, error) {
	r, err := s.reader.QueryContext(ctx, "SELECT job_id, count(*) FROM inventory_facts GROUP BY job_id")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := map[string]int{}
	for r.Next() {
		var job string
		var n int
		if err := r.Scan(&job, &n); err != nil {
			return nil, err
		}
		out[job] = n
	}
	return out, r.Err()
}

// EachInventoryRow calls fn for a probe's rows by pc_id, one at a time;
// p.Limit < 0 means every row.
func (s *Store) EachInventoryRow(ctx context.Context, jobID string, p Page, fn func(InventoryRow) error) error {
	r, err := s.reader.QueryContext(ctx, "SELECT pc_id, facts_json, collected_at FROM inventory_facts WHERE job_id = ? ORDER BY pc_id LIMIT ? OFFSET ?", jobID, p.Limit, p.Offset)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		var row InventoryRow
		var facts sql.NullString
		var collected sql.NullTime
		if err := r.Scan(&row.PCID, &facts, &collected); err != nil {
			return err
		}
		row.Facts, row.CollectedAt = rawOrNull(facts), nullTime(collected)
		if err := fn(row); err != nil {
			return err
		}
	}
	return r.Err()
}

// InventoryOfPC lists a PC's facts for every probe, by job_id.
func (s *Store) InventoryOfPC(ctx context.Context, pcID string) ([]InventoryRow, error) {
	r, err := s.reader.QueryContext(ctx, "SELECT job_id, facts_json, display_json, summary_json, collected_at, recorded_at FROM inventory_facts WHERE pc_id = ? ORDER BY job_id", pcID)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := []InventoryRow{}
	for r.Next() {
		var row InventoryRow
		var facts, disp, summ sql.NullString
		var collected, recorded sql.NullTime
		if err := r.Scan(&row.JobID, &facts, &disp, &summ, &collected, &recorded); err != nil {
			return nil, err
		}
		row.Facts, row.Display, row.Summary = rawOrNull(facts), rawOrNull(disp), rawOrNull(summ)
		row.CollectedAt, row.RecordedAt = nullTime(collected), nullTime(recorded)
		out = append(out, row)
	}
	return out, r.Err()
}

// ---- dead letters ----

// DeadLetterRow is a dead_letters row.
type DeadLetterRow struct {
	ID          int64     `json:"id"`
	Stream      string    `json:"stream"`
	StreamSeq   int64     `json:"stream_seq"`
	Subject     string    `json:"subject"`
	Error       string    `json:"error"`
	PayloadSize int       `json:"payload_size"`
	PayloadHead string    `json:"payload_head"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// ListDeadLetters pages dead letters, newest first.
func (s *Store) ListDeadLetters(ctx context.Context, p Page) ([]DeadLetterRow, int, error) {
	w := &where{}
	total, err := s.count(ctx, "dead_letters", w)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.reader.QueryContext(ctx, "SELECT id, stream, stream_seq, subject, error, payload_size, substr(payload_head, 1, 4096), recorded_at FROM dead_letters ORDER BY id DESC LIMIT ? OFFSET ?", p.Limit, p.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []DeadLetterRow{}
	for rows.Next() {
		var d DeadLetterRow
		var head []byte
		if err := rows.Scan(&d.ID, &d.Stream, &d.StreamSeq, &d.Subject, &d.Error, &d.PayloadSize, &head, &d.RecordedAt); err != nil {
			return nil, 0, err
		}
		d.PayloadHead, d.RecordedAt = strings.ToValidUTF8(string(head), "\uFFFD"), d.RecordedAt.UTC()
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// CountDeadLetters counts every dead letter.
func (s *Store) CountDeadLetters(ctx context.Context) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, "SELECT count(*) FROM dead_letters").Scan(&n)
	return n, err
}
