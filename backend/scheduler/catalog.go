package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/wire"
)

func kindErr(kind execution.Kind, err error, msg string) error {
	return &execution.Error{Kind: kind, Msg: msg, Err: err}
}

// List returns every stored schedule ([] without a bucket), sorted by id.
func (s *Scheduler) List(ctx context.Context) ([]wire.Schedule, error) {
	out := []wire.Schedule{}
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return out, nil
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, kindErr(execution.KindUnavailable, err, "list schedules")
	}
	for key := range keys.Keys() {
		e, err := kv.Get(ctx, key)
		if err != nil {
			continue
		}
		var sch wire.Schedule
		if err := json.Unmarshal(e.Value(), &sch); err != nil {
			s.log.Warn("skipping unreadable schedule", "schedule", key, "err", err)
			continue
		}
		out = append(out, sch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Referencing lists the schedules that run jobID (a job delete is refused
// while there are any).
func (s *Scheduler) Referencing(ctx context.Context, jobID string) ([]string, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, sch := range all {
		if sch.JobID == jobID {
			ids = append(ids, sch.ID)
		}
	}
	return ids, nil
}

// UpsertResponse is POST /api/schedules's answer.
type UpsertResponse struct {
	ID      string `json:"id"`
	Cron    string `json:"cron"`
	Enabled bool   `json:"enabled"`
	JobID   string `json:"job_id"`
}

// Upsert validates and stores a schedule. Unlike 0.29 it refuses a cron it
// cannot parse and a job that is not in the catalog (for backend
// schedules), so a typo is an error now rather than a log line later.
func (s *Scheduler) Upsert(ctx context.Context, sch wire.Schedule, jobExists func(string) bool, c execution.Caller) (UpsertResponse, error) {
	if err := sch.Validate(); err != nil {
		return UpsertResponse{}, kindErr(execution.KindInvalid, err, "")
	}
	if strings.ContainsAny(sch.ID, " \t\r\n*>") || strings.HasPrefix(sch.ID, ".") || strings.HasSuffix(sch.ID, ".") {
		return UpsertResponse{}, kindErr(execution.KindInvalid, nil, "schedule id "+sch.ID+" cannot be a KV key (no spaces, *, > or leading/trailing dots)")
	}
	if sch.RunsOn.OrDefault() != wire.RunsOnAgent {
		if _, err := ParseCron(sch.Cron); err != nil {
			return UpsertResponse{}, kindErr(execution.KindInvalid, err, "")
		}
		if jobExists != nil && !jobExists(sch.JobID) {
			return UpsertResponse{}, kindErr(execution.KindInvalid, nil, "job "+sch.JobID+" is not in the catalog; register it first")
		}
		if err := sch.FanoutPlan.Validate(); err != nil {
			return UpsertResponse{}, kindErr(execution.KindInvalid, err, "")
		}
	}
	data, err := wire.Marshal(sch)
	if err != nil {
		return UpsertResponse{}, kindErr(execution.KindInvalid, err, "encode schedule")
	}
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return UpsertResponse{}, kindErr(execution.KindUnavailable, err, "schedules bucket unavailable")
	}
	if _, err := kv.Put(ctx, sch.ID, data); err != nil {
		return UpsertResponse{}, kindErr(execution.KindBadGateway, err, "write schedules/"+sch.ID)
	}
	s.exec.Audit(ctx, c, "schedule_upsert", sch.ID, map[string]any{"cron": sch.Cron, "job_id": sch.JobID, "enabled": sch.Enabled})
	return UpsertResponse{ID: sch.ID, Cron: sch.Cron, Enabled: sch.Enabled, JobID: sch.JobID}, nil
}

// Delete removes a schedule (204 even when it did not exist, like 0.29).
func (s *Scheduler) Delete(ctx context.Context, id string, c execution.Caller) error {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return kindErr(execution.KindNotFound, err, "schedules bucket missing")
	}
	if err := kv.Delete(ctx, id); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return kindErr(execution.KindBadGateway, err, "delete schedules/"+id)
	}
	s.exec.Audit(ctx, c, "schedule_delete", id, map[string]any{})
	return nil
}

// Disable switches a schedule off with a revision-checked update; with
// cascade it also revokes the schedule's job (through revoke, so pending
// waves are cancelled too).
func (s *Scheduler) Disable(ctx context.Context, id string, cascade bool, revoke func(jobID string) error, c execution.Caller) error {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return kindErr(execution.KindUnavailable, err, "schedules bucket unavailable")
	}
	e, err := kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return kindErr(execution.KindNotFound, nil, "no schedule "+id)
	}
	if err != nil {
		return kindErr(execution.KindUnavailable, err, "read schedules/"+id)
	}
	var sch wire.Schedule
	if err := json.Unmarshal(e.Value(), &sch); err != nil {
		return kindErr(execution.KindInternal, err, "schedule "+id+" is unreadable")
	}
	if _, err := s.setEnabled(ctx, id, false); err != nil {
		return kindErr(execution.KindBadGateway, err, "disable "+id)
	}
	if cascade && revoke != nil {
		if err := revoke(sch.JobID); err != nil {
			return err
		}
	}
	s.exec.Audit(ctx, c, "schedule_disable", id, map[string]any{"cascade": cascade, "job_id": sch.JobID})
	return nil
}

// setEnabled flips enabled with optimistic concurrency: re-read and retry
// when someone else wrote the key in between. It reports whether it wrote.
func (s *Scheduler) setEnabled(ctx context.Context, id string, enabled bool) (bool, error) {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return false, err
	}
	for attempt := 0; attempt < 5; attempt++ {
		e, err := kv.Get(ctx, id)
		if err != nil {
			return false, err
		}
		var sch wire.Schedule
		if err := json.Unmarshal(e.Value(), &sch); err != nil {
			return false, err
		}
		if sch.Enabled == enabled {
			return false, nil
		}
		sch.Enabled = enabled
		data, err := wire.Marshal(sch)
		if err != nil {
			return false, err
		}
		if _, err := kv.Update(ctx, id, data, e.Revision()); err == nil {
			return true, nil
		} else if !errors.Is(err, jetstream.ErrKeyExists) && !strings.Contains(err.Error(), "wrong last sequence") {
			return false, err
		}
	}
	return false, errors.New("schedule kept changing; gave up after 5 attempts")
}
