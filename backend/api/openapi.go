package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/store"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// api is what an operation takes and returns, next to its route so a new
// route cannot ship without it (TestOpenAPIDescribesEveryRoute).
type api struct {
	query  []param
	in     reflect.Type // JSON request body; nil for none
	yaml   bool         // the body may also be YAML
	upload bool         // multipart/form-data with a file field
	out    reflect.Type // 200 body; nil: 204 No Content
	list   bool         // out is the element type of a list with X-Total-Count
	total  bool         // out is an object whose rows are counted in X-Total-Count
	text   bool         // 200 is text/plain
	also   []int        // further statuses answered with the out body (503)
	// conflict is the 409 body when it says more than Error (nil: Error)
	conflict reflect.Type
	status   int // the success status when not 200/204 (201), or 200 without out
}

// param is a query parameter.
type param struct {
	name, doc string
	schema    map[string]any
}

func returns[T any](query ...param) api { return api{out: reflect.TypeFor[T](), query: query} }

// listOf is a list answer: a JSON array with the total in X-Total-Count.
func listOf[T any](query ...param) api {
	return api{out: reflect.TypeFor[T](), list: true, query: query}
}

func noContent204(query ...param) api { return api{query: query} }

func textOut(query ...param) api { return api{text: true, query: query} }

// takes sets the JSON request body type.
func (a api) takes(t reflect.Type) api { a.in = t; return a }

func (a api) orYAML() api { a.yaml = true; return a }

func (a api) uploads() api { a.upload = true; return a }

func (a api) alsoOn(status ...int) api { a.also = status; return a }

func (a api) counted() api { a.total = true; return a }

func (a api) conflictsWith(t reflect.Type) api { a.conflict = t; return a }

// answers sets the success status (201 Created; 200 for an empty 200).
func (a api) answers(status int) api { a.status = status; return a }

func bodyOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

func strQ(name, doc string) param {
	return param{name, doc, map[string]any{"type": "string"}}
}

func enumQ(name, doc string, values ...string) param {
	return param{name, doc, map[string]any{"type": "string", "enum": values}}
}

func intQ(name, doc string, def, lo, hi int) param {
	s := map[string]any{"type": "integer", "minimum": lo}
	if def != 0 {
		s["default"] = def
	}
	if hi > 0 {
		s["maximum"] = hi
	}
	return param{name, doc, s}
}

func timeQ(name, doc string) param {
	return param{name, doc, map[string]any{"type": "string", "format": "date-time"}}
}

func boolQ(name, doc string) param {
	return param{name, doc, map[string]any{"type": "boolean", "default": false}}
}

// paging is limit/offset of the lists that page by default (page()).
var paging = []param{
	intQ("limit", "page size (default 50, values above 1000 read as 1000)", 50, 0, 0),
	intQ("offset", "rows to skip", 0, 0, 0),
}

// pagingOrAll is limit/offset of the lists that answer every row without
// limit, like kanade 0.29 (pageOrAll()).
var pagingOrAll = []param{
	intQ("limit", "page size (values above 1000 read as 1000); without it every row", 0, 0, 0),
	intQ("offset", "rows to skip", 0, 0, 0),
}

// historyParams are the inventory history routes' query parameters;
// fleet adds kind and until (the fleet search's own).
func historyParams(def int, fleet bool) []param {
	ps := []param{
		intQ("limit", "page size (at most 5000)", def, 1, 5000),
		intQ("offset", "rows to skip", 0, 0, 0),
		strQ("field", "field_path: the explode field or history scalar"),
		timeQ("since", "observed at or after"),
	}
	if fleet {
		ps = append(ps, enumQ("kind", "change kind", "added", "removed", "changed"), timeQ("until", "observed before"))
	}
	return ps
}

func with(ps []param, more ...param) []param { return append(append([]param(nil), ps...), more...) }

// openapi serves the description of every registered route.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.OpenAPIDocument())
}

// OpenAPIDocument is the OpenAPI 3.1 description /api/openapi.json serves
// (the desktop app shows it without an HTTP listener).
func (s *Server) OpenAPIDocument() map[string]any {
	return openAPIDocument(s.routes, s.auth.Mode())
}

// openAPIDocument builds the OpenAPI 3.1 description from the route table.
// mode (auth.Mode*) decides whether the bearer token is required.
func openAPIDocument(routes []route, mode string) map[string]any {
	g := newSchemaSet()
	g.defs["Error"] = g.object(reflect.TypeFor[errorBody](), reflect.TypeFor[errorBody]())
	errResp := func(what string) map[string]any {
		return map[string]any{"description": what, "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
	}
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		a := rt.api
		op := map[string]any{"summary": rt.summary, "operationId": operationID(rt.method, rt.path)}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range a.query {
			p := map[string]any{"name": q.name, "in": "query", "schema": q.schema}
			if q.doc != "" {
				p["description"] = q.doc
			}
			params = append(params, p)
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if a.in != nil {
			body := g.of(a.in)
			content := map[string]any{"application/json": map[string]any{"schema": body}}
			if a.yaml {
				content["application/yaml"] = map[string]any{"schema": body}
			}
			op["requestBody"] = map[string]any{"required": true, "content": content}
		}
		if a.upload {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": map[string]any{
				"type": "object", "required": []string{"file"},
				"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}},
			}}}}
		}
		responses := map[string]any{
			"4XX": errResp("The request was refused: bad parameters or body (400, 413, 415, 422), no or a wrong token (401), a Host not allowed (403/421), not found (404), a conflict (409)"),
			"5XX": errResp("The console could not answer: database, NATS or agent unavailable (502/503/504)"),
		}
		if a.conflict != nil {
			responses["409"] = map[string]any{"description": "Conflict", "content": map[string]any{"application/json": map[string]any{"schema": g.of(a.conflict)}}}
		}
		switch {
		case a.text:
			responses["200"] = map[string]any{"description": "OK", "content": map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}}
		case a.out == nil && a.status != 0:
			responses[strconv.Itoa(a.status)] = map[string]any{"description": "Done (empty body)"}
		case a.out == nil:
			responses["204"] = map[string]any{"description": "Done"}
		default:
			schema := g.of(a.out)
			ok := map[string]any{"description": "OK"}
			if a.list {
				schema = map[string]any{"type": "array", "items": schema}
			}
			if a.list || a.total {
				ok["headers"] = map[string]any{
					"X-Total-Count":        map[string]any{"description": "rows matching the filters, all pages", "schema": map[string]any{"type": "integer", "minimum": 0}},
					"X-Total-Count-Capped": map[string]any{"description": "\"true\" when the count stopped at " + strconv.Itoa(store.CountCap) + " (the total is at least that)", "schema": map[string]any{"type": "string", "enum": []string{"true"}}},
				}
			}
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
			code := "200"
			if a.status != 0 {
				code = strconv.Itoa(a.status)
			}
			responses[code] = ok
			for _, st := range a.also {
				also := clone(ok)
				also["description"] = http.StatusText(st)
				responses[strconv.Itoa(st)] = also
			}
		}
		op["responses"] = responses
		if rt.access == needPublic {
			op["security"] = []any{}
		}
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = op
	}
	security := []any{map[string]any{"bearer": []any{}}}
	if mode == auth.ModeDisabled || mode == auth.ModeOpenLoopback {
		security = append(security, map[string]any{}) // open mode: a token is not needed
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "kanade console API", "version": "0.29-compatible", "description": "kanade-backend 0.29 routes plus console extensions; see docs/API.md. " +
			"Lists answer a JSON array with the total in X-Total-Count. Errors are {\"error\": \"...\"}. " +
			"Authentication: Authorization: Bearer with the static token (an admin) or a sign-in token from POST /api/auth/login (HS256 JWT); each route needs a role (viewer, operator, admin) and 403 names it; a console started without a token or secret is open on loopback (auth mode " + mode + " here)."},
		"paths":    paths,
		"security": security,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "The static token (KANADE_AUTH_STATIC_TOKEN) or a sign-in token from POST /api/auth/login (an HS256 JWT signed with the JWT secret, or the console's own when none is set)."}},
			"schemas":         g.defs,
		},
	}
}

func operationID(method, path string) string {
	parts := []string{strings.ToLower(method)}
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		seg = strings.Trim(seg, "{}")
		seg = strings.NewReplacer("-", "_", ".", "_").Replace(seg)
		if seg != "" && seg != "api" {
			parts = append(parts, seg)
		}
	}
	return strings.Join(parts, "_")
}
