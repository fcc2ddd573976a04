-- V5: customers' remotes (TUF repositories) and which channels mirror them.
-- Shipped migrations never change; a schema change is a new file.

CREATE TABLE remote (
    name              TEXT    PRIMARY KEY COLLATE NOCASE,
    location          TEXT    NOT NULL,
    -- The trusted TUF metadata by role, as a JSON object of role -> file text.
    trusted_metadata  TEXT    NOT NULL,
    -- The highest versions ever verified: a replay of older metadata is refused.
    root_version      INTEGER NOT NULL DEFAULT 1,
    timestamp_version INTEGER NOT NULL DEFAULT 0,
    snapshot_version  INTEGER NOT NULL DEFAULT 0,
    targets_version   INTEGER NOT NULL DEFAULT 0,
    synced_at         TEXT,
    created_at        TEXT    NOT NULL
);

-- A channel named REMOTE/CHANNEL that only `sync` writes.
CREATE TABLE remote_channel (
    channel_id INTEGER PRIMARY KEY REFERENCES channel(id),
    remote     TEXT    NOT NULL
);
