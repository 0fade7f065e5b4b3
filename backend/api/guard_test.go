package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The attacks of issue 16 item 2, sent as a browser would send them against
// an open (no secret) loopback console.
func TestBrowserGuardRefusesRebindingAndCrossSite(t *testing.T) {
	e := newEnv(t, 0)
	e.expect(e.postJSON("/api/jobs", jobJSON), 200)
	e.expect(e.postJSON("/api/schedules", `{"id":"nightly","cron":"0 0 3 * * *","job_id":"inventory-hw","target":{"all":true},"enabled":true}`), 200)
	self := e.srv.URL // http://127.0.0.1:port
	port := strings.TrimPrefix(self, "http://127.0.0.1")

	t.Run("dns rebinding reaches no route", func(t *testing.T) {
		e := e.with(t)
		// The attacker's page, now resolving to 127.0.0.1, is same-origin
		// with itself: its fetch carries its own Host and Origin.
		r := e.do("POST", "/api/run", "application/json", `{"pc_id":"PC001","shell":"powershell","script":"whoami","timeout_secs":1}`,
			"Host", "attacker.example"+port, "Origin", "http://attacker.example"+port, "Sec-Fetch-Site", "same-origin")
		e.expect(r, http.StatusMisdirectedRequest, "attacker.example", "--allowed-hosts")
		e.expect(e.do("GET", "/api/jobs", "", "", "Host", "attacker.example"), http.StatusMisdirectedRequest)
		e.expect(e.do("GET", "/", "", "", "Host", "attacker.example"), http.StatusMisdirectedRequest)
	})
	cross := []struct {
		name, path, contentType, body string
	}{
		{"text/plain revoke", "/api/scripts/inventory-hw/revoke", "text/plain", "x"},
		{"form kill", "/api/jobs/inventory-hw/kill", "application/x-www-form-urlencoded", "a=b"},
		{"form disable", "/api/schedules/nightly/disable", "application/x-www-form-urlencoded", ""},
		{"text/plain disable", "/api/schedules/nightly/disable", "text/plain", "x"},
	}
	for _, tc := range cross {
		t.Run("cross-site "+tc.name, func(t *testing.T) {
			e := e.with(t)
			e.expect(e.do("POST", tc.path, tc.contentType, tc.body, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), http.StatusForbidden, "cross-site")
			// Without Sec-Fetch-Site (older browsers) the Origin alone refuses.
			e.expect(e.do("POST", tc.path, tc.contentType, tc.body, "Origin", "https://evil.example"), http.StatusForbidden, "Origin")
			// Another port of localhost is another origin.
			e.expect(e.do("POST", tc.path, tc.contentType, tc.body, "Origin", "http://127.0.0.1:1", "Sec-Fetch-Site", "same-site"), http.StatusForbidden)
			// Without any browser header, a non-JSON body is still refused.
			if tc.body != "" {
				e.expect(e.do("POST", tc.path, tc.contentType, tc.body), http.StatusUnsupportedMediaType, "application/json")
			}
		})
	}
	if got := e.kvGet(wire.BucketScriptStatus, "inventory-hw"); got == "REVOKED" {
		t.Fatalf("a refused request revoked the job")
	}
	var schedules []map[string]any
	e.get("/api/schedules").json(t, &schedules)
	if len(schedules) != 1 || schedules[0]["enabled"] != true {
		t.Fatalf("a refused request changed the schedule: %v", schedules)
	}

	t.Run("the console's own pages and the CLI pass", func(t *testing.T) {
		e := e.with(t)
		// The SPA: same-origin fetch with JSON.
		e.expect(e.do("POST", "/api/scripts/inventory-hw/revoke", "", "", "Origin", self, "Sec-Fetch-Site", "same-origin"), http.StatusNoContent)
		e.expect(e.do("POST", "/api/scripts/inventory-hw/unrevoke", "application/json", "{}", "Origin", self, "Sec-Fetch-Site", "same-origin", "Host", "localhost"+port), http.StatusForbidden) // Origin and Host differ
		// The kanade CLI: no browser headers, JSON or no body.
		e.expect(e.do("POST", "/api/schedules/nightly/disable?cascade=false", "", "", "X-Kanade-Source", "cli"), http.StatusNoContent)
		e.expect(e.postJSON("/api/exec/inventory-hw", `{"target":{"all":true}}`), 200)
		// Loopback names with any port.
		for _, host := range []string{"localhost" + port, "127.0.0.2:9", "[::1]" + port, "LOCALHOST."} {
			e.expect(e.do("GET", "/api/jobs", "", "", "Host", host), 200)
		}
		// Probes answer under any name.
		e.expect(e.do("GET", "/readyz", "", "", "Host", "10.0.0.7:8080"), 200)
	})
}

func TestSecurityHeaders(t *testing.T) {
	srv := newTestServer(t, builtSPA)
	for _, path := range []string{"/", "/api/jobs", "/assets/index-1.js", "/api/nope"} {
		_, h, _ := get(t, srv.URL+path)
		for _, k := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"} {
			if h.Get(k) == "" {
				t.Errorf("GET %s: no %s", path, k)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: CSP %q does not deny framing", path, h.Get("Content-Security-Policy"))
		}
	}
}

func TestHostPolicy(t *testing.T) {
	cases := []struct {
		mode, bind string
		allowed    []string
		host       string
		want       bool
	}{
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "127.0.0.1:8080", true},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "localhost", true},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "[::1]:8080", true},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "app.localhost:8080", true},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "attacker.example", false},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "localhost.attacker.example", false},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", nil, "", false},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", []string{"console.lan"}, "CONSOLE.lan:8080", true},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", []string{"*.ts.net"}, "box.tail1.ts.net", true},
		{auth.ModeOpenLoopback, "127.0.0.1:8080", []string{"*.ts.net"}, "ts.net.evil", false},
		{auth.ModeDisabled, "192.168.1.5:8080", nil, "192.168.1.5:8080", true},
		{auth.ModeDisabled, "0.0.0.0:8080", nil, "192.168.1.5:8080", false},
		{auth.ModeDisabled, "0.0.0.0:8080", nil, "0.0.0.0:8080", false},
		// With a secret a rebinding page has no token; names are checked
		// only if the operator listed some.
		{auth.ModeStatic, "0.0.0.0:8080", nil, "anything.example", true},
		{auth.ModeStatic, "0.0.0.0:8080", []string{"console.corp"}, "anything.example", false},
		{auth.ModeStatic, "0.0.0.0:8080", []string{"console.corp"}, "console.corp", true},
	}
	for _, tc := range cases {
		if got := newHostPolicy(tc.mode, tc.bind, tc.allowed).allows(tc.host); got != tc.want {
			t.Errorf("%s bind %s allowed %v: Host %q = %v, want %v", tc.mode, tc.bind, tc.allowed, tc.host, got, tc.want)
		}
	}
}

func TestCrossSiteTable(t *testing.T) {
	cases := []struct {
		origin, site, host string
		refused            bool
	}{
		{"", "", "127.0.0.1:8080", false},
		{"http://127.0.0.1:8080", "same-origin", "127.0.0.1:8080", false},
		{"", "none", "127.0.0.1:8080", false},
		{"null", "", "127.0.0.1:8080", true},
		{"http://127.0.0.1:5173", "", "127.0.0.1:8080", true},
		{"", "cross-site", "127.0.0.1:8080", true},
		{"", "same-site", "127.0.0.1:8080", true},
		{"file://", "", "127.0.0.1:8080", true},
		// Behind a proxy that rewrites Host: the configured name passes.
		{"https://console.corp", "same-origin", "127.0.0.1:8080", false},
		{"https://evil.corp", "", "127.0.0.1:8080", true},
	}
	for _, tc := range cases {
		r := &http.Request{Method: "POST", Host: tc.host, Header: http.Header{}, URL: &url.URL{Path: "/api/run"}}
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if tc.site != "" {
			r.Header.Set("Sec-Fetch-Site", tc.site)
		}
		if got := newHostPolicy(auth.ModeStatic, "127.0.0.1:8080", []string{"console.corp"}).crossSite(r) != ""; got != tc.refused {
			t.Errorf("Origin %q Sec-Fetch-Site %q Host %q: refused = %v, want %v", tc.origin, tc.site, tc.host, got, tc.refused)
		}
	}
}

// The guard reads three attacker-controlled headers; none may panic it.
func FuzzBrowserGuard(f *testing.F) {
	f.Add("attacker.example:80", "http://attacker.example", "cross-site", "text/plain")
	f.Add("[::1]:8080", "null", "same-origin", "application/json; charset=utf-8")
	f.Add("[", "http://[::1", "", "multipart/form-data; boundary=")
	p := newHostPolicy(auth.ModeOpenLoopback, "127.0.0.1:8080", []string{"*.ts.net", "console.lan"})
	f.Fuzz(func(t *testing.T, host, origin, site, contentType string) {
		p.allows(host)
		r := &http.Request{Method: "POST", Host: host, Header: http.Header{}, URL: &url.URL{Path: "/api/run"}, ContentLength: 1}
		r.Header.Set("Origin", origin)
		r.Header.Set("Sec-Fetch-Site", site)
		r.Header.Set("Content-Type", contentType)
		p.crossSite(r)
		bodyTypeAllowed(r)
	})
}
