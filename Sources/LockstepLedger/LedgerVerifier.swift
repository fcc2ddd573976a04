import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Streams the ledger in id order and recomputes the chain, every Merkle leaf
/// and every stored tree hash (read alongside, in index order).
///
/// Two threads share the work: this one steps SQLite and copies each row's encoded
/// fields and stored hashes into a batch (column bytes read in place through SQLite's
/// C API: per-value `String`/`Data` objects made the first version three times slower);
/// a second one hashes the previous batch meanwhile (chain, leaf, interior nodes) and
/// compares. Verify must stay fast on a million rows.
enum LedgerVerifier {
    static let hashedColumnCount = LedgerEntry.columnNames.count - 1
    static let rowHashIndex = CInt(LedgerEntry.columnNames.count - 1)
    static let previousHashIndex = CInt(LedgerEntry.columnNames.count - 2)
    static let batchRows = 2048

    static func verify(_ db: Database) throws -> LedgerVerification {
        let statement = try db.makeStatement(sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry ORDER BY id")
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        let treeStatement = try db.makeStatement(sql: "SELECT id, hash FROM ledger_tree_hash ORDER BY id")
        let tree = treeStatement.sqliteStatement
        defer { sqlite3_reset(tree) }
        let treeSize = try LedgerTreeStorage(db: db).log().size

        let checker = VerifyChecker(treeSize: treeSize)
        let queue = DispatchQueue(label: "lockstep.ledger.verify")
        let group = DispatchGroup()
        var rows = 0
        var batch = VerifyBatch(firstOrdinal: 0)
        var finished = false
        while !finished {
            while batch.count < batchRows {
                let code = sqlite3_step(sqlite)
                if code == SQLITE_DONE {
                    finished = true
                    break
                }
                guard code == SQLITE_ROW else {
                    group.wait()
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                try batch.add(row: sqlite, ordinal: Int64(rows), treeSize: treeSize, tree: tree, db: db)
                rows += 1
            }
            group.wait()
            if checker.isBroken { break }
            let full = batch
            queue.async(group: group) { checker.check(full) }
            batch = VerifyBatch(firstOrdinal: rows)
        }
        group.wait()
        return try checker.state.withLock { state throws -> LedgerVerification in
            if let problem = state.problem { return .broken(problem) }
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger_entry'") ?? 0
            if sequence >= state.expectedID {
                return .broken(
                    LedgerBreak(row: state.expectedID, reason: .truncated(from: state.expectedID, through: sequence), verifiedRows: state.count)
                )
            }
            // The tree covers every entry (the ledger catches it up before verifying) and nothing more.
            let extraHashes = try VerifyBatch.step(tree, db)
            if treeSize != Int64(state.count) || extraHashes {
                return .broken(
                    LedgerBreak(
                        row: treeSize + 1,
                        reason: .treeSizeMismatch(entries: Int64(state.count), treeSize: treeSize),
                        verifiedRows: state.count
                    )
                )
            }
            return .intact(rows: state.count, headHash: String(decoding: state.previousHash, as: UTF8.self))
        }
    }
}

/// Rows as read, for the hashing thread: each row's chain encoding (fields only, the
/// domain is added when hashing), its stored chain hashes, and the stored tree
/// hashes its leaf must reproduce.
struct VerifyBatch: Sendable {
    let firstOrdinal: Int
    var ids: [Int64] = []
    var encoded: [UInt8] = []
    /// Per row: where its encoding starts, where its leaf's fields end, where it ends.
    var starts: [Int] = []
    var leafEnds: [Int] = []
    /// 64 bytes per row; `hashValid` false when the stored value is not 64 bytes.
    var rowHashes: [UInt8] = []
    var previousHashes: [UInt8] = []
    var hashValid: [(row: Bool, previous: Bool)] = []
    /// Per row, how many of `treeIDs` are its; an id of -1 is a missing row of the tree table.
    var treeCounts: [Int] = []
    var treeIDs: [Int64] = []
    var treeHashes: [UInt8] = []
    var treeHashValid: [Bool] = []
    private var digits = [UInt8](repeating: 0, count: 20)

    var count: Int { ids.count }

    init(firstOrdinal: Int) {
        self.firstOrdinal = firstOrdinal
        encoded.reserveCapacity(LedgerVerifier.batchRows * 1024)
        rowHashes.reserveCapacity(LedgerVerifier.batchRows * 64)
        previousHashes.reserveCapacity(LedgerVerifier.batchRows * 64)
    }

    mutating func add(row sqlite: OpaquePointer, ordinal: Int64, treeSize: Int64, tree: OpaquePointer, db: Database) throws {
        ids.append(sqlite3_column_int64(sqlite, 0))
        starts.append(encoded.count)
        var leafEnd = 0
        for index in 0..<CInt(LedgerVerifier.hashedColumnCount) {
            if index == CInt(LedgerEntryBytes.columnCount) { leafEnd = encoded.count }
            switch sqlite3_column_type(sqlite, index) {
            case SQLITE_NULL:
                encoded.append(0)
            case SQLITE_INTEGER:
                // Decimal, as SQLite's own text conversion writes it, without its allocation.
                let value = sqlite3_column_int64(sqlite, index)
                var magnitude = value.magnitude
                var position = digits.count
                repeat {
                    position -= 1
                    digits[position] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                    magnitude /= 10
                } while magnitude > 0
                if value < 0 {
                    position -= 1
                    digits[position] = 45
                }
                appendField(digits[position...])
            default:
                appendField(Self.text(sqlite, index) ?? UnsafeRawBufferPointer(start: nil, count: 0))
            }
        }
        leafEnds.append(leafEnd)
        let row = copyHash(Self.text(sqlite, LedgerVerifier.rowHashIndex), into: &rowHashes)
        let previous = copyHash(Self.text(sqlite, LedgerVerifier.previousHashIndex), into: &previousHashes)
        hashValid.append((row, previous))

        var stored = 0
        if ordinal < treeSize {
            for _ in 0...StoredHashLayout.completedLevels(byLeaf: ordinal) {
                stored += 1
                guard try Self.step(tree, db) else {
                    treeIDs.append(-1)
                    treeHashes.append(contentsOf: repeatElement(0, count: 32))
                    treeHashValid.append(false)
                    continue
                }
                treeIDs.append(sqlite3_column_int64(tree, 0))
                let blob = Self.blob(tree, 1)
                if let blob, blob.count == 32 {
                    treeHashes.append(contentsOf: blob)
                    treeHashValid.append(true)
                } else {
                    treeHashes.append(contentsOf: repeatElement(0, count: 32))
                    treeHashValid.append(false)
                }
            }
        }
        treeCounts.append(stored)
    }

    private mutating func appendField(_ bytes: some Collection<UInt8>) {
        encoded.append(1)
        withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { encoded.append(contentsOf: $0) }
        encoded.append(contentsOf: bytes)
    }

    private func copyHash(_ value: UnsafeRawBufferPointer?, into target: inout [UInt8]) -> Bool {
        guard let value, value.count == 64 else {
            target.append(contentsOf: repeatElement(0, count: 64))
            return false
        }
        target.append(contentsOf: value)
        return true
    }

    /// The value's bytes as text, nil for NULL. Valid until the next step.
    static func text(_ statement: OpaquePointer, _ index: CInt) -> UnsafeRawBufferPointer? {
        if sqlite3_column_type(statement, index) == SQLITE_NULL { return nil }
        // Text first, then the byte count, as SQLite's documentation prescribes.
        let pointer = sqlite3_column_text(statement, index)
        let length = Int(sqlite3_column_bytes(statement, index))
        guard let pointer, length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: length)
    }

    /// Advances `statement`; false when it has no more rows.
    static func step(_ statement: OpaquePointer, _ db: Database) throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }

    static func blob(_ statement: OpaquePointer, _ index: CInt) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(statement, index) == SQLITE_BLOB, let pointer = sqlite3_column_blob(statement, index) else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index)))
    }
}
