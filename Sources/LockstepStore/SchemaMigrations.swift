import Foundation
import GRDB

/// The store's schema: the SQL files of the repository's `migrations/` folder,
/// compiled into the binary. A shipped file never changes; a change is a new file.
public enum SchemaMigrations {
    public struct Migration: Sendable {
        public let identifier: String
        public let sql: String
    }

    /// In application order. Add a line here for each new file in `migrations/`.
    public static let all: [Migration] = [
        Migration(identifier: "V1__catalog", sql: text(PackageResources.V1__catalog_sql)),
        Migration(identifier: "V2__ledger", sql: text(PackageResources.V2__ledger_sql)),
        Migration(identifier: "V3__journal", sql: text(PackageResources.V3__journal_sql)),
        Migration(identifier: "V4__merkle_ledger", sql: text(PackageResources.V4__merkle_ledger_sql)),
        Migration(identifier: "V5__remotes", sql: text(PackageResources.V5__remotes_sql)),
        Migration(identifier: "V6__ledger_filter_indexes", sql: text(PackageResources.V6__ledger_filter_indexes_sql)),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
