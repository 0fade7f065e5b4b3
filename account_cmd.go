package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/store"
)

const accountUsage = `usage: kanade-console account COMMAND [flags] [args]

commands:
  list                              every account
  create USER --role R [--password-stdin] [--email E]
                                    without a password the answer is a one-time setup link (72 h)
  set-role USER viewer|operator|admin
  disable USER                      (enable USER undoes it)
  reset-link USER                   a one-time password reset link (72 h)
  setup-link [USER]                 a setup link for USER, or for the first admin still
                                    waiting for a password (offline only)

where:
  offline (default): on the console's database in --data (or --db FILE).
      Safe while a console runs on the same data dir (SQLite WAL); the
      console sees the change on the next request. Offline changes are not
      in the audit log (it lives on the NATS stream): prefer --url when a
      console runs.
  online: --url http://host:port with --token (or $KANADE_AUTH_TOKEN): an
      admin's sign-in token or the static token; goes through /api/accounts.
`

// accountFlags are the flags every account command takes.
type accountFlags struct {
	data, db, configPath, url, token, role, email string
	passwordStdin, asJSON                         bool
}

func runAccount(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, accountUsage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("account "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f accountFlags
	fs.StringVar(&f.data, "data", "", "data directory (default: the console's default data dir)")
	fs.StringVar(&f.db, "db", "", "the console's SQLite file (default: <data>/kanade.db or backend.toml's [db] sqlite_path)")
	fs.StringVar(&f.configPath, "config", "", "backend.toml (as serve)")
	fs.StringVar(&f.url, "url", "", "a running console's URL: work through its API instead of the database")
	fs.StringVar(&f.token, "token", os.Getenv("KANADE_AUTH_TOKEN"), "bearer token for --url (default $KANADE_AUTH_TOKEN)")
	fs.StringVar(&f.role, "role", "", "create: viewer, operator or admin")
	fs.StringVar(&f.email, "email", "", "create: e-mail address")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "create: read the password from the first line of stdin")
	fs.BoolVar(&f.asJSON, "json", false, "list: print JSON")
	// Flags may come before or after the arguments.
	var pos []string
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("account %s: %v", cmd, err)
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		pos, rest = append(pos, rest[0]), rest[1:]
	}
	want := map[string][2]int{"list": {0, 0}, "create": {1, 1}, "set-role": {2, 2}, "disable": {1, 1}, "enable": {1, 1}, "reset-link": {1, 1}, "setup-link": {0, 1}}
	n, ok := want[cmd]
	if !ok {
		return fmt.Errorf("account: unknown command %q (want list, create, set-role, disable, enable, reset-link or setup-link)", cmd)
	}
	if len(pos) < n[0] || len(pos) > n[1] {
		return fmt.Errorf("account %s: wrong number of arguments; see kanade-console account help", cmd)
	}
	var password *string
	if f.passwordStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("account %s: reading the password: %v", cmd, err)
		}
		pw := strings.TrimRight(line, "\r\n")
		password = &pw
	}
	var ops accountOps
	if f.url != "" {
		if cmd == "setup-link" {
			return errors.New("account setup-link works on the database only (it is for when nobody can sign in): drop --url")
		}
		ops = &onlineAccounts{base: strings.TrimRight(f.url, "/"), token: f.token, client: &http.Client{Timeout: 30 * time.Second}}
	} else {
		off, err := openOfflineAccounts(f)
		if err != nil {
			return err
		}
		defer off.close()
		ops = off
	}
	ctx := context.Background()
	arg := func(i int) string {
		if i < len(pos) {
			return pos[i]
		}
		return ""
	}
	switch cmd {
	case "list":
		rows, err := ops.list(ctx)
		if err != nil {
			return err
		}
		return printAccounts(stdout, rows, f.asJSON)
	case "create":
		req := accounts.CreateRequest{Username: arg(0), Role: accounts.Role(f.role), Password: password}
		if f.email != "" {
			req.Email = &f.email
		}
		resp, err := ops.create(ctx, req)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", req.Username, req.Role)
		if resp.SetupLink != nil {
			printLink(stdout, *resp.SetupLink)
		}
		return nil
	case "set-role":
		r := accounts.Role(arg(1))
		return done(stdout, ops.update(ctx, arg(0), accounts.UpdateBody{Role: &r}), "%s is now %s", arg(0), r)
	case "disable", "enable":
		off := cmd == "disable"
		return done(stdout, ops.update(ctx, arg(0), accounts.UpdateBody{Disabled: &off}), "%s %sd", arg(0), cmd)
	case "reset-link":
		link, err := ops.resetLink(ctx, arg(0))
		if err != nil {
			return err
		}
		printLink(stdout, link)
		return nil
	default: // setup-link
		link, err := ops.(*offlineAccounts).svc.SetupLink(ctx, arg(0), ops.(*offlineAccounts).linkBase)
		if err != nil {
			return err
		}
		printLink(stdout, link)
		return nil
	}
}

func done(w io.Writer, err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	fmt.Fprintf(w, format+"\n", args...)
	return nil
}

func printLink(w io.Writer, l accounts.Link) {
	fmt.Fprintf(w, "%s link for %s (one use, until %s):\n%s\n", l.Purpose, l.Username, l.ExpiresAt.UTC().Format(time.RFC3339), l.URL)
}

func printAccounts(w io.Writer, rows []accounts.UserRow, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tDISABLED\tMFA\tGROUP\tPAGES\tUPDATED")
	for _, r := range rows {
		group, pages := "-", "all"
		if r.PermissionGroup != nil {
			group = *r.PermissionGroup
		}
		if r.AllowedFeatures != nil {
			pages = strings.Join(r.AllowedFeatures, ",")
		}
		state := map[int]string{0: "no", 1: "yes"}[r.Disabled]
		if r.SetupPending {
			state += " (setup pending)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\t%s\n", r.Username, r.Role, state, r.MFAEnabled, group, pages, r.UpdatedAt)
	}
	return tw.Flush()
}

// accountOps are the commands, on the database or through the API.
type accountOps interface {
	list(ctx context.Context) ([]accounts.UserRow, error)
	create(ctx context.Context, req accounts.CreateRequest) (accounts.CreateResponse, error)
	update(ctx context.Context, username string, body accounts.UpdateBody) error
	resetLink(ctx context.Context, username string) (accounts.Link, error)
}

// cliIdentity acts for the offline commands (whoever can write the data
// dir is an admin of it).
var cliIdentity = accounts.Identity{Kind: "cli", Sub: "kanade-console-account", Role: accounts.Admin, Source: "cli"}

type offlineAccounts struct {
	st       *store.Store
	svc      *accounts.Service
	linkBase string
}

// openOfflineAccounts opens the database serve would use: --db, else
// backend.toml's [db] sqlite_path or <data>/kanade.db (the sibling file
// when that is kanade-backend 0.29's own database).
func openOfflineAccounts(f accountFlags) (*offlineAccounts, error) {
	var args []string
	if f.data != "" {
		args = append(args, "--data", f.data)
	}
	if f.configPath != "" {
		args = append(args, "--config", f.configPath)
	}
	cfg, err := config.ParseHost("account", args, config.SystemHost(), io.Discard)
	if err != nil {
		return nil, err
	}
	path := cfg.SQLitePath
	if f.db != "" {
		path = f.db
	} else if legacy, _ := store.IsKanadeBackendDatabase(path); legacy {
		path = filepath.Join(filepath.Dir(path), console.Kanade029SiblingDB)
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("account: data dir %s: %v (pass --data or --db)", filepath.Dir(path), err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("account: %s: %w", path, err)
	}
	secret := []byte(cfg.JWTSecret)
	if len(secret) == 0 {
		if secret, err = accounts.LoadOrCreateSecret(ctx, st.Writer()); err != nil {
			st.Close()
			return nil, err
		}
	}
	scheme := "http://"
	if cfg.TLSCert != "" {
		scheme = "https://"
	}
	return &offlineAccounts{st: st, svc: accounts.New(accounts.Options{Writer: st.Writer(), Reader: st.Reader(), Secret: secret}), linkBase: scheme + cfg.Addr}, nil
}

func (o *offlineAccounts) close() { o.st.Close() }

func (o *offlineAccounts) list(ctx context.Context) ([]accounts.UserRow, error) {
	return o.svc.List(ctx)
}

func (o *offlineAccounts) create(ctx context.Context, req accounts.CreateRequest) (accounts.CreateResponse, error) {
	return o.svc.Create(ctx, cliIdentity, req, o.linkBase)
}

func (o *offlineAccounts) update(ctx context.Context, username string, body accounts.UpdateBody) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := accounts.DecodeUpdate(b)
	if err != nil {
		return err
	}
	return o.svc.Update(ctx, cliIdentity, username, req)
}

func (o *offlineAccounts) resetLink(ctx context.Context, username string) (accounts.Link, error) {
	return o.svc.ResetLink(ctx, cliIdentity, username, o.linkBase)
}

// onlineAccounts calls a running console's /api/accounts.
type onlineAccounts struct {
	base, token string
	client      *http.Client
}

func (o *onlineAccounts) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, o.base+path, rd)
	if err != nil {
		return fmt.Errorf("--url: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if o.token != "" {
		req.Header.Set("Authorization", "Bearer "+o.token)
	}
	req.Header.Set("X-Kanade-Source", "cli")
	res, err := o.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if res.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, e.Error)
		}
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil && len(bytes.TrimSpace(b)) > 0 {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (o *onlineAccounts) list(ctx context.Context) ([]accounts.UserRow, error) {
	var rows []accounts.UserRow
	return rows, o.call(ctx, "GET", "/api/accounts", nil, &rows)
}

func (o *onlineAccounts) create(ctx context.Context, req accounts.CreateRequest) (accounts.CreateResponse, error) {
	var resp accounts.CreateResponse
	return resp, o.call(ctx, "POST", "/api/accounts", req, &resp)
}

func (o *onlineAccounts) update(ctx context.Context, username string, body accounts.UpdateBody) error {
	return o.call(ctx, "PATCH", "/api/accounts/"+url.PathEscape(username), body, nil)
}

func (o *onlineAccounts) resetLink(ctx context.Context, username string) (accounts.Link, error) {
	var l accounts.Link
	return l, o.call(ctx, "POST", "/api/accounts/"+url.PathEscape(username)+"/reset-link", nil, &l)
}
