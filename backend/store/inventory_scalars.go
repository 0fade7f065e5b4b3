package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ScalarField is one scalar (non-table) display field of a probe: its
// value is json_extract(facts_json, '$."<field>"'). Numeric fields
// (display type number or bytes) compare as REAL, like kanade's #574.
type ScalarField struct {
	Field   string
	Numeric bool
}

// ScalarQuery searches one probe's inventory_facts rows by the values of
// its scalar display fields (GET /api/inventory/{manifest_id}/search-scalars).
type ScalarQuery struct {
	JobID   string
	Fields  []ScalarField
	Filters []ExplodeFilter // Column is a field of Fields or pc_id
	Page    Page
}

// jsonPath addresses one top-level key of facts_json, quoted so a key with
// dots or spaces is one key; it is bound as a parameter, never spliced.
func jsonPath(field string) string {
	return `$."` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(field) + `"`
}

// SearchScalars pages the PCs whose facts match every filter, ordered by
// pc_id (the primary key's first column, so a page never sorts), with the
// total capped at CountCap. A numeric field's comparison value must be a
// number; the LIKE operators (prefix, contains, suffix) match the text.
func (s *Store) SearchScalars(ctx context.Context, q ScalarQuery) ([]ExplodeRow, int, error) {
	var w where
	w.add("job_id = ?", q.JobID)
	fields := map[string]ScalarField{}
	for _, f := range q.Fields {
		fields[f.Field] = f
	}
	for _, f := range q.Filters {
		expr, numeric := "pc_id", false
		var exprArgs []any
		if f.Column != "pc_id" {
			sf, ok := fields[f.Column]
			if !ok {
				return nil, 0, fmt.Errorf("unknown column for filter: %q", f.Column)
			}
			expr, numeric, exprArgs = "json_extract(facts_json, ?)", sf.Numeric, []any{jsonPath(sf.Field)}
		}
		switch f.Op {
		case "prefix":
			w.add("CAST("+expr+" AS TEXT) LIKE ? ESCAPE '\\'", append(exprArgs, likeArg("", f.Value, "%"))...)
		case "contains":
			w.add("CAST("+expr+" AS TEXT) LIKE ? ESCAPE '\\'", append(exprArgs, likeArg("%", f.Value, "%"))...)
		case "suffix":
			w.add("CAST("+expr+" AS TEXT) LIKE ? ESCAPE '\\'", append(exprArgs, likeArg("%", f.Value, ""))...)
		default:
			op, ok := FilterOps[f.Op]
			if !ok {
				return nil, 0, fmt.Errorf("unknown filter operator %q", f.Op)
			}
			if !numeric {
				w.add(expr+" "+op+" ?", append(exprArgs, f.Value)...)
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(f.Value), 64)
			if err != nil {
				return nil, 0, fmt.Errorf("filter value for %q must be a number: %q", f.Column, f.Value)
			}
			w.add("CAST("+expr+" AS REAL) "+op+" ?", append(exprArgs, v)...)
		}
	}
	total, err := s.count(ctx, "inventory_facts", &w)
	if err != nil {
		return nil, 0, err
	}
	cols := []string{"pc_id", "collected_at"}
	var colArgs []any
	for _, f := range q.Fields {
		cols = append(cols, "json_extract(facts_json, ?)")
		colArgs = append(colArgs, jsonPath(f.Field))
	}
	args := append(append(colArgs, w.args...), q.Page.Limit, q.Page.Offset)
	r, err := s.reader.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM inventory_facts"+w.sql()+" ORDER BY pc_id LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	out := []ExplodeRow{}
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return nil, 0, err
		}
		row := ExplodeRow{"pc_id": textOf(vals[0]), "collected_at": nil, "@account_user": nil, "@account_display_name": nil}
		if at := timeText(vals[1]); at.Valid {
			if t, err := ParseTime(at.String); err == nil {
				row["collected_at"] = t.UTC().Format(time.RFC3339Nano)
			}
		}
		for i, f := range q.Fields {
			row[f.Field] = textOf(vals[i+2])
		}
		out = append(out, row)
	}
	return out, total, r.Err()
}
