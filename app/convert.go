package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// strictRecode makes recode fail on a JSON key the target type lacks. Tests
// turn it on, so a field added to a backend type but not to its binding type
// here fails a test instead of silently vanishing from the desktop UI.
var strictRecode = false

// recode re-shapes a backend value into its binding type through JSON: the
// binding types below describe exactly the JSON the HTTP API sends, so the
// desktop UI receives the same bytes-for-bytes shapes as the browser.
func recode[T any](v any) (T, error) {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		return out, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if strictRecode {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&out); err != nil {
		return out, fmt.Errorf("binding: re-shaping %T: %w", v, err)
	}
	return out, nil
}

// recodeItems re-shapes a page of backend rows; never nil, so the SPA
// always gets an array.
func recodeItems[T any, S any](rows []S) ([]T, error) {
	items, err := recode[[]T](rows)
	if items == nil {
		items = []T{}
	}
	return items, err
}

// page applies the HTTP API's paging rules: limit defaults to 50 and is
// capped at 1000, offset defaults to 0, negatives are a 400.
func (p PageRequest) page() (store.Page, error) {
	out := store.Page{Limit: 50}
	if p.Limit != nil {
		if *p.Limit < 0 {
			return out, badRequest("limit must be a non-negative integer")
		}
		out.Limit = min(*p.Limit, 1000)
	}
	if p.Offset != nil {
		if *p.Offset < 0 {
			return out, badRequest("offset must be a non-negative integer")
		}
		out.Offset = *p.Offset
	}
	return out, nil
}

// window slices a list the service returns whole (catalog-sized lists),
// like the HTTP API's paging of jobs, schedules, releases and probes.
func window[T any](all []T, p store.Page) []T {
	start := min(p.Offset, len(all))
	return all[start:min(start+p.Limit, len(all))]
}

// timeParam reads an optional RFC 3339 filter.
func timeParam(name string, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := wire.ParseTime(v)
	if err != nil {
		return nil, badRequest("%s must be an RFC 3339 timestamp", name)
	}
	return &t, nil
}

// rawRequest keeps the request object exactly as the SPA sent it, for ops
// whose body is a kanade wire type: the wire decoders (required fields,
// defaults, deny_unknown_fields) then see the same JSON an HTTP body would
// carry, not a re-encoding of the typed fields.
type rawRequest struct {
	raw json.RawMessage
}

func (r *rawRequest) keep(b []byte) { r.raw = append(json.RawMessage(nil), b...) }

// body is the request object without the given keys (the path parameters),
// i.e. the JSON body the HTTP route would receive.
func (r rawRequest) body(pathKeys ...string) ([]byte, error) {
	if len(r.raw) == 0 {
		return []byte("{}"), nil
	}
	if len(pathKeys) == 0 {
		return r.raw, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(r.raw, &obj); err != nil || obj == nil {
		return nil, badRequest("the request must be a JSON object")
	}
	for _, k := range pathKeys {
		delete(obj, k)
	}
	return json.Marshal(obj)
}

// decodeBody decodes a wire body with the HTTP API's codes: 400 for
// malformed JSON, 422 for JSON of the wrong shape.
func decodeBody(body []byte, v any) error {
	if !json.Valid(body) {
		return badRequest("malformed JSON body")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return unprocessable("invalid body: %v", err)
	}
	return nil
}

// lenientDecode fills the typed fields of a request for the Go side without
// ever failing the call at argument parsing (Wails would turn that into a
// plain-text error): shape errors are reported by the wire decoder instead,
// with a proper status.
func lenientDecode(b []byte, v any) {
	_ = json.Unmarshal(b, v)
}
