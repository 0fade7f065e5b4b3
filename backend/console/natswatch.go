package console

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/store"
)

// identityCheckEvery is how often the console checks that NATS still holds
// the streams it bootstrapped (one stream-list request).
const identityCheckEvery = 2 * time.Second

// RecreatedStatus reports that NATS came back without the console's streams
// and buckets (a new node, a wiped volume) and the console re-created them.
type RecreatedStatus struct {
	DetectedAt time.Time `json:"detected_at"`
	// RecreatedAt is zero while the re-bootstrap is still retrying.
	RecreatedAt time.Time `json:"recreated_at,omitzero"`
	Lost        []string  `json:"lost"`
	Note        string    `json:"note"`
}

type recreatedState = statusCell[RecreatedStatus]

// watchStreams notices when streams this console bootstrapped vanish or are
// created anew (their creation time changes) while it runs: NATS restarted
// with an empty store. It then re-bootstraps, says so in /readyz and
// /api/status, and restarts every projector, whose consumers and watches
// went with the old streams. The projectors see the new creation time and
// project the new streams from their first message.
func (c *Console) watchStreams(ctx context.Context, known map[string]time.Time) {
	tick := time.NewTicker(identityCheckEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if !c.broker.Connected() {
			continue
		}
		checkCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		now, err := broker.Identities(checkCtx, c.broker.JetStream())
		cancel()
		if err != nil {
			continue // NATS unreachable or busy: the connection check reports it
		}
		lost := lostStreams(known, now)
		if len(lost) == 0 {
			continue
		}
		st := &RecreatedStatus{DetectedAt: time.Now().UTC(), Lost: lost,
			Note: "NATS came back without these streams (a new node or a wiped store?); the console re-created them. Messages they held before are gone from NATS; this console's database keeps what it had projected."}
		c.recreated.set(st)
		c.bootstrapped.Store(false)
		c.log.Error("NATS lost the console's streams and buckets (a new node or a wiped store?); re-creating them", "lost", strings.Join(lost, ","))
		if !c.bootstrap(ctx) {
			return
		}
		c.bootstrapped.Store(true)
		done := *st
		done.RecreatedAt = time.Now().UTC()
		c.recreated.set(&done)
		if ids, err := broker.Identities(ctx, c.broker.JetStream()); err == nil {
			known = ids
		}
		c.mu.Lock()
		runners := append([]runner(nil), c.runners...)
		c.mu.Unlock()
		for _, r := range runners {
			if rs, ok := r.(interface{ Restart() }); ok {
				rs.Restart()
			}
		}
		c.restartServiceBuckets()
		c.log.Warn("streams and buckets re-created; projectors restarted on the new streams", "took", done.RecreatedAt.Sub(done.DetectedAt).Round(time.Millisecond))
	}
}

// lostStreams lists the streams of known that are missing from now or were
// created again since.
func lostStreams(known, now map[string]time.Time) []string {
	var lost []string
	for name, created := range known {
		if c, ok := now[name]; !ok || !c.Equal(created) {
			lost = append(lost, name)
		}
	}
	sort.Strings(lost)
	return lost
}

// restartServiceBuckets makes the services create their own buckets again
// (the scheduler lease, the wave queue, the tick claims) on next use, and
// their watches (schedules, waves) follow the re-created buckets.
func (c *Console) restartServiceBuckets() {
	if !c.servicesReady.Load() {
		return
	}
	c.lease.Forget()
	c.exec.ForgetBuckets()
	c.sched.Restart()
}

// noteRecreatedWhileDown reports streams that were created anew while the
// console was not running: this database projected an earlier incarnation.
func (c *Console) noteRecreatedWhileDown(ctx context.Context, known map[string]time.Time) {
	positions, err := c.store.Positions(ctx)
	if err != nil {
		return
	}
	var lost []string
	for _, p := range positions {
		if created, ok := known[p.Stream]; ok && p.StreamCreated != "" && store.FormatTime(created) != p.StreamCreated {
			lost = append(lost, p.Stream)
		}
	}
	if len(lost) == 0 {
		return
	}
	now := time.Now().UTC()
	c.recreated.set(&RecreatedStatus{DetectedAt: now, RecreatedAt: now, Lost: lost,
		Note: "these streams were created anew since this database last projected them (NATS came back empty while the console was down?); the console projects the new ones from their start and keeps what it had."})
	c.log.Warn("streams were created anew since the last run (NATS came back empty?)", "streams", strings.Join(lost, ","))
}
