// Command listall measures what kanade 0.29's unpaged GET /api/agents costs
// the console: it builds and starts `kanade-console serve`, feeds it
// -agents heartbeats (the oldest form: pc_id, at, agent_version), lists
// every agent without limit as the kanade CLI and scripts do, and prints the
// console's RSS growth during the listing (sampled every 5 ms), the time and
// the bytes. Target: growth < 50 MB at 100,000 agents.
//
// Run it with `make bench-listall` or `go run ./backend/bench/listall`.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/bench/internal/benchutil"
)

const targetGrowthMB = 50

func main() {
	agents := flag.Int("agents", 100_000, "agents in the fleet")
	runs := flag.Int("runs", 3, "unpaged listings")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "kanade-bench-listall-")
	check(err)
	benchutil.AtExit(func() { os.RemoveAll(tmp) })
	defer benchutil.Cleanup()
	benchutil.Header(os.Stdout, "listall")

	bin := filepath.Join(tmp, "kanade-console")
	_, err = benchutil.Build(bin, []string{"CGO_ENABLED=0"}, "-trimpath")
	check(err)
	con, err := benchutil.StartConsole(bin, filepath.Join(tmp, "data"), tmp)
	check(err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	_, err = con.WaitReady(ctx, 20*time.Millisecond)
	check(err)

	nc, err := nats.Connect(con.NATSURL)
	check(err)
	defer nc.Close()
	at := time.Now().UTC().Format(time.RFC3339Nano)
	for i := range *agents {
		pc := fmt.Sprintf("BENCH-%06d", i)
		check(nc.Publish("heartbeat."+pc, []byte(`{"pc_id":"`+pc+`","at":"`+at+`","agent_version":"0.29.0"}`)))
	}
	check(nc.FlushWithContext(ctx))
	fed := time.Now()
	for {
		total, err := known(ctx, con.URL("/api/status"))
		if err == nil && total == *agents {
			break
		}
		if ctx.Err() != nil {
			benchutil.Fatalf("only %d of %d agents projected (%v)", total, *agents, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Printf("%d agents projected in %s\n", *agents, time.Since(fed).Round(10*time.Millisecond))
	time.Sleep(2 * time.Second) // let the heartbeat flush's garbage go

	fmt.Printf("\n%-6s %10s %10s %12s %10s %10s\n", "run", "rows", "MB sent", "took ms", "RSS MB", "growth MB")
	var worst float64
	for run := 1; run <= *runs; run++ {
		base, err := benchutil.MemOf(con.PID)
		check(err)
		peak := atomic.Uint64{}
		peak.Store(base.RSS)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				if m, err := benchutil.MemOf(con.PID); err == nil && m.RSS > peak.Load() {
					peak.Store(m.RSS)
				}
			}
		}()
		start := time.Now()
		rows, size, err := listAll(ctx, con.URL("/api/agents"))
		took := time.Since(start)
		close(stop)
		wg.Wait()
		check(err)
		if rows != *agents {
			benchutil.Fatalf("run %d: %d rows, want %d", run, rows, *agents)
		}
		growth := benchutil.MB(peak.Load() - base.RSS)
		worst = max(worst, growth)
		fmt.Printf("%-6d %10d %10.1f %12s %10.1f %10.1f\n", run, rows, float64(size)/1e6, benchutil.Ms(took), benchutil.MB(base.RSS), growth)
	}
	fmt.Printf("\ntarget: RSS growth while listing %d agents without limit < %d MB: worst %.1f MB: %s\n", *agents, targetGrowthMB, worst, benchutil.Verdict(worst, targetGrowthMB, "MB"))
	_, err = con.Stop(10 * time.Second)
	check(err)
}

// known reads the known agents of /api/status (X-Total-Count of a page is
// capped at 10,000).
func known(ctx context.Context, url string) (int, error) {
	var st struct {
		Agents struct {
			Known int `json:"known"`
		} `json:"agents"`
	}
	_, _, err := benchutil.GetJSON(ctx, url, &st)
	return st.Agents.Known, err
}

// listAll reads the array element by element (the client must not be what
// holds 100,000 rows either) and returns the rows and bytes.
func listAll(ctx context.Context, url string) (int, int64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	client := &http.Client{Timeout: 5 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return 0, 0, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	cr := &countingReader{r: resp.Body}
	dec := json.NewDecoder(cr)
	if _, err := dec.Token(); err != nil {
		return 0, 0, err
	}
	rows := 0
	for dec.More() {
		var row struct {
			PCID string `json:"pc_id"`
		}
		if err := dec.Decode(&row); err != nil {
			return rows, cr.n, err
		}
		rows++
	}
	_, err = dec.Token()
	return rows, cr.n, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func check(err error) { benchutil.Check(err) }
