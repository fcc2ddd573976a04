import Foundation
import GRDB

/// The tree's state in the store (`ledger_log`, `ledger_tree_hash`), read and
/// written inside the caller's transaction.
struct LedgerTreeStorage: StoredHashReader {
    let db: Database

    /// The tree's own rows contradict themselves (a stored hash missing, a size that
    /// does not fit): only an edit of the file does that.
    struct AlteredTree: Error, CustomStringConvertible {
        let description: String
    }

    /// Sizes above this cannot be real (and would overflow the stored-hash arithmetic).
    static let largestTreeSize = Int64(1) << 60

    func hashes(at indexes: [Int64]) throws -> [MerkleHash] {
        guard !indexes.isEmpty else { return [] }
        let unique = Array(Set(indexes))
        let placeholders = Array(repeating: "?", count: unique.count).joined(separator: ",")
        var found: [Int64: MerkleHash] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT id, hash FROM ledger_tree_hash WHERE id IN (\(placeholders))",
            arguments: StatementArguments(unique)
        )
        while let row = try rows.next() {
            let data: Data = row[1]
            if let hash = MerkleHash(bytes: Array(data)) { found[row[0]] = hash }
        }
        return try indexes.map { index in
            guard let hash = found[index] else { throw AlteredTree(description: "the ledger tree has no stored hash \(index)") }
            return hash
        }
    }

    func log() throws -> (origin: String, size: Int64) {
        guard let row = try Row.fetchOne(db, sql: "SELECT origin, tree_size FROM ledger_log WHERE id = 1") else {
            throw AlteredTree(description: "the store has no ledger log row (ledger_log)")
        }
        // Read as values, not decoded: an edited row must not stop the process.
        let originValue: DatabaseValue = row[0]
        let sizeValue: DatabaseValue = row[1]
        guard case .string(let origin) = originValue.storage, case .int64(let size) = sizeValue.storage,
            (0...Self.largestTreeSize).contains(size)
        else {
            throw AlteredTree(description: "the ledger log row (ledger_log) holds no valid origin and tree size")
        }
        return (origin, size)
    }

    /// A frontier positioned at the end of the stored tree.
    func frontier(size: Int64) throws -> MerkleFrontier {
        let subtrees = StoredHashLayout.subtrees(from: 0, to: size)
        let hashes = try hashes(at: subtrees.map { StoredHashLayout.index(level: $0.level, position: $0.position) })
        return MerkleFrontier(size: size, subtreeHashes: hashes)
    }
}

/// Appends leaves to the stored tree inside a write transaction. Rows the tree
/// does not cover yet (a store migrated from the hash chain) become leaves first.
struct LedgerTreeAppender {
    private let storage: LedgerTreeStorage
    private var frontier: MerkleFrontier
    private let startSize: Int64
    private let statement: Statement

    init(_ db: Database) throws {
        storage = LedgerTreeStorage(db: db)
        let size = try storage.log().size
        startSize = size
        frontier = try storage.frontier(size: size)
        statement = try db.cachedStatement(sql: "INSERT INTO ledger_tree_hash (id, hash) VALUES (?, ?)")
        try catchUp(db)
    }

    var size: Int64 { frontier.size }

    mutating func append(_ leaf: MerkleHash) throws {
        var index = StoredHashLayout.count(forSize: frontier.size)
        for hash in frontier.append(leaf) {
            do {
                try statement.execute(arguments: [index, Data(hash.bytes)])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw LedgerTreeStorage.AlteredTree(
                    description: "the ledger tree already stores hash \(index), past its size (the size lowered, or hashes added)"
                )
            }
            index += 1
        }
    }

    mutating func append(_ entry: LedgerEntry) throws {
        try append(MerkleHash.leaf(LedgerEntryBytes.bytes(of: entry)))
    }

    /// Records the new size; call once, before the transaction commits.
    func finish() throws {
        guard frontier.size != startSize else { return }
        try storage.db.execute(sql: "UPDATE ledger_log SET tree_size = ? WHERE id = 1", arguments: [frontier.size])
    }

    private mutating func catchUp(_ db: Database) throws {
        let behind = try LedgerEntry.fetchCursor(
            db,
            sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry WHERE id > ? ORDER BY id",
            arguments: [frontier.size]
        )
        while let entry = try behind.next() {
            try append(entry)
        }
    }
}
