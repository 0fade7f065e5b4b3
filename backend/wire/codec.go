package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Marshal encodes v as JSON without HTML escaping and without a trailing
// newline — the same bytes serde_json produces for the wire types in this
// package. Prefer it over json.Marshal for anything stored or published.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// object is one JSON object with its keys kept exactly as written.
//
// encoding/json matches keys case-insensitively and lets a repeated key
// silently win; serde does neither. Every UnmarshalJSON in this package goes
// through object so Go readers accept exactly what the agents accept:
// exact key names, a known key at most once, and per-field rules for
// required / defaulted / optional values.
type object struct {
	typ    string
	keys   []string // document order, each key once
	fields map[string]json.RawMessage
	dup    map[string]bool
	known  map[string]bool
}

func parseObject(typ string, data []byte) (*object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &DecodeError{Type: typ, Err: err}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &DecodeError{Type: typ, Err: fmt.Errorf("%w: expected a JSON object, got %s", ErrInvalidType, tokenKind(tok))}
	}
	o := &object{
		typ:    typ,
		fields: map[string]json.RawMessage{},
		dup:    map[string]bool{},
		known:  map[string]bool{},
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &DecodeError{Type: typ, Err: err}
		}
		key, _ := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &DecodeError{Type: typ, Path: key, Err: err}
		}
		if _, seen := o.fields[key]; seen {
			o.dup[key] = true
		} else {
			o.keys = append(o.keys, key)
		}
		o.fields[key] = raw
	}
	if _, err := dec.Token(); err != nil { // closing '}'
		return nil, &DecodeError{Type: typ, Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &DecodeError{Type: typ, Err: fmt.Errorf("%w: trailing data after object", ErrInvalidType)}
	}
	return o, nil
}

func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return "an object"
	}
	return fmt.Sprintf("%T", tok)
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// lookup marks key as known and returns its raw value (nil when absent).
func (o *object) lookup(key string) (json.RawMessage, bool, error) {
	o.known[key] = true
	if o.dup[key] {
		return nil, false, &DecodeError{Type: o.typ, Path: key, Err: ErrDuplicateField}
	}
	raw, ok := o.fields[key]
	return raw, ok, nil
}

func (o *object) decode(key string, raw json.RawMessage, dst any) error {
	if err := json.Unmarshal(raw, dst); err != nil {
		return nestError(o.typ, key, err)
	}
	return nil
}

// required decodes a field without a serde default: absent or null is an error.
func (o *object) required(key string, dst any) error {
	raw, ok, err := o.lookup(key)
	if err != nil {
		return err
	}
	if !ok {
		return &DecodeError{Type: o.typ, Path: key, Err: ErrMissingField}
	}
	if isNull(raw) {
		return &DecodeError{Type: o.typ, Path: key, Err: fmt.Errorf("%w: null is not allowed", ErrInvalidType)}
	}
	return o.decode(key, raw, dst)
}

// defaulted decodes a #[serde(default)] non-Option field: absent leaves dst
// (pre-set to the default) alone, null is an error as in serde.
func (o *object) defaulted(key string, dst any) error {
	raw, ok, err := o.lookup(key)
	if err != nil || !ok {
		return err
	}
	if isNull(raw) {
		return &DecodeError{Type: o.typ, Path: key, Err: fmt.Errorf("%w: null is not allowed", ErrInvalidType)}
	}
	return o.decode(key, raw, dst)
}

// optional decodes an Option field: absent and null both mean None.
func (o *object) optional(key string, dst any) (bool, error) {
	raw, ok, err := o.lookup(key)
	if err != nil || !ok || isNull(raw) {
		return false, err
	}
	return true, o.decode(key, raw, dst)
}

// rawValue returns a required field that may be any JSON value, null included
// (serde_json::Value).
func (o *object) rawValue(key string) (json.RawMessage, error) {
	raw, ok, err := o.lookup(key)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &DecodeError{Type: o.typ, Path: key, Err: ErrMissingField}
	}
	return raw, nil
}

func optionalPtr[T any](o *object, key string) (*T, error) {
	var v T
	ok, err := o.optional(key, &v)
	if err != nil || !ok {
		return nil, err
	}
	return &v, nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// stringList decodes a JSON array of strings, rejecting null elements (which
// encoding/json would turn into "") the way serde rejects them. It encodes a
// nil list as [] because the Rust Vec fields are never null.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return err
	}
	if raws == nil {
		return fmt.Errorf("%w: expected an array, got null", ErrInvalidType)
	}
	out := make([]string, len(raws))
	for i, r := range raws {
		r = bytes.TrimSpace(r)
		if len(r) == 0 || r[0] != '"' {
			return &DecodeError{Type: "string list", Path: fmt.Sprintf("[%d]", i), Err: fmt.Errorf("%w: expected a string", ErrInvalidType)}
		}
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return err
		}
	}
	*l = out
	return nil
}

func (l stringList) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return Marshal([]string(l))
}

// decodeList decodes a JSON array whose elements are objects decoded by T's
// own UnmarshalJSON, and reports element errors with an [i] path.
func decodeList[T any](typ string, b []byte) ([]T, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, err
	}
	if raws == nil {
		return nil, fmt.Errorf("%w: expected an array, got null", ErrInvalidType)
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return nil, nestError(typ, fmt.Sprintf("[%d]", i), err)
		}
	}
	return out, nil
}

// decodeString decodes a JSON string value (used by the enum types).
func decodeString(b []byte, what string) (string, error) {
	var s string
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '"' {
		return "", fmt.Errorf("%w: %s must be a string", ErrInvalidType, what)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return "", err
	}
	return s, nil
}
