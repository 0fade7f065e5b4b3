-- Accounts, password setup/reset links and permission groups (issue 15), the
-- columns of kanade's users, password_setup_tokens and permission_groups
-- tables (kanade-latest-features §1.3). Unlike the projection tables these
-- rows exist nowhere else: a --rebuild carries them into the new file.
--
-- Timestamps follow this database's convention (UTC text with nine fraction
-- digits); the API shows created_at/updated_at in kanade's
-- "YYYY-MM-DD HH:MM:SS" form.

CREATE TABLE users (
    username         TEXT PRIMARY KEY,
    password_hash    TEXT NOT NULL,                 -- argon2id PHC string
    role             TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    disabled         INTEGER NOT NULL DEFAULT 0,
    must_change_pw   INTEGER NOT NULL DEFAULT 0,
    email            TEXT,
    allowed_features TEXT,                          -- JSON array of feature keys; NULL = unrestricted
    permission_group TEXT,
    totp_secret      TEXT,                          -- base32; NULL = MFA off
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z')
);
CREATE INDEX idx_users_permission_group ON users (permission_group);

-- One live link per account; only the SHA-256 (hex) of the raw token is kept.
CREATE TABLE password_setup_tokens (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL UNIQUE REFERENCES users (username) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'reset')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    expires_at TEXT NOT NULL
);

CREATE TABLE permission_groups (
    name       TEXT PRIMARY KEY,
    features   TEXT NOT NULL DEFAULT '[]',          -- JSON array; '[]' = commons only
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z'),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z')
);
