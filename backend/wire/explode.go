package wire

import (
	"fmt"
	"regexp"
	"strings"
)

// ExplodeSpec is one entry of a manifest's inventory.explode (kanade v0.31
// #40): the JSON array at Field of the probe's stdout becomes rows of the
// operator-named SQLite table Table, keyed per PC by PrimaryKey.
//
// Table and column names reach SQL, so the decoder holds them to kanade's
// identifier rule ([A-Za-z_][A-Za-z0-9_]{0,63}) and refuses anything else;
// the store double-quotes them as well.
type ExplodeSpec struct {
	Field        string
	Table        string
	PrimaryKey   []string
	Columns      []ExplodeColumn
	TrackHistory bool // kanade v0.31 #41: write inventory_history rows on change
	// Extra: keys this console does not know (a newer kanade's), kept.
	Extra Extra
}

// ExplodeColumn is one typed column of an explode table; Field is both the
// key in each array element and the column name.
type ExplodeColumn struct {
	Field string
	// Type is "text", "integer" or "real"; "" (absent) means text. The Rust
	// field is called kind; its JSON name is "type".
	Type  string
	Index bool // create idx_<table>_<field>
	Extra Extra
}

// Column types of an explode table.
const (
	ColumnText    = "text"
	ColumnInteger = "integer"
	ColumnReal    = "real"
)

// Kind is the column's effective type (text when absent).
func (c ExplodeColumn) Kind() string {
	if c.Type == "" {
		return ColumnText
	}
	return c.Type
}

// identRe is kanade's identifier rule for explode tables and columns.
var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// ValidIdentifier reports whether s may name an explode table or column
// (also used for the identity.<key> filters of the history routes).
func ValidIdentifier(s string) bool { return identRe.MatchString(s) }

// reservedColumns are the columns every explode table has already.
var reservedColumns = map[string]bool{"pc_id": true, "job_id": true, "collected_at": true}

type explodeSpecJSON struct {
	Field        string          `json:"field"`
	Table        string          `json:"table"`
	PrimaryKey   stringList      `json:"primary_key"`
	Columns      []ExplodeColumn `json:"columns"`
	TrackHistory bool            `json:"track_history,omitempty"`
}

type explodeColumnJSON struct {
	Field string `json:"field"`
	Type  string `json:"type,omitempty"`
	Index bool   `json:"index,omitempty"`
}

// MarshalJSON implements json.Marshaler. Defaults (absent type, index and
// track_history false) are omitted, as an operator usually writes them.
func (s ExplodeSpec) MarshalJSON() ([]byte, error) {
	cols := s.Columns
	if cols == nil {
		cols = []ExplodeColumn{}
	}
	b, err := Marshal(explodeSpecJSON{s.Field, s.Table, s.PrimaryKey, cols, s.TrackHistory})
	if err != nil {
		return nil, err
	}
	return withExtra(b, s.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: field, table, primary_key and
// columns are required, and the whole spec must pass Validate.
func (s *ExplodeSpec) UnmarshalJSON(b []byte) error {
	o, err := parseObject("ExplodeSpec", b)
	if err != nil {
		return err
	}
	var v ExplodeSpec
	var pk stringList
	var cols explodeColumnsJSON
	if err = firstErr(
		o.required("field", &v.Field),
		o.required("table", &v.Table),
		o.required("primary_key", &pk),
		o.required("columns", &cols),
		o.defaulted("track_history", &v.TrackHistory),
	); err != nil {
		return err
	}
	v.PrimaryKey, v.Columns, v.Extra = pk, cols, o.unknown()
	if err := v.Validate(); err != nil {
		return err
	}
	*s = v
	return nil
}

type explodeColumnsJSON []ExplodeColumn

func (c *explodeColumnsJSON) UnmarshalJSON(b []byte) error {
	l, err := decodeList[ExplodeColumn]("explode columns", b)
	*c = l
	return err
}

// MarshalJSON implements json.Marshaler.
func (c ExplodeColumn) MarshalJSON() ([]byte, error) {
	b, err := Marshal(explodeColumnJSON{c.Field, c.Type, c.Index})
	if err != nil {
		return nil, err
	}
	return withExtra(b, c.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: field is required; an unknown
// type is an error (kanade refuses it rather than falling back to text).
func (c *ExplodeColumn) UnmarshalJSON(b []byte) error {
	o, err := parseObject("ExplodeColumn", b)
	if err != nil {
		return err
	}
	var v ExplodeColumn
	if err = firstErr(
		o.required("field", &v.Field),
		o.defaulted("type", &v.Type),
		o.defaulted("index", &v.Index),
	); err != nil {
		return err
	}
	switch v.Type {
	case "", ColumnText, ColumnInteger, ColumnReal:
	default:
		return &DecodeError{Type: "ExplodeColumn", Path: "type", Err: fmt.Errorf("%w: %q is not text, integer or real", ErrInvalidValue, v.Type)}
	}
	v.Extra = o.unknown()
	*c = v
	return nil
}

// Validate checks what makes a spec safe and meaningful in SQL: identifier
// table and column names, no clash with the fixed columns, no duplicate
// column (SQLite names are case-insensitive), a non-empty primary key made
// of declared columns, known column types.
func (s ExplodeSpec) Validate() error {
	const typ = "ExplodeSpec"
	if s.Field == "" {
		return invalid(typ, "field", "must not be empty")
	}
	if !ValidIdentifier(s.Table) {
		return invalid(typ, "table", fmt.Sprintf("%q is not an identifier ([A-Za-z_][A-Za-z0-9_]{0,63})", s.Table))
	}
	if strings.HasPrefix(strings.ToLower(s.Table), "sqlite_") {
		return invalid(typ, "table", fmt.Sprintf("%q: names starting with sqlite_ are SQLite's", s.Table))
	}
	if len(s.Columns) == 0 {
		return invalid(typ, "columns", "must not be empty")
	}
	seen := map[string]bool{}
	for i, c := range s.Columns {
		path := fmt.Sprintf("columns[%d].field", i)
		if !ValidIdentifier(c.Field) {
			return invalid(typ, path, fmt.Sprintf("%q is not an identifier ([A-Za-z_][A-Za-z0-9_]{0,63})", c.Field))
		}
		low := strings.ToLower(c.Field)
		if reservedColumns[low] {
			return invalid(typ, path, fmt.Sprintf("%q is a column every explode table has (pc_id, job_id, collected_at)", c.Field))
		}
		if seen[low] {
			return invalid(typ, path, fmt.Sprintf("column %q is declared twice", c.Field))
		}
		seen[low] = true
		switch c.Type {
		case "", ColumnText, ColumnInteger, ColumnReal:
		default:
			return invalid(typ, fmt.Sprintf("columns[%d].type", i), fmt.Sprintf("%q is not text, integer or real", c.Type))
		}
	}
	if len(s.PrimaryKey) == 0 {
		return invalid(typ, "primary_key", "must not be empty")
	}
	inPK := map[string]bool{}
	for i, k := range s.PrimaryKey {
		if s.Column(k) == nil {
			return invalid(typ, fmt.Sprintf("primary_key[%d]", i), fmt.Sprintf("%q is not one of the columns", k))
		}
		if inPK[k] {
			return invalid(typ, fmt.Sprintf("primary_key[%d]", i), fmt.Sprintf("%q is listed twice", k))
		}
		inPK[k] = true
	}
	return nil
}

// Column returns the declared column named field (exactly), or nil.
func (s ExplodeSpec) Column(field string) *ExplodeColumn {
	for i := range s.Columns {
		if s.Columns[i].Field == field {
			return &s.Columns[i]
		}
	}
	return nil
}

// ExplodeByField returns the hint's explode spec of field, or nil.
func (h *InventoryHint) ExplodeByField(field string) *ExplodeSpec {
	if h == nil {
		return nil
	}
	for i := range h.Explode {
		if h.Explode[i].Field == field {
			return &h.Explode[i]
		}
	}
	return nil
}

// validateExplode checks the specs of one hint together: each valid, and no
// table or field used twice.
func validateExplode(specs []ExplodeSpec) error {
	tables, fields := map[string]bool{}, map[string]bool{}
	for i, s := range specs {
		if err := s.Validate(); err != nil {
			return err
		}
		t := strings.ToLower(s.Table)
		if tables[t] {
			return invalid("InventoryHint", fmt.Sprintf("explode[%d].table", i), fmt.Sprintf("table %q is used twice", s.Table))
		}
		if fields[s.Field] {
			return invalid("InventoryHint", fmt.Sprintf("explode[%d].field", i), fmt.Sprintf("field %q is exploded twice", s.Field))
		}
		tables[t], fields[s.Field] = true, true
	}
	return nil
}
