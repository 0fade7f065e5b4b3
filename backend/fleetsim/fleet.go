package fleetsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Fleet is a set of simulated agents sharing a few NATS connections.
type Fleet struct {
	cfg     Config
	log     *slog.Logger
	ids     []string          // every pc id, in order
	online  []string          // pc ids of the online agents, in order
	agents  map[string]*agent // online agents by pc id; read-only after New
	conns   []*conn
	cache   *caches
	padding string // StdoutBytes of filler, shared by every result
	stats   counters

	mu       sync.Mutex
	started  bool
	stopOnce sync.Once
	stopping atomic.Bool
	runCtx   context.Context // lives until Stop
	cancel   context.CancelFunc
	wg       sync.WaitGroup // KV watchers and replays

	hooks hooks // test seams; all nil outside tests
}

// hooks let a test hold the simulator at the edges of Stop's races (a run
// that ended but whose result is not yet queued, a command being accepted
// while Stop runs) and see which way Stop went. Nil in production.
type hooks struct {
	beforeEnqueue func() // conn.complete: the run has ended, its result is not queued yet
	beforeAccept  func() // handleCommand: the Command is decoded, its runs not yet counted
	stopBusy      func() // Stop: a connection still had work when polled
	stopTeardown  func() // Stop: the wait is over; teardown starts
}

// agent is one simulated PC. Idle agents own no goroutine and no timer:
// their heartbeats live in their connection's scheduler heap.
type agent struct {
	id   string
	conn *conn
	// Guarded by conn.mu.
	groups []string
	seen   *dedup // lazily allocated on the first command
}

// New builds the fleet (pc ids, offline set, connection layout) without
// touching the network.
func New(cfg Config) (*Fleet, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	f := &Fleet{
		cfg:    cfg,
		log:    cfg.Logger, // the caller names the component (demo-fleet, sim, …)
		agents: make(map[string]*agent),
		cache:  newCaches(),
	}
	f.cache.onGroups = f.applyGroups
	width := max(5, len(fmt.Sprint(cfg.Agents)))
	f.ids = make([]string, cfg.Agents)
	for i := range f.ids {
		f.ids[i] = fmt.Sprintf("%s-%0*d", cfg.Prefix, width, i+1)
	}
	offline := make([]bool, cfg.Agents)
	if k := int(float64(cfg.Agents)*cfg.OfflineFraction + 0.5); k > 0 {
		rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6f66666c696e65)) // "offline"
		for _, i := range rng.Perm(cfg.Agents)[:k] {
			offline[i] = true
		}
	}
	for i, id := range f.ids {
		if !offline[i] {
			f.online = append(f.online, id)
		}
	}
	n := len(f.online)
	nconn := cfg.Connections
	if nconn == 0 {
		nconn = (n + cfg.AgentsPerConnection - 1) / cfg.AgentsPerConnection
	}
	nconn = max(1, min(nconn, n))
	if n == 0 {
		nconn = 0
	}
	for i := range nconn {
		f.conns = append(f.conns, newConn(f, i))
	}
	for i, id := range f.online {
		c := f.conns[i*nconn/n]
		a := &agent{id: id, conn: c}
		c.agents = append(c.agents, a)
		f.agents[id] = a
	}
	f.padding = padding(cfg.StdoutBytes)
	return f, nil
}

// PCIDs lists every simulated pc id, online or not, in order.
func (f *Fleet) PCIDs() []string { return slices.Clone(f.ids) }

// OnlinePCIDs lists the pc ids of the agents that connect (all but the
// OfflineFraction), in order.
func (f *Fleet) OnlinePCIDs() []string { return slices.Clone(f.online) }

// Connections is the number of NATS connections the fleet uses.
func (f *Fleet) Connections() int { return len(f.conns) }

// GroupsOf returns the group membership the online agent pcID currently
// acts on (from its agent_groups watch); nil for unknown or offline ids.
func (f *Fleet) GroupsOf(pcID string) []string {
	a := f.agents[pcID]
	if a == nil {
		return nil
	}
	a.conn.mu.Lock()
	defer a.conn.mu.Unlock()
	return slices.Clone(a.groups)
}

// Start connects the fleet to natsURL (ignored when Config.NATSOptions
// carries nats.InProcessServer), loads the KV caches, subscribes, starts the
// heartbeats and replays EXEC. ctx bounds the start-up only; the fleet runs
// until Stop. On error everything started so far is torn down.
func (f *Fleet) Start(ctx context.Context, natsURL string) error {
	f.mu.Lock()
	if f.started {
		f.mu.Unlock()
		return errors.New("fleetsim: already started")
	}
	f.started = true
	f.runCtx, f.cancel = context.WithCancel(context.Background())
	f.mu.Unlock()
	if len(f.conns) == 0 {
		f.log.Info("every simulated agent is offline; nothing to connect")
		return nil
	}
	if err := f.start(ctx, natsURL); err != nil {
		f.teardown()
		return err
	}
	return nil
}

func (f *Fleet) start(ctx context.Context, natsURL string) error {
	for _, c := range f.conns {
		if err := c.connect(natsURL); err != nil {
			return fmt.Errorf("fleetsim: connect %s: %w", redactURL(natsURL), err)
		}
	}
	// The caches must be primed before the first command is dispatched
	// (replay included), so version pins and revokes apply to it.
	if err := f.cache.start(ctx, f.runCtx, f.conns[0].js, f.log, &f.wg); err != nil {
		return err
	}
	for _, c := range f.conns {
		if err := c.subscribe(); err != nil {
			return fmt.Errorf("fleetsim: subscribe: %w", err)
		}
	}
	for _, c := range f.conns {
		if err := c.nc.FlushWithContext(ctx); err != nil {
			return fmt.Errorf("fleetsim: flush subscriptions: %w", err)
		}
	}
	for _, c := range f.conns {
		c.scheduleFirstHeartbeats()
		c.startLoops()
	}
	if !f.cfg.NoReplay {
		var wg sync.WaitGroup
		for _, c := range f.conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.replay(ctx)
			}()
		}
		wg.Wait()
	}
	f.log.Info("simulated fleet started", "agents", len(f.ids), "online", len(f.online), "connections", len(f.conns))
	return nil
}

// Stop stops the fleet gracefully: heartbeats and command intake stop
// first, then it waits (at most Config.StopTimeout) for running scripts to
// finish and for every result to be acknowledged, then closes the
// connections. Safe to call more than once and without Start.
func (f *Fleet) Stop() {
	f.stopOnce.Do(func() {
		f.mu.Lock()
		started := f.started
		f.mu.Unlock()
		f.stopping.Store(true)
		if !started {
			return
		}
		for _, c := range f.conns {
			c.stopIntake()
		}
		// idle takes each connection's lock, so a Command handler that
		// counted its runs before this point is seen here, and one that
		// takes the lock later finds stopping set and drops the Command.
		deadline := time.Now().Add(f.cfg.StopTimeout)
		for _, c := range f.conns {
			for !c.idle() && time.Now().Before(deadline) {
				if f.hooks.stopBusy != nil {
					f.hooks.stopBusy()
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		if left := f.Stats(); left.Running > 0 || left.ResultsPending > 0 {
			f.log.Warn("fleetsim stop timed out", "running", left.Running, "results_pending", left.ResultsPending)
		}
		if f.hooks.stopTeardown != nil {
			f.hooks.stopTeardown()
		}
		f.teardown()
	})
}

// teardown stops every goroutine and closes the connections.
func (f *Fleet) teardown() {
	f.stopping.Store(true)
	if f.cancel != nil {
		f.cancel()
	}
	for _, c := range f.conns {
		c.stopLoops()
	}
	f.wg.Wait()
	for _, c := range f.conns {
		c.close()
	}
}

// Stats is a snapshot of the fleet's counters.
type Stats struct {
	Agents      int // configured agents
	Online      int // agents that connect
	Connections int

	HeartbeatsSent uint64
	// CommandsReceived counts (agent, Command) deliveries accepted after
	// request_id de-duplication; Duplicates the ones it dropped.
	CommandsReceived uint64
	Duplicates       uint64
	// Replayed counts Commands read from EXEC by the replay consumers
	// (once per connection, before dispatch to the agents).
	Replayed uint64
	// Runs counts scripts started; Running is how many run right now.
	Runs    uint64
	Running int64
	// Failures counts finished runs with a non-zero exit (kills, timeouts
	// and skip results included).
	Failures uint64
	Kills    uint64
	Timeouts uint64

	SkippedVersionPin uint64 // dropped silently: script_current mismatch
	SkippedRevoked    uint64 // dropped silently: script_status REVOKED
	SkippedDeadline   uint64 // answered with exit 125

	ResultsPublished uint64 // acknowledged by JetStream
	ResultsPending   int    // queued or awaiting their PubAck
	PublishRetries   uint64
	StartedEvents    uint64
	LogsServed       uint64
	TailsServed      uint64 // job.tail.<pc> requests answered (found or not)
	BadMessages      uint64 // undecodable Commands / logs requests
}

type counters struct {
	heartbeats, received, duplicates, replayed, runs atomic.Uint64
	failures, kills, timeouts, pinned, revoked, late atomic.Uint64
	published, retries, started, logs, badMessages   atomic.Uint64
	tails                                            atomic.Uint64
	running                                          atomic.Int64
}

// Stats returns the current counters.
func (f *Fleet) Stats() Stats {
	s := &f.stats
	st := Stats{
		Agents: len(f.ids), Online: len(f.online), Connections: len(f.conns),
		HeartbeatsSent:    s.heartbeats.Load(),
		CommandsReceived:  s.received.Load(),
		Duplicates:        s.duplicates.Load(),
		Replayed:          s.replayed.Load(),
		Runs:              s.runs.Load(),
		Running:           s.running.Load(),
		Failures:          s.failures.Load(),
		Kills:             s.kills.Load(),
		Timeouts:          s.timeouts.Load(),
		SkippedVersionPin: s.pinned.Load(),
		SkippedRevoked:    s.revoked.Load(),
		SkippedDeadline:   s.late.Load(),
		ResultsPublished:  s.published.Load(),
		PublishRetries:    s.retries.Load(),
		StartedEvents:     s.started.Load(),
		LogsServed:        s.logs.Load(),
		TailsServed:       s.tails.Load(),
		BadMessages:       s.badMessages.Load(),
	}
	for _, c := range f.conns {
		st.ResultsPending += c.out.pending()
	}
	return st
}

// applyGroups is the agent_groups watch callback: it moves a local agent
// between the group indexes of its connection.
func (f *Fleet) applyGroups(pcID string, groups []string) {
	a := f.agents[pcID]
	if a == nil {
		return
	}
	c := a.conn
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, g := range a.groups {
		if m := c.groups[g]; m != nil {
			delete(m, a)
			if len(m) == 0 {
				delete(c.groups, g)
			}
		}
	}
	a.groups = groups
	for _, g := range groups {
		m := c.groups[g]
		if m == nil {
			m = make(map[*agent]struct{})
			c.groups[g] = m
		}
		m[a] = struct{}{}
	}
}

// natsOptions are the options of connection i.
func (f *Fleet) natsOptions(c *conn) []nats.Option {
	log := f.log.With("conn", c.idx)
	opts := []nats.Option{
		nats.Name(fmt.Sprintf("kanade-fleetsim-%d", c.idx)),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500 * time.Millisecond),
		nats.ReconnectBufSize(32 << 20),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("fleetsim disconnected from NATS", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("fleetsim reconnected to NATS", "url", nc.ConnectedUrlRedacted())
			c.replayAfterReconnect()
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("fleetsim NATS async error", "subject", subject, "err", err)
		}),
	}
	if f.cfg.Token != "" {
		opts = append(opts, nats.Token(f.cfg.Token))
	}
	return append(opts, f.cfg.NATSOptions...)
}

func (f *Fleet) jetStreamOptions(c *conn) []jetstream.JetStreamOpt {
	return []jetstream.JetStreamOpt{
		jetstream.WithPublishAsyncMaxPending(2 * f.cfg.MaxInflight),
		jetstream.WithPublishAsyncTimeout(10 * time.Second),
		jetstream.WithPublishAsyncAckHandler(func(_ jetstream.JetStream, m *nats.Msg, _ *jetstream.PubAck) {
			c.out.acked(m)
		}),
		jetstream.WithPublishAsyncErrHandler(func(_ jetstream.JetStream, m *nats.Msg, err error) {
			c.out.failed(m, err)
		}),
	}
}

// redactURL hides credentials in a NATS URL for messages.
func redactURL(s string) string {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			parts[i] = u.Redacted()
		}
	}
	return strings.Join(parts, ",")
}
