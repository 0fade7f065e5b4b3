// Command projection measures the results projector against its raw parts,
// side by side in one run on one machine:
//
//   - raw JetStream pull + ack, no database;
//   - raw SQLite batched inserts of result rows, no NATS;
//   - the projector end to end (JetStream -> batched SQLite -> ack);
//   - kanade 0.29's design: one autocommit INSERT and one ack per message;
//   - the projector at several batch sizes, drawn as an SVG chart;
//   - the cost of durability: the projector before projection positions
//     (synchronous=NORMAL, nothing else), with positions (what the console
//     runs), and with synchronous=FULL instead.
//
// Run it with `make bench-projection` (or go run ./backend/bench/projection).
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/broker"
	"github.com/kanade-console/kanade-console/backend/projector"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

var quiet = slog.New(slog.DiscardHandler)

func main() {
	n := flag.Int("n", 200_000, "results to project in each measurement")
	sweepN := flag.Int("sweep-n", 50_000, "results per point of the batch-size sweep")
	svgPath := flag.String("svg", "docs/bench/projection-batch-size.svg", "where to write the chart")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the end-to-end projector run")
	only := flag.Bool("e2e-only", false, "measure only the end-to-end projector")
	durabilityOnly := flag.Bool("durability-only", false, "measure only the durability modes")
	durabilityN := flag.Int("durability-n", 50_000, "results per durability measurement (batch 1000; batch 10 uses at most 20,000)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "kanade-bench-")
	check(err)
	defer os.RemoveAll(dir)
	ctx := context.Background()

	ns, err := server.NewServer(&server.Options{JetStream: true, StoreDir: filepath.Join(dir, "nats"), DontListen: true, NoLog: true, NoSigs: true})
	check(err)
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		log.Fatal("nats-server not ready")
	}
	defer ns.Shutdown()
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	check(err)
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(8192))
	check(err)
	check(broker.Bootstrap(ctx, js, 1))

	fmt.Printf("kanade console projection benchmark — %s, %d CPUs, %s\n", runtime.Version(), runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))
	payloads := makeResults(*n)
	fmt.Printf("publishing %d results (%d bytes each on average) ... ", *n, avgLen(payloads))
	start := time.Now()
	for _, p := range payloads {
		_, err := js.PublishAsync("results.bench", p, jetstream.WithStallWait(time.Minute))
		check(err)
	}
	<-js.PublishAsyncComplete()
	fmt.Printf("%.0f msg/s\n\n", rate(*n, time.Since(start)))

	if *only {
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			check(err)
			check(pprof.StartCPUProfile(f))
			defer pprof.StopCPUProfile()
		}
		fmt.Printf("%-46s %10.0f msg/s\n", "projector end to end (batch 1000)", projectorRate(ctx, dir, js, *n, 1000, "e2e"))
		return
	}
	if *durabilityOnly {
		durability(ctx, dir, js, min(*n, *durabilityN))
		return
	}
	raw := pullAck(ctx, js, *n)
	fmt.Printf("%-46s %10.0f msg/s\n", "raw JetStream pull+ack (no database)", raw)
	sqlRate := sqliteBatched(ctx, dir, payloads)
	fmt.Printf("%-46s %10.0f rows/s\n", "raw SQLite batched insert (no NATS, 1000/tx)", sqlRate)
	proj := projectorRate(ctx, dir, js, *n, 1000, "e2e")
	fmt.Printf("%-46s %10.0f msg/s\n", "projector end to end (batch 1000)", proj)
	baseN := min(*n, 20_000)
	base := perMessageBaseline(ctx, dir, js, baseN)
	fmt.Printf("%-46s %10.0f msg/s  (first %d messages)\n", "0.29 design: 1 INSERT + 1 ack per message", base, baseN)

	floor := min(raw, sqlRate)
	fmt.Printf("\nprojector / min(raw rates)   = %.2f  (target >= 0.70)\n", proj/floor)
	fmt.Printf("projector / per-message      = %.1fx (target >= 5x)\n\n", proj/base)

	durability(ctx, dir, js, min(*n, *durabilityN))

	sizes := []int{1, 10, 50, 100, 250, 500, 1000, 2000, 5000}
	var points [][2]float64
	fmt.Printf("batch-size sweep (%d results per point):\n", *sweepN)
	for _, size := range sizes {
		r := projectorRate(ctx, dir, js, *sweepN, size, fmt.Sprintf("sweep%d", size))
		fmt.Printf("  batch %5d  %10.0f msg/s\n", size, r)
		points = append(points, [2]float64{float64(size), r})
	}
	if *svgPath != "" {
		check(os.MkdirAll(filepath.Dir(*svgPath), 0o755))
		check(os.WriteFile(*svgPath, []byte(chart(points, raw, sqlRate)), 0o644))
		fmt.Printf("\nchart written to %s\n", *svgPath)
	}
}

func makeResults(n int) [][]byte {
	execID := uuid.NewString()
	manifest := "inventory-hw"
	now := time.Now().UTC()
	out := make([][]byte, n)
	for i := range out {
		b, err := wire.Marshal(wire.ExecResult{
			ResultID: uuid.NewString(), RequestID: uuid.NewString(), ExecID: &execID,
			PCID: fmt.Sprintf("PC-%06d", i), ExitCode: int32(i % 7 / 6),
			Stdout: "Caption : Microsoft Windows 11 Pro\r\nVersion : 10.0.22631\r\n", Stderr: "",
			StartedAt: now, FinishedAt: now.Add(1500 * time.Millisecond), ManifestID: &manifest,
		})
		check(err)
		out[i] = b
	}
	return out
}

func newConsumer(ctx context.Context, js jetstream.JetStream, name string) jetstream.Consumer {
	c, err := js.CreateOrUpdateConsumer(ctx, wire.StreamResults, jetstream.ConsumerConfig{
		Durable: name, AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: 4000, DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	check(err)
	return c
}

func pullAck(ctx context.Context, js jetstream.JetStream, n int) float64 {
	it, err := newConsumer(ctx, js, "bench_raw").Messages(jetstream.PullMaxMessages(2000))
	check(err)
	defer it.Stop()
	start := time.Now()
	for i := 0; i < n; i++ {
		m, err := it.Next()
		check(err)
		check(m.Ack())
	}
	return rate(n, time.Since(start))
}

func openStore(ctx context.Context, dir, name string) *store.Store {
	st, err := store.Open(ctx, filepath.Join(dir, name+".db"), store.Options{Logger: quiet})
	check(err)
	return st
}

func toRow(p []byte) store.Result {
	var r wire.ExecResult
	check(json.Unmarshal(p, &r))
	return store.Result{ResultID: r.StableResultID(), RequestID: r.RequestID, ExecID: r.ExecID, PCID: r.PCID, ExitCode: int(r.ExitCode),
		Stdout: r.Stdout, Stderr: r.Stderr, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, JobID: r.ManifestID}
}

func sqliteBatched(ctx context.Context, dir string, payloads [][]byte) float64 {
	st := openStore(ctx, dir, "sqlite")
	defer st.Close()
	rows := make([]store.Result, len(payloads))
	for i, p := range payloads {
		rows[i] = toRow(p)
	}
	start := time.Now()
	for i := 0; i < len(rows); i += 1000 {
		chunk := rows[i:min(i+1000, len(rows))]
		check(st.Project(ctx, func(tx *store.Tx) error {
			for _, r := range chunk {
				if _, err := tx.InsertResult(ctx, r); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	return rate(len(rows), time.Since(start))
}

// durability prints the projector's rate before and after the durability
// change of issue 16 (acked results lost when a power loss drops the WAL's
// tail), at batch 1000 and at batch 10, where a live trickle of results
// lands and the per-commit cost shows most. The modes alternate over
// several rounds and the median is printed, so a load spike on a shared
// machine does not land on one mode only.
func durability(ctx context.Context, dir string, js jetstream.JetStream, n int) {
	modes := []struct {
		label, sync string
		noPosition  bool
	}{
		{"before: synchronous=NORMAL, no position", "NORMAL", true},
		{"after:  synchronous=NORMAL + position (used)", "NORMAL", false},
		{"alt:    synchronous=FULL, no position", "FULL", true},
	}
	const rounds = 3
	fmt.Printf("durability (projector end to end, median of %d alternating rounds):\n", rounds)
	for _, batch := range []int{1000, 10} {
		count := n
		if batch < 100 {
			count = min(n, 20_000)
		}
		rates := make([][]float64, len(modes))
		for round := 0; round < rounds; round++ {
			for i, m := range modes {
				r := projectorRateWith(ctx, dir, js, count, batch, fmt.Sprintf("dur%d-%d-%d", batch, i, round), m.sync, m.noPosition)
				rates[i] = append(rates[i], r)
			}
		}
		before := median(rates[0])
		for i, m := range modes {
			r := median(rates[i])
			fmt.Printf("  batch %4d  %-46s %10.0f msg/s  (%.2fx)  %d results\n", batch, m.label, r, r/before, count)
		}
	}
	fmt.Println()
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func projectorRate(ctx context.Context, dir string, js jetstream.JetStream, n, batch int, name string) float64 {
	return projectorRateWith(ctx, dir, js, n, batch, name, "", false)
}

func projectorRateWith(ctx context.Context, dir string, js jetstream.JetStream, n, batch int, name, synchronous string, noPosition bool) float64 {
	st, err := store.Open(ctx, filepath.Join(dir, name+".db"), store.Options{Logger: quiet, Synchronous: synchronous})
	check(err)
	defer st.Close()
	id, err := st.InstanceID(ctx)
	check(err)
	p := projector.NewStreamProjector("results", wire.StreamResults, id, js, st,
		projector.Results{}, projector.StreamOptions{MaxBatch: batch, NoPosition: noPosition}, quiet)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	start := time.Now()
	go func() { p.Run(runCtx); close(done) }()
	for p.Stats().Snapshot().Messages < uint64(n) {
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	cancel()
	<-done
	check(js.DeleteConsumer(ctx, wire.StreamResults, projector.ConsumerName("results", id)))
	return rate(n, elapsed)
}

// perMessageBaseline is the seed's loop: decode, one autocommit INSERT, one
// ack, strictly in sequence.
func perMessageBaseline(ctx context.Context, dir string, js jetstream.JetStream, n int) float64 {
	st := openStore(ctx, dir, "baseline")
	defer st.Close()
	it, err := newConsumer(ctx, js, "bench_baseline").Messages()
	check(err)
	defer it.Stop()
	ins, err := st.Writer().PrepareContext(ctx, `INSERT INTO execution_results (result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, started_at, finished_at, recorded_at, job_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(result_id) DO NOTHING`)
	check(err)
	start := time.Now()
	for i := 0; i < n; i++ {
		m, err := it.Next()
		check(err)
		r := toRow(m.Data())
		_, err = ins.ExecContext(ctx, r.ResultID, r.RequestID, r.ExecID, r.PCID, r.ExitCode, r.Stdout, r.Stderr,
			store.FormatTime(r.StartedAt), store.FormatTime(r.FinishedAt), store.FormatTime(time.Now()), r.JobID)
		check(err)
		check(m.Ack())
	}
	return rate(n, time.Since(start))
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func avgLen(p [][]byte) int {
	total := 0
	for _, b := range p {
		total += len(b)
	}
	return total / max(1, len(p))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

var _ = sql.ErrNoRows

// chart draws throughput against batch size (log x axis) with the two raw
// rates as reference lines.
func chart(points [][2]float64, raw, sqlRate float64) string {
	const w, h, left, right, top, bottom = 720.0, 400.0, 80.0, 30.0, 40.0, 60.0
	maxY := max(raw, sqlRate)
	for _, p := range points {
		maxY = max(maxY, p[1])
	}
	maxY *= 1.1
	minX, maxX := 0.0, logx(points[len(points)-1][0])
	x := func(v float64) float64 { return left + (logx(v)-minX)/(maxX-minX)*(w-left-right) }
	y := func(v float64) float64 { return top + (1-v/maxY)*(h-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15" font-weight="bold">Results projector throughput vs. batch size</text>`+"\n", left)
	for i := 0; i <= 5; i++ {
		v := maxY * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%.0fk</text>`+"\n", left, w-right, y(v), y(v), left-6, y(v)+4, v/1000)
	}
	for _, p := range points {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f</text>`+"\n", x(p[0]), h-bottom+18, p[0])
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">batch size (messages per transaction, log scale)</text>`+"\n", (left+w-right)/2, h-14)
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">messages / second</text>`+"\n", (top+h-bottom)/2)
	ref := func(v float64, color, label string) {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="6 4"/><text x="%.1f" y="%.1f" fill="%s" text-anchor="end">%s</text>`+"\n", left, w-right, y(v), y(v), color, w-right-4, y(v)-5, color, label)
	}
	ref(raw, "#2a9d8f", fmt.Sprintf("raw JetStream pull+ack %.0fk/s", raw/1000))
	ref(sqlRate, "#e76f51", fmt.Sprintf("raw SQLite batched insert %.0fk/s", sqlRate/1000))
	var path []string
	for _, p := range points {
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(p[0]), y(p[1])))
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#6d28d9" stroke-width="2.5" points="%s"/>`+"\n", strings.Join(path, " "))
	for _, p := range points {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#6d28d9"><title>batch %.0f: %.0f msg/s</title></circle>`+"\n", x(p[0]), y(p[1]), p[0], p[1])
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func logx(v float64) float64 {
	l := 0.0
	for v >= 10 {
		v /= 10
		l++
	}
	return l + (v-1)/9
}
