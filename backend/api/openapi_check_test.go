package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/kanade-console/kanade-console/backend/auth"
)

// Every response the API tests receive through env.do and get is checked
// against its operation in the description by kin-openapi's
// openapi3filter; a mismatch fails the test that made the request.

type responseChecker struct {
	doc       *openapi3.T
	routes    *Server // the route table, to find a request's operation
	validated atomic.Int64
}

var checker = sync.OnceValue(func() *responseChecker {
	s := &Server{mux: http.NewServeMux()}
	s.register()
	b, err := jsonBytes(openAPIDocument(s.routes, auth.ModeStatic))
	if err != nil {
		panic(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		panic(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		panic(err)
	}
	return &responseChecker{doc: doc, routes: s}
})

// check validates one response; it returns nil for requests no operation
// answers (the SPA, unknown /api/ paths, a method a path does not have).
func (c *responseChecker) check(req *http.Request, status int, header http.Header, body []byte) error {
	if req.URL.Path == "/" || !(strings.HasPrefix(req.URL.Path, "/api/") || req.URL.Path == "/metrics" || req.URL.Path == "/health" || req.URL.Path == "/healthz" || req.URL.Path == "/readyz") {
		return nil
	}
	probe := req.Clone(context.Background())
	_, pattern := c.routes.mux.Handler(probe)
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method != req.Method {
		return nil
	}
	item := c.doc.Paths.Value(path)
	if item == nil {
		return fmt.Errorf("%s is not in the description", pattern)
	}
	op := item.GetOperation(method)
	params := map[string]string{}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		params[m[1]] = probe.PathValue(m[1])
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params,
			Route: &routers.Route{Spec: c.doc, Path: path, PathItem: item, Method: method, Operation: op},
		},
		Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s answered %d, which does not match the description: %v\nbody: %.600s", req.Method, req.URL.Path, status, err, body)
	}
	c.validated.Add(1)
	return nil
}

// checkResponse is the tests' hook: it fails t on a mismatch.
func checkResponse(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	if err := checker().check(req, status, header, body); err != nil {
		t.Error(err)
	}
}

func jsonBytes(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := jsonEncode(&buf, v)
	return buf.Bytes(), err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if n := checker().validated.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "openapi: %d API responses validated against /api/openapi.json\n", n)
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
