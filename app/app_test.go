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
		{invalid("limit must be a non-negative integer"), 400, "limit must be a non-negative integer"},
		{&execution.Error{Kind: execution.KindUnprocessable, Msg: "invalid body: x"}, 422, "invalid body: x"},
		{&execution.Error{Kind: execution.KindTooLarge, Msg: "too big"}, 413, "too big"},
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

// The binding pages catalog lists the service returns whole like the HTTP
// API (the rules themselves are console.Paging's, tested there).
func TestWindowPagesAWholeList(t *testing.T) {
	all := []int{1, 2, 3, 4, 5}
	if got := window(all, store.Page{Limit: 2, Offset: 3}); !reflect.DeepEqual(got, Page[int]{Items: []int{4, 5}, Total: 5}) {
		t.Errorf("window: %v", got)
	}
	if got := window(all, store.Page{Limit: 2, Offset: 9}); len(got.Items) != 0 || got.Items == nil || got.Total != 5 {
		t.Errorf("window past the end: %#v", got)
	}
}

// Requests with a wire body keep the object exactly as sent (unknown keys
// included, for the wire decoders' own checks) and never fail at argument
// parsing, which Wails would report as a plain-text error.
func TestJSONBodyKeepsTheObject(t *testing.T) {
	var r JSONBody
	in := `{"job_id":"j1","target":{"pcs":["PC1"]},"jitter":"5s","extra":1}`
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	jobID, err := r.split("job_id", &m)
	if err != nil || jobID != "j1" {
		t.Fatalf("split: %q %v", jobID, err)
	}
	if _, ok := m["job_id"]; ok || m["extra"] != 1.0 || m["jitter"] != "5s" {
		t.Errorf("body: %v", m)
	}

	// A wrong type is reported by the wire decoder (with a status), not by
	// the argument parser.
	var bad JSONBody
	if err := json.Unmarshal([]byte(`{"pc_id":"PC1","heartbeat_interval":30}`), &bad); err != nil {
		t.Fatalf("argument parsing failed: %v", err)
	}
	var scope wire.ConfigScope
	if pc, err := bad.split("pc_id", &scope); pc != "PC1" || err == nil || toJSONError(err).Status != 422 {
		t.Errorf("split: %q %v", pc, err)
	}
	for raw, status := range map[string]int{`{"pc_id":7}`: 400, `[1]`: 400, `"x"`: 400} {
		var b JSONBody
		json.Unmarshal([]byte(raw), &b)
		if _, err := b.split("pc_id", &scope); err == nil || toJSONError(err).Status != status {
			t.Errorf("%s: %v, want %d", raw, err, status)
		}
	}

	// No object (called with nothing): an empty body.
	var empty JSONBody
	var run map[string]any
	if _, err := empty.split("", &run); err != nil || len(run) != 0 {
		t.Errorf("empty body: %v %v", run, err)
	}
}

// Every op of the SPA's op table (frontend/src/api/ops.ts) is a method of
// App, with one argument and (result, error) or error.
func TestEveryOpIsBound(t *testing.T) {
	ops := opNamesFromOpsTS(t)
	if len(ops) != 66 { // 56 + 4 of the connect guide + the result tail + 5 inventory search/history
		t.Fatalf("ops.ts has %d ops, want 66", len(ops))
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
