package broker

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Credential is a user name and password of the embedded server.
type Credential struct {
	User     string
	Password string
}

func (c Credential) set() bool { return c.User != "" }

func (c Credential) matches(user, password string) bool {
	return c.set() &&
		subtle.ConstantTimeCompare([]byte(c.User), []byte(user)) == 1 &&
		subtle.ConstantTimeCompare([]byte(c.Password), []byte(password)) == 1
}

// AgentPermissions is what the agent credential may do: exactly what a
// kanade 0.29 agent does on NATS (protocol spec §2-§4) and nothing an
// operator does. It may not publish commands or kills, read results or
// heartbeats of other PCs, or change a stream, bucket or key.
func AgentPermissions() *server.Permissions {
	publish := []string{
		"results.>",   // JetStream publish of ExecResult (the PubAck comes to its inbox)
		"heartbeat.*", // core heartbeats
		"events.>",    // event stream (v0.30 agents)
		"inventory.>", // legacy inventory
		"$JS.API.INFO",
		// The EXEC replay consumer (§3.3) and its acks.
		"$JS.API.STREAM.INFO." + wire.StreamExec,
		"$JS.API.CONSUMER.CREATE." + wire.StreamExec, "$JS.API.CONSUMER.CREATE." + wire.StreamExec + ".>",
		"$JS.API.CONSUMER.DURABLE.CREATE." + wire.StreamExec + ".*",
		"$JS.API.CONSUMER.INFO." + wire.StreamExec + ".*",
		"$JS.API.CONSUMER.MSG.NEXT." + wire.StreamExec + ".*",
		"$JS.ACK." + wire.StreamExec + ".>",
		"$JS.FC.>", // flow control replies of ordered consumers (KV watches)
	}
	// Reads and watches of every kanade bucket and object store, by name:
	// NATS wildcards match whole tokens, and a "*" here would also open
	// RESULTS to direct reads.
	var streams []string
	for _, b := range Buckets {
		streams = append(streams, "KV_"+b.Name)
	}
	for _, o := range ObjectStores {
		streams = append(streams, "OBJ_"+o)
	}
	for _, s := range streams {
		publish = append(publish,
			"$JS.API.STREAM.INFO."+s,
			"$JS.API.DIRECT.GET."+s, "$JS.API.DIRECT.GET."+s+".>",
			"$JS.API.STREAM.MSG.GET."+s,
			"$JS.API.CONSUMER.CREATE."+s, "$JS.API.CONSUMER.CREATE."+s+".>",
			"$JS.API.CONSUMER.DELETE."+s+".*",
		)
	}
	return &server.Permissions{
		Publish: &server.SubjectPermission{Allow: publish},
		Subscribe: &server.SubjectPermission{Allow: []string{
			"commands.>",   // commands.all, commands.pc.{own}, commands.group.{g}
			"kill.>",       // kill.{exec_id} while it runs one (a simulated fleet takes kill.>)
			"logs.fetch.>", // logs.fetch.{own} responder (a simulated fleet answers for many PCs)
			"job.tail.>",   // job.tail.{own} responder of v0.30+ agents (the live output tail)
			"_INBOX.>",     // PubAcks, JetStream API replies, watch deliveries
		}},
		// The logs.fetch and job.tail replies go to the asker's inbox.
		Response: &server.ResponsePermission{MaxMsgs: 1},
	}
}

// roleAuth is the embedded server's authenticator. The 0.29 token keeps
// full rights (0.29 agents and the kanade CLI send only a token), the agent
// credential gets AgentPermissions, the operator credential and the
// console's own in-process connection full rights.
type roleAuth struct {
	token    string
	agent    Credential
	operator Credential
	internal Credential
	log      *slog.Logger
}

func newRoleAuth(cfg Config, log *slog.Logger) (*roleAuth, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return &roleAuth{
		token: cfg.Token, agent: cfg.Agent, operator: cfg.Operator,
		internal: Credential{User: "kanade-console-internal", Password: hex.EncodeToString(secret)},
		log:      log,
	}, nil
}

// Check implements server.Authentication.
func (a *roleAuth) Check(c server.ClientAuthentication) bool {
	o := c.GetOpts()
	switch {
	case o.Username != "" && a.internal.matches(o.Username, o.Password):
		c.RegisterUser(&server.User{Username: a.internal.User})
	case o.Username != "" && a.operator.matches(o.Username, o.Password):
		c.RegisterUser(&server.User{Username: a.operator.User})
	case o.Username != "" && a.agent.matches(o.Username, o.Password):
		c.RegisterUser(&server.User{Username: a.agent.User, Permissions: AgentPermissions()})
	case o.Username == "" && a.token != "" && subtle.ConstantTimeCompare([]byte(o.Token), []byte(a.token)) == 1:
		c.RegisterUser(&server.User{Username: "token"})
	default:
		a.log.Warn("NATS client refused: bad or missing credentials", "remote", remote(c), "user", o.Username)
		return false
	}
	return true
}

func remote(c server.ClientAuthentication) string {
	if addr := c.RemoteAddress(); addr != nil {
		return addr.String()
	}
	return ""
}

// checkListenExposure refuses a listener other hosts can reach when no
// credential at all is configured: anyone on the LAN could then publish
// commands to every PC.
func checkListenExposure(host string, cfg Config) error {
	if cfg.Token != "" || cfg.Agent.set() || cfg.Operator.set() || isLoopbackHost(host) {
		return nil
	}
	shown := host
	if shown == "" {
		shown = `""`
	}
	return fmt.Errorf("refusing to open the agent listener on %s without credentials: set KANADE_NATS_TOKEN or --nats-agent-user/--nats-agent-password, or bind --nats-listen to 127.0.0.1", shown)
}

func isLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// tlsURL is the client URL agents use when the listener speaks TLS.
func tlsURL(u string) string {
	if rest, ok := strings.CutPrefix(u, "nats://"); ok {
		return "tls://" + rest
	}
	return u
}
