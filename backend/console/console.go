// Package console wires the store, the broker and (as they land) the
// projectors, scheduler and execution service into one Console with a Start
// and a Stop. Both front doors, the Wails bindings and the HTTP API, hold a
// *Console and call its service methods.
package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/datadir"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/projector"
	"github.com/kanade-console/kanade-console/backend/scheduler"
	"github.com/kanade-console/kanade-console/backend/store"
)

// Console is one running kanade console core.
type Console struct {
	cfg     config.Config
	log     *slog.Logger
	version string
	clock   clockwork.Clock // ticks and waves; nil: real

	lock       *datadir.Lock
	store      *store.Store
	broker     *broker.Broker
	instanceID string

	rebuild   rebuildState
	recreated recreatedState

	bootstrapped atomic.Bool
	bootErr      atomic.Pointer[string]

	groups     *projector.Groups
	jobs       *projector.Jobs
	results    *projector.StreamProjector
	audit      *projector.StreamProjector
	events     *projector.StreamProjector
	heartbeats *projector.Heartbeats

	exec          *execution.Service
	accounts      *accounts.Service
	sched         *scheduler.Scheduler
	lease         *scheduler.Lease
	servicesReady atomic.Bool

	retentionMu      sync.Mutex
	retentionDeleted map[string]uint64
	lastSweepAt      time.Time
	reaped           reapedCount   // in-flight runs the reaper stamped
	tailWait         time.Duration // Options.TailTimeout

	ev events

	// runCtx lives from Start to Stop; the demo fleet runs on it.
	runCtx context.Context
	demo   demoFleet

	mu      sync.Mutex
	runners []runner

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Options are what a console knows about the program running it.
type Options struct {
	// Version is the binary's version, reported by Status ("dev" when empty).
	Version string
	// TailTimeout is how long a result tail waits for the agent
	// (DefaultTailTimeout when zero; tests shorten it).
	TailTimeout time.Duration
	// Clock drives schedule ticks and delayed waves (nil: the real clock;
	// tests pass a fake one and advance it). The scheduler lease keeps the
	// real clock: its expiry is the bucket's max age, which NATS counts in
	// wall time, so renewals on a stopped fake clock would let it lapse.
	Clock clockwork.Clock
}

// New prepares a console; Start brings it up.
func New(cfg config.Config, log *slog.Logger, opts ...Options) *Console {
	if log == nil {
		log = slog.Default()
	}
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	return &Console{cfg: cfg, log: log, version: o.Version, clock: o.Clock, retentionDeleted: map[string]uint64{}, tailWait: o.TailTimeout}
}

// Start opens the database and connects to NATS (starting the embedded
// server when no URL is configured). JetStream bootstrap and everything that
// needs it run in the background and retry until NATS is reachable, so the
// console serves /readyz (and explains itself) while an external NATS is down.
func (c *Console) Start(ctx context.Context) error {
	// First, before anything opens a file: a second console on this data
	// dir would share the SQLite file and the JetStream store with us.
	lock, err := datadir.Acquire(c.cfg.DataDir)
	if err != nil {
		return err
	}
	c.lock = lock
	if err := c.start(ctx); err != nil {
		c.lock.Release()
		c.lock = nil
		return err
	}
	return nil
}

func (c *Console) start(ctx context.Context) error {
	st, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	c.store = st
	c.instanceID, err = st.InstanceID(ctx)
	if err != nil {
		st.Close()
		return fmt.Errorf("store: instance id: %w", err)
	}
	if err := c.startAccounts(ctx); err != nil {
		st.Close()
		return fmt.Errorf("accounts: %w", err)
	}

	b, err := broker.Start(ctx, broker.Config{
		URL:      c.cfg.NATSURL,
		Token:    c.cfg.NATSToken,
		StoreDir: filepath.Join(c.cfg.DataDir, "nats"),
		Listen:   c.cfg.NATSListen,
		Replicas: c.cfg.NATSReplicas,
		Logger:   c.log,
		TLSCert:  c.cfg.NATSTLSCert,
		TLSKey:   c.cfg.NATSTLSKey,
		Agent:    broker.Credential{User: c.cfg.NATSAgentUser, Password: c.cfg.NATSAgentPassword},
		Operator: broker.Credential{User: c.cfg.NATSOperatorUser, Password: c.cfg.NATSOperatorPassword},
	})
	if err != nil {
		st.Close()
		return err
	}
	c.broker = b
	if err := c.checkReplicas(ctx); err != nil {
		b.Close()
		st.Close()
		return err
	}

	runCtx, cancel := context.WithCancel(context.Background())
	c.runCtx, c.cancel = runCtx, cancel
	c.startIntegrityCheck(runCtx)
	c.watchRebuild(runCtx)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.bootstrapLoop(runCtx)
	}()
	c.log.Info("console started", "instance_id", c.instanceID, "db", c.cfg.SQLitePath, "nats_embedded", b.Embedded(), "nats_url", b.ClientURL())
	return nil
}

// bootstrapLoop bootstraps JetStream, then starts the projectors and the
// watch for streams that NATS loses while the console runs.
func (c *Console) bootstrapLoop(ctx context.Context) {
	if !c.bootstrap(ctx) {
		return
	}
	c.bootstrapped.Store(true)
	c.log.Info("JetStream resources ready", "streams", len(broker.Streams), "kv_buckets", len(broker.Buckets), "object_stores", len(broker.ObjectStores))
	known, err := broker.Identities(ctx, c.broker.JetStream())
	if err != nil {
		c.log.Warn("reading stream identities failed; a NATS that comes back empty will not be noticed until restart", "err", err)
	} else {
		c.noteRecreatedWhileDown(ctx, known)
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.watchStreams(ctx, known)
		}()
	}
	c.startProjectors(ctx)
}

// bootstrap retries the JetStream bootstrap with backoff until it succeeds
// (true) or the console stops (false).
func (c *Console) bootstrap(ctx context.Context) bool {
	delay := 250 * time.Millisecond
	for {
		attemptCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err := broker.BootstrapReplicated(attemptCtx, c.broker.JetStream(), c.replication())
		cancel()
		if err == nil {
			c.bootErr.Store(nil)
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		msg := err.Error()
		c.bootErr.Store(&msg)
		c.log.Warn("JetStream bootstrap failed; retrying", "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(delay):
		}
		delay = min(delay*2, 10*time.Second)
	}
}

// replication is the replica policy of everything this console creates.
func (c *Console) replication() broker.Replication {
	return broker.Replication{N: c.cfg.NATSReplicas, Explicit: c.cfg.NATSReplicasExplicit, Log: c.log.With("component", "bootstrap")}
}

// checkReplicas refuses to start when the NATS servers cannot hold the
// replicas asked for, instead of retrying a bootstrap that cannot succeed.
// A cluster that does not answer in time is left to the background
// bootstrap (NATS may be down; the console still starts and says so).
func (c *Console) checkReplicas(ctx context.Context) error {
	if c.cfg.NATSReplicas <= 1 || !c.broker.Connected() {
		return nil
	}
	checkCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	err := broker.CheckReplicas(checkCtx, c.broker.JetStream(), c.replication(), c.instanceID)
	if errors.Is(err, broker.ErrReplicas) {
		return err
	}
	if err != nil {
		c.log.Warn("could not check the NATS cluster's size; bootstrapping in the background", "err", err)
	}
	return nil
}

// Stop ends background work, drains the NATS connection and closes the
// database. It honours ctx's deadline for the background work.
func (c *Console) Stop(ctx context.Context) error {
	if c.cancel != nil {
		c.cancel()
	}
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	var errs []error
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, errors.New("console: background work did not stop in time"))
	}
	if c.broker != nil {
		c.broker.Close()
	}
	if c.store != nil {
		errs = append(errs, c.store.Close())
	}
	if c.lock != nil {
		errs = append(errs, c.lock.Release())
		c.lock = nil
	}
	c.log.Info("console stopped")
	return errors.Join(errs...)
}

// Store is the SQLite projection.
func (c *Console) Store() *store.Store { return c.store }

// Broker is the NATS side.
func (c *Console) Broker() *broker.Broker { return c.broker }

// InstanceID names this console's durable consumers.
func (c *Console) InstanceID() string { return c.instanceID }

// Config is the configuration the console runs with.
func (c *Console) Config() config.Config { return c.cfg }

// Readiness is the report of /readyz.
type Readiness struct {
	Ready  bool              `json:"ready"`
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// Readiness checks the database, the NATS connection and the bootstrap.
func (c *Console) Readiness(ctx context.Context) Readiness {
	rep := Readiness{Ready: true, Checks: map[string]string{}}
	fail := func(check, why string) {
		rep.Ready = false
		rep.Checks[check] = why
	}
	in := c.store.Integrity()
	switch err := c.store.Ping(ctx); {
	case err != nil:
		fail("db", err.Error())
	case in.State == "damaged":
		fail("db", "damaged ("+in.Detail+"); restart with --rebuild to move "+c.cfg.SQLitePath+" aside and rebuild it from the streams")
	default:
		rep.Checks["db"] = "ok"
		rep.Checks["db_integrity"] = in.State
	}
	if rs := c.rebuild.get(); rs != nil && rs.Active {
		// Informational: the console works while the rebuild catches up.
		rep.Checks["db_rebuild"] = fmt.Sprintf("rebuilding from the streams: %d projected", rs.Projected)
	}
	if c.broker.Connected() {
		rep.Checks["nats"] = "ok"
	} else {
		fail("nats", "not connected")
	}
	switch {
	case c.bootstrapped.Load():
		rep.Checks["jetstream"] = "ok"
	case c.recreated.get() != nil:
		fail("jetstream", "re-creating the streams and buckets NATS lost ("+strings.Join(c.recreated.get().Lost, ", ")+")")
	case c.bootErr.Load() != nil:
		fail("jetstream", "bootstrap failed: "+*c.bootErr.Load())
	default:
		fail("jetstream", "bootstrapping")
	}
	if rc := c.recreated.get(); rc != nil && !rc.RecreatedAt.IsZero() {
		rep.Checks["jetstream_recreated"] = rc.RecreatedAt.Format(time.RFC3339) + ": " + rc.Note
	}
	if rep.Ready {
		if c.servicesReady.Load() {
			rep.Checks["services"] = "ok"
		} else {
			fail("services", "starting")
		}
	}
	rep.Status = "ready"
	if !rep.Ready {
		rep.Status = "not ready"
	}
	return rep
}

// WaitReady blocks until Readiness reports ready or ctx ends.
func (c *Console) WaitReady(ctx context.Context) error {
	for {
		if c.Readiness(ctx).Ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
}
