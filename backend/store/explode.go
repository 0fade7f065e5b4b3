package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Derived explode tables (kanade v0.31 #40, projector/explode.rs): one table
// per manifest explode spec, named by the operator, with one row per element
// of the stdout array, keyed (pc_id, job_id, primary_key...).
//
// Differences from kanade, chosen for speed and safety:
//   - The tables are WITHOUT ROWID: a PC's rows are stored together, so
//     replacing them touches a few pages, and every secondary index carries
//     (pc_id, job_id, pk...) so an equality search is answered in pc_id order
//     from the index alone. A row with a NULL primary-key value cannot be
//     stored there; such elements are skipped (kanade stored them).
//   - Rows are replaced by difference, not delete-all-then-insert: unchanged
//     rows are not rewritten (only their collected_at), which makes an
//     unchanged re-collection cheap. The end state is the same.
//   - A changed spec rebuilds the table from inventory_facts (the newest
//     collection of every PC), not by copying the old table's columns.
//   - A table is only ever created, filled or dropped when
//     inventory_explode_specs says the console made it for this job: a
//     manifest naming an existing table of any other kind is refused.

// ErrExplodeTable is a spec the store refuses to apply (its table belongs
// to something else).
var ErrExplodeTable = errors.New("explode table refused")

// quoteIdent double-quotes an SQL identifier. Spec identifiers are already
// held to [A-Za-z_][A-Za-z0-9_]*; quoting keeps reserved words working.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func sqlType(kind string) string {
	switch kind {
	case wire.ColumnInteger:
		return "INTEGER"
	case wire.ColumnReal:
		return "REAL"
	}
	return "TEXT"
}

// explodeTable is a spec turned into SQL.
type explodeTable struct {
	spec    wire.ExplodeSpec
	jobID   string
	create  string
	indexes []string
	key     string // what decides whether an existing table must be rebuilt
	json    string // the spec as stored in inventory_explode_specs
	pkIdx   []int  // positions of the primary-key columns in spec.Columns

	insert, update, delete string

	insertMu    sync.Mutex
	insertMulti map[int]string // insertN's statements by row count
}

func newExplodeTable(jobID string, spec wire.ExplodeSpec) (*explodeTable, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	t := &explodeTable{spec: spec, jobID: jobID}
	tbl := quoteIdent(spec.Table)
	var cols, colDefs, pk, pkWhere, set []string
	for _, c := range spec.Columns {
		q := quoteIdent(c.Field)
		cols = append(cols, q)
		colDefs = append(colDefs, q+" "+sqlType(c.Kind()))
		set = append(set, q+" = ?")
	}
	for _, k := range spec.PrimaryKey {
		for i, c := range spec.Columns {
			if c.Field == k {
				t.pkIdx = append(t.pkIdx, i)
			}
		}
		pk = append(pk, quoteIdent(k))
		pkWhere = append(pkWhere, quoteIdent(k)+" = ?")
	}
	t.create = fmt.Sprintf("CREATE TABLE %s (pc_id TEXT NOT NULL, job_id TEXT NOT NULL, collected_at TIMESTAMP, %s, PRIMARY KEY (pc_id, job_id, %s)) WITHOUT ROWID",
		tbl, strings.Join(colDefs, ", "), strings.Join(pk, ", "))
	// Each index: the column, then the spec's other indexed columns, then
	// the key (pc_id, job_id, the primary-key columns not yet in it), then
	// every other column. A search combining indexed columns ("name = X
	// and version < Y", the question kanade's search exists for) is
	// answered and counted from one index, and a page's rows are read from
	// it too, without a table lookup per row: a 1,000-row page of
	// "name = X" took 19 ms with a lookup per row, 9 ms from the index
	// (make bench-inventory; the unindexed columns are usually short, so
	// an index is barely larger than before). The key before the rest
	// keeps the index in the order SearchExplode pages by.
	var indexed, rest []string
	for _, c := range spec.Columns {
		if c.Index {
			indexed = append(indexed, quoteIdent(c.Field))
		}
	}
	inIndex := func(list []string, q string) bool {
		for _, x := range list {
			if x == q {
				return true
			}
		}
		return false
	}
	keyTail := []string{"pc_id", "job_id"}
	for _, q := range pk {
		if !inIndex(indexed, q) {
			keyTail = append(keyTail, q)
		}
	}
	for _, c := range spec.Columns {
		if q := quoteIdent(c.Field); !inIndex(indexed, q) && !inIndex(keyTail, q) {
			rest = append(rest, q)
		}
	}
	for _, c := range spec.Columns {
		if !c.Index {
			continue
		}
		cols := []string{quoteIdent(c.Field)}
		for _, o := range indexed {
			if o != cols[0] {
				cols = append(cols, o)
			}
		}
		cols = append(append(cols, keyTail...), rest...)
		t.indexes = append(t.indexes, fmt.Sprintf("CREATE INDEX %s ON %s (%s)", quoteIdent("idx_"+spec.Table+"_"+c.Field), tbl, strings.Join(cols, ", ")))
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	t.json = string(b)
	t.key = "field=" + spec.Field + "\n" + t.create + "\n" + strings.Join(t.indexes, "\n")
	// OR FAIL: a failing statement keeps what it already wrote instead of
	// undoing itself, so SQLite needs no statement journal — which it
	// otherwise writes to a temp file, page by page, for every INSERT
	// into a table with indexes (29% of a first collection's CPU in a
	// profile). Nothing is lost: these statements run only inside
	// Store.Project, which rolls the whole transaction back on any error.
	t.insert = fmt.Sprintf("INSERT OR FAIL INTO %s (pc_id, job_id, collected_at, %s) VALUES (?, ?, ?%s)", tbl, strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)))
	t.update = fmt.Sprintf("UPDATE OR FAIL %s SET %s, collected_at = ? WHERE pc_id = ? AND job_id = ? AND %s", tbl, strings.Join(set, ", "), strings.Join(pkWhere, " AND "))
	t.delete = fmt.Sprintf("DELETE FROM %s WHERE pc_id = ? AND job_id = ? AND %s", tbl, strings.Join(pkWhere, " AND "))
	return t, nil
}

// insertChunk is the most rows one explode INSERT statement carries: 32
// rows of a 5-column spec bind 256 parameters, well below SQLite's limit
// (32766) even for wide specs.
const insertChunk = 32

// insertN is the INSERT of n rows (n <= insertChunk), built once per arity.
func (et *explodeTable) insertN(n int) string {
	if n == 1 {
		return et.insert
	}
	et.insertMu.Lock()
	defer et.insertMu.Unlock()
	if et.insertMulti == nil {
		et.insertMulti = map[int]string{}
	}
	q, ok := et.insertMulti[n]
	if !ok {
		row := "(?, ?, ?" + strings.Repeat(", ?", len(et.spec.Columns)) + ")"
		head, _, _ := strings.Cut(et.insert, " VALUES ")
		q = head + " VALUES " + row + strings.Repeat(", "+row, n-1)
		et.insertMulti[n] = q
	}
	return q
}

// applied is the explode cache's value once this spec is in place.
func (et *explodeTable) applied() string { return et.jobID + "\n" + et.key + "\n" + et.json }

// explodeCache remembers, per table (lower case), the spec applied in
// this process, so the hot path checks a map instead of the database.
type explodeCache struct {
	mu sync.Mutex
	m  map[string]string // lower(table) -> explodeTable.applied()
}

func (c *explodeCache) get(table string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[strings.ToLower(table)]
}

func (c *explodeCache) set(table, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	if v == "" {
		delete(c.m, strings.ToLower(table))
		return
	}
	c.m[strings.ToLower(table)] = v
}

// EnsureExplode makes jobID's explode tables match its specs: a new spec's
// table is created and filled from inventory_facts, a changed one is
// rebuilt the same way, an unchanged one is left alone; tables the job had
// for fields it no longer explodes are dropped. It returns the specs it
// refused (a table name taken by another job or by a table the console did
// not make), each with its reason; the others are applied regardless.
func (t *Tx) EnsureExplode(ctx context.Context, jobID string, specs []wire.ExplodeSpec) (refused map[string]error, err error) {
	keep := map[string]bool{}
	for _, spec := range specs {
		et, err := newExplodeTable(jobID, spec)
		if err != nil {
			if refused == nil {
				refused = map[string]error{}
			}
			refused[spec.Table] = err
			continue
		}
		if rerr, err := t.ensureTable(ctx, et); err != nil {
			return refused, err
		} else if rerr != nil {
			if refused == nil {
				refused = map[string]error{}
			}
			refused[spec.Table] = rerr
			continue
		}
		keep[strings.ToLower(spec.Table)] = true
	}
	return refused, t.dropExplodeExcept(ctx, jobID, keep)
}

// DropExplode drops every explode table of a deleted job.
func (t *Tx) DropExplode(ctx context.Context, jobID string) error {
	return t.dropExplodeExcept(ctx, jobID, nil)
}

func (t *Tx) dropExplodeExcept(ctx context.Context, jobID string, keep map[string]bool) error {
	rows, err := t.tx.QueryContext(ctx, "SELECT table_name FROM inventory_explode_specs WHERE job_id = ?", jobID)
	if err != nil {
		return err
	}
	var drop []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		if !keep[strings.ToLower(name)] {
			drop = append(drop, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range drop {
		if _, err := t.tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+quoteIdent(name)); err != nil {
			return err
		}
		if _, err := t.tx.ExecContext(ctx, "DELETE FROM inventory_explode_specs WHERE table_name = ?", name); err != nil {
			return err
		}
		t.afterCommit(func(s *Store) { s.explode.set(name, "") })
	}
	return nil
}

// ensureTable applies one spec. refusal is non-nil when the table may not
// be touched; err is a database failure.
func (t *Tx) ensureTable(ctx context.Context, et *explodeTable) (refusal, err error) {
	want := et.applied()
	if t.store.explode.get(et.spec.Table) == want {
		return nil, nil
	}
	var owner, key string
	err = t.tx.QueryRowContext(ctx, "SELECT job_id, spec_key FROM inventory_explode_specs WHERE table_name = ?", et.spec.Table).Scan(&owner, &key)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var n int
		if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE lower(name) = lower(?)", et.spec.Table).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			return fmt.Errorf("%w: %q already exists and is not an explode table", ErrExplodeTable, et.spec.Table), nil
		}
	case err != nil:
		return nil, err
	case owner != et.jobID:
		return fmt.Errorf("%w: %q is the explode table of job %q", ErrExplodeTable, et.spec.Table, owner), nil
	case key == et.key:
		// Same table; the spec may differ in what does not shape it
		// (track_history, unknown keys).
		if _, err := t.tx.ExecContext(ctx, "UPDATE inventory_explode_specs SET spec_json = ?, updated_at = ? WHERE table_name = ? AND spec_json <> ?", et.json, t.now, et.spec.Table, et.json); err != nil {
			return nil, err
		}
		t.afterCommit(func(s *Store) { s.explode.set(et.spec.Table, want) })
		return nil, nil
	}
	// New or changed: (re)build it from the facts, in this transaction.
	if err := t.rebuild(ctx, et); err != nil {
		return nil, err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO inventory_explode_specs (table_name, job_id, field, spec_key, spec_json, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(table_name) DO UPDATE SET table_name = excluded.table_name, job_id = excluded.job_id, field = excluded.field,
			spec_key = excluded.spec_key, spec_json = excluded.spec_json, updated_at = excluded.updated_at`,
		et.spec.Table, et.jobID, et.spec.Field, et.key, et.json, t.now); err != nil {
		return nil, err
	}
	t.afterCommit(func(s *Store) { s.explode.set(et.spec.Table, want) })
	return nil, nil
}

// rebuild drops and re-creates the table and fills it from every PC's
// newest facts of the job. No history is written: nothing was observed.
func (t *Tx) rebuild(ctx context.Context, et *explodeTable) error {
	stmts := append([]string{"DROP TABLE IF EXISTS " + quoteIdent(et.spec.Table), et.create}, et.indexes...)
	for _, q := range stmts {
		if _, err := t.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("explode table %s: %w", et.spec.Table, err)
		}
	}
	ins, err := t.tx.PrepareContext(ctx, et.insert)
	if err != nil {
		return err
	}
	defer ins.Close()
	// In chunks: a cursor cannot stay open on the writer while it inserts.
	after := ""
	for {
		type fact struct {
			pc, facts string
			at        sql.NullString
		}
		var chunk []fact
		rows, err := t.tx.QueryContext(ctx, "SELECT pc_id, facts_json, collected_at FROM inventory_facts WHERE job_id = ? AND pc_id > ? ORDER BY pc_id LIMIT 500", et.jobID, after)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f fact
			var at any
			if err := rows.Scan(&f.pc, &f.facts, &at); err != nil {
				rows.Close()
				return err
			}
			f.at = timeText(at)
			chunk = append(chunk, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(chunk) == 0 {
			return nil
		}
		for _, f := range chunk {
			elems := explodeArray(et.spec, FactFields(f.facts)[et.spec.Field])
			for _, e := range uniqueRows(et, elems) {
				args := append([]any{f.pc, et.jobID, f.at}, e.vals...)
				if _, err := ins.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
		}
		after = chunk[len(chunk)-1].pc
	}
}

// timeText turns a scanned TIMESTAMP (time.Time from the driver, or text)
// back into the stored layout.
func timeText(v any) sql.NullString {
	switch x := v.(type) {
	case time.Time:
		return sql.NullString{String: FormatTime(x), Valid: true}
	case string:
		return sql.NullString{String: x, Valid: true}
	case []byte:
		return sql.NullString{String: string(x), Valid: true}
	}
	return sql.NullString{}
}

// explodeArray binds the object elements of one array (kanade: a missing
// value or a non-array is no elements, a non-object element is skipped).
func explodeArray(spec wire.ExplodeSpec, raw string) []explodeElem {
	elems := arrayElements(raw)
	out := make([]explodeElem, 0, len(elems))
	for _, e := range elems {
		if el, ok := bindElement(spec, e); ok {
			out = append(out, el)
		}
	}
	return out
}

// keyedArrays keys a prior and a next array for a re-collection, where
// most elements are the same text in both: each element gets its row key
// (duplicates and NULL keys dropped as uniqueRows does) but no values —
// an element whose text is unchanged needs none, and the few that changed
// are bound when they are written (explodeElem.bound). Keying reads only
// the primary-key members (keyOf); binding every element was most of a
// re-collection's cost (make bench-inventory).
func keyedArrays(et *explodeTable, prior, next string) (before, incoming []explodeElem) {
	keyed := func(raw string) []explodeElem {
		elems := arrayElements(raw)
		out := make([]explodeElem, 0, len(elems))
		seen := make(map[string]bool, len(elems))
		for _, e := range elems {
			k, ok := et.keyOf(e)
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, explodeElem{raw: e, key: k})
		}
		return out
	}
	return keyed(prior), keyed(next)
}

type explodeElem struct {
	raw  string // the element's JSON text, for history's after_json
	vals []any  // bound values in spec column order (nil until bound when keyed)
	key  string
}

// rowKey is an in-memory identity of a row, written so that two values
// are the same exactly when their JSON is: a string that needs no JSON
// escape as itself in double quotes (its JSON text), any other string
// quoted by strconv behind a backslash, an integer in digits, a real as
// JSON (an integral one equal to the integer). One key column is the value
// alone, several are k=<value>|k=<value> (a string of the first kind holds
// no quote, so its end is unambiguous). keyOf hands out a plain string
// key as the element's own text, without a copy: keying every element of
// a re-collection was its largest cost (make bench-inventory).
func rowKey(et *explodeTable, vals []any) (string, bool) {
	if len(et.pkIdx) == 1 {
		if s, ok := vals[et.pkIdx[0]].(string); ok && plainJSONString(s) {
			return `"` + s + `"`, true
		}
	}
	b := make([]byte, 0, 64)
	for n, i := range et.pkIdx {
		if vals[i] == nil {
			return "", false
		}
		if len(et.pkIdx) > 1 {
			if n > 0 {
				b = append(b, '|')
			}
			b = append(append(b, et.spec.Columns[i].Field...), '=')
		}
		b = appendKeyValue(b, vals[i])
	}
	return string(b), true
}

func appendKeyValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		if plainJSONString(v) {
			return append(append(append(b, '"'), v...), '"')
		}
		return strconv.AppendQuote(append(b, '\\'), v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	}
	j, _ := json.Marshal(v)
	return append(b, j...)
}

// plainJSONString: s is valid UTF-8 without a quote, a backslash or a
// control character, so "s" is its JSON text.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return false
		}
	}
	return utf8.ValidString(s)
}

// keyOf is the row key of one element (what rowKey gives for its bound
// values) and whether it has one. An element without escapes whose key
// members each occur once is keyed by looking up only those members; a
// single plain string key is then the member's text itself. Any other
// element is bound in full.
func (et *explodeTable) keyOf(raw string) (string, bool) {
	if raw == "" || raw[0] != '{' {
		return "", false
	}
	if et.lookupKeyable(raw) {
		vals := make([]any, len(et.spec.Columns))
		for _, i := range et.pkIdx {
			c := et.spec.Columns[i]
			v := gjson.Get(raw, c.Field)
			if len(et.pkIdx) == 1 && v.Type == gjson.String && len(v.Raw) >= 2 && plainJSONString(v.Raw[1:len(v.Raw)-1]) {
				return v.Raw, true // what rowKey writes for it, without the copy
			}
			if v.Exists() {
				vals[i] = bindValue(c.Kind(), v.Raw)
			}
		}
		return rowKey(et, vals)
	}
	el, ok := bindElement(et.spec, raw)
	if !ok {
		return "", false
	}
	return rowKey(et, el.vals)
}

// lookupKeyable: looking the key members up by name gives what binding the
// whole element gives — nothing is escaped (a key's text is its name), the
// names are plain (gjson.Get reads them literally) and none occurs twice
// (no member repeats it; a repeated one counts last when bound).
func (et *explodeTable) lookupKeyable(raw string) bool {
	if strings.IndexByte(raw, '\\') >= 0 {
		return false
	}
	for _, i := range et.pkIdx {
		f := et.spec.Columns[i].Field
		if !plainName(f) || quotedCount(raw, f) > 1 {
			return false
		}
	}
	return true
}

// bound binds a keyed element's values on first use.
func (e *explodeElem) bound(spec wire.ExplodeSpec) []any {
	if e.vals == nil {
		el, _ := bindElement(spec, e.raw)
		e.vals = el.vals
	}
	return e.vals
}

// uniqueRows keys the elements; the first of a duplicate key wins (kanade's
// second insert fails and is skipped) and a NULL key is skipped.
func uniqueRows(et *explodeTable, elems []explodeElem) []explodeElem {
	seen := make(map[string]bool, len(elems))
	out := elems[:0]
	for _, e := range elems {
		k, ok := rowKey(et, e.vals)
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		e.key = k
		out = append(out, e)
	}
	return out
}

func identityJSON(et *explodeTable, vals []any) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for n, i := range et.pkIdx {
		if n > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(et.spec.Columns[i].Field)
		v, _ := json.Marshal(vals[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

func rowJSON(et *explodeTable, vals []any) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range et.spec.Columns {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Field)
		v, _ := json.Marshal(vals[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

func sameValues(a, b []any) bool {
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return x == y
		case int64:
			return x == float64(y)
		}
	case string:
		switch y := b.(type) {
		case string:
			return x == y
		case []byte:
			return x == string(y)
		}
	case []byte:
		return sameValue(string(x), b)
	}
	return false
}

// HistoryEvent is one inventory_history row to write.
type HistoryEvent struct {
	PCID, JobID, FieldPath string
	Identity               *string
	Kind                   string // added, removed, changed
	Before, After          *string
	ObservedAt             time.Time
}

func (t *Tx) insertHistory(ctx context.Context, evs []HistoryEvent) error {
	if len(evs) == 0 {
		return nil
	}
	if len(evs) == 1 {
		e := evs[0]
		_, err := t.stmt(ctx, t.stmts.insertHistory).ExecContext(ctx, e.PCID, e.JobID, e.FieldPath, e.Identity, e.Kind, e.Before, e.After, FormatTime(e.ObservedAt))
		return err
	}
	// Several rows per statement (a first collection with track_history
	// writes one event per element); SQLite assigns the ids in VALUES
	// order, so the events keep their order.
	const row = "(?, ?, ?, ?, ?, ?, ?, ?)"
	args := make([]any, 0, 8*min(len(evs), insertChunk))
	for len(evs) > 0 {
		n := min(len(evs), insertChunk)
		args = args[:0]
		for _, e := range evs[:n] {
			args = append(args, e.PCID, e.JobID, e.FieldPath, e.Identity, e.Kind, e.Before, e.After, FormatTime(e.ObservedAt))
		}
		evs = evs[n:]
		st, err := t.cachedStmt(ctx, "INSERT OR FAIL INTO inventory_history (pc_id, job_id, field_path, identity_json, change_kind, before_json, after_json, observed_at) VALUES "+row+strings.Repeat(", "+row, n-1))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// InventoryPrior is what the projector needs of a PC's stored facts before
// it stores a new collection.
type InventoryPrior struct {
	Found       bool
	FactsJSON   string
	CollectedAt string // stored layout; "" when NULL
}

// PriorInventory reads a PC's stored facts of one job.
func (t *Tx) PriorInventory(ctx context.Context, pcID, jobID string) (InventoryPrior, error) {
	var p InventoryPrior
	var at any
	err := t.stmt(ctx, t.stmts.priorInventory).QueryRowContext(ctx, pcID, jobID).Scan(&p.FactsJSON, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	p.Found = true
	p.CollectedAt = timeText(at).String
	return p, nil
}

// explodeFor returns the prepared table of a spec, ensuring it (lazily,
// like kanade at search time) when this process has not yet; nil when the
// spec is refused.
func (t *Tx) explodeFor(ctx context.Context, jobID string, spec wire.ExplodeSpec) (*explodeTable, error) {
	et, err := t.store.explodeTableOf(jobID, spec)
	if err != nil {
		return nil, nil // an invalid spec explodes nothing; the jobs mirror logged it
	}
	if t.store.explode.get(spec.Table) != et.applied() {
		refusal, err := t.ensureTable(ctx, et)
		if err != nil || refusal != nil {
			return nil, err
		}
	}
	return et, nil
}

// ReplaceExplodeRows makes a PC's rows of one explode table match a newer
// collection, writing history events for track_history specs. prior and
// next are the top-level fields of the stored facts (nil when none) and of
// the new collection; the caller has checked that next is not older.
//
// The difference is computed from prior's array, not read back from the
// table: the table is always what the stored facts explode to (both are
// written in one transaction, and a new or changed spec rebuilds the table
// from the facts), so an unchanged array costs no SQL at all and a changed
// one writes only the rows that differ. collected_at of a row is the
// collection that last wrote it; the search reads each PC's newest
// collection time from inventory_facts.
func (t *Tx) ReplaceExplodeRows(ctx context.Context, jobID, pcID string, spec wire.ExplodeSpec, prior, next Fields, collectedAt time.Time) error {
	et, err := t.explodeFor(ctx, jobID, spec)
	if et == nil || err != nil {
		return err
	}
	if prior != nil && prior[spec.Field] == next[spec.Field] {
		return nil // the same array as the rows already hold
	}
	var incoming, before []explodeElem
	if prior == nil {
		incoming = uniqueRows(et, explodeArray(spec, next[spec.Field]))
	} else {
		before, incoming = keyedArrays(et, prior[spec.Field], next[spec.Field])
	}
	if len(incoming) == 0 && len(before) == 0 {
		return nil
	}
	priorByKey := make(map[string]*explodeElem, len(before))
	for i := range before {
		priorByKey[before[i].key] = &before[i]
	}
	at := FormatTime(collectedAt)
	exec := func(q string, args ...any) error {
		st, err := t.cachedStmt(ctx, q)
		if err == nil {
			_, err = st.ExecContext(ctx, args...)
		}
		return err
	}
	var evs []HistoryEvent
	track := spec.TrackHistory
	ev := func(kind string, vals []any, before, after *string) {
		id := identityJSON(et, vals)
		evs = append(evs, HistoryEvent{PCID: pcID, JobID: jobID, FieldPath: spec.Field, Identity: &id, Kind: kind, Before: before, After: after, ObservedAt: collectedAt})
	}
	// New rows go in multi-row INSERTs (one statement per insertChunk rows,
	// prepared once per arity): a first collection of 200 rows is then 7
	// statements, not 200, in pure-Go SQLite where a statement's own cost
	// is a large part of a row's (make bench-inventory). A new key is in
	// neither the prior array nor the table, so the order against the
	// updates and deletes below does not matter.
	var ins []any
	nIns := 0
	flush := func() error {
		if nIns == 0 {
			return nil
		}
		err := exec(et.insertN(nIns), ins...)
		ins, nIns = ins[:0], 0
		return err
	}
	for i := range incoming {
		e := &incoming[i]
		p, had := priorByKey[e.key]
		switch {
		case !had:
			vals := e.bound(spec)
			ins = append(append(ins, pcID, jobID, at), vals...)
			if nIns++; nIns == insertChunk {
				if err := flush(); err != nil {
					return err
				}
			}
			if track {
				after := elemJSON(e.raw)
				ev("added", vals, nil, &after)
			}
		case p.raw == e.raw:
			// The same text: the same values, nothing to write.
		case !sameValues(p.bound(spec), e.bound(spec)):
			args := append(append([]any{}, e.vals...), at, pcID, jobID)
			for _, i := range et.pkIdx {
				args = append(args, e.vals[i])
			}
			if err := exec(et.update, args...); err != nil {
				return err
			}
			if track {
				b, a := rowJSON(et, p.vals), elemJSON(e.raw)
				ev("changed", e.vals, &b, &a)
			}
		}
		delete(priorByKey, e.key)
	}
	if err := flush(); err != nil {
		return err
	}
	for i := range before { // in the prior array's order
		p := &before[i]
		if _, gone := priorByKey[p.key]; !gone {
			continue
		}
		vals := p.bound(spec)
		args := []any{pcID, jobID}
		for _, i := range et.pkIdx {
			args = append(args, vals[i])
		}
		if err := exec(et.delete, args...); err != nil {
			return err
		}
		if track {
			b := rowJSON(et, vals)
			ev("removed", vals, &b, nil)
		}
	}
	return t.insertHistory(ctx, evs)
}

// ScalarHistory writes the history events of history_scalars fields: a
// field seen for the first time is added, a different value changed, a
// field that disappeared writes nothing (kanade #93).
func (t *Tx) ScalarHistory(ctx context.Context, jobID, pcID string, fields []string, prior, next Fields, observed time.Time) error {
	var evs []HistoryEvent
	for _, f := range fields {
		nv, ok := next[f]
		if !ok {
			continue
		}
		after := `{"value":` + compactJSON(nv) + `}`
		pv, had := prior[f]
		switch {
		case !had:
			evs = append(evs, HistoryEvent{PCID: pcID, JobID: jobID, FieldPath: f, Kind: "added", After: &after, ObservedAt: observed})
		case !sameJSON(pv, nv):
			before := `{"value":` + compactJSON(pv) + `}`
			evs = append(evs, HistoryEvent{PCID: pcID, JobID: jobID, FieldPath: f, Kind: "changed", Before: &before, After: &after, ObservedAt: observed})
		}
	}
	return t.insertHistory(ctx, evs)
}

// explodeTableOf builds (and caches per process) the SQL of a spec.
func (s *Store) explodeTableOf(jobID string, spec wire.ExplodeSpec) (*explodeTable, error) {
	b, _ := json.Marshal(spec)
	k := jobID + "\n" + string(b)
	s.explodeSQL.Lock()
	defer s.explodeSQL.Unlock()
	if et, ok := s.explodeSQL.m[k]; ok {
		return et, nil
	}
	et, err := newExplodeTable(jobID, spec)
	if err != nil {
		return nil, err
	}
	if s.explodeSQL.m == nil || len(s.explodeSQL.m) > 1000 {
		s.explodeSQL.m = map[string]*explodeTable{}
	}
	s.explodeSQL.m[k] = et
	return et, nil
}

type explodeSQLCache struct {
	sync.Mutex
	m map[string]*explodeTable
}

// cachedStmt prepares a per-table statement once per transaction (the
// writer's only connection is the transaction's, so it cannot be prepared
// on the pool while one is open).
func (t *Tx) cachedStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.dyn[q]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if t.dyn == nil {
		t.dyn = map[string]*sql.Stmt{}
	}
	t.dyn[q] = st
	return st, nil
}
