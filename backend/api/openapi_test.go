package api

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kanade-console/kanade-console/backend/auth"
)

var updateOpenAPI = flag.Bool("update-openapi", false, "rewrite docs/openapi.json from the route table")

// committedOpenAPI is the description as committed for clients and the
// frontend's type check; generated with the bearer token required.
const committedOpenAPI = "../../docs/openapi.json"

func documentJSON(t testing.TB, mode string) []byte {
	t.Helper()
	s := &Server{mux: http.NewServeMux()}
	s.register()
	b, err := json.MarshalIndent(openAPIDocument(s.routes, mode), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// loadOpenAPI parses and validates the description with kin-openapi (an
// OpenAPI 3.1 implementation this project did not write).
func loadOpenAPI(t testing.TB, b []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the description: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi rejects the description: %v", err)
	}
	return doc
}

func TestOpenAPIValidates(t *testing.T) {
	for _, mode := range []string{auth.ModeStatic, auth.ModeOpenLoopback} {
		doc := loadOpenAPI(t, documentJSON(t, mode))
		if doc.OpenAPI != "3.1.0" || doc.Paths.Len() == 0 {
			t.Fatalf("%s: openapi %q with %d paths", mode, doc.OpenAPI, doc.Paths.Len())
		}
	}
}

// docs/openapi.json is what the route table generates: a field added to a
// response type, or a route, without regenerating (make openapi) fails here.
func TestOpenAPICommitted(t *testing.T) {
	want := documentJSON(t, auth.ModeStatic)
	if *updateOpenAPI {
		if err := os.WriteFile(committedOpenAPI, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(committedOpenAPI)
	if err != nil {
		t.Fatalf("%v (run make openapi)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("docs/openapi.json is stale: the Go types or the route table changed; run make openapi and commit it (first difference near %q)", firstDiff(got, want))
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-60)
	return strings.TrimSpace(string(b[lo:min(len(b), i+60)]))
}

// serve's KANADE_OPENAPI_VALIDATE mode: responses are checked as they are
// served and the counts ride on the next responses' headers.
func TestServerValidatesResponsesWhenAsked(t *testing.T) {
	srv := newTestServer(t, builtSPA, Options{ValidateResponses: true})
	for _, path := range []string{"/api/agents", "/api/status", "/api/no-such-route", "/", "/api/results?limit=1"} {
		get(t, srv.URL+path)
	}
	_, hdr, _ := get(t, srv.URL+"/healthz")
	if hdr.Get("X-Kanade-OpenAPI-Validated") != "3" || hdr.Get("X-Kanade-OpenAPI-Mismatches") != "0" {
		t.Fatalf("validated %q, mismatches %q; want 3 and 0 (the SPA and an unknown route are not operations)", hdr.Get("X-Kanade-OpenAPI-Validated"), hdr.Get("X-Kanade-OpenAPI-Mismatches"))
	}
}
