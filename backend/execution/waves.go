package execution

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// BucketWaves holds rollout waves waiting for their delay: one key per wave,
// "<exec_id>.<index>". Kept in NATS, not in memory (0.29 lost them on a
// restart), and fired by whichever console holds the scheduler lease.
const BucketWaves = "kanade_console_waves"

// PendingWave is a wave waiting in BucketWaves.
type PendingWave struct {
	ExecID  string          `json:"exec_id"`
	JobID   string          `json:"job_id"`
	Index   int             `json:"index"`
	Subject string          `json:"subject"`
	DueAt   wire.Time       `json:"due_at"`
	Command json.RawMessage `json:"command"`
}

// waveTick is how often the leader looks for due waves, on the service's
// clock: a wave fires at most this late.
const waveTick = 200 * time.Millisecond

type waveQueue struct {
	s *Service

	mu      sync.Mutex
	kv      jetstream.KeyValue
	pending map[string]PendingWave
	revs    map[string]uint64
	loaded  chan struct{}
	// restart tells the running watch to start over on a re-created bucket.
	restart chan struct{}
}

func newWaveQueue(s *Service) *waveQueue {
	return &waveQueue{s: s, pending: map[string]PendingWave{}, revs: map[string]uint64{}, loaded: make(chan struct{}), restart: make(chan struct{}, 1)}
}

func waveKey(execID string, index int) string { return fmt.Sprintf("%s.%d", execID, index) }

func (q *waveQueue) bucket(ctx context.Context) (jetstream.KeyValue, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.kv != nil {
		return q.kv, nil
	}
	kv, err := q.s.openBucket(ctx, jetstream.KeyValueConfig{
		Bucket: BucketWaves, History: 1, Description: "kanade console: delayed rollout waves",
	})
	if err != nil {
		return nil, err
	}
	q.kv = kv
	return kv, nil
}

func (q *waveQueue) add(ctx context.Context, execID, jobID string, index int, subject string, due time.Time, cmd wire.Command) error {
	kv, err := q.bucket(ctx)
	if err != nil {
		return err
	}
	raw, err := wire.Marshal(cmd)
	if err != nil {
		return err
	}
	data, err := json.Marshal(PendingWave{ExecID: execID, JobID: jobID, Index: index, Subject: subject, DueAt: wire.Time{Time: due}, Command: raw})
	if err != nil {
		return err
	}
	_, err = kv.Put(ctx, waveKey(execID, index), data)
	return err
}

// RunWaves keeps the pending waves in memory (a KV watch) and, while
// isLeader says this console leads, publishes each one when it is due. A
// wave is published, then deleted with a revision check: if two consoles
// ever both fire it, agents run it once, because both copies carry the same
// request_id.
func (s *Service) RunWaves(ctx context.Context, isLeader func() bool) {
	q := s.waves
	for ctx.Err() == nil {
		err := q.watch(ctx, isLeader)
		if errors.Is(err, errWavesRestarted) {
			s.log.Info("wave queue restarted on the re-created bucket")
			continue
		}
		if err != nil && ctx.Err() == nil {
			s.log.Warn("wave queue stopped; restarting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}
}

// errWavesRestarted ends a watch that ForgetBuckets asked to start over.
var errWavesRestarted = errors.New("restarted")

func (q *waveQueue) watch(ctx context.Context, isLeader func() bool) error {
	// A restart asked for before this watch began is served by it.
	select {
	case <-q.restart:
	default:
	}
	kv, err := q.bucket(ctx)
	if err != nil {
		return err
	}
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return err
	}
	defer w.Stop()
	tick := q.s.clock.NewTicker(waveTick)
	defer tick.Stop()
	fresh := map[string]PendingWave{}
	freshRevs := map[string]uint64{}
	loading := true
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-q.restart:
			return errWavesRestarted
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("watch closed")
			}
			if e == nil {
				q.mu.Lock()
				q.pending, q.revs = fresh, freshRevs
				q.mu.Unlock()
				if loading {
					loading = false
					select {
					case <-q.loaded:
					default:
						close(q.loaded)
					}
				}
				continue
			}
			target, revs := fresh, freshRevs
			if !loading {
				q.mu.Lock()
				target, revs = q.pending, q.revs
			}
			if e.Operation() == jetstream.KeyValuePut {
				var pw PendingWave
				if err := json.Unmarshal(e.Value(), &pw); err != nil {
					q.s.log.Warn("unreadable pending wave dropped", "key", e.Key(), "err", err)
					_ = kv.Delete(ctx, e.Key())
				} else {
					target[e.Key()], revs[e.Key()] = pw, e.Revision()
				}
			} else {
				delete(target, e.Key())
				delete(revs, e.Key())
			}
			if !loading {
				q.mu.Unlock()
			}
		case <-tick.Chan():
			if !loading && isLeader() {
				q.fireDue(ctx, kv)
			}
		}
	}
}

func (q *waveQueue) fireDue(ctx context.Context, kv jetstream.KeyValue) {
	now := q.s.now()
	type due struct {
		key string
		rev uint64
		w   PendingWave
	}
	var list []due
	q.mu.Lock()
	for k, w := range q.pending {
		if !w.DueAt.After(now) {
			list = append(list, due{k, q.revs[k], w})
		}
	}
	q.mu.Unlock()
	sort.Slice(list, func(i, j int) bool { return list[i].w.DueAt.Before(list[j].w.DueAt.Time) })
	for _, d := range list {
		if err := q.s.nc.Publish(d.w.Subject, d.w.Command); err != nil {
			q.s.log.Warn("fire wave", "exec_id", d.w.ExecID, "wave", d.w.Index, "err", err)
			continue
		}
		if err := q.s.nc.FlushTimeout(5 * time.Second); err != nil {
			q.s.log.Warn("flush wave", "exec_id", d.w.ExecID, "wave", d.w.Index, "err", err)
			continue
		}
		if err := kv.Delete(ctx, d.key, jetstream.LastRevision(d.rev)); err != nil {
			q.s.log.Debug("wave already taken", "key", d.key, "err", err)
		}
		q.mu.Lock()
		delete(q.pending, d.key)
		q.mu.Unlock()
		q.s.log.Info("fired delayed wave", "exec_id", d.w.ExecID, "job_id", d.w.JobID, "wave", d.w.Index, "subject", d.w.Subject, "late_by", now.Sub(d.w.DueAt.Time).Round(time.Millisecond))
	}
}

// PendingWaves lists the waves not yet fired, soonest first.
func (s *Service) PendingWaves() []PendingWave {
	q := s.waves
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]PendingWave, 0, len(q.pending))
	for _, w := range q.pending {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DueAt.Before(out[j].DueAt.Time) })
	return out
}

// cancelWaves deletes the pending waves that match. It reads the bucket, not
// the watch cache, so a wave stored a moment ago is cancelled too.
func (q *waveQueue) cancel(ctx context.Context, match func(PendingWave) bool) (int, error) {
	kv, err := q.bucket(ctx)
	if err != nil {
		return 0, err
	}
	lister, err := kv.ListKeys(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for key := range lister.Keys() {
		e, err := kv.Get(ctx, key)
		if err != nil {
			continue
		}
		var w PendingWave
		if json.Unmarshal(e.Value(), &w) != nil || !match(w) {
			continue
		}
		if err := kv.Delete(ctx, key, jetstream.LastRevision(e.Revision())); err == nil {
			n++
		}
	}
	return n, nil
}

func (q *waveQueue) cancelExecs(ctx context.Context, execIDs ...string) (int, error) {
	return q.cancel(ctx, func(w PendingWave) bool {
		for _, id := range execIDs {
			if strings.EqualFold(w.ExecID, id) {
				return true
			}
		}
		return false
	})
}

func (q *waveQueue) cancelJob(ctx context.Context, jobID string) (int, error) {
	return q.cancel(ctx, func(w PendingWave) bool { return w.JobID == jobID })
}

// ForgetBuckets drops the cached handle of the waves bucket, so the next use
// creates it again: NATS came back without it (a wiped store). The wave
// watch, which still follows the vanished bucket, starts over on the new
// one; the waves that went with the old bucket are gone from NATS.
func (s *Service) ForgetBuckets() {
	s.waves.mu.Lock()
	s.waves.kv = nil
	s.waves.mu.Unlock()
	select {
	case s.waves.restart <- struct{}{}:
	default: // a restart is already pending
	}
}
