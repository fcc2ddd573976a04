import Foundation
import GRDB

/// What `doctor` reads about a store without changing it: the schema migrations
/// applied against those this binary knows, and SQLite's page check.
public struct StoreHealth: Sendable {
    /// Migration identifiers recorded in the file, in the order applied.
    public var applied: [String]
    /// Those this binary ships (`SchemaMigrations.all`).
    public var known: [String]
    /// `PRAGMA quick_check`'s findings; empty when the pages are sound.
    public var problems: [String]

    /// The schema version a person reads: how many of the known migrations are applied.
    public var schemaVersion: Int { applied.filter(known.contains).count }
    public var missing: [String] { known.filter { !applied.contains($0) } }
    public var unknown: [String] { applied.filter { !known.contains($0) } }

    /// Opens `path` read-only; never creates, migrates or writes it.
    public static func inspect(path: String) throws(StoreError) -> StoreHealth {
        do {
            let queue = try readOnlyQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db in
                let applied =
                    try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
                return StoreHealth(applied: applied, known: SchemaMigrations.all.map(\.identifier), problems: try pageProblems(db))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(sqliteFailure: error, path: path) ?? Store.classify(error, path: path)
        }
    }

    /// A read-only connection of its own, beside the store's `database`.
    static func readOnlyQueue(path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// `PRAGMA quick_check`'s findings, at most ten; empty when the pages are sound.
    static func pageProblems(_ db: Database) throws -> [String] {
        let rows = try String.fetchAll(db, sql: "PRAGMA quick_check(10)")
        return rows == ["ok"] ? [] : rows
    }
}

extension Store {
    /// SQLite's `PRAGMA quick_check`: every page and index is readable and well formed.
    /// An empty result means the store is sound; otherwise SQLite's findings, at most ten.
    /// It reads on a read-only connection of its own, so that it can run
    /// on another thread while `database` is busy (`ledger verify` runs both at once).
    public func quickCheck() throws(StoreError) -> [String] {
        do {
            let connection = try StoreHealth.readOnlyQueue(path: path)
            defer { try? connection.close() }
            return try connection.read(StoreHealth.pageProblems)
        } catch {
            throw StoreError(sqliteFailure: error, path: path) ?? .unreadable(path: path, reason: String(describing: error))
        }
    }
}
