package console

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"time"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Live runs (issue 17, kanade v0.30+ §2): the output tail of a running
// result, the live counters of the job list, and the reaper of in-flight
// runs whose result never comes.

// DefaultTailTimeout is how long GET /api/results/{id}/tail waits for the
// agent (kanade's 3 s; the SPA polls every 5 s).
const DefaultTailTimeout = 3 * time.Second

// ResultTail is GET /api/results/{result_id}/tail. live says the text came
// from the agent just now; running false means the result is in and the
// text is the stored output.
type ResultTail struct {
	Running         bool   `json:"running"`
	Live            bool   `json:"live"`
	Stdout          string `json:"stdout"`
	Stderr          string `json:"stderr"`
	StdoutTruncated bool   `json:"stdout_truncated"`
	StderrTruncated bool   `json:"stderr_truncated"`
	ExitCode        *int   `json:"exit_code"`
}

// waitingTail is the answer while the agent does not (or cannot) answer.
var waitingTail = ResultTail{Running: true}

// ResultTail follows kanade's steps: an unknown id is not found; a finished
// (or reaped) row answers from the database without NATS; otherwise the
// agent is asked on job.tail.<pc_id> and any failure to get a usable answer
// (timeout, no responder, undecodable reply, found false) is the "waiting"
// shape rather than an error, so a poller keeps polling.
func (c *Console) ResultTail(ctx context.Context, resultID string) (ResultTail, error) {
	row, err := c.store.GetResult(ctx, resultID)
	if err != nil {
		return ResultTail{}, err
	}
	if !row.Running() {
		return ResultTail{Stdout: row.Stdout, Stderr: row.Stderr, ExitCode: row.ExitCode}, nil
	}
	reply, ok := c.askTail(ctx, row)
	if !ok {
		return waitingTail, nil
	}
	return ResultTail{
		Running: reply.Running, Live: true, Stdout: reply.Stdout, Stderr: reply.Stderr,
		StdoutTruncated: reply.StdoutTruncated, StderrTruncated: reply.StderrTruncated,
	}, nil
}

func (c *Console) askTail(ctx context.Context, row store.ResultRow) (wire.JobTailReply, bool) {
	if c.broker == nil || !wire.ValidSubjectToken(row.PCID) {
		return wire.JobTailReply{}, false
	}
	nc := c.broker.Conn()
	if nc == nil {
		return wire.JobTailReply{}, false
	}
	body, err := json.Marshal(wire.JobTailRequest{ResultID: row.ResultID})
	if err != nil {
		return wire.JobTailReply{}, false
	}
	rctx, cancel := context.WithTimeout(ctx, c.tailTimeout())
	defer cancel()
	msg, err := nc.RequestWithContext(rctx, wire.SubjectJobTail(row.PCID), body)
	if err != nil {
		c.log.Debug("tail request unanswered", "pc_id", row.PCID, "result_id", row.ResultID, "err", err)
		return wire.JobTailReply{}, false
	}
	reply, err := wire.DecodeJobTailReply(msg.Data)
	if err != nil {
		c.log.Warn("undecodable tail reply", "pc_id", row.PCID, "result_id", row.ResultID, "err", err)
		return wire.JobTailReply{}, false
	}
	return reply, reply.Found
}

func (c *Console) tailTimeout() time.Duration {
	if c.tailWait > 0 {
		return c.tailWait
	}
	return DefaultTailTimeout
}

// JobRow is one row of GET /api/jobs: the stored manifest flattened at the
// top level, plus kanade's live counters of its pending and running
// executions.
type JobRow struct {
	execution.Job
	Live store.LiveCounts
}

// MarshalJSON writes the job's own JSON with "live" added.
func (j JobRow) MarshalJSON() ([]byte, error) {
	base, err := j.Job.MarshalJSON()
	if err != nil {
		return nil, err
	}
	live, err := json.Marshal(j.Live)
	if err != nil {
		return nil, err
	}
	return wire.SetFields(base, wire.Extra{{Key: "live", Value: live}}, true)
}

// JSONShape is the job's shape and the live counters.
func (JobRow) JSONShape() any { return wire.JSONAllOf{execution.Job{}, jobLive{}} }

// jobLive keeps unknown keys (Extra): the other part of the allOf has them.
type jobLive struct {
	Live  store.LiveCounts `json:"live"`
	Extra wire.Extra
}

// ListJobRows is the catalog with each job's live counters (one grouped
// query; jobs with nothing pending or running get zeros).
func (c *Console) ListJobRows(ctx context.Context) ([]JobRow, error) {
	jobs, err := c.ListJobs(ctx)
	if err != nil {
		return nil, err
	}
	live, err := c.store.LiveCountsByJob(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]JobRow, len(jobs))
	for i, j := range jobs {
		out[i] = JobRow{Job: j, Live: live[j.Key]}
	}
	return out, nil
}

// ReapOnce stamps reaped the in-flight runs started more than the
// configured threshold before now (retention.Policy.ReapInflight; zero
// never reaps) and returns how many. The maintenance loop calls it with the
// wall clock; tests call it with any now.
func (c *Console) ReapOnce(ctx context.Context, now time.Time) (int64, error) {
	after := c.cfg.Retention.ReapInflight
	if after <= 0 {
		return 0, nil
	}
	n, err := c.store.ReapInflight(ctx, now.Add(-after), now)
	if n > 0 {
		c.reaped.Add(uint64(n))
		c.log.Info("reaped in-flight runs without a result", "count", n, "started_before", now.Add(-after))
	}
	return n, err
}

// Reaped is how many in-flight runs the reaper has stamped since start.
func (c *Console) Reaped() uint64 { return c.reaped.Load() }

// reapedCount is what the reaper has stamped since start.
type reapedCount = atomic.Uint64
