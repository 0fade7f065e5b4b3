package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

func TestBindValue(t *testing.T) {
	cases := []struct {
		kind, raw string
		want      any
	}{
		{"text", `"x"`, "x"},
		{"text", `12`, "12"},
		{"text", `true`, "true"},
		{"text", `{"a":1}`, `{"a":1}`},
		{"text", `null`, nil},
		{"text", ``, nil},
		{"integer", `12`, int64(12)},
		{"integer", `1e3`, int64(1000)},
		{"integer", `1.5`, 1.5},
		{"integer", `"12"`, "12"},
		{"integer", `99999999999999999999`, 1e20},
		{"real", `2`, float64(2)},
		{"real", `-0.25`, -0.25},
		{"real", `[1]`, "[1]"},
		{"text", `"a\"b"`, `a"b`},
		{"text", `"\u00e9t\u00e9"`, "été"},
		{"text", `"été"`, "été"},
		{"text", "\"a\xffb\"", "a\ufffdb"},
	}
	for _, c := range cases {
		if got := bindValue(c.kind, c.raw); !reflect.DeepEqual(got, c.want) {
			t.Errorf("bindValue(%s, %s) = %#v, want %#v", c.kind, c.raw, got, c.want)
		}
	}
}

func TestExplodeArrayAndKeys(t *testing.T) {
	var spec wire.ExplodeSpec
	if err := json.Unmarshal([]byte(`{"field":"apps","table":"t","primary_key":["name","n"],"columns":[{"field":"name"},{"field":"n","type":"integer"},{"field":"v"}]}`), &spec); err != nil {
		t.Fatal(err)
	}
	et, err := newExplodeTable("job", spec)
	if err != nil {
		t.Fatal(err)
	}
	// Non-objects are skipped, a NULL key is skipped, a duplicate key
	// keeps the first element.
	elems := uniqueRows(et, explodeArray(spec, (`[1,{"name":"a","n":1,"v":"x"},"s",{"name":"a","n":1,"v":"dup"},{"name":null,"n":2},{"name":"b","n":2}]`)))
	var keys []string
	for _, e := range elems {
		keys = append(keys, e.key)
	}
	if !reflect.DeepEqual(keys, []string{`name="a"|n=1`, `name="b"|n=2`}) || elems[0].vals[2] != "x" {
		t.Fatalf("keys %v, first %v", keys, elems[0].vals)
	}
	if got := identityJSON(et, elems[1].vals); got != `{"name":"b","n":2}` {
		t.Errorf("identity %s", got)
	}
	if got := rowJSON(et, elems[1].vals); got != `{"name":"b","n":2,"v":null}` {
		t.Errorf("row %s", got)
	}
	for _, raw := range []string{``, `null`, `{}`, `"x"`, `[`, `[]`} {
		if got := explodeArray(spec, (raw)); len(got) != 0 {
			t.Errorf("%q gave %d elements", raw, len(got))
		}
	}
}

// keyedArrays (a re-collection's pair, keyed without binding) keys each
// array exactly as uniqueRows(explodeArray) does, and its elements bind to
// the same values.
func TestExplodeArraysSameAsExplodeArray(t *testing.T) {
	var spec wire.ExplodeSpec
	if err := json.Unmarshal([]byte(`{"field":"apps","table":"t","primary_key":["name","n"],"columns":[{"field":"name"},{"field":"n","type":"integer"},{"field":"v"}]}`), &spec); err != nil {
		t.Fatal(err)
	}
	et, err := newExplodeTable("job", spec)
	if err != nil {
		t.Fatal(err)
	}
	arrays := []string{
		``, `null`, `{}`, `"x"`, `[`, `[]`, `[null]`,
		`[{"name":"a","n":1,"v":"x"},{"name":"b","n":2}]`,
		` [ {"name":"b","n":2}, {"name":"a","n":1,"v":"y"} ] `,
		`[1,{"name":"a","n":1,"v":"x"},"s",{"name":"a","n":1,"v":"dup"},{"name":null,"n":2},{"name":"b","n":2.0}]`,
		`[{"name":"a","n":1,"v":"dup"},{"name":"a","n":1,"v":"x"},{"name":"b","n":2,"v":[1, 2]}]`,
		`[{"name":"a","n":1,"name":"b"},{"n":1,"name":"\u0061"},{"name":"a","n":"1"},{"x":{"name":"c","n":3},"name":"c","n":3}]`,
		`[{"name":"x","n":1e0},{"name":"x","n":1.0},{"name":"y","n":1.5},{"name":"z"},{"name":"z","n":null}]`,
	}
	keyed := func(es []explodeElem) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.key+" "+rowJSON(et, e.bound(spec))+" "+elemJSON(e.raw))
		}
		return out
	}
	for _, p := range arrays {
		for _, n := range arrays {
			before, incoming := keyedArrays(et, p, n)
			if got, want := keyed(before), keyed(uniqueRows(et, explodeArray(spec, p))); !reflect.DeepEqual(got, want) {
				t.Errorf("prior %q next %q: before %v, want %v", p, n, got, want)
			}
			if got, want := keyed(incoming), keyed(uniqueRows(et, explodeArray(spec, n))); !reflect.DeepEqual(got, want) {
				t.Errorf("prior %q next %q: incoming %v, want %v", p, n, got, want)
			}
		}
	}
}

// A manifest can never make the console create, fill or drop a table it
// did not make, nor take another job's explode table.
func TestEnsureExplodeRefusesForeignTables(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	spec := func(table string) wire.ExplodeSpec {
		return wire.ExplodeSpec{Field: "apps", Table: table, PrimaryKey: []string{"name"}, Columns: []wire.ExplodeColumn{{Field: "name"}}}
	}
	ensure := func(job string, sp wire.ExplodeSpec) map[string]error {
		t.Helper()
		var refused map[string]error
		if err := s.Project(ctx, func(tx *Tx) error {
			var err error
			refused, err = tx.EnsureExplode(ctx, job, []wire.ExplodeSpec{sp})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return refused
	}
	for _, table := range []string{"agents", "Inventory_Facts", "schema_migrations"} {
		if r := ensure("j1", spec(table)); !errors.Is(r[table], ErrExplodeTable) {
			t.Errorf("%s: refused = %v", table, r)
		}
	}
	if r := ensure("j1", spec("sw_apps")); len(r) != 0 {
		t.Fatalf("own table refused: %v", r)
	}
	if r := ensure("j2", spec("SW_APPS")); !errors.Is(r["SW_APPS"], ErrExplodeTable) {
		t.Errorf("another job's table: refused = %v", r)
	}
	var n int
	s.reader.QueryRow(`SELECT count(*) FROM agents`).Scan(&n) // still there
	if err := s.reader.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'agents'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("agents table: %d %v", n, err)
	}
}

func TestSweepInventoryHistory(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, age := range []time.Duration{100, 91, 89, 1} {
		if _, err := s.writer.ExecContext(ctx, `INSERT INTO inventory_history (pc_id, job_id, field_path, change_kind, observed_at) VALUES ('PC', 'j', 'apps', 'added', ?)`,
			FormatTime(now.Add(-age*24*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SweepRetention(ctx, now, DefaultRetention, DefaultSweepLimits)
	if err != nil || got["inventory_history"] != 2 {
		t.Fatalf("swept %v, %v", got, err)
	}
}

// Whatever a probe prints, exploding it never panics and every kept row
// has a complete key.
func FuzzExplodeArray(f *testing.F) {
	for _, s := range []string{`[{"name":"a","n":1}]`, `[1,"x",null,{"name":{"x":[1]},"n":1e400}]`, `[{"name":"a","n":"1"},{"name":"a","n":1}]`, `{}`, `[`} {
		f.Add([]byte(s))
	}
	spec := wire.ExplodeSpec{Field: "apps", Table: "t", PrimaryKey: []string{"name", "n"}, Columns: []wire.ExplodeColumn{{Field: "name"}, {Field: "n", Type: "integer"}, {Field: "r", Type: "real"}}}
	et, err := newExplodeTable("job", spec)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range uniqueRows(et, explodeArray(spec, string(data))) {
			if e.key == "" || e.vals[0] == nil || e.vals[1] == nil {
				t.Fatalf("row without a key: %+v", e)
			}
			_ = identityJSON(et, e.vals) + rowJSON(et, e.vals) + elemJSON(e.raw)
		}
	})
}

// The reference the gjson reader must match: what encoding/json gives for
// the same valid document (the reader before it).
func refFields(doc []byte) map[string]string {
	var m map[string]json.RawMessage
	if json.Unmarshal(doc, &m) != nil || m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func refElements(raw []byte) []string {
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) != nil {
		return nil
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		out = append(out, string(e))
	}
	return out
}

func refBind(spec wire.ExplodeSpec, raw string) ([]any, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &obj) != nil || obj == nil {
		return nil, false
	}
	vals := make([]any, len(spec.Columns))
	for i, c := range spec.Columns {
		if v, ok := obj[c.Field]; ok {
			vals[i] = bindValue(c.Kind(), string(v))
		}
	}
	return vals, true
}

// For every valid document the one-pass reader gives exactly what
// encoding/json gives: the top-level members, an array's elements and each
// element's bound columns; on any other input it does not panic.
func FuzzFactFields(f *testing.F) {
	for _, s := range []string{
		`{"os_build":"22631","apps":[{"name":"a","n":1,"v":"x"},{"name":"b","n":2.5e1,"v":null}]}`,
		`{"a":1,"a":2,"b":{"c":[1,2]}," spaced key ":"v","\u0061pps":[{"\u006eame":"esc"}]}`,
		` { "apps" : [ 1 , "x" , null , {"name":"\"q\"","n":-0.0,"name":"last"} ] } `,
		`{"k\ud800":1,"apps":[{"name":"a\u0000b"}]}`, `[]`, `"x"`, `{`, `{"a":}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	spec := wire.ExplodeSpec{Field: "apps", Table: "t", PrimaryKey: []string{"name", "n"}, Columns: []wire.ExplodeColumn{{Field: "name"}, {Field: "n", Type: "integer"}, {Field: "v", Type: "real"}}}
	et, err := newExplodeTable("job", spec)
	if err != nil {
		f.Fatal(err)
	}
	single := spec
	single.PrimaryKey = []string{"name"}
	et1, err := newExplodeTable("job", single)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := FactFields(string(doc))
		for _, v := range got {
			_ = explodeArray(spec, v)
		}
		if !json.Valid(doc) {
			return // no reference: only "does not panic"
		}
		want := refFields(doc)
		if (got == nil) != (want == nil) || len(got) != len(want) {
			t.Fatalf("fields %q, want %q", got, want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("field %q = %q, want %q", k, got[k], w)
			}
			elems := arrayElements(w)
			if ref := refElements([]byte(w)); !reflect.DeepEqual(elems, ref) && (len(elems) != 0 || len(ref) != 0) {
				t.Fatalf("elements of %q = %q, want %q", k, elems, ref)
			}
			for _, e := range elems {
				el, ok := bindElement(spec, e)
				vals, refOK := refBind(spec, e)
				if ok != refOK || (ok && !reflect.DeepEqual(el.vals, vals)) {
					t.Fatalf("element %q bound %v %v, want %v %v", e, el.vals, ok, vals, refOK)
				}
				for _, et := range []*explodeTable{et, et1} {
					key, keyOK := et.keyOf(e)
					wantKey, wantOK := "", false
					if ok {
						wantKey, wantOK = rowKey(et, el.vals)
					}
					if key != wantKey || keyOK != wantOK {
						t.Fatalf("element %q keyed %q %v by %v, want %q %v", e, key, keyOK, et.spec.PrimaryKey, wantKey, wantOK)
					}
				}
			}
		}
	})
}

// Row keys are equal exactly when the key values' JSON is: a string is
// never a number, an integral real is the integer, a string with quotes or
// escapes cannot collide with a plain one.
func TestRowKeysCompareLikeJSON(t *testing.T) {
	spec := wire.ExplodeSpec{Field: "apps", Table: "t", PrimaryKey: []string{"k"}, Columns: []wire.ExplodeColumn{{Field: "k", Type: "real"}}}
	et, err := newExplodeTable("job", spec)
	if err != nil {
		t.Fatal(err)
	}
	key := func(v any) string {
		k, ok := rowKey(et, []any{v})
		if !ok {
			t.Fatalf("no key for %#v", v)
		}
		return k
	}
	same := [][2]any{{int64(2), float64(2)}, {"a", "a"}, {"é", "é"}}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("%#v and %#v keyed apart: %q %q", p[0], p[1], key(p[0]), key(p[1]))
		}
	}
	distinct := []any{"2", int64(2), float64(2.5), `a"b`, `a\"b`, `\"a"`, `"a"`, "a\u0001", "a", "", `\`, "a|k=\"b"}
	seen := map[string]any{}
	for _, v := range distinct {
		k := key(v)
		if prev, dup := seen[k]; dup {
			t.Errorf("%#v and %#v share the key %q", prev, v, k)
		}
		seen[k] = v
	}
	if _, ok := rowKey(et, []any{nil}); ok {
		t.Error("a NULL key value gave a key")
	}
}
