package console

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/datadir"
)

// The data-dir lock is the core's: the desktop app and serve both start a
// Console, so either one refuses a second on the same dir, whichever front
// door it came through. Stop releases it for the next core (the desktop app
// restarts its core when settings change).
func TestCoreLocksItsDataDir(t *testing.T) {
	ns := natsServer(t)
	dir := t.TempDir()
	first := startConsole(t, ns.ClientURL(), dir)
	second := New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSURL: ns.ClientURL()}, quiet)
	err := second.Start(context.Background())
	if !errors.Is(err, datadir.ErrInUse) {
		t.Fatalf("second Start = %v, want ErrInUse", err)
	}
	if err := first.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	third := startConsole(t, ns.ClientURL(), dir)
	third.Stop(context.Background())
}
