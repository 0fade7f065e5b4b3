// Command startup measures how fast the headless console is ready and how
// big it is:
//
//   - the headless static build (CGO_ENABLED=0 go build -trimpath
//     -ldflags "-s -w"), its size, and for comparison the size without -s -w;
//     with -targets, the same build for other GOOS/GOARCH pairs;
//   - time from process start (just before exec) to the first 200 from
//     /readyz, on a fresh data dir and on an existing one (median of -runs);
//   - RSS after it has idled for -idle on the fresh data dir.
//
// Run it with `make bench-startup` or `go run ./backend/bench/startup`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/bench/internal/benchutil"
)

const targetReady = time.Second

func main() {
	runs := flag.Int("runs", 5, "starts per case (the median is reported)")
	idle := flag.Duration("idle", 10*time.Second, "idle time before reading RSS")
	targets := flag.String("targets", "", "extra GOOS/GOARCH pairs to build for size only, e.g. windows/amd64,darwin/arm64")
	keep := flag.Bool("keep", false, "keep the temp dir")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "kanade-bench-startup-")
	check(err)
	if *keep {
		fmt.Printf("temp dir kept: %s\n", tmp)
	} else {
		benchutil.AtExit(func() { os.RemoveAll(tmp) })
		defer benchutil.Cleanup()
	}
	benchutil.Header(os.Stdout, "startup")

	if root, err := benchutil.ModuleRoot(); err == nil {
		dist := filepath.Join(root, "frontend", "dist")
		if _, err := os.Stat(filepath.Join(dist, "index.html")); err == nil {
			fmt.Printf("embedded UI: frontend/dist, %.1f MB\n", float64(dirSize(dist))/1e6)
		} else {
			fmt.Println("embedded UI: none (frontend/dist is not built; run `make frontend` for the shipped size)")
		}
	}
	static := []string{"CGO_ENABLED=0"}
	bin := filepath.Join(tmp, "kanade-console")
	took, err := benchutil.Build(bin, static, "-trimpath", "-ldflags", "-s -w")
	check(err)
	fmt.Printf("%-58s %7.1f MB  (built in %.1fs)\n", "linux/amd64 headless static, -trimpath -ldflags \"-s -w\"", sizeMB(bin), took.Seconds())
	full := filepath.Join(tmp, "kanade-console-symbols")
	_, err = benchutil.Build(full, static, "-trimpath")
	check(err)
	fmt.Printf("%-58s %7.1f MB\n", "linux/amd64 headless static, -trimpath (symbols kept)", sizeMB(full))
	if *targets != "" {
		for _, t := range strings.Split(*targets, ",") {
			goos, goarch, ok := strings.Cut(strings.TrimSpace(t), "/")
			if !ok {
				benchutil.Fatalf("-targets: want GOOS/GOARCH, got %q", t)
			}
			out := filepath.Join(tmp, "kanade-console-"+goos+"-"+goarch)
			took, err := benchutil.Build(out, append(static, "GOOS="+goos, "GOARCH="+goarch), "-trimpath", "-ldflags", "-s -w")
			check(err)
			fmt.Printf("%-58s %7.1f MB  (built in %.1fs)\n", goos+"/"+goarch+" headless static, -trimpath -ldflags \"-s -w\"", sizeMB(out), took.Seconds())
		}
	}
	fmt.Println()

	ctx := context.Background()
	// Fresh: a new data dir each run (creates the SQLite file, runs the
	// migrations, creates the JetStream store, streams and buckets).
	var fresh, existing, stops []time.Duration
	for i := range *runs {
		d, stop := startOnce(ctx, bin, filepath.Join(tmp, fmt.Sprintf("fresh-%d", i)), tmp)
		fresh = append(fresh, d)
		stops = append(stops, stop)
	}
	// Existing: the same data dir again and again (opens the database,
	// recovers the JetStream store, reconciles streams and buckets).
	existingDir := filepath.Join(tmp, "fresh-0")
	for range *runs {
		d, stop := startOnce(ctx, bin, existingDir, tmp)
		existing = append(existing, d)
		stops = append(stops, stop)
	}
	// Idle RSS on a fresh data dir.
	con, err := benchutil.StartConsole(bin, filepath.Join(tmp, "idle"), tmp)
	check(err)
	_, err = con.WaitReady(ctx, 5*time.Millisecond)
	check(err)
	readyMem, _ := benchutil.MemOf(con.PID)
	cpu, err := benchutil.StartCPU(con.PID)
	check(err)
	time.Sleep(*idle)
	idleCPU, err := cpu.Stop()
	check(err)
	idleMem, err := benchutil.MemOf(con.PID)
	check(err)
	_, err = con.Stop(15 * time.Second)
	check(err)

	f, e, s := benchutil.Summarise(fresh), benchutil.Summarise(existing), benchutil.Summarise(stops)
	fmt.Printf("%-44s %8s %8s %8s   (%d runs; /readyz polled every 2 ms)\n", "time from exec to /readyz 200", "median", "min", "max", *runs)
	fmt.Printf("%-44s %8s %8s %8s ms\n", "  fresh data dir", benchutil.Ms(f.P50), benchutil.Ms(f.Min), benchutil.Ms(f.Max))
	fmt.Printf("%-44s %8s %8s %8s ms\n", "  existing data dir", benchutil.Ms(e.P50), benchutil.Ms(e.Min), benchutil.Ms(e.Max))
	fmt.Printf("%-44s %8s %8s %8s ms\n", "graceful stop after SIGTERM", benchutil.Ms(s.P50), benchutil.Ms(s.Min), benchutil.Ms(s.Max))
	fmt.Printf("\nRSS right after ready %.1f MB; after %s idle %.1f MB (peak %.1f MB); idle CPU %.2f%% of a core\n",
		benchutil.MB(readyMem.RSS), *idle, benchutil.MB(idleMem.RSS), benchutil.MB(idleMem.HWM), idleCPU.PctOfCore())
	fmt.Printf("\ntarget: ready <= %s ms\n", benchutil.Ms(targetReady))
	fmt.Printf("  fresh data dir    median %s ms: %s\n", benchutil.Ms(f.P50), benchutil.Verdict(float64(f.P50)/1e6, float64(targetReady)/1e6, "ms"))
	fmt.Printf("  existing data dir median %s ms: %s\n", benchutil.Ms(e.P50), benchutil.Verdict(float64(e.P50)/1e6, float64(targetReady)/1e6, "ms"))
}

// startOnce starts the console on data, waits for ready, stops it, and
// returns the time to ready and the time the graceful stop took.
func startOnce(ctx context.Context, bin, data, logDir string) (time.Duration, time.Duration) {
	con, err := benchutil.StartConsole(bin, data, logDir)
	check(err)
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	d, err := con.WaitReady(rctx, 2*time.Millisecond)
	cancel()
	check(err)
	stop, err := con.Stop(15 * time.Second)
	check(err)
	return d, stop
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func sizeMB(path string) float64 {
	fi, err := os.Stat(path)
	check(err)
	return float64(fi.Size()) / 1e6
}

func check(err error) { benchutil.Check(err) }
