-- Dead letters were unique per (stream, stream_seq) alone; a stream deleted
-- and created again (NATS back with an empty store) restarts its sequences at
-- 1 and its new dead letters were silently ignored. Like audit_log (0005),
-- they are now unique per stream incarnation: stream_created is the stream's
-- creation time, '' where it is not known. The table constraint cannot be
-- dropped in place, so the table is rebuilt with its ids.
CREATE TABLE dead_letters_0006 (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    stream         TEXT NOT NULL,
    stream_seq     INTEGER NOT NULL,
    subject        TEXT NOT NULL,
    error          TEXT NOT NULL,
    payload_head   BLOB NOT NULL,
    payload_size   INTEGER NOT NULL,
    recorded_at    TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    stream_created TEXT NOT NULL DEFAULT '',
    UNIQUE (stream, stream_created, stream_seq)
);
-- Rows of a stream whose position is recorded belong to that incarnation;
-- the others keep '' until the projector learns it (store.AdoptPosition).
INSERT INTO dead_letters_0006 (id, stream, stream_seq, subject, error, payload_head, payload_size, recorded_at, stream_created)
    SELECT d.id, d.stream, d.stream_seq, d.subject, d.error, d.payload_head, d.payload_size, d.recorded_at, COALESCE(p.stream_created, '')
    FROM dead_letters d LEFT JOIN projection_positions p ON p.stream = d.stream;
-- Ids keep counting from where the old table stood.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'dead_letters_0006', seq FROM sqlite_sequence WHERE name = 'dead_letters'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'dead_letters_0006');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'dead_letters'))
    WHERE name = 'dead_letters_0006' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'dead_letters');
DROP TABLE dead_letters;
ALTER TABLE dead_letters_0006 RENAME TO dead_letters;
CREATE INDEX idx_dead_letters_recorded ON dead_letters (recorded_at DESC);
