import Foundation
import GRDB
import GRDBSQLite

/// Streams the ledger in id order and recomputes the chain, every Merkle leaf
/// and every stored tree hash (read alongside, in index order). Column bytes are
/// read in place through SQLite's C API: per-value `String`/`Data` objects made
/// the first version three times slower, and verify must stay fast on a million rows.
enum LedgerVerifier {
    static let hashedColumnCount = LedgerEntry.columnNames.count - 1
    static let rowHashIndex = CInt(LedgerEntry.columnNames.count - 1)
    static let previousHashIndex = CInt(LedgerEntry.columnNames.count - 2)

    static func verify(_ db: Database) throws -> LedgerVerification {
        let statement = try db.makeStatement(sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry ORDER BY id")
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        var hasher = LedgerHasher()
        var previousHash = Array(LedgerHash.genesis.utf8)
        var expectedID: Int64 = 1
        var count = 0
        var frontier = MerkleFrontier()
        let treeStatement = try db.makeStatement(sql: "SELECT id, hash FROM ledger_tree_hash ORDER BY id")
        let tree = treeStatement.sqliteStatement
        defer { sqlite3_reset(tree) }
        let treeSize = try LedgerTreeStorage(db: db).log().size

        while true {
            let code = sqlite3_step(sqlite)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let id = sqlite3_column_int64(sqlite, 0)
            var leafEnd = 0
            for index in 0..<CInt(hashedColumnCount) {
                if index == CInt(LedgerEntryBytes.columnCount) { leafEnd = hasher.encodedCount }
                hasher.append(columnBytes(sqlite, index))
            }
            let leaf = hasher.leaf(fieldsEnd: leafEnd)
            let computed = hasher.finishHex()
            guard bytes(columnBytes(sqlite, rowHashIndex), equal: computed) else {
                return .broken(LedgerBreak(row: id, reason: .contentMismatch, verifiedRows: count))
            }
            if id != expectedID {
                return .broken(LedgerBreak(row: id, reason: .missingRows(from: expectedID, through: id - 1), verifiedRows: count))
            }
            guard bytes(columnBytes(sqlite, previousHashIndex), equal: previousHash) else {
                return .broken(LedgerBreak(row: id, reason: .previousHashMismatch, verifiedRows: count))
            }
            for index in 0..<64 {
                previousHash[index] = computed[index]
            }
            if frontier.size < treeSize {
                var storedIndex = StoredHashLayout.count(forSize: frontier.size)
                var mismatch: LedgerBreak.Reason?
                try frontier.append(leaf) { hash in
                    guard mismatch == nil else { return }
                    guard try step(tree, db), sqlite3_column_int64(tree, 0) == storedIndex,
                        hash.withBytes({ bytes(blob(tree, 1), equal: $0) })
                    else {
                        mismatch =
                            storedIndex == StoredHashLayout.firstIndex(ofLeaf: Int64(count)) ? .leafMismatch : .treeHashMismatch(index: storedIndex)
                        return
                    }
                    storedIndex += 1
                }
                if let mismatch {
                    return .broken(LedgerBreak(row: id, reason: mismatch, verifiedRows: count))
                }
            }
            expectedID = id + 1
            count += 1
        }

        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger_entry'") ?? 0
        if sequence >= expectedID {
            return .broken(LedgerBreak(row: expectedID, reason: .truncated(from: expectedID, through: sequence), verifiedRows: count))
        }
        // The tree covers every entry (the ledger catches it up before verifying) and nothing more.
        let extraHashes = try step(tree, db)
        if treeSize != Int64(count) || extraHashes {
            return .broken(LedgerBreak(row: treeSize + 1, reason: .treeSizeMismatch(entries: Int64(count), treeSize: treeSize), verifiedRows: count))
        }
        return .intact(rows: count, headHash: String(decoding: previousHash, as: UTF8.self))
    }

    /// The value's bytes as text (integers in decimal, as SQLite converts them), nil for NULL.
    /// Valid until the next step.
    private static func columnBytes(_ statement: OpaquePointer, _ index: CInt) -> UnsafeRawBufferPointer? {
        if sqlite3_column_type(statement, index) == SQLITE_NULL { return nil }
        // Text first, then the byte count, as SQLite's documentation prescribes.
        let pointer = sqlite3_column_text(statement, index)
        let length = Int(sqlite3_column_bytes(statement, index))
        guard let pointer, length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: length)
    }

    /// Advances `statement`; false when it has no more rows.
    private static func step(_ statement: OpaquePointer, _ db: Database) throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }

    private static func blob(_ statement: OpaquePointer, _ index: CInt) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(statement, index) == SQLITE_BLOB, let pointer = sqlite3_column_blob(statement, index) else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index)))
    }

    private static func bytes(_ value: UnsafeRawBufferPointer?, equal expected: UnsafeRawBufferPointer) -> Bool {
        guard let value, value.count == expected.count else { return false }
        return memcmp(expected.baseAddress!, value.baseAddress!, value.count) == 0
    }

    private static func bytes(_ value: UnsafeRawBufferPointer?, equal expected: [UInt8]) -> Bool {
        guard let value, value.count == expected.count else { return false }
        return expected.withUnsafeBytes { memcmp($0.baseAddress!, value.baseAddress!, value.count) == 0 }
    }
}
