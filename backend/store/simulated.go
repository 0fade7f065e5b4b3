package store

import (
	"context"
	"database/sql"
	"time"
)

// AgentsBeyond summarises the agents whose pc id does not match a GLOB
// pattern (the console's own simulated fleet): how many there are, how many
// reported since aliveSince, and the one that reported last.
type AgentsBeyond struct {
	Known         int        `json:"known"`
	Active        int        `json:"active"`
	LastPCID      string     `json:"last_pc_id,omitempty"`
	LastHeartbeat *time.Time `json:"last_heartbeat,omitempty"`
}

// CountAgentsNotMatching counts the agents whose pc_id does not match glob
// and finds the latest of them to report.
func (s *Store) CountAgentsNotMatching(ctx context.Context, glob string, aliveSince time.Time) (AgentsBeyond, error) {
	var a AgentsBeyond
	err := s.reader.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(last_heartbeat >= ?), 0) FROM agents WHERE pc_id NOT GLOB ?",
		FormatTime(aliveSince), glob).Scan(&a.Known, &a.Active)
	if err != nil || a.Known == 0 {
		return a, err
	}
	var hb sql.NullTime
	err = s.reader.QueryRowContext(ctx, "SELECT pc_id, last_heartbeat FROM agents WHERE pc_id NOT GLOB ? AND last_heartbeat IS NOT NULL ORDER BY last_heartbeat DESC LIMIT 1",
		glob).Scan(&a.LastPCID, &hb)
	if err == sql.ErrNoRows {
		return a, nil
	}
	a.LastHeartbeat = nullTime(hb)
	return a, err
}

// DeleteAgentsMatching removes the agents whose pc_id matches glob (the
// console's simulated fleet when it stops); their results stay.
func (s *Store) DeleteAgentsMatching(ctx context.Context, glob string) (int64, error) {
	res, err := s.writer.ExecContext(ctx, "DELETE FROM agents WHERE pc_id GLOB ?", glob)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
