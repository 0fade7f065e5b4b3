package console

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Inventory search and history (kanade v0.31 #40/#41, v0.35 #87-#93): the
// request rules of GET /api/inventory/{manifest_id}/search/{field} and
// .../history/*, shared by the HTTP handlers and the Wails bindings.

// Page sizes of the inventory search and history routes (kanade's).
const (
	SearchDefaultLimit    = 1000
	HistoryDefaultLimit   = 500
	FirstSeenDefaultLimit = 5000
	InventoryMaxLimit     = 5000
)

// InventorySearchRequest is an explode search: Filters maps "<col>" (equals)
// or "<col>__<op>" to a value; over HTTP every query parameter but limit and
// offset is a filter.
type InventorySearchRequest struct {
	Paging
	Filters map[string]string `json:"filters,omitempty"`
}

// InventoryHistoryRequest filters the history routes. Identity maps an
// identity key to a value (HTTP: identity.<key>=<value>). Kind and Until
// apply to the fleet search only; PCID is set from the path of the per-PC
// route.
type InventoryHistoryRequest struct {
	Paging
	Field    string            `json:"field,omitempty"`
	Kind     string            `json:"kind,omitempty"`
	Since    string            `json:"since,omitempty"`
	Until    string            `json:"until,omitempty"`
	Identity map[string]string `json:"identity,omitempty"`
}

// pageUpTo is Paging.Page with the inventory routes' own default and cap
// (kanade: 1..5000; 0 is refused like a negative limit).
func (p Paging) pageUpTo(def, max int) (store.Page, error) {
	out := store.Page{Limit: def}
	if p.Limit != nil {
		if *p.Limit < 1 {
			return out, invalid("limit must be a positive integer")
		}
		out.Limit = min(*p.Limit, max)
	}
	if p.Offset != nil {
		if *p.Offset < 0 {
			return out, invalid("offset must be a non-negative integer")
		}
		out.Offset = *p.Offset
	}
	return out, nil
}

// ParseFilters turns "<col>" / "<col>__<op>" keys into filters, refusing an
// unknown operator (kanade's message). Columns are checked against the spec
// by the search.
func ParseFilters(filters map[string]string) ([]store.ExplodeFilter, error) {
	out := make([]store.ExplodeFilter, 0, len(filters))
	for k, v := range filters {
		col, op := k, "eq"
		if i := strings.LastIndex(k, "__"); i > 0 {
			col, op = k[:i], k[i+2:]
		}
		if _, ok := store.FilterOps[op]; !ok {
			return nil, invalid("unknown filter operator %q", op)
		}
		out = append(out, store.ExplodeFilter{Column: col, Op: op, Value: v})
	}
	// Map order is random; a stable order keeps the SQL (and its plan) stable.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Column != out[j].Column {
			return out[i].Column < out[j].Column
		}
		return out[i].Op < out[j].Op
	})
	return out, nil
}

// query checks the history filters.
func (r InventoryHistoryRequest) query(jobID string, def int) (store.HistoryQuery, error) {
	p, err := r.pageUpTo(def, InventoryMaxLimit)
	if err != nil {
		return store.HistoryQuery{}, err
	}
	q := store.HistoryQuery{JobID: jobID, Field: r.Field, Kind: r.Kind, Identity: r.Identity, Page: p}
	switch q.Kind {
	case "", "added", "removed", "changed":
	default:
		return q, invalid("kind must be added, removed or changed")
	}
	if q.Since, err = historyTime("since", r.Since); err != nil {
		return q, err
	}
	if q.Until, err = historyTime("until", r.Until); err != nil {
		return q, err
	}
	for k := range r.Identity {
		if !wire.ValidIdentifier(k) {
			return q, invalid("identity key %q is not an identifier ([A-Za-z_][A-Za-z0-9_]{0,63})", k)
		}
	}
	return q, nil
}

// historyTime is timeParam plus kanade's year range 0..9999.
func historyTime(name, v string) (*time.Time, error) {
	t, err := timeParam(name, v)
	if err != nil || t == nil {
		return t, err
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return nil, invalid("%s must be a year between 0 and 9999", name)
	}
	return t, nil
}

// catalogManifest reads a job from the catalog's database mirror (the same
// manifests the projector built the explode tables from).
func (c *Console) catalogManifest(ctx context.Context, id string) (wire.Manifest, error) {
	var raw string
	err := c.store.Reader().QueryRowContext(ctx, "SELECT manifest_json FROM jobs WHERE job_id = ?", id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return wire.Manifest{}, &svcerr.Error{Kind: svcerr.KindNotFound, Msg: "manifest " + quote(id) + " is not registered"}
	}
	if err != nil {
		return wire.Manifest{}, err
	}
	var m wire.Manifest
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return m, &svcerr.Error{Kind: svcerr.KindNotFound, Msg: "manifest " + quote(id) + " does not decode: " + err.Error()}
	}
	return m, nil
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// searchStart checks a search's paging (default 1000, at most 5000) and
// filter keys and reads the probe's manifest: the steps the explode and the
// scalar search share.
func (c *Console) searchStart(ctx context.Context, manifestID string, req InventorySearchRequest) (store.Page, []store.ExplodeFilter, wire.Manifest, error) {
	p, err := req.pageUpTo(SearchDefaultLimit, InventoryMaxLimit)
	if err != nil {
		return p, nil, wire.Manifest{}, err
	}
	filters, err := ParseFilters(req.Filters)
	if err != nil {
		return p, nil, wire.Manifest{}, err
	}
	m, err := c.catalogManifest(ctx, manifestID)
	return p, filters, m, err
}

// InventorySearch is GET /api/inventory/{manifest_id}/search/{field}: the
// explode rows matching every filter, paged (default 1000, at most 5000),
// with the total (capped at store.CountCap).
func (c *Console) InventorySearch(ctx context.Context, manifestID, field string, req InventorySearchRequest) ([]store.ExplodeRow, int, error) {
	p, filters, m, err := c.searchStart(ctx, manifestID, req)
	if err != nil {
		return nil, 0, err
	}
	spec := m.Inventory.ExplodeByField(field)
	switch {
	case m.Inventory == nil:
		return nil, 0, &svcerr.Error{Kind: svcerr.KindNotFound, Msg: "manifest " + quote(manifestID) + " has no inventory hint"}
	case len(m.Inventory.Explode) == 0:
		return nil, 0, &svcerr.Error{Kind: svcerr.KindNotFound, Msg: "manifest " + quote(manifestID) + " has no explode specs"}
	case spec == nil:
		return nil, 0, &svcerr.Error{Kind: svcerr.KindNotFound, Msg: "manifest " + quote(manifestID) + " has no explode field " + quote(field)}
	}
	for _, f := range filters {
		if f.Column != "pc_id" && spec.Column(f.Column) == nil {
			return nil, 0, invalid("unknown column for filter: %q", f.Column)
		}
	}
	if ok, err := c.store.ExplodeReady(ctx, manifestID, *spec); err != nil {
		return nil, 0, err
	} else if !ok {
		// The jobs mirror refused the spec or has not applied it yet.
		return []store.ExplodeRow{}, 0, nil
	}
	return c.store.SearchExplode(ctx, store.ExplodeQuery{JobID: manifestID, Spec: *spec, Filters: filters, Page: p})
}

// InventoryHistory is GET /api/inventory/{manifest_id}/history/pc/{pc_id}:
// one PC's events, newest first (default 500, at most 5000).
func (c *Console) InventoryHistory(ctx context.Context, manifestID, pcID string, req InventoryHistoryRequest) ([]store.HistoryRow, int, error) {
	q, err := req.query(manifestID, HistoryDefaultLimit)
	if err != nil {
		return nil, 0, err
	}
	q.PCID = pcID
	return c.store.History(ctx, q)
}

// InventoryFleetHistory is GET /api/inventory/{manifest_id}/history/search:
// events across PCs by field, kind, time and identity, newest first.
func (c *Console) InventoryFleetHistory(ctx context.Context, manifestID string, req InventoryHistoryRequest) ([]store.HistoryRow, int, error) {
	q, err := req.query(manifestID, HistoryDefaultLimit)
	if err != nil {
		return nil, 0, err
	}
	return c.store.History(ctx, q)
}

// InventoryFirstSeen is GET /api/inventory/{manifest_id}/history/first_seen:
// per PC the earliest matching event (default and at most 5000 PCs).
func (c *Console) InventoryFirstSeen(ctx context.Context, manifestID string, req InventoryHistoryRequest) ([]store.FirstSeen, error) {
	q, err := req.query(manifestID, FirstSeenDefaultLimit)
	if err != nil {
		return nil, err
	}
	return c.store.FirstSeen(ctx, q)
}
