package fleetsim

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultPrefix              = "SIM"
	DefaultAgentVersion        = "0.29.0"
	DefaultOSFamily            = "windows"
	DefaultHeartbeatInterval   = 30 * time.Second
	DefaultHeartbeatJitter     = 0.1
	DefaultAgentsPerConnection = 5000
	DefaultRunTimeMin          = 50 * time.Millisecond
	DefaultRunTimeMax          = 500 * time.Millisecond
	DefaultMaxInflight         = 1024
	DefaultStopTimeout         = 10 * time.Second
	DefaultTailBytes           = 64 << 10

	// dedupCapacity is the agent's FIFO request_id cache size (§2).
	dedupCapacity = 1024
	// maxLogLines caps a logs.fetch reply (a real agent is capped by its
	// log file; this keeps replies well under the NATS payload limit).
	maxLogLines = 5000
)

// Config describes the simulated fleet. The zero value of every field
// except Agents is usable; New fills in the defaults.
type Config struct {
	// Agents is the number of simulated PCs (required, ≥ 1).
	Agents int
	// Prefix builds the pc ids: Prefix-00001 … (at least five digits).
	Prefix string
	// AgentVersion goes into every heartbeat ("0.29.0").
	AgentVersion string
	// OSFamily goes into every heartbeat ("windows").
	OSFamily string

	// HeartbeatInterval is the period of heartbeat.<pc> (30 s).
	HeartbeatInterval time.Duration
	// HeartbeatJitter is the ± fraction of the interval each period is
	// randomised by: 0 means the default 0.1, a negative value none.
	HeartbeatJitter float64
	// StartSpread is the window the first heartbeats are spread over so a
	// big fleet does not start with one burst. 0 = 100 µs per online
	// agent, at most one interval.
	StartSpread time.Duration

	// Connections is the number of NATS connections the online agents
	// share (never one per agent). 0 = one per AgentsPerConnection, min 1.
	Connections int
	// AgentsPerConnection sizes the automatic Connections (5000).
	AgentsPerConnection int

	// FailureRate is the fraction (0..1) of ordinary scripts that exit
	// non-zero. Scripts written in the simulator's little language decide
	// their exit code themselves.
	FailureRate float64
	// RunTimeMin/RunTimeMax bound the uniformly random duration of an
	// ordinary script (50–500 ms), before TimeScale.
	RunTimeMin, RunTimeMax time.Duration
	// StdoutBytes pads the stdout of ordinary scripts by this many bytes.
	StdoutBytes int
	// OfflineFraction (0..1) of the agents never connect, heartbeat or
	// answer. Which ones is decided by Seed.
	OfflineFraction float64
	// PublishStartedEvents makes the agents behave as kanade v0.30+ ones
	// in what the console can see of it: they publish
	// events.started.<exec_id>.<pc_id> (with the run's result_id) before
	// running, answer job.tail.<pc_id> with the output so far, and flag
	// their deadline skips with ExecResult.skipped.
	PublishStartedEvents bool
	// TailBytes is the ring buffer of a run's output kept for
	// job.tail.<pc_id>, per stream (DefaultTailBytes); a longer output is
	// answered as its suffix with *_truncated set.
	TailBytes int
	// TimeScale multiplies all simulated script time: jitter, sleep, random
	// run times and timeout_secs (1.0; tests use e.g. 0.001). Heartbeats
	// are not scaled. 0 means 1.
	TimeScale float64
	// NoReplay skips the EXEC replay on connect (§3.3).
	NoReplay bool

	// Token is the NATS auth token (KANADE_NATS_TOKEN).
	Token string
	// NATSOptions are appended to the connection options of every
	// connection, e.g. nats.InProcessServer(srv) to talk to an embedded
	// server without a TCP listener.
	NATSOptions []nats.Option
	// MaxInflight bounds the unacknowledged result publishes per
	// connection (1024).
	MaxInflight int
	// StopTimeout bounds how long Stop waits for running scripts and
	// unacknowledged results (10 s).
	StopTimeout time.Duration

	// Seed makes every random choice reproducible.
	Seed int64
	// Logger receives warnings (disconnects, publish retries), used as given:
	// the caller sets its component attribute (fleetsim adding its own gave
	// the demo fleet's lines "component=demo-fleet component=fleetsim").
	// nil = slog.Default() with component=fleetsim.
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.Agents < 1 {
		return c, errors.New("fleetsim: Agents must be at least 1")
	}
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if !wire.ValidSubjectToken(c.Prefix + "-1") {
		return c, fmt.Errorf("fleetsim: prefix %q cannot be used in a NATS subject token", c.Prefix)
	}
	if c.AgentVersion == "" {
		c.AgentVersion = DefaultAgentVersion
	}
	if c.OSFamily == "" {
		c.OSFamily = DefaultOSFamily
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = DefaultHeartbeatInterval
	}
	if c.HeartbeatInterval < 0 {
		return c, errors.New("fleetsim: HeartbeatInterval must be positive")
	}
	switch {
	case c.HeartbeatJitter == 0:
		c.HeartbeatJitter = DefaultHeartbeatJitter
	case c.HeartbeatJitter < 0:
		c.HeartbeatJitter = 0
	case c.HeartbeatJitter >= 1 || math.IsNaN(c.HeartbeatJitter):
		return c, errors.New("fleetsim: HeartbeatJitter must be below 1")
	}
	if c.StartSpread < 0 {
		return c, errors.New("fleetsim: StartSpread must not be negative")
	}
	if c.Connections < 0 {
		return c, errors.New("fleetsim: Connections must not be negative")
	}
	if c.AgentsPerConnection <= 0 {
		c.AgentsPerConnection = DefaultAgentsPerConnection
	}
	if !(c.FailureRate >= 0 && c.FailureRate <= 1) {
		return c, errors.New("fleetsim: FailureRate must be between 0 and 1")
	}
	if !(c.OfflineFraction >= 0 && c.OfflineFraction <= 1) {
		return c, errors.New("fleetsim: OfflineFraction must be between 0 and 1")
	}
	if c.RunTimeMin == 0 && c.RunTimeMax == 0 {
		c.RunTimeMin, c.RunTimeMax = DefaultRunTimeMin, DefaultRunTimeMax
	}
	if c.RunTimeMax == 0 {
		c.RunTimeMax = c.RunTimeMin
	}
	if c.RunTimeMin < 0 || c.RunTimeMax < c.RunTimeMin {
		return c, errors.New("fleetsim: want 0 <= RunTimeMin <= RunTimeMax")
	}
	if c.StdoutBytes < 0 {
		return c, errors.New("fleetsim: StdoutBytes must not be negative")
	}
	if c.TimeScale == 0 {
		c.TimeScale = 1
	}
	if !(c.TimeScale > 0) || math.IsInf(c.TimeScale, 0) {
		return c, errors.New("fleetsim: TimeScale must be positive")
	}
	if c.MaxInflight <= 0 {
		c.MaxInflight = DefaultMaxInflight
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = DefaultStopTimeout
	}
	if c.TailBytes <= 0 {
		c.TailBytes = DefaultTailBytes
	}
	if c.Logger == nil {
		c.Logger = slog.Default().With("component", "fleetsim")
	}
	return c, nil
}

// scale applies TimeScale to a simulated duration.
func (c *Config) scale(d time.Duration) time.Duration {
	if c.TimeScale == 1 {
		return d
	}
	return time.Duration(float64(d) * c.TimeScale)
}
