package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/execution"
	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// The SPA's Wails transport parses the error message as JSON
// {"status": N, "error": "..."}: every error a binding returns must be one.
func TestErrorsAreTheSPAsJSON(t *testing.T) {
	cases := []struct {
		err    error
		status int
		msg    string
	}{
		{store.ErrNotFound, 404, "not found"},
		{fmt.Errorf("get: %w", store.ErrNotFound), 404, "not found"},
		{&execution.Error{Kind: execution.KindConflict, Msg: "job x is referenced by schedule(s) s1"}, 409, "job x is referenced by schedule(s) s1"},
		{&execution.Error{Kind: execution.KindTimeout, Msg: "no result"}, 408, "no result"},
		{&execution.Error{Kind: execution.KindGatewayTimeout, Msg: "agent silent"}, 504, "agent silent"},
		{&execution.Error{Kind: execution.KindBadGateway, Msg: "no responders"}, 502, "no responders"},
		{&execution.Error{Kind: execution.KindInvalid, Msg: "bad"}, 400, "bad"},
		{errUnavailable("restarting"), 503, "restarting"},
		{badRequest("limit must be a non-negative integer"), 400, "limit must be a non-negative integer"},
		{unprocessable("invalid body: x"), 422, "invalid body: x"},
		{tooLarge("too big"), 413, "too big"},
		{errors.New(`boom "quoted"` + "\n"), 500, `boom "quoted"` + "\n"},
		{BadRequest("settings"), 400, "settings"},
	}
	for _, c := range cases {
		je := toJSONError(c.err)
		var got struct {
			Status int    `json:"status"`
			Error  string `json:"error"`
		}
		if err := json.Unmarshal([]byte(je.Error()), &got); err != nil {
			t.Fatalf("%v: message is not JSON: %q", c.err, je.Error())
		}
		if got.Status != c.status || got.Error != c.msg {
			t.Errorf("%v: got %d %q, want %d %q", c.err, got.Status, got.Error, c.status, c.msg)
		}
	}
}

func intp(n int) *int { return &n }

func TestPagingRulesMatchTheHTTPAPI(t *testing.T) {
	cases := []struct {
		req        PageRequest
		limit, off int
		wantErr    bool
	}{
		{PageRequest{}, 50, 0, false},
		{PageRequest{Limit: intp(10), Offset: intp(20)}, 10, 20, false},
		{PageRequest{Limit: intp(5000)}, 1000, 0, false},
		{PageRequest{Limit: intp(0)}, 0, 0, false},
		{PageRequest{Limit: intp(-1)}, 0, 0, true},
		{PageRequest{Offset: intp(-1)}, 0, 0, true},
	}
	for _, c := range cases {
		p, err := c.req.page()
		if (err != nil) != c.wantErr {
			t.Errorf("%+v: err %v", c.req, err)
			continue
		}
		if err == nil && (p.Limit != c.limit || p.Offset != c.off) {
			t.Errorf("%+v: got %+v", c.req, p)
		}
		if err != nil && toJSONError(err).Status != 400 {
			t.Errorf("%+v: status %d", c.req, toJSONError(err).Status)
		}
	}
	all := []int{1, 2, 3, 4, 5}
	if got := window(all, store.Page{Limit: 2, Offset: 3}); !reflect.DeepEqual(got, []int{4, 5}) {
		t.Errorf("window: %v", got)
	}
	if got := window(all, store.Page{Limit: 2, Offset: 9}); len(got) != 0 {
		t.Errorf("window past the end: %v", got)
	}
}

// Requests with a wire body keep the object exactly as sent (unknown keys
// included, for the wire decoders' own checks) and never fail at argument
// parsing, which Wails would report as a plain-text error.
func TestRawRequestsKeepTheBody(t *testing.T) {
	var r ExecJobRequest
	in := `{"job_id":"j1","target":{"pcs":["PC1"]},"jitter":"5s","extra":1}`
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.JobID != "j1" || r.Jitter == nil || *r.Jitter != "5s" || !reflect.DeepEqual(r.Target.PCs, []string{"PC1"}) {
		t.Errorf("typed fields: %+v", r)
	}
	body, err := r.raw.body("job_id")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(body, &m)
	if _, ok := m["job_id"]; ok || m["extra"] != 1.0 || m["jitter"] != "5s" {
		t.Errorf("body: %s", body)
	}

	// A wrong type is reported later by the wire decoder (with a status),
	// not by the argument parser.
	var bad PutPcConfigRequest
	if err := json.Unmarshal([]byte(`{"pc_id":"PC1","heartbeat_interval":30}`), &bad); err != nil {
		t.Fatalf("argument parsing failed: %v", err)
	}
	if bad.PCID != "PC1" {
		t.Errorf("pc_id lost: %+v", bad)
	}
	var scope wire.ConfigScope
	b, _ := bad.raw.body("pc_id")
	if err := decodeBody(b, &scope); err == nil || toJSONError(err).Status != 422 {
		t.Errorf("decodeBody: %v", err)
	}
	if err := decodeBody([]byte(`{"a":`), &scope); err == nil || toJSONError(err).Status != 400 {
		t.Errorf("malformed: %v", err)
	}

	// No raw object (called with nothing): an empty body.
	var empty RunScriptRequest
	if b, err := empty.raw.body(); err != nil || string(b) != "{}" {
		t.Errorf("empty body: %s %v", b, err)
	}
}

// Every op of the SPA's op table (frontend/src/api/ops.ts) is a method of
// App, with one argument and (result, error) or error.
func TestEveryOpIsBound(t *testing.T) {
	ops := opNamesFromOpsTS(t)
	if len(ops) != 60 { // 56 + 4 of the connect guide
		t.Fatalf("ops.ts has %d ops, want 60", len(ops))
	}
	typ := reflect.TypeOf(&App{})
	errType := reflect.TypeOf((*error)(nil)).Elem()
	for _, name := range ops {
		m, ok := typ.MethodByName(name)
		if !ok {
			t.Errorf("no binding for op %s", name)
			continue
		}
		if m.Type.NumIn() != 2 {
			t.Errorf("%s takes %d arguments, want one request", name, m.Type.NumIn()-1)
		}
		if in := m.Type.In(1); in.Kind() != reflect.Struct {
			t.Errorf("%s: request is %s, want a struct", name, in)
		}
		last := m.Type.Out(m.Type.NumOut() - 1)
		if last != errType || m.Type.NumOut() > 2 {
			t.Errorf("%s: results %v", name, m.Type)
		}
	}
}

func TestOpsTSParser(t *testing.T) {
	names := opNamesFromOpsTS(t)
	if names[0] != "Health" || !strings.HasPrefix(names[len(names)-1], "Publish") {
		t.Errorf("parsed %v", names)
	}
}
