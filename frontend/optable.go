package frontend

import (
	"embed"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The SPA's op tables: ops.ts (the fleet ops) and auth.ts (the account
// routes, named like ops). They are the one place that says which HTTP
// route an op is; the desktop bindings (package app) read them from here to
// authorize each call with that route's rule (backend/api.Authorize), so Go
// keeps no second copy of the op → route map that could drift.
//
//go:embed src/api/ops.ts src/api/auth.ts
var opTables embed.FS

// Op is one op of the SPA's op tables: the route it calls over HTTP.
type Op struct {
	Name   string
	Method string
	Path   string // the route pattern, e.g. /api/agents/{pc_id}
}

var (
	opHead     = regexp.MustCompile(`(?m)^  ([A-Z][A-Za-z]+): \{`)
	opMethod   = regexp.MustCompile(`method: "([A-Z]+)"`)
	opPath     = regexp.MustCompile(`path: "([^"]+)"`)
	authOpSpec = regexp.MustCompile(`(?m)^  ([A-Z][A-Za-z]+): spec\("([A-Z]+)", "([^"]+)"`)
)

// parseOps reads the two tables. Both are plain literals, one op per
// object (ops.ts) or spec(method, path, …) call (auth.ts).
func parseOps(opsTS, authTS string) (map[string]Op, error) {
	out := map[string]Op{}
	start := strings.Index(opsTS, "export const ops = {")
	end := strings.Index(opsTS, "} as const satisfies")
	if start < 0 || end < start {
		return nil, fmt.Errorf("ops.ts: the op table is not found")
	}
	table := opsTS[start:end]
	heads := opHead.FindAllStringSubmatchIndex(table, -1)
	for i, h := range heads {
		stop := len(table)
		if i+1 < len(heads) {
			stop = heads[i+1][0]
		}
		body := table[h[1]:stop]
		name := table[h[2]:h[3]]
		m, p := opMethod.FindStringSubmatch(body), opPath.FindStringSubmatch(body)
		if m == nil || p == nil {
			return nil, fmt.Errorf("ops.ts: op %s has no method or path", name)
		}
		out[name] = Op{Name: name, Method: m[1], Path: p[1]}
	}
	auth := authOpSpec.FindAllStringSubmatch(authTS, -1)
	if len(heads) == 0 || len(auth) == 0 {
		return nil, fmt.Errorf("op tables: found %d ops in ops.ts and %d in auth.ts", len(heads), len(auth))
	}
	for _, m := range auth {
		if _, dup := out[m[1]]; dup {
			return nil, fmt.Errorf("auth.ts: op %s is also in ops.ts", m[1])
		}
		out[m[1]] = Op{Name: m[1], Method: m[2], Path: m[3]}
	}
	return out, nil
}

var ops = sync.OnceValues(func() (map[string]Op, error) {
	o, err := opTables.ReadFile("src/api/ops.ts")
	if err != nil {
		return nil, err
	}
	a, err := opTables.ReadFile("src/api/auth.ts")
	if err != nil {
		return nil, err
	}
	return parseOps(string(o), string(a))
})

// Ops returns every op of the SPA's op tables by name. An error means the
// tables did not parse (a test catches that before a build ships).
func Ops() (map[string]Op, error) { return ops() }

// OpRoute is the route of one op; ok is false for a name no table has (or
// when the tables do not parse).
func OpRoute(name string) (Op, bool) {
	all, err := ops()
	if err != nil {
		return Op{}, false
	}
	op, ok := all[name]
	return op, ok
}
