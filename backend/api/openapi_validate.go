package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Response validation against the description, by kin-openapi (a library
// this project did not write). The API tests check every response they
// receive; `serve` does the same for the browser suite when
// KANADE_OPENAPI_VALIDATE=1 (Options.ValidateResponses): each mismatch is
// logged as an error, and the counts ride on every response in the
// X-Kanade-OpenAPI-Validated and -Mismatches headers for scripts/e2e.sh.
// It buffers whole bodies, so it is for tests, not production.

// ResponseChecker validates responses against their operation.
type ResponseChecker struct {
	doc        *openapi3.T
	routes     *http.ServeMux // the route table's patterns, to find a request's operation
	validated  atomic.Int64
	mismatches atomic.Int64
	seen       sync.Map // "METHOD /path" -> struct{}: operations with a validated response
}

// maxCheckedBody bounds the copy kept of one response body.
const maxCheckedBody = 16 << 20

func newResponseChecker(routes []route) (*ResponseChecker, error) {
	b, err := json.Marshal(openAPIDocument(routes, "static"))
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		pattern, _ := muxPattern(rt)
		mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return &ResponseChecker{doc: doc, routes: mux}, nil
}

// Check validates one response. Requests no operation answers (the SPA,
// unknown /api/ paths, a method a path does not have) are not counted.
func (c *ResponseChecker) Check(req *http.Request, status int, header http.Header, body []byte) error {
	probe := req.Clone(context.Background())
	pattern := routePattern(c.routes, probe)
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method != req.Method {
		return nil
	}
	item := c.doc.Paths.Value(path)
	if item == nil {
		return fmt.Errorf("%s is not in the description", pattern)
	}
	params := map[string]string{}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		params[m[1]] = probe.PathValue(m[1])
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params,
			Route: &routers.Route{Spec: c.doc, Path: path, PathItem: item, Method: method, Operation: item.GetOperation(method)},
		},
		Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		c.mismatches.Add(1)
		return fmt.Errorf("%s %s answered %d, which does not match the description: %v\nbody: %.600s", req.Method, req.URL.Path, status, err, body)
	}
	c.validated.Add(1)
	c.seen.Store(pattern, struct{}{})
	return nil
}

func (c *ResponseChecker) operations() int {
	n := 0
	for _, item := range c.doc.Paths.Map() {
		n += len(item.Operations())
	}
	return n
}

// Unseen lists the operations no validated response has come from yet.
func (c *ResponseChecker) Unseen() []string {
	var out []string
	for _, p := range c.doc.Paths.InMatchingOrder() {
		for method := range c.doc.Paths.Value(p).Operations() {
			if _, ok := c.seen.Load(method + " " + p); !ok {
				out = append(out, method+" "+p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Validated is how many responses matched.
func (c *ResponseChecker) Validated() int64 { return c.validated.Load() }

// teeWriter passes a response through and keeps a copy of it.
type teeWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	over   bool
}

func (t *teeWriter) WriteHeader(code int) {
	if t.status == 0 {
		t.status = code
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *teeWriter) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	if t.body.Len()+len(b) <= maxCheckedBody {
		t.body.Write(b)
	} else {
		t.over = true
	}
	return t.ResponseWriter.Write(b)
}

func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// validating serves r through next and checks what it answered.
func (s *Server) validating(w http.ResponseWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
	c := s.checker
	w.Header().Set("X-Kanade-OpenAPI-Validated", strconv.FormatInt(c.validated.Load(), 10))
	w.Header().Set("X-Kanade-OpenAPI-Mismatches", strconv.FormatInt(c.mismatches.Load(), 10))
	tee := &teeWriter{ResponseWriter: w}
	next(tee, r)
	if tee.over || tee.status == 0 {
		return
	}
	if err := c.Check(r, tee.status, w.Header(), tee.body.Bytes()); err != nil {
		s.log.Error("openapi response mismatch", "err", err)
	}
}
