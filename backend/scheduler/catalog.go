package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

func kindErr(kind svcerr.Kind, err error, msg string) error {
	return &svcerr.Error{Kind: kind, Msg: msg, Err: err}
}

// List returns every stored schedule ([] without a bucket), sorted by id.
// A value the console cannot decode or run is listed too, Supported false
// with the reason, never dropped; the next fire time comes from the same
// parser the scheduler uses.
func (s *Scheduler) List(ctx context.Context) ([]Listed, error) {
	out := []Listed{}
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return out, nil
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, kindErr(svcerr.KindUnavailable, err, "list schedules")
	}
	now := s.now()
	for key := range keys.Keys() {
		e, err := kv.Get(ctx, key)
		if err != nil {
			continue
		}
		l := Listed{Stored: ReadStored(key, e.Value()), LastSkipped: s.lastSkipped(key)}
		if l.Cron != nil && l.Schedule.Enabled {
			if next := l.Cron.Next(now); !next.IsZero() {
				l.NextFire = &next
			}
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (s *Scheduler) lastSkipped(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if en := s.entries[key]; en != nil {
		return en.lastSkip
	}
	return ""
}

// Referencing lists the schedules that run jobID (a job delete is refused
// while there are any), unsupported ones included.
func (s *Scheduler) Referencing(ctx context.Context, jobID string) ([]string, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range all {
		ref := l.Schedule.JobID
		if !l.Decoded {
			ref = stringField(l.Raw, "job_id")
		}
		if ref == jobID {
			ids = append(ids, l.Key)
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
// cannot parse or that never fires and a job that is not in the catalog (for
// backend schedules), so a typo is an error now rather than a log line
// later. Keys a newer kanade stored on the schedule are kept.
func (s *Scheduler) Upsert(ctx context.Context, sch wire.Schedule, jobExists func(string) bool, c svcerr.Caller) (UpsertResponse, error) {
	if err := sch.Validate(); err != nil {
		return UpsertResponse{}, kindErr(svcerr.KindInvalid, err, "")
	}
	if strings.ContainsAny(sch.ID, " \t\r\n*>") || strings.HasPrefix(sch.ID, ".") || strings.HasSuffix(sch.ID, ".") {
		return UpsertResponse{}, kindErr(svcerr.KindInvalid, nil, "schedule id "+sch.ID+" cannot be a KV key (no spaces, *, > or leading/trailing dots)")
	}
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return UpsertResponse{}, kindErr(svcerr.KindUnavailable, err, "schedules bucket unavailable")
	}
	// A re-save keeps what a newer kanade stored; the keys this console
	// adds to listings are never stored from input.
	sch.Extra = sch.Extra.Without(wire.ListingKeys...)
	if e, err := kv.Get(ctx, sch.ID); err == nil {
		sch.Extra = sch.Extra.KeepFrom(storedExtra(e.Value()))
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return UpsertResponse{}, kindErr(svcerr.KindUnavailable, err, "read schedules/"+sch.ID)
	}
	if sch.Extra.Has("when") {
		return UpsertResponse{}, kindErr(svcerr.KindInvalid, nil, "schedule "+sch.ID+" uses the `when:` form of a newer kanade, which this console cannot run; edit it with that kanade, or delete it and create a cron schedule")
	}
	if sch.RunsOn.OrDefault() != wire.RunsOnAgent {
		if _, err := CheckRunnable(sch.Cron, s.now()); err != nil {
			return UpsertResponse{}, kindErr(svcerr.KindInvalid, err, "")
		}
		if jobExists != nil && !jobExists(sch.JobID) {
			return UpsertResponse{}, kindErr(svcerr.KindInvalid, nil, "job "+sch.JobID+" is not in the catalog; register it first")
		}
		if err := sch.FanoutPlan.Validate(); err != nil {
			return UpsertResponse{}, kindErr(svcerr.KindInvalid, err, "")
		}
	}
	data, err := wire.Marshal(sch)
	if err != nil {
		return UpsertResponse{}, kindErr(svcerr.KindInvalid, err, "encode schedule")
	}
	if _, err := kv.Put(ctx, sch.ID, data); err != nil {
		return UpsertResponse{}, kindErr(svcerr.KindBadGateway, err, "write schedules/"+sch.ID)
	}
	s.exec.Audit(ctx, c, "schedule_upsert", sch.ID, map[string]any{"cron": sch.Cron, "job_id": sch.JobID, "enabled": sch.Enabled})
	return UpsertResponse{ID: sch.ID, Cron: sch.Cron, Enabled: sch.Enabled, JobID: sch.JobID}, nil
}

// Delete removes a schedule (204 even when it did not exist, like 0.29).
func (s *Scheduler) Delete(ctx context.Context, id string, c svcerr.Caller) error {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return kindErr(svcerr.KindNotFound, err, "schedules bucket missing")
	}
	if err := kv.Delete(ctx, id); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return kindErr(svcerr.KindBadGateway, err, "delete schedules/"+id)
	}
	s.exec.Audit(ctx, c, "schedule_delete", id, map[string]any{})
	return nil
}

// Disable switches a schedule off with a revision-checked update; with
// cascade it also revokes the schedule's job (through revoke, so pending
// waves are cancelled too). It works on any stored JSON object, also one
// the console cannot run.
func (s *Scheduler) Disable(ctx context.Context, id string, cascade bool, revoke func(jobID string) error, c svcerr.Caller) error {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return kindErr(svcerr.KindUnavailable, err, "schedules bucket unavailable")
	}
	e, err := kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return kindErr(svcerr.KindNotFound, nil, "no schedule "+id)
	}
	if err != nil {
		return kindErr(svcerr.KindUnavailable, err, "read schedules/"+id)
	}
	if !isObject(e.Value()) {
		return kindErr(svcerr.KindConflict, nil, "schedule "+id+" is not a JSON object; delete it")
	}
	jobID := stringField(e.Value(), "job_id")
	if _, err := s.setEnabled(ctx, id, false); err != nil {
		return kindErr(svcerr.KindBadGateway, err, "disable "+id)
	}
	if cascade && revoke != nil && jobID != "" {
		if err := revoke(jobID); err != nil {
			return err
		}
	}
	s.exec.Audit(ctx, c, "schedule_disable", id, map[string]any{"cascade": cascade, "job_id": jobID})
	return nil
}

// setEnabled flips enabled with optimistic concurrency: re-read and retry
// when someone else wrote the key in between. It patches the stored JSON in
// place, so every other key, known or not, is written back as it was. It
// reports whether it wrote.
func (s *Scheduler) setEnabled(ctx context.Context, id string, enabled bool) (bool, error) {
	kv, err := s.js.KeyValue(ctx, wire.BucketSchedules)
	if err != nil {
		return false, err
	}
	want := json.RawMessage(strconv.FormatBool(enabled))
	for attempt := 0; attempt < 5; attempt++ {
		e, err := kv.Get(ctx, id)
		if err != nil {
			return false, err
		}
		fields, err := wire.ObjectFields(e.Value())
		if err != nil {
			return false, err
		}
		current := true // absent means enabled
		if raw, ok := fields.Get("enabled"); ok {
			if err := json.Unmarshal(raw, &current); err != nil {
				return false, fmt.Errorf("enabled: %w", err)
			}
		}
		if current == enabled {
			return false, nil
		}
		data, err := wire.SetFields(e.Value(), wire.Extra{{Key: "enabled", Value: want}}, true)
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
