package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
)

var quiet = slog.New(slog.DiscardHandler)

// startReadyConsole starts a real console (SQLite in a temp dir, the
// embedded NATS with the given client listener or "off") and waits until it
// is ready; the caller stops it.
func startReadyConsole(t *testing.T, natsListen string, log *slog.Logger, within time.Duration) *console.Console {
	t.Helper()
	dir := t.TempDir()
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: natsListen}, log)
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// newTestServer runs a real console (embedded NATS without a listener, SQLite
// in a temp dir) behind the HTTP handler.
func newTestServer(t *testing.T, spa fstest.MapFS, opts ...Options) *httptest.Server {
	t.Helper()
	c := startReadyConsole(t, "off", quiet, 30*time.Second)
	srv := httptest.NewServer(New(c, spa, quiet, opts...))
	t.Cleanup(func() {
		srv.Close()
		c.Stop(context.Background())
	})
	return srv
}

var builtSPA = fstest.MapFS{
	"index.html":         {Data: []byte("<!doctype html><title>kanade console</title>")},
	"assets/index-1.js":  {Data: []byte("console.log(1)")},
	"assets/index-1.css": {Data: []byte("body{}")},
	"favicon.svg":        {Data: []byte("<svg/>")},
	".gitkeep":           {Data: nil},
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	checkResponse(t, req, resp.StatusCode, resp.Header, body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestRoutes(t *testing.T) {
	srv := newTestServer(t, builtSPA)
	cases := []struct {
		path, wantType, wantBody string
		wantStatus               int
	}{
		{"/health", "text/plain", "ok", 200},
		{"/healthz", "application/json", `"status":"ok"`, 200},
		{"/readyz", "application/json", `"ready":true`, 200},
		{"/", "text/html", "<title>kanade console</title>", 200},
		{"/activity/0b8e6a52", "text/html", "<title>kanade console</title>", 200},
		{"/assets/index-1.js", "javascript", "console.log(1)", 200},
		{"/assets/index-1.css", "text/css", "body{}", 200},
		{"/favicon.svg", "image/svg+xml", "<svg/>", 200},
		{"/assets/index-0.js", "text/plain", "404", 404},
		{"/api/does-not-exist", "application/json", `{"error":"no such API route: GET /api/does-not-exist"}`, 404},
		{"/.gitkeep", "text/html", "<title>", 200},
		{"/../../etc/passwd", "text/html", "<title>", 200},
	}
	for _, tc := range cases {
		status, hdr, body := get(t, srv.URL+tc.path)
		if status != tc.wantStatus || !strings.Contains(hdr.Get("Content-Type"), tc.wantType) || !strings.Contains(body, tc.wantBody) {
			t.Errorf("GET %s = %d %q %q; want %d %q containing %q", tc.path, status, hdr.Get("Content-Type"), body, tc.wantStatus, tc.wantType, tc.wantBody)
		}
	}
	resp, err := http.Post(srv.URL+"/activity", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST to a SPA path = %d, want 405", resp.StatusCode)
	}
}

func TestUnbuiltSPAExplainsItself(t *testing.T) {
	srv := newTestServer(t, fstest.MapFS{".gitkeep": {}})
	status, _, body := get(t, srv.URL+"/")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "not built") {
		t.Fatalf("GET / without a built UI = %d %q", status, body)
	}
	if status, _, _ := get(t, srv.URL+"/health"); status != 200 {
		t.Fatalf("/health = %d", status)
	}
}
