// Package hostrun is what both hosts of the console core (the headless
// `serve` command and the desktop window's host) do the same way: the log,
// the HTTP listener's TLS pair, the shutdown grace and one-line errors.
package hostrun

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/logfile"
)

// ShutdownGrace bounds a graceful stop (SIGINT/SIGTERM, a desktop restart).
const ShutdownGrace = 10 * time.Second

// LoadHTTPTLS reads the HTTP listener's certificate and key (--tls-cert,
// --tls-key) so a bad pair fails at start with one line; nil without them.
func LoadHTTPTLS(cfg config.Config) (*tls.Config, error) {
	if cfg.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert/--tls-key: %v", UnwrapNetErr(err))
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// NewLogger logs to stderr and, with cfg.LogPath, to that file too (one
// file per day with LogKeepDays, as 0.29). It becomes slog's default.
func NewLogger(cfg config.Config, stderr io.Writer) (*slog.Logger, func(), error) {
	out := stderr
	closeFn := func() {}
	if cfg.LogPath != "" {
		var f io.WriteCloser
		var err error
		if cfg.LogKeepDays > 0 {
			f, err = logfile.Open(cfg.LogPath, cfg.LogKeepDays, nil) // one file per day, as 0.29
		} else {
			f, err = os.OpenFile(cfg.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("log.path %s: %v", cfg.LogPath, UnwrapNetErr(err))
		}
		out = io.MultiWriter(stderr, f)
		closeFn = func() { f.Close() }
	}
	log := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: cfg.LogLevel}))
	slog.SetDefault(log)
	return log, closeFn, nil
}

// UnwrapNetErr drops the operation prefix Go puts on net and os errors, so
// the one-line message reads "address already in use" rather than repeating
// the address.
func UnwrapNetErr(err error) error {
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
