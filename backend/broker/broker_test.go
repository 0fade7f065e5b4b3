package broker

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

var quiet = slog.New(slog.DiscardHandler)

func startEmbedded(t *testing.T, dir, token string) *Broker {
	t.Helper()
	b, err := Start(context.Background(), Config{StoreDir: dir, Listen: "127.0.0.1:0", Token: token, Logger: quiet})
	if err != nil {
		t.Fatalf("start embedded: %v", err)
	}
	return b
}

func bootstrap(t *testing.T, b *Broker) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := Bootstrap(ctx, b.JetStream(), 1); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
}

// An outside client (like a kanade agent or the nats CLI) on the TCP listener
// sees every resource with kanade's settings.
func TestEmbeddedBootstrapVisibleToClients(t *testing.T) {
	b := startEmbedded(t, t.TempDir(), "")
	defer b.Close()
	bootstrap(t, b)
	bootstrap(t, b) // idempotent

	nc, err := nats.Connect(b.ClientURL())
	if err != nil {
		t.Fatalf("client connect %s: %v", b.ClientURL(), err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	want := map[string]StreamSpec{}
	for _, s := range Streams {
		want[s.Name] = s
	}
	for name, spec := range want {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatalf("stream %s: %v", name, err)
		}
		cfg := s.CachedInfo().Config
		if strings.Join(cfg.Subjects, ",") != strings.Join(spec.Subjects, ",") || cfg.MaxAge != spec.MaxAge || cfg.Storage != jetstream.FileStorage || cfg.Discard != jetstream.DiscardOld {
			t.Errorf("stream %s config = %+v", name, cfg)
		}
		wantPer := int64(-1)
		if name == wire.StreamExec {
			wantPer = 1
		}
		if cfg.MaxMsgsPerSubject != wantPer {
			t.Errorf("stream %s max_msgs_per_subject = %d, want %d", name, cfg.MaxMsgsPerSubject, wantPer)
		}
	}
	if got := want[wire.StreamAudit].MaxAge; got != 0 {
		t.Errorf("AUDIT must be permanent, max_age %v", got)
	}
	for _, spec := range Buckets {
		kv, err := js.KeyValue(ctx, spec.Name)
		if err != nil {
			t.Fatalf("bucket %s: %v", spec.Name, err)
		}
		st, _ := kv.Status(ctx)
		if st.History() != int64(spec.History) {
			t.Errorf("bucket %s history = %d, want %d", spec.Name, st.History(), spec.History)
		}
	}
	if _, err := js.ObjectStore(ctx, wire.ObjectStoreAgentReleases); err != nil {
		t.Errorf("object store: %v", err)
	}
	res := CheckResources(ctx, js)
	if !res.AllPresent() || res.Total() != 13 {
		t.Errorf("resources = %+v", res)
	}
}

func TestEmbeddedRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	b := startEmbedded(t, dir, "")
	bootstrap(t, b)
	ctx := context.Background()
	kv, _ := b.JetStream().KeyValue(ctx, wire.BucketJobs)
	if _, err := kv.Put(ctx, "inventory-hw", []byte(`{"id":"inventory-hw"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.JetStream().Publish(ctx, "results.r1", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	b.Close()

	b = startEmbedded(t, dir, "")
	defer b.Close()
	bootstrap(t, b)
	kv, _ = b.JetStream().KeyValue(ctx, wire.BucketJobs)
	e, err := kv.Get(ctx, "inventory-hw")
	if err != nil || string(e.Value()) != `{"id":"inventory-hw"}` {
		t.Fatalf("kv after restart: %v %v", e, err)
	}
	s, _ := b.JetStream().Stream(ctx, wire.StreamResults)
	info, _ := s.Info(ctx)
	if info.State.Msgs != 1 {
		t.Fatalf("RESULTS msgs after restart = %d, want 1", info.State.Msgs)
	}
}

// EXEC keeps only the newest Command per subject.
func TestExecKeepsLatestPerSubject(t *testing.T) {
	b := startEmbedded(t, t.TempDir(), "")
	defer b.Close()
	bootstrap(t, b)
	nc := b.Conn()
	for i := 0; i < 3; i++ {
		nc.Publish("commands.pc.PC1", []byte(fmt.Sprintf(`{"n":%d}`, i)))
		nc.Publish("commands.all", []byte(fmt.Sprintf(`{"n":%d}`, i)))
	}
	nc.Flush()
	ctx := context.Background()
	s, _ := b.JetStream().Stream(ctx, wire.StreamExec)
	testutil.WaitFor(t, 5*time.Second, func() error {
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.Msgs != 2 || info.State.LastSeq != 6 {
			return fmt.Errorf("EXEC state = %+v, want 2 msgs after 6 publishes", info.State)
		}
		return nil
	})
	m, err := s.GetLastMsgForSubject(ctx, "commands.pc.PC1")
	if err != nil || string(m.Data) != `{"n":2}` {
		t.Fatalf("last on commands.pc.PC1 = %v %v", m, err)
	}
}

func TestBootstrapRepairsDriftedLimits(t *testing.T) {
	b := startEmbedded(t, t.TempDir(), "")
	defer b.Close()
	ctx := context.Background()
	js := b.JetStream()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: wire.StreamResults, Subjects: []string{"results.>"}, MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: wire.BucketJobs, History: 1}); err != nil {
		t.Fatal(err)
	}
	bootstrap(t, b)
	s, _ := js.Stream(ctx, wire.StreamResults)
	if got := s.CachedInfo().Config.MaxAge; got != 30*day {
		t.Fatalf("RESULTS max_age = %v after bootstrap", got)
	}
	kv, _ := js.KeyValue(ctx, wire.BucketJobs)
	st, _ := kv.Status(ctx)
	if st.History() != 5 {
		t.Fatalf("jobs history = %d after bootstrap", st.History())
	}
}

func TestEmbeddedTokenIsRequired(t *testing.T) {
	b := startEmbedded(t, t.TempDir(), "s3cret")
	defer b.Close()
	bootstrap(t, b) // the console itself is authorised
	if nc, err := nats.Connect(b.ClientURL()); err == nil {
		nc.Close()
		t.Fatal("client without token was accepted")
	}
	nc, err := nats.Connect(b.ClientURL(), nats.Token("s3cret"))
	if err != nil {
		t.Fatalf("client with token: %v", err)
	}
	nc.Close()
}

func TestEmbeddedWithoutListener(t *testing.T) {
	b, err := Start(context.Background(), Config{StoreDir: t.TempDir(), Listen: ListenOff, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.ClientURL() != "" {
		t.Fatalf("ClientURL = %q, want none", b.ClientURL())
	}
	bootstrap(t, b)
}

func TestEmbeddedBadListen(t *testing.T) {
	for _, listen := range []string{"nonsense", "127.0.0.1:http", "127.0.0.1:99999"} {
		if b, err := Start(context.Background(), Config{StoreDir: t.TempDir(), Listen: listen, Logger: quiet}); err == nil {
			b.Close()
			t.Errorf("listen %q accepted", listen)
		}
	}
}

func runServer(t *testing.T, port int, dir string) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	return ns
}

// kanade's backend exited when NATS was down at start; the console keeps
// retrying and bootstraps once the server appears.
func TestExternalServerDownAtStart(t *testing.T) {
	port := testutil.FreePort(t)
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	b, err := Start(context.Background(), Config{URL: url, Logger: quiet})
	if err != nil {
		t.Fatalf("start with server down: %v", err)
	}
	defer b.Close()
	if b.Connected() {
		t.Fatal("connected to a server that does not exist")
	}
	ns := runServer(t, port, t.TempDir())
	defer ns.Shutdown()
	testutil.WaitFor(t, 20*time.Second, testutil.Cond("a connection after the server came up", b.Connected))
	bootstrap(t, b)
	if res := CheckResources(context.Background(), b.JetStream()); !res.AllPresent() {
		t.Fatalf("missing after bootstrap: %v", res.Missing())
	}
}

func TestReconnectDelayBacksOff(t *testing.T) {
	prev := time.Duration(0)
	for i := 0; i < 20; i++ {
		d := reconnectDelay(i)
		if d < prev || d > 10*time.Second {
			t.Fatalf("attempt %d: delay %v after %v", i, d, prev)
		}
		prev = d
	}
	if prev != 10*time.Second {
		t.Fatalf("cap = %v", prev)
	}
}

// Identities names every stream Bootstrap owns with its creation time; a
// stream deleted and created again has a new one.
func TestIdentitiesSeeEveryStreamAndItsRecreation(t *testing.T) {
	b := startEmbedded(t, t.TempDir(), "")
	defer b.Close()
	bootstrap(t, b)
	ctx := context.Background()
	ids, err := Identities(ctx, b.JetStream())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ExpectedStreams() {
		if ids[name].IsZero() {
			t.Errorf("%s missing from %v", name, ids)
		}
	}
	if err := b.JetStream().DeleteStream(ctx, wire.StreamAudit); err != nil {
		t.Fatal(err)
	}
	bootstrap(t, b)
	again, err := Identities(ctx, b.JetStream())
	if err != nil {
		t.Fatal(err)
	}
	if again[wire.StreamAudit].Equal(ids[wire.StreamAudit]) || !again[wire.StreamResults].Equal(ids[wire.StreamResults]) {
		t.Fatalf("AUDIT %v -> %v, RESULTS %v -> %v", ids[wire.StreamAudit], again[wire.StreamAudit], ids[wire.StreamResults], again[wire.StreamResults])
	}
}
