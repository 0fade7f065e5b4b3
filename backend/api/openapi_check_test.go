package api

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
)

// Every response the API tests receive through env.do and get is checked
// against its operation in the description by kin-openapi's
// openapi3filter; a mismatch fails the test that made the request.

var checker = sync.OnceValue(func() *ResponseChecker {
	s := &Server{mux: http.NewServeMux()}
	s.register()
	c, err := newResponseChecker(s.routes)
	if err != nil {
		panic(err)
	}
	return c
})

// checkResponse is the tests' hook: it fails t on a mismatch.
func checkResponse(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if err := checker().Check(req, status, header, body); err != nil {
		t.Error(err)
	}
}

// TestMain reports how many responses were validated and, when the whole
// suite ran, fails if an operation never answered a test: each route has a
// test whose response proves its description (a new route without one, or
// with the wrong types, fails here).
func TestMain(m *testing.M) {
	code := m.Run()
	c := checker()
	unseen := c.Unseen()
	fmt.Fprintf(os.Stderr, "openapi: %d API responses validated against /api/openapi.json, %d of %d operations covered\n", c.Validated(), c.operations()-len(unseen), c.operations())
	if f := flag.Lookup("test.run"); code == 0 && f != nil && f.Value.String() == "" && len(unseen) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: no test received a response from %v; add one so its description is checked\n", unseen)
		code = 1
	}
	os.Exit(code)
}

// checkingTransport validates every answer a client (the generated one)
// receives.
type checkingTransport struct{ t testing.TB }

func (c checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	checkResponse(c.t, req, res.StatusCode, res.Header, body)
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, nil
}
