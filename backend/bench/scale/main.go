// Command scale measures the console under a simulated fleet.
//
// It builds the console, and for each fleet size (1k, 10k, 50k by default)
// starts it as a separate process on a fresh data dir, runs that many
// simulated kanade 0.29 agents (backend/fleetsim) in this process against the
// console's embedded NATS with 30 s heartbeats spread over the whole
// interval, and measures:
//
//   - console CPU over a steady window (utime+stime from /proc/<pid>/stat),
//     as % of one core and of the machine, and its RSS (VmRSS, VmHWM);
//   - heartbeat projection lag: probe heartbeats with a known `at` published
//     on heartbeat.<pc>, timed until GET /api/agents/<pc> shows that `at`;
//     plus the heartbeat projector's pending count from GET /api/status;
//   - a broadcast exec to all N agents (POST /api/exec/<job>, target all):
//     time from the last result the fleet got a PubAck for until the
//     execution counts N results, and from the exec request to that point.
//
// Run it with `make bench-scale` or `go run ./backend/bench/scale -agents 50000`.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/bench/internal/benchutil"
	"github.com/kanade-console/kanade-console/backend/fleetsim"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Targets from the scale issue.
const (
	targetRSSMB      = 300.0
	targetHBLag      = time.Second
	targetProjection = 10 * time.Second
	jobID            = "bench-broadcast"
)

type options struct {
	sizes       []int
	heartbeat   time.Duration
	window      time.Duration
	probes      int
	failure     float64
	execTimeout time.Duration
	bin         string
	keep        bool
}

// outcome is everything measured for one fleet size.
type outcome struct {
	n, conns        int
	ready           time.Duration
	onlineAfter     time.Duration
	steadyCPU       benchutil.CPU
	fleetCPU        benchutil.CPU
	steadyMem       benchutil.Mem
	hbRate          float64 // heartbeats projected per second in the window
	hbPendingMax    uint64
	hbPendingAvg    float64
	hbApplyMaxMs    float64
	probe           benchutil.Dist
	probeMissed     int
	probeExec       benchutil.Dist // heartbeat probes during the broadcast
	probeExecMissed int
	targetCount     int
	firstPub        time.Duration // exec request -> first result acked
	lastPub         time.Duration // exec request -> last result acked
	projected       time.Duration // exec request -> execution shows N results
	afterLastPub    time.Duration // last result acked -> execution shows N results
	execOK          bool
	execCounts      [2]int // success, failure (from GET /api/executions/<id>)
	detailLatency   time.Duration
	detailBytes     int
	execCPU         benchutil.CPU
	finalMem        benchutil.Mem
	execPeakRSS     uint64 // max VmRSS sampled during the broadcast
	doneRSS         uint64 // VmRSS when the execution counted N results
	stopTook        time.Duration
	statusErrs      int
}

func main() {
	var o options
	sizes := flag.String("agents", "1000,10000,50000", "comma-separated fleet sizes, run in turn")
	flag.DurationVar(&o.heartbeat, "heartbeat", 30*time.Second, "heartbeat interval of the simulated agents")
	flag.DurationVar(&o.window, "window", 30*time.Second, "steady window for CPU and pending-count sampling")
	flag.IntVar(&o.probes, "probes", 30, "probe heartbeats per fleet size")
	flag.Float64Var(&o.failure, "failure-rate", 0.05, "fraction of simulated runs that fail")
	flag.DurationVar(&o.execTimeout, "exec-timeout", 3*time.Minute, "give up on a broadcast after this long")
	flag.StringVar(&o.bin, "bin", "", "console binary to run (default: go build into a temp dir)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temp dir (data dirs and console logs)")
	env := flag.String("console-env", "", "comma-separated KEY=VALUE added to the console's environment (diagnostics, e.g. GODEBUG=gctrace=1 with -keep)")
	flag.Parse()
	if *env != "" {
		benchutil.ConsoleEnv = strings.Split(*env, ",")
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			benchutil.Fatalf("-agents: bad size %q", s)
		}
		o.sizes = append(o.sizes, n)
	}

	tmp, err := os.MkdirTemp("", "kanade-bench-scale-")
	check(err)
	if o.keep {
		fmt.Printf("temp dir kept: %s\n", tmp)
	} else {
		benchutil.AtExit(func() { os.RemoveAll(tmp) })
		defer benchutil.Cleanup()
	}
	benchutil.Header(os.Stdout, "scale")
	if o.bin == "" {
		o.bin = filepath.Join(tmp, "kanade-console")
		took, err := benchutil.Build(o.bin, nil)
		check(err)
		fmt.Printf("built %s in %.1fs\n", o.bin, took.Seconds())
	}
	fmt.Printf("fleet: heartbeat %s spread over the whole interval (±10%% jitter), failure rate %.0f%%, run time 50-500 ms; steady window %s; %d probes\n\n",
		o.heartbeat, o.failure*100, o.window, o.probes)

	var all []outcome
	for _, n := range o.sizes {
		res, err := runOne(o, tmp, n)
		if err != nil {
			benchutil.Fatalf("%d agents: %v", n, err)
		}
		all = append(all, res)
	}
	report(all)
}

func runOne(o options, tmp string, n int) (outcome, error) {
	res := outcome{n: n}
	ctx := context.Background()
	fmt.Printf("=== %d agents ===\n", n)
	data := filepath.Join(tmp, fmt.Sprintf("data-%d", n))
	con, err := benchutil.StartConsole(o.bin, data, tmp, "--log-level", "warn")
	if err != nil {
		return res, err
	}
	stopped := false
	defer func() {
		if !stopped {
			_, _ = con.Stop(15 * time.Second)
		}
	}()
	readyCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	res.ready, err = con.WaitReady(readyCtx, 5*time.Millisecond)
	cancel()
	if err != nil {
		return res, err
	}
	fmt.Printf("console pid %d ready in %s (http %s, nats %s)\n", con.PID, res.ready.Round(time.Millisecond), con.Addr, con.NATSURL)

	job := fmt.Sprintf(`{"id":%q,"version":"1.0.0","description":"scale benchmark broadcast","execute":{"shell":"powershell","script":"Get-Service Spooler | Select-Object Status","timeout":"5m","run_as":"system"},"require_approval":false,"inventory":null,"staleness":{"mode":"cached"}}`, jobID)
	if err := benchutil.PostJSON(ctx, con.URL("/api/jobs"), []byte(job), nil); err != nil {
		return res, err
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fleet, err := fleetsim.New(fleetsim.Config{
		Agents: n, Prefix: "BENCH", HeartbeatInterval: o.heartbeat, StartSpread: o.heartbeat,
		FailureRate: o.failure, Seed: 1, Logger: logger,
	})
	if err != nil {
		return res, err
	}
	res.conns = fleet.Connections()
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	fleetStart := time.Now()
	err = fleet.Start(startCtx, con.NATSURL)
	cancel()
	if err != nil {
		return res, err
	}
	defer fleet.Stop()

	// Warm-up: every agent has heartbeated once (one full interval, since the
	// first beats are spread over it) and the console counts it online.
	deadline := time.Now().Add(2*o.heartbeat + time.Minute)
	for {
		st, err := status(ctx, con)
		if err == nil && st.Agents.Active >= n {
			break
		}
		if time.Now().After(deadline) {
			return res, fmt.Errorf("only %d of %d agents online after %s (err %v)", st.Agents.Active, n, time.Since(fleetStart).Round(time.Second), err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	res.onlineAfter = time.Since(fleetStart)
	fmt.Printf("all %d agents online %s after the fleet started (%d connections)\n", n, res.onlineAfter.Round(100*time.Millisecond), res.conns)

	// Steady window: CPU of the console and of this process (the fleet),
	// and the heartbeat projector's pending count every 2 s.
	before, err := status(ctx, con)
	if err != nil {
		return res, err
	}
	hb0 := before.projector("heartbeats").Messages
	cpu, err := benchutil.StartCPU(con.PID)
	check(err)
	self, err := benchutil.StartCPU(os.Getpid())
	check(err)
	end := time.Now().Add(o.window)
	var samples int
	var pendingSum float64
	for time.Now().Before(end) {
		time.Sleep(min(2*time.Second, time.Until(end)))
		st, err := status(ctx, con)
		if err != nil {
			res.statusErrs++
			continue
		}
		p := st.projector("heartbeats")
		if p.Lag != nil {
			res.hbPendingMax = max(res.hbPendingMax, *p.Lag)
			pendingSum += float64(*p.Lag)
			samples++
		}
		res.hbApplyMaxMs = max(res.hbApplyMaxMs, p.LastApplyMs)
	}
	res.steadyCPU, err = cpu.Stop()
	check(err)
	res.fleetCPU, err = self.Stop()
	check(err)
	res.steadyMem, err = benchutil.MemOf(con.PID)
	check(err)
	after, err := status(ctx, con)
	if err != nil {
		return res, err
	}
	res.hbRate = float64(after.projector("heartbeats").Messages-hb0) / res.steadyCPU.WallSeconds
	if samples > 0 {
		res.hbPendingAvg = pendingSum / float64(samples)
	}
	fmt.Printf("steady %s: console CPU %.1f%% of a core (%.1f%% of the machine), RSS %.1f MB (peak %.1f MB); fleet process CPU %.1f%% of a core; heartbeats projected %.0f/s, pending max %d\n",
		o.window, res.steadyCPU.PctOfCore(), res.steadyCPU.PctOfMachine(), benchutil.MB(res.steadyMem.RSS), benchutil.MB(res.steadyMem.HWM),
		res.fleetCPU.PctOfCore(), res.hbRate, res.hbPendingMax)

	// Probe heartbeats.
	lags, missed, err := probeHeartbeats(ctx, con, "BENCHPROBE", o.probes, 2*time.Millisecond, 300*time.Millisecond, nil)
	if err != nil {
		return res, err
	}
	res.probe, res.probeMissed = benchutil.Summarise(lags), missed
	fmt.Printf("heartbeat lag over %d probes: p50 %s ms, p99 %s ms, max %s ms (%d not seen within 10 s)\n",
		res.probe.N, benchutil.Ms(res.probe.P50), benchutil.Ms(res.probe.P99), benchutil.Ms(res.probe.Max), missed)

	// Broadcast exec.
	if err := broadcast(ctx, con, fleet, n, o.execTimeout, &res); err != nil {
		return res, err
	}
	res.finalMem, err = benchutil.MemOf(con.PID)
	check(err)

	fleet.Stop()
	res.stopTook, err = con.Stop(15 * time.Second)
	stopped = true
	if err != nil {
		fmt.Printf("console stop: %v\n", err)
	}
	fmt.Println()
	return res, nil
}

// probeHeartbeats publishes heartbeats for probe PCs (prefix-1..3) with an
// `at` an hour in the past (so probes never count as alive exec targets),
// each `at` unique, and times until GET /api/agents/<pc> shows it. Probes
// are spaced by a random pause so they land at every phase of the
// projector's flush tick (up to maxPause). It stops after probes probes or when stop closes.
func probeHeartbeats(ctx context.Context, con *benchutil.Console, prefix string, probes int, poll, maxPause time.Duration, stop <-chan struct{}) ([]time.Duration, int, error) {
	nc, err := nats.Connect(con.NATSURL, nats.Name("kanade-bench-probe"))
	if err != nil {
		return nil, 0, err
	}
	defer nc.Close()
	rng := rand.New(rand.NewPCG(7, 7))
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	var lags []time.Duration
	missed := 0
	for i := 0; i < probes; i++ {
		select {
		case <-stop:
			return lags, missed, nil
		default:
		}
		pc := fmt.Sprintf("%s-%d", prefix, i%3+1)
		at := base.Add(time.Duration(i+1) * time.Millisecond)
		host := pc
		osf := "windows"
		data, err := wire.Marshal(wire.Heartbeat{PCID: pc, At: at, AgentVersion: "0.29.0", Hostname: &host, OSFamily: &osf})
		if err != nil {
			return nil, 0, err
		}
		start := time.Now()
		if err := nc.Publish(wire.SubjectHeartbeat(pc), data); err != nil {
			return nil, 0, err
		}
		if err := nc.Flush(); err != nil {
			return nil, 0, err
		}
		seen := false
		for time.Since(start) < 10*time.Second {
			var a struct {
				LastHeartbeat *time.Time `json:"last_heartbeat"`
			}
			if _, _, err := benchutil.GetJSON(ctx, con.URL("/api/agents/"+pc), &a); err == nil && a.LastHeartbeat != nil && a.LastHeartbeat.Equal(at) {
				lags = append(lags, time.Since(start))
				seen = true
				break
			}
			time.Sleep(poll)
		}
		if !seen {
			missed++
		}
		time.Sleep(time.Duration(rng.Int64N(int64(maxPause))))
	}
	return lags, missed, nil
}

func broadcast(ctx context.Context, con *benchutil.Console, fleet *fleetsim.Fleet, n int, timeout time.Duration, res *outcome) error {
	base := fleet.Stats().ResultsPublished
	cpu, err := benchutil.StartCPU(con.PID)
	check(err)

	// The fleet's PubAck counter, sampled every 2 ms.
	type pubTimes struct{ first, last time.Time }
	pubDone := make(chan pubTimes, 1)
	stopWatch := make(chan struct{})
	var t0 time.Time
	startWatch := make(chan struct{})
	go func() {
		<-startWatch
		var pt pubTimes
		for {
			got := fleet.Stats().ResultsPublished - base
			now := time.Now()
			if got > 0 && pt.first.IsZero() {
				pt.first = now
			}
			if got >= uint64(n) {
				pt.last = now
				pubDone <- pt
				return
			}
			select {
			case <-stopWatch:
				pubDone <- pt
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()

	// The console's RSS every 20 ms, to see when the peak happens.
	rssDone := make(chan struct{})
	rssOut := make(chan [2]uint64, 1) // max RSS, RSS when the counters reached N
	var rssAtDone atomic.Uint64
	go func() {
		var peak uint64
		for {
			if m, err := benchutil.MemOf(con.PID); err == nil {
				peak = max(peak, m.RSS)
			}
			select {
			case <-rssDone:
				rssOut <- [2]uint64{peak, rssAtDone.Load()}
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	// Heartbeat probes while the results are projected: the heartbeat
	// flushes share the one SQLite writer with the result batches.
	probeStop := make(chan struct{})
	type probeOut struct {
		lags   []time.Duration
		missed int
	}
	probeDone := make(chan probeOut, 1)
	go func() {
		lags, missed, _ := probeHeartbeats(ctx, con, "BENCHPROBE-X", 1<<30, 5*time.Millisecond, 100*time.Millisecond, probeStop)
		probeDone <- probeOut{lags, missed}
	}()

	t0 = time.Now()
	close(startWatch)
	var resp wire.ExecResponse
	if err := benchutil.PostJSON(ctx, con.URL("/api/exec/"+jobID), map[string]any{"target": map[string]any{"all": true}}, &resp); err != nil {
		close(stopWatch)
		return err
	}
	res.targetCount = resp.TargetCount
	fmt.Printf("exec %s: target_count %d (POST took %s ms)\n", resp.ExecID, resp.TargetCount, benchutil.Ms(time.Since(t0)))

	// The execution's counters, polled every 10 ms through the light list
	// endpoint (GET /api/executions/<id> carries up to 10,000 per-PC rows,
	// too heavy to poll; it is read once at the end).
	listURL := con.URL("/api/executions?job_id=" + url.QueryEscape(jobID) + "&limit=1")
	var done time.Time
	for time.Since(t0) < timeout {
		var rows []struct {
			ExecID       string `json:"exec_id"`
			SuccessCount int    `json:"success_count"`
			FailureCount int    `json:"failure_count"`
		}
		if _, _, err := benchutil.GetJSON(ctx, listURL, &rows); err == nil && len(rows) > 0 && rows[0].ExecID == resp.ExecID &&
			rows[0].SuccessCount+rows[0].FailureCount >= n {
			done = time.Now()
			if m, err := benchutil.MemOf(con.PID); err == nil {
				rssAtDone.Store(m.RSS)
			}
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var pt pubTimes
	if done.IsZero() {
		close(stopWatch)
		pt = <-pubDone
	} else {
		select {
		case pt = <-pubDone:
		case <-time.After(30 * time.Second):
			close(stopWatch)
			pt = <-pubDone
		}
	}
	res.execCPU, err = cpu.Stop()
	check(err)
	close(probeStop)
	po := <-probeDone
	res.probeExec, res.probeExecMissed = benchutil.Summarise(po.lags), po.missed
	close(rssDone)
	rss := <-rssOut
	res.execPeakRSS, res.doneRSS = rss[0], rss[1]

	start := time.Now()
	var detail struct {
		Execution struct {
			TargetCount  int    `json:"target_count"`
			SuccessCount int    `json:"success_count"`
			FailureCount int    `json:"failure_count"`
			Status       string `json:"status"`
		} `json:"execution"`
	}
	_, size, err := benchutil.GetJSON(ctx, con.URL("/api/executions/"+resp.ExecID), &detail)
	res.detailLatency, res.detailBytes = time.Since(start), size
	if err != nil {
		return err
	}
	res.execCounts = [2]int{detail.Execution.SuccessCount, detail.Execution.FailureCount}
	res.execOK = !done.IsZero() && detail.Execution.SuccessCount+detail.Execution.FailureCount == n
	st := fleet.Stats()
	if !pt.first.IsZero() {
		res.firstPub = pt.first.Sub(t0)
	}
	if !pt.last.IsZero() {
		res.lastPub = pt.last.Sub(t0)
	}
	if !done.IsZero() {
		res.projected = done.Sub(t0)
		if !pt.last.IsZero() {
			res.afterLastPub = done.Sub(pt.last)
		}
	}
	fmt.Printf("broadcast: runs %d, results acked %d (failures %d); first result acked +%s ms, last +%s ms; execution shows %d+%d=%d results +%s ms (%s ms after the last ack), status %s\n",
		st.Runs, st.ResultsPublished-base, st.Failures, benchutil.Ms(res.firstPub), benchutil.Ms(res.lastPub),
		res.execCounts[0], res.execCounts[1], res.execCounts[0]+res.execCounts[1], benchutil.Ms(res.projected), benchutil.Ms(res.afterLastPub), detail.Execution.Status)
	fmt.Printf("heartbeat lag during the broadcast over %d probes: p50 %s ms, p99 %s ms, max %s ms (%d not seen within 10 s)\n",
		res.probeExec.N, benchutil.Ms(res.probeExec.P50), benchutil.Ms(res.probeExec.P99), benchutil.Ms(res.probeExec.Max), res.probeExecMissed)
	after, _ := benchutil.MemOf(con.PID)
	fmt.Printf("GET /api/executions/<id> after completion: %s ms, %d bytes; console CPU during the broadcast %.1f%% of a core\n",
		benchutil.Ms(res.detailLatency), res.detailBytes, res.execCPU.PctOfCore())
	fmt.Printf("console RSS during the broadcast: max %.1f MB (sampled every 20 ms), %.1f MB when complete, %.1f MB after GET /api/executions/<id>; peak (VmHWM) %.1f MB\n",
		benchutil.MB(res.execPeakRSS), benchutil.MB(res.doneRSS), benchutil.MB(after.RSS), benchutil.MB(after.HWM))

	if !res.execOK {
		return fmt.Errorf("broadcast did not complete: %d+%d of %d results within %s", res.execCounts[0], res.execCounts[1], n, timeout)
	}
	return nil
}

type statusBody struct {
	Agents struct {
		Known  int `json:"known"`
		Active int `json:"active"`
	} `json:"agents"`
	Projectors []projectorStatus `json:"projectors"`
}

type projectorStatus struct {
	Name        string  `json:"name"`
	Messages    uint64  `json:"messages"`
	LastApplyMs float64 `json:"last_apply_ms"`
	Lag         *uint64 `json:"lag"`
}

func (s statusBody) projector(name string) projectorStatus {
	for _, p := range s.Projectors {
		if p.Name == name {
			return p
		}
	}
	return projectorStatus{}
}

func status(ctx context.Context, con *benchutil.Console) (statusBody, error) {
	var st statusBody
	_, _, err := benchutil.GetJSON(ctx, con.URL("/api/status"), &st)
	return st, err
}

func report(all []outcome) {
	fmt.Println("=== summary ===")
	fmt.Printf("%-7s %5s %9s %9s %9s %8s %8s %9s %8s %21s %9s %10s %10s %10s %21s\n",
		"agents", "conns", "cpu%core", "cpu%mach", "fleet%cpu", "RSS MB", "peak MB", "hb/s", "pend.max", "hb lag p50/p99/max ms",
		"exec cpu%", "last ack s", "proj. +s", "exec→N s", "hb lag max in exec ms")
	for _, r := range all {
		fmt.Printf("%-7d %5d %9.1f %9.1f %9.1f %8.1f %8.1f %9.0f %8d %21s %9.1f %10.2f %10.2f %10.2f %21s\n",
			r.n, r.conns, r.steadyCPU.PctOfCore(), r.steadyCPU.PctOfMachine(), r.fleetCPU.PctOfCore(),
			benchutil.MB(r.steadyMem.RSS), benchutil.MB(r.finalMem.HWM), r.hbRate, r.hbPendingMax,
			benchutil.Ms(r.probe.P50)+"/"+benchutil.Ms(r.probe.P99)+"/"+benchutil.Ms(r.probe.Max),
			r.execCPU.PctOfCore(), r.lastPub.Seconds(), r.afterLastPub.Seconds(), r.projected.Seconds(),
			fmt.Sprintf("%s (%d probes)", benchutil.Ms(r.probeExec.Max), r.probeExec.N))
	}
	fmt.Println("\ncolumns: console CPU over the steady window (% of one core, % of the machine); this process (the simulated fleet) CPU;")
	fmt.Println("VmRSS at the end of the steady window; VmHWM (peak RSS) after the broadcast; heartbeats projected per second;")
	fmt.Println("max heartbeat-projector pending PCs (/api/status); probe heartbeat publish -> visible in GET /api/agents/<pc>;")
	fmt.Println("console CPU during the broadcast; exec request -> last result acked; last ack -> execution shows N results; exec request -> N results;")
	fmt.Println("max probe heartbeat lag while the broadcast was projected.")

	fmt.Println("\ntargets (issue 8):")
	for _, r := range all {
		if r.n < 50_000 && len(all) > 1 {
			continue
		}
		peak := benchutil.MB(r.finalMem.HWM)
		fmt.Printf("  %d agents on %d cores, peak RSS %.1f MB <= %.0f MB: %s\n", r.n, runtime.NumCPU(), peak, targetRSSMB, benchutil.Verdict(peak, targetRSSMB, "MB"))
		fmt.Printf("  %d agents, console CPU %.1f%% of the machine (must stay below 100%% to keep up): %s\n", r.n, r.steadyCPU.PctOfMachine(), benchutil.Verdict(r.steadyCPU.PctOfMachine(), 100, "%"))
		fmt.Printf("  heartbeat lag max %s ms <= 1000 ms: %s\n", benchutil.Ms(r.probe.Max), benchutil.Verdict(float64(r.probe.Max)/1e6, float64(targetHBLag)/1e6, "ms"))
		fmt.Printf("  heartbeat lag max during the broadcast %s ms <= 1000 ms: %s\n", benchutil.Ms(r.probeExec.Max), benchutil.Verdict(float64(r.probeExec.Max)/1e6, float64(targetHBLag)/1e6, "ms"))
		fmt.Printf("  broadcast to %d fully projected %.2f s after the last result <= 10 s: %s\n", r.n, r.afterLastPub.Seconds(), benchutil.Verdict(r.afterLastPub.Seconds(), targetProjection.Seconds(), "s"))
	}
}

func check(err error) { benchutil.Check(err) }
