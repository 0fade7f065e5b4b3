package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/api"
	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
)

func accountCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runAccount(args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

// Offline on a data dir: the first admin's setup link, create, roles,
// disable, reset links; bad input is a clear error.
func TestAccountCommandOffline(t *testing.T) {
	data := t.TempDir()
	out, err := accountCmd(t, "", "setup-link", "--data", data)
	if err != nil || !strings.Contains(out, "setup link for admin") || !strings.Contains(out, "/password-setup/") {
		t.Fatalf("setup-link: %s, %v", out, err)
	}
	if out, err = accountCmd(t, "ivy-password\n", "create", "ivy", "--role", "operator", "--password-stdin", "--data", data); err != nil || !strings.Contains(out, "created ivy (operator)") || strings.Contains(out, "link") {
		t.Fatalf("create: %s, %v", out, err)
	}
	if out, err = accountCmd(t, "", "create", "jay", "--role", "viewer", "--data", data); err != nil || !strings.Contains(out, "setup link for jay") {
		t.Fatalf("create without a password: %s, %v", out, err)
	}
	if _, err = accountCmd(t, "", "set-role", "ivy", "admin", "--data", data); err != nil {
		t.Fatal(err)
	}
	if _, err = accountCmd(t, "", "disable", "jay", "--data", data); err != nil {
		t.Fatal(err)
	}
	out, err = accountCmd(t, "", "list", "--data", data)
	if err != nil || !regexpLine(out, `ivy\s+admin\s+no`) || !regexpLine(out, `jay\s+viewer\s+yes \(setup pending\)`) {
		t.Fatalf("list: %s, %v", out, err)
	}
	if out, err = accountCmd(t, "", "reset-link", "ivy", "--data", data); err != nil || !strings.Contains(out, "reset link for ivy") {
		t.Fatalf("reset-link: %s, %v", out, err)
	}
	if _, err = accountCmd(t, "", "set-role", "ivy", "boss", "--data", data); err == nil || !strings.Contains(err.Error(), "role must be viewer/operator/admin") {
		t.Fatalf("bad role: %v", err)
	}
	if _, err = accountCmd(t, "", "set-role", "ivy", "--data", data); err == nil || !strings.Contains(err.Error(), "wrong number of arguments") {
		t.Fatalf("missing argument: %v", err)
	}
	if _, err = accountCmd(t, "", "reset-link", "nobody", "--data", data); err == nil || err.Error() != "no such account" {
		t.Fatalf("unknown account: %v", err)
	}
}

// regexpLine reports whether a line of out matches pattern.
func regexpLine(out, pattern string) bool {
	return regexp.MustCompile(`(?m)^` + pattern).MatchString(out)
}

// Online through a running console's API, with the static token.
func TestAccountCommandOnline(t *testing.T) {
	dir := t.TempDir()
	quiet := slog.New(slog.DiscardHandler)
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "off"}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(context.Background())
	srv := httptest.NewServer(api.New(c, nil, quiet, api.Options{Auth: auth.New(auth.Config{StaticToken: "cli-token"})}))
	defer srv.Close()

	if _, err := accountCmd(t, "", "list", "--url", srv.URL, "--token", "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong token: %v", err)
	}
	out, err := accountCmd(t, "kim-password\n", "create", "kim", "--role", "viewer", "--password-stdin", "--url", srv.URL, "--token", "cli-token")
	if err != nil || !strings.Contains(out, "created kim") {
		t.Fatalf("create: %s, %v", out, err)
	}
	if _, err := accountCmd(t, "", "set-role", "kim", "operator", "--url", srv.URL, "--token", "cli-token"); err != nil {
		t.Fatal(err)
	}
	if out, err = accountCmd(t, "", "reset-link", "kim", "--url", srv.URL, "--token", "cli-token"); err != nil || !strings.Contains(out, srv.URL+"/password-setup/") {
		t.Fatalf("reset-link: %s, %v", out, err)
	}
	if _, err := accountCmd(t, "", "disable", "kim", "--url", srv.URL, "--token", "cli-token"); err != nil {
		t.Fatal(err)
	}
	out, err = accountCmd(t, "", "list", "--json", "--url", srv.URL, "--token", "cli-token")
	if err != nil || !strings.Contains(out, `"username": "kim"`) || !strings.Contains(out, `"role": "operator"`) || !strings.Contains(out, `"disabled": 1`) {
		t.Fatalf("list: %s, %v", out, err)
	}
	if _, err := accountCmd(t, "", "setup-link", "--url", srv.URL); err == nil || !strings.Contains(err.Error(), "drop --url") {
		t.Fatalf("setup-link online: %v", err)
	}
}
