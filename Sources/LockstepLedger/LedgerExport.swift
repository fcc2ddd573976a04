import Foundation
import GRDB

public enum LedgerExportFormat: String, Sendable, CaseIterable {
    /// One document: format, hash scheme, verification result, head hash, every row.
    case json
    /// Every row, all columns, with a header line (RFC 4180).
    case csv
    /// One JSON object per line in log order: every column plus `index` (the
    /// leaf index) and `leaf` (base64 of the exact entry bytes the leaf hashes).
    case jsonl
}

/// The verification result as JSON (export header, `verify --output json`).
public struct LedgerVerificationReport: Codable, Sendable, Equatable {
    public var intact: Bool
    public var rows: Int?
    public var headHash: String?
    public var firstBadRow: Int64?
    public var message: String

    enum CodingKeys: String, CodingKey {
        case intact, rows, message
        case headHash = "head_hash"
        case firstBadRow = "first_bad_row"
    }

    public init(_ verification: LedgerVerification) {
        message = verification.description
        switch verification {
        case .intact(let rows, let headHash):
            intact = true
            self.rows = rows
            self.headHash = rows == 0 ? nil : headHash
        case .broken(let problem):
            intact = false
            firstBadRow = problem.row
        }
    }
}

extension Ledger {
    /// Verifies the chain and, when it is intact (or `force`), streams every row
    /// in id order to `write`, all from one snapshot of the store. Returns the
    /// verification; nothing is written when it failed and `force` is false.
    @discardableResult
    public func export(
        _ format: LedgerExportFormat,
        force: Bool = false,
        exportedAt: Date = Date(),
        to write: (String) throws -> Void
    ) throws(LedgerError) -> LedgerVerification {
        var writeError: (any Error)?
        let verification = try perform("export") {
            try store.database.read { db -> LedgerVerification in
                let verification = try LedgerVerifier.verify(db, path: store.path)
                guard verification.isIntact || force else { return verification }
                do {
                    try withoutActuallyEscaping(write) { write in
                        var output = ChunkedOutput(write: write)
                        try Self.stream(format, verification: verification, exportedAt: exportedAt, db: db, into: &output)
                        try output.flush()
                    }
                } catch let error as DatabaseError {
                    throw error
                } catch {
                    writeError = error
                }
                return verification
            }
        }
        if let writeError {
            throw .output(reason: String(describing: writeError))
        }
        return verification
    }

    private static func stream(
        _ format: LedgerExportFormat,
        verification: LedgerVerification,
        exportedAt: Date,
        db: Database,
        into output: inout ChunkedOutput
    ) throws {
        let cursor = try LedgerEntry.fetchCursor(db, sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry ORDER BY id")
        switch format {
        case .csv:
            try output.append(LedgerCSV.header)
            while let entry = try cursor.next() {
                try output.append(LedgerCSV.line(entry))
            }
        case .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var index: Int64 = 0
            while let entry = try cursor.next() {
                let object = String(decoding: try encoder.encode(entry), as: UTF8.self)
                let leaf = Data(LedgerEntryBytes.bytes(of: entry)).base64EncodedString()
                // The entry's own object, opened with the two Merkle fields.
                try output.append("{\"index\":\(index),\"leaf\":\"\(leaf)\",")
                try output.append(String(object.dropFirst()))
                try output.append("\n")
                index += 1
            }
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            func json(_ value: some Encodable) throws -> String {
                String(decoding: try encoder.encode(value), as: UTF8.self)
            }
            try output.append("{\n")
            try output.append("  \"format\": \"lockstep-ledger-export/1\",\n")
            try output.append("  \"exported_at\": \(try json(LedgerTimestamp.string(from: exportedAt))),\n")
            try output.append("  \"hash_scheme\": \(try json(LedgerHash.scheme)),\n")
            try output.append("  \"columns\": \(try json(LedgerEntry.columnNames)),\n")
            try output.append("  \"verification\": \(try json(LedgerVerificationReport(verification))),\n")
            try output.append("  \"entries\": [")
            var first = true
            while let entry = try cursor.next() {
                try output.append(first ? "\n    " : ",\n    ")
                try output.append(try json(entry))
                first = false
            }
            try output.append(first ? "]\n}\n" : "\n  ]\n}\n")
        }
    }
}

/// Batches small strings into large writes.
private struct ChunkedOutput {
    let write: (String) throws -> Void
    var pending = ""
    static let chunkSize = 256 * 1024

    init(write: @escaping (String) throws -> Void) {
        self.write = write
        pending.reserveCapacity(Self.chunkSize + 4096)
    }

    mutating func append(_ text: String) throws {
        pending += text
        if pending.utf8.count >= Self.chunkSize {
            try flush()
        }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try write(pending)
        pending.removeAll(keepingCapacity: true)
    }
}
