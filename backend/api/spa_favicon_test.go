package api

import (
	"strings"
	"testing"
	"testing/fstest"
)

// /favicon.ico answered the SPA's index.html with 200: the tab had no icon.
func TestFaviconIsAnIconNeverTheApp(t *testing.T) {
	ico := "\x00\x00\x01\x00\x01\x00"
	srv := newTestServer(t, fstest.MapFS{"index.html": {Data: []byte("<title>kanade console</title>")}, "favicon.ico": {Data: []byte(ico)}})
	status, hdr, body := get(t, srv.URL+"/favicon.ico")
	if status != 200 || hdr.Get("Content-Type") != "image/x-icon" || body != ico {
		t.Errorf("GET /favicon.ico = %d %q %q", status, hdr.Get("Content-Type"), body)
	}
	bare := newTestServer(t, fstest.MapFS{"index.html": {Data: []byte("<title>kanade console</title>")}})
	if status, _, body := get(t, bare.URL+"/favicon.ico"); status != 404 || strings.Contains(body, "<title>") {
		t.Errorf("GET /favicon.ico without one built = %d %q, want a 404", status, body)
	}
}
