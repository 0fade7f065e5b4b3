package execution

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Manifest reads a job from the jobs bucket. Execs read the bucket rather
// than the mirror so an exec right after a job upsert uses the new version.
func (s *Service) Manifest(ctx context.Context, jobID string) (wire.Manifest, error) {
	kv, err := s.kv(ctx, wire.BucketJobs)
	if err != nil {
		return wire.Manifest{}, err
	}
	e, err := kv.Get(ctx, jobID)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return wire.Manifest{}, svcerr.New(svcerr.KindNotFound, nil, "job %q is not in the catalog; register it first (POST /api/jobs)", jobID)
	}
	if err != nil {
		return wire.Manifest{}, svcerr.New(svcerr.KindUnavailable, err, "read job %q", jobID)
	}
	j := ReadJob(jobID, e.Value())
	if !j.Supported {
		return wire.Manifest{}, svcerr.New(svcerr.KindConflict, nil, "job %q in the catalog cannot be used by this console: %s", jobID, j.Reason)
	}
	return j.Manifest, nil
}

// plannedCommand is one Command and the subject it goes to, with the delay
// of its wave (zero = now).
type plannedCommand struct {
	subject string
	delay   time.Duration
	command wire.Command
}

// Exec fans a catalog job out to its targets, like POST /api/exec/{job_id}
// and every scheduler fire. Everything is validated before anything is
// published; the version pin is written before the first Command (0.29 wrote
// it after, so agents could drop the first exec after a bump, #258); the
// execution record goes to EVENTS so every console projects the row.
func (s *Service) Exec(ctx context.Context, jobID string, plan wire.FanoutPlan, c svcerr.Caller) (wire.ExecResponse, error) {
	m, err := s.Manifest(ctx, jobID)
	if err != nil {
		return wire.ExecResponse{}, err
	}
	if err := plan.Validate(); err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindInvalid, err, "")
	}
	if _, err := m.TimeoutSecs(); err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindInvalid, err, "job %q has a bad execute.timeout", jobID)
	}
	execID := uuid.NewString()
	planned, err := s.plan(m, execID, plan)
	if err != nil {
		return wire.ExecResponse{}, err
	}
	subjects := make([]string, len(planned))
	for i, p := range planned {
		subjects[i] = p.subject
	}
	targetCount, err := s.countTargets(ctx, plan)
	if err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindInternal, err, "resolve targets")
	}
	if targetCount == 0 {
		// Nothing resolved (no live agent known yet, unknown group): fall
		// back to 0.29's count of subjects so the row can still complete.
		targetCount = len(subjects)
	}

	// 1. Pin the version: agents drop a Command whose version differs from
	// script_current, so the pin must be in place before they can see it.
	cur, err := s.kv(ctx, wire.BucketScriptCurrent)
	if err != nil {
		return wire.ExecResponse{}, err
	}
	if _, err := cur.PutString(ctx, m.ID, m.Version); err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindBadGateway, err, "pin %s to version %s (nothing was published)", m.ID, m.Version)
	}

	// 2. The execution record, on EVENTS for every console and locally at
	// once so the caller can read its own exec.
	now := s.now()
	rec := wire.ExecutionRecord{ExecID: execID, JobID: m.ID, Version: m.Version, InitiatedBy: c.Actor, InitiatedAt: wire.Time{Time: now}, TargetCount: targetCount, Subjects: subjects}
	data, err := wire.Marshal(rec)
	if err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindInternal, err, "encode execution record")
	}
	if _, err := s.js.Publish(ctx, wire.SubjectExecutionRecord(execID), data); err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindBadGateway, err, "publish execution record (nothing was sent to agents)")
	}
	if err := s.store.Project(ctx, func(tx *store.Tx) error {
		return tx.UpsertExecution(ctx, store.Execution{ExecID: execID, JobID: m.ID, Version: m.Version, InitiatedBy: c.Actor, InitiatedAt: now, TargetCount: targetCount})
	}); err != nil {
		s.log.Warn("local executions row; the EVENTS projection will write it", "exec_id", execID, "err", err)
	}

	// 3. Later waves wait durably in NATS; the rest goes out now.
	for i, p := range planned {
		if p.delay > 0 {
			if err := s.waves.add(ctx, execID, m.ID, i, p.subject, now.Add(p.delay), p.command); err != nil {
				return wire.ExecResponse{}, svcerr.New(svcerr.KindBadGateway, err, "store delayed wave %d", i)
			}
		}
	}
	for _, p := range planned {
		if p.delay > 0 {
			continue
		}
		if err := s.publishCommand(p.subject, p.command); err != nil {
			return wire.ExecResponse{}, svcerr.New(svcerr.KindBadGateway, err, "publish to %s", p.subject)
		}
	}
	if err := s.nc.FlushTimeout(5 * time.Second); err != nil {
		return wire.ExecResponse{}, svcerr.New(svcerr.KindBadGateway, err, "flush commands")
	}

	s.Audit(ctx, c, "exec", m.ID, map[string]any{
		"exec_id": execID, "version": m.Version, "target_count": targetCount,
		"subjects": subjects, "wave_mode": plan.HasWaves(),
	})
	s.log.Info("exec", "exec_id", execID, "job_id", m.ID, "version", m.Version, "target_count", targetCount, "subjects", len(subjects), "actor", c.Actor)
	return wire.ExecResponse{ExecID: execID, JobID: m.ID, Version: m.Version, TargetCount: targetCount, Subjects: subjects}, nil
}

// plan builds one Command per subject, each with its own request_id (0.29).
func (s *Service) plan(m wire.Manifest, execID string, plan wire.FanoutPlan) ([]plannedCommand, error) {
	var out []plannedCommand
	add := func(subject string, delay time.Duration) error {
		cmd, err := m.Command(uuid.NewString(), &execID, plan)
		if err != nil {
			return svcerr.New(svcerr.KindInvalid, err, "")
		}
		out = append(out, plannedCommand{subject: subject, delay: delay, command: cmd})
		return nil
	}
	checkToken := func(kind, v string) error {
		if !wire.ValidSubjectToken(v) {
			return svcerr.New(svcerr.KindInvalid, nil, "%s %q cannot be a NATS subject token (no spaces, dots, * or >)", kind, v)
		}
		return nil
	}
	if plan.HasWaves() {
		for i, w := range plan.Rollout.Waves {
			if err := checkToken("wave group", w.Group); err != nil {
				return nil, err
			}
			if err := w.Delay.Err(); err != nil {
				return nil, svcerr.New(svcerr.KindInvalid, err, "rollout.waves[%d].delay", i)
			}
			if err := add(wire.SubjectCommandsGroup(w.Group), w.Delay.Std()); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	if plan.Target.All {
		if err := add(wire.SubjectCommandsAll, 0); err != nil {
			return nil, err
		}
	}
	for _, g := range plan.Target.Groups {
		if err := checkToken("group", g); err != nil {
			return nil, err
		}
		if err := add(wire.SubjectCommandsGroup(g), 0); err != nil {
			return nil, err
		}
	}
	for _, pc := range plan.Target.PCs {
		if err := checkToken("pc", pc); err != nil {
			return nil, err
		}
		if err := add(wire.SubjectCommandsPC(pc), 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countTargets counts PCs, not subjects (0.29 bug #485): alive agents for
// all, alive members for groups and waves, the listed PCs as given.
func (s *Service) countTargets(ctx context.Context, plan wire.FanoutPlan) (int, error) {
	pcs, err := s.ResolveTargets(ctx, plan)
	return len(pcs), err
}

// ResolveTargets is the set of PCs a plan reaches now, sorted.
func (s *Service) ResolveTargets(ctx context.Context, plan wire.FanoutPlan) ([]string, error) {
	set := map[string]bool{}
	var alive map[string]bool
	loadAlive := func() error {
		if alive != nil {
			return nil
		}
		list, err := s.store.AlivePCs(ctx, s.now().Add(-AliveWindow))
		if err != nil {
			return err
		}
		alive = make(map[string]bool, len(list))
		for _, pc := range list {
			alive[pc] = true
		}
		return nil
	}
	addGroup := func(g string) error {
		if err := loadAlive(); err != nil {
			return err
		}
		if s.groups == nil {
			return nil
		}
		for _, pc := range s.groups.Members(g) {
			if alive[pc] {
				set[pc] = true
			}
		}
		return nil
	}
	if plan.HasWaves() {
		for _, w := range plan.Rollout.Waves {
			if err := addGroup(w.Group); err != nil {
				return nil, err
			}
		}
	} else {
		if plan.Target.All {
			if err := loadAlive(); err != nil {
				return nil, err
			}
			for pc := range alive {
				set[pc] = true
			}
		}
		for _, g := range plan.Target.Groups {
			if err := addGroup(g); err != nil {
				return nil, err
			}
		}
		for _, pc := range plan.Target.PCs {
			set[pc] = true
		}
	}
	out := make([]string, 0, len(set))
	for pc := range set {
		out = append(out, pc)
	}
	sort.Strings(out)
	return out, nil
}

func (s *Service) publishCommand(subject string, cmd wire.Command) error {
	data, err := wire.Marshal(cmd)
	if err != nil {
		return fmt.Errorf("encode command: %w", err)
	}
	// Core publish like kanade: agents listen on core subjects and the EXEC
	// stream keeps the newest Command per subject for agents that are away.
	return s.nc.Publish(subject, data)
}
