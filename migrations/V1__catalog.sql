-- V1: releases, channels, promotions, installations.
-- Shipped migrations never change; a schema change is a new file.

CREATE TABLE channel (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT    NOT NULL DEFAULT '',
    semver      INTEGER NOT NULL DEFAULT 1 CHECK (semver IN (0, 1)),
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT    NOT NULL
);

-- AUTOINCREMENT: a vendor-wide sequence is never reused.
CREATE TABLE release (
    sequence        INTEGER PRIMARY KEY AUTOINCREMENT,
    version         TEXT    NOT NULL UNIQUE,
    -- SemVer precedence as sortable text (empty when the label is not SemVer).
    version_key     TEXT    NOT NULL DEFAULT '',
    notes           TEXT    NOT NULL DEFAULT '',
    manifest        TEXT    NOT NULL,
    manifest_sha256 TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    created_by      TEXT    NOT NULL
);

CREATE TRIGGER release_is_immutable BEFORE UPDATE ON release
BEGIN
    SELECT RAISE(ABORT, 'releases are immutable');
END;

CREATE TRIGGER release_is_never_deleted BEFORE DELETE ON release
BEGIN
    SELECT RAISE(ABORT, 'releases are never deleted');
END;

CREATE TABLE promotion (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channel(id),
    channel_sequence INTEGER NOT NULL,
    release_sequence INTEGER NOT NULL REFERENCES release(sequence),
    -- Copied from the release (immutable) so the planner's range queries use one index.
    version_key      TEXT    NOT NULL DEFAULT '',
    required         INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    demoted          INTEGER NOT NULL DEFAULT 0 CHECK (demoted IN (0, 1)),
    notes            TEXT    NOT NULL DEFAULT '',
    promoted_at      TEXT    NOT NULL,
    promoted_by      TEXT    NOT NULL,
    demoted_at       TEXT,
    demoted_by       TEXT,
    UNIQUE (channel_id, channel_sequence)
);

CREATE INDEX promotion_by_release ON promotion(release_sequence, channel_id);
CREATE INDEX promotion_live_by_version ON promotion(channel_id, demoted, version_key, channel_sequence);
CREATE INDEX promotion_required_by_version ON promotion(channel_id, demoted, required, version_key, channel_sequence);

CREATE TRIGGER promotion_is_never_deleted BEFORE DELETE ON promotion
BEGIN
    SELECT RAISE(ABORT, 'promotions are kept in history; demote instead');
END;

CREATE TABLE installation (
    name             TEXT    PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channel(id),
    release_sequence INTEGER REFERENCES release(sequence),
    status           TEXT    NOT NULL DEFAULT 'new',
    node_address     TEXT    NOT NULL DEFAULT '127.0.0.1',
    network          TEXT    NOT NULL DEFAULT 'bridge',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- Every attempt to deploy a release to an installation, for the planner's rules
-- on failed required releases and on downgrades past deployed required releases.
CREATE TABLE deployment (
    id               INTEGER PRIMARY KEY,
    installation     TEXT    NOT NULL REFERENCES installation(name),
    release_sequence INTEGER NOT NULL REFERENCES release(sequence),
    channel_id       INTEGER NOT NULL REFERENCES channel(id),
    required         INTEGER NOT NULL DEFAULT 0,
    status           TEXT    NOT NULL CHECK (status IN ('succeeded', 'failed')),
    source           TEXT    NOT NULL DEFAULT 'upgrade',
    at               TEXT    NOT NULL
);

CREATE INDEX deployment_by_installation ON deployment(installation, id);
