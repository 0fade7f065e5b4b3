package console

import (
	"context"
	"net"
	"net/url"
	"strconv"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/store"
)

// ConnectInfo is GET /api/connect: what a kanade 0.29 agent needs to report
// to this console, and whether one has. It carries the NATS token, so it is
// only served behind the API's auth.
type ConnectInfo struct {
	// Embedded: agents connect to this process's NATS server; otherwise to
	// the external server the console uses.
	Embedded bool `json:"embedded"`
	// Listen is the embedded server's configured client address
	// (host:port or "off"); empty for an external server.
	Listen string `json:"listen"`
	// URLs are the NATS URLs agents can use, network ones first.
	URLs []AgentURL `json:"urls"`
	// LoopbackOnly: the embedded listener accepts connections from this
	// machine only; OpenListen is the listen address that opens it to the
	// network (--nats-listen, [nats] listen, or the desktop setting).
	LoopbackOnly bool   `json:"loopback_only"`
	OpenListen   string `json:"open_listen,omitempty"`
	// Token is the NATS token agents present ("" = none), TokenFrom where
	// the console took it (KANADE_NATS_TOKEN or the NATS URL).
	Token     string `json:"token"`
	TokenFrom string `json:"token_from,omitempty"`
	// Agents counts the real agents: every agent but the demo fleet's.
	Agents store.AgentsBeyond `json:"agents"`
	Demo   DemoStatus         `json:"demo"`
}

// AgentURL is one NATS URL and who can reach it.
type AgentURL struct {
	URL string `json:"url"`
	// Scope is "network" (other PCs) or "local" (this machine only).
	Scope string `json:"scope"`
}

// ConnectInfo reports where agents connect and whether a real one has.
func (c *Console) ConnectInfo(ctx context.Context) (ConnectInfo, error) {
	info := ConnectInfo{Embedded: c.broker.Embedded(), Demo: c.DemoStatus(), URLs: []AgentURL{}}
	if info.Embedded {
		info.Listen = c.cfg.NATSListen
		if info.Listen == "" {
			info.Listen = broker.ListenOff
		}
		if addr, ok := c.broker.ListenAddr().(*net.TCPAddr); ok {
			info.URLs, info.LoopbackOnly = natsURLs(addr, machineIPs())
			if info.LoopbackOnly {
				info.OpenListen = net.JoinHostPort("0.0.0.0", strconv.Itoa(addr.Port))
			}
		} else {
			info.OpenListen = "0.0.0.0:4222"
		}
	} else {
		u, token := splitCredential(c.cfg.NATSURL)
		info.URLs = append(info.URLs, AgentURL{URL: u, Scope: "network"})
		if token != "" {
			info.Token, info.TokenFrom = token, "nats-url"
		}
	}
	if c.cfg.NATSToken != "" {
		info.Token, info.TokenFrom = c.cfg.NATSToken, "KANADE_NATS_TOKEN"
	}
	var err error
	info.Agents, err = c.store.CountAgentsNotMatching(ctx, demoGlob, c.aliveSince())
	return info, err
}

// natsURLs lists the URLs of a listener bound to addr on a machine with the
// given addresses: each non-loopback address for a wildcard bind, the bound
// address otherwise, and a loopback URL for this machine. loopbackOnly
// reports a listener other PCs cannot reach.
func natsURLs(addr *net.TCPAddr, machine []net.IP) (urls []AgentURL, loopbackOnly bool) {
	port := strconv.Itoa(addr.Port)
	mk := func(ip net.IP, scope string) AgentURL {
		return AgentURL{URL: "nats://" + net.JoinHostPort(ip.String(), port), Scope: scope}
	}
	switch {
	case addr.IP == nil || addr.IP.IsUnspecified():
		// Go listens dual-stack on a wildcard unless it was bound as IPv4.
		v4only := addr.IP != nil && addr.IP.To4() != nil
		var v4, v6 []AgentURL
		for _, ip := range machine {
			switch {
			case ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified():
			case ip.To4() != nil:
				v4 = append(v4, mk(ip, "network"))
			case !v4only:
				v6 = append(v6, mk(ip, "network"))
			}
		}
		urls = append(append(v4, v6...), mk(net.IPv4(127, 0, 0, 1), "local"))
		return urls, len(urls) == 1
	case addr.IP.IsLoopback():
		return []AgentURL{mk(addr.IP, "local")}, true
	default:
		return []AgentURL{mk(addr.IP, "network")}, false
	}
}

// machineIPs are this machine's interface addresses (none on error).
func machineIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			ips = append(ips, n.IP)
		}
	}
	return ips
}

// splitCredential takes a token (nats://TOKEN@host:4222) out of an
// external NATS URL, so the URL can be shown and the token masked.
func splitCredential(raw string) (string, string) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw, ""
	}
	cred := u.User.String()
	u.User = nil
	return u.String(), cred
}
