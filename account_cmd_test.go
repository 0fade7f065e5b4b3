package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
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

// serve seeds the first admin from KANADE_BOOTSTRAP_ADMIN_USER/PASSWORD
// (must change the password), or, without a password, logs a one-time
// setup link; kanade's login then works over HTTP.
func TestServeBootstrapsTheFirstAdmin(t *testing.T) {
	if _, set := os.LookupEnv("KANADE_AUTH_DISABLE"); set {
		t.Skip("KANADE_AUTH_DISABLE is set in the environment")
	}
	t.Setenv("KANADE_AUTH_STATIC_TOKEN", "")
	t.Setenv("KANADE_JWT_SECRET", "serve-bootstrap-secret")
	t.Setenv("KANADE_BOOTSTRAP_ADMIN_USER", "boss")
	t.Setenv("KANADE_BOOTSTRAP_ADMIN_PASSWORD", "boss-password-1")
	r := startServe(t, "--data", t.TempDir(), "--nats-listen", "off")
	post := func(path, body, token string) (int, string) {
		req, _ := http.NewRequest("POST", r.url+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", r.url+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	st, body := post("/api/auth/login", `{"username":"boss","password":"boss-password-1"}`, "")
	if st != 200 || !strings.Contains(body, `"role":"admin"`) || !strings.Contains(body, `"must_change_pw":true`) {
		t.Fatalf("login: %d %s", st, body)
	}
	var lr struct{ Token string }
	if err := json.Unmarshal([]byte(body), &lr); err != nil {
		t.Fatal(err)
	}
	if st, body := get("/api/auth/me", ""); st != 401 {
		t.Fatalf("anonymous me: %d %s", st, body)
	}
	if st, body := get("/api/auth/me", lr.Token); st != 200 || !strings.Contains(body, `"must_change_pw":true`) {
		t.Fatalf("me: %d %s", st, body)
	}
	if strings.Contains(r.stderr.String(), "no admin can sign in yet") {
		t.Fatalf("a setup link although a password was configured:\n%s", r.stderr.String())
	}
	r.stop(t)

	// No password: a setup link in the log, never a default password.
	t.Setenv("KANADE_BOOTSTRAP_ADMIN_PASSWORD", "")
	os.Unsetenv("KANADE_BOOTSTRAP_ADMIN_PASSWORD")
	r = startServe(t, "--data", t.TempDir(), "--nats-listen", "off")
	m := regexp.MustCompile(`/password-setup/([0-9a-f-]{36})`).FindStringSubmatch(r.stderr.String())
	if m == nil || !strings.Contains(r.stderr.String(), "no admin can sign in yet") {
		t.Fatalf("no setup link in the log:\n%s", r.stderr.String())
	}
	if st, body := get("/api/auth/password-setup/"+m[1], ""); st != 200 || body != "{\"username\":\"boss\",\"purpose\":\"setup\"}\n" {
		t.Fatalf("link info: %d %q", st, body)
	}
	if st, body := post("/api/auth/password-setup/"+m[1], `{"password":"chosen-password"}`, ""); st != 200 {
		t.Fatalf("set password: %d %s", st, body)
	}
	if st, body := post("/api/auth/login", `{"username":"boss","password":"chosen-password"}`, ""); st != 200 || !strings.Contains(body, `"must_change_pw":false`) {
		t.Fatalf("login after setup: %d %s", st, body)
	}
	r.stop(t)
}
