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
	"path/filepath"
	"syscall"

	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/hostrun"
	"github.com/kanade-console/kanade-console/backend/service"
	"github.com/kanade-console/kanade-console/frontend"
)

// serve runs until SIGINT/SIGTERM, or, when the Windows Service Control
// Manager started the process (as KanadeBackend), until the SCM says stop:
// both cancel the same context and take the same drain path.
func serve(args []string, stderr io.Writer) error {
	if service.IsService() {
		return service.Run(func(ctx context.Context) error { return serveUntil(ctx, args, io.Discard, true) })
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveUntil(ctx, args, stderr, false)
}

// serveUntil serves until ctx ends. A service has no stderr, so without a
// [log] path it logs to <data>/logs/kanade-console.<date>.log.
func serveUntil(ctx context.Context, args []string, stderr io.Writer, asService bool) error {
	cfg, err := config.ParseHost("serve", args, config.SystemHost(), stderr)
	if err != nil {
		return err
	}
	if asService && cfg.LogPath == "" && cfg.LogKeepDays > 0 {
		cfg.LogPath = filepath.Join(cfg.DataDir, "logs", "kanade-console.log")
	}
	log, closeLog, err := hostrun.NewLogger(cfg, stderr)
	if err != nil {
		return err
	}
	defer closeLog()

	authCfg := auth.Config{Disable: cfg.AuthDisable, StaticToken: cfg.StaticToken, JWTSecret: cfg.JWTSecret}
	if err := auth.CheckExposure(cfg.Addr, authCfg); err != nil {
		return err
	}
	if err := cfg.CheckAgentListener(); err != nil {
		return err
	}
	verifier := auth.New(authCfg)
	httpTLS, err := hostrun.LoadHTTPTLS(cfg)
	if err != nil {
		return err
	}

	// Bind first: a busy port is the most common start failure and should
	// not leave a half-started console behind.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %v (stop the program using it, or pass another --addr)", cfg.Addr, hostrun.UnwrapNetErr(err))
	}

	c := console.New(cfg, log, console.Options{Version: version})
	if err := c.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	srv := api.New(c, frontend.Dist(), log, api.Options{Auth: verifier, BindAddr: cfg.Addr, AllowedHosts: cfg.AllowedHosts, ValidateResponses: os.Getenv("KANADE_OPENAPI_VALIDATE") == "1"}).
		HTTPServer(slog.NewLogLogger(log.Handler(), slog.LevelWarn))
	scheme := "http://"
	if httpTLS != nil {
		srv.TLSConfig = httpTLS
		ln = tls.NewListener(ln, httpTLS)
		scheme = "https://"
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logHostConfig(log, cfg)
	log.Info("kanade console serving", "url", scheme+ln.Addr().String(), "nats", c.Broker().ClientURL(), "data", cfg.DataDir, "auth", verifier.Mode(), "version", version)
	if info, err := c.ConnectInfo(ctx); err == nil {
		startBlock(stderr, scheme, ln.Addr(), verifier.Mode(), info, cfg.DemoAgents)
	}

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "grace", hostrun.ShutdownGrace)
	case serveErr = <-served:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), hostrun.ShutdownGrace)
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

// logHostConfig says where the settings came from, like 0.29's first log
// line, and where each secret was found (never its value).
func logHostConfig(log *slog.Logger, cfg config.Config) {
	log.Info("config", "file", cfg.ConfigPath, "from", cfg.ConfigFrom, "log_file", cfg.LogPath, "keep_days", cfg.LogKeepDays, "db", cfg.SQLitePath)
	for _, s := range cfg.SecretSources {
		source := s.Source
		if source == "" {
			source = "not set"
		}
		log.Info("secret", "name", s.Secret, "source", source)
	}
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
}
