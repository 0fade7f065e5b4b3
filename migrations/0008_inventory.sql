-- kanade v0.31 #40/#41 and v0.35 #87-#93: derived explode tables and the
-- inventory history.
--
-- The explode tables themselves are created at run time from the job
-- manifests (their names are the operator's); this table records which
-- tables the console made and from which spec, so that a changed spec is
-- migrated (rebuilt from inventory_facts), and so that a manifest can never
-- make the console drop or fill a table it did not create. Names compare
-- case-insensitively, as SQLite's own do.
CREATE TABLE inventory_explode_specs (
    table_name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    job_id     TEXT NOT NULL,
    field      TEXT NOT NULL,
    spec_key   TEXT NOT NULL, -- the DDL and field the table was built from
    spec_json  TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z')
);

-- One row per change: explode rows (track_history) keyed by their primary
-- key (identity_json), history_scalars fields with identity_json NULL.
-- identity_json, before_json and after_json are JSON text, as kanade's.
-- observed_at is the collection time (the result's finished_at) in the
-- console's fixed timestamp layout.
CREATE TABLE inventory_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    pc_id         TEXT NOT NULL,
    job_id        TEXT NOT NULL,
    field_path    TEXT NOT NULL,
    identity_json TEXT,
    change_kind   TEXT NOT NULL CHECK (change_kind IN ('added', 'removed', 'changed')),
    before_json   TEXT,
    after_json    TEXT,
    observed_at   TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z')
);
CREATE INDEX idx_inventory_history_field ON inventory_history (job_id, field_path, observed_at DESC);
CREATE INDEX idx_inventory_history_identity ON inventory_history (job_id, field_path, identity_json);
CREATE INDEX idx_inventory_history_observed ON inventory_history (observed_at);
CREATE INDEX idx_inventory_history_pc ON inventory_history (pc_id, observed_at DESC);
