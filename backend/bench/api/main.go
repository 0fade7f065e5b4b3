// Command api measures read latency of the console's HTTP API over a big
// projection.
//
// It writes 50,000 agents and 1,000,000 result rows straight into a SQLite
// file through the store package (store.Open, Tx.UpsertAgent,
// Tx.InsertResult, Tx.UpsertExecution in big transactions), with a realistic
// spread: every PC, several jobs, executions every few hours over 30 days,
// ~5% failures. Then it starts the real console on that data dir and times
// GET /api/results and GET /api/agents pages from one client on loopback
// (sequential, keep-alive, after a warm-up), and reports p50/p99/max.
//
// For every query slower than the target it then stops the console, prints
// SQLite's EXPLAIN QUERY PLAN for the count and page statements the store
// runs, times them on their own, and times them again with candidate indexes
// (created and dropped on the benchmark's copy of the data).
//
// Run it with `make bench-api` or `go run ./backend/bench/api`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kanade-console/kanade-console/backend/bench/internal/benchutil"
	"github.com/kanade-console/kanade-console/backend/store"
)

const targetP99 = 10 * time.Millisecond

var jobs = []struct {
	id, version, stdout, stderr string
	weight                      int // relative frequency of executions
}{
	{"inventory-hw", "3.1.0", `{"Name":"%s","Manufacturer":"LENOVO","Model":"ThinkPad T14 Gen 3","TotalPhysicalMemory":17179869184,"BIOSVersion":"N3MET18W (1.17 )"}`, "Get-CimInstance : Access denied", 4},
	{"patch-status", "1.4.2", "HotFixID   InstalledOn\r\n---------   -----------\r\nKB5034441   2026-10-14\r\nKB5034765   2026-11-11\r\n", "Get-HotFix : RPC server is unavailable", 3},
	{"defender-scan", "2.0.0", "Scan completed on %s: 0 threats found (QuickScan, 1m42s)\r\n", "Start-MpScan : 0x800106ba the service is not running", 3},
	{"disk-usage", "1.0.3", "C: 237.5 GB total, 98.1 GB free (41%%) on %s\r\n", "Get-Volume : Invalid class", 2},
	{"restart-spooler", "1.0.0", "Status   Name     DisplayName\r\n------   ----     -----------\r\nRunning  Spooler  Print Spooler\r\n", "Restart-Service : Cannot open Spooler service on computer '.'", 1},
	{"collect-logs", "0.9.1", "Collected 14 event logs (3.2 MB) from %s into C:\\ProgramData\\kanade\\logs.zip\r\n", "Compress-Archive : The process cannot access the file", 1},
}

type query struct {
	name   string
	path   func(rng *rand.Rand) string
	target bool // judged against targetP99
	// store reproduces the statements the store runs for this request, for
	// EXPLAIN QUERY PLAN and timing on their own (keep in step with
	// backend/store/queries.go).
	count, page string // count is "" when the request runs no count
	args        func() []any
	pageArgs    []any // arguments after args of the page statement (default limit 50, offset)
}

type measured struct {
	q     query
	dist  benchutil.Dist
	total string
	bytes int
}

func main() {
	results := flag.Int("results", 1_000_000, "result rows to write")
	agents := flag.Int("agents", 50_000, "agents to write")
	days := flag.Int("days", 30, "days the results are spread over")
	warm := flag.Int("warmup", 30, "warm-up requests per query")
	reqs := flag.Int("requests", 300, "measured requests per query")
	budget := flag.Duration("budget", 20*time.Second, "stop measuring a query after this long (at least 50 requests)")
	failRate := flag.Float64("failure-rate", 0.05, "fraction of failed results")
	bin := flag.String("bin", "", "console binary to run (default: go build into a temp dir)")
	keep := flag.Bool("keep", false, "keep the temp dir (data and console log)")
	flag.Parse()

	tmp, err := os.MkdirTemp("", "kanade-bench-api-")
	check(err)
	if *keep {
		fmt.Printf("temp dir kept: %s\n", tmp)
	} else {
		benchutil.AtExit(func() { os.RemoveAll(tmp) })
		defer benchutil.Cleanup()
	}
	benchutil.Header(os.Stdout, "API")
	if *bin == "" {
		*bin = filepath.Join(tmp, "kanade-console")
		took, err := benchutil.Build(*bin, nil)
		check(err)
		fmt.Printf("built %s in %.1fs\n", *bin, took.Seconds())
	}
	ctx := context.Background()
	data := filepath.Join(tmp, "data")
	now := time.Now().UTC()
	ds := build(ctx, filepath.Join(data, "kanade.db"), *agents, *results, *days, *failRate, now)

	con, err := benchutil.StartConsole(*bin, data, tmp, "--log-level", "warn")
	check(err)
	readyCtx, cancel := context.WithTimeout(ctx, time.Minute)
	ready, err := con.WaitReady(readyCtx, 5*time.Millisecond)
	cancel()
	check(err)
	mem, _ := benchutil.MemOf(con.PID)
	fmt.Printf("console pid %d ready in %s on the %d-row data dir (RSS %.1f MB)\n\n", con.PID, ready.Round(time.Millisecond), *results, benchutil.MB(mem.RSS))

	since := now.Add(-7 * 24 * time.Hour).Truncate(time.Second)
	sinceStr := since.Format(time.RFC3339)
	resultCols := `result_id, request_id, exec_id, pc_id, exit_code, stdout, stderr, 0, 0, started_at, finished_at, job_id, recorded_at FROM execution_results`
	agentCols := `a.pc_id, a.hostname, a.os_family, a.agent_version, a.last_heartbeat, a.updated_at,
	(SELECT group_concat(group_name, char(31)) FROM (SELECT group_name FROM agent_group_members g WHERE g.pc_id = a.pc_id ORDER BY group_name)) FROM agents a`
	inflightCols := `coalesce(result_id, 'inflight:' || exec_id || ':' || pc_id), coalesce(request_id, ''), exec_id, pc_id,
	manifest_id, version, started_at, recorded_at, reaped_at FROM inflight_runs`
	sub := "2345"
	like := "%" + sub + "%"
	var pcArg string
	queries := []query{
		{name: "results ?pc_id=<random pc>&limit=50", target: true,
			path: func(rng *rand.Rand) string {
				pcArg = ds.pcs[rng.IntN(len(ds.pcs))]
				return "/api/results?pc_id=" + pcArg + "&limit=50"
			},
			count: `SELECT count(*) FROM (SELECT 1 FROM execution_results WHERE pc_id = ? LIMIT ?)`,
			page:  `SELECT ` + resultCols + ` WHERE pc_id = ? ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{pcArg} }},
		{name: "results ?status=failure&since=<7 days ago>&limit=50", target: true,
			path: func(*rand.Rand) string {
				return "/api/results?status=failure&since=" + url.QueryEscape(sinceStr) + "&limit=50"
			},
			count: `SELECT count(*) FROM (SELECT 1 FROM execution_results WHERE exit_code <> 0 AND skipped = 0 AND recorded_at >= ? LIMIT ?)`,
			page:  `SELECT ` + resultCols + ` WHERE exit_code <> 0 AND skipped = 0 AND recorded_at >= ? ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{store.FormatTime(since)} }},
		{name: "results ?job_id=<job>&limit=50", target: true,
			path:  func(*rand.Rand) string { return "/api/results?job_id=patch-status&limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM execution_results WHERE job_id = ? LIMIT ?)`,
			page:  `SELECT ` + resultCols + ` WHERE job_id = ? ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{"patch-status"} }},
		{name: "results ?exec_id=<newest exec>&limit=50", target: true,
			path:  func(*rand.Rand) string { return "/api/results?exec_id=" + ds.newestExec + "&limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM execution_results WHERE exec_id = ? LIMIT ?)`,
			page:  `SELECT ` + resultCols + ` WHERE exec_id = ? ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{ds.newestExec} }},
		{name: "results ?exec_id=<newest fleet-wide exec>&limit=50", target: true,
			path:  func(*rand.Rand) string { return "/api/results?exec_id=" + ds.bigExec + "&limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM execution_results WHERE exec_id = ? LIMIT ?)`,
			page:  `SELECT ` + resultCols + ` WHERE exec_id = ? ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{ds.bigExec} }},
		// Live runs (issue 17): a fleet-wide exec still running on every PC.
		{name: "results ?status=running&limit=50", target: true,
			path:  func(*rand.Rand) string { return "/api/results?status=running&limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM inflight_runs WHERE reaped_at IS NULL LIMIT ?)`,
			page:  `SELECT ` + inflightCols + ` WHERE reaped_at IS NULL ORDER BY started_at DESC, result_id DESC LIMIT ? OFFSET ?`,
			args:  func() []any { return nil }},
		{name: "results ?status=running&exec_id=<running exec>&limit=50", target: true,
			path:  func(*rand.Rand) string { return "/api/results?status=running&exec_id=" + ds.runningExec + "&limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM inflight_runs WHERE reaped_at IS NULL AND exec_id = ? LIMIT ?)`,
			page:  `SELECT ` + inflightCols + ` WHERE reaped_at IS NULL AND exec_id = ? ORDER BY started_at DESC, result_id DESC LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{ds.runningExec} }},
		{name: "jobs (live counters)",
			path:     func(*rand.Rand) string { return "/api/jobs" },
			page:     `SELECT job_id, sum(status = 'running'), sum(status = 'pending') FROM executions WHERE status IN ('running', 'pending') GROUP BY job_id`,
			pageArgs: []any{},
			args:     func() []any { return nil }},
		{name: "executions/<newest fleet-wide exec> (detail)",
			path: func(*rand.Rand) string { return "/api/executions/" + ds.bigExec },
			page: `SELECT result_id, request_id, pc_id, exit_code, started_at, finished_at FROM execution_results
		WHERE exec_id = ? ORDER BY pc_id LIMIT ?`,
			pageArgs: []any{store.MaxExecutionResults},
			args:     func() []any { return []any{ds.bigExec} }},
		{name: "results ?limit=50 (unfiltered first page)",
			path:  func(*rand.Rand) string { return "/api/results?limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM execution_results LIMIT ?)`,
			page:  `SELECT ` + resultCols + ` ORDER BY recorded_at DESC, result_id LIMIT ? OFFSET ?`,
			args:  func() []any { return nil }},
		{name: "agents ?limit=50",
			path:  func(*rand.Rand) string { return "/api/agents?limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM agents a LIMIT ?)`,
			page:  `SELECT ` + agentCols + ` ORDER BY a.updated_at DESC, a.pc_id LIMIT ? OFFSET ?`,
			args:  func() []any { return nil }},
		{name: "agents ?limit=50&offset=25000",
			path:  func(*rand.Rand) string { return "/api/agents?limit=50&offset=25000" },
			count: `SELECT count(*) FROM (SELECT 1 FROM agents a LIMIT ?)`,
			page:  `SELECT ` + agentCols + ` ORDER BY a.updated_at DESC, a.pc_id LIMIT ? OFFSET ?`,
			args:  func() []any { return nil }},
		{name: "agents ?q=" + sub + "&limit=50",
			path:  func(*rand.Rand) string { return "/api/agents?q=" + sub + "&limit=50" },
			count: `SELECT count(*) FROM (SELECT 1 FROM agents a WHERE (a.pc_id LIKE ? ESCAPE '\' OR a.hostname LIKE ? ESCAPE '\') LIMIT ?)`,
			page:  `SELECT ` + agentCols + ` WHERE (a.pc_id LIKE ? ESCAPE '\' OR a.hostname LIKE ? ESCAPE '\') ORDER BY +a.updated_at DESC, a.pc_id LIMIT ? OFFSET ?`,
			args:  func() []any { return []any{like, like} }},
	}

	fmt.Printf("%d warm-up + %d measured requests per query, one client, sequential, keep-alive:\n", *warm, *reqs)
	fmt.Printf("%-52s %4s %8s %8s %8s %8s %8s %9s %9s\n", "GET /api/…", "n", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "total", "bytes")
	var out []measured
	rng := rand.New(rand.NewPCG(42, 42))
	for _, q := range queries {
		var lat []time.Duration
		var m measured
		m.q = q
		began := time.Now()
		for i := range *warm + *reqs {
			if i >= *warm+50 && time.Since(began) > *budget {
				break
			}
			path := q.path(rng)
			start := time.Now()
			total, size, err := benchutil.GetJSON(ctx, con.URL(path), nil)
			d := time.Since(start)
			check(err)
			if i >= *warm {
				lat = append(lat, d)
				m.total, m.bytes = total, size
			}
		}
		m.dist = benchutil.Summarise(lat)
		out = append(out, m)
		fmt.Printf("%-52s %4d %8s %8s %8s %8s %8s %9s %9d\n", q.name, m.dist.N, benchutil.Ms(m.dist.P50), benchutil.Ms(m.dist.P90), benchutil.Ms(m.dist.P99),
			benchutil.Ms(m.dist.Max), benchutil.Ms(m.dist.Mean), m.total, m.bytes)
	}
	mem, _ = benchutil.MemOf(con.PID)
	fmt.Printf("\nconsole RSS after the reads %.1f MB (peak %.1f MB)\n", benchutil.MB(mem.RSS), benchutil.MB(mem.HWM))
	_, err = con.Stop(15 * time.Second)
	check(err)

	fmt.Printf("\ntarget: p99 <= %s ms for the filtered results pages\n", benchutil.Ms(targetP99))
	var slow []measured
	for _, m := range out {
		verdict := ""
		if m.q.target {
			verdict = benchutil.Verdict(float64(m.dist.P99)/1e6, float64(targetP99)/1e6, "ms")
		} else {
			verdict = "(no target) " + benchutil.Verdict(float64(m.dist.P99)/1e6, float64(targetP99)/1e6, "ms")
		}
		fmt.Printf("  %-52s p99 %7s ms: %s\n", m.q.name, benchutil.Ms(m.dist.P99), verdict)
		if m.dist.P99 > targetP99 {
			slow = append(slow, m)
		}
	}
	if len(slow) > 0 {
		diagnose(ctx, filepath.Join(data, "kanade.db"), slow)
	}
}

// dataset is what the queries need to know about the generated data.
type dataset struct {
	pcs        []string
	newestExec string
	bigExec    string // the newest fleet-wide exec (one result per agent)
	bigSize    int
	// runningExec is a fleet-wide exec every PC has started and none
	// has reported yet (one in-flight row per agent).
	runningExec string
}

type execPlan struct {
	id, job, version, request string
	at                        time.Time
	pcs                       []int
	jobIdx                    int
}

// build writes the agents, results and executions.
func build(ctx context.Context, path string, nAgents, nResults, days int, failRate float64, now time.Time) dataset {
	start := time.Now()
	st, err := store.Open(ctx, path, store.Options{Logger: slog.New(slog.DiscardHandler)})
	check(err)
	rng := rand.New(rand.NewPCG(1, 2))
	ds := dataset{pcs: make([]string, nAgents)}
	hosts := make([]string, nAgents)
	for i := range ds.pcs {
		ds.pcs[i] = fmt.Sprintf("PC-%05d", i+1)
		hosts[i] = fmt.Sprintf("WS-%s-%05d", []string{"TKY", "OSA", "NGY", "FUK", "SPR"}[i%5], i+1)
	}

	// Agents: 92% heartbeating within the last 30 s, the rest stale for up
	// to the whole period. updated_at follows last_heartbeat, as it does
	// when every heartbeat upserts the row.
	check(st.Project(ctx, func(tx *store.Tx) error {
		for i, pc := range ds.pcs {
			hb := now.Add(-time.Duration(rng.Int64N(int64(30 * time.Second))))
			if rng.Float64() < 0.08 {
				hb = now.Add(-time.Duration(rng.Int64N(int64(days) * int64(24*time.Hour))))
			}
			if err := tx.UpsertAgent(ctx, store.Agent{PCID: pc, Hostname: hosts[i], OSFamily: "windows", AgentVersion: "0.29.0", LastHeartbeat: hb}); err != nil {
				return err
			}
		}
		_, err := tx.SQL().ExecContext(ctx, `UPDATE agents SET updated_at = last_heartbeat`)
		return err
	}))

	// Executions: uneven sizes (small targeted runs to fleet-wide ones) at
	// random times over the period, until they add up to nResults.
	var execs []*execPlan
	weights := 0
	for _, j := range jobs {
		weights += j.weight
	}
	for total := 0; total < nResults; {
		size := []int{200, 1000, 5000, 12000, nAgents}[rng.IntN(5)]
		size = min(size, nResults-total, nAgents)
		w := rng.IntN(weights)
		ji := 0
		for w >= jobs[ji].weight {
			w -= jobs[ji].weight
			ji++
		}
		e := &execPlan{id: uuid.NewString(), job: jobs[ji].id, version: jobs[ji].version, request: uuid.NewString(), jobIdx: ji,
			at: now.Add(-time.Duration(rng.Int64N(int64(days)*int64(24*time.Hour)-int64(time.Hour))) - time.Hour)}
		// A stride coprime with nAgents walks distinct PCs from a random start.
		stride := 1 + 2*rng.IntN(nAgents/2)
		for gcd(stride, nAgents) != 1 {
			stride += 2
		}
		first := rng.IntN(nAgents)
		e.pcs = make([]int, size)
		for k := range e.pcs {
			e.pcs[k] = (first + k*stride) % nAgents
		}
		execs = append(execs, e)
		total += size
	}
	sort.Slice(execs, func(i, j int) bool { return execs[i].at.Before(execs[j].at) })
	ds.newestExec = execs[len(execs)-1].id
	for _, e := range execs {
		if len(e.pcs) >= ds.bigSize {
			ds.bigExec, ds.bigSize = e.id, len(e.pcs)
		}
	}

	// Results, exec by exec in time order, each exec's results in finishing
	// order (the order a projector inserts them). recorded_at is set to the
	// finish time in the same transaction (InsertResult stamps the batch
	// time), so pages and `since` see 30 days of history.
	type row struct {
		r   store.Result
		fin time.Time
	}
	const txRows = 25_000
	var pending []store.Result
	failures := 0
	flush := func() {
		if len(pending) == 0 {
			return
		}
		check(st.Project(ctx, func(tx *store.Tx) error {
			for _, r := range pending {
				if _, err := tx.InsertResult(ctx, r); err != nil {
					return err
				}
			}
			_, err := tx.SQL().ExecContext(ctx, `UPDATE execution_results SET recorded_at = finished_at WHERE recorded_at = ?`, tx.Now())
			return err
		}))
		pending = pending[:0]
	}
	written := 0
	for _, e := range execs {
		j := jobs[e.jobIdx]
		rows := make([]row, len(e.pcs))
		for k, pi := range e.pcs {
			started := e.at.Add(time.Duration(rng.Int64N(int64(2 * time.Minute))))
			fin := started.Add(200*time.Millisecond + time.Duration(rng.Int64N(int64(30*time.Second))))
			exit, stdout, stderr := 0, j.stdout, ""
			if strings.Contains(stdout, "%s") {
				stdout = fmt.Sprintf(stdout, hosts[pi])
			}
			if rng.Float64() < failRate {
				exit, stdout, stderr = []int{1, 1, 1, 2, 125, -1}[rng.IntN(6)], "", j.stderr
				failures++
			}
			execID, jobID := e.id, e.job
			rows[k] = row{fin: fin, r: store.Result{ResultID: uuid.NewString(), RequestID: e.request, ExecID: &execID, PCID: ds.pcs[pi],
				ExitCode: exit, Stdout: stdout, Stderr: stderr, StartedAt: started, FinishedAt: fin, JobID: &jobID}}
		}
		sort.Slice(rows, func(a, b int) bool { return rows[a].fin.Before(rows[b].fin) })
		for _, r := range rows {
			pending = append(pending, r.r)
			if len(pending) == txRows {
				flush()
			}
		}
		written += len(rows)
	}
	flush()
	check(st.Project(ctx, func(tx *store.Tx) error {
		for _, e := range execs {
			if err := tx.UpsertExecution(ctx, store.Execution{ExecID: e.id, JobID: e.job, Version: e.version, InitiatedBy: "operator", InitiatedAt: e.at, TargetCount: len(e.pcs)}); err != nil {
				return err
			}
		}
		// The running exec: started on every PC over the last 10 minutes.
		ds.runningExec = uuid.NewString()
		began := now.Add(-10 * time.Minute)
		if err := tx.UpsertExecution(ctx, store.Execution{ExecID: ds.runningExec, JobID: "collect-logs", Version: "0.9.1", InitiatedBy: "operator", InitiatedAt: began, TargetCount: nAgents}); err != nil {
			return err
		}
		for _, pc := range ds.pcs {
			if err := tx.StartInflight(ctx, store.Started{ResultID: uuid.NewString(), RequestID: "req-running", ExecID: ds.runningExec, PCID: pc,
				JobID: "collect-logs", Version: "0.9.1", StartedAt: began.Add(time.Duration(rng.Int64N(int64(10 * time.Minute))))}); err != nil {
				return err
			}
		}
		return nil
	}))
	check(st.Close())
	var size int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			size += fi.Size()
		}
	}
	took := time.Since(start)
	fmt.Printf("wrote %d agents, %d results (%d failures, %.1f%%) in %d executions of %d jobs over %d days in %.1fs (%.0f rows/s); database %.0f MB\n",
		nAgents, written, failures, 100*float64(failures)/float64(written), len(execs), len(jobs), days, took.Seconds(), float64(written)/took.Seconds(), float64(size)/1e6)
	return ds
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// candidates are indexes tried on slow queries: what the query would need.
var candidates = map[string][]string{
	"results ?status=failure&since=<7 days ago>&limit=50": {
		`CREATE INDEX bench_failures_recorded ON execution_results (recorded_at DESC) WHERE exit_code <> 0`,
	},
	"results ?job_id=<job>&limit=50": {
		`CREATE INDEX bench_results_job_recorded ON execution_results (job_id, recorded_at DESC) WHERE job_id IS NOT NULL`,
	},
	"results ?exec_id=<newest exec>&limit=50": {
		`CREATE INDEX bench_results_exec_recorded ON execution_results (exec_id, recorded_at DESC) WHERE exec_id IS NOT NULL`,
	},
	"results ?exec_id=<newest fleet-wide exec>&limit=50": {
		`CREATE INDEX bench_results_exec_recorded ON execution_results (exec_id, recorded_at DESC) WHERE exec_id IS NOT NULL`,
	},
	"agents ?limit=50&offset=25000": {
		`CREATE INDEX bench_agents_updated_pc ON agents (updated_at DESC, pc_id)`,
	},
	"agents ?limit=50": {
		`CREATE INDEX bench_agents_updated_pc ON agents (updated_at DESC, pc_id)`,
	},
	"agents ?q=2345&limit=50": {
		`CREATE INDEX bench_agents_updated_pc ON agents (updated_at DESC, pc_id)`,
	},
}

// diagnose explains and times the statements of slow queries, with and
// without candidate indexes.
func diagnose(ctx context.Context, path string, slow []measured) {
	fmt.Printf("\n=== diagnosis of the queries over %s ms (console stopped; the store's statements run directly) ===\n", benchutil.Ms(targetP99))
	st, err := store.Open(ctx, path, store.Options{Logger: slog.New(slog.DiscardHandler)})
	check(err)
	defer st.Close()
	// Statements run on the read pool, like the console's list queries (its
	// connections have SQLite's default page cache; the writer's is 64 MiB);
	// indexes are created and dropped on the writer.
	db := st.Reader()
	rng := rand.New(rand.NewPCG(9, 9))
	timeStmt := func(q query, sqlText string, extra ...any) (time.Duration, int) {
		var ds []time.Duration
		rows := 0
		for range 7 {
			q.path(rng) // picks a fresh random argument where the query has one
			args := append(q.args(), extra...)
			start := time.Now()
			r, err := db.QueryContext(ctx, sqlText, args...)
			check(err)
			rows = 0
			for r.Next() {
				rows++
			}
			check(r.Err())
			r.Close()
			ds = append(ds, time.Since(start))
		}
		return benchutil.Summarise(ds).P50, rows
	}
	plan := func(sqlText string, args []any) string {
		r, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+sqlText, args...)
		check(err)
		defer r.Close()
		var lines []string
		for r.Next() {
			var id, parent, notused int
			var detail string
			check(r.Scan(&id, &parent, &notused, &detail))
			lines = append(lines, "      "+detail)
		}
		return strings.Join(lines, "\n")
	}
	defer writeCost(ctx, st)
	for _, m := range slow {
		q := m.q
		fmt.Printf("\n%s  (HTTP p50 %s ms, p99 %s ms)\n", q.name, benchutil.Ms(m.dist.P50), benchutil.Ms(m.dist.P99))
		countArgs := []any{store.CountCap}
		pageArgs := q.pageArgs
		if pageArgs == nil {
			pageArgs = []any{50, offsetOf(q.name)}
		}
		var cnt time.Duration
		if q.count != "" {
			cnt, _ = timeStmt(q, q.count, countArgs...)
			fmt.Printf("  count statement: %s ms (capped at %d)\n%s\n", benchutil.Ms(cnt), store.CountCap, plan(q.count, append(q.args(), countArgs...)))
		}
		pg, n := timeStmt(q, q.page, pageArgs...)
		fmt.Printf("  page statement:  %s ms (%d rows)\n%s\n", benchutil.Ms(pg), n, plan(q.page, append(q.args(), pageArgs...)))
		if q.count != "" {
			// What a smaller cap on the page total would cost instead.
			small, _ := timeStmt(q, q.count, smallCap)
			fmt.Printf("  count statement with a cap of %d instead of %d: %s ms (was %s)\n", smallCap, store.CountCap, benchutil.Ms(small), benchutil.Ms(cnt))
		}
		for _, ddl := range candidates[q.name] {
			if name := existingIndex(ctx, st, ddl); name != "" {
				fmt.Printf("  candidate %s: already in the schema as %s\n", ddl, name)
				continue
			}
			_, err := st.Writer().ExecContext(ctx, ddl)
			check(err)
			pg2, _ := timeStmt(q, q.page, pageArgs...)
			if q.count != "" {
				cnt2, _ := timeStmt(q, q.count, countArgs...)
				fmt.Printf("  with %s:\n    count %s ms (was %s), page %s ms (was %s)\n%s\n%s\n", ddl, benchutil.Ms(cnt2), benchutil.Ms(cnt), benchutil.Ms(pg2), benchutil.Ms(pg),
					plan(q.count, append(q.args(), countArgs...)), plan(q.page, append(q.args(), pageArgs...)))
			} else {
				fmt.Printf("  with %s:\n    page %s ms (was %s)\n%s\n", ddl, benchutil.Ms(pg2), benchutil.Ms(pg), plan(q.page, append(q.args(), pageArgs...)))
			}
			name := strings.Fields(ddl)[2]
			_, err = st.Writer().ExecContext(ctx, "DROP INDEX "+name)
			check(err)
		}
	}
}

// writeCost times result inserts (what the results projector does) on the
// full table with and without the suggested result indexes: the price of
// the fix on the write path. Each run inserts rows in one transaction that
// is rolled back, so the table stays the same.
func writeCost(ctx context.Context, db *store.Store) {
	var ddls []string
	for _, name := range []string{"results ?status=failure&since=<7 days ago>&limit=50", "results ?job_id=<job>&limit=50", "results ?exec_id=<newest fleet-wide exec>&limit=50"} {
		for _, ddl := range candidates[name] {
			if existingIndex(ctx, db, ddl) == "" {
				ddls = append(ddls, ddl)
			}
		}
	}
	if len(ddls) == 0 {
		return
	}
	errRollback := errors.New("rollback")
	execID, job := uuid.NewString(), "inventory-hw"
	now := time.Now().UTC()
	measure := func() float64 {
		const n = 50_000
		var took time.Duration
		err := db.Project(ctx, func(tx *store.Tx) error {
			start := time.Now()
			for i := range n {
				exit := 0
				if i%20 == 0 {
					exit = 1
				}
				if _, err := tx.InsertResult(ctx, store.Result{ResultID: uuid.NewString(), RequestID: execID, ExecID: &execID, PCID: fmt.Sprintf("PC-%05d", i%50_000+1),
					ExitCode: exit, Stdout: "Caption : Microsoft Windows 11 Pro\r\n", StartedAt: now, FinishedAt: now, JobID: &job}); err != nil {
					return err
				}
			}
			took = time.Since(start)
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			check(err)
		}
		return n / took.Seconds()
	}
	// Alternate the schemas so page-cache warmth and background load hit
	// them alike.
	measure() // warm-up
	type variant struct {
		label string
		ddls  []string
	}
	variants := []variant{{"current schema", nil}}
	for _, ddl := range ddls {
		variants = append(variants, variant{"+ " + strings.TrimPrefix(ddl, "CREATE INDEX "), []string{ddl}})
	}
	if len(ddls) > 1 {
		variants = append(variants, variant{fmt.Sprintf("+ all %d", len(ddls)), ddls})
	}
	const rounds = 5
	rates := make([][]float64, len(variants))
	for range rounds {
		for i, v := range variants {
			for _, ddl := range v.ddls {
				_, err := db.Writer().ExecContext(ctx, ddl)
				check(err)
			}
			rates[i] = append(rates[i], measure())
			for _, ddl := range v.ddls {
				_, err := db.Writer().ExecContext(ctx, "DROP INDEX "+strings.Fields(ddl)[2])
				check(err)
			}
		}
	}
	med := make([]float64, len(variants))
	for i := range rates {
		sort.Float64s(rates[i])
		med[i] = rates[i][rounds/2]
	}
	fmt.Printf("\nwrite cost of the suggested result indexes (50,000 InsertResult calls in one rolled-back transaction on the full table;\n")
	fmt.Printf("median and range of %d alternating rounds; differences within the ranges are noise):\n", rounds)
	for i, v := range variants {
		fmt.Printf("  %-92s %7.0f rows/s (%.0f-%.0f)  %+5.1f%%\n", strings.Replace(v.label, " ON execution_results", "", 1), med[i], rates[i][0], rates[i][rounds-1], 100*(med[i]/med[0]-1))
	}
}

// smallCap is the alternative page-total cap the diagnosis times.
const smallCap = 10_000

// existingIndex names an index of the schema that has the same definition
// (table, columns, WHERE) as the candidate ddl, or "".
func existingIndex(ctx context.Context, st *store.Store, ddl string) string {
	def := func(sqlText string) string {
		_, after, ok := strings.Cut(strings.ToLower(sqlText), " on ")
		if !ok {
			return ""
		}
		return strings.Join(strings.Fields(after), " ")
	}
	want := def(ddl)
	rows, err := st.Reader().QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
	check(err)
	defer rows.Close()
	for rows.Next() {
		var name, sqlText string
		check(rows.Scan(&name, &sqlText))
		if def(sqlText) == want {
			return name
		}
	}
	check(rows.Err())
	return ""
}

func offsetOf(name string) int {
	if strings.Contains(name, "offset=25000") {
		return 25000
	}
	return 0
}

func check(err error) { benchutil.Check(err) }
