// Package broker gives the console its NATS connection: either to an external
// NATS server (kanade's usual deployment) or to a nats-server embedded in this
// process, and bootstraps the JetStream resources kanade agents rely on.
package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ListenOff disables the embedded server's TCP listener: only this process
// talks to it.
const ListenOff = "off"

// Config chooses and tunes the connection.
type Config struct {
	// URL of an external NATS server; empty starts the embedded server.
	URL string
	// Token is the NATS auth token (KANADE_NATS_TOKEN). For the embedded
	// server it is also the token clients must present.
	Token string
	// StoreDir holds the embedded server's JetStream files.
	StoreDir string
	// Listen is the embedded server's client address (host:port, port 0 =
	// random) or ListenOff.
	Listen string
	// Replicas for streams and buckets this console creates (existing ones
	// keep theirs). 0 means 1.
	Replicas int
	Logger   *slog.Logger

	// TLSCert and TLSKey (PEM files) make the embedded server's listener
	// speak TLS; agents then use a tls:// URL.
	TLSCert string
	TLSKey  string
	// Agent and Operator are role credentials of the embedded server,
	// beside Token (see roleAuth).
	Agent    Credential
	Operator Credential
}

// Broker owns the connection and, in embedded mode, the server.
type Broker struct {
	cfg       Config
	log       *slog.Logger
	server    *server.Server
	auth      *roleAuth
	conn      *nats.Conn
	js        jetstream.JetStream
	connected atomic.Bool
}

// Start connects. For an external URL it never fails because the server is
// down: the connection keeps retrying in the background (logged), and callers
// learn about it from Connected and from failing requests.
func Start(ctx context.Context, cfg Config) (*Broker, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	b := &Broker{cfg: cfg, log: cfg.Logger.With("component", "broker")}
	var err error
	if cfg.URL == "" {
		err = b.startEmbedded()
	} else {
		err = b.connectExternal()
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	js, err := jetstream.New(b.conn)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("broker: jetstream: %w", err)
	}
	b.js = js
	return b, nil
}

func (b *Broker) startEmbedded() error {
	opts := &server.Options{
		ServerName: "kanade-console",
		JetStream:  true,
		StoreDir:   b.cfg.StoreDir,
		NoSigs:     true,
		// Results carry whole stdout/stderr; 8 MiB is the largest payload
		// nats-server allows without a warning.
		MaxPayload: 8 << 20,
	}
	if b.cfg.Token != "" || b.cfg.Agent.set() || b.cfg.Operator.set() {
		auth, err := newRoleAuth(b.cfg, b.log)
		if err != nil {
			return fmt.Errorf("broker: %w", err)
		}
		b.auth = auth
		opts.CustomClientAuthentication = auth
	}
	if b.cfg.TLSCert != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: b.cfg.TLSCert, KeyFile: b.cfg.TLSKey})
		if err != nil {
			return fmt.Errorf("broker: --nats-tls-cert/--nats-tls-key: %w", err)
		}
		opts.TLSConfig, opts.TLS, opts.TLSTimeout = tc, true, 5
	}
	if b.cfg.Listen == "" || b.cfg.Listen == ListenOff {
		opts.DontListen = true
	} else {
		host, portText, err := net.SplitHostPort(b.cfg.Listen)
		if err != nil {
			return fmt.Errorf("broker: --nats-listen %q: want host:port or %q", b.cfg.Listen, ListenOff)
		}
		port, err := strconv.Atoi(portText)
		if err != nil || port < 0 || port > 65535 {
			return fmt.Errorf("broker: --nats-listen %q: bad port", b.cfg.Listen)
		}
		if port == 0 {
			port = server.RANDOM_PORT
		} else if err := portFree(b.cfg.Listen); err != nil {
			// nats-server only logs a failed bind and then never becomes
			// ready; checking first turns a 30 s wait into one line.
			return err
		}
		if err := checkListenExposure(host, b.cfg); err != nil {
			return fmt.Errorf("broker: %w", err)
		}
		opts.Host, opts.Port = host, port
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("broker: embedded nats-server: %w", err)
	}
	nlog := &serverLog{log: b.log.With("nats", "embedded"), fatal: make(chan string, 1)}
	ns.SetLoggerV2(nlog, false, false, false)
	go ns.Start()
	// Wait in short steps so a fatal start error (a port taken between
	// the check above and the bind, an unusable store dir) ends the wait
	// at once with the server's own words.
	deadline := time.Now().Add(30 * time.Second)
	for !ns.ReadyForConnections(100 * time.Millisecond) {
		select {
		case why := <-nlog.fatal:
			ns.Shutdown()
			return fmt.Errorf("broker: embedded nats-server: %s", why)
		default:
		}
		if time.Now().After(deadline) {
			ns.Shutdown()
			return errors.New("broker: embedded nats-server did not become ready (is the --nats-listen port in use or the data dir unwritable?)")
		}
	}
	b.server = ns
	copts := append(b.connOptions(), b.ClientOptions()...)
	nc, err := nats.Connect("", copts...)
	if err != nil {
		return fmt.Errorf("broker: connect to embedded server: %w", err)
	}
	b.conn = nc
	b.connected.Store(true)
	if opts.DontListen {
		b.log.Info("embedded NATS started without a client listener", "store_dir", b.cfg.StoreDir)
	} else {
		b.log.Info("embedded NATS listening for agents", "url", b.ClientURL(), "store_dir", b.cfg.StoreDir,
			"tls", b.cfg.TLSCert != "", "token", b.cfg.Token != "", "agent_user", b.cfg.Agent.User, "operator_user", b.cfg.Operator.User)
	}
	return nil
}

// portFree binds addr for a moment to learn whether the embedded server can
// listen there.
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Err != nil {
			err = oe.Err
		}
		return fmt.Errorf("--nats-listen %s: %v (another NATS server or console uses it; stop it, or pass another --nats-listen, or --nats-url to use that server)", addr, err)
	}
	return ln.Close()
}

func (b *Broker) connectExternal() error {
	copts := append(b.connOptions(),
		nats.RetryOnFailedConnect(true),
		nats.ConnectHandler(func(*nats.Conn) {
			b.connected.Store(true)
			b.log.Info("connected to NATS", "url", b.cfg.URL)
		}),
	)
	nc, err := nats.Connect(b.cfg.URL, copts...)
	if err != nil {
		return fmt.Errorf("broker: connect %s: %w", b.cfg.URL, err)
	}
	b.conn = nc
	if nc.IsConnected() {
		b.connected.Store(true)
		b.log.Info("connected to NATS", "url", nc.ConnectedUrlRedacted())
	} else {
		b.log.Warn("NATS server not reachable yet; retrying in the background", "url", b.cfg.URL)
	}
	return nil
}

func (b *Broker) connOptions() []nats.Option {
	opts := []nats.Option{
		nats.Name("kanade-console"),
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(reconnectDelay),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			b.connected.Store(false)
			if err != nil { // nil means we closed or drained it ourselves
				b.log.Warn("disconnected from NATS", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			b.connected.Store(true)
			b.log.Info("reconnected to NATS", "url", nc.ConnectedUrlRedacted())
		}),
		nats.ReconnectErrHandler(func(_ *nats.Conn, err error) {
			b.log.Debug("NATS reconnect attempt failed", "err", err)
		}),
		nats.ClosedHandler(func(*nats.Conn) { b.connected.Store(false) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			b.log.Warn("NATS async error", "subject", subject, "err", err)
		}),
	}
	if b.server == nil {
		// An external server: the operator credential when one is given
		// (a cluster with role users), else the 0.29 token.
		if b.cfg.Operator.set() {
			opts = append(opts, nats.UserInfo(b.cfg.Operator.User, b.cfg.Operator.Password))
		} else if b.cfg.Token != "" {
			opts = append(opts, nats.Token(b.cfg.Token))
		}
	}
	return opts
}

// reconnectDelay backs off from 250 ms to 10 s so a long outage is not a
// busy loop, and a short blip reconnects fast.
func reconnectDelay(attempts int) time.Duration {
	d := 250 * time.Millisecond << min(attempts, 6)
	return min(d, 10*time.Second)
}

// Conn is the console's NATS connection.
func (b *Broker) Conn() *nats.Conn { return b.conn }

// JetStream is the JetStream API on Conn.
func (b *Broker) JetStream() jetstream.JetStream { return b.js }

// Embedded reports whether this process runs the NATS server.
func (b *Broker) Embedded() bool { return b.server != nil }

// Connected reports whether the connection is up right now.
func (b *Broker) Connected() bool { return b.conn != nil && b.conn.IsConnected() }

// ClientURL is where agents and the kanade CLI reach NATS: the embedded
// listener, or the configured external URL. Empty for an embedded server
// without a listener.
func (b *Broker) ClientURL() string {
	if b.server == nil {
		return b.cfg.URL
	}
	if b.server.Addr() == nil {
		return ""
	}
	if b.cfg.TLSCert != "" {
		return tlsURL(b.server.ClientURL())
	}
	return b.server.ClientURL()
}

// ListenAddr is the embedded server's client listener (nil for an external
// server or an embedded one without a listener).
func (b *Broker) ListenAddr() net.Addr {
	if b.server == nil {
		return nil
	}
	return b.server.Addr()
}

// ClientOptions are what another in-process client (the demo fleet) needs
// to reach the same server: the in-process transport for the embedded
// server, the token either way.
func (b *Broker) ClientOptions() []nats.Option {
	var opts []nats.Option
	if b.server != nil {
		opts = append(opts, nats.InProcessServer(b.server))
	}
	switch {
	case b.auth != nil:
		opts = append(opts, nats.UserInfo(b.auth.internal.User, b.auth.internal.Password))
	case b.cfg.Token != "":
		opts = append(opts, nats.Token(b.cfg.Token))
	}
	return opts
}

// Close drains the connection (pending publishes go out) and stops the
// embedded server.
func (b *Broker) Close() {
	if b.conn != nil {
		done := make(chan struct{})
		b.conn.SetClosedHandler(func(*nats.Conn) { close(done) })
		if err := b.conn.Drain(); err != nil {
			b.conn.Close()
		} else {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				b.conn.Close()
			}
		}
	}
	if b.server != nil {
		b.server.Shutdown()
		b.server.WaitForShutdown()
	}
}

// serverLog routes the embedded server's log lines into slog.
type serverLog struct {
	log   *slog.Logger
	fatal chan string // the first Fatalf, for startEmbedded's wait
}

func (l *serverLog) Noticef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *serverLog) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l *serverLog) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.log.Error(msg)
	select {
	case l.fatal <- msg:
	default:
	}
}
func (l *serverLog) Errorf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	if strings.Contains(msg, "Violation") {
		// A client (typically the agent credential) tried a subject it
		// may not use; the server refused it.
		l.log.Warn("NATS permission violation refused", "detail", msg)
		return
	}
	l.log.Error(msg)
}
func (l *serverLog) Debugf(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *serverLog) Tracef(format string, v ...any) {}
