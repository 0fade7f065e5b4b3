package broker

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

var (
	agentCred    = Credential{User: "agent", Password: "agent-secret"}
	operatorCred = Credential{User: "operator", Password: "operator-secret"}
)

// asyncErrors collects the server's -ERR lines a client receives.
type asyncErrors struct {
	mu   sync.Mutex
	errs []string
}

func (a *asyncErrors) handler(_ *nats.Conn, _ *nats.Subscription, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.errs = append(a.errs, err.Error())
}

func (a *asyncErrors) has(s string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, e := range a.errs {
		if strings.Contains(e, s) {
			return true
		}
	}
	return false
}

func startRoles(t *testing.T, logs *syncBuffer) *Broker {
	t.Helper()
	b, err := Start(context.Background(), Config{
		StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Token: "fleet-token",
		Agent: agentCred, Operator: operatorCred,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	bootstrap(t, b)
	return b
}

func connect(t *testing.T, url string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// The agent credential does what an agent does and nothing an operator
// does: the server refuses SUB results.> and PUB commands.all, and the
// console logs both.
func TestAgentCredentialOnlyAgentSubjects(t *testing.T) {
	var logs syncBuffer
	b := startRoles(t, &logs)
	ctx := context.Background()
	op := connect(t, b.ClientURL(), nats.UserInfo(operatorCred.User, operatorCred.Password))
	opJS, _ := jetstream.New(op)
	var agentErrs asyncErrors
	ag := connect(t, b.ClientURL(), nats.UserInfo(agentCred.User, agentCred.Password), nats.ErrorHandler(agentErrs.handler))
	agJS, _ := jetstream.New(ag)

	// Refused: reading every result, commanding every PC, writing KV.
	if _, err := ag.SubscribeSync("results.>"); err != nil {
		t.Fatal(err)
	}
	commands, _ := op.SubscribeSync("commands.all")
	op.Flush()
	ag.Publish("commands.all", []byte(`{"id":"evil"}`))
	ag.Flush()
	testutil.WaitFor(t, 15*time.Second, testutil.Cond("both refusals", func() bool {
		return agentErrs.has(`Permissions Violation for Subscription to "results.>"`) &&
			agentErrs.has(`Permissions Violation for Publish to "commands.all"`)
	}))
	if m, err := commands.NextMsg(200 * time.Millisecond); err == nil {
		t.Fatalf("operator subscriber got the agent's command: %s", m.Data)
	}
	testutil.WaitFor(t, 15*time.Second, testutil.Cond("the console's log of both", func() bool {
		s := logs.String()
		return strings.Contains(s, "NATS permission violation refused") && strings.Contains(s, `results.>`) && strings.Contains(s, `commands.all`)
	}))
	kv, err := agJS.KeyValue(ctx, wire.BucketScriptStatus)
	if err != nil {
		t.Fatalf("agent KV bind: %v", err)
	}
	putCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, err = kv.Put(putCtx, "job", []byte("REVOKED"))
	cancel()
	if err == nil {
		t.Fatal("agent credential wrote script_status")
	}
	if _, err := agJS.CreateStream(ctx, jetstream.StreamConfig{Name: "EVIL", Subjects: []string{"evil.>"}}); err == nil {
		t.Fatal("agent credential created a stream")
	}

	// Allowed: everything an agent does.
	opKV, _ := opJS.KeyValue(ctx, wire.BucketScriptCurrent)
	opKV.Put(ctx, "inventory-hw", []byte("1.2.0"))
	cur, err := agJS.KeyValue(ctx, wire.BucketScriptCurrent)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := cur.Get(ctx, "inventory-hw"); err != nil || string(e.Value()) != "1.2.0" {
		t.Fatalf("agent KV get: %v (%v)", err, agentErrs.errs)
	}
	groups, _ := agJS.KeyValue(ctx, wire.BucketAgentGroups)
	w, err := groups.Watch(ctx, "PC-1")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	opGroups, _ := opJS.KeyValue(ctx, wire.BucketAgentGroups)
	opGroups.Put(ctx, "PC-1", []byte(`{"groups":["canary"]}`))
	testutil.WaitFor(t, 15*time.Second, testutil.Cond("the agent's KV watch", func() bool {
		select {
		case e := <-w.Updates():
			return e != nil && string(e.Value()) == `{"groups":["canary"]}`
		default:
			return false
		}
	}))
	cmds, err := ag.SubscribeSync("commands.pc.PC-1")
	if err != nil {
		t.Fatal(err)
	}
	ag.Flush()
	op.Publish("commands.pc.PC-1", []byte(`{"id":"inventory-hw"}`))
	if _, err := cmds.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("agent did not get its command: %v", err)
	}
	if _, err := agJS.Publish(ctx, "results.req-1", []byte(`{"pc_id":"PC-1"}`)); err != nil {
		t.Fatalf("agent result publish: %v", err)
	}
	if err := ag.Publish("heartbeat.PC-1", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	ag.Subscribe("logs.fetch.PC-1", func(m *nats.Msg) { m.Respond([]byte("log tail")) })
	ag.Flush()
	reply, err := op.Request("logs.fetch.PC-1", []byte(`{"tail_lines":10}`), 5*time.Second)
	if err != nil || string(reply.Data) != "log tail" {
		t.Fatalf("logs request: %v", err)
	}
	// v0.30+ agents answer the live output tail the same way.
	ag.Subscribe("job.tail.PC-1", func(m *nats.Msg) { m.Respond([]byte(`{"found":false}`)) })
	ag.Flush()
	if reply, err := op.Request("job.tail.PC-1", []byte(`{"result_id":"r"}`), 5*time.Second); err != nil || string(reply.Data) != `{"found":false}` {
		t.Fatalf("tail request: %v", err)
	}
	replay, err := agJS.CreateOrUpdateConsumer(ctx, wire.StreamExec, jetstream.ConsumerConfig{Durable: "agent_replay_PC-1", AckPolicy: jetstream.AckExplicitPolicy, DeliverPolicy: jetstream.DeliverLastPerSubjectPolicy, FilterSubject: "commands.>"})
	if err != nil {
		t.Fatalf("agent replay consumer: %v", err)
	}
	batch, err := replay.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		if err := m.Ack(); err != nil {
			t.Fatal(err)
		}
	}
	ag.Flush()
	agentErrs.mu.Lock()
	defer agentErrs.mu.Unlock()
	if len(agentErrs.errs) != 4 { // results.>, commands.all, the KV put, the stream create
		t.Fatalf("agent refused something an agent does: %v", agentErrs.errs)
	}
}

// A 0.29 agent and the kanade CLI send only the token: it keeps every
// right it had; wrong or missing credentials are refused.
func TestTokenKeepsWorkingBesideRoles(t *testing.T) {
	var logs syncBuffer
	b := startRoles(t, &logs)
	ctx := context.Background()
	tok := connect(t, b.ClientURL(), nats.Token("fleet-token"))
	js, _ := jetstream.New(tok)
	// What the CLI does over NATS: revoke (KV put), run (sub results.<id>,
	// pub commands.pc.<pc>), kill, jetstream status.
	kv, _ := js.KeyValue(ctx, wire.BucketScriptStatus)
	if _, err := kv.Put(ctx, "inventory-hw", []byte("REVOKED")); err != nil {
		t.Fatalf("token KV put: %v", err)
	}
	res, err := tok.SubscribeSync("results.>")
	if err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{"commands.pc.PC-1", "commands.all", "kill.exec-1"} {
		if err := tok.Publish(subject, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := js.Publish(ctx, "results.req-1", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := res.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("token subscriber on results.>: %v", err)
	}
	if _, err := js.Stream(ctx, wire.StreamResults); err != nil {
		t.Fatal(err)
	}
	if err := tok.LastError(); err != nil {
		t.Fatalf("token connection error: %v", err)
	}
	for name, opt := range map[string]nats.Option{
		"wrong token": nats.Token("nope"), "wrong password": nats.UserInfo(agentCred.User, "nope"),
		"token as user": nats.UserInfo("token", "fleet-token"),
	} {
		if nc, err := nats.Connect(b.ClientURL(), opt, nats.MaxReconnects(0)); err == nil {
			nc.Close()
			t.Errorf("%s: connected", name)
		}
	}
	if nc, err := nats.Connect(b.ClientURL(), nats.MaxReconnects(0)); err == nil {
		nc.Close()
		t.Error("no credentials: connected")
	}
}

// The agent listener speaks TLS with the operator's certificate: a client
// that trusts the CA connects with a tls:// URL; one that does not, fails.
func TestAgentListenerTLS(t *testing.T) {
	dir := t.TempDir()
	caPEM, certFile, keyFile := writeTestCerts(t, dir)
	b, err := Start(context.Background(), Config{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Token: "fleet-token", TLSCert: certFile, TLSKey: keyFile, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	bootstrap(t, b) // the console's own in-process connection needs no TLS
	if !strings.HasPrefix(b.ClientURL(), "tls://") {
		t.Fatalf("client url %s", b.ClientURL())
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	nc := connect(t, b.ClientURL(), nats.Token("fleet-token"), nats.Secure(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	if state, err := nc.TLSConnectionState(); err != nil || !state.HandshakeComplete || len(state.PeerCertificates) == 0 || state.PeerCertificates[0].Subject.CommonName != "kanade-console" {
		t.Fatalf("tls state: %v %+v", err, state)
	}
	js, _ := jetstream.New(nc)
	if _, err := js.Publish(context.Background(), "results.req-tls", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	_, err = nats.Connect(b.ClientURL(), nats.Token("fleet-token"), nats.MaxReconnects(0))
	var unknown x509.UnknownAuthorityError
	if err == nil || !errors.As(err, &unknown) && !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a client without the CA: %v", err)
	}
}

// A listener other hosts can reach needs some credential.
func TestLANListenerNeedsCredentials(t *testing.T) {
	_, err := Start(context.Background(), Config{StoreDir: t.TempDir(), Listen: "0.0.0.0:0", Logger: quiet})
	if err == nil || !strings.Contains(err.Error(), "refusing to open the agent listener on 0.0.0.0 without credentials") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
	for _, tc := range []struct {
		host string
		cfg  Config
		ok   bool
	}{
		{"127.0.0.1", Config{}, true},
		{"localhost", Config{}, true},
		{"::1", Config{}, true},
		{"0.0.0.0", Config{}, false},
		{"", Config{}, false},
		{"192.168.1.10", Config{}, false},
		{"0.0.0.0", Config{Token: "t"}, true},
		{"0.0.0.0", Config{Agent: agentCred}, true},
		{"0.0.0.0", Config{Operator: operatorCred}, true},
	} {
		if err := checkListenExposure(tc.host, tc.cfg); (err == nil) != tc.ok {
			t.Errorf("%q %+v: %v", tc.host, tc.cfg, err)
		}
	}
}

// writeTestCerts makes a CA and a server certificate for 127.0.0.1 signed
// by it, and writes the server's cert and key as PEM files.
func writeTestCerts(t *testing.T, dir string) (caPEM []byte, certFile, keyFile string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kanade test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "kanade-console"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), certFile, keyFile
}
