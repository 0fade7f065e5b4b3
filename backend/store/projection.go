package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// Tx is one projection transaction on the writer connection, with the hot
// statements prepared once per Store and bound to this transaction.
type Tx struct {
	tx    *sql.Tx
	stmts *statements
	cache map[*sql.Stmt]*sql.Stmt
	now   string
	store *Store
	dyn   map[string]*sql.Stmt // per-table statements (explode.go)
	// commitHooks run after a successful commit (process caches that must
	// not see a rolled-back change).
	commitHooks []func(*Store)
}

func (t *Tx) afterCommit(fn func(*Store)) { t.commitHooks = append(t.commitHooks, fn) }

// SQL returns the underlying transaction for one-off statements.
func (t *Tx) SQL() *sql.Tx { return t.tx }

// Now is the transaction's timestamp, used for recorded_at/updated_at so one
// batch shares one time.
func (t *Tx) Now() string { return t.now }

func (t *Tx) stmt(ctx context.Context, s *sql.Stmt) *sql.Stmt {
	if bound, ok := t.cache[s]; ok {
		return bound
	}
	bound := t.tx.StmtContext(ctx, s)
	t.cache[s] = bound
	return bound
}

type statements struct {
	once sync.Once
	err  error

	insertResult, countResult, finishInflight, startInflight, hasResult, anyInflight *sql.Stmt
	upsertInventory, insertAudit, insertDeadLetter, upsertAgent, setPosition         *sql.Stmt
	insertHistory, priorInventory                                                    *sql.Stmt
}

func (s *Store) prepare(ctx context.Context) (*statements, error) {
	st := &s.stmts
	st.once.Do(func() {
		p := func(q string) *sql.Stmt {
			if st.err != nil {
				return nil
			}
			stmt, err := s.writer.PrepareContext(ctx, q)
			if err != nil {
				st.err = fmt.Errorf("store: prepare %q: %w", q[:min(len(q), 60)], err)
			}
			return stmt
		}
		st.insertResult = p(`INSERT INTO execution_results
			(result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, started_at, finished_at, recorded_at, job_id, skipped)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(result_id) DO NOTHING`)
		// The seed's single-statement counter bump: success, failure or
		// skipped plus the status recomputed from the new totals.
		st.countResult = p(`UPDATE executions
			SET success_count = success_count + ?1,
			    failure_count = failure_count + ?2,
			    skipped_count = skipped_count + ?4,
			    status = CASE WHEN success_count + ?1 + failure_count + ?2 + skipped_count + ?4 >= target_count THEN 'completed' ELSE 'running' END
			WHERE exec_id = ?3`)
		st.finishInflight = p(`DELETE FROM inflight_runs WHERE exec_id = ? AND pc_id = ?`)
		st.anyInflight = p(`SELECT EXISTS (SELECT 1 FROM inflight_runs)`)
		st.hasResult = p(`SELECT EXISTS (SELECT 1 FROM execution_results WHERE exec_id = ? AND pc_id = ?)`)
		// Any conflict (the same run, or its result id) makes a redelivered
		// start a no-op.
		st.startInflight = p(`INSERT INTO inflight_runs (exec_id, pc_id, manifest_id, version, started_at, recorded_at, result_id, request_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, '')) ON CONFLICT DO NOTHING`)
		// Results can be projected out of stream order (a nak'd batch is
		// redelivered later), so the newest collection wins, not the last write.
		st.upsertInventory = p(`INSERT INTO inventory_facts
			(pc_id, job_id, facts_json, display_json, summary_json, collected_at, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(pc_id, job_id) DO UPDATE SET
				facts_json = excluded.facts_json,
				display_json = excluded.display_json,
				summary_json = excluded.summary_json,
				collected_at = excluded.collected_at,
				recorded_at = excluded.recorded_at
			WHERE excluded.collected_at >= inventory_facts.collected_at`)
		st.priorInventory = p(`SELECT facts_json, collected_at FROM inventory_facts WHERE pc_id = ? AND job_id = ?`)
		st.insertHistory = p(`INSERT INTO inventory_history (pc_id, job_id, field_path, identity_json, change_kind, before_json, after_json, observed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		st.insertAudit = p(`INSERT OR IGNORE INTO audit_log (actor, action, target, payload, occurred_at, stream_seq, stream_created)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		// Within one incarnation of a stream the position only moves
		// forward (a redelivered older batch must not pull it back); a new
		// incarnation replaces it.
		st.setPosition = p(`INSERT INTO projection_positions (stream, stream_created, last_seq, updated_at)
			VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT(stream) DO UPDATE SET
				last_seq = CASE WHEN stream_created = excluded.stream_created THEN max(last_seq, excluded.last_seq) ELSE excluded.last_seq END,
				stream_created = excluded.stream_created,
				updated_at = excluded.updated_at`)
		st.insertDeadLetter = p(`INSERT OR IGNORE INTO dead_letters
			(stream, stream_created, stream_seq, subject, error, payload_head, payload_size, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		st.upsertAgent = p(`INSERT INTO agents (pc_id, hostname, last_heartbeat, agent_version, os_family, updated_at)
			VALUES (?, NULLIF(?, ''), ?, ?, NULLIF(?, ''), ?)
			ON CONFLICT(pc_id) DO UPDATE SET
				hostname = COALESCE(NULLIF(excluded.hostname, ''), agents.hostname),
				os_family = COALESCE(NULLIF(excluded.os_family, ''), agents.os_family),
				agent_version = excluded.agent_version,
				last_heartbeat = excluded.last_heartbeat,
				updated_at = excluded.updated_at`)
	})
	return st, st.err
}

// Project runs fn in one write transaction and commits. Any error rolls the
// whole transaction back, so a batch is projected entirely or not at all.
func (s *Store) Project(ctx context.Context, fn func(*Tx) error) error {
	st, err := s.prepare(ctx)
	if err != nil {
		return err
	}
	sqlTx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{tx: sqlTx, stmts: st, cache: map[*sql.Stmt]*sql.Stmt{}, now: FormatTime(time.Now()), store: s}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		s.noteErr(err)
		return err
	}
	err = sqlTx.Commit()
	s.noteErr(err)
	if err == nil {
		for _, h := range tx.commitHooks {
			h(s)
		}
	}
	return err
}

// Result is one execution_results row.
type Result struct {
	ResultID   string
	RequestID  string
	ExecID     *string
	PCID       string
	ExitCode   int
	Stdout     string
	Stderr     string
	StartedAt  time.Time
	FinishedAt time.Time
	JobID      *string
	Skipped    bool // the agent reported instead of running (newer agents)
}

// InsertResult inserts r unless its result_id is known and reports whether
// the row was new. Only new rows may be counted (CountResults), so a
// redelivered message never counts twice.
func (t *Tx) InsertResult(ctx context.Context, r Result) (bool, error) {
	res, err := t.stmt(ctx, t.stmts.insertResult).ExecContext(ctx,
		r.ResultID, r.RequestID, r.ExecID, r.PCID, r.ExitCode, r.Stdout, r.Stderr,
		FormatTime(r.StartedAt), FormatTime(r.FinishedAt), t.now, r.JobID, r.Skipped)
	if err != nil {
		return false, fmt.Errorf("insert result %s: %w", r.ResultID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ResultCount is what a batch adds to one exec's counters.
type ResultCount struct{ Success, Failure, Skipped int }

// CountResults adds newly inserted results to an exec's counters and
// recomputes its status, like 0.29's per-result UPDATE but once per exec per
// batch.
func (t *Tx) CountResults(ctx context.Context, execID string, c ResultCount) error {
	if _, err := t.stmt(ctx, t.stmts.countResult).ExecContext(ctx, c.Success, c.Failure, execID, c.Skipped); err != nil {
		return fmt.Errorf("count results of exec %s: %w", execID, err)
	}
	return nil
}

// RunKey names one PC's run of one exec.
type RunKey struct{ ExecID, PCID string }

// FinishInflight clears the in-flight markers of runs whose result arrived.
// Most fleets never send started events, so it checks once whether there is
// anything to clear before touching rows.
func (t *Tx) FinishInflight(ctx context.Context, runs []RunKey) error {
	if len(runs) == 0 {
		return nil
	}
	var any bool
	if err := t.stmt(ctx, t.stmts.anyInflight).QueryRowContext(ctx).Scan(&any); err != nil || !any {
		return err
	}
	for _, r := range runs {
		if _, err := t.stmt(ctx, t.stmts.finishInflight).ExecContext(ctx, r.ExecID, r.PCID); err != nil {
			return fmt.Errorf("finish in-flight run: %w", err)
		}
	}
	return nil
}

// Started is one events.started run.
type Started struct {
	ResultID  string // "" (older v0.30 agents): InflightResultID
	RequestID string // "" when the agent did not send it
	ExecID    string
	PCID      string
	JobID     string // the event's manifest_id
	Version   string
	StartedAt time.Time
}

// InflightResultID is the result id of an in-flight run whose started
// event carried none (the first v0.30 agents), so that every in-flight row
// can be addressed; migration 0009 gives older markers the same.
func InflightResultID(execID, pcID string) string { return "inflight:" + execID + ":" + pcID }

// StartInflight records that a PC started an exec, unless its result is
// already projected (events and results may arrive in either order).
func (t *Tx) StartInflight(ctx context.Context, s Started) error {
	var done bool
	if err := t.stmt(ctx, t.stmts.hasResult).QueryRowContext(ctx, s.ExecID, s.PCID).Scan(&done); err != nil {
		return err
	}
	if done {
		return nil
	}
	if s.ResultID == "" {
		s.ResultID = InflightResultID(s.ExecID, s.PCID)
	}
	_, err := t.stmt(ctx, t.stmts.startInflight).ExecContext(ctx, s.ExecID, s.PCID, s.JobID, s.Version, FormatTime(s.StartedAt), t.now, s.ResultID, s.RequestID)
	return err
}

// InventoryFact is one inventory_facts row.
type InventoryFact struct {
	PCID        string
	JobID       string
	FactsJSON   string
	DisplayJSON string
	SummaryJSON *string
	CollectedAt time.Time
}

// UpsertInventory stores the newest facts of a PC for one inventory job.
func (t *Tx) UpsertInventory(ctx context.Context, f InventoryFact) error {
	_, err := t.stmt(ctx, t.stmts.upsertInventory).ExecContext(ctx,
		f.PCID, f.JobID, f.FactsJSON, f.DisplayJSON, f.SummaryJSON, FormatTime(f.CollectedAt), t.now)
	return err
}

// AuditRow is one audit_log row from the AUDIT stream.
type AuditRow struct {
	StreamSeq uint64
	// StreamCreated is the AUDIT stream's creation time (FormatTime): with
	// StreamSeq it names the event across a recreated stream.
	StreamCreated string
	Actor         string
	Action        string
	Target        *string
	Payload       string
	OccurredAt    time.Time
}

// InsertAudit stores an audit event once per stream sequence.
func (t *Tx) InsertAudit(ctx context.Context, a AuditRow) error {
	_, err := t.stmt(ctx, t.stmts.insertAudit).ExecContext(ctx, a.Actor, a.Action, a.Target, a.Payload, FormatTime(a.OccurredAt), int64(a.StreamSeq), a.StreamCreated)
	return err
}

// DeadLetterHeadBytes is how much of an undecodable payload is kept.
const DeadLetterHeadBytes = 64 << 10

// DeadLetter is a message a projector could not decode.
type DeadLetter struct {
	Stream string
	// StreamCreated is the stream's creation time (FormatTime), '' when
	// unknown: with StreamSeq it names the message across a recreated
	// stream, whose sequences restart at 1.
	StreamCreated string
	StreamSeq     uint64
	Subject       string
	Err           string
	Payload       []byte
}

// InsertDeadLetter keeps the head of the payload and why it failed, once
// per stream incarnation and sequence.
func (t *Tx) InsertDeadLetter(ctx context.Context, d DeadLetter) error {
	head := d.Payload
	if len(head) > DeadLetterHeadBytes {
		head = head[:DeadLetterHeadBytes]
	}
	if head == nil {
		head = []byte{}
	}
	_, err := t.stmt(ctx, t.stmts.insertDeadLetter).ExecContext(ctx, d.Stream, d.StreamCreated, int64(d.StreamSeq), d.Subject, d.Err, head, len(d.Payload), t.now)
	return err
}

// Agent is the heartbeat part of an agents row.
type Agent struct {
	PCID          string
	Hostname      string // "" keeps the stored value
	OSFamily      string // "" keeps the stored value
	AgentVersion  string
	LastHeartbeat time.Time
}

// UpsertAgent records a heartbeat.
func (t *Tx) UpsertAgent(ctx context.Context, a Agent) error {
	_, err := t.stmt(ctx, t.stmts.upsertAgent).ExecContext(ctx, a.PCID, a.Hostname, FormatTime(a.LastHeartbeat), a.AgentVersion, a.OSFamily, t.now)
	return err
}
