package console

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func TestNATSURLsForAListener(t *testing.T) {
	machine := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("192.168.1.20"), net.ParseIP("fe80::1"), net.ParseIP("2001:db8::7"), net.ParseIP("::1"), net.ParseIP("10.0.0.5")}
	tests := []struct {
		name     string
		addr     *net.TCPAddr
		want     []string
		loopback bool
	}{
		{"loopback v4", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 4222}, []string{"local nats://127.0.0.1:4222"}, true},
		{"loopback v6", &net.TCPAddr{IP: net.ParseIP("::1"), Port: 4222}, []string{"local nats://[::1]:4222"}, true},
		{"one address", &net.TCPAddr{IP: net.ParseIP("192.168.1.20"), Port: 4300}, []string{"network nats://192.168.1.20:4300"}, false},
		{"dual-stack wildcard", &net.TCPAddr{IP: net.IPv6unspecified, Port: 4222}, []string{
			"network nats://192.168.1.20:4222", "network nats://10.0.0.5:4222", "network nats://[2001:db8::7]:4222", "local nats://127.0.0.1:4222"}, false},
		{"v4 wildcard", &net.TCPAddr{IP: net.IPv4zero.To4(), Port: 4222}, []string{
			"network nats://192.168.1.20:4222", "network nats://10.0.0.5:4222", "local nats://127.0.0.1:4222"}, false},
		{"wildcard, no network", &net.TCPAddr{Port: 4222}, []string{"local nats://127.0.0.1:4222"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := machine
			if tt.name == "wildcard, no network" {
				m = machine[:1]
			}
			urls, loopback := natsURLs(tt.addr, m)
			var got []string
			for _, u := range urls {
				got = append(got, u.Scope+" "+u.URL)
			}
			if !reflect.DeepEqual(got, tt.want) || loopback != tt.loopback {
				t.Errorf("got %v loopbackOnly=%v, want %v %v", got, loopback, tt.want, tt.loopback)
			}
		})
	}
}

func TestSplitCredential(t *testing.T) {
	for _, tt := range []struct{ in, url, cred string }{
		{"nats://nats.example:4222", "nats://nats.example:4222", ""},
		{"nats://s3cret@nats.example:4222", "nats://nats.example:4222", "s3cret"},
		{"tls://u:p@h:4443", "tls://h:4443", "u:p"},
		{"::not a url", "::not a url", ""},
	} {
		u, c := splitCredential(tt.in)
		if u != tt.url || c != tt.cred {
			t.Errorf("splitCredential(%q) = %q, %q; want %q, %q", tt.in, u, c, tt.url, tt.cred)
		}
	}
}

func TestIsSimulated(t *testing.T) {
	for id, want := range map[string]bool{"DEMO-00001": true, "DEMO-123456": true, "DEMO-1": false, "demo-00001": false, "DEMO-0001x": false, "PC-DEMO-00001": false, "SIM-00001": false} {
		if got := IsSimulated(id); got != want {
			t.Errorf("IsSimulated(%q) = %v", id, got)
		}
	}
}

// The guide's facts on an embedded console with a token, and the demo
// fleet's whole life: start (with a first run), never counted as a real
// agent, a conflict on a second start, stop removes its agents.
func TestConnectInfoAndDemoFleet(t *testing.T) {
	dir := t.TempDir()
	c := New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "127.0.0.1:0", NATSToken: "tok-123"}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(context.Background())
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}

	info, err := c.ConnectInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	port := c.Broker().ListenAddr().(*net.TCPAddr).Port
	wantURL := fmt.Sprintf("nats://127.0.0.1:%d", port)
	if !info.Embedded || !info.LoopbackOnly || len(info.URLs) != 1 || info.URLs[0].URL != wantURL || info.OpenListen != fmt.Sprintf("0.0.0.0:%d", port) {
		t.Errorf("addresses: %+v", info)
	}
	if info.Token != "tok-123" || info.TokenFrom != "KANADE_NATS_TOKEN" || info.Agents.Known != 0 || info.Demo.Running || info.Demo.Prefix != DemoPrefix {
		t.Errorf("token/agents/demo: %+v", info)
	}

	if _, err := c.StartDemo(ctx, DemoStart{Agents: 0}); execution.KindOf(err) != execution.KindInvalid {
		t.Errorf("0 agents: %v", err)
	}
	st, err := c.StartDemo(ctx, DemoStart{Agents: 3, FirstRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running || st.Agents != 3 || st.FirstExecID == "" {
		t.Fatalf("demo status: %+v", st)
	}
	if _, err := c.StartDemo(ctx, DemoStart{Agents: 2}); execution.KindOf(err) != execution.KindConflict {
		t.Errorf("second start: %v", err)
	}
	// The first run completes on every demo agent.
	waitUntil(t, "the demo's first run", func() (bool, string) {
		d, err := c.GetExecution(ctx, st.FirstExecID, store.FullDetail)
		return err == nil && len(d.Results) == 3, fmt.Sprintf("%+v %v", d.Execution, err)
	})
	waitUntil(t, "3 demo agents", func() (bool, string) {
		rows, n, err := c.ListAgents(ctx, store.AgentQuery{Page: store.Page{Limit: 100}})
		return err == nil && n == 3 && IsSimulated(rows[0].PCID), fmt.Sprintf("%d %v", n, err)
	})

	// A real agent's heartbeat is what the guide waits for.
	hb := fmt.Sprintf(`{"pc_id":"WS-0042","at":%q,"agent_version":"0.29.0"}`, time.Now().UTC().Format(time.RFC3339Nano))
	if err := c.Broker().Conn().Publish(wire.SubjectHeartbeat("WS-0042"), []byte(hb)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the real agent in ConnectInfo", func() (bool, string) {
		info, err := c.ConnectInfo(ctx)
		return err == nil && info.Agents.Known == 1 && info.Agents.Active == 1 && info.Agents.LastPCID == "WS-0042" && info.Agents.LastHeartbeat != nil && info.Demo.Running,
			fmt.Sprintf("%+v %v", info.Agents, err)
	})

	st, err = c.StopDemo(ctx)
	if err != nil || st.Running {
		t.Fatalf("stop: %+v %v", st, err)
	}
	rows, n, err := c.ListAgents(ctx, store.AgentQuery{Page: store.Page{Limit: 100}})
	if err != nil || n != 1 || rows[0].PCID != "WS-0042" {
		t.Errorf("after stop the agents are %d %v %v", n, rows, err)
	}
	if res, total, err := c.ListResults(ctx, store.ResultQuery{Page: store.Page{Limit: 100}}); err != nil || total < 3 || !strings.HasPrefix(res[0].PCID, DemoPrefix+"-") {
		t.Errorf("the demo results stay: %d %v", total, err)
	}
	if st, err := c.StopDemo(ctx); err != nil || st.Running {
		t.Errorf("second stop: %+v %v", st, err)
	}
}

// waitUntil is testutil.WaitFor for conditions that say why they are not
// met yet.
func waitUntil(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	testutil.WaitFor(t, 30*time.Second, testutil.Waiting(what, func() error {
		if ok, why := cond(); !ok {
			return errors.New(why)
		}
		return nil
	}))
}
