package console

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
)

// DatabaseStatus is the SQLite part of Status: the file, its integrity and
// a rebuild from the streams, if one ran at this start.
type DatabaseStatus struct {
	Path      string          `json:"path"`
	Integrity store.Integrity `json:"integrity"`
	Rebuild   *RebuildStatus  `json:"rebuild,omitempty"`
}

// RebuildStatus tells how far a rebuild from the streams has come.
type RebuildStatus struct {
	Reason     string    `json:"reason"`
	MovedTo    string    `json:"moved_to,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Active     bool      `json:"active"`
	// Projected counts messages applied since the rebuild began; Remaining
	// is what the stream consumers still hold (nil until they exist).
	Projected uint64  `json:"projected"`
	Remaining *uint64 `json:"remaining,omitempty"`
}

type rebuildState = statusCell[RebuildStatus]

// Database reports the database part of Status.
func (c *Console) Database() DatabaseStatus {
	return DatabaseStatus{Path: c.cfg.SQLitePath, Integrity: c.store.Integrity(), Rebuild: c.rebuild.get()}
}

// Kanade029SiblingDB is the file the console projects into, beside
// kanade-backend 0.29's own database, when [db] sqlite_path names that one.
const Kanade029SiblingDB = "kanade-console.db"

// openStore opens the projection, moving it aside first when the operator
// asked for a rebuild (--rebuild), or when it is damaged and the operator
// allowed that (--rebuild-on-damage). The projection holds nothing the
// streams and buckets don't: a new file under a new instance id gets new
// consumers that replay everything.
func (c *Console) openStore(ctx context.Context) (*store.Store, error) {
	if legacy, err := store.IsKanadeBackendDatabase(c.cfg.SQLitePath); err != nil {
		c.log.Warn("could not inspect the database file", "path", c.cfg.SQLitePath, "err", err)
	} else if legacy {
		sibling := filepath.Join(filepath.Dir(c.cfg.SQLitePath), Kanade029SiblingDB)
		c.log.Warn("db.sqlite_path is kanade-backend 0.29's own database: it is left untouched and the console projects into a file of its own, rebuilt from the streams",
			"kanade_db", c.cfg.SQLitePath, "console_db", sibling)
		c.cfg.SQLitePath = sibling
	}
	path := c.cfg.SQLitePath
	opts := store.Options{Logger: c.log.With("component", "store")}
	if c.cfg.Rebuild {
		if err := c.moveAside(path, "rebuild requested (--rebuild)", "rebuilt"); err != nil {
			return nil, err
		}
	}
	st, err := store.Open(ctx, path, opts)
	if err != nil && store.IsCorrupt(err) {
		if !c.cfg.RebuildOnDamage {
			return nil, fmt.Errorf("%w; start once with --rebuild to move it aside and rebuild it from the streams", err)
		}
		if err := c.moveAside(path, "damaged: "+err.Error(), "damaged"); err != nil {
			return nil, err
		}
		st, err = store.Open(ctx, path, opts)
	}
	if err != nil {
		return nil, err
	}
	if !c.cfg.RebuildOnDamage {
		return st, nil // checked in the background (startIntegrityCheck)
	}
	// Checked before start, so a damaged file is never served. quick_check
	// reads the whole file (see docs/ARCHITECTURE.md for its cost).
	if in := st.QuickCheck(ctx); in.State == "damaged" {
		st.Close()
		if err := c.moveAside(path, "damaged: "+in.Detail, "damaged"); err != nil {
			return nil, err
		}
		return store.Open(ctx, path, opts)
	}
	return st, nil
}

func (c *Console) moveAside(path, reason, tag string) error {
	rs := &RebuildStatus{Reason: reason, StartedAt: time.Now().UTC(), Active: true}
	if _, err := os.Stat(path); err == nil {
		to, err := store.MoveAside(path, tag)
		if err != nil {
			return err
		}
		rs.MovedTo = to
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	c.rebuild.set(rs)
	c.log.Warn("rebuilding the database from the streams", "reason", reason, "moved_to", rs.MovedTo, "db", path)
	return nil
}

// startIntegrityCheck runs quick_check in the background when it did not run
// before start; its result shows in /readyz and /api/status.
func (c *Console) startIntegrityCheck(ctx context.Context) {
	if c.cfg.RebuildOnDamage {
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.store.QuickCheck(ctx)
	}()
}

// watchRebuild logs a rebuild's progress until the stream projectors have
// caught up with their streams.
func (c *Console) watchRebuild(ctx context.Context) {
	if c.rebuild.get() == nil {
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			var projected, remaining uint64
			streams := 0
			for _, p := range c.Projectors(ctx) {
				switch p.Name {
				case "results", "audit", "events":
					projected += p.Messages
					if p.Lag != nil {
						streams++
						remaining += *p.Lag
					}
				}
			}
			done := streams == 3 && remaining == 0
			c.rebuild.update(func(rs *RebuildStatus) {
				rs.Projected = projected
				if streams == 3 {
					rs.Remaining = &remaining
				}
				if done {
					rs.Active, rs.FinishedAt = false, time.Now().UTC()
				}
			})
			if done {
				rs := c.rebuild.get()
				c.log.Info("rebuild finished: the database holds everything the streams do", "projected", projected, "took", rs.FinishedAt.Sub(rs.StartedAt).Round(time.Millisecond))
				return
			}
			if streams == 3 { // before that the consumers are still being created
				c.log.Info("rebuilding the database from the streams", "projected", projected, "remaining", remaining)
			}
		}
	}()
}
