//go:build desktop || bindings

package main

// The desktop window (built by the Wails CLI with -tags desktop,production;
// `wails generate module` builds it with -tags bindings to write the
// TypeScript bindings). Everything that does not touch Wails is in
// package desktop.

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/desktop"
	"github.com/kanade-console/kanade-console/frontend"
)

//go:embed build/appicon.png
var appIcon []byte

// runDesktop opens the window: the embedded SPA with the bindings of package
// app, over a console core started from the same flags, environment and
// backend.toml as serve (plus the saved desktop settings).
func runDesktop(args []string, stderr io.Writer) int {
	if app.GeneratingBindings {
		return generateBindings()
	}
	h, err := desktop.NewHost(args, nil, stderr, version)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return fail(err)
	}
	if why := desktop.NoDisplay(runtime.GOOS, os.Getenv); why != "" {
		return fail(errors.New(why))
	}
	closeLog, err := h.OpenLog(stderr)
	if err != nil {
		return fail(err)
	}
	defer closeLog()

	id := desktop.InstanceID(h.BaseDir())
	lock, other, err := desktop.AcquireInstance(id)
	if other {
		fmt.Fprintf(stderr, "kanade-console: already running for data dir %s; brought its window to the front\n", h.BaseDir())
		return 1
	}
	if err != nil {
		h.Log().Warn("no single-instance lock", "err", err)
	}
	defer lock.Close()

	defer h.Stop() // also when the window fails to open

	ws := desktop.LoadWindowState(h.BaseDir())
	start := options.Normal
	if ws.Maximised {
		start = options.Maximised
	}
	focus := func(ctx context.Context) {
		wruntime.WindowUnminimise(ctx)
		wruntime.WindowShow(ctx)
	}
	var appCtx context.Context
	err = runWails(&options.App{
		Title:              "kanade console",
		Width:              ws.Width,
		Height:             ws.Height,
		MinWidth:           desktop.MinWidth,
		MinHeight:          desktop.MinHeight,
		WindowStartState:   start,
		BackgroundColour:   options.NewRGB(0xf6, 0xf7, 0xf9),
		AssetServer:        &assetserver.Options{Assets: frontend.Dist()},
		Bind:               []any{app.New(h, h.Log())},
		LogLevel:           logger.WARNING,
		LogLevelProduction: logger.ERROR,
		OnStartup: func(ctx context.Context) {
			appCtx = ctx
			h.SetEmitter(func(name string, data any) { wruntime.EventsEmit(ctx, name, data) })
			// The console core: store, NATS (embedded or external),
			// projectors, scheduler. If it cannot start, the window still
			// opens: the pages show the error and Settings can fix it (a
			// busy port, an unreachable NATS URL, ...).
			if err := h.Start(); err != nil {
				h.Log().Error("console core did not start", "err", err)
			}
			if ws.HasPos && !ws.Maximised {
				wruntime.WindowSetPosition(ctx, ws.X, ws.Y)
			}
			if lock != nil {
				go func() {
					for range lock.Focus {
						focus(ctx)
					}
				}()
			}
			// SIGINT/SIGTERM: Wails' own handler shuts the app down, which
			// runs OnShutdown (the core stops gracefully).
		},
		OnBeforeClose: func(ctx context.Context) bool {
			saveWindow(ctx, h)
			return false
		},
		OnShutdown: func(context.Context) { h.Stop() },
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: id,
			OnSecondInstanceLaunch: func(options.SecondInstanceData) {
				if appCtx != nil {
					focus(appCtx)
				}
			},
		},
		Linux: &linux.Options{
			Icon:             appIcon,
			ProgramName:      "kanade-console",
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
	if err != nil {
		return fail(err)
	}
	return 0
}

// runWails is wails.Run with a last guard: a panic while creating the
// window (GTK that cannot initialise, say) becomes the one-line error that
// points at serve; the deferred Stop still shuts the core down.
func runWails(opts *options.App) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the window could not open (%v); run `kanade-console serve` for the headless console", r)
		}
	}()
	return wails.Run(opts)
}

// saveWindow records the window's size and position (not while maximised:
// then only the flag, so un-maximising later restores the last size).
func saveWindow(ctx context.Context, h *desktop.Host) {
	ws := desktop.LoadWindowState(h.BaseDir())
	if wruntime.WindowIsMaximised(ctx) {
		ws.Maximised = true
	} else {
		w, ht := wruntime.WindowGetSize(ctx)
		x, y := wruntime.WindowGetPosition(ctx)
		ws = desktop.WindowState{Width: w, Height: ht, X: x, Y: y, HasPos: true}
	}
	if err := desktop.SaveWindowState(h.BaseDir(), ws); err != nil {
		h.Log().Warn("saving the window state", "err", err)
	}
}

// generateBindings runs in the `wails generate module` build: wails.Run
// writes frontend/wailsjs from the bound App and returns.
func generateBindings() int {
	err := wails.Run(&options.App{Bind: []any{app.New(nil, nil)}})
	if err != nil {
		return fail(err)
	}
	return 0
}
