package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Extra holds the top-level keys of a stored value that this console does
// not know, as raw JSON in document order. A newer kanade writes jobs and
// schedules into the same buckets; keeping what it added and writing it
// back on every re-save (Manifest, Schedule) means this console never
// strips a field it does not understand.
type Extra []ExtraField

// ExtraField is one unknown key and its raw JSON value.
type ExtraField struct {
	Key   string
	Value json.RawMessage
}

// ListingKeys are the keys this console adds to listed schedules and jobs
// ("supported": false with a "reason" for a value it cannot use,
// "next_fire", "last_skipped"). Client input drops them, so echoing a listed
// item back does not store them (a stored value that has them keeps them).
var ListingKeys = []string{"supported", "reason", "next_fire", "last_skipped"}

// Keys lists the keys.
func (x Extra) Keys() []string {
	out := make([]string, len(x))
	for i, f := range x {
		out[i] = f.Key
	}
	return out
}

// Get returns the raw value of key.
func (x Extra) Get(key string) (json.RawMessage, bool) {
	for _, f := range x {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// Has reports whether key is present.
func (x Extra) Has(key string) bool {
	_, ok := x.Get(key)
	return ok
}

// Without drops the given keys.
func (x Extra) Without(keys ...string) Extra {
	var out Extra
	for _, f := range x {
		drop := false
		for _, k := range keys {
			drop = drop || f.Key == k
		}
		if !drop {
			out = append(out, f)
		}
	}
	return out
}

// KeepFrom is x plus the keys of stored that x does not have: what a
// re-save writes, so a client that never saw a newer kanade's keys does
// not remove them. Values in x win.
func (x Extra) KeepFrom(stored Extra) Extra {
	out := append(Extra(nil), x...)
	for _, f := range stored {
		if !x.Has(f.Key) {
			out = append(out, f)
		}
	}
	return out
}

// unknown collects the keys of o that no accessor asked for.
func (o *object) unknown() Extra {
	var out Extra
	for _, k := range o.keys {
		if !o.known[k] {
			out = append(out, ExtraField{Key: k, Value: append(json.RawMessage(nil), o.fields[k]...)})
		}
	}
	return out
}

// withExtra appends the extra keys to an encoded JSON object, skipping any
// key the object already has (a known field always wins).
func withExtra(obj []byte, extra Extra) ([]byte, error) {
	if len(extra) == 0 {
		return obj, nil
	}
	return SetFields(obj, extra, false)
}

// SetFields adds fields to the encoded JSON object obj. With replace, a
// field already in obj takes the new value (in place); without, obj's value
// is kept. Other keys keep their order.
func SetFields(obj []byte, fields Extra, replace bool) ([]byte, error) {
	o, err := parseObject("object", obj)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	write := func(k string, v json.RawMessage) error {
		key, err := Marshal(k)
		if err != nil {
			return err
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, v); err != nil {
			return fmt.Errorf("field %s: %w", k, err)
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(compact.Bytes())
		return nil
	}
	for _, k := range o.keys {
		v := o.fields[k]
		if nv, ok := fields.Get(k); ok && replace {
			v = nv
		}
		if err := write(k, v); err != nil {
			return nil, err
		}
	}
	for _, f := range fields {
		if _, exists := o.fields[f.Key]; exists {
			continue
		}
		if err := write(f.Key, f.Value); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// ObjectFields splits an encoded JSON object into its fields (document
// order; a repeated key keeps its last value). It fails on anything that is
// not one JSON object.
func ObjectFields(data []byte) (Extra, error) {
	o, err := parseObject("object", data)
	if err != nil {
		return nil, err
	}
	out := make(Extra, 0, len(o.keys))
	for _, k := range o.keys {
		out = append(out, ExtraField{Key: k, Value: o.fields[k]})
	}
	return out, nil
}
