import Foundation
import GRDB
import LockstepRedaction
import LockstepStore

/// The append-only audit ledger in the store: append, query, verify, export.
///
/// Appends are safe across processes: the last row is read and the new one
/// written inside one IMMEDIATE transaction, so SQLite's write lock (waited for
/// up to the store's busy timeout) serializes every writer of the chain.
public struct Ledger: Sendable {
    /// Bytes of log kept per row: the end of the log, where failures are.
    public static let logTailLimit = 64 * 1024

    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Records one entry and returns the row as stored (id, time, hashes).
    @discardableResult
    public func append(_ entry: NewLedgerEntry, redacting secrets: [String] = []) throws(LedgerError) -> LedgerEntry {
        try append(contentsOf: [entry], redacting: secrets)[0]
    }

    /// Records entries in order, in one transaction: all or none.
    @discardableResult
    public func append(contentsOf entries: [NewLedgerEntry], redacting secrets: [String] = []) throws(LedgerError) -> [LedgerEntry] {
        guard !entries.isEmpty else { return [] }
        // Masking and JSON happen before taking the write lock, to hold it briefly.
        // One redactor for the batch; an entry carrying secrets of its own gets its own.
        let shared = Redactor(secrets: secrets)
        let prepared = try entries.map { (entry) throws(LedgerError) in
            try Self.prepare(entry, redactor: entry.secrets.isEmpty ? shared : Redactor(secrets: secrets + entry.secrets))
        }
        return try perform("append to") {
            try store.database.writeWithoutTransaction { db in
                // Durable against a crash of lockstep, fsynced before any checkpoint: see Ledger+Durability.
                try Self.withoutCommitSync(db) {
                    var stored: [LedgerEntry] = []
                    try db.inTransaction(.immediate) {
                        stored = try Self.insert(prepared, db)
                        return .commit
                    }
                    return stored
                }
            }
        }
    }

    /// Rows matching `query`, newest first unless asked otherwise.
    public func list(_ query: LedgerQuery = LedgerQuery()) throws(LedgerError) -> [LedgerEntry] {
        let (sql, arguments) = query.sql(selecting: LedgerEntry.selectList)
        return try perform("read") {
            try store.database.read { db in
                try LedgerEntry.fetchAll(db, sql: sql, arguments: arguments)
            }
        }
    }

    /// The row with this id, or nil.
    public func entry(id: Int64) throws(LedgerError) -> LedgerEntry? {
        try perform("read") {
            try store.database.read { db in
                try LedgerEntry.fetchOne(db, sql: "SELECT \(LedgerEntry.selectList) FROM ledger_entry WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Recomputes every entry's chain hash and leaf and every stored tree hash, and
    /// names the first row that does not match. `alongside` runs on the verify's
    /// threads while it reads (`ledger verify` checks the store's pages there).
    public func verify(alongside: (@Sendable () throws -> Void)? = nil) throws(LedgerError) -> LedgerVerification {
        try perform("read") {
            try store.database.read { db in try LedgerVerifier.verify(db, path: store.path, alongside: alongside) }
        }
    }

    func perform<T>(_ operation: String, _ body: () throws -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw error
        } catch let error as LedgerTreeStorage.AlteredTree {
            throw .alteredTree(reason: error.description)
        } catch let error as DatabaseError {
            if let known = StoreError.aboutTheFile(error, path: store.path) { throw .store(known) }
            throw .database(operation: operation, reason: error.reasonWithoutSQL)
        } catch {
            throw .database(operation: operation, reason: String(describing: error))
        }
    }

    private static func insert(_ prepared: [LedgerEntry], _ db: Database) throws -> [LedgerEntry] {
        // Inside the write transaction: no other writer can append between this read and the insert.
        let last = try Row.fetchOne(db, sql: "SELECT id, row_hash FROM ledger_entry ORDER BY id DESC LIMIT 1")
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger_entry'") ?? 0
        let lastID: Int64 = last?["id"] ?? 0
        var previousHash: String = last?["row_hash"] ?? LedgerHash.genesis
        var nextID = max(lastID, sequence) + 1
        let now = LedgerTimestamp.string(from: Date())
        let statement = try db.cachedStatement(sql: LedgerEntry.insertSQL)
        var tree = try LedgerTreeAppender(db)
        var stored: [LedgerEntry] = []
        stored.reserveCapacity(prepared.count)
        for var entry in prepared {
            entry.id = nextID
            entry.recordedAt = now
            entry.previousHash = previousHash
            entry.rowHash = LedgerHash.hash(fields: entry.hashedFields)
            try statement.execute(arguments: entry.insertArguments)
            try tree.append(entry)
            stored.append(entry)
            previousHash = entry.rowHash
            nextID += 1
        }
        try tree.finish()
        return stored
    }

    /// The row to store, minus id, time and hashes: masked, encoded, defaults filled.
    static func prepare(_ new: NewLedgerEntry, redactor: Redactor) throws(LedgerError) -> LedgerEntry {
        var duration = new.durationMs
        if duration == nil, let start = new.startedAt, let end = new.finishedAt {
            duration = Int64((end.timeIntervalSince(start) * 1000).rounded())
        }
        let command = try new.command.map { (arguments) throws(LedgerError) in try canonicalJSON(redactor.redact(arguments: arguments)) }
        let environment = try new.environment.map { (variables) throws(LedgerError) in try canonicalJSON(redactor.redact(environment: variables)) }
        return LedgerEntry(
            id: 0,
            recordedAt: "",
            kind: new.kind,
            event: new.event,
            upgradeID: new.upgradeID,
            installation: new.installation,
            channel: new.channel,
            releaseSequence: new.releaseSequence,
            releaseVersion: new.releaseVersion,
            manifestSHA256: new.manifestSHA256,
            component: new.component,
            container: new.container,
            image: new.image,
            imageID: new.imageID,
            command: command,
            environment: environment,
            startedAt: new.startedAt.map(LedgerTimestamp.string(from:)),
            finishedAt: new.finishedAt.map(LedgerTimestamp.string(from:)),
            durationMs: duration,
            exitCode: new.exitCode,
            status: new.status,
            logTail: redactor.redact(new.logTail).map { tail(of: $0, maxBytes: logTailLimit) },
            operatorName: new.operatorName ?? Operator.current,
            host: new.host ?? LedgerOrigin.host,
            message: redactor.redact(new.message),
            previousHash: "",
            rowHash: ""
        )
    }

    /// Sorted keys, so the same command or environment always stores (and hashes) the same text.
    static func canonicalJSON(_ value: some Encodable) throws(LedgerError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .invalidEntry(reason: "cannot encode as JSON: \(error)")
        }
    }

    /// The last `maxBytes` of `text`, cut at a character boundary.
    static func tail(of text: String, maxBytes: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > maxBytes else { return text }
        var start = utf8.index(utf8.endIndex, offsetBy: -maxBytes)
        while start < utf8.endIndex, UTF8.isContinuation(utf8[start]) {
            start = utf8.index(after: start)
        }
        return String(decoding: utf8[start...], as: UTF8.self)
    }
}
