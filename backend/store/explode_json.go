package store

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Reading inventory documents for the explode tables and history.
//
// A document is read in one pass with gjson, which walks valid JSON without
// decoding it and hands out each value's text as a substring of the
// document. encoding/json did the same work in two passes per call (a
// validity scan, then the decode) and again per element, 40% of the
// projector's CPU on a collection that changed a few apps (make
// bench-inventory). The documents are valid JSON — the projector stores
// only stdout that passed json.Valid, and rebuilds read what it stored —
// so there is nothing left to validate; on anything else gjson gives some
// fields and never panics (FuzzFactFields). For valid JSON the results are
// exactly what encoding/json's map[string]json.RawMessage and
// []json.RawMessage give (the fuzz target compares them).

// Fields is a facts document split into its top-level members: name -> the
// member's JSON text. Of a repeated name the last one counts (as
// encoding/json decodes into a map).
type Fields map[string]string

// FactFields splits a facts document; nil when it is not a JSON object.
func FactFields(doc string) Fields {
	v := gjson.Parse(doc)
	if !v.IsObject() {
		return nil
	}
	out := Fields{}
	v.ForEach(func(k, val gjson.Result) bool {
		out[memberName(k)] = val.Raw
		return true
	})
	return out
}

// memberName is an object key's name: the text between the quotes when
// there is nothing to unescape, else encoding/json's decoding of it (which
// also replaces invalid UTF-8, as the map decode did).
func memberName(k gjson.Result) string {
	return jsonString(k.Raw)
}

// jsonString is the string a JSON string literal denotes.
func jsonString(raw string) string {
	if len(raw) >= 2 && strings.IndexByte(raw, '\\') < 0 && utf8.ValidString(raw) {
		return raw[1 : len(raw)-1]
	}
	var s string
	if json.Unmarshal([]byte(raw), &s) != nil {
		return raw // not a string literal (invalid input): a name nothing matches
	}
	return s
}

// arrayElements is the JSON text of each element of an array; nil when raw
// is not an array.
func arrayElements(raw string) []string {
	v := gjson.Parse(raw)
	if !v.IsArray() {
		return nil
	}
	var out []string
	v.ForEach(func(_, e gjson.Result) bool {
		out = append(out, e.Raw)
		return true
	})
	return out
}

// bindElement binds the spec's columns from one element; false when the
// element is not an object (kanade skips it). A repeated member counts
// last, as in encoding/json's map. (Looking each column up with gjson.Get
// instead of visiting every member measured slower: 1.9 vs 1.2 µs for a
// 6-member element.)
func bindElement(spec wire.ExplodeSpec, raw string) (explodeElem, bool) {
	if raw == "" || raw[0] != '{' {
		return explodeElem{}, false
	}
	v := gjson.Parse(raw)
	if !v.IsObject() {
		return explodeElem{}, false
	}
	vals := make([]any, len(spec.Columns))
	v.ForEach(func(k, val gjson.Result) bool {
		name := memberName(k)
		for i, c := range spec.Columns {
			if c.Field == name {
				vals[i] = bindValue(c.Kind(), val.Raw)
			}
		}
		return true
	})
	return explodeElem{raw: raw, vals: vals}, true
}

// plainName: [A-Za-z0-9_]+, which gjson.Get reads as a literal key
// (explode columns are identifiers; anything else is bound in full).
func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// quotedCount counts the occurrences of "name" (with its quotes) in raw.
func quotedCount(raw, name string) int {
	if name == "" {
		return 0 // nothing to find (and strings.Index would not advance)
	}
	n := 0
	for i := 0; ; {
		j := strings.Index(raw[i:], name)
		if j < 0 {
			return n
		}
		at := i + j
		if at > 0 && raw[at-1] == '"' && at+len(name) < len(raw) && raw[at+len(name)] == '"' {
			n++
		}
		i = at + len(name)
	}
}

// bindValue converts one JSON value for a column (kanade's rules): null or
// missing is NULL, a number into an integer/real column is typed, anything
// else is text (strings as-is, other JSON as its text).
func bindValue(kind, raw string) any {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return nil
	}
	if raw[0] == '"' {
		return jsonString(raw) // the text itself when it is no valid string literal
	}
	isNum := raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')
	if isNum && kind != wire.ColumnText {
		if kind == wire.ColumnInteger {
			if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
				return n
			}
		}
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			// Integer affinity stores an integral REAL as INTEGER; bind it so,
			// so the value compares equal to what a re-read returns.
			if kind == wire.ColumnInteger && f == math.Trunc(f) && math.Abs(f) < 1<<62 {
				return int64(f)
			}
			return f
		}
	}
	return raw
}

// elemJSON re-encodes an element for history (keys sorted, values as sent).
// Only the elements a history event names pay for it.
func elemJSON(raw string) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &obj) != nil {
		return "null"
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return "null"
	}
	return string(b)
}

func compactJSON(raw string) string {
	var b bytes.Buffer
	if json.Compact(&b, []byte(raw)) != nil {
		return "null"
	}
	return b.String()
}

// sameJSON compares two JSON values as values (key order and spacing do
// not count).
func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
