// Package retention is how long the console keeps projected rows. It is a
// leaf: config reads the policy from flags and backend.toml, store sweeps by
// it, and neither has to import the other for it.
package retention

import "time"

// Policy is how long the sweep keeps rows; zero keeps them forever.
// kanade 0.29 pruned nothing and every query degraded as execution_results
// grew by ~10^5 rows a day (#486); the defaults are the ones kanade adopted.
type Policy struct {
	Results     time.Duration // execution_results, by recorded_at
	Executions  time.Duration // executions, by initiated_at
	Audit       time.Duration // audit_log, by occurred_at
	DeadLetters time.Duration // dead_letters, by recorded_at
	// ReapInflight is how long an in-flight run (events.started without
	// its result yet) shows as running before the reaper stamps it reaped;
	// zero never reaps. Reaped markers are then kept as long as Results.
	ReapInflight time.Duration
	// InventoryHistory: inventory_history, by observed_at (kanade v0.35's
	// 90-day history sweeper). first_seen is read from this history, so
	// it reaches back at most this far.
	InventoryHistory time.Duration
}

// Default is kanade #486 (results and executions 90 days, audit 365 days)
// plus 30 days for dead letters, kanade's 24 h reaper threshold and its
// 90 days of inventory history.
var Default = Policy{
	Results:          90 * 24 * time.Hour,
	Executions:       90 * 24 * time.Hour,
	Audit:            365 * 24 * time.Hour,
	DeadLetters:      30 * 24 * time.Hour,
	ReapInflight:     24 * time.Hour,
	InventoryHistory: 90 * 24 * time.Hour,
}
