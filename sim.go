package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// simStatsEvery is the period of the stats line of `kanade-console sim`.
const simStatsEvery = 10 * time.Second

// runSim is `kanade-console sim`: a simulated fleet of kanade 0.29 agents
// against a NATS URL, until SIGINT/SIGTERM.
func runSim(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		natsURL   = fs.String("nats-url", "", "NATS URL of the kanade broker (env KANADE_NATS_URL); token from KANADE_NATS_TOKEN")
		agents    = fs.Int("agents", 0, "number of simulated agents (required)")
		prefix    = fs.String("prefix", fleetsim.DefaultPrefix, "pc id prefix: PREFIX-00001, PREFIX-00002, ...")
		heartbeat = fs.String("heartbeat", "30s", "heartbeat interval (e.g. 30s, 1m, 1h 30m)")
		failure   = fs.Float64("failure-rate", 0.05, "fraction of ordinary scripts that exit non-zero (0..1)")
		offline   = fs.Float64("offline", 0, "fraction of agents that never connect (0..1)")
		conns     = fs.Int("connections", 0, "NATS connections shared by the agents (0 = one per 5000 agents)")
		started   = fs.Bool("started-events", false, "publish v0.30 events.started.<exec_id>.<pc_id> before each run")
		timeScale = fs.Float64("time-scale", 1, "factor for simulated script time (jitter, sleep, run time, timeout)")
		seed      = fs.Int64("seed", 1, "seed for reproducible randomness")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("sim: %s", firstLineOf(err.Error()))
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sim: unexpected argument %q", fs.Arg(0))
	}
	url := *natsURL
	if url == "" {
		url = os.Getenv("KANADE_NATS_URL")
	}
	if url == "" {
		return errors.New("sim: --nats-url is required (or set KANADE_NATS_URL)")
	}
	if *agents < 1 {
		return errors.New("sim: --agents must be at least 1")
	}
	interval, err := parseSimDuration(*heartbeat)
	if err != nil || interval <= 0 {
		return fmt.Errorf("sim: --heartbeat %q: want a positive duration such as 30s", *heartbeat)
	}
	if *failure < 0 || *failure > 1 {
		return fmt.Errorf("sim: --failure-rate %v: want 0..1", *failure)
	}
	if *offline < 0 || *offline > 1 {
		return fmt.Errorf("sim: --offline %v: want 0..1", *offline)
	}
	if *conns < 0 {
		return fmt.Errorf("sim: --connections %d: want 0 (auto) or more", *conns)
	}
	if !(*timeScale > 0) {
		return fmt.Errorf("sim: --time-scale %v: want a positive factor", *timeScale)
	}
	if !wire.ValidSubjectToken(*prefix) {
		return fmt.Errorf("sim: --prefix %q: must not contain '.', '*', '>' or spaces", *prefix)
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fleet, err := fleetsim.New(fleetsim.Config{
		Agents:               *agents,
		Prefix:               *prefix,
		HeartbeatInterval:    interval,
		Connections:          *conns,
		FailureRate:          *failure,
		OfflineFraction:      *offline,
		PublishStartedEvents: *started,
		TimeScale:            *timeScale,
		Token:                os.Getenv("KANADE_NATS_TOKEN"),
		Seed:                 *seed,
		Logger:               log,
	})
	if err != nil {
		return fmt.Errorf("sim: %v", strings.TrimPrefix(err.Error(), "fleetsim: "))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	err = fleet.Start(startCtx, url)
	cancel()
	if err != nil {
		return fmt.Errorf("sim: %v", strings.TrimPrefix(err.Error(), "fleetsim: "))
	}
	ids := fleet.PCIDs()
	st := fleet.Stats()
	fmt.Fprintf(stdout, "sim: %d agents %s..%s (%d online, %d offline) on %d connection(s), heartbeat %s, failure rate %g, time scale %g\n",
		st.Agents, ids[0], ids[len(ids)-1], st.Online, st.Agents-st.Online, st.Connections, wire.FormatDuration(interval), *failure, *timeScale)

	tick := time.NewTicker(simStatsEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			fmt.Fprintln(stdout, simStatsLine(fleet.Stats()))
		case <-ctx.Done():
			stop() // a second signal kills the process
			fleet.Stop()
			fmt.Fprintln(stdout, simStatsLine(fleet.Stats())+" (stopped)")
			return nil
		}
	}
}

func simStatsLine(s fleetsim.Stats) string {
	return fmt.Sprintf("sim: heartbeats=%d commands=%d dup=%d runs=%d running=%d failures=%d results=%d pending=%d retries=%d skipped(pin/revoked/deadline)=%d/%d/%d kills=%d timeouts=%d",
		s.HeartbeatsSent, s.CommandsReceived, s.Duplicates, s.Runs, s.Running, s.Failures, s.ResultsPublished,
		s.ResultsPending, s.PublishRetries, s.SkippedVersionPin, s.SkippedRevoked, s.SkippedDeadline, s.Kills, s.Timeouts)
}

// parseSimDuration accepts Go durations ("1m30s") and humantime ("1h 30m").
func parseSimDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	return wire.ParseDuration(s)
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
