package execution

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// KillJob publishes kill.<exec_id> for every pending or running exec of a
// job (0.29 fix: agents listen on the exec id, not the job id) and cancels
// its waves that have not fired yet.
func (s *Service) KillJob(ctx context.Context, jobID string, c svcerr.Caller) ([]string, error) {
	ids, err := s.store.ActiveExecsOfJob(ctx, jobID)
	if err != nil {
		return nil, svcerr.New(svcerr.KindInternal, err, "list running execs of %s", jobID)
	}
	if err := s.kill(ids); err != nil {
		return nil, err
	}
	if _, err := s.waves.cancelJob(ctx, jobID); err != nil {
		s.log.Warn("cancel waves of killed job", "job_id", jobID, "err", err)
	}
	if len(ids) > 0 {
		s.Audit(ctx, c, "job_kill", jobID, map[string]any{"exec_ids": ids})
	}
	return ids, nil
}

// KillExec publishes kill.<exec_id> for one exec and cancels its pending
// waves.
func (s *Service) KillExec(ctx context.Context, execID string, c svcerr.Caller) error {
	if !wire.ValidSubjectToken(execID) {
		return svcerr.New(svcerr.KindInvalid, nil, "exec id %q is not a valid subject token", execID)
	}
	if err := s.kill([]string{execID}); err != nil {
		return err
	}
	if _, err := s.waves.cancelExecs(ctx, execID); err != nil {
		s.log.Warn("cancel waves of killed exec", "exec_id", execID, "err", err)
	}
	s.Audit(ctx, c, "exec_kill", execID, map[string]any{"exec_id": execID})
	return nil
}

func (s *Service) kill(execIDs []string) error {
	for _, id := range execIDs {
		// Kill is a core message with an empty body: only agents running
		// that exec right now are listening.
		if err := s.nc.Publish(wire.SubjectKill(id), nil); err != nil {
			return svcerr.New(svcerr.KindBadGateway, err, "publish kill.%s", id)
		}
	}
	if err := s.nc.FlushTimeout(5 * time.Second); err != nil {
		return svcerr.New(svcerr.KindBadGateway, err, "flush kills")
	}
	return nil
}

// SetScriptStatus writes ACTIVE or REVOKED for a job. Revoking also cancels
// the job's waves that have not fired.
func (s *Service) SetScriptStatus(ctx context.Context, jobID string, revoked bool, c svcerr.Caller) error {
	kv, err := s.kv(ctx, wire.BucketScriptStatus)
	if err != nil {
		return err
	}
	value, action := wire.ScriptStatusActive, "script_unrevoke"
	if revoked {
		value, action = wire.ScriptStatusRevoked, "script_revoke"
	}
	if _, err := kv.PutString(ctx, jobID, value); err != nil {
		return svcerr.New(svcerr.KindBadGateway, err, "write script_status/%s", jobID)
	}
	if revoked {
		if n, err := s.waves.cancelJob(ctx, jobID); err != nil {
			s.log.Warn("cancel waves of revoked job", "job_id", jobID, "err", err)
		} else if n > 0 {
			s.log.Info("cancelled pending waves of revoked job", "job_id", jobID, "waves", n)
		}
	}
	s.Audit(ctx, c, action, jobID, map[string]any{"status": value})
	return nil
}

// ScriptStatus maps job ids to ACTIVE or REVOKED.
func (s *Service) ScriptStatus(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	kv, err := s.js.KeyValue(ctx, wire.BucketScriptStatus)
	if err != nil {
		return out, nil // like 0.29: no bucket, no statuses
	}
	entries, err := allEntries(ctx, kv)
	if err != nil {
		return nil, svcerr.New(svcerr.KindUnavailable, err, "read script_status")
	}
	for _, e := range entries {
		out[e.Key()] = string(e.Value())
	}
	return out, nil
}

// UpsertJobResponse is POST /api/jobs's answer.
type UpsertJobResponse struct {
	ID          string  `json:"id"`
	Version     string  `json:"version"`
	Description *string `json:"description"`
	Inventory   bool    `json:"inventory"`
}

// UpsertJob validates and stores a manifest in the catalog. A re-save keeps
// the top-level keys a newer kanade stored on the job; any other key 0.29
// does not know is refused (agents would reject the job).
func (s *Service) UpsertJob(ctx context.Context, m wire.Manifest, c svcerr.Caller) (UpsertJobResponse, error) {
	if err := m.Validate(); err != nil {
		return UpsertJobResponse{}, svcerr.New(svcerr.KindInvalid, err, "")
	}
	if strings.ContainsAny(m.ID, " \t\r\n*>") || strings.HasPrefix(m.ID, ".") || strings.HasSuffix(m.ID, ".") {
		return UpsertJobResponse{}, svcerr.New(svcerr.KindInvalid, nil, "job id %q cannot be a KV key (no spaces, *, > or leading/trailing dots)", m.ID)
	}
	kv, err := s.kv(ctx, wire.BucketJobs)
	if err != nil {
		return UpsertJobResponse{}, err
	}
	var stored wire.Extra
	if e, err := kv.Get(ctx, m.ID); err == nil {
		stored = storedJobExtra(e.Value())
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return UpsertJobResponse{}, svcerr.New(svcerr.KindUnavailable, err, "read jobs/%s", m.ID)
	}
	m.Extra = m.Extra.Without(wire.ListingKeys...)
	if err := m.CheckUnknownKeys(stored); err != nil {
		return UpsertJobResponse{}, svcerr.New(svcerr.KindUnprocessable, err, "")
	}
	m.Extra = m.Extra.KeepFrom(stored)
	data, err := wire.Marshal(m)
	if err != nil {
		return UpsertJobResponse{}, svcerr.New(svcerr.KindInvalid, err, "encode manifest")
	}
	if _, err := kv.Put(ctx, m.ID, data); err != nil {
		return UpsertJobResponse{}, svcerr.New(svcerr.KindBadGateway, err, "write jobs/%s", m.ID)
	}
	s.Audit(ctx, c, "job_upsert", m.ID, map[string]any{"version": m.Version, "inventory": m.Inventory != nil})
	return UpsertJobResponse{ID: m.ID, Version: m.Version, Description: m.Description, Inventory: m.Inventory != nil}, nil
}

// ListJobs returns the catalog sorted by id ([] without a bucket). A value
// this console cannot read is listed too ("supported": false, "reason"),
// never dropped and never an error for the whole list.
func (s *Service) ListJobs(ctx context.Context) ([]Job, error) {
	return s.listJobs(ctx, false)
}

// ListJobsStrict is ListJobs for callers that must tell a missing jobs
// bucket from an empty catalog (kanade's /api/inventory/jobs answers 503).
func (s *Service) ListJobsStrict(ctx context.Context) ([]Job, error) {
	return s.listJobs(ctx, true)
}

func (s *Service) listJobs(ctx context.Context, bucketRequired bool) ([]Job, error) {
	out := []Job{}
	kv, err := s.js.KeyValue(ctx, wire.BucketJobs)
	if err != nil {
		if bucketRequired {
			return nil, svcerr.New(svcerr.KindUnavailable, err, "the jobs bucket is missing")
		}
		return out, nil
	}
	entries, err := allEntries(ctx, kv)
	if err != nil {
		return nil, svcerr.New(svcerr.KindUnavailable, err, "read jobs")
	}
	for _, e := range entries {
		j := ReadJob(e.Key(), e.Value())
		if !j.Supported {
			s.log.Warn("unreadable job listed as unsupported", "job_id", e.Key(), "reason", j.Reason)
		}
		out = append(out, j)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// DeleteJob removes a job with 0.27's cascade: refused (409) while a
// schedule references it; otherwise REVOKED is written first, so a failed
// delete leaves agents refusing the job rather than running it.
func (s *Service) DeleteJob(ctx context.Context, jobID string, referencingSchedules []string, c svcerr.Caller) error {
	if len(referencingSchedules) > 0 {
		return &svcerr.Error{Kind: svcerr.KindConflict, Err: &svcerr.JobInUseError{JobID: jobID, Schedules: referencingSchedules}}
	}
	status, err := s.kv(ctx, wire.BucketScriptStatus)
	if err != nil {
		return err
	}
	jobs, err := s.js.KeyValue(ctx, wire.BucketJobs)
	if err != nil {
		return svcerr.New(svcerr.KindNotFound, err, "jobs bucket missing")
	}
	if _, err := status.PutString(ctx, jobID, wire.ScriptStatusRevoked); err != nil {
		return svcerr.New(svcerr.KindBadGateway, err, "revoke %s before delete", jobID)
	}
	if _, err := s.waves.cancelJob(ctx, jobID); err != nil {
		s.log.Warn("cancel waves of deleted job", "job_id", jobID, "err", err)
	}
	if err := jobs.Delete(ctx, jobID); err != nil {
		s.Audit(ctx, c, "job_delete_failed_post_revoke", jobID, map[string]any{"cascade_revoke": true, "error": err.Error()})
		return svcerr.New(svcerr.KindInternal, err, "job %s was revoked but deleting it failed; retry, or `kanade unrevoke %s` to undo", jobID, jobID)
	}
	s.Audit(ctx, c, "job_delete", jobID, map[string]any{"cascade_revoke": true})
	return nil
}

// allEntries reads every live key of a bucket (nil marker ends the snapshot).
func allEntries(ctx context.Context, kv jetstream.KeyValue) ([]jetstream.KeyValueEntry, error) {
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	var out []jetstream.KeyValueEntry
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case e, ok := <-w.Updates():
			if !ok {
				return nil, errors.New("watch closed")
			}
			if e == nil {
				return out, nil
			}
			out = append(out, e)
		}
	}
}
