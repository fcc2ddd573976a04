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
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let applied =
                    try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") : []
                let rows = try String.fetchAll(db, sql: "PRAGMA quick_check(10)")
                return StoreHealth(applied: applied, known: SchemaMigrations.all.map(\.identifier), problems: rows == ["ok"] ? [] : rows)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(sqliteFailure: error, path: path) ?? Store.classify(error, path: path)
        }
    }
}
