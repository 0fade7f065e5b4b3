package console

import (
	"context"
	"time"

	"github.com/kanade-console/kanade-console/backend/projector"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// runner is one supervised background projector.
type runner interface {
	Name() string
	Run(ctx context.Context)
	Stats() *projector.Stats
}

// startProjectors starts the KV mirrors, waits until the jobs catalog is
// loaded (the results projector needs it for inventory), then starts the
// stream projectors and the heartbeat subscription.
func (c *Console) startProjectors(ctx context.Context) {
	js := c.broker.JetStream()
	c.groups = projector.NewGroups(js, c.store, c.log)
	c.jobs = projector.NewJobs(js, c.store, c.log)
	c.goRun(ctx, c.groups)
	c.goRun(ctx, c.jobs)
	select {
	case <-c.jobs.Ready():
	case <-ctx.Done():
		return
	}

	opts := projector.StreamOptions{}
	c.results = projector.NewStreamProjector("results", wire.StreamResults, c.instanceID, js, c.store, projector.Results{Jobs: c.jobs}, opts, c.log)
	c.audit = projector.NewStreamProjector("audit", wire.StreamAudit, c.instanceID, js, c.store, projector.Audit{}, opts, c.log)
	c.events = projector.NewStreamProjector("events", wire.StreamEvents, c.instanceID, js, c.store, projector.Events{}, opts, c.log)
	c.heartbeats = projector.NewHeartbeats(c.broker.Conn(), c.store, c.log)
	c.hookEvents()
	for _, r := range []runner{c.results, c.audit, c.events, c.heartbeats} {
		c.goRun(ctx, r)
	}
	select {
	case <-c.heartbeats.Subscribed():
	case <-ctx.Done():
		return
	}
	c.startServices(ctx)
}

func (c *Console) goRun(ctx context.Context, r runner) {
	c.mu.Lock()
	c.runners = append(c.runners, r)
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		r.Run(ctx)
	}()
}

// ProjectorStatus is one projector's entry in Status.
type ProjectorStatus = projector.Snapshot

// Projectors reports every projector's counters and, for the stream
// projectors, the lag read from their consumers.
func (c *Console) Projectors(ctx context.Context) []ProjectorStatus {
	c.mu.Lock()
	runners := append([]runner(nil), c.runners...)
	c.mu.Unlock()
	out := make([]ProjectorStatus, 0, len(runners))
	for _, r := range runners {
		snap := r.Stats().Snapshot()
		switch p := r.(type) {
		case *projector.StreamProjector:
			lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			lag, err := p.Lag(lctx)
			cancel()
			if err != nil {
				snap.LagError = err.Error()
			} else {
				snap.Lag = &lag
			}
		case *projector.Heartbeats:
			n := uint64(p.Pending())
			snap.Lag = &n
		}
		out = append(out, snap)
	}
	return out
}
