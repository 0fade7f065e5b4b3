package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// ExplodeFilter is one condition of an explode search: Column Op Value.
// Ops: eq ne lt le gt ge (compared by SQLite with the column's affinity),
// prefix (case-sensitive, an index range on text columns), contains and
// suffix (LIKE, ASCII case-insensitive, wildcards escaped; never indexed).
type ExplodeFilter struct {
	Column, Op, Value string
}

// FilterOps are the operators of ExplodeFilter.
var FilterOps = map[string]string{"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "prefix": "", "contains": "", "suffix": ""}

// ExplodeQuery searches one explode table.
type ExplodeQuery struct {
	JobID   string
	Spec    wire.ExplodeSpec
	Filters []ExplodeFilter
	Page    Page
}

// ExplodeRow is one search hit: pc_id, collected_at, the spec's columns
// typed by their column type, and @account_user/@account_display_name
// (always null here: 0.29 heartbeats carry no logon user).
type ExplodeRow map[string]any

// likeArg escapes LIKE wildcards for ESCAPE '\'.
func likeArg(prefix, v, suffix string) string {
	return prefix + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(v) + suffix
}

// SearchExplode pages the rows matching every filter, with the total
// capped at CountCap.
//
// Order: the order of the index the query is answered from, so a page
// never sorts every match (sorting 5,000 matches of "name = X" by pc_id
// took ~80 ms at 10M rows, a prefix's 500,000 seconds; make
// bench-inventory). With an equality filter on pc_id: pc_id, then the key
// (kanade orders by pc_id, collected_at DESC; a PC has one collection per
// table, so this is the same order made deterministic). Otherwise the
// driving column is the first indexed column (spec order) with an
// equality filter, else with a range filter (lt le gt ge prefix), and rows
// come in that column's index order: the column, the spec's other indexed
// columns, then pc_id and the key — "name = Chrome" lists Chrome by
// version, then PC. Without an indexed filter: pc_id, then the key.
//
// The table belongs to one job (EnsureExplode refuses a second owner), so
// job_id is not a condition; q.JobID names the table's job for the caller.
func (s *Store) SearchExplode(ctx context.Context, q ExplodeQuery) ([]ExplodeRow, int, error) {
	query, cols, w, err := q.pageSQL()
	if err != nil {
		return nil, 0, err
	}
	total, err := s.count(ctx, quoteIdent(q.Spec.Table)+" AS t", &w)
	if err != nil {
		return nil, 0, err
	}
	r, err := s.reader.QueryContext(ctx, query, append(w.args, q.Page.Limit, q.Page.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	out := []ExplodeRow{}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for r.Next() {
		clear(vals)
		if err := r.Scan(ptrs...); err != nil {
			return nil, 0, err
		}
		row := ExplodeRow{"pc_id": textOf(vals[0]), "collected_at": nil, "@account_user": nil, "@account_display_name": nil}
		for i, c := range q.Spec.Columns {
			row[c.Field] = typed(c.Kind(), vals[i+1])
		}
		if at, ok := rfc3339(vals[len(vals)-1]); ok {
			row["collected_at"] = at
		}
		out = append(out, row)
	}
	if err := r.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// rfc3339 renders a scanned timestamp for JSON (the driver hands TIMESTAMP
// columns over as time.Time; formatting that directly halves the time
// conversions of a 1,000-row page).
func rfc3339(v any) (string, bool) {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(time.RFC3339Nano), true
	}
	if s := timeText(v); s.Valid {
		if t, err := ParseTime(s.String); err == nil {
			return t.UTC().Format(time.RFC3339Nano), true
		}
	}
	return "", false
}

// pageSQL is the page query of q (its arguments: w.args, then limit and
// offset), the columns it selects, and its conditions.
func (q ExplodeQuery) pageSQL() (query string, cols []string, w where, err error) {
	drive, driveRange, byPC := "", "", false
	for _, c := range q.Spec.Columns {
		if !c.Index {
			continue
		}
		for _, f := range q.Filters {
			if f.Column != c.Field {
				continue
			}
			switch f.Op {
			case "eq":
				if drive == "" {
					drive = c.Field
				}
			case "lt", "le", "gt", "ge":
				if driveRange == "" {
					driveRange = c.Field
				}
			case "prefix":
				if driveRange == "" && c.Kind() == wire.ColumnText {
					driveRange = c.Field
				}
			}
		}
	}
	for _, f := range q.Filters {
		if f.Column == "pc_id" && f.Op == "eq" {
			byPC = true
		}
	}
	if drive == "" {
		drive = driveRange
	}
	order := []string{"t.pc_id", "t.job_id"}
	if drive != "" && !byPC {
		lead := []string{"t." + quoteIdent(drive)}
		for _, c := range q.Spec.Columns {
			if c.Index && c.Field != drive {
				lead = append(lead, "t."+quoteIdent(c.Field))
			}
		}
		order = append(lead, order...)
	}
	for _, f := range q.Filters {
		col := "t.pc_id"
		kind := wire.ColumnText
		if f.Column != "pc_id" {
			c := q.Spec.Column(f.Column)
			if c == nil {
				return "", nil, where{}, fmt.Errorf("unknown column for filter: %q", f.Column)
			}
			col, kind = "t."+quoteIdent(c.Field), c.Kind()
		}
		switch f.Op {
		case "prefix":
			if kind == wire.ColumnText {
				// A range, so an index on the column answers it.
				w.add(col+" >= ? AND "+col+" < ?", f.Value, f.Value+"\xff")
			} else {
				w.add("CAST("+col+" AS TEXT) LIKE ? ESCAPE '\\'", likeArg("", f.Value, "%"))
			}
		case "contains":
			w.add(col+" LIKE ? ESCAPE '\\'", likeArg("%", f.Value, "%"))
		case "suffix":
			w.add(col+" LIKE ? ESCAPE '\\'", likeArg("%", f.Value, ""))
		default:
			op, ok := FilterOps[f.Op]
			if !ok {
				return "", nil, where{}, fmt.Errorf("unknown filter operator %q", f.Op)
			}
			w.add(col+" "+op+" ?", f.Value)
		}
	}
	// The PC's newest collection (a row's own collected_at is when it was
	// last written) comes from inventory_facts, joined per row through the
	// index that holds it (0011): an index seek inside the query, cheaper
	// than a second query per page (the facts row itself keeps collected_at
	// behind its document). The explode table stays the outer loop (LEFT
	// JOIN), so the page is still read in its index's order. INDEXED BY: the
	// planner otherwise takes the primary key and reads the facts row.
	cols = []string{"t.pc_id"}
	for _, c := range q.Spec.Columns {
		cols = append(cols, "t."+quoteIdent(c.Field))
	}
	cols = append(cols, "f.collected_at")
	// Then the primary-key columns not in the order yet (the index holds
	// them right after job_id); repeating one would make SQLite sort.
	for _, k := range q.Spec.PrimaryKey {
		if !slices.Contains(order, "t."+quoteIdent(k)) {
			order = append(order, "t."+quoteIdent(k))
		}
	}
	query = "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteIdent(q.Spec.Table) + " AS t" +
		" LEFT JOIN inventory_facts AS f INDEXED BY idx_inventory_facts_job_pc_collected ON f.job_id = t.job_id AND f.pc_id = t.pc_id" +
		w.sql() + " ORDER BY " + strings.Join(order, ", ") + " LIMIT ? OFFSET ?"
	return query, cols, w, nil
}

func textOf(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// typed shapes a scanned value for JSON: numbers stay numbers in integer
// and real columns, everything else is a string or null.
func typed(kind string, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return string(x)
	case int64:
		if kind == wire.ColumnText {
			return fmt.Sprint(x)
		}
		return x
	case float64:
		if kind == wire.ColumnText {
			return fmt.Sprint(x)
		}
		return x
	case time.Time: // a text value the driver took for a time
		return FormatTime(x)
	}
	return v
}

// HistoryQuery filters inventory_history. Identity matches keys of
// identity_json (compared as text).
type HistoryQuery struct {
	JobID    string
	PCID     string // "" for every PC
	Field    string
	Kind     string
	Since    *time.Time
	Until    *time.Time // exclusive
	Identity map[string]string
	Page     Page
}

// HistoryRow is one inventory_history row; identity_json, before_json and
// after_json are JSON text, as kanade serves them.
type HistoryRow struct {
	ID           int64     `json:"id"`
	PCID         string    `json:"pc_id"`
	JobID        string    `json:"job_id"`
	FieldPath    string    `json:"field_path"`
	IdentityJSON *string   `json:"identity_json"`
	ChangeKind   string    `json:"change_kind"`
	BeforeJSON   *string   `json:"before_json"`
	AfterJSON    *string   `json:"after_json"`
	ObservedAt   time.Time `json:"observed_at"`
}

func (q HistoryQuery) where() *where {
	w := &where{}
	w.add("job_id = ?", q.JobID)
	if q.PCID != "" {
		w.add("pc_id = ?", q.PCID)
	}
	if q.Field != "" {
		w.add("field_path = ?", q.Field)
	}
	if q.Kind != "" {
		w.add("change_kind = ?", q.Kind)
	}
	if q.Since != nil {
		w.add("observed_at >= ?", FormatTime(*q.Since))
	}
	if q.Until != nil {
		w.add("observed_at < ?", FormatTime(*q.Until))
	}
	keys := make([]string, 0, len(q.Identity))
	for k := range q.Identity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !wire.ValidIdentifier(k) {
			continue // the console refuses these before; never into a JSON path
		}
		w.add("CAST(json_extract(identity_json, '$."+k+"') AS TEXT) = ?", q.Identity[k])
	}
	return w
}

// History pages history events, newest first, with the total (capped).
func (s *Store) History(ctx context.Context, q HistoryQuery) ([]HistoryRow, int, error) {
	w := q.where()
	total, err := s.count(ctx, "inventory_history", w)
	if err != nil {
		return nil, 0, err
	}
	r, err := s.reader.QueryContext(ctx, `SELECT id, pc_id, job_id, field_path, identity_json, change_kind, before_json, after_json, observed_at
		FROM inventory_history`+w.sql()+` ORDER BY observed_at DESC, id DESC LIMIT ? OFFSET ?`, append(w.args, q.Page.Limit, q.Page.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	out := []HistoryRow{}
	for r.Next() {
		var h HistoryRow
		var at any
		if err := r.Scan(&h.ID, &h.PCID, &h.JobID, &h.FieldPath, &h.IdentityJSON, &h.ChangeKind, &h.BeforeJSON, &h.AfterJSON, &at); err != nil {
			return nil, 0, err
		}
		h.ObservedAt = scanTime(at)
		out = append(out, h)
	}
	return out, total, r.Err()
}

// FirstSeen is one PC's earliest matching history event (kanade #91).
type FirstSeen struct {
	PCID        string    `json:"pc_id"`
	FirstSeenAt time.Time `json:"first_seen_at"`
}

// FirstSeen lists, per PC, the earliest event matching q (Kind, Until and
// PCID are not used), earliest first. It reads history, so it survives
// re-collection and is bounded only by history retention.
func (s *Store) FirstSeen(ctx context.Context, q HistoryQuery) ([]FirstSeen, error) {
	q.Kind, q.Until, q.PCID = "", nil, ""
	w := q.where()
	r, err := s.reader.QueryContext(ctx, `SELECT pc_id, MIN(observed_at) AS first FROM inventory_history`+w.sql()+
		` GROUP BY pc_id ORDER BY first ASC, pc_id LIMIT ? OFFSET ?`, append(w.args, q.Page.Limit, q.Page.Offset)...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := []FirstSeen{}
	for r.Next() {
		var f FirstSeen
		var at any
		if err := r.Scan(&f.PCID, &at); err != nil {
			return nil, err
		}
		f.FirstSeenAt = scanTime(at)
		out = append(out, f)
	}
	return out, r.Err()
}

func scanTime(v any) time.Time {
	at := timeText(v)
	if !at.Valid {
		return time.Time{}
	}
	t, _ := ParseTime(at.String)
	return t.UTC()
}

// ExplodeReady reports whether the console made spec's table for jobID
// from this very spec (applied, not refused, not awaiting a migration).
func (s *Store) ExplodeReady(ctx context.Context, jobID string, spec wire.ExplodeSpec) (bool, error) {
	b, err := json.Marshal(spec)
	if err != nil {
		return false, err
	}
	var n int
	err = s.reader.QueryRowContext(ctx, "SELECT count(*) FROM inventory_explode_specs WHERE table_name = ? AND job_id = ? AND spec_json = ?", spec.Table, jobID, string(b)).Scan(&n)
	return n > 0, err
}
