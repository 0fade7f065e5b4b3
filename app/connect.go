package app

import (
	"context"

	"github.com/kanade-console/kanade-console/backend/console"
)

// The "Connect agents" guide's ops, in the style of ops.go: each mirrors
// the HTTP handler of the same route in backend/api/connect.go.

// AgentURL is one NATS URL agents can use; scope "network" or "local".
type AgentURL struct {
	URL   string `json:"url"`
	Scope string `json:"scope"`
}

// RealAgents counts the agents that are not the demo fleet's.
type RealAgents struct {
	Known         int     `json:"known"`
	Active        int     `json:"active"`
	LastPCID      string  `json:"last_pc_id,omitempty"`
	LastHeartbeat *string `json:"last_heartbeat,omitempty"`
}

// DemoStatus is GET /api/demo.
type DemoStatus struct {
	Running     bool    `json:"running"`
	Agents      int     `json:"agents"`
	Prefix      string  `json:"prefix"`
	StartedAt   *string `json:"started_at"`
	FirstExecID string  `json:"first_exec_id,omitempty"`
}

// ConnectInfo is GET /api/connect.
type ConnectInfo struct {
	Embedded     bool       `json:"embedded"`
	Listen       string     `json:"listen"`
	URLs         []AgentURL `json:"urls"`
	LoopbackOnly bool       `json:"loopback_only"`
	OpenListen   string     `json:"open_listen,omitempty"`
	Token        string     `json:"token"`
	TokenFrom    string     `json:"token_from,omitempty"`
	Agents       RealAgents `json:"agents"`
	Demo         DemoStatus `json:"demo"`
}

// StartDemoRequest is the body of POST /api/demo.
type StartDemoRequest struct {
	Agents   int  `json:"agents"`
	FirstRun bool `json:"first_run,omitempty"`
}

// GetConnectInfo is GET /api/connect.
func (a *App) GetConnectInfo(_ Empty) (ConnectInfo, error) {
	return do(a, "GetConnectInfo", func(ctx context.Context, c *console.Console) (ConnectInfo, error) {
		info, err := c.ConnectInfo(ctx)
		if err != nil {
			return ConnectInfo{}, err
		}
		return recode[ConnectInfo](info)
	})
}

// GetDemo is GET /api/demo.
func (a *App) GetDemo(_ Empty) (DemoStatus, error) {
	return do(a, "GetDemo", func(_ context.Context, c *console.Console) (DemoStatus, error) {
		return recode[DemoStatus](c.DemoStatus())
	})
}

// StartDemo is POST /api/demo.
func (a *App) StartDemo(req StartDemoRequest) (DemoStatus, error) {
	return do(a, "StartDemo", func(ctx context.Context, c *console.Console) (DemoStatus, error) {
		st, err := c.StartDemo(ctx, console.DemoStart{Agents: req.Agents, FirstRun: req.FirstRun})
		if err != nil {
			return DemoStatus{}, err
		}
		return recode[DemoStatus](st)
	})
}

// StopDemo is DELETE /api/demo.
func (a *App) StopDemo(_ Empty) (DemoStatus, error) {
	return do(a, "StopDemo", func(ctx context.Context, c *console.Console) (DemoStatus, error) {
		st, err := c.StopDemo(ctx)
		if err != nil {
			return DemoStatus{}, err
		}
		return recode[DemoStatus](st)
	})
}
