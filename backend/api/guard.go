package api

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/kanade-console/kanade-console/backend/auth"
)

// The browser guard keeps web pages of other sites from driving the console
// through the user's browser. Without a secret (the loopback default of
// serve and of the desktop app's listener) a page could otherwise reach
// /api/* by DNS rebinding (Host: attacker.example resolving to 127.0.0.1) or
// by a cross-site form or text/plain POST, which needs no CORS preflight.
// It checks, before auth and routing:
//   - Host: loopback names, the bind host and the configured allowed hosts;
//     enforced whenever the API is open (no secret), and with a secret only
//     if allowed hosts were configured.
//   - Origin / Sec-Fetch-Site on state-changing methods: same origin only.
//   - Content-Type on state-changing requests that carry one or a body:
//     JSON, YAML, or multipart on the publish upload (415 otherwise).

// hostPolicy decides which Host header names the server answers to.
type hostPolicy struct {
	enforce bool
	names   map[string]bool // lower-case, without port or brackets
	suffix  []string        // from "*.example.com": ".example.com"
	allowed map[string]bool // the configured allowed hosts only (not the bind host)
}

func newHostPolicy(mode, bindAddr string, allowed []string) hostPolicy {
	open := mode == auth.ModeOpenLoopback || mode == auth.ModeDisabled
	p := hostPolicy{enforce: open || len(allowed) > 0, names: map[string]bool{}, allowed: map[string]bool{}}
	if host, _, err := net.SplitHostPort(bindAddr); err == nil && host != "" {
		if ip, err := netip.ParseAddr(host); err != nil || !ip.IsUnspecified() {
			p.names[normalizeHost(host)] = true
		}
	}
	for _, a := range allowed {
		a = normalizeHost(a)
		switch {
		case a == "":
		case strings.HasPrefix(a, "*."):
			p.suffix = append(p.suffix, a[1:])
		default:
			p.names[a], p.allowed[a] = true, true
		}
	}
	return p
}

// normalizeHost lower-cases a host name and drops a port, brackets and a
// trailing dot: "[::1]:8080" → "::1", "LocalHost.:80" → "localhost".
func normalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}

// allows reports whether a request's Host header names this server.
func (p hostPolicy) allows(hostHeader string) bool {
	if !p.enforce {
		return true
	}
	h := normalizeHost(hostHeader)
	if h == "" {
		return false
	}
	if isLoopbackHost(h) || p.names[h] {
		return true
	}
	for _, s := range p.suffix {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// isLoopbackHost: localhost (and *.localhost, which resolvers must send to
// loopback), 127.0.0.0/8 and ::1. Only IP literals and these names: any
// other name can be rebound by whoever controls its DNS.
func isLoopbackHost(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.Unmap().IsLoopback()
}

func stateChanging(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

// crossSite reports why a state-changing request came from another site, or
// "" when it did not. Requests without Origin and Sec-Fetch-Site (the kanade
// CLI, curl, scripts) are not from a browser page and pass. An Origin naming
// a configured allowed host passes too: a reverse proxy may rewrite Host.
func (p hostPolicy) crossSite(r *http.Request) string {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return "Sec-Fetch-Site: " + site
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "Origin: " + origin
	}
	if !strings.EqualFold(u.Host, r.Host) && !p.configured(normalizeHost(u.Host)) {
		return "Origin: " + origin
	}
	return ""
}

// configured: h is one of the configured allowed hosts (not loopback or
// the bind host: another port there is another site's origin).
func (p hostPolicy) configured(h string) bool {
	if isLoopbackHost(h) {
		return false
	}
	if p.allowed[h] {
		return true
	}
	for _, s := range p.suffix {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

// bodyTypeAllowed: the media types a state-changing request may carry.
func bodyTypeAllowed(r *http.Request) bool {
	hasBody := r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return !hasBody
	}
	mt := mediaType(r)
	switch {
	case mt == "application/json", isYAML(mt):
		return true
	case mt == "multipart/form-data":
		return r.URL.Path == publishPath
	}
	return false
}

const publishPath = "/api/agents/publish"

// guard applies the checks above; false means it answered the request.
func (s *Server) guard(w http.ResponseWriter, r *http.Request) bool {
	if !s.hosts.allows(r.Host) {
		writeError(w, http.StatusMisdirectedRequest, "host "+quoteHost(r.Host)+" is not served here: without a secret only loopback names (localhost, 127.0.0.1, [::1]) are; add other names with --allowed-hosts or [server] allowed_hosts")
		return false
	}
	if !stateChanging(r.Method) {
		return true
	}
	if why := s.hosts.crossSite(r); why != "" {
		writeError(w, http.StatusForbidden, "cross-site request refused ("+why+"): state-changing requests must come from the console's own pages or from a non-browser client")
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/api/") && !bodyTypeAllowed(r) {
		want := "application/json"
		if r.URL.Path == publishPath {
			want = "multipart/form-data"
		}
		writeError(w, http.StatusUnsupportedMediaType, "unsupported Content-Type "+quoteHost(r.Header.Get("Content-Type"))+": send "+want+" (YAML types where a YAML body is accepted)")
		return false
	}
	return true
}

func quoteHost(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return `"` + s + `"`
}

// securityHeaders go on every response, UI and API. The CSP fits the built
// SPA: its scripts and styles are files under /assets, React sets style
// attributes (hence 'unsafe-inline' for styles only), icons may be data: URLs.
func securityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
}

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
