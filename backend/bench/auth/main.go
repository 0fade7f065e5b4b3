// Command auth measures what accounts cost a request (issue 15).
//
//   - Login latency: POST /api/auth/login against the real console, sequential
//     on loopback, so each sample is one argon2id verification (kanade's
//     m=19456 KiB, t=2, p=1) plus the HTTP and SQLite around it; and the bare
//     argon2id verification alone.
//   - The per-request authorization check: every gated route verifies the
//     bearer JWT (HMAC-SHA-256), reads the account row (role, disabled, page
//     allow-list; the row is authoritative on every request) and checks role
//     and page. It is timed on its own (auth.Verifier.Authenticate +
//     accounts.Service.Resolve), and then the HTTP API is driven at a paced
//     1,000 requests/s for a while on a cheap route: without auth (the
//     baseline), with the static token (no row read) and with a sign-in JWT:
//     latency percentiles and the process's CPU per request; the JWT run's
//     extra CPU per request over the baseline is the check's cost.
//
// The console runs in this process (embedded NATS without a listener,
// SQLite in a temp dir). Run it with `make bench-auth` or
// `go run ./backend/bench/auth`.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/bench/internal/benchutil"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
)

const staticToken = "bench-static-token"

func main() {
	logins := flag.Int("logins", 40, "sequential logins to time")
	checks := flag.Int("checks", 20000, "authorization checks to time in-process")
	rate := flag.Int("rate", 1000, "requests per second of the paced run")
	dur := flag.Duration("duration", 10*time.Second, "length of each paced run")
	flag.Parse()

	dir, err := os.MkdirTemp("", "bench-auth-")
	benchutil.Check(err)
	benchutil.AtExit(func() { os.RemoveAll(dir) })
	defer benchutil.Cleanup()
	quiet := slog.New(slog.DiscardHandler)
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "off", Addr: "127.0.0.1:0"}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	benchutil.Check(c.Start(ctx))
	cancel()
	defer c.Stop(context.Background())
	acc := c.Accounts()
	pw := "bench-password"
	_, err = acc.Create(context.Background(), accounts.StaticTokenIdentity, accounts.CreateRequest{Username: "bench", Role: accounts.Operator, Password: &pw}, "")
	benchutil.Check(err)

	verifier := auth.New(auth.Config{StaticToken: staticToken})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	benchutil.Check(err)
	srv := &http.Server{Handler: api.New(c, nil, quiet, api.Options{Auth: verifier, BindAddr: ln.Addr().String()})}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	// The same API without authentication (open loopback mode): the baseline.
	lnOpen, err := net.Listen("tcp", "127.0.0.1:0")
	benchutil.Check(err)
	srvOpen := &http.Server{Handler: api.New(c, nil, quiet, api.Options{BindAddr: lnOpen.Addr().String()})}
	go srvOpen.Serve(lnOpen)
	defer srvOpen.Close()
	baseOpen := "http://" + lnOpen.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	fmt.Printf("auth benchmark: %d CPUs, Go %s\n\n", runtime.NumCPU(), runtime.Version())

	// 1. argon2id alone, then login over HTTP.
	hash := accounts.HashPassword(pw)
	var bare []time.Duration
	for range 10 {
		t0 := time.Now()
		accounts.VerifyPassword(hash, pw)
		bare = append(bare, time.Since(t0))
	}
	var login []time.Duration
	var token string
	body := []byte(`{"username":"bench","password":"` + pw + `"}`)
	for range *logins {
		t0 := time.Now()
		res, err := client.Post(base+"/api/auth/login", "application/json", bytes.NewReader(body))
		benchutil.Check(err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			benchutil.Fatalf("login: %d %s", res.StatusCode, b)
		}
		login = append(login, time.Since(t0))
		token = string(b)
	}
	lr := struct{ Token string }{}
	benchutil.Check(json.Unmarshal([]byte(token), &lr))
	token = lr.Token
	d := benchutil.Summarise(bare)
	fmt.Printf("argon2id verify (m=19456 KiB, t=2, p=1), %d runs: p50 %s ms, max %s ms\n", d.N, benchutil.Ms(d.P50), benchutil.Ms(d.Max))
	d = benchutil.Summarise(login)
	fmt.Printf("POST /api/auth/login, %d sequential:        p50 %s ms, p99 %s ms, max %s ms (~%.0f logins/s per core)\n\n", d.N, benchutil.Ms(d.P50), benchutil.Ms(d.P99), benchutil.Ms(d.Max), 1/d.P50.Seconds())

	// 2. The check on its own: JWT verification + the account row.
	v := verifier.WithSessionSecret(acc.SessionSecret())
	header := "Bearer " + token
	t0 := time.Now()
	for range *checks {
		cl, err := v.Authenticate(header)
		benchutil.Check(err)
		if _, err := acc.Resolve(context.Background(), cl.Sub); err != nil {
			benchutil.Fatalf("resolve: %v", err)
		}
	}
	per := time.Since(t0) / time.Duration(*checks)
	t0 = time.Now()
	for range *checks {
		_, _ = v.Authenticate(header)
	}
	jwtOnly := time.Since(t0) / time.Duration(*checks)
	fmt.Printf("authorization check in-process, %d runs: %.1f µs per request (JWT verify %.1f µs + account row %.1f µs)\n\n",
		*checks, us(per), us(jwtOnly), us(per-jwtOnly))

	// 3. Paced HTTP at the target rate.
	const route = "/api/cron/next?cron=0+0+*+*+*+*&n=1" // a cheap handler that needs no database
	fmt.Printf("GET %s paced at %d req/s for %s (%d clients):\n", route, *rate, *dur, 32)
	for _, run := range []struct{ name, base, auth string }{
		{"no auth (open loopback): baseline", baseOpen, ""},
		{"static token (no row)", base, "Bearer " + staticToken},
		{"sign-in JWT (verify + account row)", base, header},
	} {
		dist, sent, errs, cpu := paced(client, run.base+route, run.auth, *rate, *dur)
		fmt.Printf("  %-36s %d sent, %d errors, achieved %.0f req/s: p50 %s ms, p99 %s ms, max %s ms; process CPU %.1f%% of a core = %.0f µs per request\n",
			run.name, sent, errs, float64(sent)/cpu.WallSeconds, benchutil.Ms(dist.P50), benchutil.Ms(dist.P99), benchutil.Ms(dist.Max), cpu.PctOfCore(), 1e6*cpu.CPUSeconds/float64(sent))
	}
}

func us(d time.Duration) float64 { return float64(d) / 1e3 }

// paced sends requests at rate per second from a pool of clients for dur
// and reports the latency distribution and this process's CPU.
func paced(client *http.Client, url, authz string, rate int, dur time.Duration) (benchutil.Dist, int, int, benchutil.CPU) {
	meter, err := benchutil.StartCPU(os.Getpid())
	benchutil.Check(err)
	jobs := make(chan struct{}, rate)
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				req, _ := http.NewRequest("GET", url, nil)
				if authz != "" {
					req.Header.Set("Authorization", authz)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				took := time.Since(t0)
				ok := err == nil && res.StatusCode == 200
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				mu.Lock()
				lat = append(lat, took)
				if !ok {
					errs++
				}
				mu.Unlock()
			}
		}()
	}
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	sent := 0
	for next := start; time.Since(start) < dur; next = next.Add(interval) {
		if wait := time.Until(next); wait > 0 {
			time.Sleep(wait)
		}
		jobs <- struct{}{}
		sent++
	}
	close(jobs)
	wg.Wait()
	cpu, err := meter.Stop()
	benchutil.Check(err)
	return benchutil.Summarise(lat), sent, errs, cpu
}
