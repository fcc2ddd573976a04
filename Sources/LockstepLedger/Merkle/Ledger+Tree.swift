import Foundation
import GRDB

/// The log's current state: what a checkpoint signs.
public struct LedgerTreeHead: Sendable, Equatable {
    public let origin: String
    public let size: Int64
    public let root: MerkleHash
}

/// One entry's inclusion in a tree of `treeSize` leaves.
public struct LedgerInclusionProof: Sendable, Equatable {
    public let id: Int64
    public let index: Int64
    public let treeSize: Int64
    /// The exact entry bytes (`LedgerEntryBytes`); the leaf hash is SHA-256(0x00 ‖ leaf).
    public let leaf: [UInt8]
    public let proof: [MerkleHash]
}

extension Ledger {
    /// Brings the tree up to the last entry (rows from before the Merkle log
    /// become leaves) and returns its head, once every entry it covers is on the disk.
    public func treeHead() throws(LedgerError) -> LedgerTreeHead {
        let head = try perform("update") {
            try store.database.writeWithoutTransaction { db in
                var head: LedgerTreeHead?
                try db.inTransaction(.immediate) {
                    let appender = try LedgerTreeAppender(db)
                    try appender.finish()
                    let storage = LedgerTreeStorage(db: db)
                    let log = try storage.log()
                    head = LedgerTreeHead(origin: log.origin, size: log.size, root: try MerkleTree(reader: storage).root(size: log.size))
                    return .commit
                }
                return head!
            }
        }
        try syncWriteAheadLog()
        return head
    }

    /// The head as the stored tree has it now, read only: entries appended since the
    /// last `treeHead()` are not yet leaves, and the size says so.
    public func storedTreeHead() throws(LedgerError) -> LedgerTreeHead {
        try readTree { storage, log in
            LedgerTreeHead(origin: log.origin, size: log.size, root: try MerkleTree(reader: storage).root(size: log.size))
        }
    }

    /// The log's origin, and whether entries wait to become leaves (the next
    /// `treeHead()` writes them): read only, without computing the root.
    public func treeState() throws(LedgerError) -> (origin: String, isBehind: Bool) {
        try readTree { storage, log in
            let lastID = try Int64.fetchOne(storage.db, sql: "SELECT max(id) FROM ledger_entry") ?? 0
            return (log.origin, lastID > log.size)
        }
    }

    /// The root of the first `size` entries, as the stored tree has it.
    public func root(size: Int64) throws(LedgerError) -> MerkleHash {
        try readTree { storage, log in
            guard size <= log.size else { throw LedgerError.invalidEntry(reason: "the log has \(log.size) entries, not \(size)") }
            return try MerkleTree(reader: storage).root(size: size)
        }
    }

    /// The inclusion proof of entry `id` in the tree of `size` entries (the whole tree when nil).
    public func inclusionProof(id: Int64, size: Int64? = nil) throws(LedgerError) -> LedgerInclusionProof? {
        try readTree { storage, log in
            let treeSize = size ?? log.size
            guard treeSize <= log.size else { throw LedgerError.invalidEntry(reason: "the log has \(log.size) entries, fewer than \(treeSize)") }
            guard
                let entry = try LedgerEntry.fetchOne(
                    storage.db,
                    sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry WHERE id = ?",
                    arguments: [id]
                )
            else {
                return nil
            }
            let index = id - 1
            guard index < treeSize else { throw LedgerError.invalidEntry(reason: "entry \(id) is not in a tree of \(treeSize) entries") }
            let proof = try MerkleTree(reader: storage).inclusionProof(index: index, size: treeSize)
            return LedgerInclusionProof(id: id, index: index, treeSize: treeSize, leaf: LedgerEntryBytes.bytes(of: entry), proof: proof)
        }
    }

    /// The proof that the tree of `oldSize` entries is a prefix of the tree of `size`.
    public func consistencyProof(oldSize: Int64, size: Int64) throws(LedgerError) -> [MerkleHash] {
        try readTree { storage, log in
            guard oldSize <= size, size <= log.size else {
                throw LedgerError.invalidEntry(reason: "no consistency proof from \(oldSize) to \(size) entries: the log has \(log.size)")
            }
            return try MerkleTree(reader: storage).consistencyProof(oldSize: oldSize, size: size)
        }
    }

    private func readTree<T>(_ body: (LedgerTreeStorage, (origin: String, size: Int64)) throws -> T) throws(LedgerError) -> T {
        try perform("read") {
            try store.database.read { db in
                let storage = LedgerTreeStorage(db: db)
                return try body(storage, try storage.log())
            }
        }
    }
}
