package api

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// tsOp is one op of the SPA's op table (frontend/src/api/ops.ts).
type tsOp struct {
	name, method, path, result string
	query                      []string
}

// opsFromOpsTS reads the op table: each op's method, path, query keys and
// result kind. The table is plain object literals, one field per key.
func opsFromOpsTS(t *testing.T) []tsOp {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "api", "ops.ts"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	consts := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^const ([A-Z_]+) = \[([^\]]*)\] as const;`).FindAllStringSubmatch(s, -1) {
		consts[m[1]] = quoted(m[2])
	}
	start := strings.Index(s, "export const ops = {")
	end := strings.Index(s, "} as const satisfies")
	if start < 0 || end < start {
		t.Fatal("ops.ts: op table not found")
	}
	table := s[start:end]
	heads := regexp.MustCompile(`(?m)^  ([A-Z][A-Za-z]+): \{`).FindAllStringSubmatchIndex(table, -1)
	field := func(body, key string) string {
		m := regexp.MustCompile(key + `: "([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	var ops []tsOp
	for i, h := range heads {
		stop := len(table)
		if i+1 < len(heads) {
			stop = heads[i+1][0]
		}
		body := table[h[1]:stop]
		op := tsOp{name: table[h[2]:h[3]], method: field(body, "method"), path: field(body, "path"), result: field(body, "result")}
		if m := regexp.MustCompile(`query: (\[[^\]]*\]|[A-Z_]+)`).FindStringSubmatch(body); m != nil {
			for _, part := range strings.Split(strings.Trim(m[1], "[]"), ",") {
				part = strings.TrimSpace(part)
				if name, ok := strings.CutPrefix(part, "..."); ok {
					op.query = append(op.query, consts[name]...)
				} else if c, ok := consts[part]; ok {
					op.query = append(op.query, c...)
				} else if part != "" {
					op.query = append(op.query, quoted(part)...)
				}
			}
		}
		ops = append(ops, op)
	}
	return append(ops, opsFromAuthTS(t)...)
}

// opsFromAuthTS reads the account routes' table (frontend/src/api/auth.ts),
// one spec(method, path, body, result, doc) call per op.
func opsFromAuthTS(t *testing.T) []tsOp {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "api", "auth.ts"))
	if err != nil {
		t.Fatal(err)
	}
	var ops []tsOp
	for _, m := range regexp.MustCompile(`(?m)^  ([A-Z][A-Za-z]+): spec\("([A-Z]+)", "([^"]+)", (?:true|false), "([a-z]+)"`).FindAllStringSubmatch(string(src), -1) {
		ops = append(ops, tsOp{name: m[1], method: m[2], path: m[3], result: m[4]})
	}
	if len(ops) == 0 {
		t.Fatal("auth.ts: no account ops found")
	}
	return ops
}

func quoted(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// Every op of ops.ts is a route of the server with the same method and
// path, the same query parameters and the same kind of answer, and every
// route is an op (the desktop app reaches the API only through ops). A
// route renamed on one side only fails here instead of as a 404 in the
// browser.
func TestOpsTSMatchesTheRouteTable(t *testing.T) {
	s := New(nil, nil, quiet)
	routes := map[string]route{}
	for _, rt := range s.routes {
		routes[rt.method+" "+rt.path] = rt
	}
	ops := opsFromOpsTS(t)
	if len(ops) < 50 {
		t.Fatalf("parsed only %d ops from ops.ts", len(ops))
	}
	seen := map[string]bool{}
	for _, op := range ops {
		key := op.method + " " + op.path
		rt, ok := routes[key]
		if !ok {
			t.Errorf("ops.ts %s: %s is not in the route table (backend/api/server.go)", op.name, key)
			continue
		}
		seen[key] = true
		var params []string
		for _, p := range rt.api.query {
			params = append(params, p.name)
		}
		slices.Sort(params)
		q := slices.Sorted(slices.Values(op.query))
		if !slices.Equal(q, params) {
			t.Errorf("ops.ts %s (%s): query %v, the route takes %v", op.name, key, q, params)
		}
		if want := resultKind(rt.api); op.result != want {
			t.Errorf("ops.ts %s (%s): result %q, the route answers %q", op.name, key, op.result, want)
		}
	}
	for key := range routes {
		if !seen[key] {
			t.Errorf("route %s has no op in ops.ts", key)
		}
	}
}

// resultKind is the ops.ts result of a route's answer.
func resultKind(a api) string {
	switch {
	case a.text:
		return "text"
	case a.list:
		return "list"
	case a.out == nil:
		return "none"
	}
	return "json"
}

// The parser reads what the table says (a guard against a parser that
// finds nothing and so compares nothing).
func TestOpsTSParser(t *testing.T) {
	ops := opsFromOpsTS(t)
	byName := map[string]tsOp{}
	for _, op := range ops {
		byName[op.name] = op
	}
	la := byName["ListAgents"]
	if la.method != "GET" || la.path != "/api/agents" || la.result != "list" || !slices.Contains(la.query, "status") || !slices.Contains(la.query, "offset") {
		t.Errorf("ListAgents parsed as %+v", la)
	}
	if dj := byName["DeleteJob"]; dj.method != "DELETE" || dj.result != "none" {
		t.Errorf("DeleteJob parsed as %+v", dj)
	}
}
