// Command cluster measures the console on a NATS JetStream cluster against
// the one-box default, in one run on one machine:
//
//   - the results projection rate of one console on its embedded server
//     (agents over TCP, R1), and of two consoles with --nats-replicas 3 on a
//     three-node cluster of real nats-servers on loopback: N results are
//     published as fast as the server acknowledges them, and the rate is N
//     over the time until every console's SQLite has all N rows;
//   - failover: while agents keep publishing, the node leading RESULTS is
//     stopped; reported are the time until a publish is acknowledged again
//     and until each console has projected a result published after the
//     stop.
//
// Run it with `make bench-cluster` (or go run ./backend/bench/cluster).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/bench/internal/benchutil"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/internal/natscluster"
	"github.com/kanade-console/kanade-console/backend/wire"
)

var quiet = slog.New(slog.DiscardHandler)

func main() {
	n := flag.Int("n", 100_000, "results published and projected in each rate measurement")
	flag.Parse()
	defer benchutil.Cleanup()
	benchutil.Header(os.Stdout, "cluster")

	dir, err := os.MkdirTemp("", "kanade-bench-cluster-")
	benchutil.Check(err)
	benchutil.AtExit(func() { os.RemoveAll(dir) })
	ctx := context.Background()

	// One console, embedded server, agents over TCP.
	single := startConsole(ctx, filepath.Join(dir, "single"), config.Config{NATSListen: "127.0.0.1:0"})
	singleRate := projectionRate(ctx, single.Broker().ClientURL(), *n, "single", single)
	single.Stop(ctx)
	fmt.Printf("%-58s %9.0f results/s\n", "1 console, embedded server (R1)", singleRate)

	// Three nodes, two consoles, R3.
	cl, err := natscluster.Start("kanade-bench", 3, filepath.Join(dir, "cluster"))
	benchutil.Check(err)
	benchutil.AtExit(cl.Shutdown)
	r3 := config.Config{NATSURL: cl.URLs(), NATSReplicas: 3, NATSReplicasExplicit: true}
	a := startConsole(ctx, filepath.Join(dir, "a"), r3)
	b := startConsole(ctx, filepath.Join(dir, "b"), r3)
	clusterRate := projectionRate(ctx, cl.URLs(), *n, "cluster", a, b)
	fmt.Printf("%-58s %9.0f results/s\n", "2 consoles, 3-node cluster (R3), each projects all", clusterRate)
	ratio := clusterRate / singleRate
	verdict := "met"
	if ratio < 0.5 {
		verdict = "SHORT"
	}
	fmt.Printf("%-58s %9.2f  (target >= 0.50: %s)\n\n", "cluster / single", ratio, verdict)

	failover(ctx, cl, a, b)
	a.Stop(ctx)
	b.Stop(ctx)
	fmt.Printf("\nload average at end: %s\n", benchutil.LoadAvg())
}

func startConsole(ctx context.Context, dir string, cfg config.Config) *console.Console {
	cfg.DataDir, cfg.SQLitePath = dir, filepath.Join(dir, "kanade.db")
	benchutil.Check(os.MkdirAll(dir, 0o750))
	c := console.New(cfg, quiet)
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	benchutil.Check(c.Start(startCtx))
	benchutil.AtExit(func() { c.Stop(context.Background()) })
	benchutil.Check(c.WaitReady(startCtx))
	return c
}

func connect(url string) (*nats.Conn, jetstream.JetStream) {
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	benchutil.Check(err)
	benchutil.AtExit(nc.Close)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	benchutil.Check(err)
	return nc, js
}

func result(pc string) []byte {
	execID, job, now := "bench-"+pc[:3], "inventory-hw", time.Now().UTC()
	b, err := wire.Marshal(wire.ExecResult{
		ResultID: uuid.NewString(), RequestID: uuid.NewString(), ExecID: &execID, PCID: pc,
		Stdout:    "Caption : Microsoft Windows 11 Pro\r\nVersion : 10.0.22631\r\n",
		StartedAt: now, FinishedAt: now.Add(1500 * time.Millisecond), ManifestID: &job,
	})
	benchutil.Check(err)
	return b
}

func rows(c *console.Console, like string) int {
	var n int
	c.Store().Reader().QueryRow("SELECT count(*) FROM execution_results WHERE pc_id LIKE ?", like).Scan(&n)
	return n
}

// projectionRate publishes n results (asynchronously, at the rate the
// server acknowledges) and returns n over the time from the first publish
// until every console has all n rows.
func projectionRate(ctx context.Context, url string, n int, prefix string, consoles ...*console.Console) float64 {
	_, js := connect(url)
	payloads := make([][]byte, n)
	for i := range payloads {
		payloads[i] = result(fmt.Sprintf("%s-%07d", prefix, i))
	}
	cpu, err := benchutil.StartCPU(os.Getpid())
	benchutil.Check(err)
	start := time.Now()
	var acked atomic.Int64 // unix nanos when the last publish was acknowledged
	go func() {
		for _, p := range payloads {
			for {
				_, err := js.PublishAsync("results.bench", p)
				if errors.Is(err, jetstream.ErrTooManyStalledMsgs) {
					continue // the server is behind: wait for acks, as an agent would
				}
				if err != nil {
					benchutil.Fatalf("publish: %v", err)
				}
				break
			}
		}
		select {
		case <-js.PublishAsyncComplete():
			acked.Store(time.Now().UnixNano())
		case <-time.After(5 * time.Minute):
			benchutil.Fatalf("publishes not acknowledged")
		}
	}()
	deadline := time.Now().Add(10 * time.Minute)
	for _, c := range consoles {
		for rows(c, prefix+"-%") < n {
			if time.Now().After(deadline) {
				benchutil.Fatalf("%s: projected %d of %d", prefix, rows(c, prefix+"-%"), n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	took := time.Since(start)
	used, err := cpu.Stop()
	benchutil.Check(err)
	if at := acked.Load(); at != 0 {
		fmt.Printf("  (%s: all %d publishes acknowledged after %.2f s, all projected after %.2f s)\n", prefix, n, time.Duration(at-start.UnixNano()).Seconds(), took.Seconds())
	}
	// Servers, consoles and publisher all run in this process: its CPU per
	// result depends far less on what else loads the machine than the rate.
	fmt.Printf("  (%s: %.1f CPU s in this process, %.0f µs per result)\n", prefix, used.CPUSeconds, 1e6*used.CPUSeconds/float64(n))
	return float64(n) / took.Seconds()
}

// failover keeps agents publishing (one result at a time, retried until
// acknowledged, as 0.29 agents do) while the RESULTS leader node stops.
func failover(ctx context.Context, cl *natscluster.Cluster, consoles ...*console.Console) {
	_, js := connect(cl.URLs())
	var after atomic.Bool
	var seq atomic.Int64
	var firstAckAfter atomic.Int64 // unix nanos
	var acked atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			prefix := "before"
			if after.Load() {
				prefix = "after"
			}
			data := result(fmt.Sprintf("%s-%07d", prefix, seq.Add(1)))
			for {
				pubCtx, cancel := context.WithTimeout(ctx, time.Second)
				_, err := js.Publish(pubCtx, "results.failover", data)
				cancel()
				if err == nil {
					acked.Add(1)
					break
				}
				select {
				case <-stop:
					return
				default:
				}
			}
			if prefix == "after" {
				firstAckAfter.CompareAndSwap(0, time.Now().UnixNano())
			}
			time.Sleep(2 * time.Millisecond) // ~ a few hundred agents reporting
		}
	}()
	waitFor(func() error {
		for _, c := range consoles {
			if rows(c, "before-%") < 200 {
				return errors.New("warming up")
			}
		}
		return nil
	})
	leader := cl.StreamLeader(wire.StreamResults)
	if leader < 0 {
		benchutil.Fatalf("no RESULTS leader")
	}
	// Results published once the node is down are "after-"; times count
	// from the start of the stop.
	stoppedAt := time.Now()
	cl.Stop(leader)
	stopTook := time.Since(stoppedAt)
	after.Store(true)
	resumed := make([]time.Duration, len(consoles))
	for i, c := range consoles {
		waitFor(func() error {
			if rows(c, "after-%") == 0 {
				return errors.New("nothing projected since the stop")
			}
			return nil
		})
		resumed[i] = time.Since(stoppedAt)
	}
	close(stop)
	<-done
	newLeader := cl.StreamLeader(wire.StreamResults)
	ack := time.Duration(firstAckAfter.Load() - stoppedAt.UnixNano())
	fmt.Printf("failover: stopped node %d (RESULTS leader; shutdown took %v), new leader node %d\n", leader+1, stopTook.Round(time.Millisecond), newLeader+1)
	fmt.Printf("%-58s %9.2f s\n", "  first publish acknowledged after the stop", ack.Seconds())
	for i, d := range resumed {
		fmt.Printf("%-58s %9.2f s\n", fmt.Sprintf("  console %c projects again after the stop", 'a'+i), d.Seconds())
	}
	for i, c := range consoles {
		waitFor(func() error {
			if got, want := rows(c, "before-%")+rows(c, "after-%"), int(acked.Load()); got < want {
				return fmt.Errorf("console %c has %d of %d acknowledged results", 'a'+i, got, want)
			}
			return nil
		})
	}
	fmt.Printf("%-58s %9d  (every one in both consoles' SQLite)\n", "  results acknowledged during the failover run", acked.Load())
}

func waitFor(cond func() error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			benchutil.Fatalf("%v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
