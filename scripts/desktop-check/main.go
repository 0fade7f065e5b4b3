// Command desktop-check verifies, from outside the desktop app, what the
// desktop smoke test (scripts/desktop-smoke.sh) did through the window: it
// reads the app's SQLite file read-only and talks to the embedded NATS
// listener the way an agent or the kanade CLI would.
//
//	desktop-check agents  -db kanade.db -n 20            wait until N agents are projected
//	desktop-check result  -db kanade.db -pc DEMO-00001 -stdout desktop-smoke
//	                                                     wait for that PC's result with that stdout
//	desktop-check nats    -url nats://127.0.0.1:4222     the embedded listener answers and holds results
//	                                                     (with the token in KANADE_NATS_TOKEN, if set)
//
// Every subcommand polls until -timeout (default 60 s) and exits 1 with a
// one-line reason when it gives up.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	_ "modernc.org/sqlite"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: desktop-check agents|result|nats [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	db := fs.String("db", "", "the app's SQLite file (<data>/kanade.db)")
	n := fs.Int("n", 1, "agents: how many agents to wait for")
	pc := fs.String("pc", "", "result: pc_id")
	stdout := fs.String("stdout", "", "result: text the result's stdout contains")
	natsURL := fs.String("url", "", "nats: the embedded server's client URL")
	timeout := fs.Duration("timeout", 60*time.Second, "give up after this long")
	fs.Parse(os.Args[2:])

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var err error
	switch os.Args[1] {
	case "agents":
		err = waitAgents(ctx, *db, *n)
	case "result":
		err = waitResult(ctx, *db, *pc, *stdout)
	case "nats":
		err = checkNATS(ctx, *natsURL)
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "desktop-check %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// openRO opens the app's database without ever writing to it.
func openRO(path string) (*sql.DB, error) {
	if path == "" {
		return nil, errors.New("-db is required")
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "query_only(ON)")
	return sql.Open("sqlite", "file:"+path+"?"+q.Encode())
}

// poll runs check every 250 ms until it reports done or ctx ends.
func poll(ctx context.Context, what string, check func() (bool, error)) error {
	var last error
	for {
		done, err := check()
		if done {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("timed out waiting for %s (last error: %v)", what, last)
			}
			return fmt.Errorf("timed out waiting for %s", what)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func waitAgents(ctx context.Context, path string, n int) error {
	db, err := openRO(path)
	if err != nil {
		return err
	}
	defer db.Close()
	var count int
	err = poll(ctx, fmt.Sprintf("%d agents", n), func() (bool, error) {
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM agents").Scan(&count)
		return err == nil && count >= n, err
	})
	if err != nil {
		return fmt.Errorf("%v (have %d)", err, count)
	}
	fmt.Printf("agents: %d in %s\n", count, path)
	return nil
}

func waitResult(ctx context.Context, path, pc, text string) error {
	if pc == "" || text == "" {
		return errors.New("-pc and -stdout are required")
	}
	db, err := openRO(path)
	if err != nil {
		return err
	}
	defer db.Close()
	var id, stdout, job string
	var exit int
	err = poll(ctx, fmt.Sprintf("a result of %s with stdout %q", pc, text), func() (bool, error) {
		err := db.QueryRowContext(ctx, `SELECT result_id, exit_code, stdout, coalesce(job_id, '') FROM execution_results
			WHERE pc_id = ? AND instr(stdout, ?) > 0 ORDER BY recorded_at DESC LIMIT 1`, pc, text).Scan(&id, &exit, &stdout, &job)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		return err
	}
	fmt.Printf("result: %s pc=%s job=%s exit=%d stdout=%q\n", id, pc, job, exit, strings.TrimSpace(stdout))
	if exit != 0 {
		return fmt.Errorf("result %s exited %d", id, exit)
	}
	return nil
}

func checkNATS(ctx context.Context, u string) error {
	if u == "" {
		return errors.New("-url is required")
	}
	// The token agents use (KANADE_NATS_TOKEN), when the app requires one.
	nc, err := nats.Connect(u, nats.Timeout(5*time.Second), nats.Token(os.Getenv("KANADE_NATS_TOKEN")))
	if err != nil {
		return err
	}
	defer nc.Close()
	rtt, err := nc.RTT()
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	var msgs uint64
	err = poll(ctx, "messages in the RESULTS stream", func() (bool, error) {
		s, err := js.Stream(ctx, "RESULTS")
		if err != nil {
			return false, err
		}
		info, err := s.Info(ctx)
		if err != nil {
			return false, err
		}
		msgs = info.State.Msgs
		return msgs > 0, nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("nats: %s answers (rtt %s), RESULTS holds %d message(s)\n", nc.ConnectedUrl(), rtt.Round(time.Microsecond), msgs)
	return nil
}
