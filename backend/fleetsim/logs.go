package fleetsim

import (
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// logTail renders the last n lines of a plausible kanade-agent log (tracing
// format, oldest first): start-up, heartbeats, config checks and the
// agent's most recent commands.
func (f *Fleet) logTail(a *agent, n int, recent []string, now time.Time) string {
	if n <= 0 {
		return ""
	}
	cfg := &f.cfg
	step := max(cfg.HeartbeatInterval/2, time.Second)
	lines := make([]string, n)
	for i := range lines {
		age := time.Duration(n-1-i) * step
		ts := now.Add(-age).UTC().Format("2006-01-02T15:04:05.000000Z")
		var msg string
		switch {
		case i == 0 && n >= 3:
			msg = " INFO kanade_agent: kanade-agent " + cfg.AgentVersion + " starting pc_id=" + a.id + " os_family=" + cfg.OSFamily
		case i == 1 && n >= 3:
			msg = " INFO kanade_agent: connected to NATS; replay consumer " + wire.ReplayConsumerName(a.id) + " ready"
		case i%10 == 5:
			msg = "DEBUG kanade_agent::config: effective config unchanged heartbeat_interval=" + wire.FormatDuration(cfg.HeartbeatInterval)
		default:
			msg = " INFO kanade_agent::heartbeat: heartbeat published pc_id=" + a.id
		}
		lines[i] = ts + " " + msg
	}
	// The newest lines mention the agent's recent commands.
	for j, req := range recent {
		i := n - len(recent) + j
		if i < 0 {
			continue
		}
		ts := now.Add(-time.Duration(len(recent)-j) * time.Second).UTC().Format("2006-01-02T15:04:05.000000Z")
		lines[i] = ts + "  INFO kanade_agent::commands: command received request_id=" + req
	}
	return strings.Join(lines, "\n") + "\n"
}
