import Foundation
import GRDB

/// How a ledger append reaches the disk.
///
/// An append commits with `synchronous = NORMAL` in the store's WAL: the commit is in
/// the WAL file before `append` returns, so it survives lockstep being killed, and
/// SQLite keeps the store consistent across a power loss, but the last appends before
/// a power loss may be gone (the WAL is not fsynced at each commit). That is safe for
/// the record because what proves the log is held outside the store: a checkpoint is
/// only signed after `treeHead()` has fsynced the WAL, so no checkpoint ever names an
/// entry that a power loss could take back. The fsync an append no longer waits for
/// (2-4 ms on the benchmark machine, more than the 1 ms an append may take) is paid
/// once per checkpoint instead. A store in another journal mode keeps its setting:
/// there `NORMAL` could corrupt the file on power loss.
extension Ledger {
    static func withoutCommitSync<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let mode = try String.fetchOne(db.cachedStatement(sql: "PRAGMA journal_mode"))
        let previous = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA synchronous")) ?? 2
        guard mode?.lowercased() == "wal", previous > 1 else { return try body() }
        // Cached: an append runs these every time, and preparing a statement is most of their cost.
        try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
        defer { try? db.cachedStatement(sql: "PRAGMA synchronous = \(previous)").execute() }
        return try body()
    }

    /// Flushes every commit so far (the WAL file) to the disk.
    func syncWriteAheadLog() throws(LedgerError) {
        let path = store.path + "-wal"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        // No WAL file: every commit is already in the database file, synced by the checkpoint that emptied it.
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw .database(operation: "sync", reason: "\(path): \(String(cString: strerror(errno)))")
        }
    }
}
