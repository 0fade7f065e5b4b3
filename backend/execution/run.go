package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// RunRequest is POST /api/run's body.
type RunRequest struct {
	PCID        string  `json:"pc_id"`
	Shell       string  `json:"shell"`
	Script      string  `json:"script"`
	TimeoutSecs *uint64 `json:"timeout_secs"`
	// ExecID lets kill.<exec_id> reach the run; kanade's body called it
	// job_id before 0.29 and the front door accepts both.
	ExecID     *string `json:"exec_id"`
	JitterSecs *uint64 `json:"jitter_secs"`
}

// DefaultRunTimeout is 0.29's timeout_secs default.
const DefaultRunTimeout = 60

// Run sends a script to one PC and waits for its result, exactly like
// kanade: subscribe results.<request_id> and flush before publishing on
// commands.pc.<pc>, then wait timeout+10 s. The result also lands in RESULTS
// and is projected like any other (exec_id null, job_id adhoc-run).
func (s *Service) Run(ctx context.Context, req RunRequest) (wire.ExecResult, error) {
	if !wire.ValidSubjectToken(req.PCID) {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInvalid, nil, "pc_id %q is missing or not a valid subject token", req.PCID)
	}
	shellName := req.Shell
	if shellName == "" {
		shellName = "powershell"
	}
	shell, err := wire.ShellFromAlias(shellName)
	if err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInvalid, err, "shell")
	}
	if strings.TrimSpace(req.Script) == "" {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInvalid, nil, "script is empty")
	}
	timeout := uint64(DefaultRunTimeout)
	if req.TimeoutSecs != nil {
		timeout = *req.TimeoutSecs
	}
	if timeout == 0 || timeout > 7*24*3600 {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInvalid, nil, "timeout_secs must be between 1 and 604800")
	}
	if req.ExecID != nil && !wire.ValidSubjectToken(*req.ExecID) {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInvalid, nil, "exec_id %q is not a valid subject token", *req.ExecID)
	}
	requestID := uuid.NewString()
	cmd := wire.NewAdhocCommand(requestID, req.ExecID, shell, req.Script, timeout, req.JitterSecs)
	data, err := wire.Marshal(cmd)
	if err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInternal, err, "encode command")
	}

	sub, err := s.nc.SubscribeSync(wire.SubjectResults(requestID))
	if err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindBadGateway, err, "subscribe for the result")
	}
	defer sub.Unsubscribe()
	if err := s.nc.FlushTimeout(5 * time.Second); err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindBadGateway, err, "flush subscription")
	}
	if err := s.nc.Publish(wire.SubjectCommandsPC(req.PCID), data); err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindBadGateway, err, "publish to %s", wire.SubjectCommandsPC(req.PCID))
	}
	if err := s.nc.FlushTimeout(5 * time.Second); err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindBadGateway, err, "flush command")
	}
	wait := time.Duration(timeout)*time.Second + 10*time.Second
	if req.JitterSecs != nil {
		wait += time.Duration(*req.JitterSecs) * time.Second
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	msg, err := sub.NextMsgWithContext(wctx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return wire.ExecResult{}, svcerr.New(svcerr.KindTimeout, nil, "no result from %s within %s", req.PCID, wait)
		}
		return wire.ExecResult{}, svcerr.New(svcerr.KindBadGateway, err, "wait for result")
	}
	var r wire.ExecResult
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		return wire.ExecResult{}, svcerr.New(svcerr.KindInternal, err, "agent %s answered with an unreadable result", req.PCID)
	}
	return r, nil
}

// DefaultPingWait is 0.29's ping wait.
const DefaultPingWait = 45 * time.Second

// Ping waits for the PC's next heartbeat (0.29 semantics: heartbeats are
// periodic, so this can take up to the heartbeat interval).
func (s *Service) Ping(ctx context.Context, pcID string, wait time.Duration) (wire.Heartbeat, error) {
	if !wire.ValidSubjectToken(pcID) {
		return wire.Heartbeat{}, svcerr.New(svcerr.KindInvalid, nil, "pc_id %q is not a valid subject token", pcID)
	}
	if wait <= 0 {
		wait = DefaultPingWait
	}
	sub, err := s.nc.SubscribeSync(wire.SubjectHeartbeat(pcID))
	if err != nil {
		return wire.Heartbeat{}, svcerr.New(svcerr.KindBadGateway, err, "subscribe heartbeat")
	}
	defer sub.Unsubscribe()
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		msg, err := sub.NextMsgWithContext(wctx)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return wire.Heartbeat{}, svcerr.New(svcerr.KindTimeout, nil, "no heartbeat from %s within %s", pcID, wait)
			}
			return wire.Heartbeat{}, svcerr.New(svcerr.KindBadGateway, err, "wait for heartbeat")
		}
		var hb wire.Heartbeat
		if err := json.Unmarshal(msg.Data, &hb); err != nil {
			continue // a malformed beat is not an answer; keep waiting
		}
		return hb, nil
	}
}

// Logs asks an agent for the tail of its log (request/reply, 10 s).
func (s *Service) Logs(ctx context.Context, pcID string, tail uint32) (string, error) {
	if !wire.ValidSubjectToken(pcID) {
		return "", svcerr.New(svcerr.KindInvalid, nil, "pc_id %q is not a valid subject token", pcID)
	}
	if tail == 0 {
		tail = wire.DefaultLogsTailLines
	}
	body, _ := wire.Marshal(wire.LogsRequest{TailLines: tail})
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	msg, err := s.nc.RequestWithContext(rctx, wire.SubjectLogsFetch(pcID), body)
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return "", svcerr.New(svcerr.KindBadGateway, err, "agent %s is not connected", pcID)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout):
		return "", svcerr.New(svcerr.KindGatewayTimeout, nil, "agent %s did not answer within 10s", pcID)
	case err != nil:
		return "", svcerr.New(svcerr.KindBadGateway, err, "logs request")
	}
	return string(msg.Data), nil
}

// ExpireStale marks executions pending for over an hour as expired (0.30).
func (s *Service) ExpireStale(ctx context.Context, after time.Duration) (int64, error) {
	n, err := s.store.ExpireStaleExecutions(ctx, s.now().Add(-after))
	if err != nil {
		return 0, fmt.Errorf("expire stale executions: %w", err)
	}
	return n, nil
}
