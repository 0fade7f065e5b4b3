package app

import (
	"context"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/store"
)

// The inventory search and history ops (kanade v0.31-v0.35). The request
// objects are the console's own, plus the path parameters.

// InventorySearchRequest is GET /api/inventory/{manifest_id}/search/{field}:
// filters maps "<col>" or "<col>__<op>" to a value (HTTP: query parameters).
type InventorySearchRequest struct {
	ManifestID string `json:"manifest_id"`
	Field      string `json:"field"`
	console.InventorySearchRequest
}

// InventoryHistoryRequest is a history route's manifest (and PC, for the
// per-PC route) plus its filters; identity maps key to value (HTTP:
// identity.<key>=<value>).
type InventoryHistoryRequest struct {
	ManifestID string `json:"manifest_id"`
	PCID       string `json:"pc_id,omitempty"`
	console.InventoryHistoryRequest
}

// InventorySearch is GET /api/inventory/{manifest_id}/search/{field}.
func (a *App) InventorySearch(req InventorySearchRequest) (Page[store.ExplodeRow], error) {
	return do(a, "InventorySearch", func(ctx context.Context, c *console.Console) (Page[store.ExplodeRow], error) {
		rows, total, err := c.InventorySearch(ctx, req.ManifestID, req.Field, req.InventorySearchRequest)
		return pageOf(rows, total), err
	})
}

// InventoryHistory is GET /api/inventory/{manifest_id}/history/pc/{pc_id}.
func (a *App) InventoryHistory(req InventoryHistoryRequest) (Page[store.HistoryRow], error) {
	return do(a, "InventoryHistory", func(ctx context.Context, c *console.Console) (Page[store.HistoryRow], error) {
		rows, total, err := c.InventoryHistory(ctx, req.ManifestID, req.PCID, req.InventoryHistoryRequest)
		return pageOf(rows, total), err
	})
}

// InventoryFleetHistory is GET /api/inventory/{manifest_id}/history/search.
func (a *App) InventoryFleetHistory(req InventoryHistoryRequest) (Page[store.HistoryRow], error) {
	return do(a, "InventoryFleetHistory", func(ctx context.Context, c *console.Console) (Page[store.HistoryRow], error) {
		rows, total, err := c.InventoryFleetHistory(ctx, req.ManifestID, req.InventoryHistoryRequest)
		return pageOf(rows, total), err
	})
}

// InventoryFirstSeen is GET /api/inventory/{manifest_id}/history/first_seen.
func (a *App) InventoryFirstSeen(req InventoryHistoryRequest) (Page[store.FirstSeen], error) {
	return do(a, "InventoryFirstSeen", func(ctx context.Context, c *console.Console) (Page[store.FirstSeen], error) {
		rows, err := c.InventoryFirstSeen(ctx, req.ManifestID, req.InventoryHistoryRequest)
		return pageOf(rows, len(rows)), err
	})
}

// InventoryScalarSearchRequest is GET /api/inventory/{manifest_id}/search-scalars.
type InventoryScalarSearchRequest struct {
	ManifestID string `json:"manifest_id"`
	console.InventorySearchRequest
}

// InventoryScalarSearch is GET /api/inventory/{manifest_id}/search-scalars.
func (a *App) InventoryScalarSearch(req InventoryScalarSearchRequest) (Page[store.ExplodeRow], error) {
	return do(a, "InventoryScalarSearch", func(ctx context.Context, c *console.Console) (Page[store.ExplodeRow], error) {
		rows, total, err := c.InventoryScalarSearch(ctx, req.ManifestID, req.InventorySearchRequest)
		return pageOf(rows, total), err
	})
}
