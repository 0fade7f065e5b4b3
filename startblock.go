package main

import (
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/console"
)

// startBlock is what `serve` (and so `make run`) prints once it serves: the
// UI, where agents connect and how to get agents or a demo fleet. The same
// facts as the UI's Connect agents page (console.ConnectInfo), minus the
// token itself.
func startBlock(w io.Writer, scheme string, httpAddr net.Addr, authMode string, info console.ConnectInfo, demoAgents int) {
	ui := uiURL(scheme, httpAddr)
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("")
	line("  kanade console is ready")
	line("    UI          %s  (%s)", ui, authHint(authMode))
	switch {
	case len(info.URLs) == 0:
		line("    agents      none can connect: the embedded NATS has no listener (--nats-listen %s gives it one)", info.OpenListen)
	default:
		for i, u := range info.URLs {
			label := "agents"
			if i > 0 {
				label = ""
			}
			where := "from other PCs"
			if u.Scope == "local" {
				where = "this machine only"
			}
			line("    %-10s  %s  (%s)", label, u.URL, where)
		}
		if info.Embedded && info.LoopbackOnly {
			line("                open it to other PCs: --nats-listen %s (make run NATS_LISTEN=%s)", info.OpenListen, info.OpenListen)
		}
	}
	switch {
	case info.Token == "":
		line("    NATS token  none: anyone who reaches the address can act as an agent (set KANADE_NATS_TOKEN)")
	default:
		line("    NATS token  from %s; agents need it in HKLM\\SOFTWARE\\kanade\\agent\\NatsToken", info.TokenFrom)
	}
	line("    add agents  %s/connect shows the agent.toml and Windows settings", ui)
	if demoAgents > 0 {
		line("    demo        %d simulated agents (%s-00001…) run in this process, marked simulated in the UI", demoAgents, console.DemoPrefix)
	} else {
		line("    try it      \"Try it with simulated agents\" on %s/connect, serve --demo-agents 20 (make run DEMO_AGENTS=20),", ui)
		if len(info.URLs) > 0 {
			line("                or %s sim --nats-url %s --agents 100", binaryName, info.URLs[len(info.URLs)-1].URL)
		}
	}
	line("")
	io.WriteString(w, b.String())
}

// binaryName is how the start block names this program.
const binaryName = "kanade-console"

// uiURL is the browser address of the HTTP listener: loopback for a
// wildcard bind (which also serves other PCs); scheme is "http://" or
// "https://" (with --tls-cert).
func uiURL(scheme string, addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return scheme + addr.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return fmt.Sprintf("%s127.0.0.1:%d", scheme, tcp.Port)
	}
	return scheme + tcp.String()
}

func authHint(mode string) string {
	switch mode {
	case auth.ModeStatic:
		return "sign in with the token in KANADE_AUTH_STATIC_TOKEN"
	case auth.ModeJWT:
		return "sign in with a JWT signed by KANADE_JWT_SECRET"
	case auth.ModeDisabled:
		return "no sign-in: KANADE_AUTH_DISABLE is set"
	default:
		return "no sign-in on loopback"
	}
}
