package console

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/internal/natscluster"
	"github.com/kanade-console/kanade-console/backend/scheduler"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// threeNodes forms a three-node JetStream cluster for one test.
func threeNodes(t *testing.T) *natscluster.Cluster {
	t.Helper()
	cl, err := natscluster.Start("kanade-test", 3, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Shutdown)
	return cl
}

// startR3Console runs a console with --nats-replicas 3 against the cluster.
func startR3Console(t *testing.T, cl *natscluster.Cluster) *Console {
	t.Helper()
	dir := t.TempDir()
	c := New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSURL: cl.URLs(), NATSReplicas: 3, NATSReplicasExplicit: true}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	if err := c.WaitReady(ctx); err != nil {
		t.Fatalf("not ready: %v", c.Readiness(context.Background()))
	}
	return c
}

// kill ends a console the way SIGKILL would for everyone else: its NATS
// connection drops at once, so it neither releases the lease nor sends
// anything more.
func kill(c *Console) {
	c.Broker().Conn().Close()
	c.Stop(context.Background())
}

// everyResourceR3 checks the replicas of kanade's streams, buckets and
// object store and of the console's own buckets.
func everyResourceR3(ctx context.Context, js jetstream.JetStream) error {
	var names []string
	for _, s := range broker.Streams {
		names = append(names, s.Name)
	}
	for _, b := range broker.Buckets {
		names = append(names, "KV_"+b.Name)
	}
	for _, o := range broker.ObjectStores {
		names = append(names, "OBJ_"+o)
	}
	names = append(names, "KV_"+scheduler.BucketLeader, "KV_"+scheduler.BucketTicks, "KV_"+execution.BucketWaves)
	for _, name := range names {
		s, err := js.Stream(ctx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if r := s.CachedInfo().Config.Replicas; r != 3 {
			return fmt.Errorf("%s has %d replicas", name, r)
		}
	}
	return nil
}

// Two consoles with --nats-replicas 3 on a three-node cluster: everything
// is R3, and results published while the node leading RESULTS stops are
// all acknowledged and land exactly once in both consoles' databases; a
// console added afterwards converges to the same rows.
func TestClusterResultsSurviveLosingTheStreamLeader(t *testing.T) {
	cl := threeNodes(t)
	a := startR3Console(t, cl)
	b := startR3Console(t, cl)
	ctx := context.Background()
	_, js := client(t, cl.URLs())
	testutil.WaitFor(t, 30*time.Second, testutil.Waiting("R3 everywhere", func() error { return everyResourceR3(ctx, js) }))

	putJob(t, a, manifestJSON)
	const n = 240
	var pcs []string
	for i := range n {
		pcs = append(pcs, fmt.Sprintf("PC-%03d", i))
	}
	resp, err := a.Exec(ctx, "inventory-hw", plan(t, `{"target":{"pcs":["`+strings.Join(pcs, `","`)+`"]}}`), execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, patience, testutil.Waiting("the execution on both consoles", func() error {
		for _, c := range []*Console{a, b} {
			var target int
			if err := c.Store().Reader().QueryRow("SELECT target_count FROM executions WHERE exec_id = ?", resp.ExecID).Scan(&target); err != nil {
				return err
			}
		}
		return nil
	}))

	// The agents: publish each result until it is acknowledged, as 0.29
	// agents do from their outbox (same result id on every retry).
	leader := cl.StreamLeader(wire.StreamResults)
	if leader < 0 {
		t.Fatal("no RESULTS leader")
	}
	var stopped atomic.Bool
	var retries atomic.Int64
	job := "inventory-hw"
	for i, pc := range pcs {
		if i == n/4 {
			go func() { cl.Stop(leader); stopped.Store(true) }()
		}
		data, _ := wire.Marshal(wire.ExecResult{
			ResultID: uuid.NewString(), RequestID: resp.ExecID, ExecID: &resp.ExecID, PCID: pc,
			ExitCode: int32(i % 2), StartedAt: time.Now(), FinishedAt: time.Now(), ManifestID: &job,
		})
		testutil.WaitFor(t, 45*time.Second, testutil.Waiting("ack of result "+pc, func() error {
			pubCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			_, err := js.Publish(pubCtx, wire.SubjectResults(resp.ExecID), data)
			if err != nil {
				retries.Add(1)
			}
			return err
		}))
	}
	testutil.WaitFor(t, patience, testutil.Waiting("the leader node to stop", func() error {
		if !stopped.Load() {
			return errors.New("still stopping")
		}
		return nil
	}))
	if cl.StreamLeader(wire.StreamResults) == leader {
		t.Fatal("RESULTS still led by the stopped node")
	}
	t.Logf("%d results acknowledged; %d publish attempts failed while the RESULTS leader stopped", n, retries.Load())

	// A result the stopped node had delivered to a console but not yet got
	// the ack for is redelivered after the consumer's ack wait (60 s); the
	// wait below allows for it (it is rare, and usually all are in at once).
	projectedFrom := time.Now()
	for name, c := range map[string]*Console{"a": a, "b": b} {
		testutil.WaitFor(t, 2*time.Minute, testutil.Waiting("console "+name+" to project every result", func() error {
			var rows, distinct, success, failure int
			var status string
			r := c.Store().Reader()
			if err := r.QueryRow("SELECT count(*), count(DISTINCT pc_id) FROM execution_results WHERE exec_id = ?", resp.ExecID).Scan(&rows, &distinct); err != nil {
				return err
			}
			if err := r.QueryRow("SELECT success_count, failure_count, status FROM executions WHERE exec_id = ?", resp.ExecID).Scan(&success, &failure, &status); err != nil {
				return err
			}
			if rows != n || distinct != n || success != n/2 || failure != n/2 || status != "completed" {
				return fmt.Errorf("rows %d, pcs %d, success %d, failure %d, status %s; want %d rows, %d/%d, completed", rows, distinct, success, failure, status, n, n/2, n/2)
			}
			return nil
		}))
	}
	t.Logf("every result projected by both consoles %v after the last ack", time.Since(projectedFrom).Round(time.Millisecond))
	// A resent result (an agent that missed its ack) changes nothing.
	data, _ := wire.Marshal(wire.ExecResult{ResultID: "resent", RequestID: resp.ExecID, ExecID: &resp.ExecID, PCID: pcs[0], StartedAt: time.Now(), FinishedAt: time.Now()})
	for range 2 {
		if _, err := js.Publish(ctx, wire.SubjectResults(resp.ExecID), data); err != nil {
			t.Fatal(err)
		}
	}
	// A console added later (on the two nodes left) rebuilds the same rows
	// from NATS: the execution from the audit stream, every result once.
	late := startR3Console(t, cl)
	for _, c := range []*Console{a, b, late} {
		testutil.WaitFor(t, 30*time.Second, testutil.Waiting("the resent result", func() error {
			var rows, success int
			c.Store().Reader().QueryRow("SELECT count(*) FROM execution_results WHERE result_id = 'resent'").Scan(&rows)
			c.Store().Reader().QueryRow("SELECT success_count FROM executions WHERE exec_id = ?", resp.ExecID).Scan(&success)
			var all, failure int
			c.Store().Reader().QueryRow("SELECT count(*) FROM execution_results WHERE exec_id = ?", resp.ExecID).Scan(&all)
			c.Store().Reader().QueryRow("SELECT failure_count FROM executions WHERE exec_id = ?", resp.ExecID).Scan(&failure)
			if rows != 1 || all != n+1 || success != n/2+1 || failure != n/2 {
				return fmt.Errorf("resent rows %d, all rows %d, success %d, failure %d", rows, all, success, failure)
			}
			return nil
		}))
	}
}

// The console holding the scheduler lease dies without releasing it: the
// other takes over within the lease TTL, a 1 s schedule never fires a tick
// twice across both, and a wave that was pending fires exactly once.
func TestClusterSchedulerSurvivesKilledLeader(t *testing.T) {
	cl := threeNodes(t)
	a := startR3Console(t, cl)
	b := startR3Console(t, cl)
	ctx := context.Background()
	nc, js := client(t, cl.URLs())
	putJob(t, a, manifestJSON)

	var mu sync.Mutex
	var ticks, waves []time.Time
	sub, err := nc.Subscribe("commands.>", func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		switch m.Subject {
		case "commands.all":
			ticks = append(ticks, time.Now())
		case "commands.group.wave1":
			waves = append(waves, time.Now())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	nc.Flush()
	fires := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return len(ticks), len(waves)
	}

	testutil.WaitFor(t, 30*time.Second, testutil.Waiting("one leader", func() error {
		if a.lease.IsLeader() == b.lease.IsLeader() {
			return errors.New("both or neither lead")
		}
		return nil
	}))
	testutil.WaitFor(t, 30*time.Second, testutil.Waiting("R3 everywhere", func() error { return everyResourceR3(ctx, js) }))
	putSchedule(t, a, "id: tick\ncron: \"*/1 * * * * *\"\njob_id: inventory-hw\ntarget: { all: true }\n")
	testutil.WaitFor(t, patience, testutil.Waiting("3 ticks", func() error {
		if n, _ := fires(); n < 3 {
			return fmt.Errorf("%d ticks", n)
		}
		return nil
	}))

	leader, follower := a, b
	if b.lease.IsLeader() {
		leader, follower = b, a
	}
	// A wave due in 3 s, queued by the leader just before it dies.
	if _, err := leader.Exec(ctx, "inventory-hw", plan(t, `{"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"},{"group":"wave1","delay":"3s"}]}}`), execution.Operator); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 10*time.Second, testutil.Waiting("the wave pending on the follower", func() error {
		if n := len(follower.Scheduler().PendingWaves); n != 1 {
			return fmt.Errorf("%d pending waves", n)
		}
		return nil
	}))
	ticksBefore, _ := fires()
	kill(leader)
	killedAt := time.Now()
	testutil.WaitFor(t, 3*LeaseTTL, testutil.Waiting("the follower to take the lease", func() error {
		if !follower.lease.IsLeader() {
			return errors.New("not leader")
		}
		return nil
	}))
	tookLease := time.Since(killedAt)
	testutil.WaitFor(t, 3*LeaseTTL, testutil.Waiting("ticks to resume", func() error {
		if n, _ := fires(); n < ticksBefore+2 {
			return fmt.Errorf("%d ticks since the kill", n-ticksBefore)
		}
		return nil
	}))
	resumed := time.Since(killedAt)
	t.Logf("lease taken %v and ticks resumed %v after the kill (lease TTL %v)", tookLease.Round(time.Millisecond), resumed.Round(time.Millisecond), LeaseTTL)
	// The lease key outlives a killed leader by at most its TTL; the
	// follower tries every TTL/3.
	if limit := LeaseTTL + LeaseTTL/3 + 2*time.Second; tookLease > limit {
		t.Errorf("hand-over took %v, more than the lease TTL plus one renewal period (%v)", tookLease, limit)
	}

	testutil.WaitFor(t, 3*LeaseTTL, testutil.Waiting("the pending wave to fire", func() error {
		if _, w := fires(); w != 1 || len(follower.Scheduler().PendingWaves) != 0 {
			return fmt.Errorf("%d wave publishes, %d pending", w, len(follower.Scheduler().PendingWaves))
		}
		return nil
	}))
	// Three more ticks later: still one wave publish, and no tick twice.
	n, _ := fires()
	testutil.WaitFor(t, patience, testutil.Waiting("3 more ticks", func() error {
		if m, _ := fires(); m < n+3 {
			return fmt.Errorf("%d more ticks", m-n)
		}
		return nil
	}))
	mu.Lock()
	defer mu.Unlock()
	if len(waves) != 1 {
		t.Fatalf("the pending wave fired %d times", len(waves))
	}
	// One tick fired by both consoles arrives twice within milliseconds;
	// two real ticks are a second apart.
	sorted := slices.Clone(ticks)
	slices.SortFunc(sorted, func(x, y time.Time) int { return x.Compare(y) })
	for i := 1; i < len(sorted); i++ {
		if gap := sorted[i].Sub(sorted[i-1]); gap < 100*time.Millisecond {
			t.Fatalf("two fires %v apart at %v: one tick fired twice", gap, sorted[i].Format(time.RFC3339Nano))
		}
	}
}
