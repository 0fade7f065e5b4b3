package fleetsim

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
)

const (
	groupSubjectPrefix = "commands.group."
	pcSubjectPrefix    = "commands.pc."
	killSubjectPrefix  = "kill."
	logsSubjectPrefix  = "logs.fetch."
	tailSubjectPrefix  = "job.tail."
)

// conn is one NATS connection and the agents that share it. One scheduler
// goroutine per conn drives every timed thing of its agents (heartbeats,
// jitter, script completion) from a min-heap; one outbox goroutine publishes
// their results.
type conn struct {
	f      *Fleet
	idx    int
	agents []*agent
	nc     *nats.Conn
	js     jetstream.JetStream
	out    *outbox

	mu      sync.Mutex
	groups  map[string]map[*agent]struct{} // group -> member agents of this conn
	running map[string]map[*run]struct{}   // exec_id -> runs that can be killed
	tails   map[string]*run                // result_id -> running run (job.tail)
	active  int                            // runs accepted whose result is not yet in the outbox
	heap    eventHeap
	subs    []*nats.Subscription // command intake; dropped first on Stop
	killSub *nats.Subscription

	wake      chan struct{}
	quit      chan struct{}
	loopsDone sync.WaitGroup
	hbStopped atomic.Bool
	replaying atomic.Bool
	rng       *rand.Rand // heartbeat jitter; scheduler goroutine only (after start)
}

func newConn(f *Fleet, idx int) *conn {
	c := &conn{
		f:       f,
		idx:     idx,
		groups:  make(map[string]map[*agent]struct{}),
		running: make(map[string]map[*run]struct{}),
		tails:   make(map[string]*run),
		wake:    make(chan struct{}, 1),
		quit:    make(chan struct{}),
		rng:     rand.New(rand.NewPCG(uint64(f.cfg.Seed), uint64(idx)+0x6862)), // "hb"
	}
	c.out = newOutbox(c)
	return c
}

func (c *conn) connect(url string) error {
	nc, err := nats.Connect(url, c.f.natsOptions(c)...)
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc, c.f.jetStreamOptions(c)...)
	if err != nil {
		nc.Close()
		return err
	}
	c.nc, c.js = nc, js
	return nil
}

// subscribe creates the connection's wildcard subscriptions: one per
// command subject family, kill.> and logs.fetch.>, dispatching locally.
func (c *conn) subscribe() error {
	intake := []struct {
		subject string
		handler nats.MsgHandler
	}{
		{wire.SubjectCommandsAll, c.onCommand},
		{groupSubjectPrefix + ">", c.onCommand},
		{pcSubjectPrefix + ">", c.onCommand},
		{logsSubjectPrefix + ">", c.onLogs},
		{tailSubjectPrefix + ">", c.onTail},
	}
	for _, s := range intake {
		sub, err := c.nc.Subscribe(s.subject, s.handler)
		if err != nil {
			return err
		}
		c.subs = append(c.subs, sub)
	}
	sub, err := c.nc.Subscribe(killSubjectPrefix+">", c.onKill)
	if err != nil {
		return err
	}
	c.killSub = sub
	return nil
}

func (c *conn) startLoops() {
	c.loopsDone.Add(2)
	go func() {
		defer c.loopsDone.Done()
		c.schedule()
	}()
	go func() {
		defer c.loopsDone.Done()
		c.out.run()
	}()
}

// stopIntake stops heartbeats and command/log intake. kill.> stays
// subscribed so runs that are still draining can be killed.
func (c *conn) stopIntake() {
	c.hbStopped.Store(true)
	for _, s := range c.subs {
		_ = s.Unsubscribe()
	}
}

// idle reports whether nothing is running and every result is acked.
func (c *conn) idle() bool {
	c.mu.Lock()
	active := c.active
	c.mu.Unlock()
	return active == 0 && c.out.pending() == 0
}

func (c *conn) stopLoops() {
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	c.loopsDone.Wait()
}

func (c *conn) close() {
	if c.nc == nil {
		return
	}
	_ = c.nc.FlushTimeout(2 * time.Second)
	c.nc.Close()
}

// ---- scheduler ----

const (
	evHeartbeat uint8 = iota
	evStart
	evFinish
)

// event is one entry of the scheduler heap: a heartbeat due for agent, or
// a jitter/finish deadline of run.
type event struct {
	at    int64 // unix nanoseconds
	kind  uint8
	agent *agent
	run   *run
}

type eventHeap []event

func (h *eventHeap) push(e event) {
	*h = append(*h, e)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].at <= s[i].at {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *eventHeap) pop() event {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s[n] = event{}
	s = s[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && s[l].at < s[m].at {
			m = l
		}
		if r < n && s[r].at < s[m].at {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// pushLocked schedules e; c.mu must be held.
func (c *conn) pushLocked(e event) {
	c.heap.push(e)
	if c.heap[0].at == e.at {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// scheduleFirstHeartbeats spreads the first heartbeats over StartSpread.
func (c *conn) scheduleFirstHeartbeats() {
	cfg := &c.f.cfg
	spread := cfg.StartSpread
	if spread == 0 {
		spread = min(cfg.HeartbeatInterval, time.Duration(len(c.f.online))*100*time.Microsecond)
	}
	now := time.Now().UnixNano()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range c.agents {
		var off int64
		if spread > 0 {
			off = c.rng.Int64N(int64(spread))
		}
		c.pushLocked(event{at: now + off, kind: evHeartbeat, agent: a})
	}
}

// schedule is the scheduler goroutine.
func (c *conn) schedule() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var due []event
	var hbs []*agent
	var starts, finishes []*run
	for {
		c.mu.Lock()
		now := time.Now().UnixNano()
		for len(c.heap) > 0 && c.heap[0].at <= now && len(due) < 4096 {
			due = append(due, c.heap.pop())
		}
		wait := time.Duration(-1)
		if len(due) == 0 && len(c.heap) > 0 {
			wait = time.Duration(c.heap[0].at - now)
		}
		c.mu.Unlock()

		if len(due) > 0 {
			for _, e := range due {
				switch e.kind {
				case evHeartbeat:
					hbs = append(hbs, e.agent)
				case evStart:
					starts = append(starts, e.run)
				case evFinish:
					finishes = append(finishes, e.run)
				}
			}
			clear(due)
			due = due[:0]
			if len(hbs) > 0 {
				c.heartbeats(hbs)
			}
			if len(starts) > 0 {
				c.startRuns(starts)
			}
			if len(finishes) > 0 {
				c.finishRuns(finishes)
			}
			clear(hbs)
			clear(starts)
			clear(finishes)
			hbs, starts, finishes = hbs[:0], starts[:0], finishes[:0]
			select {
			case <-c.quit:
				return
			default:
			}
			continue
		}
		if wait >= 0 {
			timer.Reset(wait)
		} else {
			timer.Stop()
		}
		select {
		case <-c.wake:
		case <-timer.C:
		case <-c.quit:
			return
		}
	}
}

// heartbeats publishes one heartbeat per agent and schedules the next.
func (c *conn) heartbeats(agents []*agent) {
	if c.hbStopped.Load() {
		return
	}
	cfg := &c.f.cfg
	next := make([]int64, len(agents))
	for i, a := range agents {
		now := time.Now()
		hb := wire.Heartbeat{PCID: a.id, At: now, AgentVersion: cfg.AgentVersion, Hostname: &a.id, OSFamily: &cfg.OSFamily}
		if data, err := wire.Marshal(hb); err == nil {
			if err := c.nc.Publish(wire.SubjectHeartbeat(a.id), data); err == nil {
				c.f.stats.heartbeats.Add(1)
			}
		}
		period := cfg.HeartbeatInterval
		if j := cfg.HeartbeatJitter; j > 0 {
			period = time.Duration(float64(period) * (1 + j*(2*c.rng.Float64()-1)))
		}
		next[i] = now.Add(period).UnixNano()
	}
	c.mu.Lock()
	for i, a := range agents {
		c.pushLocked(event{at: next[i], kind: evHeartbeat, agent: a})
	}
	c.mu.Unlock()
}

// ---- commands ----

// cmdInfo is one received Command, shared by every local agent it reaches.
type cmdInfo struct {
	cmd      wire.Command
	recv     time.Time
	verdict  verdict
	expired  bool
	dsl      *dslPlan            // non-nil when the script is simulator language
	hint     *wire.InventoryHint // inventory hint of jobs[cmd.id]
	jitter   time.Duration       // scaled jitter_secs
	timeout  time.Duration       // scaled timeout_secs; 0 = none
	manifest *string
}

// run is one agent executing one Command.
type run struct {
	a         *agent
	ci        *cmdInfo
	seed      uint64
	state     uint8 // guarded by conn.mu
	resultID  string
	startedAt time.Time
	dur       time.Duration // full script duration
	exit      int32         // exit code when it runs to completion
	timedOut  bool          // the finish event is the timeout
}

const (
	runWaiting uint8 = iota // in its jitter sleep
	runRunning
	runDone
)

func (c *conn) onCommand(msg *nats.Msg) { c.handleCommand(msg.Subject, msg.Data) }

// handleCommand dispatches a Command received on subject (live or replayed)
// to the local agents it addresses.
func (c *conn) handleCommand(subject string, data []byte) {
	f := c.f
	if f.stopping.Load() {
		return
	}
	var (
		all    bool
		group  string
		single *agent
	)
	switch {
	case subject == wire.SubjectCommandsAll:
		all = true
	case strings.HasPrefix(subject, groupSubjectPrefix):
		group = subject[len(groupSubjectPrefix):]
		c.mu.Lock()
		n := len(c.groups[group])
		c.mu.Unlock()
		if n == 0 {
			return
		}
	case strings.HasPrefix(subject, pcSubjectPrefix):
		single = f.agents[subject[len(pcSubjectPrefix):]]
		if single == nil || single.conn != c {
			return
		}
	default:
		return // e.g. the pre-v0.22 commands.exec.* subjects
	}
	ci := &cmdInfo{recv: time.Now()}
	if err := json.Unmarshal(data, &ci.cmd); err != nil {
		f.stats.badMessages.Add(1)
		f.log.Debug("fleetsim: undecodable Command", "subject", subject, "err", err)
		return
	}
	f.prepare(ci)
	if f.hooks.beforeAccept != nil {
		f.hooks.beforeAccept()
	}

	var (
		late       []*agent
		starts     []*run
		recv, dups uint64
	)
	visit := func(a *agent) {
		if !a.markSeen(ci.cmd.RequestID) {
			dups++
			return
		}
		recv++
		switch {
		case ci.verdict != verdictRun:
		case ci.expired:
			late = append(late, a)
			c.active++ // until its exit-125 result is queued
		default:
			r := &run{a: a, ci: ci, seed: runSeed(f.cfg.Seed, a.id, ci.cmd.RequestID)}
			c.active++
			if ci.jitter > 0 {
				d := time.Duration(rand.New(rand.NewPCG(r.seed, 1)).Int64N(int64(ci.jitter)))
				c.pushLocked(event{at: ci.recv.Add(d).UnixNano(), kind: evStart, run: r})
			} else {
				starts = append(starts, r)
			}
		}
	}
	c.mu.Lock()
	// Checked again under the lock Stop's idle check takes: a Command that
	// passed the check above while Stop began must not start runs after
	// Stop found this connection idle (their results would never be sent).
	if f.stopping.Load() {
		c.mu.Unlock()
		return
	}
	switch {
	case all:
		for _, a := range c.agents {
			visit(a)
		}
	case single != nil:
		visit(single)
	default:
		for a := range c.groups[group] {
			visit(a)
		}
	}
	c.mu.Unlock()

	f.stats.received.Add(recv)
	f.stats.duplicates.Add(dups)
	switch ci.verdict {
	case verdictPinned:
		f.stats.pinned.Add(recv)
	case verdictRevoked:
		f.stats.revoked.Add(recv)
	}
	if len(late) > 0 {
		f.stats.late.Add(uint64(len(late)))
		f.stats.failures.Add(uint64(len(late)))
		for _, a := range late {
			c.out.enqueue(f.deadlineResult(a, ci))
		}
		c.mu.Lock()
		c.active -= len(late)
		c.mu.Unlock()
	}
	if len(starts) > 0 {
		c.startRuns(starts)
	}
}

// prepare evaluates what is the same for every agent: the version pin,
// revoke and deadline checks (behaviors §4.5) and the script plan.
func (f *Fleet) prepare(ci *cmdInfo) {
	cmd := &ci.cmd
	ci.verdict, ci.hint = f.cache.check(cmd.ID, cmd.Version)
	ci.expired = cmd.DeadlineAt != nil && ci.recv.After(*cmd.DeadlineAt)
	if cmd.JitterSecs != nil && *cmd.JitterSecs > 0 {
		ci.jitter = f.cfg.scale(time.Duration(*cmd.JitterSecs) * time.Second)
	}
	if cmd.TimeoutSecs > 0 {
		ci.timeout = f.cfg.scale(time.Duration(min(cmd.TimeoutSecs, 1<<30)) * time.Second)
	}
	ci.dsl = parseDSL(cmd.Script, &f.cfg)
	ci.manifest = &cmd.ID
}

// startRuns starts scripts whose jitter is over.
func (c *conn) startRuns(runs []*run) {
	f := c.f
	cfg := &f.cfg
	now := time.Now()
	for _, r := range runs {
		r.startedAt = now
		r.resultID = uuid.NewString() // minted at start: the started event and the tail name it
		if r.ci.dsl != nil {
			r.dur, r.exit = r.ci.dsl.dur, r.ci.dsl.exit
		} else {
			r.dur, r.exit = f.randomOutcome(r.seed)
		}
		if r.ci.timeout > 0 && r.dur > r.ci.timeout {
			r.timedOut = true
		}
	}
	c.mu.Lock()
	for _, r := range runs {
		r.state = runRunning
		if cfg.PublishStartedEvents {
			c.tails[r.resultID] = r
		}
		if id := r.ci.cmd.ExecID; id != nil {
			set := c.running[*id]
			if set == nil {
				set = make(map[*run]struct{})
				c.running[*id] = set
			}
			set[r] = struct{}{}
		}
		end := r.dur
		if r.timedOut {
			end = r.ci.timeout
		}
		c.pushLocked(event{at: now.Add(end).UnixNano(), kind: evFinish, run: r})
	}
	c.mu.Unlock()
	f.stats.runs.Add(uint64(len(runs)))
	f.stats.running.Add(int64(len(runs)))
	if !cfg.PublishStartedEvents {
		return
	}
	for _, r := range runs {
		cmd := &r.ci.cmd
		if cmd.ExecID == nil {
			continue
		}
		ev := wire.EventStarted{ResultID: r.resultID, RequestID: cmd.RequestID, ExecID: *cmd.ExecID, PCID: r.a.id,
			StartedAt: r.startedAt, ManifestID: cmd.ID, Version: cmd.Version}
		data, err := wire.Marshal(ev)
		if err != nil {
			continue
		}
		if err := c.nc.Publish(wire.SubjectEventStarted(*cmd.ExecID, r.a.id), data); err == nil {
			f.stats.started.Add(1)
		}
	}
}

// finishRuns completes runs whose finish event is due (normal end or
// timeout); runs already killed are skipped.
func (c *conn) finishRuns(runs []*run) {
	done := runs[:0]
	c.mu.Lock()
	for _, r := range runs {
		if r.state != runRunning {
			continue
		}
		c.markDoneLocked(r)
		done = append(done, r)
	}
	c.mu.Unlock()
	now := time.Now()
	for _, r := range done {
		reason := endNormal
		if r.timedOut {
			reason = endTimeout
		}
		c.complete(r, reason, now)
	}
}

// markDoneLocked ends r's bookkeeping except c.active, which complete
// releases once the result is in the outbox; c.mu must be held.
func (c *conn) markDoneLocked(r *run) {
	r.state = runDone
	delete(c.tails, r.resultID)
	if id := r.ci.cmd.ExecID; id != nil {
		if set := c.running[*id]; set != nil {
			delete(set, r)
			if len(set) == 0 {
				delete(c.running, *id)
			}
		}
	}
}

func (c *conn) complete(r *run, reason endReason, at time.Time) {
	f := c.f
	res := f.result(r, reason, at)
	f.stats.running.Add(-1)
	if res.ExitCode != 0 {
		f.stats.failures.Add(1)
	}
	switch reason {
	case endKilled:
		f.stats.kills.Add(1)
	case endTimeout:
		f.stats.timeouts.Add(1)
	}
	if f.hooks.beforeEnqueue != nil {
		f.hooks.beforeEnqueue()
	}
	c.out.enqueue(res)
	// Only now does the run stop counting as active: released before the
	// enqueue, Stop could see neither a running script nor a pending result
	// and tear the outbox down with the result still in hand.
	c.mu.Lock()
	c.active--
	c.mu.Unlock()
}

// onKill ends every local run of the exec with exit -1. Runs still in their
// jitter sleep are not affected: a real agent subscribes to kill.<exec_id>
// only once the child is spawned.
func (c *conn) onKill(msg *nats.Msg) {
	execID := strings.TrimPrefix(msg.Subject, killSubjectPrefix)
	var killed []*run
	c.mu.Lock()
	for r := range c.running[execID] {
		if r.state == runRunning {
			killed = append(killed, r)
		}
	}
	for _, r := range killed {
		c.markDoneLocked(r)
	}
	c.mu.Unlock()
	now := time.Now()
	for _, r := range killed {
		c.complete(r, endKilled, now)
	}
}

// onLogs answers logs.fetch.<pc> for a local agent with a log tail.
func (c *conn) onLogs(msg *nats.Msg) {
	f := c.f
	a := f.agents[strings.TrimPrefix(msg.Subject, logsSubjectPrefix)]
	if a == nil || a.conn != c || msg.Reply == "" {
		return
	}
	req := wire.LogsRequest{TailLines: wire.DefaultLogsTailLines}
	if len(strings.TrimSpace(string(msg.Data))) > 0 {
		if err := json.Unmarshal(msg.Data, &req); err != nil {
			f.stats.badMessages.Add(1)
			req.TailLines = wire.DefaultLogsTailLines
		}
	}
	c.mu.Lock()
	recent := a.recentRequests(5)
	c.mu.Unlock()
	text := f.logTail(a, int(min(req.TailLines, maxLogLines)), recent, time.Now())
	if err := msg.Respond([]byte(text)); err == nil {
		f.stats.logs.Add(1)
	}
}

// onTail answers job.tail.<pc> (kanade v0.30+) for a local agent: the
// output its run of the asked result has written so far, as the suffix the
// agent's ring buffer keeps, or found false for a run it does not have
// (finished, or never there).
func (c *conn) onTail(msg *nats.Msg) {
	f := c.f
	a := f.agents[strings.TrimPrefix(msg.Subject, tailSubjectPrefix)]
	if a == nil || a.conn != c || msg.Reply == "" || !f.cfg.PublishStartedEvents {
		return // a 0.29 agent has no tail: the request times out
	}
	var req wire.JobTailRequest
	if err := json.Unmarshal(msg.Data, &req); err != nil {
		f.stats.badMessages.Add(1)
		return
	}
	c.mu.Lock()
	r := c.tails[req.ResultID]
	if r != nil && r.a != a {
		r = nil
	}
	c.mu.Unlock()
	reply := wire.JobTailReply{}
	if r != nil {
		stdout, stderr := f.outputSoFar(r, time.Now())
		reply.Found, reply.Running = true, true
		reply.Stdout, reply.StdoutTruncated = ringTail(stdout, f.cfg.TailBytes)
		reply.Stderr, reply.StderrTruncated = ringTail(stderr, f.cfg.TailBytes)
	}
	data, err := wire.Marshal(reply)
	if err != nil {
		return
	}
	if err := msg.Respond(data); err == nil {
		f.stats.tails.Add(1)
	}
}

// ---- replay (§3.3) ----

// replay reads the newest Command of every commands.> subject from EXEC
// with one ephemeral DeliverLastPerSubject consumer and dispatches each to
// the local agents it addresses, through their dedup caches — the
// connection-wide equivalent of each agent's agent_replay_<pc> durable.
func (c *conn) replay(ctx context.Context) {
	f := c.f
	cons, err := c.js.CreateConsumer(ctx, wire.StreamExec, jetstream.ConsumerConfig{
		DeliverPolicy:     jetstream.DeliverLastPerSubjectPolicy,
		FilterSubject:     wire.SubjectCommandsPrefix + ">",
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: time.Minute,
		MemoryStorage:     true,
	})
	if err != nil {
		f.log.Warn("fleetsim: EXEC replay consumer", "conn", c.idx, "err", err)
		return
	}
	info := cons.CachedInfo()
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.js.DeleteConsumer(dctx, wire.StreamExec, info.Name)
	}()
	remaining := info.NumPending
	for remaining > 0 && !f.stopping.Load() {
		batch, err := cons.Fetch(int(min(remaining, 256)), jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			f.log.Warn("fleetsim: EXEC replay fetch", "conn", c.idx, "err", err)
			return
		}
		got := 0
		for m := range batch.Messages() {
			got++
			f.stats.replayed.Add(1)
			c.handleCommand(m.Subject(), m.Data())
			if md, err := m.Metadata(); err == nil {
				remaining = md.NumPending
			} else {
				remaining--
			}
		}
		if got == 0 {
			if err := batch.Error(); err != nil {
				f.log.Warn("fleetsim: EXEC replay", "conn", c.idx, "err", err)
			}
			return
		}
	}
}

// replayAfterReconnect replays EXEC again after a reconnect: Commands
// published while the connection was down are only in the stream.
func (c *conn) replayAfterReconnect() {
	f := c.f
	if c.f.cfg.NoReplay || f.stopping.Load() || !c.replaying.CompareAndSwap(false, true) {
		return
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		defer c.replaying.Store(false)
		ctx, cancel := context.WithTimeout(f.runCtx, time.Minute)
		defer cancel()
		c.replay(ctx)
	}()
}

// ---- dedup (FIFO of request_ids, capacity 1024) ----

type dedup struct {
	ring []string
	next int                 // oldest entry once the ring is full
	set  map[string]struct{} // built once the ring outgrows a linear scan
}

const dedupLinear = 16

// markSeen records id and reports whether it is new; c.mu must be held.
func (a *agent) markSeen(id string) bool {
	d := a.seen
	if d == nil {
		d = &dedup{}
		a.seen = d
	}
	if d.set != nil {
		if _, ok := d.set[id]; ok {
			return false
		}
	} else {
		for _, s := range d.ring {
			if s == id {
				return false
			}
		}
	}
	if len(d.ring) < dedupCapacity {
		d.ring = append(d.ring, id)
		if d.set == nil && len(d.ring) > dedupLinear {
			d.set = make(map[string]struct{}, len(d.ring))
			for _, s := range d.ring {
				d.set[s] = struct{}{}
			}
		} else if d.set != nil {
			d.set[id] = struct{}{}
		}
		return true
	}
	delete(d.set, d.ring[d.next])
	d.ring[d.next] = id
	d.next = (d.next + 1) % dedupCapacity
	d.set[id] = struct{}{}
	return true
}

// recentRequests returns up to n newest request_ids, oldest first; c.mu
// must be held.
func (a *agent) recentRequests(n int) []string {
	d := a.seen
	if d == nil {
		return nil
	}
	var out []string
	size := len(d.ring)
	newest := size - 1
	if size == dedupCapacity {
		newest = (d.next - 1 + size) % size
	}
	for i := min(n, size) - 1; i >= 0; i-- {
		out = append(out, d.ring[(newest-i+size)%size])
	}
	return out
}

// runSeed derives a run's random stream from (seed, pc, request_id), so a
// run's outcome does not depend on timing or on the other agents.
func runSeed(seed int64, pc, requestID string) uint64 {
	h := uint64(14695981039346656037) ^ uint64(seed)*0x9e3779b97f4a7c15
	for _, s := range [2]string{pc, requestID} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff
		h *= 1099511628211
	}
	return h
}
