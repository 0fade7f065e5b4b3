// Package natscluster forms a JetStream cluster of real nats-servers inside
// this process on loopback ports, for the cluster tests and the cluster
// benchmark.
package natscluster

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster is a running cluster; a stopped node stays in Nodes as nil.
type Cluster struct {
	Name  string
	Nodes []*server.Server
	urls  []string
}

// Start forms a cluster of n nodes, each with its JetStream store under
// dir/<node name>, and waits until JetStream has a meta leader that knows
// every peer.
func Start(name string, n int, dir string) (*Cluster, error) {
	routePorts, err := freePorts(n)
	if err != nil {
		return nil, err
	}
	var routes []*url.URL
	for _, p := range routePorts {
		routes = append(routes, &url.URL{Scheme: "nats-route", Host: fmt.Sprintf("127.0.0.1:%d", p)})
	}
	c := &Cluster{Name: name}
	for i := range n {
		node := fmt.Sprintf("%s-n%d", name, i+1)
		opts := &server.Options{
			ServerName: node,
			Host:       "127.0.0.1",
			Port:       server.RANDOM_PORT,
			JetStream:  true,
			StoreDir:   filepath.Join(dir, node),
			NoLog:      true,
			NoSigs:     true,
			MaxPayload: 8 << 20,
			Cluster:    server.ClusterOpts{Name: name, Host: "127.0.0.1", Port: routePorts[i]},
			Routes:     routes,
		}
		ns, err := server.NewServer(opts)
		if err != nil {
			c.Shutdown()
			return nil, fmt.Errorf("node %s: %w", node, err)
		}
		go ns.Start()
		c.Nodes = append(c.Nodes, ns)
	}
	for _, ns := range c.Nodes {
		if !ns.ReadyForConnections(20 * time.Second) {
			c.Shutdown()
			return nil, fmt.Errorf("node %s not ready", ns.Name())
		}
		c.urls = append(c.urls, ns.ClientURL())
	}
	if err := c.WaitFor(30*time.Second, func() error {
		for _, ns := range c.Nodes {
			if ns.JetStreamIsLeader() {
				if peers := len(ns.JetStreamClusterPeers()); peers < n {
					return fmt.Errorf("meta leader knows %d of %d peers", peers, n)
				}
				return nil
			}
		}
		return errors.New("no JetStream meta leader yet")
	}); err != nil {
		c.Shutdown()
		return nil, err
	}
	return c, nil
}

// freePorts finds n free loopback ports for the routes, which every node
// must know before it starts.
func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// URLs is the comma-separated client URL list of every node, as a console's
// --nats-url takes it.
func (c *Cluster) URLs() string { return strings.Join(c.urls, ",") }

// StreamLeader is the index of the running node that leads stream (in the
// global account), or -1.
func (c *Cluster) StreamLeader(stream string) int {
	for i, ns := range c.Nodes {
		if ns != nil && ns.JetStreamIsStreamLeader(server.DEFAULT_GLOBAL_ACCOUNT, stream) {
			return i
		}
	}
	return -1
}

// Stop shuts node i down (its store stays on disk).
func (c *Cluster) Stop(i int) {
	if ns := c.Nodes[i]; ns != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
		c.Nodes[i] = nil
	}
}

// Shutdown stops every node still running.
func (c *Cluster) Shutdown() {
	for i := range c.Nodes {
		c.Stop(i)
	}
}

// WaitFor polls cond every 20 ms until it returns nil or timeout passes,
// and then returns its last error.
func (c *Cluster) WaitFor(timeout time.Duration, cond func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %v: %w", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
