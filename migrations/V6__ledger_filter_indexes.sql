-- V6: one index per combination of the ledger page's filters (installation,
-- release, status, component), each ending with recorded_at like V2's indexes.
--
-- V2 gives each filter alone an index. A combination was read through one of
-- them and the other filters checked row by row: three filters that together
-- match nothing, while each alone matches 10,000 rows or more, read a whole
-- range of the best single index (319 ms on 1,000,000 rows). SQLite uses one
-- index per table in a query and cannot intersect two, and an index on
-- (a, b, c, recorded_at) gives rows in time order only when all of a, b and c
-- are fixed. So each combination of two, three or four filters has its own
-- index: a page reads only the rows it shows, already newest first, whatever
-- the data, with or without a time range (the recorded_at suffix) and a paging
-- position ((recorded_at, id): the rowid follows recorded_at in every index).
--
-- A release is a version label in these indexes. A release given as a bare
-- number may be a version or a sequence; LedgerQuery reads that as two arms
-- merged in time order, the version arm from these indexes and the sequence
-- arm from ledger_by_sequence, rebuilt below to carry the other filters'
-- columns (and id, so that it still gives (recorded_at, id) order): a
-- combination with a sequence reads that release's index entries only, never
-- a table row that does not match.
--
-- Each index is partial: a row without an installation, release or component
-- (an upgrade's own rows have no component) is never found by an equality
-- filter on it, so it is left out, and appending it costs nothing here.

CREATE INDEX ledger_by_installation_release ON ledger_entry(installation, release_version, recorded_at)
    WHERE installation IS NOT NULL AND release_version IS NOT NULL;
CREATE INDEX ledger_by_installation_status ON ledger_entry(installation, status, recorded_at)
    WHERE installation IS NOT NULL;
CREATE INDEX ledger_by_installation_component ON ledger_entry(installation, component, recorded_at)
    WHERE installation IS NOT NULL AND component IS NOT NULL;
CREATE INDEX ledger_by_release_status ON ledger_entry(release_version, status, recorded_at)
    WHERE release_version IS NOT NULL;
CREATE INDEX ledger_by_release_component ON ledger_entry(release_version, component, recorded_at)
    WHERE release_version IS NOT NULL AND component IS NOT NULL;
CREATE INDEX ledger_by_status_component ON ledger_entry(status, component, recorded_at)
    WHERE component IS NOT NULL;

CREATE INDEX ledger_by_installation_release_status ON ledger_entry(installation, release_version, status, recorded_at)
    WHERE installation IS NOT NULL AND release_version IS NOT NULL;
CREATE INDEX ledger_by_installation_release_component ON ledger_entry(installation, release_version, component, recorded_at)
    WHERE installation IS NOT NULL AND release_version IS NOT NULL AND component IS NOT NULL;
CREATE INDEX ledger_by_installation_status_component ON ledger_entry(installation, status, component, recorded_at)
    WHERE installation IS NOT NULL AND component IS NOT NULL;
CREATE INDEX ledger_by_release_status_component ON ledger_entry(release_version, status, component, recorded_at)
    WHERE release_version IS NOT NULL AND component IS NOT NULL;

CREATE INDEX ledger_by_installation_release_status_component
    ON ledger_entry(installation, release_version, status, component, recorded_at)
    WHERE installation IS NOT NULL AND release_version IS NOT NULL AND component IS NOT NULL;

DROP INDEX ledger_by_sequence;
CREATE INDEX ledger_by_sequence
    ON ledger_entry(release_sequence, recorded_at, id, installation, status, component)
    WHERE release_sequence IS NOT NULL;

-- Statistics gathered before this file know nothing of its indexes; without a
-- row in sqlite_stat1 an index looks like it matches 10 rows, and SQLite would
-- take (installation, status, recorded_at) for an installation alone and sort
-- its rows. Gathering them again takes seconds on a million rows, once.
ANALYZE ledger_entry;
