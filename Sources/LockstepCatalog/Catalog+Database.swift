import GRDB
import LockstepStore

extension Catalog {
    /// Every catalog read goes through here, so that a database failure reaches the user
    /// as a `CatalogError` saying what failed, never as GRDB's text (which quotes SQL).
    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrapping("read", path: store.path) { try store.database.read(body) }
    }

    /// Every catalog write: one transaction, database failures wrapped like `read`.
    package func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrapping("write", path: store.path) { try store.database.write(body) }
    }

    static func wrapping<T>(_ operation: String, path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            // A read-only, corrupt or full store is the store's problem, not the catalog's:
            // the store's own sentence says what to fix.
            if let known = StoreError.aboutTheFile(error, path: path) { throw known }
            throw CatalogError.database(operation: operation, reason: error.reasonWithoutSQL)
        }
    }
}
