package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/frontend"
)

// shutdownGrace bounds a graceful stop after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

func serve(args []string, stderr io.Writer) error {
	cfg, err := config.Parse("serve", args, nil, stderr)
	if err != nil {
		return err
	}
	log, closeLog, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	authCfg := auth.Config{Disable: cfg.AuthDisable, StaticToken: cfg.StaticToken, JWTSecret: cfg.JWTSecret}
	if err := auth.CheckExposure(cfg.Addr, authCfg); err != nil {
		return err
	}
	if err := cfg.CheckAgentListener(); err != nil {
		return err
	}
	verifier := auth.New(authCfg)
	console.Version = version
	httpTLS, err := loadHTTPTLS(cfg)
	if err != nil {
		return err
	}

	// Bind first: a busy port is the most common start failure and should
	// not leave a half-started console behind.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %v", cfg.Addr, unwrapNetErr(err))
	}

	c := console.New(cfg, log)
	if err := c.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           api.New(c, frontend.Dist(), log, api.Options{Auth: verifier}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http://"
	if httpTLS != nil {
		srv.TLSConfig = httpTLS
		ln = tls.NewListener(ln, httpTLS)
		scheme = "https://"
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("kanade console serving", "url", scheme+ln.Addr().String(), "nats", c.Broker().ClientURL(), "data", cfg.DataDir, "auth", verifier.Mode(), "version", version)

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "grace", shutdownGrace)
	case serveErr = <-served:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	stopErr := c.Stop(shutdownCtx)
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return stopErr
}

// loadHTTPTLS reads the HTTP listener's certificate and key (--tls-cert,
// --tls-key) so a bad pair fails at start with one line; nil without them.
func loadHTTPTLS(cfg config.Config) (*tls.Config, error) {
	if cfg.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert/--tls-key: %v", unwrapNetErr(err))
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

func newLogger(cfg config.Config, stderr io.Writer) (*slog.Logger, func(), error) {
	out := stderr
	closeFn := func() {}
	if cfg.LogPath != "" {
		f, err := os.OpenFile(cfg.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("log.path %s: %v", cfg.LogPath, unwrapNetErr(err))
		}
		out = io.MultiWriter(stderr, f)
		closeFn = func() { f.Close() }
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: cfg.LogLevel}))
	slog.SetDefault(log)
	return log, closeFn, nil
}

// unwrapNetErr drops the operation prefix Go puts on net and os errors, so
// the one-line message reads "address already in use" rather than repeating
// the address.
func unwrapNetErr(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
