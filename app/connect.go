package app

import (
	"context"

	"github.com/kanade-console/kanade-console/backend/console"
)

// The "Connect agents" guide's ops, in the style of ops.go: each adapts
// like the HTTP handler of the same route in backend/api/connect.go.

// GetConnectInfo is GET /api/connect.
func (a *App) GetConnectInfo(_ Empty) (console.ConnectInfo, error) {
	return do(a, "GetConnectInfo", func(ctx context.Context, c *console.Console) (console.ConnectInfo, error) {
		return c.ConnectInfo(ctx)
	})
}

// GetDemo is GET /api/demo.
func (a *App) GetDemo(_ Empty) (console.DemoStatus, error) {
	return do(a, "GetDemo", func(_ context.Context, c *console.Console) (console.DemoStatus, error) {
		return c.DemoStatus(), nil
	})
}

// StartDemo is POST /api/demo.
func (a *App) StartDemo(req console.DemoStart) (console.DemoStatus, error) {
	return do(a, "StartDemo", func(ctx context.Context, c *console.Console) (console.DemoStatus, error) {
		return c.StartDemo(ctx, req)
	})
}

// StopDemo is DELETE /api/demo.
func (a *App) StopDemo(_ Empty) (console.DemoStatus, error) {
	return do(a, "StopDemo", func(ctx context.Context, c *console.Console) (console.DemoStatus, error) {
		return c.StopDemo(ctx)
	})
}
