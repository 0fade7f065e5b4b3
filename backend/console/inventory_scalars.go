package console

import (
	"context"
	"strconv"
	"strings"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// scalarFields are a probe's display fields other than `type: table` ones
// (kanade #574), in display order; number and bytes compare numerically.
func scalarFields(h *wire.InventoryHint) []store.ScalarField {
	if h == nil {
		return nil
	}
	var out []store.ScalarField
	seen := map[string]bool{}
	for _, d := range h.Display {
		kind := ""
		if d.Type != nil {
			kind = *d.Type
		}
		if kind == "table" || d.Field == "" || seen[d.Field] {
			continue
		}
		seen[d.Field] = true
		out = append(out, store.ScalarField{Field: d.Field, Numeric: kind == "number" || kind == "bytes"})
	}
	return out
}

// InventoryScalarSearch is GET /api/inventory/{manifest_id}/search-scalars
// (kanade #574): the PCs whose newest facts match every filter on the
// probe's scalar display fields (or pc_id), ordered by pc_id, paged like the
// explode search (default 1000, at most 5000), with the total.
func (c *Console) InventoryScalarSearch(ctx context.Context, manifestID string, req InventorySearchRequest) ([]store.ExplodeRow, int, error) {
	p, filters, m, err := c.searchStart(ctx, manifestID, req)
	if err != nil {
		return nil, 0, err
	}
	fields := scalarFields(m.Inventory)
	if len(fields) == 0 {
		return nil, 0, &svcerr.Error{Kind: svcerr.KindNotFound, Msg: "manifest " + quote(manifestID) + " has no scalar display fields"}
	}
	byName := map[string]store.ScalarField{}
	for _, f := range fields {
		byName[f.Field] = f
	}
	for _, f := range filters {
		if f.Column == "pc_id" {
			continue
		}
		sf, ok := byName[f.Column]
		if !ok {
			return nil, 0, invalid("unknown column for filter: %q", f.Column)
		}
		switch f.Op {
		case "prefix", "contains", "suffix":
		default:
			if _, err := strconv.ParseFloat(strings.TrimSpace(f.Value), 64); sf.Numeric && err != nil {
				return nil, 0, invalid("filter value for %q must be a number: %q", f.Column, f.Value)
			}
		}
	}
	return c.store.SearchScalars(ctx, store.ScalarQuery{JobID: manifestID, Fields: fields, Filters: filters, Page: p})
}
