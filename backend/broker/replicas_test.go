package broker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/internal/natscluster"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// A single server cannot hold 3 replicas: the check says so at once
// instead of a bootstrap that retries forever.
func TestReplicasOnASingleServerFailClearly(t *testing.T) {
	b := startEmbedded(t, t.TempDir(), "")
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := CheckReplicas(ctx, b.JetStream(), Replication{N: 3, Explicit: true}, "t1")
	if !errors.Is(err, ErrReplicas) || !strings.Contains(err.Error(), "--nats-replicas 3") || !strings.Contains(err.Error(), "not clustered") {
		t.Fatalf("err = %v", err)
	}
	if err := BootstrapReplicated(ctx, b.JetStream(), Replication{N: 3}); !errors.Is(err, ErrReplicas) {
		t.Fatalf("bootstrap err = %v", err)
	}
	if err := CheckReplicas(ctx, b.JetStream(), Replication{N: 1}, "t1"); err != nil {
		t.Fatal(err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// On a three-node cluster: R1 resources stay R1 unless the operator asks
// for 3 explicitly, then every one is scaled up and the log names it; 5
// replicas on 3 nodes is refused with a clear error.
func TestReplicasScaleUpOnlyWhenAsked(t *testing.T) {
	cl, err := natscluster.Start("kanade-broker", 3, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Shutdown()
	nc, err := nats.Connect(cl.URLs())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	if err := BootstrapReplicated(ctx, js, Replication{N: 1}); err != nil {
		t.Fatal(err)
	}
	own := jetstream.KeyValueConfig{Bucket: "kanade_console_test", History: 1, TTL: time.Minute}
	if _, err := EnsureKeyValue(ctx, js, own, Replication{N: 1}); err != nil {
		t.Fatal(err)
	}
	replicas := func() map[string]int {
		got := map[string]int{}
		names := js.StreamNames(ctx)
		for name := range names.Name() {
			s, err := js.Stream(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			got[name] = s.CachedInfo().Config.Replicas
		}
		return got
	}
	// The stream listing of a cluster catches up with new streams a
	// moment later: every check waits for it.
	all := func(want int) error {
		got := replicas()
		if len(got) != len(Streams)+len(Buckets)+len(ObjectStores)+1 {
			return fmt.Errorf("streams %v", got)
		}
		for name, r := range got {
			if r != want {
				return fmt.Errorf("%s has %d replicas, want %d (all: %v)", name, r, want, got)
			}
		}
		return nil
	}
	testutil.WaitFor(t, 20*time.Second, func() error { return all(1) })
	// 3 by default (not asked for): existing resources are left alone.
	if err := BootstrapReplicated(ctx, js, Replication{N: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureKeyValue(ctx, js, own, Replication{N: 3}); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 20*time.Second, func() error { return all(1) })
	// Asked for: scaled up, and said so.
	var logs syncBuffer
	r := Replication{N: 3, Explicit: true, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := BootstrapReplicated(ctx, js, r); err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureKeyValue(ctx, js, own, r); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 20*time.Second, func() error { return all(3) })
	for _, want := range []string{"resource=\"stream RESULTS\" from=1 to=3", "resource=\"kv agents_state\" from=1 to=3", "object store agent_releases", "kanade_console_test"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	// Asking for less never scales down.
	if err := BootstrapReplicated(ctx, js, Replication{N: 1, Explicit: true}); err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 20*time.Second, func() error { return all(3) })
	// More than the cluster has.
	checkCtx, cancelCheck := context.WithTimeout(ctx, 20*time.Second)
	defer cancelCheck()
	err = CheckReplicas(checkCtx, js, Replication{N: 5, Explicit: true}, "t2")
	t.Logf("5 on 3: %v", err)
	if !errors.Is(err, ErrReplicas) || !strings.Contains(err.Error(), "--nats-replicas 5") {
		t.Fatalf("5 replicas on 3 nodes: %v", err)
	}
	if err := CheckReplicas(checkCtx, js, Replication{N: 3, Explicit: true}, "t3"); err != nil {
		t.Fatal(err)
	}
}
