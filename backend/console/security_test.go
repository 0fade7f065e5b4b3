package console

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

// A simulated fleet runs a job through the embedded server's listener
// with the agent credential, and another with only the 0.29 token; both
// fleets' results land in the console.
func TestFleetWithAgentCredentialAndWithToken(t *testing.T) {
	dir := t.TempDir()
	c := New(config.Config{
		DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "127.0.0.1:0",
		NATSToken: "fleet-token", NATSAgentUser: "agent", NATSAgentPassword: "agent-secret",
		NATSOperatorUser: "operator", NATSOperatorPassword: "operator-secret",
	}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(context.Background())
	if err := c.WaitReady(ctx); err != nil {
		t.Fatalf("not ready: %v", c.Readiness(ctx))
	}
	url := c.Broker().ClientURL()
	for name, opt := range map[string]nats.Option{
		"AGENTCRED": nats.UserInfo("agent", "agent-secret"),
		"TOKEN029":  nats.Token("fleet-token"),
	} {
		f, err := fleetsim.New(fleetsim.Config{Agents: 3, Prefix: name, RunTimeMin: time.Millisecond, RunTimeMax: 5 * time.Millisecond, NATSOptions: []nats.Option{opt}, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Start(ctx, url); err != nil {
			t.Fatalf("%s fleet: %v", name, err)
		}
		defer f.Stop()
	}
	putJob(t, c, manifestJSON)
	resp, err := c.Exec(ctx, "inventory-hw", plan(t, `{"target":{"all":true}}`), execution.Operator)
	if err != nil {
		t.Fatal(err)
	}
	testutil.WaitFor(t, 30*time.Second, testutil.Waiting("results of both fleets", func() error {
		var agentCred, token int
		r := c.Store().Reader()
		r.QueryRow("SELECT count(*) FROM execution_results WHERE exec_id = ? AND pc_id LIKE 'AGENTCRED%'", resp.ExecID).Scan(&agentCred)
		r.QueryRow("SELECT count(*) FROM execution_results WHERE exec_id = ? AND pc_id LIKE 'TOKEN029%'", resp.ExecID).Scan(&token)
		if agentCred != 3 || token != 3 {
			return fmt.Errorf("%d results from the agent-credential fleet, %d from the token fleet", agentCred, token)
		}
		return nil
	}))
}
