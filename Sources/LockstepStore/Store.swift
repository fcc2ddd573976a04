import CLockstepSQLite
import Foundation
import GRDB

/// The lockstep store: one SQLite file, WAL mode (its -wal and -shm files stay beside it
/// between commands, mode 0600 too), foreign keys on, mode 0600, migrated on open. Every
/// module reads and writes through `database`.
public struct Store: Sendable {
    public let path: String
    public let database: DatabaseQueue

    /// The bytes a WAL is truncated to after a checkpoint.
    static let walSizeLimit = 8 << 20

    /// Opens (creating if needed) the store at `path` and applies pending schema migrations.
    /// A file that is not SQLite, another program's SQLite database, or a store whose schema
    /// is newer than this binary knows, is refused untouched.
    public static func open(path: String, busyTimeout: TimeInterval = 30) throws(StoreError) -> Store {
        var info = stat()
        var created = false
        if stat(path, &info) == 0 {
            // SQLite would read /dev/null as an empty database and write /dev/null-journal beside it.
            if let kind = nonFileKind(info.st_mode) { throw .notAFile(path: path, kind: kind) }
        } else {
            try create(path: path)
            created = true
        }
        do {
            return try openFile(path: path, busyTimeout: busyTimeout)
        } catch {
            // A store that could not be set up (a full disk, say) leaves no empty file behind.
            if created { removeNewStore(path) }
            throw error
        }
    }

    private static func openFile(path: String, busyTimeout: TimeInterval) throws(StoreError) -> Store {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw classify(error, path: path)
        }
        do {
            // Look before writing anything, so a foreign or newer file is never altered;
            // closing the connection removes the -wal/-shm files a WAL store opens with.
            if let refusal = try refusal(of: queue, path: path) {
                try? queue.close()
                throw refusal
            }
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                // Only a lockstep store keeps its WAL between commands: checkpointing on every
                // close cost each command two fsyncs. SQLite still checkpoints as the WAL grows,
                // and the size limit truncates a WAL a large import left behind.
                _ = lockstep_sqlite_keep_wal_on_close(db.sqliteConnection)
                try db.execute(sql: "PRAGMA journal_size_limit = \(walSizeLimit)")
            }
            try SchemaMigrations.migrator.migrate(queue)
            return Store(path: path, database: queue)
        } catch let error as StoreError {
            throw error
        } catch {
            try? queue.close()
            throw classify(error, path: path)
        }
    }

    /// Why an existing file must not be used as this binary's store, if it must not.
    private static func refusal(of queue: DatabaseQueue, path: String) throws -> StoreError? {
        try queue.read { db -> StoreError? in
            // Reading the schema touches the header: SQLite reports NOTADB lazily.
            let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            guard try db.tableExists("grdb_migrations") else {
                // Empty is a new store (`touch store.sqlite`); tables without lockstep's
                // migration record belong to another program.
                return objects == 0 ? nil : .foreignDatabase(path: path)
            }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let known = Set(SchemaMigrations.all.map(\.identifier))
            let unknown = applied.filter { !known.contains($0) }.sorted()
            return unknown.isEmpty ? nil : .newerSchema(path: path, unknownMigrations: unknown)
        }
    }

    static func classify(_ error: any Error, path: String) -> StoreError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB {
            return .notADatabase(path: path)
        }
        let known = StoreError(sqliteFailure: error, path: path)
        if let known, known.isAboutTheFile { return known }
        // SQLite says "unable to open database file" when a WAL store's folder or file
        // system is read-only (it cannot create -shm); say what the user can fix.
        let folder = (path as NSString).deletingLastPathComponent
        if access(path, W_OK) != 0 || access(folder.isEmpty ? "." : folder, W_OK) != 0 {
            return .readOnly(path: path)
        }
        return known ?? .unreadable(path: path, reason: String(describing: error))
    }

    private static func nonFileKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFIFO: return "a pipe"
        default: return "not a regular file"
        }
    }

    private static func removeNewStore(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(path + suffix)
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
