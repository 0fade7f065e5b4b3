package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

var quiet = slog.New(slog.DiscardHandler)

// jetStream is an embedded nats-server with JetStream on a random port.
func jetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(ns.Shutdown)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// runLease runs l until the returned stop (which waits for the release).
func runLease(t *testing.T, l *Lease) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Run(ctx)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return stop
}

// One of two contenders leads; when it stops it releases the lease, and the
// other takes it at its next renewal step, TTL/3 later on its clock, not
// before.
func TestLeaseHandsOverAtTheNextStep(t *testing.T) {
	js := jetStream(t)
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := clockwork.NewFakeClockAt(start)
	const ttl = 6 * time.Second
	a := NewLease(js, "console-a", ttl, clock, quiet)
	stopA := runLease(t, a)
	testutil.WaitFor(t, 10*time.Second, testutil.Cond("a to lead", a.IsLeader))
	if info := a.Current(); info.Holder != "console-a" || !info.Since.Equal(start) {
		t.Fatalf("lease info = %+v, want console-a since the clock's %v", info, start)
	}
	b := NewLease(js, "console-b", ttl, clock, quiet)
	runLease(t, b)
	// b's first step finds a's key: it follows and reads the holder.
	testutil.WaitFor(t, 10*time.Second, func() error {
		if info := b.Current(); info.Holder != "console-a" {
			return fmt.Errorf("b sees holder %q", info.Holder)
		}
		return nil
	})
	if b.IsLeader() {
		t.Fatal("two leaders")
	}
	stopA() // releases the key
	if a.IsLeader() {
		t.Fatal("a still leads after its Run ended")
	}
	// Nothing moves b before its next step on the clock.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil { // b's renewal ticker
		t.Fatal(err)
	}
	if b.IsLeader() {
		t.Fatal("b leads before its next step")
	}
	clock.Advance(ttl / 3)
	testutil.WaitFor(t, 10*time.Second, testutil.Cond("b to lead after one step", b.IsLeader))
	if info := b.Current(); info.Holder != "console-b" || !info.Since.Equal(start.Add(ttl/3)) {
		t.Fatalf("lease info = %+v", info)
	}
}

// A leader renews its key at every step; a renewal that fails (the key was
// taken away) ends the leadership until it wins the key again.
func TestLeaseRenewalFailureEndsLeadership(t *testing.T) {
	js := jetStream(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	l := NewLease(js, "console-a", 6*time.Second, clock, quiet)
	runLease(t, l)
	testutil.WaitFor(t, 10*time.Second, testutil.Cond("leader", l.IsLeader))
	kv, err := js.KeyValue(context.Background(), BucketLeader)
	if err != nil {
		t.Fatal(err)
	}
	// Someone else's key in its place (as after an expiry and a rival's win).
	if err := kv.Purge(context.Background(), leaseKey); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Create(context.Background(), leaseKey, []byte(`{"holder":"console-z"}`)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	testutil.WaitFor(t, 10*time.Second, testutil.Cond("leadership lost on the failed renewal", func() bool { return !l.IsLeader() }))
	// The next step contends again and reads the rival as holder.
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	testutil.WaitFor(t, 10*time.Second, func() error {
		if h := l.Current().Holder; h != "console-z" {
			return fmt.Errorf("holder = %q, want console-z", h)
		}
		return nil
	})
	if l.IsLeader() {
		t.Fatal("leads while another console holds the key")
	}
}
