package wire

import (
	"errors"
	"strings"
)

// Sentinel errors wrapped by DecodeError and by the validators, so callers
// (the HTTP API in particular) can map them to 400 responses with errors.Is.
var (
	// ErrMissingField: a required field is absent (or null).
	ErrMissingField = errors.New("missing field")
	// ErrDuplicateField: a known field appears twice in one object; serde
	// rejects this, encoding/json would silently keep the last one.
	ErrDuplicateField = errors.New("duplicate field")
	// ErrUnknownField: a key that a deny_unknown_fields type (Manifest) does
	// not know.
	ErrUnknownField = errors.New("unknown field")
	// ErrInvalidType: the JSON value has the wrong type (e.g. null where a
	// struct is required, a number where a string is required).
	ErrInvalidType = errors.New("invalid type")
	// ErrInvalidValue: the value has the right type but is not allowed
	// (unknown enum variant, malformed timestamp, ...).
	ErrInvalidValue = errors.New("invalid value")
	// ErrInvalidDuration: a humantime duration string does not parse.
	ErrInvalidDuration = errors.New("invalid humantime duration")
	// ErrInvalid: a decoded value fails a Validate method.
	ErrInvalid = errors.New("invalid")
)

// DecodeError reports why a wire value was rejected. Path is the dotted JSON
// path of the offending field ("execute.shell", "waves[1].delay"), empty when
// the value itself is wrong.
type DecodeError struct {
	Type string // Go type being decoded, e.g. "Manifest"
	Path string
	Err  error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("wire: decode ")
	b.WriteString(e.Type)
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// nestError re-roots err (returned while decoding field key of typ) so the
// outermost type names the error and the path accumulates.
func nestError(typ, key string, err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		p := key
		if de.Path != "" {
			if strings.HasPrefix(de.Path, "[") {
				p += de.Path
			} else {
				p += "." + de.Path
			}
		}
		return &DecodeError{Type: typ, Path: p, Err: de.Err}
	}
	return &DecodeError{Type: typ, Path: key, Err: err}
}

// ValidationError is returned by the Validate methods.
type ValidationError struct {
	Type  string // "Manifest", "Schedule", ...
	Field string // dotted JSON path, may be empty
	Msg   string
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return "wire: invalid " + e.Type + ": " + e.Msg
	}
	return "wire: invalid " + e.Type + ": " + e.Field + ": " + e.Msg
}

// Unwrap makes every ValidationError match ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func invalid(typ, field, msg string) error {
	return &ValidationError{Type: typ, Field: field, Msg: msg}
}
