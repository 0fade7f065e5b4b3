-- Where each stream projection stands, written in the same transaction as the
-- rows it projected. After a power loss drops the WAL's last commits, this is
-- behind the consumer's ack floor, and the projector re-projects from here
-- (every projection is idempotent) instead of trusting the server's floor.
-- stream_created is the stream's creation time: a stream deleted and created
-- again (NATS back with an empty store) restarts its sequences at 1, so a
-- position (or an audit row) is only comparable within one incarnation.
CREATE TABLE projection_positions (
    stream         TEXT PRIMARY KEY,
    stream_created TEXT NOT NULL,
    last_seq       INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Audit rows were unique per stream sequence alone; a recreated AUDIT stream
-- reuses sequences from 1 and its events were silently ignored. Rows from
-- before this migration keep '' until the projector learns their stream's
-- creation time (store.AdoptPosition).
ALTER TABLE audit_log ADD COLUMN stream_created TEXT NOT NULL DEFAULT '';
DROP INDEX idx_audit_stream_seq;
CREATE UNIQUE INDEX idx_audit_stream_seq ON audit_log (stream_created, stream_seq) WHERE stream_seq IS NOT NULL;
