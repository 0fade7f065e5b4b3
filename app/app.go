// Package app is the Wails binding layer of the desktop app: one exported
// method per op of the SPA's op table (frontend/src/api/ops.ts, same names),
// each taking one typed request struct and returning a typed response, so
// `wails generate module` writes typed TypeScript to frontend/wailsjs.
//
// The methods are thin adapters over the same backend/console service
// methods the HTTP handlers (backend/api) call: the request rules (ranges,
// enums, paging, times, body decoding) are the console's, and the answers
// are the console's own values, so both front doors send the same JSON.
// Errors follow the SPA's transport contract: the message is the JSON
// {"status": <HTTP status>, "error": "..."}, with the status from
// api.HTTPStatus. Every call is authorized like the HTTP route it mirrors
// and audited under the window's caller, source "desktop" (session.go).
//
// The console itself (start, stop, restart on Apply, the optional HTTP
// listener, window state) belongs to the host in package desktop; App only asks
// it for the running core.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/svcerr"
)

// Host runs the console core for the bindings (package desktop implements it).
type Host interface {
	// Core returns the running console and a context that ends when that
	// core stops. While the core is (re)starting it returns an error that
	// HTTPStatus maps to 503.
	Core() (context.Context, *console.Console, error)
	// Settings reports the saved and effective desktop settings.
	Settings() SettingsState
	// ApplySettings validates, saves and applies settings by restarting
	// the console core (not the app).
	ApplySettings(s Settings) (SettingsState, error)
	// OpenAPI and Metrics render the documents the HTTP API serves
	// (GET /api/openapi.json, GET /metrics) for this console.
	OpenAPI() (map[string]any, error)
	Metrics() (string, error)
}

// App is bound into the Wails window; its exported methods are the ops.
type App struct {
	host Host
	log  *slog.Logger
	sess session // the window's sign-in while the HTTP listener is on
}

// New returns the bindings over host. host may be nil only when generating
// bindings (no method is called then).
func New(host Host, log *slog.Logger) *App {
	if log == nil {
		log = slog.Default()
	}
	return &App{host: host, log: log.With("component", "bindings")}
}

// core fetches the running console for one call.
func (a *App) core() (context.Context, *console.Console, error) {
	if a.host == nil {
		return nil, nil, errUnavailable("the console core is not running")
	}
	return a.host.Core()
}

// do runs one op against the running console and maps its error to the
// SPA's JSON error. Every method goes through here, so every op is
// authorized with its HTTP route's rule before it runs (authorizeOp), fn's
// ctx carries the caller (callerOf, identityOf), and a debug log shows
// which bound methods the UI called.
func do[T any](a *App, op string, fn func(ctx context.Context, c *console.Console) (T, error)) (T, error) {
	start := time.Now()
	var zero T
	ctx, c, err := a.core()
	var id accounts.Identity
	if err == nil {
		id, err = a.authorizeOp(ctx, c, op)
	}
	if err == nil {
		var out T
		out, err = fn(withIdentity(ctx, id), c)
		if err == nil {
			a.log.Debug("bound call", "op", op, "took", time.Since(start))
			return out, nil
		}
	}
	jerr := toJSONError(err)
	a.log.Debug("bound call", "op", op, "took", time.Since(start), "err", jerr.Error())
	if jerr.Status >= 500 {
		a.log.Warn("bound call failed", "op", op, "status", jerr.Status, "err", err)
	}
	return zero, jerr
}

// none is the result of ops that answer 204 (error only).
type none struct{}

func doNone(a *App, op string, fn func(ctx context.Context, c *console.Console) error) error {
	_, err := do(a, op, func(ctx context.Context, c *console.Console) (none, error) {
		return none{}, fn(ctx, c)
	})
	if err != nil {
		return err
	}
	return nil
}

// errUnavailable is a 503 (the core is restarting or stopped).
func errUnavailable(msg string) error {
	return &svcerr.Error{Kind: svcerr.KindUnavailable, Msg: msg}
}

// ErrUnavailable builds the error Host.Core returns while no core runs.
func ErrUnavailable(msg string) error { return errUnavailable(msg) }
