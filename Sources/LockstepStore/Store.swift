import Foundation
import GRDB

/// The lockstep store: one SQLite file, WAL mode, foreign keys on, mode 0600,
/// migrated on open. Every module reads and writes through `database`.
public struct Store: Sendable {
    public let path: String
    public let database: DatabaseQueue

    /// Opens (creating if needed) the store at `path` and applies pending schema migrations.
    /// A file that is not SQLite, or whose schema is newer than this binary knows, is refused untouched.
    public static func open(path: String, busyTimeout: TimeInterval = 30) throws(StoreError) -> Store {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) {
            try checkExisting(path: path)
        } else {
            try create(path: path)
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try SchemaMigrations.migrator.migrate(queue)
            return Store(path: path, database: queue)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .notADatabase(path: path)
        } catch {
            throw .unreadable(path: path, reason: String(describing: error))
        }
    }

    /// Read-only look before any write, so a foreign or newer file is never altered.
    private static func checkExisting(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        let unknown: [String]
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            unknown = try queue.read { db -> [String] in
                // Touch the header: SQLite reports NOTADB lazily, on first read.
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                guard try db.tableExists("grdb_migrations") else { return [] }
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                let known = Set(SchemaMigrations.all.map(\.identifier))
                return applied.filter { !known.contains($0) }.sorted()
            }
            try queue.close()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .notADatabase(path: path)
        } catch {
            throw .unreadable(path: path, reason: String(describing: error))
        }
        if !unknown.isEmpty {
            throw .newerSchema(path: path, unknownMigrations: unknown)
        }
    }

    private static func create(path: String) throws(StoreError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreate(path: path, reason: error.localizedDescription)
        }
        // Created empty with 0600 before SQLite touches it; SQLite gives -wal and -shm the same mode.
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw .cannotCreate(path: path, reason: "the folder is not writable")
        }
    }
}
