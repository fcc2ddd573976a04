import GRDB

/// Streams the ledger in id order and recomputes the chain, reading each
/// column's bytes in place (no String per value) to stay fast on a million rows.
enum LedgerVerifier {
    static let hashedColumnCount = LedgerEntry.columnNames.count - 1
    static let rowHashIndex = LedgerEntry.columnNames.count - 1
    static let previousHashIndex = LedgerEntry.columnNames.count - 2

    static func verify(_ db: Database) throws -> LedgerVerification {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry ORDER BY id")
        var hasher = LedgerHasher()
        var previousHash = Array(LedgerHash.genesis.utf8)
        var expectedID: Int64 = 1
        var count = 0

        while let row = try cursor.next() {
            let id: Int64 = try row.decode(atIndex: 0)
            for index in 0..<hashedColumnCount {
                try row.withUnsafeData(atIndex: index) { data in
                    if let data {
                        data.withUnsafeBytes { hasher.append($0) }
                    } else {
                        hasher.append(nil)
                    }
                }
            }
            let computed = hasher.finishHex()
            let matches = try row.withUnsafeData(atIndex: rowHashIndex) { data in
                data.map { $0.elementsEqual(computed) } ?? false
            }
            guard matches else {
                return .broken(LedgerBreak(row: id, reason: .contentMismatch, verifiedRows: count))
            }
            if id != expectedID {
                return .broken(LedgerBreak(row: id, reason: .missingRows(from: expectedID, through: id - 1), verifiedRows: count))
            }
            let linked = try row.withUnsafeData(atIndex: previousHashIndex) { data in
                data.map { $0.elementsEqual(previousHash) } ?? false
            }
            guard linked else {
                return .broken(LedgerBreak(row: id, reason: .previousHashMismatch, verifiedRows: count))
            }
            for index in 0..<64 {
                previousHash[index] = computed[index]
            }
            expectedID = id + 1
            count += 1
        }

        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger_entry'") ?? 0
        if sequence >= expectedID {
            return .broken(LedgerBreak(row: expectedID, reason: .truncated(from: expectedID, through: sequence), verifiedRows: count))
        }
        return .intact(rows: count, headHash: String(decoding: previousHash, as: UTF8.self))
    }
}
