-- V3: the upgrade journal. Every step's state is written before and after each
-- action, so an interrupted upgrade continues where it stopped.

CREATE TABLE upgrade (
    id            TEXT    PRIMARY KEY,
    installation  TEXT    NOT NULL REFERENCES installation(name),
    channel_id    INTEGER NOT NULL REFERENCES channel(id),
    target        TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    failure       TEXT,
    operator      TEXT    NOT NULL,
    host          TEXT    NOT NULL,
    started_at    TEXT    NOT NULL,
    finished_at   TEXT
);

CREATE INDEX upgrade_by_installation ON upgrade(installation, status);

CREATE TABLE upgrade_step (
    upgrade_id       TEXT    NOT NULL REFERENCES upgrade(id),
    position         INTEGER NOT NULL,
    release_sequence INTEGER NOT NULL REFERENCES release(sequence),
    version          TEXT    NOT NULL,
    channel_sequence INTEGER NOT NULL,
    required         INTEGER NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed')),
    run_id           TEXT    NOT NULL,
    failure          TEXT,
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (upgrade_id, position)
);

-- Exit codes of ephemeral containers, written before the container is removed.
CREATE TABLE container_exit (
    run_id         TEXT    NOT NULL,
    container_name TEXT    NOT NULL,
    exit_code      INTEGER NOT NULL,
    recorded_at    TEXT    NOT NULL,
    PRIMARY KEY (run_id, container_name)
);

-- Config values an installation was upgraded with, reused by later upgrades
-- and by resume (the store is private to its owner: mode 0600).
CREATE TABLE installation_config (
    installation TEXT NOT NULL REFERENCES installation(name),
    name         TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (installation, name)
);
