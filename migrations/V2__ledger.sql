-- V2: the audit ledger. Append-only: every upgrade, step and container run is a
-- new row; a state change is a new row. Each row carries the SHA-256 of its own
-- content (row_hash) and the row_hash of the row before it (previous_hash), so
-- `lockstep ledger verify` can name the first row that was edited, deleted or
-- reordered. Shipped migrations never change; a schema change is a new file.

-- AUTOINCREMENT: sqlite_sequence remembers the highest id ever used, so a
-- deleted last row (a truncated ledger) is still noticed by verify.
CREATE TABLE ledger_entry (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at      TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('upgrade', 'step', 'run')),
    event            TEXT    NOT NULL,
    upgrade_id       TEXT,
    installation     TEXT,
    channel          TEXT,
    release_sequence INTEGER,
    release_version  TEXT,
    manifest_sha256  TEXT,
    component        TEXT,
    container        TEXT,
    image            TEXT,
    image_id         TEXT,
    command          TEXT,
    environment      TEXT,
    started_at       TEXT,
    finished_at      TEXT,
    duration_ms      INTEGER,
    exit_code        INTEGER,
    status           TEXT    NOT NULL,
    log_tail         TEXT,
    operator         TEXT    NOT NULL,
    host             TEXT    NOT NULL,
    message          TEXT,
    previous_hash    TEXT    NOT NULL CHECK (length(previous_hash) = 64),
    row_hash         TEXT    NOT NULL CHECK (length(row_hash) = 64)
);

CREATE TRIGGER ledger_entry_is_never_updated BEFORE UPDATE ON ledger_entry
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: rows are never updated');
END;

CREATE TRIGGER ledger_entry_is_never_deleted BEFORE DELETE ON ledger_entry
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only: rows are never deleted');
END;

-- Audit queries list newest first (recorded_at DESC, id DESC). Each index ends
-- with recorded_at (and, implicitly, the rowid), so a filter on its first column
-- plus a time range reads only the matching rows, already in output order.
CREATE INDEX ledger_by_time         ON ledger_entry(recorded_at);
CREATE INDEX ledger_by_status       ON ledger_entry(status, recorded_at);
CREATE INDEX ledger_by_installation ON ledger_entry(installation, recorded_at);
CREATE INDEX ledger_by_release      ON ledger_entry(release_version, recorded_at);
CREATE INDEX ledger_by_sequence     ON ledger_entry(release_sequence, recorded_at);
CREATE INDEX ledger_by_component    ON ledger_entry(component, recorded_at);
CREATE INDEX ledger_by_image        ON ledger_entry(image, recorded_at);
CREATE INDEX ledger_by_kind         ON ledger_entry(kind, recorded_at);
CREATE INDEX ledger_by_upgrade      ON ledger_entry(upgrade_id);
