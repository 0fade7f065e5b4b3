package api

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// JSON Schema (2020-12, as OpenAPI 3.1 uses it) derived from the Go types
// the handlers write, so the description follows the code. The rules are
// encoding/json's: json tags name fields, omitempty makes a field optional,
// a pointer, slice or map may be null, embedded structs are inlined. A type
// whose MarshalJSON writes a shadow struct says so with a JSONShape method
// (the wire types); one with a hand-written encoding and no shape is
// described as an object or string without further detail.

// jsonEnumer lists a string type's values.
type jsonEnumer interface{ JSONEnum() []string }

// jsonShaper is implemented by types whose JSON is the encoding of another
// value's type (their unexported shadow struct).
type jsonShaper interface{ JSONShape() any }

var (
	timeType     = reflect.TypeFor[time.Time]()
	wireTimeType = reflect.TypeFor[wire.Time]()
	durationType = reflect.TypeFor[wire.Duration]()
	rawType      = reflect.TypeFor[json.RawMessage]()
	extraType    = reflect.TypeFor[wire.Extra]()
	marshalerT   = reflect.TypeFor[json.Marshaler]()
	textMarshalT = reflect.TypeFor[encoding.TextMarshaler]()
	shaperType   = reflect.TypeFor[jsonShaper]()
	enumerType   = reflect.TypeFor[jsonEnumer]()
)

// schemaSet collects named struct schemas for components.schemas.
type schemaSet struct {
	defs  map[string]any
	types map[reflect.Type]string
	taken map[string]reflect.Type
}

func newSchemaSet() *schemaSet {
	return &schemaSet{defs: map[string]any{}, types: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

// nullable lets s also be null.
func nullable(s map[string]any) map[string]any {
	switch t := s["type"].(type) {
	case string:
		out := clone(s)
		out["type"] = []any{t, "null"}
		return out
	case nil:
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	return s
}

func clone(s map[string]any) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

// of returns the schema of t.
func (g *schemaSet) of(t reflect.Type) map[string]any {
	switch t {
	case timeType, wireTimeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case durationType:
		return map[string]any{"type": "string", "description": "duration as humantime text, e.g. \"10m\" or \"1h 30m\""}
	case rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(g.of(t.Elem()))
	case reflect.Interface:
		return map[string]any{}
	}
	if t.Implements(enumerType) && t.Kind() == reflect.String {
		return map[string]any{"type": "string", "enum": reflect.Zero(t).Interface().(jsonEnumer).JSONEnum()}
	}
	if t.Implements(shaperType) {
		switch shape := reflect.Zero(t).Interface().(jsonShaper).JSONShape().(type) {
		case wire.JSONAnyOf:
			return g.combined(t, "anyOf", shape)
		case wire.JSONAllOf:
			return g.combined(t, "allOf", shape)
		default:
			if st := reflect.TypeOf(shape); st.Kind() != reflect.Struct {
				return g.of(st)
			}
			return g.named(t, reflect.TypeOf(shape))
		}
	}
	if implements(t, marshalerT) || implements(t, textMarshalT) {
		if t.Kind() == reflect.String || implements(t, textMarshalT) {
			return map[string]any{"type": "string"}
		}
		return map[string]any{"type": "object", "description": "custom encoding; see docs/API.md"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t, t)
		}
		return g.named(t, t)
	}
	return map[string]any{}
}

// named registers the object schema of shape under t's name and refers to it.
func (g *schemaSet) named(t, shape reflect.Type) map[string]any {
	if name, ok := g.types[t]; ok {
		return ref(name)
	}
	name := g.claim(t)
	g.defs[name] = map[string]any{} // placeholder for recursive types
	g.defs[name] = g.object(t, shape)
	return ref(name)
}

// claim names t's definition: its type name, or with its package's name
// in front when another type has that name.
func (g *schemaSet) claim(t reflect.Type) string {
	name := typeName(t)
	if other, ok := g.taken[name]; ok && other != t {
		pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
		name = string(unicode.ToUpper(rune(pkg[0]))) + pkg[1:] + name
	}
	g.types[t], g.taken[name] = name, t
	return name
}

// combined registers t as anyOf/allOf of the shapes' schemas.
func (g *schemaSet) combined(t reflect.Type, how string, shapes []any) map[string]any {
	if name, ok := g.types[t]; ok {
		return ref(name)
	}
	name := g.claim(t)
	g.defs[name] = map[string]any{}
	var parts []any
	for _, sh := range shapes {
		switch sh := sh.(type) {
		case wire.JSONAnyOf:
			parts = append(parts, map[string]any{"anyOf": g.each(sh)})
		case wire.JSONAllOf:
			parts = append(parts, map[string]any{"allOf": g.each(sh)})
		default:
			parts = append(parts, g.of(reflect.TypeOf(sh)))
		}
	}
	g.defs[name] = map[string]any{how: parts}
	return ref(name)
}

func (g *schemaSet) each(shapes []any) []any {
	var out []any
	for _, sh := range shapes {
		out = append(out, g.of(reflect.TypeOf(sh)))
	}
	return out
}

func typeName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 { // generic: Page[T] -> PageT
		inner := n[i+1 : len(n)-1]
		n = n[:i] + inner[strings.LastIndex(inner, ".")+1:]
	}
	return n
}

// object describes a struct as encoding/json writes it. orig is the Go type
// the value has (a field of type wire.Extra there means unknown keys are
// kept, so the object is open); shape is the struct that is encoded.
func (g *schemaSet) object(orig, shape reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(shape, props, &required)
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": hasExtra(orig)}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func hasExtra(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		if t.Field(i).Type == extraType {
			return true
		}
	}
	return false
}

func (g *schemaSet) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !implements(ft, marshalerT) {
				g.fields(ft, props, required)
				continue
			}
		}
		if !f.IsExported() || f.Type == extraType {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		s := g.of(f.Type)
		if k := f.Type.Kind(); (k == reflect.Slice && f.Type.Elem().Kind() != reflect.Uint8) || f.Type == rawType || k == reflect.Map || k == reflect.Interface {
			s = nullable(s) // a nil slice, map or interface encodes as null
		}
		if d := f.Tag.Get("doc"); d != "" {
			s = clone(s)
			s["description"] = d
		}
		props[name] = s
		if !omit {
			*required = append(*required, name)
		}
	}
}
