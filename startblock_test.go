package main

import (
	"net"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/console"
)

// The start block of serve (and make run) names the UI, every agent URL,
// the way to open a loopback listener, the token's source (never the
// token) and how to get agents or a demo fleet.
func TestStartBlock(t *testing.T) {
	http := &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
	tests := []struct {
		name      string
		mode      string
		info      console.ConnectInfo
		demo      int
		want, not []string
	}{
		{"loopback with token", auth.ModeStatic, console.ConnectInfo{Embedded: true, LoopbackOnly: true, OpenListen: "0.0.0.0:4222",
			URLs: []console.AgentURL{{URL: "nats://127.0.0.1:4222", Scope: "local"}}, Token: "s3cret-token", TokenFrom: "KANADE_NATS_TOKEN"}, 0,
			[]string{"UI          http://127.0.0.1:8080  (sign in with the token in KANADE_AUTH_STATIC_TOKEN)", "agents      nats://127.0.0.1:4222  (this machine only)",
				"--nats-listen 0.0.0.0:4222 (make run NATS_LISTEN=0.0.0.0:4222)", "from KANADE_NATS_TOKEN", "http://127.0.0.1:8080/connect", "DEMO_AGENTS=20",
				"sim --nats-url nats://127.0.0.1:4222 --agents 100"},
			[]string{"s3cret-token"}},
		{"network, no token, demo", auth.ModeOpenLoopback, console.ConnectInfo{Embedded: true,
			URLs: []console.AgentURL{{URL: "nats://192.168.1.20:4222", Scope: "network"}, {URL: "nats://127.0.0.1:4222", Scope: "local"}}}, 20,
			[]string{"agents      nats://192.168.1.20:4222  (from other PCs)", "            nats://127.0.0.1:4222  (this machine only)",
				"NATS token  none", "20 simulated agents (DEMO-00001…)"},
			[]string{"open it to other PCs", "try it"}},
		{"no listener", auth.ModeDisabled, console.ConnectInfo{Embedded: true, URLs: []console.AgentURL{}, OpenListen: "0.0.0.0:4222"}, 0,
			[]string{"none can connect", "--nats-listen 0.0.0.0:4222", "KANADE_AUTH_DISABLE"}, []string{"sim --nats-url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			startBlock(&b, "http://", http, tt.mode, tt.info, tt.demo)
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("missing %q in\n%s", w, b.String())
				}
			}
			for _, n := range tt.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("should not contain %q:\n%s", n, b.String())
				}
			}
		})
	}
}
