package execution

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

var quiet = slog.New(slog.DiscardHandler)

// patience bounds every wait: tests assert outcomes, never speed.
const patience = 20 * time.Second

// groupMap is the agent_groups mirror as a plain map.
type groupMap struct {
	mu sync.Mutex
	m  map[string][]string
}

func (g *groupMap) Members(group string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.m[group]
}

func (g *groupMap) set(group string, pcs ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.m[group] = pcs
}

// env is one Service over an embedded, bootstrapped NATS and its own SQLite
// file, on a fake clock, with an agent's view of the subjects.
type env struct {
	t      *testing.T
	svc    *Service
	nc     *nats.Conn // the service's connection
	js     jetstream.JetStream
	st     *store.Store
	clock  *clockwork.FakeClock
	groups *groupMap
	agent  *agent
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Logger: quiet})
	if err != nil {
		t.Fatalf("broker: %v", err)
	}
	t.Cleanup(b.Close)
	if err := broker.Bootstrap(ctx, b.JetStream(), 1); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kanade.db"), store.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, nc: b.Conn(), js: b.JetStream(), st: st, groups: &groupMap{m: map[string][]string{}},
		clock: clockwork.NewFakeClockAt(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))}
	e.svc = New(Options{Conn: e.nc, JS: e.js, Store: st, Groups: e.groups, Logger: quiet, Clock: e.clock})
	e.agent = newAgent(t, b.ClientURL())
	return e
}

const manifestJSON = `{"id":"inventory-hw","version":"1.2.0","description":"Hardware inventory probe","execute":{"shell":"powershell","script":"Get-CimInstance Win32_OperatingSystem","timeout":"10m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`

func (e *env) putJob(raw string) wire.Manifest {
	e.t.Helper()
	var m wire.Manifest
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.UpsertJob(context.Background(), m, Operator); err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *env) kvPut(bucket, key, value string) {
	e.t.Helper()
	kv, err := e.js.KeyValue(context.Background(), bucket)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := kv.PutString(context.Background(), key, value); err != nil {
		e.t.Fatal(err)
	}
}

// kvGet is a bucket's value of key, "" when missing.
func (e *env) kvGet(bucket, key string) string {
	e.t.Helper()
	kv, err := e.js.KeyValue(context.Background(), bucket)
	if err != nil {
		e.t.Fatal(err)
	}
	en, err := kv.Get(context.Background(), key)
	if err != nil {
		return ""
	}
	return string(en.Value())
}

// heartbeat records pcs as last seen at the clock's now minus ago.
func (e *env) heartbeat(ago time.Duration, pcs ...string) {
	e.t.Helper()
	err := e.st.Project(context.Background(), func(tx *store.Tx) error {
		for _, pc := range pcs {
			if err := tx.UpsertAgent(context.Background(), store.Agent{PCID: pc, AgentVersion: "0.29.0", LastHeartbeat: e.clock.Now().Add(-ago)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func plan(t *testing.T, raw string) wire.FanoutPlan {
	t.Helper()
	var p wire.FanoutPlan
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatalf("plan %s: %v", raw, err)
	}
	return p
}

// agent records what an agent would see: commands.> and kill.>, and the
// version pin in script_current at the moment each Command arrived.
type agent struct {
	mu   sync.Mutex
	msgs []seen
}

type seen struct {
	subject string
	cmd     wire.Command
	pin     string
	empty   bool
}

func newAgent(t *testing.T, url string) *agent {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	pins, err := js.KeyValue(context.Background(), wire.BucketScriptCurrent)
	if err != nil {
		t.Fatal(err)
	}
	a := &agent{}
	handle := func(m *nats.Msg) {
		s := seen{subject: m.Subject, empty: len(m.Data) == 0}
		if !s.empty {
			if err := json.Unmarshal(m.Data, &s.cmd); err != nil {
				t.Errorf("undecodable message on %s: %v", m.Subject, err)
				return
			}
			if en, err := pins.Get(context.Background(), s.cmd.ID); err == nil {
				s.pin = string(en.Value())
			}
		}
		a.mu.Lock()
		a.msgs = append(a.msgs, s)
		a.mu.Unlock()
	}
	for _, subject := range []string{"commands.>", "kill.>"} {
		if _, err := nc.Subscribe(subject, handle); err != nil {
			t.Fatal(err)
		}
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *agent) all() []seen {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]seen(nil), a.msgs...)
}

// wait waits until exactly n messages have arrived and returns them.
func (a *agent) wait(t *testing.T, n int) []seen {
	t.Helper()
	testutil.WaitFor(t, patience, func() error {
		if got := len(a.all()); got != n {
			return fmt.Errorf("the agent saw %d messages, want %d: %+v", got, n, a.all())
		}
		return nil
	})
	return a.all()
}

// auditActions are the actions on the AUDIT stream, in order.
func (e *env) auditActions() []string {
	e.t.Helper()
	ctx := context.Background()
	cons, err := e.js.OrderedConsumer(ctx, wire.StreamAudit, jetstream.OrderedConsumerConfig{})
	if err != nil {
		e.t.Fatal(err)
	}
	info, err := e.js.Stream(ctx, wire.StreamAudit)
	if err != nil {
		e.t.Fatal(err)
	}
	n := int(info.CachedInfo().State.Msgs)
	var out []string
	for len(out) < n {
		m, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			e.t.Fatalf("audit read %d of %d: %v", len(out), n, err)
		}
		var ev wire.AuditEvent
		if err := json.Unmarshal(m.Data(), &ev); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, ev.Action)
	}
	return out
}
