-- V4: the ledger as a Merkle tree log (DESIGN section 13). Every ledger_entry
-- row is a leaf (leaf index = id - 1, entry bytes as LedgerEntryBytes
-- documents); the tree's hashes are stored so that a root, an inclusion proof
-- or a consistency proof reads O(log n) rows. Rows already in the store become
-- leaves on the next write through lockstep (the ledger catches the tree up
-- inside its write transaction). The chain columns of V2 stay for older readers.

-- The log's identity and how many entries its tree covers.
CREATE TABLE ledger_log (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    origin    TEXT    NOT NULL,
    tree_size INTEGER NOT NULL CHECK (tree_size >= 0)
);

-- origin is the checkpoint's first line: one per store, kept when it is copied.
INSERT INTO ledger_log (id, origin, tree_size)
VALUES (1, 'lockstep/' || lower(hex(randomblob(16))), 0);

-- The tree's hashes, numbered as Go's sumdb/tlog numbers its stored hashes:
-- leaf n's hash, then one per subtree it completes, right after leaf n-1's.
CREATE TABLE ledger_tree_hash (
    id   INTEGER PRIMARY KEY,
    hash BLOB    NOT NULL CHECK (length(hash) = 32)
);

CREATE TRIGGER ledger_tree_hash_is_never_updated BEFORE UPDATE ON ledger_tree_hash
BEGIN
    SELECT RAISE(ABORT, 'the ledger tree is append-only: hashes are never updated');
END;

CREATE TRIGGER ledger_tree_hash_is_never_deleted BEFORE DELETE ON ledger_tree_hash
BEGIN
    SELECT RAISE(ABORT, 'the ledger tree is append-only: hashes are never deleted');
END;

CREATE TRIGGER ledger_log_is_never_deleted BEFORE DELETE ON ledger_log
BEGIN
    SELECT RAISE(ABORT, 'the ledger log is never deleted');
END;

CREATE TRIGGER ledger_log_never_shrinks BEFORE UPDATE ON ledger_log
WHEN NEW.tree_size < OLD.tree_size OR NEW.origin <> OLD.origin
BEGIN
    SELECT RAISE(ABORT, 'the ledger tree never shrinks and keeps its origin');
END;
