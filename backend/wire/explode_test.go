package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const explodeYAML = `id: inventory-sw
version: "1"
execute: {shell: powershell, script: Get-Apps, timeout: 5m}
inventory:
  display: [{field: hostname, label: Host}]
  explode:
    - field: apps
      table: inventory_sw_apps
      primary_key: [name, source]
      columns:
        - {field: name, type: text, index: true}
        - {field: source}
        - {field: version}
        - {field: size_kb, type: integer, index: false}
      track_history: true
  history_scalars: [os_build, ram_bytes]
`

func TestExplodeYAMLDecodes(t *testing.T) {
	m, err := ParseManifestYAML([]byte(explodeYAML))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	h := m.Inventory
	if len(h.Explode) != 1 || len(h.HistoryScalars) != 2 || h.HistoryScalars[1] != "ram_bytes" {
		t.Fatalf("hint: %+v", h)
	}
	s := h.Explode[0]
	if !s.TrackHistory || s.Table != "inventory_sw_apps" || len(s.PrimaryKey) != 2 || len(s.Columns) != 4 {
		t.Fatalf("spec: %+v", s)
	}
	if !s.Columns[0].Index || s.Columns[3].Index || s.Columns[3].Kind() != ColumnInteger || s.Columns[1].Kind() != ColumnText {
		t.Fatalf("columns: %+v", s.Columns)
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"display":[{"field":"hostname","label":"Host"}],"explode":[{"field":"apps","table":"inventory_sw_apps","primary_key":["name","source"],"columns":[{"field":"name","type":"text","index":true},{"field":"source"},{"field":"version"},{"field":"size_kb","type":"integer"}],"track_history":true}],"history_scalars":["os_build","ram_bytes"]}`
	if string(b) != want {
		t.Fatalf("encoding:\n got %s\nwant %s", b, want)
	}
	// A hint without the new keys encodes as before (0.29 agents read it).
	var old InventoryHint
	if err := json.Unmarshal([]byte(`{"display":[]}`), &old); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(old); string(b) != `{"display":[]}` {
		t.Fatalf("old hint re-encodes as %s", b)
	}
}

func TestExplodeSpecErrors(t *testing.T) {
	spec := func(mut string) string {
		return `{"display":[],"explode":[` + mut + `]}`
	}
	ok := `{"field":"apps","table":"t_apps","primary_key":["name"],"columns":[{"field":"name"}]}`
	cases := []struct{ name, json, want string }{
		{"table injection", spec(`{"field":"apps","table":"x\"; DROP TABLE agents; --","primary_key":["name"],"columns":[{"field":"name"}]}`), "not an identifier"},
		{"column injection", spec(`{"field":"apps","table":"t","primary_key":["name"],"columns":[{"field":"name) --"}]}`), "not an identifier"},
		{"long identifier", spec(`{"field":"apps","table":"` + strings.Repeat("a", 65) + `","primary_key":["name"],"columns":[{"field":"name"}]}`), "not an identifier"},
		{"digit first", spec(`{"field":"apps","table":"1t","primary_key":["name"],"columns":[{"field":"name"}]}`), "not an identifier"},
		{"sqlite table", spec(`{"field":"apps","table":"sqlite_master","primary_key":["name"],"columns":[{"field":"name"}]}`), "SQLite's"},
		{"unknown type", spec(`{"field":"apps","table":"t","primary_key":["name"],"columns":[{"field":"name","type":"blob"}]}`), "not text, integer or real"},
		{"empty pk", spec(`{"field":"apps","table":"t","primary_key":[],"columns":[{"field":"name"}]}`), "primary_key: must not be empty"},
		{"pk not a column", spec(`{"field":"apps","table":"t","primary_key":["nope"],"columns":[{"field":"name"}]}`), "not one of the columns"},
		{"reserved column", spec(`{"field":"apps","table":"t","primary_key":["pc_id"],"columns":[{"field":"PC_ID"}]}`), "every explode table has"},
		{"duplicate column", spec(`{"field":"apps","table":"t","primary_key":["a"],"columns":[{"field":"a"},{"field":"A"}]}`), "declared twice"},
		{"no columns", spec(`{"field":"apps","table":"t","primary_key":["a"],"columns":[]}`), "columns: must not be empty"},
		{"missing table", spec(`{"field":"apps","primary_key":["a"],"columns":[{"field":"a"}]}`), "missing field"},
		{"index not bool", spec(`{"field":"apps","table":"t","primary_key":["a"],"columns":[{"field":"a","index":"yes"}]}`), "index"},
		{"table twice", spec(ok + `,` + strings.Replace(ok, `"apps"`, `"apps2"`, 1)), "used twice"},
		{"scalars not strings", `{"display":[],"history_scalars":[1]}`, "expected a string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h InventoryHint
			err := json.Unmarshal([]byte(c.json), &h)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
	var h InventoryHint
	err := json.Unmarshal([]byte(spec(`{"field":"apps","table":"t","primary_key":["x"],"columns":[{"field":"a"}]}`)), &h)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("a bad spec is not ErrInvalid: %v", err)
	}
}

func FuzzDecodeInventoryHint(f *testing.F) {
	for _, s := range []string{
		`{"display":[]}`,
		`{"display":[],"explode":[{"field":"apps","table":"t_apps","primary_key":["name","source"],"columns":[{"field":"name","type":"text","index":true},{"field":"source"},{"field":"n","type":"integer"}],"track_history":true}],"history_scalars":["os"]}`,
		`{"display":[],"explode":null,"history_scalars":null}`,
		`{"display":[],"explode":[{"field":"a","table":"t","primary_key":["x"],"columns":[{"field":"x","type":"real","z":1}],"y":2}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reencodeStable[InventoryHint](t, data)
		var h InventoryHint
		if json.Unmarshal(data, &h) == nil {
			for _, s := range h.Explode {
				if err := s.Validate(); err != nil {
					t.Fatalf("decoded an invalid spec: %v", err)
				}
			}
		}
	})
}
